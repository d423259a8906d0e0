import { describe, expect, it } from 'vitest';
import { comparisonExportUrl, readingExportUrl } from '../../client/api.js';
import { pieceTitle, refLabel, viewOf, delegationsIn } from '../../client/pages/compare/compare-view.js';
import { comparePath, matchRoute, readingPagePath } from '../../client/router.js';
import type { ComparedParagraph, Comparison } from '../../shared/schema/readings.js';

const para = (over: Partial<ComparedParagraph> & { id: string }): ComparedParagraph => ({
  change: 'same',
  refBefore: null,
  refAfter: null,
  statusBefore: 'open',
  statusAfter: 'open',
  pieces: [{ kind: 'same', text: 'Text.', by: [] }],
  changedBy: [],
  ...over,
});

const comparison: Comparison = {
  from: { id: 'r1', name: 'Rev.1', at: '2026-12-02T08:00:00.000Z' },
  to: { id: 'r2', name: 'Rev.2', at: '2026-12-02T09:00:00.000Z' },
  paragraphs: [
    para({ id: 'a', refBefore: '3.1', refAfter: '3.1' }),
    para({
      id: 'b',
      change: 'changed',
      refBefore: '3.3',
      refAfter: '3.3',
      pieces: [
        { kind: 'same', text: 'The group ', by: [] },
        { kind: 'inserted', text: 'firmly ', by: ['Egypt'] },
        { kind: 'deleted', text: 'may ', by: ['Brazil'] },
      ],
      changedBy: ['Egypt', 'Brazil'],
    }),
    para({ id: 'c', refBefore: '3.4', refAfter: '3.5' }),
    para({ id: 'd', refBefore: '3.2', refAfter: '3.2' }),
    para({ id: 'e', refBefore: '3.6', refAfter: '3.6', statusBefore: 'open', statusAfter: 'agreed' }),
  ],
  events: [
    { kind: 'bracket-opened', ref: '3.2', paragraphId: 'd', who: 'Egypt', at: null, text: 'bracket opened by Egypt' },
    { kind: 'status-set', ref: '3.6', paragraphId: 'e', who: 'Chair', at: null, text: 'agreed by the Chair' },
  ],
};

describe('the comparison view', () => {
  it('shows changed, renumbered, re-statused and event paragraphs, and hides the unchanged ones unless asked', () => {
    expect(viewOf(comparison, { delegation: null, unchanged: false }).paragraphs.map((p) => p.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(viewOf(comparison, { delegation: null, unchanged: true }).paragraphs.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('narrows paragraphs and events to one delegation', () => {
    const egypt = viewOf(comparison, { delegation: 'Egypt', unchanged: false });
    expect(egypt.paragraphs.map((p) => p.id)).toEqual(['b', 'd']);
    expect(egypt.events.map((e) => e.text)).toEqual(['bracket opened by Egypt']);
    const chair = viewOf(comparison, { delegation: 'Chair', unchanged: true });
    expect(chair.paragraphs.map((p) => p.id)).toEqual(['e']);
  });

  it('lists every delegation named, sorted', () => {
    expect(delegationsIn(comparison)).toEqual(['Brazil', 'Chair', 'Egypt']);
  });

  it('says renumbering and who made a piece', () => {
    expect(refLabel({ refBefore: '3.4', refAfter: '3.5' })).toBe('3.4 → 3.5');
    expect(refLabel({ refBefore: null, refAfter: '3.5' })).toBe('3.5');
    expect(refLabel({ refBefore: '3.5', refAfter: null })).toBe('3.5');
    expect(refLabel({ refBefore: null, refAfter: null })).toBeNull();
    expect(pieceTitle('inserted', ['Egypt'])).toBe('inserted by Egypt');
    expect(pieceTitle('deleted', ['Brazil', 'Egypt', 'India'])).toBe('deleted by Brazil, Egypt and India');
    expect(pieceTitle('deleted', [])).toBe('deleted');
  });
});

describe('the readings addresses', () => {
  it('routes a reading and a comparison, and nothing else under a document', () => {
    expect(matchRoute('/d/eg-itrs-final-report/readings/r-1')).toEqual({ page: 'reading', documentId: 'eg-itrs-final-report', readingId: 'r-1' });
    expect(matchRoute(readingPagePath('eg-itrs-final-report', 'r 1'))).toEqual({
      page: 'reading',
      documentId: 'eg-itrs-final-report',
      readingId: 'r 1',
    });
    expect(matchRoute('/d/eg-itrs-final-report/compare')).toEqual({ page: 'compare', documentId: 'eg-itrs-final-report' });
    expect(matchRoute('/d/eg-itrs-final-report/readings')).toEqual({ page: 'not-found' });
    expect(matchRoute('/d/eg-itrs-final-report')).toEqual({ page: 'editor', documentId: 'eg-itrs-final-report' });
    expect(comparePath('doc', 'r1', 'live')).toBe('/d/doc/compare?from=r1&to=live');
  });

  it('builds the export links with the reading and the two ends', () => {
    const url = new URL(readingExportUrl('doc', 'r1', { format: 'md', version: 'agreed' }), 'http://x');
    expect(url.pathname).toBe('/api/documents/doc/export');
    expect(Object.fromEntries(url.searchParams)).toEqual({ format: 'md', version: 'agreed', unresolved: 'keep', reading: 'r1' });
    const bracketed = new URL(readingExportUrl('doc', 'r1', { format: 'docx', version: 'bracketed' }), 'http://x');
    expect(bracketed.searchParams.get('unresolved')).toBeNull();
    expect(comparisonExportUrl('doc', { from: 'r1', to: 'live' }, 'docx')).toBe('/api/documents/doc/compare/export?from=r1&to=live&format=docx');
  });
});
