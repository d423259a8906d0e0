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
  PARAGRAPHS_MAP,
  type Actor,
} from '../schema/negotiation.js';
import type { Role } from '../schema/roles.js';
import { BODY_FRAGMENT, TEXT_BLOCKS } from '../schema/ydoc.js';
import { paragraphStatus } from './paragraph-status.js';
import { canComment, canEditParagraph, canEditText, presides } from './permissions.js';
import type { Effect } from './update-effects.js';
import { referenceProblem } from './update-references.js';

/**
 * The rules every incoming update is checked against, effect by effect, before
 * the server applies it. An update is accepted whole or refused whole, with the
 * first reason found.
 */

/** `principal`: the invitation or account behind the connection (who owns the Yjs client ids it writes under). */
export type Sender = { role: Role; delegation: string; principal: string };
export type Verdict = { ok: true } | { ok: false; reason: string };

const textBlocks = new Set<string>(TEXT_BLOCKS);

export function judgeUpdate(doc: Y.Doc, effects: Effect[], sender: Sender): Verdict {
  if (effects.length === 0) return { ok: true };
  if (sender.role === 'observer') return { ok: false, reason: 'Observers cannot change the document' };
  // Ids and references first: the rules below find records by them.
  const broken = referenceProblem(doc, effects);
  if (broken) return { ok: false, reason: broken };
  const context: Context = { newOptions: newOptionIds(effects), withdrawn: withdrawnProposals(effects, sender) };
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
};

function judge(doc: Y.Doc, effect: Effect, sender: Sender, context: Context): string | null {
  if (effect.content.kind === 'deleted') return null;
  switch (effect.root) {
    case BODY_FRAGMENT:
      return judgeBody(doc, effect, sender, context);
    case PARAGRAPHS_MAP:
      return presides(sender.role) ? null : 'Only the chair or the secretariat change the status of a paragraph';
    case BRACKETS_MAP:
      return canEditText(sender.role) ? judgeBrackets(effect, sender, context) : `Your role (${sender.role}) cannot propose text`;
    case COMMENTS_MAP:
      return canComment(sender.role) ? judgeComments(effect, sender) : `Your role (${sender.role}) cannot comment`;
    case '(garbage-collected)':
      return null;
    default:
      return presides(sender.role) ? null : `Unknown part of the document: ${effect.root}`;
  }
}

// ---- body ----

function judgeBody(doc: Y.Doc, effect: Effect, sender: Sender, { newOptions, withdrawn }: Context): string | null {
  if (!canEditText(sender.role)) return `Your role (${sender.role}) cannot edit the text`;
  const locked = lockedBlockIn(doc, effect, sender.role);
  if (locked) return `Paragraph ${locked} is agreed: only the chair or the secretariat can change it`;
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

// ---- brackets map: groups > options > proponents/supporters ----

/**
 * A delegation may take back what only it proposed (Ctrl+Z on its own
 * bracket or alternative): an open group whose options are all its own, or
 * one such option. Anything others proposed or supported stays.
 */
/** Group keys and option ids are kept apart: an option must not withdraw a group by sharing its id. */
type Withdrawn = { groups: Set<string>; options: Set<string> };

function withdrawnProposals(effects: Effect[], sender: Sender): Withdrawn {
  const withdrawn: Withdrawn = { groups: new Set(), options: new Set() };
  for (const e of effects) {
    if (e.root !== BRACKETS_MAP || e.op !== 'delete' || e.content.kind !== 'type' || !(e.content.existing instanceof Y.Map)) continue;
    const target = e.content.existing as Y.Map<unknown>;
    if (e.path.length === 0 && e.key && onlyOwnGroup(target, sender)) withdrawn.groups.add(e.key);
    if (e.path.length === 2 && onlyOwnOption(target, sender) && (e.path[0]!.existing as Y.Map<unknown>).get(G.status) === 'open') {
      const id = target.get(O.id);
      if (typeof id === 'string') withdrawn.options.add(id);
    }
  }
  return withdrawn;
}

function onlyOwnOption(option: Y.Map<unknown>, sender: Sender): boolean {
  const proponents = option.get(O.proponents);
  const supporters = option.get(O.supporters);
  const own = (m: unknown) => m instanceof Y.Map && [...m.keys()].every((k) => k === sender.delegation);
  return own(proponents) && own(supporters) && (proponents as Y.Map<unknown>).has(sender.delegation);
}

function onlyOwnGroup(group: Y.Map<unknown>, sender: Sender): boolean {
  const options = group.get(G.options);
  return (
    group.get(G.status) === 'open' &&
    (group.get(G.createdBy) as Actor | undefined)?.delegation === sender.delegation &&
    options instanceof Y.Array &&
    (options.toArray() as Y.Map<unknown>[]).every((o) => onlyOwnOption(o, sender))
  );
}

function newOptionIds(effects: Effect[]): Set<string> {
  const ids = new Set<string>();
  for (const e of effects) {
    if (e.root === BRACKETS_MAP && e.op === 'insert' && e.path.length === 3 && e.key === O.id && e.content.kind === 'value') {
      ids.add(String(e.content.value));
    }
  }
  return ids;
}

function judgeBrackets(effect: Effect, sender: Sender, { withdrawn }: Context): string | null {
  const chair = presides(sender.role);
  const onlyChair = 'Only the chair or the secretariat resolve or remove brackets';
  const [group, , option, entries] = effect.path;
  const value = effect.content.kind === 'value' ? effect.content.value : undefined;
  const optionId = option?.existing instanceof Y.Map ? String(option.existing.get(O.id)) : null;
  if (effect.op === 'delete' && ((group && withdrawn.groups.has(String(group.key))) || (optionId && withdrawn.options.has(optionId)))) return null;
  switch (effect.path.length) {
    case 0: // a whole group
      return effect.op === 'insert' || chair || withdrawn.groups.has(String(effect.key)) ? null : onlyChair;
    case 1: {
      const isNew = group!.existing === null;
      if (effect.key === G.createdBy) return speaksFor(value, sender) ?? (isNew || chair ? null : onlyChair);
      if (effect.key === G.status) return chair || (isNew && effect.op === 'insert' && value === 'open') ? null : onlyChair;
      if (effect.key === G.resolution) return chair ? null : onlyChair;
      if (effect.key === G.paragraphId || effect.key === G.createdAt || effect.key === G.options) {
        return isNew || chair ? null : onlyChair;
      }
      return chair ? null : `Unknown bracket field ${String(effect.key)}`;
    }
    case 2: {
      // an option in a group's list
      const option = effect.content.kind === 'type' ? (effect.content.existing as Y.Map<unknown> | null) : null;
      return effect.op === 'insert' || chair || (option && withdrawn.options.has(String(option.get(O.id)))) ? null : onlyChair;
    }
    case 3: {
      const isNew = option!.existing === null;
      if (effect.key === O.createdBy) return speaksFor(value, sender);
      if (effect.key === O.note) {
        const proponents = option!.existing instanceof Y.Map ? option!.existing.get(O.proponents) : undefined;
        const own = isNew || (proponents instanceof Y.Map && proponents.has(sender.delegation));
        return own || chair ? null : 'Only the proponents of an option write its note';
      }
      if (effect.key === O.id || effect.key === O.kind || effect.key === O.createdAt || effect.key === O.proponents || effect.key === O.supporters) {
        return isNew || chair ? null : onlyChair;
      }
      return chair ? null : `Unknown option field ${String(effect.key)}`;
    }
    case 4: {
      if (effect.key !== sender.delegation) return `You can only speak for ${sender.delegation}, not for ${String(effect.key)}`;
      if (entries!.key === O.proponents && option!.existing !== null && !chair) {
        return 'Proponents are named when an option is proposed; support it instead';
      }
      return null;
    }
    default:
      return chair ? null : 'Unknown part of a bracket';
  }
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

/** Attribution fields (proposed by, written by) must name the sender's own delegation. */
function speaksFor(value: unknown, sender: Sender): string | null {
  const delegation = (value as Partial<Actor> | undefined)?.delegation;
  return delegation === sender.delegation ? null : `You can only speak for ${sender.delegation}, not for ${String(delegation)}`;
}
