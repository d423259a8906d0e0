import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DocumentId, Title } from '../../shared/schema/api.js';
import { importFile } from '../convert/import-file.js';
import type { Logger } from '../log.js';
import type { DocumentStore } from './document-store.js';
import { isUniqueViolation } from './sql-database.js';

const SeedManifest = z.object({
  seeds: z.array(z.object({ file: z.string().min(1), id: DocumentId, title: Title })),
});

/**
 * On first start (no documents at all) the sample drafts become documents, so a
 * newcomer lands on a real draft. The first seed gets the newest "last edited"
 * time so it heads the document list. Each file goes through the importer an
 * upload goes through (format from its name and bytes), so a seed reads exactly
 * as the same file imported by the secretariat would.
 */
export async function seedDocuments(store: DocumentStore, seedsDir: string, log: Logger): Promise<number> {
  if (!store.isEmpty()) return 0;
  const manifestPath = path.join(seedsDir, 'index.json');
  if (!fs.existsSync(manifestPath)) {
    log.warn({ seedsDir }, 'no seeds manifest; starting with no documents');
    return 0;
  }
  const { seeds } = SeedManifest.parse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
  const now = Date.now();
  let created = 0;
  for (const [index, seed] of seeds.entries()) {
    const content = await importFile(seed.file, fs.readFileSync(path.join(seedsDir, seed.file)));
    try {
      store.create({
        id: seed.id,
        title: seed.title,
        content: content.update,
        paragraphCount: content.paragraphCount,
        at: new Date(now - index * 1000),
      });
    } catch (err) {
      // Several processes starting at once on one PostgreSQL all found it empty: the first to store a seed keeps it.
      if (isUniqueViolation(err)) continue;
      throw err;
    }
    created++;
    log.info({ documentId: seed.id, paragraphs: content.paragraphCount }, 'seed document loaded');
  }
  return created;
}
