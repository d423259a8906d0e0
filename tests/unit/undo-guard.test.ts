import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { OTHERS_JOINED, undoRefusal } from '../../client/editor/extensions/undo-guard.js';
import { NEGOTIATION_ORIGIN } from '../../client/editor/negotiation-origin.js';
import { bracketGroups, getBracketGroup } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { body } from '../../shared/model/paragraphs.js';
import { EGYPT, KENYA, USA, docWithParagraphs, syncBoth } from '../support/model-doc.js';

/**
 * Ctrl+Z takes back this person's own negotiation operations. Taking back a
 * bracket or an alternative others have joined or supported since would take
 * their positions with it: the page refuses such an undo before the server
 * does (client/editor/extensions/undo-guard.ts).
 */

const TEXT = 'Member States shall ensure that spam is limited.';
const spam = { from: TEXT.indexOf('spam'), to: TEXT.indexOf('spam') + 4 };

/** Egypt's editor (its own Y.Doc and UndoManager, as the editor sets them up) and the room, synced by hand. */
function room() {
  const egypt = docWithParagraphs([TEXT]);
  const others = new Y.Doc();
  syncBoth(egypt, others);
  const undoManager = new Y.UndoManager([body(egypt), bracketGroups(egypt)], { trackedOrigins: new Set([NEGOTIATION_ORIGIN]) });
  const top = () => undoManager.undoStack[undoManager.undoStack.length - 1]!;
  return { egypt, others, undoManager, top };
}

describe('undoing a bracket others have built on', () => {
  it('lets Egypt take back a bracket nobody else is in, and the undo does take it back', () => {
    const { egypt, undoManager, top } = room();
    const { groupId } = createBracket(egypt, { paragraphId: 'p0', ...spam, actor: EGYPT }, NEGOTIATION_ORIGIN);
    expect(undoRefusal(egypt, top(), 'Egypt')).toBeNull();
    undoManager.undo();
    expect(bracketGroups(egypt).has(groupId)).toBe(false);
  });

  it('refuses once Kenya has bracketed the same text too', () => {
    const { egypt, others, top } = room();
    const { groupId } = createBracket(egypt, { paragraphId: 'p0', ...spam, actor: EGYPT }, NEGOTIATION_ORIGIN);
    syncBoth(egypt, others);
    joinBracket(others, { groupId, actor: KENYA });
    syncBoth(egypt, others);
    expect(getBracketGroup(egypt, groupId).bracketedBy.map((b) => b.delegation)).toEqual(['Egypt', 'Kenya']);
    expect(undoRefusal(egypt, top(), 'Egypt')).toBe(OTHERS_JOINED);
  });

  it('refuses taking back an alternative the United States supports, not one nobody else holds', () => {
    const { egypt, others, top } = room();
    const { groupId } = createBracket(others, { paragraphId: 'p0', ...spam, actor: KENYA });
    syncBoth(egypt, others);
    const { optionId } = addAlternative(egypt, { groupId, text: 'unsolicited email', actor: EGYPT }, NEGOTIATION_ORIGIN);
    expect(undoRefusal(egypt, top(), 'Egypt')).toBeNull();
    syncBoth(egypt, others);
    supportOption(others, { groupId, optionId, actor: USA });
    syncBoth(egypt, others);
    expect(undoRefusal(egypt, top(), 'Egypt')).toBe(OTHERS_JOINED);
  });

  it('does not refuse an undo that creates nothing others are in (typing elsewhere)', () => {
    const { egypt, others, top } = room();
    const { groupId } = createBracket(others, { paragraphId: 'p0', ...spam, actor: KENYA });
    syncBoth(egypt, others);
    joinBracket(others, { groupId, actor: USA });
    syncBoth(egypt, others);
    egypt.transact(() => (body(egypt).get(0) as Y.XmlElement).insert(1, [new Y.XmlText(' Noted.')]), NEGOTIATION_ORIGIN);
    expect(undoRefusal(egypt, top(), 'Egypt')).toBeNull();
  });
});
