import * as Y from 'yjs';
import { optionTextRefusal } from '../../shared/model/bracket-positions.js';
import { draftingMode } from '../../shared/model/drafting-mode.js';
import { presides } from '../../shared/model/permissions.js';
import { readBracketMark } from '../../shared/model/record-guards.js';
import { modeRefusal, openOption, type OptionCache, type Sender } from '../../shared/model/update-rules.js';
import { BRACKET_MARK } from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';

/**
 * Whose words the text typed by an update became, judged once it is applied.
 * Before, the check cannot know for sure which bracket typed text falls
 * into: Yjs decides from the formats around it as it integrates. After, one
 * pass over each text the update typed into reads the bracket in force at
 * every new character: an option's text is typed by its proponents only, the
 * original text of a bracket by nobody but the chair and the secretariat,
 * and outside open drafting a delegate's words must be in a proposal.
 */
export function typedTextProblem(doc: Y.Doc, transaction: Y.Transaction, sender: Sender): string | null {
  const chair = presides(sender.role);
  const mode = draftingMode(doc);
  const body = doc.getXmlFragment(BODY_FRAGMENT);
  const options: OptionCache = new Map();
  for (const type of transaction.changed.keys()) {
    if (!(type instanceof Y.XmlText) || !within(type as unknown as Y.AbstractType<unknown>, body as unknown as Y.AbstractType<unknown>)) continue;
    let mark: unknown = null;
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentFormat) {
        if (item.content.key === BRACKET_MARK) mark = item.content.value;
        continue;
      }
      if (item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0)) continue; // there before: not typed now
      const problem = typedProblem(doc, mark, sender, chair, mode, options);
      if (problem) return problem;
    }
  }
  return null;
}

function typedProblem(doc: Y.Doc, value: unknown, sender: Sender, chair: boolean, mode: ReturnType<typeof draftingMode>, options: OptionCache): string | null {
  const mark = readBracketMark(value);
  const option = mark && mark !== 'malformed' ? openOption(doc, mark.group, mark.option, options) : null;
  if (option) return optionTextRefusal(option, sender.delegation, chair);
  return chair || mode === 'open' ? null : modeRefusal(mode);
}

function within(type: Y.AbstractType<unknown>, root: Y.AbstractType<unknown>): boolean {
  for (let current: Y.AbstractType<unknown> | null = type; current; current = (current._item?.parent as Y.AbstractType<unknown>) ?? null) {
    if (current === root) return true;
  }
  return false;
}
