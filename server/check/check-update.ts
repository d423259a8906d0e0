import type * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { canComment } from '../../shared/model/permissions.js';
import { judgeUpdate, type Sender } from '../../shared/model/update-rules.js';
import { CheckBudget, DecodedUpdate } from './decoded-update.js';
import { describeSteps } from './describe-update.js';
import { READ_ONLY, screenUpdate, type OwnerOf } from './screen-update.js';
import { touchedParagraphs, type TouchedParagraphs } from './touched-paragraphs.js';
import { damagedRecordIn, recordRuleProblem, touchedRecords, type TouchedRecords } from './verify-records.js';
import { typedTextProblem } from './verify-text.js';

/** An update that passed the check, with what applying it must do and nothing more. */
export type AcceptedUpdate = {
  ok: true;
  decoded: DecodedUpdate;
  /** Yjs client ids the sender writes under for the first time: bound to it once the update is applied. */
  newClients: number[];
  /** Existing values the update overwrites without listing them (Yjs deletes them on integration). */
  implicit: ReadonlySet<Y.Item>;
  /** Records of the negotiation maps it writes into: verified well formed once applied. */
  touched: TouchedRecords;
  /** Paragraphs whose text it changes or that it deletes, for the record of who changed what. */
  paragraphs: TouchedParagraphs;
  /** Who sends it: the result is judged in their name too. */
  sender: Sender;
};
export type CheckedUpdate = AcceptedUpdate | { ok: false; reason: string };

const nobodyOwns: OwnerOf = () => undefined;

/**
 * The "check" step of the pipeline: may this sender make this change? Cheap
 * struct-level rules first (role, client ids, content kinds, dependencies),
 * so an observer's or an attacker's big message costs one decoding pass; then
 * the update is described against the live document and judged with the
 * shared rules. Presiding roles skip nothing: attribution is checked for
 * everyone. Throws only when Yjs cannot read the update at all.
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, sender: Sender, ownerOf: OwnerOf = nobodyOwns): CheckedUpdate {
  const steps = checkSteps(doc, update, sender, ownerOf);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same check as steps: it pauses (yields) between decoding, describing
 * and judging, so a caller can run a big update's steps in separate turns of
 * the event loop. The document must not change until the last step.
 */
export function* checkSteps(doc: Y.Doc, update: Uint8Array, sender: Sender, ownerOf: OwnerOf = nobodyOwns): Generator<void, CheckedUpdate> {
  // An observer adds nothing: any struct at all is refused before the update is decoded (one varUint read).
  if (!canComment(sender.role) && structClients(update) > 0) return { ok: false, reason: READ_ONLY };
  const decoded = new DecodedUpdate(update);
  yield;
  const screened = screenUpdate(doc, decoded, sender, ownerOf);
  if (!screened.ok) return screened;
  yield;
  const described = yield* describeSteps(doc, decoded, CheckBudget.forUpdate(decoded));
  if (!described.ok) return described;
  yield;
  const verdict = judgeUpdate(doc, described.effects, sender);
  if (!verdict.ok) return verdict;
  return { ok: true, decoded, newClients: screened.newClients, implicit: described.implicit, touched: touchedRecords(described.effects), paragraphs: touchedParagraphs(described.effects), sender };
}

/**
 * The checks of the applied result that only the result can answer (see
 * applyChecked): records well formed, positions and agreements as the rules
 * want them, typed words in the right hands.
 */
export function verifyApplied(doc: Y.Doc, accepted: AcceptedUpdate, transaction: Y.Transaction): string | null {
  return (
    damagedRecordIn(doc, accepted.touched) ?? recordRuleProblem(doc, accepted.touched) ?? typedTextProblem(doc, transaction, accepted.sender)
  );
}

/**
 * How many clients' structs an update (format v1) carries: its first varUint.
 * A stock provider of a read-only role sends none (its sync step 2 holds only
 * the delete set the server already has).
 */
function structClients(update: Uint8Array): number {
  try {
    return decoding.readVarUint(decoding.createDecoder(update));
  } catch {
    return 0; // unreadable: Yjs's own decoder says so, with its message
  }
}
