import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { importPlainText } from '../../server/convert/plain-text.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { bodyText } from '../support/yjs-client.js';

const seed = (file: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../../seeds', file), 'utf8');

function load(update: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getXmlFragment(BODY_FRAGMENT);
}

describe('plain-text import', () => {
  it('makes one paragraph per non-empty line, keeping numbers and their TAB', () => {
    const { update, paragraphCount } = importPlainText('\uFEFF 1\tIntro\r\n\r\n1.1\tText\n\tsub item  \n');
    const body = load(update);
    expect(paragraphCount).toBe(3);
    expect(body.length).toBe(3);
    expect(bodyText(body)).toBe('1\tIntro\n1.1\tText\n\tsub item');
    expect((body.get(0) as Y.XmlElement).nodeName).toBe('paragraph');
  });

  it('drops Word bookmarks, which are never negotiation brackets', () => {
    const { update } = importPlainText('Article 1[bookmark: _Toc123] Purpose\n[bookmark: x]\n');
    expect(bodyText(load(update))).toBe('Article 1 Purpose');
  });

  it('imports the EG-ITRs report with its numbered paragraphs', () => {
    const text = seed('002_d139c0fac23d053a.txt');
    const { update, paragraphCount } = importPlainText(text);
    const body = load(update);
    const lines = bodyText(body).split('\n');
    expect(paragraphCount).toBe(text.split('\n').filter((l) => l.trim()).length);
    expect(lines[0]).toBe('Proposal by the Chair');
    expect(lines).toContain('1.1\tIntroduction');
    expect(lines.some((l) => l.startsWith('2.6\t'))).toBe(true);
    expect(lines.join('\n')).not.toContain('[bookmark');
  });
});
