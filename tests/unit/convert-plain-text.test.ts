import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importPlainText } from '../../server/convert/plain-text.js';
import { listThreads } from '../../shared/model/comments.js';
import { blockText, findBlockByRef, listBlocks } from '../../shared/model/paragraphs.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const seed = (file: string) => fs.readFileSync(path.join(SEEDS, file), 'utf8');
const load = (update: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
};
const xml = (doc: Y.Doc) => doc.getXmlFragment(BODY_FRAGMENT).toString();
const footnotes = (doc: Y.Doc) => [...xml(doc).matchAll(/<footnote text="([^"]*)">/g)].map((m) => m[1]);

/** Seed → paragraphs expected: every non-empty line is one (footnote texts and bookmarks are not lines of their own in these files). */
const EXPECTED_PARAGRAPHS: Record<string, number> = {
  '000_91766f6a702c280b.txt': 18,
  '001_9afd2113542a08d2.txt': 11,
  '002_d139c0fac23d053a.txt': 175,
  '003_faddcb8b395e7a4b.txt': 60,
  '004_8c7a1b7e6f5b1b5f.txt': 60,
};

describe('plain-text import of the seeds', () => {
  for (const [file, count] of Object.entries(EXPECTED_PARAGRAPHS)) {
    it(`${file}: ${count} paragraphs, every typed number kept, no Word leftovers`, () => {
      const text = seed(file);
      const result = importPlainText(text);
      const doc = load(result.update);
      const blocks = listBlocks(doc);
      expect(result.paragraphCount).toBe(count);
      expect(blocks).toHaveLength(count);
      expect(text.split('\n').filter((l) => l.trim()).length).toBe(count);
      expect(result.warnings).toEqual([]);
      // Each "number<TAB>" the file types is a block's number, in order (a bookmark before it is no obstacle).
      const typed = [...text.replace(/\[bookmark: [^\]]*\]/g, '').matchAll(/^[ \t]*(\d+(?:\.\d+)*\.?|\(?[a-z]\)|\d+\)) *\t/gm)].map((m) => m[1]);
      expect(blocks.map((b) => b.num).filter(Boolean)).toEqual(typed);
      const everything = xml(doc) + JSON.stringify(listThreads(doc));
      expect(everything).not.toContain('[bookmark');
      expect(everything).not.toContain('[footnoteRef');
      expect(everything).not.toMatch(/\[\d+: /);
    });
  }

  it('001: the four footnotes are real footnotes, where they were referenced', () => {
    const doc = load(importPlainText(seed('001_9afd2113542a08d2.txt')).update);
    expect(footnotes(doc)).toEqual([
      'Plan of Action of the Geneva phase of the World Summit on the Information Society (WSIS03/GENEVA/DOC/5-E).',
      'Res 140 (Rev. Dubai, 2018).',
      'Res. 1379 (Mod. 2019), Annex: Term of reference of Expert Group on the International Telecommunication Regulations (EG-ITRs).',
      'Res. 1379 (Mod. 2019), Annex: Term of reference of Expert Group on the International Telecommunication Regulations (EG-ITRs)',
    ]);
    const body = xml(doc);
    expect(body).toContain('network security issues.<footnote text="Plan of Action');
    expect(body).toContain('Action Line C5,<footnote text="Res 140');
    expect(body).toContain('services and networks",<footnote text="Res. 1379');
    // The footnote texts no longer sit in the paragraph text.
    expect(blocks(doc).join('\n')).not.toContain('Res 140');
  });

  it('002: the reviewer comment becomes a thread on paragraph 2.6', () => {
    const doc = load(importPlainText(seed('002_d139c0fac23d053a.txt')).update);
    const p26 = findBlockByRef(doc, '2.6')!;
    expect(blockText(p26.element)).toMatch(/^Sixth meeting, 19 January 2026 \(see report\)/);
    expect(blockText(p26.element)).not.toContain('Comment by');
    const threads = listThreads(doc);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ paragraphId: p26.id, orphaned: false, status: 'open' });
    expect(threads[0]!.messages).toMatchObject([
      { author: { name: 'Author', delegation: 'Original document' }, text: 'Link to be inserted once the meeting report is approved and published' },
    ]);
  });

  it('002: dash and TAB lines are sub-items of the paragraph above', () => {
    const doc = load(importPlainText(seed('002_d139c0fac23d053a.txt')).update);
    const items = listBlocks(doc).filter((b) => blockText(b.element).startsWith('– '));
    expect(items.length).toBeGreaterThan(60);
    expect(items.every((b) => Number(b.element.getAttribute('indent')) >= 1)).toBe(true);
    expect(blockText(items.find((b) => blockText(b.element).includes('EG-ITRs-6/8'))!.element)).toMatch(/^– Comment on the draft final report/);
    expect(findBlockByRef(doc, '1.2.5 a)')!.element.getAttribute('indent')).toBe(1);
  });
});

function blocks(doc: Y.Doc): string[] {
  return listBlocks(doc).map((b) => blockText(b.element));
}

describe('plain-text import conventions', () => {
  it('reads inline and line footnote texts, and warns about a missing or unused one', () => {
    const result = importPlainText('1.1\tFirst[footnoteRef:1] and second[footnoteRef:2].\n[1: One.]\n[3: Three.]\n');
    const doc = load(result.update);
    expect(footnotes(doc)).toEqual(['One.']);
    expect(blocks(doc)).toEqual(['First and second.', '[3] Three.']);
    expect(result.warnings).toEqual([
      'Footnote 2 is referenced but its text is missing; the reference was dropped.',
      'Footnote 3 is never referenced; its text was added at the end as a paragraph.',
    ]);
  });

  it('attaches comment lines and replies to the paragraph above, with the delegation our exports write', () => {
    const doc = load(
      importPlainText(
        '3.5\tText.\n\tComment by Amina Hassan (Egypt): Why?\n\tReply by John Smith (United States): Because.\n\tComment by Author: Second thread\n4\tNext\n',
      ).update,
    );
    expect(blocks(doc)).toEqual(['Text.', 'Next']);
    const threads = listThreads(doc);
    expect(threads.map((t) => t.messages.map((m) => [m.author.name, m.author.delegation, m.text]))).toEqual([
      [
        ['Amina Hassan', 'Egypt', 'Why?'],
        ['John Smith', 'United States', 'Because.'],
      ],
      [['Author', 'Original document', 'Second thread']],
    ]);
    expect(new Set(threads.map((t) => t.paragraphId))).toEqual(new Set([listBlocks(doc)[0]!.id]));
  });

  it('does not treat a number typed with a space, or literal brackets, as anything but text', () => {
    const doc = load(importPlainText('2012 was the year of WCIT.\nDraft New Resolution [B-1]: text\n').update);
    expect(listBlocks(doc).map((b) => [b.num, blockText(b.element)])).toEqual([
      [null, '2012 was the year of WCIT.'],
      [null, 'Draft New Resolution [B-1]: text'],
    ]);
  });
});
