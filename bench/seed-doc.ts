import fs from 'node:fs';
import * as Y from 'yjs';
import type { Endpoint } from './endpoint.js';
import { connectClient, waitSynced } from './yjs-client.js';
import { waitFor } from './wait.js';

/** The seed report's paragraphs: one per non-blank line, as the server's own importer reads it. */
export function readSeedParagraphs(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim().length > 0);
}

/**
 * Puts the seed into a fresh document the way any client would: a client joins,
 * pastes every paragraph in one transaction, and a second fresh client must see
 * them all before this returns, so the load never starts on a half-synced
 * document. Same procedure for both servers.
 */
export async function seedDocument(endpoint: Endpoint, paragraphs: string[]): Promise<void> {
  const seeder = connectClient(endpoint);
  try {
    await waitSynced(seeder);
    if (seeder.body.length !== 0) throw new Error(`document ${endpoint.documentId} is not empty`);
    seeder.body.insert(
      0,
      paragraphs.map((line) => {
        const paragraph = new Y.XmlElement('paragraph');
        paragraph.insert(0, [new Y.XmlText(line)]);
        return paragraph;
      }),
    );
    const checker = connectClient(endpoint);
    try {
      await waitFor(() => checker.body.length === paragraphs.length, 'the seed to reach the server', 15_000);
    } finally {
      checker.destroy();
    }
  } finally {
    seeder.destroy();
  }
}
