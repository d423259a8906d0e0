import { z } from 'zod';

/**
 * The negotiation layer of a document, stored beside the body in the same
 * Y.Doc (see README, "Document format"). Text lives in the body; who proposed
 * what, statuses and comments live in these maps, keyed by ids that the body
 * carries.
 */

/** Y.Map<paragraphId, ParagraphMeta>: status of each paragraph (absent = open). */
export const PARAGRAPHS_MAP = 'paragraphs';
/** Y.Map<groupId, Y.Map>: one entry per bracket group (see BracketGroupKeys). */
export const BRACKETS_MAP = 'brackets';
/** Y.Map<threadId, Y.Map>: one entry per comment thread (see CommentThreadKeys). */
export const COMMENTS_MAP = 'comments';
/** Y.Map<key, value>: settings of the whole document, set by the chair or the secretariat (see SettingKeys). */
export const SETTINGS_MAP = 'settings';
/**
 * Y.Map<paragraphId, ParagraphChange[]>: who changed each paragraph lately.
 * Written by the server alone, from the connection each change arrived on:
 * no participant can write it, so it cannot be forged.
 */
export const CHANGES_MAP = 'changes';

/** Block attributes in the body: a stable id, and the visible paragraph number as typed ("1.2.3", "a)"). */
export const BLOCK_ID_ATTR = 'id';
export const BLOCK_NUM_ATTR = 'num';
/** Indentation level of a sub-item (1, 2...); its number is a label under the paragraph above, not a section number. */
export const BLOCK_INDENT_ATTR = 'indent';

/** The mark (Y.XmlText formatting attribute) on the text of a bracket option: `{ group, option }`. */
export const BRACKET_MARK = 'bracket';
export const BracketMarkAttrs = z.object({ group: z.string().min(1), option: z.string().min(1) });
export type BracketMarkAttrs = z.infer<typeof BracketMarkAttrs>;

export const Delegation = z.string().trim().min(1).max(80);
export const PersonName = z.string().trim().min(1).max(80);

/** Who did something: a person speaking for a delegation ("Chair" and "Secretariat" are delegations too). */
export const Actor = z.object({ name: PersonName, delegation: Delegation });
export type Actor = z.infer<typeof Actor>;

export const ParagraphStatus = z.enum(['open', 'agreed', 'agreed-ad-ref']);
export type ParagraphStatus = z.infer<typeof ParagraphStatus>;

export const ParagraphMeta = z.object({
  status: ParagraphStatus,
  by: Actor,
  at: z.string(),
  /**
   * The paragraph's text when it was agreed (statuses other than open): what
   * the chair saw. The server refuses an agreement whose text is not the
   * paragraph's; a paragraph whose text differs from it is not agreed.
   */
  text: z.string().nullish(),
});
export type ParagraphMeta = z.infer<typeof ParagraphMeta>;

/** Keys of a bracket group's Y.Map. */
export const BracketGroupKeys = {
  paragraphId: 'paragraphId', // string
  createdBy: 'createdBy', // Actor
  createdAt: 'createdAt', // ISO string
  status: 'status', // 'open' | 'resolved'
  bracketedBy: 'bracketedBy', // Y.Map<delegation, Position>: who put the original text in brackets (absent in groups made before it existed)
  options: 'options', // Y.Array<Y.Map> (see BracketOptionKeys), in display order
  resolution: 'resolution', // Resolution, once resolved
} as const;

/** Keys of a bracket option's Y.Map. */
export const BracketOptionKeys = {
  id: 'id', // string, also the `option` of the text's bracket mark
  kind: 'kind', // 'original' | 'text' | 'delete' (the original text has no proponents; the empty "delete" option has no text)
  proponents: 'proponents', // Y.Map<delegation, { name, at }>
  supporters: 'supporters', // Y.Map<delegation, { name, at }>
  note: 'note', // string ('' when none)
  createdBy: 'createdBy', // Actor
  createdAt: 'createdAt', // ISO string
} as const;

export const BracketStatus = z.enum(['open', 'resolved']);
export type BracketStatus = z.infer<typeof BracketStatus>;
/**
 * `original`: the text as it stood when it was bracketed (the first option,
 * proposed by nobody; delegations may support keeping it). `text`: an
 * alternative wording, proposed by its proponents. `delete`: the proposal to
 * drop the text (no text of its own).
 */
export const OptionKind = z.enum(['original', 'text', 'delete']);
export type OptionKind = z.infer<typeof OptionKind>;

/** A delegation's entry in `bracketedBy`, `proponents` or `supporters`: who spoke for it, and when. */
export const Position = z.object({ name: PersonName, at: z.string() });
export type Position = z.infer<typeof Position>;

export const ResolutionOutcome = z.enum(['chosen', 'deleted', 'compromise']);
export type ResolutionOutcome = z.infer<typeof ResolutionOutcome>;

/** What was on the table when a group was resolved, kept for the record. */
export const ResolvedOption = z.object({
  id: z.string(),
  label: z.string(),
  kind: OptionKind,
  text: z.string(),
  proponents: z.array(z.string()),
  supporters: z.array(z.string()),
});
export type ResolvedOption = z.infer<typeof ResolvedOption>;

export const Resolution = z.object({
  outcome: ResolutionOutcome,
  by: Actor,
  at: z.string(),
  /** The option chosen (outcome "chosen"). */
  chosenOptionId: z.string().nullable(),
  /** The text that stayed in the paragraph ('' when the group was deleted). */
  keptText: z.string(),
  /** Every option as it stood, the chosen one included. */
  options: z.array(ResolvedOption),
  /** Who had bracketed the original text (absent in records made before it existed). */
  bracketedBy: z.array(z.string()).nullish(),
});
export type Resolution = z.infer<typeof Resolution>;

/**
 * The plain fields of a bracket group's Y.Map, as readers accept them (its
 * `options` Y.Array is checked apart: zod does not know Yjs types). An entry
 * that does not match is skipped and reported, never trusted.
 */
export const BracketGroupFields = z.object({
  paragraphId: z.string().min(1),
  createdBy: Actor,
  createdAt: z.string(),
  status: BracketStatus,
  resolution: Resolution.nullish(),
});
export type BracketGroupFields = z.infer<typeof BracketGroupFields>;

/** The plain fields of a bracket option's Y.Map (`proponents` and `supporters` are Y.Maps, checked apart). */
export const BracketOptionFields = z.object({
  id: z.string().min(1),
  kind: OptionKind,
  note: z.string().nullish(),
  createdBy: Actor,
  createdAt: z.string().nullish(),
});
export type BracketOptionFields = z.infer<typeof BracketOptionFields>;

/** Keys of a comment thread's Y.Map. */
export const CommentThreadKeys = {
  paragraphId: 'paragraphId', // string
  createdAt: 'createdAt', // ISO string
  status: 'status', // 'open' | 'resolved'
  statusBy: 'statusBy', // Actor of the last resolve/reopen
  statusAt: 'statusAt',
  messages: 'messages', // Y.Array<Y.Map> (see CommentMessageKeys)
} as const;

/** Keys of a comment message's Y.Map. */
export const CommentMessageKeys = {
  id: 'id',
  author: 'author', // Actor
  at: 'at', // ISO string
  text: 'text', // string ('' once deleted)
  editedAt: 'editedAt', // ISO string, when edited
  deleted: 'deleted', // true once deleted by its author
} as const;

export const ThreadStatus = z.enum(['open', 'resolved']);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

/** The plain fields of a comment thread's Y.Map (`messages` is a Y.Array, checked apart). */
export const CommentThreadFields = z.object({
  paragraphId: z.string().min(1),
  createdAt: z.string(),
  status: ThreadStatus,
  statusBy: Actor.nullish(),
  statusAt: z.string().nullish(),
});
export type CommentThreadFields = z.infer<typeof CommentThreadFields>;

/** A comment message's Y.Map, as readers accept it. */
export const CommentMessageFields = z.object({
  id: z.string().min(1),
  author: Actor,
  at: z.string(),
  text: z.string(),
  editedAt: z.string().nullish(),
  deleted: z.boolean().nullish(),
});
export type CommentMessageFields = z.infer<typeof CommentMessageFields>;

/**
 * How the text may be changed (SettingKeys.draftingMode): `open`, everyone
 * with edit rights types in open paragraphs; `proposals`, a delegate's typing
 * becomes bracketed proposals (insertions, deletions, replacements) of its
 * delegation; `pen-holder`, only the chair and the secretariat type, and
 * delegates bracket, propose in the card and comment.
 */
export const DraftingMode = z.enum(['open', 'proposals', 'pen-holder']);
export type DraftingMode = z.infer<typeof DraftingMode>;

/** Keys of the settings map. */
export const SettingKeys = {
  draftingMode: 'draftingMode', // DraftingModeSetting
  focus: 'focus', // FocusSetting: the paragraph under discussion
} as const;

export const DraftingModeSetting = z.object({ mode: DraftingMode, by: Actor, at: z.string() });
export type DraftingModeSetting = z.infer<typeof DraftingModeSetting>;

/**
 * The paragraph under discussion, set by the chair or the secretariat: its
 * stable id, and optionally where in it (a Yjs relative position, base64),
 * so edits elsewhere never move it. Followers and the plenary screen go there.
 */
export const FocusSetting = z.object({
  paragraphId: z.string().min(1).max(200),
  anchor: z.string().max(400).nullish(),
  by: Actor,
  at: z.string(),
});
export type FocusSetting = z.infer<typeof FocusSetting>;

/** One line of a paragraph's change record: which delegation changed it, when (the last time in a row), how. */
export const ParagraphChange = z.object({
  delegation: Delegation,
  name: PersonName,
  at: z.string(),
  kind: z.enum(['edited', 'deleted']),
});
export type ParagraphChange = z.infer<typeof ParagraphChange>;
/** A paragraph keeps its last few changes. */
export const PARAGRAPH_CHANGES_KEPT = 5;
export const ParagraphChanges = z.array(ParagraphChange).max(PARAGRAPH_CHANGES_KEPT);

export const CommentText = z.string().trim().min(1, 'a comment cannot be empty').max(10_000);
