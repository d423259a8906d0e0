import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listBracketGroups, type GroupView } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { markOf } from '../../shared/model/bracket-marks.js';
import { optionTextRefusal } from '../../shared/model/bracket-positions.js';
import { textRuns } from '../../shared/model/text-runs.js';
import { addThread, listThreads, reply } from '../../shared/model/comments.js';
import { ModelError } from '../../shared/model/errors.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { BRACKETS_MAP, COMMENTS_MAP, type Actor } from '../../shared/schema/negotiation.js';
import { PARTIES, negotiationServer, type CheckedServer } from '../support/check-harness.js';
import { gc, readParts, replaceContent, writeParts } from '../support/crafted-updates.js';
import { EGYPT, USA } from '../support/model-doc.js';

/**
 * Random sequences of what a delegation does (type, bracket, propose an
 * alternative, support, comment, reply), run through the real check. In its
 * own name each is accepted; the same operation naming another delegation, or
 * its update tampered with at the struct level (an overwrite of another's
 * record, a map entry with two values, an id taken from another's record, a
 * GC struct on another's client id), is refused and the document stays byte
 * for byte what it was.
 */

type Op =
  | { kind: 'type'; paragraph: number; at: number; text: string }
  | { kind: 'bracket'; paragraph: number; from: number; length: number }
  | { kind: 'alternative'; text: string }
  | { kind: 'support' }
  | { kind: 'thread'; paragraph: number; text: string }
  | { kind: 'reply'; text: string };

type Tamper = 'name-another' | 'overwrite' | 'two-values' | 'colliding-id' | 'gc';

const words = fc.stringMatching(/^[a-z]{1,8}( [a-z]{1,8}){0,2}$/);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('type' as const), paragraph: fc.constantFrom(0, 2, 3), at: fc.nat(30), text: words }),
  fc.record({ kind: fc.constant('bracket' as const), paragraph: fc.constantFrom(2, 3), from: fc.nat(10), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('alternative' as const), text: words }),
  fc.record({ kind: fc.constant('support' as const) }),
  fc.record({ kind: fc.constant('thread' as const), paragraph: fc.constantFrom(0, 2, 3), text: words }),
  fc.record({ kind: fc.constant('reply' as const), text: words }),
);
const tamper = fc.constantFrom<Tamper>('name-another', 'overwrite', 'two-values', 'colliding-id', 'gc');

/** Runs `op` on a delegation's copy; false when the model itself declines it (overlapping brackets...). */
function perform(doc: Y.Doc, o: Op, actor: Actor): boolean {
  try {
    const groups = listBracketGroups(doc).filter((g) => g.status === 'open');
    const threads = listThreads(doc);
    switch (o.kind) {
      case 'type': {
        const block = listBlocks(doc).filter((b) => b.id === `p${o.paragraph}`)[0];
        const text = block?.element.get(0) as Y.XmlText | undefined;
        if (!text) return false;
        const at = Math.min(o.at, text.length);
        // Yjs gives typed text the formats of the character before it: typing there joins that bracket option.
        if (!mayTypeAt(block!.element, at, groups, actor)) return false;
        text.insert(at, o.text);
        return true;
      }
      case 'bracket':
        createBracket(doc, { paragraphId: `p${o.paragraph}`, from: o.from, to: o.from + o.length, actor });
        return true;
      case 'alternative':
        if (!groups[0]) return false;
        addAlternative(doc, { groupId: groups[0].id, text: o.text, actor });
        return true;
      case 'support': {
        const option = groups.flatMap((g) => g.options.map((opt) => ({ g, opt }))).find(({ opt }) => !opt.proponents.includes(actor.delegation) && !opt.supporters.includes(actor.delegation));
        if (!option) return false;
        supportOption(doc, { groupId: option.g.id, optionId: option.opt.id, actor });
        return true;
      }
      case 'thread':
        addThread(doc, { paragraphId: `p${o.paragraph}`, text: o.text, actor });
        return true;
      case 'reply':
        if (!threads[0]) return false;
        reply(doc, { threadId: threads[0].id, text: o.text, actor });
        return true;
    }
  } catch (err) {
    if (err instanceof ModelError) return false;
    throw err;
  }
}

/** May the actor type at this offset: not into another delegation's option, nor into bracketed original text. */
function mayTypeAt(element: Y.XmlElement, at: number, groups: GroupView[], actor: Actor): boolean {
  const before = textRuns(element).find((r) => r.start < at && at <= r.start + r.insert.length);
  const mark = before && markOf(before);
  const option = mark && groups.find((g) => g.id === mark.group)?.options.find((x) => x.id === mark.option);
  return !option || optionTextRefusal(option, actor.delegation, false) === null;
}

type UsaIds = { thread: string; message: string; option: string; group: string };

function snapshot(server: CheckedServer): string {
  return Buffer.from(Y.encodeStateAsUpdate(server.doc)).toString('base64');
}

/** The hostile version of a legitimate update, or null when this tampering does not apply to it. */
function tampered(server: CheckedServer, legit: Uint8Array, how: Tamper, usaIds: UsaIds, comment: boolean): Uint8Array | null {
  const parts = readParts(legit);
  const values = parts.structs.filter((s): s is Y.Item => s instanceof Y.Item && s.content instanceof Y.ContentAny);
  switch (how) {
    case 'overwrite': {
      const map = new Y.Doc();
      Y.applyUpdate(map, Y.encodeStateAsUpdate(server.doc));
      map.clientID = PARTIES.egypt.clientId;
      const before = Y.encodeStateVector(map);
      map.getMap(COMMENTS_MAP).set(usaIds.thread, new Y.Map());
      const overwrite = readParts(Y.encodeStateAsUpdate(map, before));
      overwrite.deletes = [];
      return writeParts(overwrite);
    }
    case 'two-values': {
      const target = values.find((v) => (v.content as Y.ContentAny).arr.length === 1 && typeof (v.content as Y.ContentAny).arr[0] === 'object');
      if (!target || target.parentSub === null) return null;
      replaceContent(parts, target, new Y.ContentAny([(target.content as Y.ContentAny).arr[0], { name: USA.name, delegation: USA.delegation, at: '2026-01-01' }]));
      return writeParts(parts);
    }
    case 'colliding-id': {
      const id = values.find((v) => v.parentSub === 'id');
      if (!id) return null;
      // An id the United States' records already use, in the same namespace (comments or brackets).
      replaceContent(parts, id, new Y.ContentAny([comment ? usaIds.message : usaIds.option]));
      return writeParts(parts);
    }
    case 'gc':
      parts.structs.push(gc(PARTIES.usa.clientId, Y.getState(server.doc.store, PARTIES.usa.clientId), 3));
      return writeParts(parts);
    case 'name-another':
      return null; // built from the operation itself
  }
}

describe('checkUpdate, property: a delegation can act in its own name only', () => {
  it('accepts its own operations and refuses every forged or tampered variant, changing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(op, tamper), { minLength: 1, maxLength: 8 }), (steps) => {
        const { server, ids } = negotiationServer();
        const message = listThreads(server.doc).find((t) => t.id === ids.usaThread)!.messages[0]!.id;
        const usaIds: UsaIds = { thread: ids.usaThread, message, option: ids.usaOption, group: ids.group };
        const egypt = PARTIES.egypt;
        for (const [o, how] of steps) {
          let possible = true;
          const legit = server.change(egypt, (d) => {
            possible = perform(d, o, EGYPT);
          });
          if (!possible) continue;
          const hostile =
            how === 'name-another'
              ? server.change(egypt, (d) => void perform(d, o, { name: 'Someone', delegation: USA.delegation }))
              : tampered(server, legit, how, usaIds, o.kind === 'thread' || o.kind === 'reply');
          // Typing names nobody: as another delegation it is the same keystroke.
          if (hostile && !(how === 'name-another' && o.kind === 'type')) {
            const before = snapshot(server);
            const verdict = server.send(egypt, hostile);
            expect(verdict.ok, `${how} of ${o.kind} must be refused`).toBe(false);
            expect(snapshot(server)).toBe(before);
          }
          const verdict = server.send(egypt, legit);
          expect(verdict, `${o.kind} in Egypt's own name`).toEqual({ ok: true });
        }
        // The United States' records are as it left them.
        const usaOption = (server.doc.getMap(BRACKETS_MAP).get(ids.group) as Y.Map<unknown>).toJSON().options.find((x: { id: string }) => x.id === ids.usaOption);
        expect(usaOption.proponents).toHaveProperty([USA.delegation]);
        expect(usaOption.createdBy).toEqual({ name: USA.name, delegation: USA.delegation });
        const usaThread = (server.doc.getMap(COMMENTS_MAP).get(ids.usaThread) as Y.Map<unknown>).toJSON();
        expect(usaThread.messages[0].author).toEqual({ name: USA.name, delegation: USA.delegation });
      }),
      { numRuns: 40 },
    );
  });
});
