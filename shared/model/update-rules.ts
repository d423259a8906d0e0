import * as Y from 'yjs';
import {
  BLOCK_ID_ATTR,
  BLOCK_NUM_ATTR,
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  BracketOptionKeys as O,
  COMMENTS_MAP,
  CommentMessageKeys as M,
  CommentThreadKeys as T,
  CHANGES_MAP,
  DraftingModeSetting,
  FocusSetting,
  PARAGRAPHS_MAP,
  SETTINGS_MAP,
  SettingKeys,
  type Actor,
  type DraftingMode,
} from '../schema/negotiation.js';
import type { Role } from '../schema/roles.js';
import { BODY_FRAGMENT, TEXT_BLOCKS } from '../schema/ydoc.js';
import { readGroup } from './record-guards.js';
import { optionTextRefusal } from './bracket-positions.js';
import { draftingMode } from './drafting-mode.js';
import { paragraphStatus } from './paragraph-status.js';
import { canComment, canEditParagraph, canEditText, presides } from './permissions.js';
import type { Effect } from './update-effects.js';
import { referenceProblem } from './update-references.js';
import { judgeBrackets, newOptionIds, withdrawnProposals, type Withdrawn } from './bracket-rules.js';
import { speaksFor, type Sender } from './sender.js';

/**
 * The rules every incoming update is checked against, effect by effect, before
 * the server applies it. An update is accepted whole or refused whole, with the
 * first reason found.
 */

export type { Sender } from './sender.js';
export type Verdict = { ok: true } | { ok: false; reason: string };

const textBlocks = new Set<string>(TEXT_BLOCKS);

export function judgeUpdate(doc: Y.Doc, effects: Effect[], sender: Sender): Verdict {
  if (effects.length === 0) return { ok: true };
  if (sender.role === 'observer') return { ok: false, reason: 'Observers cannot change the document' };
  // Ids and references first: the rules below find records by them.
  const broken = referenceProblem(doc, effects);
  if (broken) return { ok: false, reason: broken };
  const context: Context = {
    newOptions: newOptionIds(effects),
    withdrawn: withdrawnProposals(effects, sender),
    mode: draftingMode(doc),
    typedInto: textsTypedInto(effects),
    options: new Map(),
  };
  for (const effect of effects) {
    const reason = judge(doc, effect, sender, context);
    if (reason) return { ok: false, reason };
  }
  return { ok: true };
}

/** What the update as a whole does, which single effects are judged in the light of. */
type Context = {
  /** Options this update proposes (their attribution is checked on their own fields). */
  newOptions: Set<string>;
  /** Groups and options this update withdraws that are the sender's own alone (an undo of one's proposal). */
  withdrawn: Withdrawn;
  /** The drafting mode in force (a mode change is the chair's or the secretariat's, who type in any mode). */
  mode: DraftingMode;
  /** Texts of the body this update types into: Yjs frames typed text with formats, which are part of the typing. */
  typedInto: Set<unknown>;
  options: OptionCache;
};

function textsTypedInto(effects: Effect[]): Set<unknown> {
  const texts = new Set<unknown>();
  for (const e of effects) {
    if (e.root === BODY_FRAGMENT && e.op === 'insert' && (e.content.kind === 'text' || e.content.kind === 'embed')) texts.add(e.path[e.path.length - 1]?.existing);
  }
  return texts;
}

export const CHANGE_RECORD_IS_THE_SERVERS = 'The record of who changed what is written by the server';

function judge(doc: Y.Doc, effect: Effect, sender: Sender, context: Context): string | null {
  if (effect.content.kind === 'deleted') return null;
  switch (effect.root) {
    case BODY_FRAGMENT:
      return judgeBody(doc, effect, sender, context);
    case PARAGRAPHS_MAP:
      if (!presides(sender.role)) return 'Only the chair or the secretariat change the status of a paragraph';
      return effect.op === 'insert' && effect.path.length === 0 ? speaksFor(effect.content.kind === 'value' ? (effect.content.value as { by?: unknown })?.by : undefined, sender) : null;
    case SETTINGS_MAP:
      return judgeSetting(effect, sender);
    case CHANGES_MAP:
      return CHANGE_RECORD_IS_THE_SERVERS;
    case BRACKETS_MAP:
      return canEditText(sender.role) ? judgeBrackets(effect, sender, context.withdrawn) : `Your role (${sender.role}) cannot propose text`;
    case COMMENTS_MAP:
      return canComment(sender.role) ? judgeComments(effect, sender) : `Your role (${sender.role}) cannot comment`;
    case '(garbage-collected)':
      return null;
    default:
      return presides(sender.role) ? null : `Unknown part of the document: ${effect.root}`;
  }
}

// ---- body ----

function judgeBody(doc: Y.Doc, effect: Effect, sender: Sender, { newOptions, withdrawn, mode, typedInto, options }: Context): string | null {
  if (!canEditText(sender.role)) return `Your role (${sender.role}) cannot edit the text`;
  const locked = lockedBlockIn(doc, effect, sender.role);
  if (locked) return `Paragraph ${locked} is agreed: only the chair or the secretariat can change it`;
  if (effect.textMark !== undefined) return judgeDeletedText(doc, effect.textMark, sender, { withdrawn, mode, options });
  if (!presides(sender.role) && mode !== 'open' && !proposalShaped(effect, typedInto)) return modeRefusal(mode);
  if (effect.content.kind !== 'format' || effect.content.key !== BRACKET_MARK) return null;
  const inForce = effect.bracket?.inForce;
  const ownWithdrawal = inForce && (withdrawn.groups.has(inForce.group) || withdrawn.options.has(inForce.option));
  const mark = effect.content.value as { group?: unknown; option?: unknown } | null;
  // Two delegations bracketing overlapping words at the same moment: the later
  // one's new bracket takes over the words both marked. Its text stays, as it
  // would if the words were retyped in the new bracket, which anyone may do.
  const intoNewBracket = !!mark && typeof mark.option === 'string' && newOptions.has(mark.option);
  if (effect.bracket?.reattributes && !presides(sender.role) && !ownWithdrawal && !intoNewBracket) {
    return 'Only the chair or the secretariat can remove brackets or move text between options';
  }
  const newAttribution = mark && typeof mark.option === 'string' && effect.bracket?.inForce?.option !== mark.option;
  if (effect.op === 'insert' && newAttribution && typeof mark.option === 'string') {
    const own = newOptions.has(mark.option) || proposes(doc, String(mark.group), mark.option, sender.delegation);
    if (!own && !presides(sender.role)) return `Text can only be bracketed as an option proposed by ${sender.delegation}`;
  }
  return null;
}

/**
 * Outside open drafting a delegate's change to the body is a bracket (a
 * bracket format), typed text (whose bracket is judged once applied: see
 * server/check/verify-text.ts), or the formats Yjs frames typed text with;
 * new paragraphs, deleted paragraphs and other formatting are the pen
 * holder's.
 */
function proposalShaped(effect: Effect, typedInto: Set<unknown>): boolean {
  const { content } = effect;
  if (content.kind === 'format') return content.key === BRACKET_MARK || typedInto.has(effect.path[effect.path.length - 1]?.existing);
  return effect.op === 'insert' && (content.kind === 'text' || content.kind === 'embed');
}

/** Why a delegate may not type this way in the mode in force (raw text edits are proposals or the pen holder's). */
export function modeRefusal(mode: DraftingMode): string {
  return mode === 'proposals'
    ? 'In proposals mode changes to the text are proposals: bracket the words, or propose an insertion, a deletion or an alternative'
    : 'The chair holds the pen: bracket words, propose alternatives in the bracket card, or comment';
}

/**
 * Text deleted from the body: plain text in open drafting; an option's text
 * by its proponents (or in withdrawing one's own proposal); the original text
 * of an open bracket by nobody but the chair and the secretariat.
 */
function judgeDeletedText(
  doc: Y.Doc,
  mark: { group: string; option: string } | null,
  sender: Sender,
  { withdrawn, mode, options }: Pick<Context, 'withdrawn' | 'mode' | 'options'>,
): string | null {
  const chair = presides(sender.role);
  const option = mark ? openOption(doc, mark.group, mark.option, options) : null;
  if (!option || !mark) return chair || mode === 'open' ? null : modeRefusal(mode);
  if (withdrawn.groups.has(mark.group) || withdrawn.options.has(mark.option)) return null;
  return optionTextRefusal(option, sender.delegation, chair);
}

type OptionText = { kind: string; proponents: string[] };
/** Groups already read while judging one update (a big deletion inside one bracket asks about it for every piece). */
export type OptionCache = Map<string, Map<string, OptionText> | null>;

/** An option of an open group, as the text rules read it (null when the mark points nowhere, or the group is resolved). */
export function openOption(doc: Y.Doc, groupId: string, optionId: string, cache: OptionCache = new Map()): OptionText | null {
  let options = cache.get(groupId);
  if (options === undefined) {
    const group = readGroup(groupId, doc.getMap<unknown>(BRACKETS_MAP).get(groupId));
    options = group && group.fields.status === 'open' ? new Map(group.options.map((o) => [o.fields.id, { kind: o.fields.kind, proponents: o.proponents }])) : null;
    cache.set(groupId, options);
  }
  return options?.get(optionId) ?? null;
}

/** The document's settings (drafting mode, paragraph under discussion): the chair's or the secretariat's, in their own name. */
function judgeSetting(effect: Effect, sender: Sender): string | null {
  if (!presides(sender.role)) return 'Only the chair or the secretariat change how the document is drafted or which paragraph is under discussion';
  if (effect.op === 'delete') return null;
  const schema = effect.key === SettingKeys.draftingMode ? DraftingModeSetting : effect.key === SettingKeys.focus ? FocusSetting : null;
  if (effect.path.length !== 0 || !schema) return `Unknown setting ${String(effect.key)}`;
  const parsed = schema.safeParse(effect.content.kind === 'value' ? effect.content.value : undefined);
  if (!parsed.success) return effect.key === SettingKeys.focus ? 'The paragraph under discussion is { paragraphId, anchor, by, at }' : 'A drafting mode is { mode, by, at }';
  return speaksFor(parsed.data.by, sender);
}

/** The number (or id) of an agreed paragraph the effect would change, if the sender may not. */
function lockedBlockIn(doc: Y.Doc, effect: Effect, role: Role): string | null {
  const blocks = effect.path.filter((step) => step.nodeName !== null && textBlocks.has(step.nodeName) && step.existing);
  if (effect.op === 'delete' && effect.content.kind === 'type' && effect.content.existing instanceof Y.XmlElement) {
    blocks.push({ key: null, typeName: 'xmlElement', nodeName: effect.content.nodeName, existing: effect.content.existing });
    for (const nested of nestedBlocks(effect.content.existing)) {
      blocks.push({ key: null, typeName: 'xmlElement', nodeName: nested.nodeName, existing: nested });
    }
  }
  for (const step of blocks) {
    const element = step.existing as Y.XmlElement;
    const id = element.getAttribute(BLOCK_ID_ATTR) as unknown;
    if (typeof id !== 'string') continue;
    if (!canEditParagraph(role, paragraphStatus(doc, id))) {
      return (element.getAttribute(BLOCK_NUM_ATTR) as string | undefined) ?? id;
    }
  }
  return null;
}

function nestedBlocks(element: Y.XmlElement): Y.XmlElement[] {
  const found: Y.XmlElement[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlElement) found.push(child, ...nestedBlocks(child));
  }
  return found;
}

function proposes(doc: Y.Doc, groupId: string, optionId: string, delegation: string): boolean {
  const group = doc.getMap<Y.Map<unknown>>(BRACKETS_MAP).get(groupId);
  const options = group?.get(G.options);
  if (!(options instanceof Y.Array)) return false;
  const option = (options.toArray() as Y.Map<unknown>[]).find((o) => o.get(O.id) === optionId);
  const proponents = option?.get(O.proponents);
  return proponents instanceof Y.Map && proponents.has(delegation);
}

// ---- comments map: threads > messages ----

function judgeComments(effect: Effect, sender: Sender): string | null {
  const chair = presides(sender.role);
  const [thread, , message] = effect.path;
  const value = effect.content.kind === 'value' ? effect.content.value : undefined;
  switch (effect.path.length) {
    case 0:
      return effect.op === 'insert' || chair ? null : 'Comment threads are resolved, not deleted';
    case 1: {
      const isNew = thread!.existing === null;
      if (effect.key === T.statusBy) return speaksFor(value, sender);
      if (effect.key === T.status || effect.key === T.statusAt) return null;
      if (effect.key === T.paragraphId || effect.key === T.createdAt || effect.key === T.messages) {
        return isNew || chair ? null : 'A thread stays on its paragraph';
      }
      return chair ? null : `Unknown thread field ${String(effect.key)}`;
    }
    case 2:
      return effect.op === 'insert' || chair ? null : 'Comments are deleted by their authors, not removed';
    case 3: {
      if (message!.existing === null) return effect.key === M.author ? speaksFor(value, sender) : null;
      const author = (message!.existing as Y.Map<unknown>).get(M.author) as Actor | undefined;
      if (author?.delegation !== sender.delegation) return 'Only its author edits or deletes a comment';
      return effect.key === M.text || effect.key === M.editedAt || effect.key === M.deleted ? null : 'A comment keeps its author and time';
    }
    default:
      return chair ? null : 'Unknown part of a comment';
  }
}
