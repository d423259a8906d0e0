import * as Y from 'yjs';
import { bracketGroups, resolveBracket } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { addThread, commentThreads, reply } from '../../shared/model/comments.js';
import { paragraphMetas, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { blockText, findBlock } from '../../shared/model/paragraphs.js';
import { BRACKET_MARK, BracketGroupKeys as G, BracketOptionKeys as O, CommentMessageKeys as M, CommentThreadKeys as T } from '../../shared/schema/negotiation.js';
import { CHAIR, CHINA, EGYPT, USA, docWithParagraphs } from './model-doc.js';

/**
 * A draft with valid negotiation records and, beside them, every kind of
 * damaged entry a reader may meet (from an old version, an import or a bug):
 * the readers must list the valid ones and report the others.
 */

export const SENTENCE = 'The Group shall review the ITRs every year.';
export const THANKS = 'Members thanked the Chair.';
export const CLOSING = 'Closing text of the meeting.';
export const ANNEX = 'Annex remarks stay here now.';
export const COMMENT = 'Please align with the 2012 text.';
export const REPLY = 'Agreed, will do.';
export const GOOD_MESSAGE = 'This one is fine.';

/** What the readers must report, by place: the ids of the damaged entries. */
export const EXPECTED_DAMAGE = {
  brackets: [
    'empty-group',
    'string-group',
    'number-group',
    'null-group',
    'array-group',
    'bad-options',
    'bad-status',
    'bad-creator',
    'bad-resolution',
    'mixed/option 1',
    'mixed/option 2',
    'mixed/option 3',
    'mixed/option 5',
  ],
  comments: ['empty-thread', 'string-thread', 'number-thread', 'no-messages', 'bad-author/message 2', 'bad-author/message 3', 'bad-author/message 4'],
  paragraphs: ['p0', 'p2', 'p-ghost', 'p-map'],
  /** Four damaged marks in ¶ 4.1 (string, no option, unknown group, unknown option); the fifth names a damaged group, reported as that group. */
  body: ['p3', 'p3', 'p3', 'p3'],
};

export type PoisonedDraft = { doc: Y.Doc; openGroupId: string; resolvedGroupId: string; threadId: string };

/** Before any record the model makes now: the damaged-but-readable thread sorts first in its paragraph. */
const AT = '2020-01-01T10:00:00.000Z';

function option(fields: Record<string, unknown>): Y.Map<unknown> {
  return new Y.Map<unknown>([
    [O.proponents, new Y.Map<unknown>([['Egypt', { name: EGYPT.name, at: AT }]])],
    [O.supporters, new Y.Map<unknown>()],
    [O.note, ''],
    [O.createdBy, EGYPT],
    [O.createdAt, AT],
    ...Object.entries(fields),
  ]);
}

function group(fields: Record<string, unknown>, options: unknown[] = []): Y.Map<unknown> {
  const list = new Y.Array<unknown>();
  list.push(options);
  return new Y.Map<unknown>([
    [G.paragraphId, 'p2'],
    [G.createdBy, EGYPT],
    [G.createdAt, AT],
    [G.status, 'open'],
    [G.options, list],
    ...Object.entries(fields),
  ]);
}

function message(fields: Record<string, unknown>): Y.Map<unknown> {
  return new Y.Map<unknown>([[M.id, 'm'], [M.author, USA], [M.at, AT], [M.text, GOOD_MESSAGE], ...Object.entries(fields)]);
}

function thread(fields: Record<string, unknown>, messages: unknown[] = []): Y.Map<unknown> {
  const list = new Y.Array<unknown>();
  list.push(messages);
  return new Y.Map<unknown>([[T.paragraphId, 'p1'], [T.createdAt, AT], [T.status, 'open'], [T.messages, list], ...Object.entries(fields)]);
}

function markWords(doc: Y.Doc, paragraphId: string, words: string, value: unknown): void {
  const text = findBlock(doc, paragraphId)!.element.get(0) as Y.XmlText;
  // Not toString(): a Y.XmlText prints its formatting as tags.
  const from = blockText(findBlock(doc, paragraphId)!.element).indexOf(words);
  if (from < 0) throw new Error(`"${words}" is not in ${paragraphId}`);
  text.format(from, words.length, { [BRACKET_MARK]: value });
}

export function poisonedDraft(): PoisonedDraft {
  const doc = docWithParagraphs([
    { num: '1.1', text: SENTENCE },
    { num: '1.2', text: THANKS },
    { num: '2.1', text: CLOSING },
    { num: '4.1', text: ANNEX },
  ]);

  // Valid records: an open bracket in 1.1, a resolved one in 1.2, a thread, an agreed paragraph.
  const from = SENTENCE.indexOf('every year');
  const open = createBracket(doc, { paragraphId: 'p0', from, to: from + 'every year'.length, actor: EGYPT });
  supportOption(doc, { groupId: open.groupId, optionId: open.optionId, actor: CHINA });
  addAlternative(doc, { groupId: open.groupId, text: 'every two years', actor: USA });
  const thanked = THANKS.indexOf('thanked');
  const resolved = createBracket(doc, { paragraphId: 'p1', from: thanked, to: thanked + 'thanked'.length, actor: USA });
  const praised = addAlternative(doc, { groupId: resolved.groupId, text: 'praised', actor: CHINA });
  resolveBracket(doc, { groupId: resolved.groupId, outcome: 'chosen', optionId: praised.optionId, actor: CHAIR });
  const { threadId } = addThread(doc, { paragraphId: 'p1', text: COMMENT, actor: EGYPT });
  reply(doc, { threadId, text: REPLY, actor: CHAIR });
  setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed', actor: CHAIR });

  doc.transact(() => {
    const groups = bracketGroups(doc);
    groups.set('empty-group', new Y.Map());
    groups.set('string-group', 'poison');
    groups.set('number-group', 42);
    groups.set('null-group', null);
    groups.set('array-group', new Y.Array());
    groups.set('bad-options', group({ [G.options]: 'not an array' }));
    groups.set('bad-status', group({ [G.status]: 'maybe' }));
    groups.set('bad-creator', group({ [G.createdBy]: 'Egypt' }));
    groups.set('bad-resolution', group({ [G.status]: 'resolved', [G.resolution]: { outcome: 'whatever' } }));
    // A readable group in 2.1 whose options array holds a string, a number, a map without id, a good option and a copy of its id.
    groups.set(
      'mixed',
      group({}, ['junk', 7, option({ [O.kind]: 'text' }), option({ [O.id]: 'good', [O.kind]: 'text' }), option({ [O.id]: 'good', [O.kind]: 'text' })]),
    );

    const threads = commentThreads(doc);
    threads.set('empty-thread', new Y.Map());
    threads.set('string-thread', 'hello');
    threads.set('number-thread', 7);
    threads.set('no-messages', thread({ [T.messages]: 'none' }));
    threads.set(
      'bad-author',
      thread({}, [message({ [M.id]: 'ok' }), message({ [M.id]: 'str', [M.author]: 'Egypt' }), message({ [M.id]: 'blank', [M.author]: { name: '', delegation: 'Egypt' } }), 'junk']),
    );

    const metas = paragraphMetas(doc);
    metas.set('p0', 'agreed');
    metas.set('p2', { status: 'bogus', by: CHAIR, at: AT });
    metas.set('p-ghost', { status: 'agreed' });
    metas.set('p-map', new Y.Map());
  });

  markWords(doc, 'p2', 'Closing', { group: 'mixed', option: 'good' });
  markWords(doc, 'p3', 'Annex', 'poison');
  markWords(doc, 'p3', 'remarks', { group: open.groupId });
  markWords(doc, 'p3', 'stay', { group: 'ghost', option: 'x' });
  markWords(doc, 'p3', 'here', { group: open.groupId, option: 'nope' });
  markWords(doc, 'p3', 'now', { group: 'empty-group', option: 'o' });

  return { doc, openGroupId: open.groupId, resolvedGroupId: resolved.groupId, threadId };
}
