import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addThread,
  deleteComment,
  editComment,
  listThreads,
  reply,
  setThreadStatus,
} from '../../shared/model/comments.js';
import { consensus } from '../../shared/model/consensus.js';
import { ModelError } from '../../shared/model/errors.js';
import { paragraphStatus, setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlockByRef, listBlocks } from '../../shared/model/paragraphs.js';
import { canEditParagraph, canResolveBrackets, roleForDelegation } from '../../shared/model/permissions.js';
import { createBracket } from '../../shared/model/bracket-proposals.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { BRAZIL, CHAIR, CHINA, EGYPT, KENYA, USA, docWithParagraphs } from '../support/model-doc.js';

describe('comment threads', () => {
  it('open on a paragraph, take replies, edits and deletions by their authors only', () => {
    const doc = docWithParagraphs(['a', 'b']);
    const { threadId } = addThread(doc, { paragraphId: 'p1', text: 'We cannot accept 3.5 c) as drafted', actor: EGYPT });
    const { messageId } = reply(doc, { threadId, text: 'Could Egypt propose wording?', actor: USA });
    editComment(doc, { threadId, messageId, text: 'Could Egypt propose text?', actor: USA });
    expect(() => editComment(doc, { threadId, messageId, text: 'hijack', actor: EGYPT })).toThrow(ModelError);
    expect(() => deleteComment(doc, { threadId, messageId, actor: EGYPT })).toThrow(/author/);
    expect(() => reply(doc, { threadId, text: '   ', actor: EGYPT })).toThrow(/empty/);

    let [thread] = listThreads(doc);
    expect(thread).toMatchObject({ paragraphId: 'p1', status: 'open', orphaned: false });
    expect(thread!.messages.map((m) => [m.author.delegation, m.text, m.editedAt !== null])).toEqual([
      ['Egypt', 'We cannot accept 3.5 c) as drafted', false],
      ['United States', 'Could Egypt propose text?', true],
    ]);

    deleteComment(doc, { threadId, messageId, actor: USA });
    setThreadStatus(doc, { threadId, status: 'resolved', actor: CHAIR });
    [thread] = listThreads(doc);
    expect(thread!.messages[1]).toMatchObject({ deleted: true, text: '' });
    expect(thread).toMatchObject({ status: 'resolved', statusBy: CHAIR });
    setThreadStatus(doc, { threadId, status: 'open', actor: EGYPT });
    expect(listThreads(doc)[0]!.status).toBe('open');
  });

  it('are orphaned, not dropped, when their paragraph is deleted', () => {
    const doc = docWithParagraphs(['a', 'b', 'c']);
    addThread(doc, { paragraphId: 'p1', text: 'on b', actor: EGYPT });
    addThread(doc, { paragraphId: 'p2', text: 'on c', actor: USA });
    doc.getXmlFragment(BODY_FRAGMENT).delete(1, 1);
    const threads = listThreads(doc);
    expect(threads.map((t) => [t.messages[0]!.text, t.orphaned])).toEqual([
      ['on c', false],
      ['on b', true],
    ]);
    expect(() => addThread(doc, { paragraphId: 'p1', text: 'x', actor: EGYPT })).toThrow(/No paragraph/);
  });
});

describe('paragraphs', () => {
  it('resolve references as the room says them', () => {
    const doc = docWithParagraphs([
      { num: '3', text: 'Summary of views' },
      { num: '3.5', text: 'Some members' },
      { num: 'a)', text: 'first' },
      { num: 'b)', text: 'second' },
      'continuation',
      { num: '3.6', text: 'Other members' },
    ]);
    expect(listBlocks(doc).map((b) => b.ref)).toEqual(['3', '3.5', '3.5 a)', '3.5 b)', null, '3.6']);
    expect(listBlocks(doc).map((b) => b.section)).toEqual(['3', '3', '3', '3', '3', '3']);
    expect(findBlockByRef(doc, '3.5 b)')?.id).toBe('p3');
    expect(findBlockByRef(doc, '3.5b')?.id).toBe('p3');
    expect(findBlockByRef(doc, '3.6.')?.id).toBe('p5');
    expect(findBlockByRef(doc, '9.9')).toBeUndefined();
  });

  it('carry a status that locks them for delegates, and count towards consensus', () => {
    const doc = docWithParagraphs(['one two three', 'four five', 'six']);
    setParagraphStatus(doc, { paragraphId: 'p0', status: 'agreed', actor: CHAIR });
    setParagraphStatus(doc, { paragraphId: 'p1', status: 'agreed-ad-ref', actor: CHAIR });
    createBracket(doc, { paragraphId: 'p2', from: 0, to: 3, actor: EGYPT });
    expect(paragraphStatus(doc, 'p0')).toBe('agreed');
    expect(paragraphStatus(doc, 'p2')).toBe('open');
    expect(consensus(doc)).toEqual({ paragraphs: 3, agreed: 1, agreedAdRef: 1, withOpenBrackets: 1, openGroups: 1, resolvedGroups: 0 });

    const delegate = roleForDelegation('Egypt');
    expect(canEditParagraph(delegate, 'agreed')).toBe(false);
    expect(canEditParagraph(delegate, 'open')).toBe(true);
    expect(canEditParagraph(roleForDelegation('Chair'), 'agreed')).toBe(true);
    expect(canResolveBrackets(roleForDelegation(' secretariat '))).toBe(true);
    expect(canResolveBrackets(delegate)).toBe(false);
    expect(() => setParagraphStatus(doc, { paragraphId: 'gone', status: 'agreed', actor: CHAIR })).toThrow(ModelError);
  });
});

describe('concurrent negotiation on two replicas', () => {
  it('keeps both alternatives added at once to the same group, and both supporters', async () => {
    const { getBracketGroup } = await import('../../shared/model/brackets.js');
    const { addAlternative, supportOption } = await import('../../shared/model/bracket-proposals.js');
    const { syncBoth } = await import('../support/model-doc.js');
    const a = docWithParagraphs(['Member States shall ensure security']);
    const b = new Y.Doc();
    syncBoth(a, b);
    const { groupId, optionId } = createBracket(a, { paragraphId: 'p0', from: 20, to: 26, actor: EGYPT });
    syncBoth(a, b);
    addAlternative(a, { groupId, text: 'promote', actor: USA });
    addAlternative(b, { groupId, text: 'encourage', actor: CHINA });
    supportOption(a, { groupId, optionId, actor: KENYA });
    supportOption(b, { groupId, optionId, actor: BRAZIL });
    syncBoth(a, b);
    const ga = getBracketGroup(a, groupId);
    expect(ga.options).toEqual(getBracketGroup(b, groupId).options);
    expect(ga.options.map((o) => o.text).sort()).toEqual(['encourage', 'ensure', 'promote']);
    expect(ga.options[0]!.supporters).toEqual(['Brazil', 'Kenya']);
  });
});
