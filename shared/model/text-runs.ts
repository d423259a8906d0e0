import * as Y from 'yjs';
import { ModelError } from './errors.js';

/**
 * A run of equally formatted text inside a block, with where it sits both in
 * its Y.XmlText (`index`) and in the block as ProseMirror counts (`start`:
 * characters, plus one for each inline node such as a line break).
 */
export type TextRun = {
  text: Y.XmlText;
  index: number;
  start: number;
  insert: string;
  attributes: Record<string, unknown>;
};

export function textRuns(element: Y.XmlElement): TextRun[] {
  const runs: TextRun[] = [];
  let start = 0;
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      let index = 0;
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        if (typeof op.insert !== 'string') {
          index += 1;
          start += 1;
          continue;
        }
        runs.push({ text: child, index, start, insert: op.insert, attributes: op.attributes ?? {} });
        index += op.insert.length;
        start += op.insert.length;
      }
    } else {
      start += 1;
    }
  }
  return runs;
}

/** The Y.XmlText and offset holding block offsets [from, to); a range across a line break is refused. */
export function locateRange(element: Y.XmlElement, from: number, to: number): { text: Y.XmlText; index: number; length: number } {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to > from)) {
    throw new ModelError('Select some text first');
  }
  const runs = textRuns(element);
  const first = runs.find((r) => from >= r.start && from < r.start + r.insert.length);
  if (!first) throw new ModelError('The selection is outside the paragraph text');
  const last = [...runs].reverse().find((r) => r.text === first.text && to > r.start && to <= r.start + r.insert.length);
  if (!last) throw new ModelError('A bracket cannot span a line break or leave the paragraph');
  // Runs of one Y.XmlText are contiguous only if nothing inline sits between them.
  const span = runs.filter((r) => r.text === first.text && r.start >= first.start && r.start <= last.start);
  for (let i = 1; i < span.length; i++) {
    if (span[i]!.start !== span[i - 1]!.start + span[i - 1]!.insert.length) {
      throw new ModelError('A bracket cannot span a line break');
    }
  }
  return { text: first.text, index: first.index + (from - first.start), length: to - from };
}


/** The Y.XmlText and offset at a block offset, to insert there: in the run it falls in, or at the end of the one it follows. */
export function locatePoint(element: Y.XmlElement, at: number): { text: Y.XmlText; index: number } {
  if (!(Number.isInteger(at) && at >= 0)) throw new ModelError('Put the caret where the words should go');
  const runs = textRuns(element);
  const run = runs.find((r) => at >= r.start && at < r.start + r.insert.length) ?? runs.find((r) => at === r.start + r.insert.length);
  if (run) return { text: run.text, index: run.index + (at - run.start) };
  const first = element.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (at === 0 && first) return { text: first, index: 0 };
  throw new ModelError('The caret is outside the paragraph text');
}
