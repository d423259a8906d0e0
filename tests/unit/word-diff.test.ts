import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffTokens, tokenize } from '../../shared/model/word-diff.js';

const words = (text: string) => tokenize(text).map((t) => t.text);
const join = (ops: ReturnType<typeof diffTokens>, keep: 'inserted' | 'deleted') =>
  ops
    .filter((op) => op.kind === 'same' || op.kind === keep)
    .flatMap((op) => op.tokens.map((t) => t.text))
    .join('');

describe('word tokenizer', () => {
  it('gives the text back exactly, with offsets, in every UN language', () => {
    for (const text of [
      'The Conference shall adopt the report.',
      'La Conférence adopte le rapport, à l’unanimité.',
      'La Conferencia aprobará el informe.',
      'Конференция утверждает доклад.',
      'يعتمد المؤتمر التقرير النهائي.',
      '会议通过了最后报告。',
    ]) {
      const tokens = tokenize(text);
      expect(tokens.map((t) => t.text).join('')).toBe(text);
      for (const t of tokens) expect(text.slice(t.start, t.start + t.text.length)).toBe(t.text);
    }
  });

  it('splits Chinese into words and keeps Arabic words whole', () => {
    const chinese = words('会议通过了最后报告');
    expect(chinese.length).toBeGreaterThan(1);
    expect(chinese.length).toBeLessThan('会议通过了最后报告'.length);
    expect(words('يعتمد المؤتمر التقرير')).toEqual(['يعتمد', ' ', 'المؤتمر', ' ', 'التقرير']);
  });
});

describe('word diff', () => {
  it('reports the changed words only', () => {
    const ops = diffTokens(tokenize('The Conference shall adopt the report.'), tokenize('The Conference may adopt the final report.'));
    expect(ops.filter((o) => o.kind === 'deleted').map((o) => o.tokens.map((t) => t.text).join(''))).toEqual(['shall']);
    expect(ops.filter((o) => o.kind === 'inserted').map((o) => o.tokens.map((t) => t.text).join(''))).toEqual(['may', ' final']);
  });

  it('compares Arabic and Chinese word by word', () => {
    const arabic = diffTokens(tokenize('يعتمد المؤتمر التقرير'), tokenize('يعتمد المؤتمر التقرير النهائي'));
    expect(arabic.filter((o) => o.kind === 'inserted').flatMap((o) => o.tokens.map((t) => t.text))).toEqual([' ', 'النهائي']);
    const chinese = diffTokens(tokenize('会议通过了报告'), tokenize('会议通过了最后报告'));
    expect(chinese.filter((o) => o.kind === 'deleted')).toEqual([]);
    expect(join(chinese, 'inserted')).toBe('会议通过了最后报告');
  });

  it('rebuilds both texts from the script, also past the work cap', () => {
    const long = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
    const before = long(600, 'a');
    const after = long(600, 'b');
    const ops = diffTokens(tokenize(before), tokenize(after));
    expect(join(ops, 'inserted')).toBe(after);
    expect(join(ops, 'deleted')).toBe(before);
  });

  it('rebuilds both texts for any pair of texts (property)', () => {
    const text = fc.array(fc.constantFrom('the', 'report', 'shall', ' ', ',', '会议', 'المؤتمر', 'доклад', 'à'), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const ops = diffTokens(tokenize(before), tokenize(after));
        expect(join(ops, 'inserted')).toBe(after);
        expect(join(ops, 'deleted')).toBe(before);
      }),
      { numRuns: 300 },
    );
  });
});
