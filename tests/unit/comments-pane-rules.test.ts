import { describe, expect, it } from 'vitest';
import { addThread, deleteComment, listThreads, reply, setThreadStatus } from '../../shared/model/comments.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { ALL_THREADS, filterChoices, filterThreads, isFiltered, stepThread } from '../../client/negotiation/thread-filters.js';
import {
  arrivalNotice,
  loadReadMarks,
  markThreadRead,
  mergeReadMarks,
  NO_MARKS,
  readMarksKey,
  saveReadMarks,
  takeArrivals,
  unreadCounts,
  unreadIn,
} from '../../client/negotiation/unread-comments.js';
import { CHAIR, EGYPT, KENYA, USA, docWithParagraphs } from '../support/model-doc.js';

/** Paragraphs 1.1, 2.1 and 3.5 (ids p0, p1, p2), with threads by Egypt on 3.5, Kenya on 1.1 (resolved) and the US on 2.1. */
function meeting() {
  const doc = docWithParagraphs([
    { num: '1.1', text: 'Introduction' },
    { num: '2.1', text: 'Background' },
    { num: '3.5', text: 'Views' },
  ]);
  const egypt = addThread(doc, { paragraphId: 'p2', text: 'Egypt cannot accept 3.5', actor: EGYPT }).threadId;
  const kenya = addThread(doc, { paragraphId: 'p0', text: 'Typo', actor: KENYA }).threadId;
  setThreadStatus(doc, { threadId: kenya, status: 'resolved', actor: CHAIR });
  const usa = addThread(doc, { paragraphId: 'p1', text: 'Which background?', actor: USA }).threadId;
  reply(doc, { threadId: usa, text: 'Kenya agrees with the question', actor: KENYA });
  const sections = new Map(listBlocks(doc).map((b) => [b.id!, b.section]));
  return { doc, egypt, kenya, usa, sectionOf: (id: string) => sections.get(id) };
}

describe('the comments pane’s filters', () => {
  it('keep the model’s paragraph order and leave out what does not match', () => {
    const { doc, egypt, kenya, usa, sectionOf } = meeting();
    const threads = listThreads(doc);
    expect(threads.map((t) => t.id)).toEqual([kenya, usa, egypt]);
    expect(isFiltered(ALL_THREADS)).toBe(false);
    expect(filterThreads(threads, ALL_THREADS, sectionOf)).toEqual(threads);

    expect(filterThreads(threads, { ...ALL_THREADS, status: 'open' }, sectionOf).map((t) => t.id)).toEqual([usa, egypt]);
    expect(filterThreads(threads, { ...ALL_THREADS, status: 'resolved' }, sectionOf).map((t) => t.id)).toEqual([kenya]);
    // A delegation's threads are those it wrote in, a reply included.
    expect(filterThreads(threads, { ...ALL_THREADS, delegation: 'Kenya' }, sectionOf).map((t) => t.id)).toEqual([kenya, usa]);
    expect(filterThreads(threads, { ...ALL_THREADS, section: '3' }, sectionOf).map((t) => t.id)).toEqual([egypt]);
    expect(filterThreads(threads, { status: 'open', delegation: 'Kenya', section: '2' }, sectionOf).map((t) => t.id)).toEqual([usa]);
    expect(filterThreads(threads, { status: 'resolved', delegation: 'Egypt', section: null }, sectionOf)).toEqual([]);
  });

  it('offer the delegations that wrote and the sections that hold threads, and keep a choice in force', () => {
    const { doc, egypt, sectionOf } = meeting();
    const threads = listThreads(doc);
    expect(filterChoices(threads, sectionOf)).toEqual({ delegations: ['Egypt', 'Kenya', 'United States'], sections: ['1', '2', '3'] });
    // Egypt's only message deleted: Egypt no longer wrote there, but the select still shows the choice in force.
    deleteComment(doc, { threadId: egypt, messageId: listThreads(doc).find((t) => t.id === egypt)!.messages[0]!.id, actor: EGYPT });
    const after = listThreads(doc);
    expect(filterChoices(after, sectionOf).delegations).toEqual(['Kenya', 'United States']);
    expect(filterChoices(after, sectionOf, { ...ALL_THREADS, delegation: 'Egypt', section: '9' })).toEqual({
      delegations: ['Egypt', 'Kenya', 'United States'],
      sections: ['1', '2', '3', '9'],
    });
  });

  it('step through the threads shown without wrapping', () => {
    const { doc, egypt, kenya, usa } = meeting();
    const threads = listThreads(doc);
    expect(stepThread(threads, null, 1)?.id).toBe(kenya);
    expect(stepThread(threads, null, -1)?.id).toBe(egypt);
    expect(stepThread(threads, kenya, 1)?.id).toBe(usa);
    expect(stepThread(threads, usa, -1)?.id).toBe(kenya);
    expect(stepThread(threads, egypt, 1)).toBeNull();
    expect(stepThread(threads, kenya, -1)).toBeNull();
    // The current thread filtered out: from the start again.
    expect(stepThread([threads[2]!], kenya, 1)?.id).toBe(egypt);
    expect(stepThread([], null, 1)).toBeNull();
  });
});

describe('unread comments', () => {
  it('are the messages of others not yet seen; reading a thread takes in what it holds then', () => {
    const { doc, egypt, usa } = meeting();
    let threads = listThreads(doc);
    // Egypt's own thread is read by writing it; the others are unread until opened.
    expect(Object.fromEntries(unreadCounts(threads, NO_MARKS, EGYPT))).toEqual({ [threads[0]!.id]: 1, [usa]: 2 });
    let marks = markThreadRead(NO_MARKS, threads.find((t) => t.id === usa)!);
    expect(unreadIn(threads.find((t) => t.id === usa)!, marks, EGYPT)).toBe(0);
    expect(markThreadRead(marks, threads.find((t) => t.id === usa)!)).toBe(marks);

    reply(doc, { threadId: usa, text: 'A new reply', actor: USA });
    reply(doc, { threadId: egypt, text: 'Egypt adds a reply', actor: EGYPT });
    threads = listThreads(doc);
    expect(unreadIn(threads.find((t) => t.id === usa)!, marks, EGYPT)).toBe(1);
    expect(unreadIn(threads.find((t) => t.id === egypt)!, marks, EGYPT)).toBe(0);
    // Someone else reads differently: the Egyptian messages are theirs to read.
    expect(unreadIn(threads.find((t) => t.id === egypt)!, marks, KENYA)).toBe(2);

    // A message deleted before it was read is not waiting to be read.
    const last = threads.find((t) => t.id === usa)!.messages.at(-1)!;
    deleteComment(doc, { threadId: usa, messageId: last.id, actor: USA });
    expect(unreadIn(listThreads(doc).find((t) => t.id === usa)!, marks, EGYPT)).toBe(0);
    marks = mergeReadMarks(marks, { other: ['x'] });
    expect(Object.keys(marks)).toEqual([usa, 'other']);
  });

  it('arrive once each, and only from others', () => {
    const { doc, usa } = meeting();
    const known = new Set<string>();
    // Four messages, one of them Egypt’s own.
    expect(takeArrivals(listThreads(doc), known, EGYPT)).toHaveLength(3);
    expect(takeArrivals(listThreads(doc), known, EGYPT)).toEqual([]);
    reply(doc, { threadId: usa, text: 'Egypt answers', actor: EGYPT });
    reply(doc, { threadId: usa, text: 'The US answers back', actor: USA });
    const arrivals = takeArrivals(listThreads(doc), known, EGYPT);
    expect(arrivals.map((a) => a.message.text)).toEqual(['The US answers back']);
    const refs: Record<string, string> = { p0: '1.1', p1: '2.1', p2: '3.5' };
    expect(arrivalNotice(arrivals, (id) => refs[id] ?? null)).toBe('United States (John Smith) replied on ¶ 2.1');

    const { threadId } = addThread(doc, { paragraphId: 'p2', text: 'Kenya on 3.5', actor: KENYA });
    const started = takeArrivals(listThreads(doc), known, EGYPT);
    expect(arrivalNotice(started, (id) => refs[id] ?? null)).toBe('Kenya (Wanjiru Mwangi) commented on ¶ 3.5');
    reply(doc, { threadId, text: 'one', actor: USA });
    reply(doc, { threadId, text: 'two', actor: CHAIR });
    expect(arrivalNotice(takeArrivals(listThreads(doc), known, EGYPT), () => '3.5')).toBe('2 new comments, from United States, Chair');
  });

  it('are remembered per person and document, merged with what another tab stored, and survive bad storage', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    const key = readMarksKey('doc-1', EGYPT);
    expect(key).not.toBe(readMarksKey('doc-2', EGYPT));
    expect(key).not.toBe(readMarksKey('doc-1', { name: EGYPT.name, delegation: 'Kenya' }));
    expect(loadReadMarks(storage, key)).toEqual({});

    saveReadMarks(storage, key, { t1: ['m1'] });
    // Another tab read t1's second message and t2 meanwhile.
    store.set(key, JSON.stringify({ t1: ['m2'], t2: ['m3'] }));
    expect(saveReadMarks(storage, key, { t1: ['m1'] })).toEqual({ t1: ['m2', 'm1'], t2: ['m3'] });
    expect(loadReadMarks(storage, key)).toEqual({ t1: ['m2', 'm1'], t2: ['m3'] });

    for (const bad of ['not json', '[1,2]', '{"t1":[3]}', '{"t1":"m1"}']) {
      store.set(key, bad);
      expect(loadReadMarks(storage, key)).toEqual({});
    }
    const full = { getItem: () => null, setItem: () => {
      throw new Error('QuotaExceededError');
    } };
    expect(saveReadMarks(full, key, { t1: ['m1'] })).toEqual({ t1: ['m1'] });
  });
});
