import type * as Y from 'yjs';
import type { BracketMarkAttrs } from '../schema/negotiation.js';

// Any shared type: maps, arrays, XML elements and texts alike.
// biome-ignore lint/suspicious/noExplicitAny: AbstractType is invariant in its event type: no other type argument fits them all.
type AnyType = Y.AbstractType<any>;

/**
 * What one incoming update would do to a document, described before it is
 * applied: the server derives these from the update's structs and checks them
 * against the rules (update-rules.ts). Each effect is one insertion or one
 * deletion, located by the path of shared types from a root down.
 */

/** One step down from a root: a map key or an element of a sequence. */
export type PathStep = {
  /** The map key (or attribute name) under which this type sits; null inside a sequence. */
  key: string | null;
  /** 'map', 'array', 'xmlElement', 'xmlText', 'xmlFragment', 'text'. */
  typeName: string;
  /** The XML node name ('paragraph', 'bulletList'...), for XML elements. */
  nodeName: string | null;
  /** The type as it is in the document now, or null when this update creates it. */
  existing: AnyType | null;
};

export type EffectContent =
  | { kind: 'text' }
  | { kind: 'embed' }
  | { kind: 'format'; key: string; value: unknown }
  | { kind: 'type'; typeName: string; nodeName: string | null; existing: AnyType | null }
  | { kind: 'value'; value: unknown }
  | { kind: 'deleted' };

export type Effect = {
  op: 'insert' | 'delete';
  root: string;
  path: PathStep[];
  /** The map key or XML attribute set/removed; null for sequence content. */
  key: string | null;
  content: EffectContent;
  /**
   * For a `bracket` format in the body: the bracket in force where it lands
   * (before this update), and whether it changes the bracket of text that is
   * already there. Formats that only frame text typed in the same update, or
   * whose text is deleted with them, change nothing already there.
   */
  bracket?: { inForce: BracketMarkAttrs | null; reattributes: boolean };
  /** For text (or an inline node) the update deletes from the body: the bracket mark it carries (null: plain text). */
  textMark?: BracketMarkAttrs | null;
};

export type UpdateDescription =
  /** `implicit`: existing values the update overwrites without listing them in its delete set (Yjs deletes them anyway). */
  | { ok: true; effects: Effect[]; implicit: ReadonlySet<Y.Item> }
  /** The update depends on changes the server does not have (never received, or refused). */
  | { ok: false; reason: string };
