import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId, nowIso } from '../../shared/model/ids.js';
import {
  BLOCK_ID_ATTR,
  BRACKETS_MAP,
  BRACKET_MARK,
  BracketGroupKeys as G,
  BracketOptionKeys as O,
  COMMENTS_MAP,
  CommentMessageKeys as M,
  CommentThreadKeys as T,
  type Actor,
} from '../../shared/schema/negotiation.js';
import { BODY_FRAGMENT } from '../../shared/schema/ydoc.js';
import { applyToCopy, changeOf, freshClientId, itemsSetting, readParts, replaceContent, writeParts } from '../support/crafted-updates.js';
import { waitFor } from '../support/wait.js';
import {
  COMMENTER,
  EGYPT,
  INDEX,
  USA,
  hostileStage,
  negotiationFixture,
  record,
  records,
  type Fixture,
  type Who,
} from '../support/hostile-stage.js';

/**
 * Hostile clients, part one: the records of the negotiation (who proposed a
 * bracket, who wrote a comment, which text belongs to which option). Each
 * test is one attack a modified client can make with structs no Yjs API
 * produces, sent over the real websocket with a real invitation. Each must be
 * refused (permission denied, or the socket closed with a 4xxx code), never
 * relayed (the secretariat's client, connected throughout, does not see it),
 * never stored (a fresh client, and one after a restart, sees the records as
 * they were), and the server keeps serving everyone else. An attack that
 * rides on a legitimate change takes the legitimate part down with it: the
 * whole update is refused.
 */

/** A bracket group's record, as `createBracket` writes it, in the name of `actor`. */
function groupRecord(actor: Actor, paragraphId: string, optionId: string): Y.Map<unknown> {
  const options = new Y.Array<Y.Map<unknown>>();
  options.push([optionRecord(actor, optionId)]);
  return new Y.Map<unknown>([
    [G.paragraphId, paragraphId],
    [G.createdBy, { ...actor }],
    [G.createdAt, nowIso()],
    [G.status, 'open'],
    [G.options, options],
  ]);
}

/** An option's record, as `addAlternative` writes it, proposed by `actor`'s delegation. */
function optionRecord(actor: Actor, id: string): Y.Map<unknown> {
  return new Y.Map<unknown>([
    [O.id, id],
    [O.kind, 'text'],
    [O.proponents, new Y.Map<unknown>([[actor.delegation, { name: actor.name, at: nowIso() }]])],
    [O.supporters, new Y.Map<unknown>()],
    [O.note, ''],
    [O.createdBy, { ...actor }],
    [O.createdAt, nowIso()],
  ]);
}

/** A comment thread's record, as `addThread` writes it, with one message by `actor`. */
function threadRecord(actor: Actor, paragraphId: string, text: string): Y.Map<unknown> {
  const messages = new Y.Array<Y.Map<unknown>>();
  messages.push([
    new Y.Map<unknown>([
      [M.id, newId()],
      [M.author, { ...actor }],
      [M.at, nowIso()],
      [M.text, text],
    ]),
  ]);
  return new Y.Map<unknown>([
    [T.paragraphId, paragraphId],
    [T.createdAt, nowIso()],
    [T.status, 'open'],
    [T.messages, messages],
  ]);
}

const textOf = (doc: Y.Doc, index: number) => ((doc.getXmlFragment(BODY_FRAGMENT).get(index) as Y.XmlElement).get(0) as Y.XmlText);
const optionsOf = (doc: Y.Doc, groupId: string) => (doc.getMap(BRACKETS_MAP).get(groupId) as Y.Map<unknown>).get(G.options) as Y.Array<Y.Map<unknown>>;

describe('hostile clients cannot forge, overwrite or poison negotiation records', () => {
  const stage = hostileStage();
  let f: Fixture;
  afterEach(() => f?.close());

  /**
   * Sends `update` as `who` over a bare websocket and checks the whole
   * protocol answer: refused, not relayed, not stored, the server still
   * serving, and the same after a restart. Returns the document a fresh
   * client sees after the restart, for checks of the attack's own target.
   */
  async function expectRefused(who: Who, update: Uint8Array): Promise<Y.Doc> {
    const before = records(f.watcher.doc);
    const attacker = await f.hostile(who);
    attacker.sendUpdate(update);
    await f.expectRefusal(attacker, before);
    await f.expectUntouched(before);
    await f.expectStillServing();
    return f.expectSameAfterRestart();
  }

  it('1a. refuses a comment whose author is one map item holding two values, Egypt first and the United States last', async () => {
    // Egypt writes a new comment. Its `author` is a single Yjs map item whose
    // content holds two values: [Egypt, United States]. Yjs's Map.get returns
    // the last value, so everybody would read the comment as the United
    // States'; a check that reads the first value sees Egypt speaking for
    // itself. Attribution must be judged on the value Yjs will show.
    f = await negotiationFixture(stage);
    const parts = readParts(
      changeOf(f.watcher.doc, freshClientId(), (d) => {
        d.getMap(COMMENTS_MAP).set(newId(), threadRecord(EGYPT, 'p2', 'The United States withdraws its proposal'));
      }),
    );
    const [author] = itemsSetting(parts, M.author);
    replaceContent(parts, author!, new Y.ContentAny([{ ...EGYPT }, { ...USA }]));
    const forged = writeParts(parts);
    // On a plain Yjs document the new comment reads as the United States'.
    const { doc: probe } = applyToCopy(f.watcher.doc, forged);
    const authors = [...probe.getMap<Y.Map<unknown>>(COMMENTS_MAP).values()].map(
      (t) => ((t.get(T.messages) as Y.Array<Y.Map<unknown>>).get(0).get(M.author) as Actor).delegation,
    );
    expect(authors.filter((d) => d === 'United States')).toHaveLength(2);

    await expectRefused('egypt', forged);
  });

  it('1b. refuses a bracket whose group and option createdBy hold two values, Egypt first and the United States last', async () => {
    // Same forgery on a bracket: Egypt brackets words of p2 and the record
    // says the United States created the group and proposed the option.
    f = await negotiationFixture(stage);
    const groupId = newId();
    const optionId = newId();
    const parts = readParts(
      changeOf(f.watcher.doc, freshClientId(), (d) => {
        d.getMap(BRACKETS_MAP).set(groupId, groupRecord(EGYPT, 'p2', optionId));
        textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: { group: groupId, option: optionId } });
      }),
    );
    for (const createdBy of itemsSetting(parts, G.createdBy)) {
      replaceContent(parts, createdBy, new Y.ContentAny([{ ...EGYPT }, { ...USA }]));
    }
    const forged = writeParts(parts);
    const { doc: probe } = applyToCopy(f.watcher.doc, forged);
    const group = probe.getMap(BRACKETS_MAP).get(groupId) as Y.Map<unknown>;
    expect((group.get(G.createdBy) as Actor).delegation).toBe('United States');
    expect((optionsOf(probe, groupId).get(0).get(O.createdBy) as Actor).delegation).toBe('United States');
    await expectRefused('egypt', forged);
  });

  it('2a. refuses a map set that replaces the United States\' bracket group without deleting it (empty delete set)', async () => {
    // Egypt sets the key of the United States' group in `brackets` to a group
    // of its own. The new item's left origin is the current value, so Yjs
    // drops the old value on integration even though the update's delete set
    // is empty: the check sees only "a new group", the document loses the
    // United States' proposal. Overwriting a record is deleting it.
    f = await negotiationFixture(stage);
    const usGroupBefore = record(f.watcher.doc, BRACKETS_MAP, f.ids.usGroup);
    const parts = readParts(
      changeOf(f.watcher.doc, freshClientId(), (d) => {
        d.getMap(BRACKETS_MAP).set(f.ids.usGroup, groupRecord(EGYPT, 'p3', newId()));
        textOf(d, INDEX.p2).insert(0, 'Egypt typed this too. '); // a legitimate edit riding along
      }),
    );
    parts.deletes = [];
    const forged = writeParts(parts);
    // On a plain Yjs document the United States' group is gone, Egypt's stands under its key.
    const { doc: probe } = applyToCopy(f.watcher.doc, forged);
    expect(((probe.getMap(BRACKETS_MAP).get(f.ids.usGroup) as Y.Map<unknown>).get(G.createdBy) as Actor).delegation).toBe('Egypt');
    const stored = await expectRefused('egypt', forged);
    expect(record(stored, BRACKETS_MAP, f.ids.usGroup)).toBe(usGroupBefore);
  });

  it('2b. refuses a commenter\'s map set that replaces the United States\' comment thread (empty delete set)', async () => {
    // The same implicit overwrite on `comments`: a commenter replaces the
    // United States' thread with one of its own under the same thread id.
    f = await negotiationFixture(stage);
    const usThreadBefore = record(f.watcher.doc, COMMENTS_MAP, f.ids.usThread);
    const parts = readParts(
      changeOf(f.watcher.doc, freshClientId(), (d) => {
        d.getMap(COMMENTS_MAP).set(f.ids.usThread, threadRecord(COMMENTER, 'p3', 'Nothing to see here'));
      }),
    );
    parts.deletes = [];
    const forged = writeParts(parts);
    const { doc: probe } = applyToCopy(f.watcher.doc, forged);
    const messages = (probe.getMap(COMMENTS_MAP).get(f.ids.usThread) as Y.Map<unknown>).get(T.messages) as Y.Array<Y.Map<unknown>>;
    expect((messages.get(0).get(M.author) as Actor).delegation).toBe('Commenter');
    const stored = await expectRefused('commenter', forged);
    expect(record(stored, COMMENTS_MAP, f.ids.usThread)).toBe(usThreadBefore);
  });

  it('3a. refuses a new option that carries the id of the United States\' option, used to mark words as theirs', async () => {
    // Egypt adds an option to the United States' group whose `id` is the id
    // of the United States' own option, and in the same update marks other
    // words of p3 with { group: US group, option: that id }. The check lets
    // text into an option "this update proposes"; readers find the first
    // option with that id, the United States' one: Egypt's words would stand
    // as the United States' proposal. Option ids must be new.
    f = await negotiationFixture(stage);
    const usGroupBefore = record(f.watcher.doc, BRACKETS_MAP, f.ids.usGroup);
    const update = changeOf(f.watcher.doc, freshClientId(), (d) => {
      optionsOf(d, f.ids.usGroup).push([optionRecord(EGYPT, f.ids.usOption)]);
      // "building", after the United States' bracket on "capacity"
      textOf(d, INDEX.p3).format(33, 8, { [BRACKET_MARK]: { group: f.ids.usGroup, option: f.ids.usOption } });
    });
    // On a plain Yjs document "building" is now text of the United States' option.
    const { doc: probe } = applyToCopy(f.watcher.doc, update);
    expect(textOf(probe, INDEX.p3).toDelta()).toContainEqual({ insert: 'building', attributes: { [BRACKET_MARK]: { group: f.ids.usGroup, option: f.ids.usOption } } });
    const stored = await expectRefused('egypt', update);
    expect(record(stored, BRACKETS_MAP, f.ids.usGroup)).toBe(usGroupBefore);
  });

  it('3b. refuses taking down the United States\' group by withdrawing an own option whose id is that group\'s key', async () => {
    // Step 1: Egypt adds to the United States' group an option of its own
    // whose `id` equals the group's key. Step 2, one update: Egypt deletes
    // the whole group and strips its marks from the text. A delegation may
    // withdraw what only it proposed; with the colliding id, "Egypt's own
    // option" and "the United States' group" are the same string. Step 1 may
    // already be refused (an option id must not collide); step 2 must be.
    f = await negotiationFixture(stage);
    const usGroupBefore = record(f.watcher.doc, BRACKETS_MAP, f.ids.usGroup);
    const marksBefore = JSON.stringify(textOf(f.watcher.doc, INDEX.p3).toDelta());
    const attacker = await f.hostile('egypt');

    const before = records(f.watcher.doc);
    attacker.sendUpdate(changeOf(f.watcher.doc, freshClientId(), (d) => optionsOf(d, f.ids.usGroup).push([optionRecord(EGYPT, f.ids.usGroup)])));
    const step1 = await waitFor(
      () => (attacker.denials.length > 0 || attacker.closedWith ? 'refused' : optionsOf(f.watcher.doc, f.ids.usGroup).length === 2 ? 'accepted' : null),
      'step 1 to be refused or to reach the watcher',
      5_000,
    );
    if (step1 === 'refused') {
      await f.expectRefusal(attacker, before);
      await f.expectUntouched(before);
    } else {
      const withOption = records(f.watcher.doc);
      attacker.sendUpdate(
        changeOf(f.watcher.doc, freshClientId(), (d) => {
          d.getMap(BRACKETS_MAP).delete(f.ids.usGroup);
          textOf(d, INDEX.p3).format(0, textOf(d, INDEX.p3).length, { [BRACKET_MARK]: null });
        }),
      );
      await f.expectRefusal(attacker, withOption);
      await f.expectUntouched(withOption);
    }
    await f.expectStillServing();
    const stored = await f.expectSameAfterRestart();
    expect(JSON.stringify(textOf(stored, INDEX.p3).toDelta())).toBe(marksBefore);
    if (step1 === 'refused') expect(record(stored, BRACKETS_MAP, f.ids.usGroup)).toBe(usGroupBefore);
    else expect(stored.getMap(BRACKETS_MAP).has(f.ids.usGroup)).toBe(true);
  });

  it('4a. refuses a delegate\'s new bracket group that is an empty map ("poison")', async () => {
    // brackets.set('poison', new Y.Map()): a group with no options, no
    // paragraph, no author. Readers that list brackets throw on it, so one
    // delegate would break every screen. A new record must match the schema.
    f = await negotiationFixture(stage);
    const update = changeOf(f.watcher.doc, freshClientId(), (d) => {
      d.getMap(BRACKETS_MAP).set('poison', new Y.Map());
      textOf(d, INDEX.p2).insert(0, 'Egypt typed this too. ');
    });
    const stored = await expectRefused('egypt', update);
    expect(stored.getMap(BRACKETS_MAP).has('poison')).toBe(false);
  });

  it('4b. refuses a commenter\'s new comment thread that is an empty map ("poison")', async () => {
    // The same on `comments` from a commenter, who may otherwise add threads.
    f = await negotiationFixture(stage);
    const update = changeOf(f.watcher.doc, freshClientId(), (d) => d.getMap(COMMENTS_MAP).set('poison', new Y.Map()));
    const stored = await expectRefused('commenter', update);
    expect(stored.getMap(COMMENTS_MAP).has('poison')).toBe(false);
  });

  it('7. refuses giving an open paragraph the id of an agreed one, and honest edits of that paragraph still work', async () => {
    // Egypt sets p2's `id` attribute to "p1", the agreed paragraph. Two
    // paragraphs would share an id: comments and brackets would hang on the
    // wrong one, and p2 itself would count as agreed, locking out every
    // delegation that edits it next. Block ids are never reused.
    f = await negotiationFixture(stage);
    const update = changeOf(f.watcher.doc, freshClientId(), (d) => {
      (d.getXmlFragment(BODY_FRAGMENT).get(INDEX.p2) as Y.XmlElement).setAttribute(BLOCK_ID_ATTR, 'p1');
    });
    // expectRefused has the United States type in p2 right after the refusal.
    const stored = await expectRefused('egypt', update);
    expect((stored.getXmlFragment(BODY_FRAGMENT).get(INDEX.p2) as Y.XmlElement).getAttribute(BLOCK_ID_ATTR)).toBe('p2');
  });

  /**
   * 11. The bracket mark must be `{ group, option }` naming a group that
   * exists (or that the same update creates) with that option, in the
   * paragraph the text is in. Each case is one update from Egypt marking
   * words it may otherwise bracket.
   */
  const badMarks: Array<{ name: string; why: string; make: (f: Fixture, d: Y.Doc) => void }> = [
    {
      name: 'a bracket mark with no option',
      why: 'text in a group but in no option: counted by no proponent, shown as nobody\'s',
      make: (f, d) => textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: { group: f.ids.egyptGroup } }),
    },
    {
      name: 'a string as the bracket mark',
      why: 'readers expect an object: a string is no bracket and must not pass as one',
      make: (_f, d) => textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: 'Egypt' }),
    },
    {
      name: 'a bracket mark naming a group that does not exist, with an option the update declares elsewhere',
      why: 'the option is Egypt\'s, declared in its own group, but the mark names a group nobody created',
      make: (f, d) => {
        const optionId = newId();
        optionsOf(d, f.ids.egyptGroup).push([optionRecord(EGYPT, optionId)]);
        textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: { group: 'no-such-group', option: optionId } });
      },
    },
    {
      name: 'a bracket mark naming an option that does not exist',
      why: 'text in an option that is in no record',
      make: (f, d) => textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: { group: f.ids.egyptGroup, option: 'no-such-option' } }),
    },
    {
      name: 'a bracket mark naming Egypt\'s own group and option from another paragraph',
      why: 'a group\'s options stand side by side in one paragraph (its paragraphId, p0); this text is in p2',
      make: (f, d) => textOf(d, INDEX.p2).format(0, 4, { [BRACKET_MARK]: { group: f.ids.egyptGroup, option: f.ids.egyptOption } }),
    },
  ];
  for (const { name, why, make } of badMarks) {
    it(`11. refuses ${name} (${why})`, async () => {
      f = await negotiationFixture(stage);
      const p2Before = JSON.stringify(textOf(f.watcher.doc, INDEX.p2).toDelta());
      const stored = await expectRefused('egypt', changeOf(f.watcher.doc, freshClientId(), (d) => make(f, d)));
      // Only the legitimate edit made after the refusal is in p2, unmarked.
      const p2 = textOf(stored, INDEX.p2).toDelta() as Array<{ insert: string; attributes?: object }>;
      expect(p2.filter((op) => op.attributes)).toEqual(JSON.parse(p2Before).filter((op: { attributes?: object }) => op.attributes));
    });
  }
});
