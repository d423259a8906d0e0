import type * as Y from 'yjs';
import { DraftingModeSetting, SETTINGS_MAP, SettingKeys, type Actor, type DraftingMode } from '../schema/negotiation.js';
import { nowIso } from './ids.js';

/**
 * How the text of a document may be changed (README, "Drafting modes"): set
 * by the chair or the secretariat, shown in the header, enforced by the
 * server on every update whatever client sends it.
 */

/** The raw map: its values are not trusted (read them through draftingMode). */
export function settings(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(SETTINGS_MAP);
}

/** The mode in force, and who set it; open drafting when unset or unreadable. */
export function draftingModeSetting(doc: Y.Doc): DraftingModeSetting | null {
  const parsed = DraftingModeSetting.safeParse(settings(doc).get(SettingKeys.draftingMode));
  return parsed.success ? parsed.data : null;
}

export function draftingMode(doc: Y.Doc): DraftingMode {
  return draftingModeSetting(doc)?.mode ?? 'open';
}

export function setDraftingMode(doc: Y.Doc, input: { mode: DraftingMode; actor: Actor }, origin?: unknown): void {
  const setting: DraftingModeSetting = { mode: input.mode, by: { name: input.actor.name, delegation: input.actor.delegation }, at: nowIso() };
  doc.transact(() => settings(doc).set(SettingKeys.draftingMode, setting), origin);
}

export const DRAFTING_MODE_LABELS: Record<DraftingMode, { name: string; hint: string }> = {
  open: { name: 'Open drafting', hint: 'Everyone with edit rights types in open paragraphs; every change is recorded with its delegation.' },
  proposals: {
    name: 'Proposals',
    hint: 'Delegates’ typing does not change the text: insertions, deletions and replacements become bracketed proposals of their delegation.',
  },
  'pen-holder': { name: 'Pen holder', hint: 'Only the chair and the secretariat type; delegations bracket, propose alternatives in the card and comment.' },
};

/** May this person type freely in open paragraphs under the mode? (Presiding roles always may.) */
export function typesFreely(mode: DraftingMode, presiding: boolean): boolean {
  return presiding || mode === 'open';
}
