/**
 * Word-level comparison of two texts, for every UN language: words come from
 * `Intl.Segmenter` (word granularity), which knows that Chinese has no spaces
 * between words and that Arabic letters join, so a change reads as whole
 * words, never as half a word.
 */

/** A token is a word, a run of spaces or a punctuation mark: joined together they give the text back exactly. */
export type Token = { text: string; start: number };

export type DiffOp = { kind: 'same' | 'inserted' | 'deleted'; tokens: Token[] };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const s of segmenter.segment(text)) tokens.push({ text: s.segment, start: s.index });
  return tokens;
}

/**
 * Past this much work (edit distance explored, in tokens) the middle of a
 * paragraph that changed beyond recognition reads as deleted then inserted:
 * still exact, and the comparison of a whole report stays fast.
 */
const MAX_EDIT_DISTANCE = 400;

/**
 * The edit script from `before` to `after`, as runs of same, deleted and
 * inserted tokens (deleted before inserted where both replace the same
 * place). The common start and end are trimmed first, so the typical edit (a
 * few words in a paragraph) costs the length of the paragraph; Myers' greedy
 * algorithm takes the middle.
 */
export function diffTokens(before: readonly Token[], after: readonly Token[]): DiffOp[] {
  let head = 0;
  while (head < before.length && head < after.length && before[head]!.text === after[head]!.text) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail]!.text === after[after.length - 1 - tail]!.text
  ) {
    tail++;
  }
  const a = before.slice(head, before.length - tail);
  const b = after.slice(head, after.length - tail);
  const ops: DiffOp[] = [];
  const push = (kind: DiffOp['kind'], tokens: readonly Token[]) => {
    if (tokens.length === 0) return;
    const last = ops[ops.length - 1];
    if (last && last.kind === kind) last.tokens.push(...tokens);
    else ops.push({ kind, tokens: [...tokens] });
  };
  push('same', after.slice(0, head));
  for (const op of myers(a, b)) push(op.kind, op.tokens);
  push('same', after.slice(after.length - tail));
  return ops;
}

/** Myers' O((N+M)D) diff on the trimmed middle, falling back to replace-all beyond MAX_EDIT_DISTANCE. */
function myers(a: readonly Token[], b: readonly Token[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m ? [{ kind: 'inserted', tokens: [...b] }] : [];
  if (m === 0) return [{ kind: 'deleted', tokens: [...a] }];
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x]!.text === b[y]!.text) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return [{ kind: 'deleted', tokens: [...a] }, { kind: 'inserted', tokens: [...b] }];

  // Walk the trace back from the end: each step is one insertion or deletion after a diagonal of equal tokens.
  const steps: Array<{ kind: DiffOp['kind']; token: Token }> = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      steps.push({ kind: 'same', token: b[--y]! });
      x--;
    }
    if (down) steps.push({ kind: 'inserted', token: b[--y]! });
    else steps.push({ kind: 'deleted', token: a[--x]! });
  }
  while (x > 0 && y > 0) {
    steps.push({ kind: 'same', token: b[--y]! });
    x--;
  }
  steps.reverse();
  // Within a changed stretch, deletions read first: "[old] new".
  const ops: DiffOp[] = [];
  let deleted: Token[] = [];
  let inserted: Token[] = [];
  const flush = () => {
    if (deleted.length) ops.push({ kind: 'deleted', tokens: deleted });
    if (inserted.length) ops.push({ kind: 'inserted', tokens: inserted });
    deleted = [];
    inserted = [];
  };
  for (const step of steps) {
    if (step.kind === 'same') {
      flush();
      const last = ops[ops.length - 1];
      if (last && last.kind === 'same') last.tokens.push(step.token);
      else ops.push({ kind: 'same', tokens: [step.token] });
    } else if (step.kind === 'deleted') deleted.push(step.token);
    else inserted.push(step.token);
  }
  flush();
  return ops;
}
