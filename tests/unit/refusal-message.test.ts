import { describe, expect, it } from 'vitest';
import { reasonParagraph, refusalMessage } from '../../client/collab/refusal-message.js';

const AGREED = 'Paragraph 3.2 is agreed: only the chair or the secretariat can change it';
const CHANGED = 'Paragraph 3.2 changed since you looked: review and agree again';
const PROPOSALS = 'In proposals mode changes to the text are proposals: bracket the words, or propose an insertion, a deletion or an alternative';

describe('the message for a change the server refused', () => {
  it('says which edit was not kept and that the paragraph was agreed meanwhile', () => {
    expect(refusalMessage(AGREED, { paragraph: '3.2', offline: true })).toBe('Your edit to 3.2 was not kept: 3.2 was agreed while you were offline.');
    expect(refusalMessage(AGREED, { paragraph: '3.2', offline: false })).toBe(
      'Your edit to 3.2 was not kept: 3.2 is agreed, and only the chair or the secretariat can change it.',
    );
    expect(refusalMessage('Paragraph p-7f3 is agreed: only the chair or the secretariat can change it', { paragraph: null, offline: true })).toBe(
      'Your edit was not kept: the paragraph was agreed while you were offline.',
    );
  });

  it('tells the chair that an agreement of a changed paragraph was not recorded', () => {
    const expected = '3.2 changed since you looked: review and agree again. Your agreement was not recorded.';
    expect(refusalMessage(CHANGED, { paragraph: '3.2', offline: true })).toBe(expected);
    expect(refusalMessage('3.2 changed since you looked: review and agree again', { paragraph: '3.2', offline: false })).toBe(expected);
    expect(refusalMessage('This paragraph changed since you looked: review and agree again', { paragraph: null, offline: false })).toBe(
      'The paragraph changed since you looked: review and agree again. Your agreement was not recorded.',
    );
    expect(refusalMessage('Paragraph 3.2 was marked agreed without the text agreed', { paragraph: '3.2', offline: false })).toBe(
      'Your agreement of 3.2 was not recorded: this page is of an older version. Reload it, then agree again.',
    );
  });

  it('names a lettered item as the room does, not by its bare letter', () => {
    const reason = 'Paragraph b) is agreed: only the chair or the secretariat can change it';
    expect(reasonParagraph(reason)).toBe('b)');
    expect(refusalMessage(reason, { paragraph: '3.5 b)', offline: true })).toBe('Your edit to 3.5 b) was not kept: 3.5 b) was agreed while you were offline.');
    expect(refusalMessage('Paragraph b) stays as agreed by the room', { paragraph: '3.5 b)', offline: false })).toBe(
      'Your change to 3.5 b) was not kept. Paragraph 3.5 b) stays as agreed by the room.',
    );
  });

  it('keeps a plain sentence of the server whole, after what was not kept', () => {
    expect(refusalMessage(PROPOSALS, { paragraph: '3.4', offline: false })).toBe(`Your edit to 3.4 was not kept. ${PROPOSALS}.`);
    expect(refusalMessage('The chair holds the pen: bracket words, propose alternatives in the bracket card, or comment', { paragraph: null, offline: false })).toBe(
      'Your last edit was not kept. The chair holds the pen: bracket words, propose alternatives in the bracket card, or comment.',
    );
    expect(refusalMessage('Only the proponents of an option write its note', { paragraph: '3.3', offline: false })).toBe(
      'Your change to 3.3 was not kept. Only the proponents of an option write its note.',
    );
    expect(refusalMessage('Egypt can hold one position in a bracket: supporting or proposing another option moves it', { paragraph: null, offline: false })).toBe(
      'Your last change was not kept. Egypt can hold one position in a bracket: supporting or proposing another option moves it.',
    );
  });

  it('replaces the sentences only a developer could read', () => {
    for (const reason of [
      'No option o-12 in bracket group g-4',
      'Paragraph id p-3 is already used by another paragraph',
      'This change leaves a malformed brackets record (options)',
      'A bracket mark names a bracket group and one of its options',
      'This change would delete more than it says',
    ]) {
      const message = refusalMessage(reason, { paragraph: '3.2', offline: false });
      expect(message).toBe('Your last change was not kept: the server could not accept it in the form this page sent it. It was not something you did.');
      expect(reasonParagraph(reason)).toBeNull();
    }
    expect(refusalMessage('This change builds on changes the server does not have (an earlier change may have been refused): reload the document', { paragraph: null, offline: true })).toBe(
      'Your last change was not kept: it built on an earlier change of yours that the server did not accept.',
    );
  });

  it('finds the paragraph a reason names, and none in a reason that names none', () => {
    expect(reasonParagraph(AGREED)).toBe('3.2');
    expect(reasonParagraph(CHANGED)).toBe('3.2');
    expect(reasonParagraph('Paragraph 3.5 b) changed since you looked: review and agree again')).toBe('3.5 b)');
    expect(reasonParagraph('3.5 b) changed since you looked: review and agree again')).toBe('3.5 b)');
    expect(reasonParagraph('This paragraph changed since you looked: review and agree again')).toBeNull();
    expect(reasonParagraph(PROPOSALS)).toBeNull();
    expect(reasonParagraph('Only the chair or the secretariat change the status of a paragraph')).toBeNull();
  });
});
