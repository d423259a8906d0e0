import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importPlainText } from '../../server/convert/plain-text.js';
import { listThreads } from '../../shared/model/comments.js';
import { blockText, findBlockByRef, listBlocks } from '../../shared/model/paragraphs.js';

const seed = (file: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../../seeds', file), 'utf8');

function load(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc;
}

describe('plain-text import', () => {
  it('makes one block per non-empty line, the number before the TAB kept as the block number', () => {
    const { update, paragraphCount } = importPlainText(
      '\uFEFF 1\tIntroduction\r\n\r\n1.1\tThe text of the first paragraph.\n\ta)\tsub item  \n–\tAgenda\nplain line\n',
    );
    const blocks = listBlocks(load(update));
    expect(paragraphCount).toBe(5);
    expect(blocks.map((b) => [b.element.nodeName, b.num, blockText(b.element)])).toEqual([
      ['heading', '1', 'Introduction'],
      ['paragraph', '1.1', 'The text of the first paragraph.'],
      ['paragraph', 'a)', 'sub item'],
      ['paragraph', null, '– Agenda'],
      ['paragraph', null, 'plain line'],
    ]);
    expect(blocks[0]!.element.getAttribute('level')).toBe(1);
  });

  it('gives every block its own stable id', () => {
    const blocks = listBlocks(load(importPlainText('a\nb\nc').update));
    const ids = blocks.map((b) => b.id);
    expect(ids.every((id) => typeof id === 'string' && id.length > 10)).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it('turns a trailing "Comment by Author" into a comment thread on that paragraph', () => {
    const doc = load(importPlainText('2.6\tSixth meeting report\tComment by Author: Link to be inserted\n').update);
    const [block] = listBlocks(doc);
    expect(blockText(block!.element)).toBe('Sixth meeting report');
    const threads = listThreads(doc);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ paragraphId: block!.id, orphaned: false });
    expect(threads[0]!.messages[0]).toMatchObject({ text: 'Link to be inserted', author: { name: 'Author' } });
  });

  it('drops Word bookmarks, which are never negotiation brackets', () => {
    const blocks = listBlocks(load(importPlainText('Article 1[bookmark: _Toc123] Purpose\n[bookmark: x]\n').update));
    expect(blocks.map((b) => blockText(b.element))).toEqual(['Article 1 Purpose']);
  });

  it('imports the EG-ITRs report with its numbered paragraphs', () => {
    const text = seed('002_d139c0fac23d053a.txt');
    const { update, paragraphCount } = importPlainText(text);
    const doc = load(update);
    const blocks = listBlocks(doc);
    expect(paragraphCount).toBe(text.split('\n').filter((l) => l.trim()).length);
    expect(blockText(blocks[0]!.element)).toBe('Proposal by the Chair');
    expect(findBlockByRef(doc, '1.1')?.element.nodeName).toBe('heading');
    expect(blockText(findBlockByRef(doc, '2.6')!.element)).toMatch(/^\S/);
    expect(findBlockByRef(doc, '3.3')).toBeDefined();
    expect(findBlockByRef(doc, '1.2.6 a)')).toBeDefined();
    // The Terms of Reference items 1, 2, 3 are indented labels under 1.2.5, not sections 1, 2, 3.
    expect(findBlockByRef(doc, '1.2.5 2')).toBeDefined();
    expect(findBlockByRef(doc, '1.2.5 a)')).toBeDefined();
    expect(blocks.filter((b) => b.section === '2')[0]!.ref).toBe('2');
    expect(blocks.map((b) => blockText(b.element)).join('\n')).not.toContain('[bookmark');
  });
});
