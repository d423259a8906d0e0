import { GOALS, type ServerKind } from './config.js';
import type { LoadResult } from './load-run.js';
import type { MemoryResult } from './memory-run.js';

export type Ratio = { load: string; oursP99OverReferenceP99: number };
/** `met` is null when what the goal is about was not measured in this run. */
export type Goal = { goal: string; met: boolean | null; value: string };

const MB = 1024 * 1024;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

function find(loads: LoadResult[], server: ServerKind, load: string): LoadResult | undefined {
  return loads.find((r) => r.server === server && r.load === load);
}

export function ratiosOf(loads: LoadResult[]): Ratio[] {
  const names = [...new Set(loads.map((r) => r.load))];
  return names.flatMap((load) => {
    const ours = find(loads, 'ours', load);
    const reference = find(loads, 'reference', load);
    return ours && reference ? [{ load, oursP99OverReferenceP99: ours.latencyMs.p99 / reference.latencyMs.p99 }] : [];
  });
}

export function goalsOf(loads: LoadResult[], memory: MemoryResult[], ratios: Ratio[]): Goal[] {
  const goals: Goal[] = [];
  const s = find(loads, 'ours', 'S');
  const l = find(loads, 'ours', 'L');
  goals.push({ goal: `S: p99 <= ${GOALS.sP99Ms} ms`, met: s ? s.latencyMs.p99 <= GOALS.sP99Ms : null, value: s ? `${ms(s.latencyMs.p99)} ms` : 'not run' });
  goals.push({
    goal: 'L: every keystroke delivered',
    met: l ? l.allDelivered : null,
    value: l ? `${l.deliveredMin}/${l.typed}` : 'not run',
  });
  goals.push({ goal: `L: p99 <= ${GOALS.lP99Ms} ms`, met: l ? l.latencyMs.p99 <= GOALS.lP99Ms : null, value: l ? `${ms(l.latencyMs.p99)} ms` : 'not run' });
  // The same goals under L with the client side in one busy process (config.ts, load LH).
  const lh = find(loads, 'ours', 'LH');
  goals.push({ goal: 'LH: every keystroke delivered', met: lh ? lh.allDelivered : null, value: lh ? `${lh.deliveredMin}/${lh.typed}` : 'not run' });
  goals.push({ goal: `LH: p99 <= ${GOALS.lP99Ms} ms`, met: lh ? lh.latencyMs.p99 <= GOALS.lP99Ms : null, value: lh ? `${ms(lh.latencyMs.p99)} ms` : 'not run' });
  for (const r of ratios) {
    goals.push({ goal: `${r.load}: our p99 / reference p99 <= ${GOALS.p99Ratio}`, met: r.oursP99OverReferenceP99 <= GOALS.p99Ratio, value: r.oursP99OverReferenceP99.toPrecision(2) });
  }
  const m = memory.find((r) => r.server === 'ours');
  goals.push({
    goal: `RSS per idle loaded seed copy < ${GOALS.rssPerCopyBytes / MB} MB`,
    met: m ? m.perCopyBytes < GOALS.rssPerCopyBytes : null,
    value: m ? `${(m.perCopyBytes / MB).toFixed(2)} MB` : 'not run',
  });
  return goals;
}
