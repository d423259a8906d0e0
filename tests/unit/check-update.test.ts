import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BRACKETS_MAP, BRACKET_MARK, BLOCK_ID_ATTR, COMMENTS_MAP, type Actor } from '../../shared/schema/negotiation.js';
import { addAlternative, createBracket } from '../../shared/model/bracket-proposals.js';
import { addThread } from '../../shared/model/comments.js';
import { textRuns } from '../../shared/model/text-runs.js';
import { gc, item, itemsSetting, readParts, replaceContent, writeParts } from '../support/crafted-updates.js';
import { PARTIES, block, expectRefused, negotiationServer, type CheckedServer } from '../support/check-harness.js';
import { EGYPT, USA } from '../support/model-doc.js';

const { egypt, usa, observer, commenter, chair } = PARTIES;

function typeInto(doc: Y.Doc, id: string, text: string): void {
  (block(doc, id).get(0) as Y.XmlText).insert(0, text);
}

/** A change written under `clientId` although that id's structs are already there (Yjs itself would pick a new id on sync). */
function underId(server: CheckedServer, clientId: number, change: (doc: Y.Doc) => void): Uint8Array {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(server.doc));
  scratch.clientID = clientId;
  const before = Y.encodeStateVector(scratch);
  change(scratch);
  return Y.encodeStateAsUpdate(scratch, before);
}

describe('checkUpdate: who may add anything, under which client ids', () => {
  it('accepts a delegate typing in an open paragraph, and binds a fresh client id to it', () => {
    const { server } = negotiationServer();
    expect(server.send(egypt, server.change(egypt, (d) => typeInto(d, 'p2', 'Egypt: ')))).toEqual({ ok: true });
    expect(server.send(egypt, server.change(egypt, (d) => typeInto(d, 'p2', 'again '), 31))).toEqual({ ok: true });
    expect(server.owners.get(31)).toBe(egypt.sender.principal);
  });

  it("answers an observer's stock sync step 2 that holds nothing new", () => {
    const { server } = negotiationServer();
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(server.doc));
    expect(server.send(observer, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(server.doc)))).toEqual({ ok: true });
  });

  it('refuses any struct from an observer, GC structs included', () => {
    const { server } = negotiationServer();
    expectRefused(server, observer, server.change(observer, (d) => typeInto(d, 'p2', 'x')), /Observers cannot change/);
    expectRefused(server, observer, writeParts({ structs: [gc(777, 0, 50)], deletes: [] }), /Observers cannot change/);
    // GC on another client's next clocks: what would make that client's offline edit vanish.
    const next = Y.getState(server.doc.store, egypt.clientId);
    expectRefused(server, observer, writeParts({ structs: [gc(egypt.clientId, next, 5)], deletes: [] }), /Observers cannot change/);
  });

  it("refuses structs under another participant's client id, or under an unowned id that already has structs", () => {
    const { server } = negotiationServer();
    expectRefused(server, egypt, underId(server, usa.clientId, (d) => typeInto(d, 'p2', 'x')), /another participant/);
    const next = Y.getState(server.doc.store, usa.clientId);
    expectRefused(server, egypt, writeParts({ structs: [gc(usa.clientId, next, 3)], deletes: [] }), /another participant/);
    server.owners.delete(usa.clientId);
    expectRefused(server, egypt, underId(server, usa.clientId, (d) => typeInto(d, 'p2', 'x')), /another participant/);
  });

  it('refuses a clock gap, a skip and a forward origin as building on what the server does not have', () => {
    const { server } = negotiationServer();
    const parts = readParts(server.change(egypt, (d) => typeInto(d, 'p2', 'abc')));
    for (const s of parts.structs) s.id = Y.createID(s.id.client, s.id.clock + 5);
    expectRefused(server, egypt, writeParts(parts), /builds on changes the server does not have/);
    const skip = new Y.Skip(Y.createID(egypt.clientId, Y.getState(server.doc.store, egypt.clientId)), 2);
    expectRefused(server, egypt, writeParts({ structs: [skip], deletes: [] }), /builds on changes/);
    const start = Y.getState(server.doc.store, egypt.clientId);
    const text = block(server.doc, 'p2').get(0) as Y.XmlText;
    const first = item({ id: Y.createID(egypt.clientId, start), parent: Y.createID(text._item!.id.client, text._item!.id.clock), content: new Y.ContentString('a') });
    const second = item({ id: Y.createID(egypt.clientId, start + 1), origin: Y.createID(egypt.clientId, start + 5), content: new Y.ContentString('b') });
    expectRefused(server, egypt, writeParts({ structs: [first, second], deletes: [] }), /comes after it/);
  });

  it('refuses content kinds the document format does not use', () => {
    const { server } = negotiationServer();
    const parts = readParts(server.change(egypt, (d) => typeInto(d, 'p2', 'a')));
    replaceContent(parts, parts.structs[0] as Y.Item, new Y.ContentBinary(new Uint8Array([1, 2, 3])));
    expectRefused(server, egypt, writeParts(parts), /not part of the document format/);
  });
});

describe('checkUpdate: judged by what Yjs will do', () => {
  it('refuses a map entry holding two values (Yjs reads the last one)', () => {
    const { server } = negotiationServer();
    const parts = readParts(server.change(egypt, (d) => addThread(d, { paragraphId: 'p2', text: 'Mine', actor: EGYPT })));
    const author = itemsSetting(parts, 'author')[0]!;
    replaceContent(parts, author, new Y.ContentAny([{ ...EGYPT }, { ...USA }]));
    expectRefused(server, egypt, writeParts(parts), /exactly one value/);
  });

  it("judges an overwrite as the deletion of the value in force, with or without it in the delete set", () => {
    const { server, ids } = negotiationServer();
    const overwrite = server.change(egypt, (d) => d.getMap(COMMENTS_MAP).set(ids.usaThread, new Y.Map()));
    expectRefused(server, egypt, overwrite, /resolved, not deleted|already used/);
    const parts = readParts(overwrite);
    parts.deletes = [];
    expectRefused(server, egypt, writeParts(parts), /resolved, not deleted|already used/);
    const group = server.change(egypt, (d) => d.getMap(BRACKETS_MAP).set(ids.group, new Y.Map()));
    const stripped = readParts(group);
    stripped.deletes = [];
    expectRefused(server, egypt, writeParts(stripped), /Only the chair|already used/);
    expectRefused(server, commenter, server.change(commenter, (d) => d.getMap(COMMENTS_MAP).set(ids.egyptThread, new Y.Map())), /resolved, not deleted|already used/);
  });

  it('refuses colliding ids: an option with another delegation’s option id, or with a group’s key', () => {
    const { server, ids } = negotiationServer();
    const withId = (id: string) => {
      const parts = readParts(server.change(egypt, (d) => addAlternative(d, { groupId: ids.group, text: 'safeguard', actor: EGYPT })));
      const idItem = parts.structs.find((s): s is Y.Item => s instanceof Y.Item && s.parentSub === 'id')!;
      replaceContent(parts, idItem, new Y.ContentAny([id]));
      return writeParts(parts);
    };
    expectRefused(server, egypt, withId(ids.usaOption), /already used/);
    expectRefused(server, egypt, withId(ids.group), /already used/);
  });

  it('refuses a poisoned record: an empty map as a bracket group or a thread', () => {
    const { server } = negotiationServer();
    expectRefused(server, egypt, server.change(egypt, (d) => d.getMap(BRACKETS_MAP).set('poison', new Y.Map())), /malformed/);
    expectRefused(server, commenter, server.change(commenter, (d) => d.getMap(COMMENTS_MAP).set('poison', new Y.Map())), /malformed/);
    expectRefused(server, egypt, server.change(egypt, (d) => d.getMap(BRACKETS_MAP).set('poison', 'text')), /malformed|exactly one value/);
  });

  it("refuses giving an open paragraph an agreed one's id, and any duplicate paragraph id", () => {
    const { server } = negotiationServer();
    expectRefused(server, egypt, server.change(egypt, (d) => block(d, 'p2').setAttribute(BLOCK_ID_ATTR, 'p1')), /already used/);
    const copy = server.change(egypt, (d) => {
      const p = new Y.XmlElement('paragraph');
      p.setAttribute(BLOCK_ID_ATTR, 'p3');
      p.insert(0, [new Y.XmlText('A copy')]);
      d.getXmlFragment('default').push([p]);
    });
    expectRefused(server, egypt, copy, /already used/);
    expectRefused(server, chair, server.change(chair, (d) => block(d, 'p2').setAttribute(BLOCK_ID_ATTR, 'p3')), /already used/);
    // Moving ids (as an editor does when it splits a paragraph) stays possible.
    expect(
      server.send(chair, server.change(chair, (d) => {
        block(d, 'p2').setAttribute(BLOCK_ID_ATTR, 'p9');
      })),
    ).toEqual({ ok: true });
  });

  it('refuses bracket marks that do not name an existing group and option of that paragraph', () => {
    const { server, ids } = negotiationServer();
    const mark = (id: string, value: unknown) =>
      server.change(egypt, (d) => (block(d, id).get(0) as Y.XmlText).format(0, 4, { [BRACKET_MARK]: value }));
    expectRefused(server, egypt, mark('p2', { group: ids.group }), /names a bracket group/);
    expectRefused(server, egypt, mark('p2', 'a string'), /names a bracket group/);
    expectRefused(server, egypt, mark('p2', { group: 'nope', option: ids.egyptOption }), /No bracket group/);
    expectRefused(server, egypt, mark('p2', { group: ids.group, option: `${ids.usaOption}x` }), /No option/);
    expectRefused(server, egypt, mark('p2', { group: ids.group, option: ids.egyptOption }), /belongs to one paragraph/);
  });

  it('accepts the model operations of a delegation in its own name', () => {
    const { server, ids } = negotiationServer();
    const send = (change: (d: Y.Doc) => void) => server.send(egypt, server.change(egypt, change));
    expect(send((d) => createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT }))).toEqual({ ok: true });
    expect(send((d) => addAlternative(d, { groupId: ids.group, text: 'protect', actor: EGYPT }))).toEqual({ ok: true });
    expect(send((d) => addThread(d, { paragraphId: 'p0', text: 'Our view', actor: EGYPT }))).toEqual({ ok: true });
    const runs = textRuns(block(server.doc, 'p3'));
    expect(runs.some((r) => r.attributes[BRACKET_MARK])).toBe(true);
  });

  it('refuses a record naming another delegation, whoever sends it', () => {
    const { server } = negotiationServer();
    const forged: Actor = { name: 'Someone', delegation: 'United States' };
    expectRefused(server, egypt, server.change(egypt, (d) => addThread(d, { paragraphId: 'p2', text: 'x', actor: forged })), /only speak for Egypt/);
    expectRefused(server, egypt, server.change(egypt, (d) => createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: forged })), /only speak for Egypt|proposed by Egypt/);
  });
});
