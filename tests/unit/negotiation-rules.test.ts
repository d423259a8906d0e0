import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bracketGroups } from '../../shared/model/brackets.js';
import { addAlternative, createBracket, joinBracket, proposeInsertion, supportOption, withdrawBracket } from '../../shared/model/bracket-proposals.js';
import { setDraftingMode } from '../../shared/model/drafting-mode.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { blockText } from '../../shared/model/paragraphs.js';
import { BracketGroupKeys as G, BracketOptionKeys as O, CHANGES_MAP, PARAGRAPHS_MAP, type Actor } from '../../shared/schema/negotiation.js';
import { PARTIES, block, expectRefused, negotiationServer, type CheckedServer, type Party } from '../support/check-harness.js';
import { CHAIR, EGYPT, USA } from '../support/model-doc.js';

const { egypt, usa, chair, secretariat } = PARTIES;
const SECRETARIAT: Actor = secretariat.actor;

function text(doc: Y.Doc, id: string): Y.XmlText {
  return block(doc, id).get(0) as Y.XmlText;
}

function optionMap(doc: Y.Doc, group: string, option: string): Y.Map<unknown> {
  const options = (bracketGroups(doc).get(group) as Y.Map<unknown>).get(G.options) as Y.Array<Y.Map<unknown>>;
  return options.toArray().find((o) => o.get(O.id) === option)!;
}

/** Offset in p0 of the United States' alternative ("promote"), typed right after Egypt's bracketed "ensure". */
function usaOptionStart(server: CheckedServer): number {
  return blockText(block(server.doc, 'p0')).indexOf('promote');
}

describe('the check, on brackets as negotiators use them', () => {
  it('refuses crediting anyone as proponent of the original text', () => {
    const { server } = negotiationServer();
    const crediting = (who: Actor) =>
      server.change(egypt, (d) => {
        const { groupId, optionId } = createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT });
        (optionMap(d, groupId, optionId).get(O.proponents) as Y.Map<unknown>).set(who.delegation, { name: who.name, at: 'now' });
      });
    expectRefused(server, egypt, crediting(EGYPT), /original text has no proponents/);
    expectRefused(server, egypt, crediting(USA), /only speak for Egypt/);
  });

  it('refuses original text added to a group after it was bracketed', () => {
    const { server, ids } = negotiationServer();
    const late = server.change(usa, (d) => {
      const { optionId } = addAlternative(d, { groupId: ids.group, text: 'defend', actor: USA });
      optionMap(d, ids.group, optionId).set(O.kind, 'original');
    });
    expectRefused(server, usa, late, /Original text is recorded when words are bracketed|first option/);
  });

  it('refuses the chair and the secretariat any position: bracketing, proposing, supporting', () => {
    const { server, ids } = negotiationServer();
    expectRefused(server, chair, server.change(chair, (d) => supportOption(d, { groupId: ids.group, optionId: ids.usaOption, actor: CHAIR })), /take no positions/);
    expectRefused(server, chair, server.change(chair, (d) => addAlternative(d, { groupId: ids.group, text: 'safeguard', actor: CHAIR })), /take no positions/);
    expectRefused(server, secretariat, server.change(secretariat, (d) => createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: SECRETARIAT })), /take no positions/);
    expectRefused(server, chair, server.change(chair, (d) => proposeInsertion(d, { paragraphId: 'p2', at: 0, text: 'New ', actor: CHAIR })), /take no positions/);
  });

  it('refuses a delegation two positions in one group, and accepts a move', () => {
    const { server, ids } = negotiationServer();
    const both = server.change(egypt, (d) => {
      for (const option of [ids.egyptOption, ids.usaOption]) {
        (optionMap(d, ids.group, option).get(O.supporters) as Y.Map<unknown>).set('Egypt', { name: EGYPT.name, at: 'now' });
      }
    });
    expectRefused(server, egypt, both, /one position/);
    // Egypt bracketed the original: supporting it as it stands is refused.
    const keep = server.change(egypt, (d) => (optionMap(d, ids.group, ids.egyptOption).get(O.supporters) as Y.Map<unknown>).set('Egypt', { name: EGYPT.name, at: 'now' }));
    expectRefused(server, egypt, keep, /bracketed this text/);
    expect(server.send(egypt, server.change(egypt, (d) => supportOption(d, { groupId: ids.group, optionId: ids.usaOption, actor: EGYPT })))).toEqual({ ok: true });
  });

  it('lets only the proponents change an alternative, and nobody but the chair the original text', () => {
    const { server } = negotiationServer();
    const at = usaOptionStart(server);
    expectRefused(server, egypt, server.change(egypt, (d) => text(d, 'p0').insert(at + 2, 'x')), /wording of United States/);
    expectRefused(server, egypt, server.change(egypt, (d) => text(d, 'p0').delete(at + 1, 2)), /wording of United States/);
    expectRefused(server, usa, server.change(usa, (d) => text(d, 'p0').delete(21, 2)), /Bracketed text stays as it was/);
    expect(server.send(usa, server.change(usa, (d) => text(d, 'p0').insert(at + 2, 'x')))).toEqual({ ok: true });
    expect(server.send(usa, server.change(usa, (d) => text(d, 'p0').delete(at + 2, 1)))).toEqual({ ok: true });
    // The chair edits a compromise into the brackets.
    expect(server.send(chair, server.change(chair, (d) => text(d, 'p0').insert(22, 'y')))).toEqual({ ok: true });
  });

  it('lets a delegation take back its own bracket whole, and only its part once others joined', () => {
    const { server } = negotiationServer();
    let group = '';
    server.must(egypt, (d) => {
      group = createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT, propose: { text: 'Closed' } }).groupId;
    });
    const undoWhole = server.change(egypt, (d) => withdrawBracket(d, { groupId: group, actor: EGYPT }));
    server.must(usa, (d) => joinBracket(d, { groupId: group, actor: USA }));
    // Built before the United States joined: the same deletion would now take its objection away.
    expectRefused(server, egypt, undoWhole, /Only the chair or the secretariat/);
    expect(server.send(egypt, server.change(egypt, (d) => withdrawBracket(d, { groupId: group, actor: EGYPT })))).toEqual({ ok: true });
    const left = (bracketGroups(server.doc).get(group) as Y.Map<unknown>).get(G.bracketedBy) as Y.Map<unknown>;
    expect([...left.keys()]).toEqual(['United States']);
  });
});

describe('the check, on drafting modes', () => {
  const inMode = (mode: 'proposals' | 'pen-holder') => {
    const setup = negotiationServer();
    setup.server.must(chair, (d) => setDraftingMode(d, { mode, actor: CHAIR }));
    return setup;
  };

  it('lets only the chair and the secretariat set the mode, in their own name', () => {
    const { server } = negotiationServer();
    expectRefused(server, egypt, server.change(egypt, (d) => setDraftingMode(d, { mode: 'open', actor: EGYPT })), /change how the document is drafted/);
    expectRefused(server, chair, server.change(chair, (d) => setDraftingMode(d, { mode: 'proposals', actor: USA })), /only speak for Chair/);
    expect(server.send(secretariat, server.change(secretariat, (d) => setDraftingMode(d, { mode: 'proposals', actor: SECRETARIAT })))).toEqual({ ok: true });
  });

  it('in proposals mode refuses raw typing and deleting by a delegate, and accepts the same change as proposals', () => {
    const { server } = inMode('proposals');
    expectRefused(server, egypt, server.change(egypt, (d) => text(d, 'p2').insert(0, 'Raw ')), /proposals mode/);
    expectRefused(server, egypt, server.change(egypt, (d) => text(d, 'p2').delete(0, 5)), /proposals mode/);
    const paragraph = server.change(egypt, (d) => {
      const el = new Y.XmlElement('paragraph');
      el.setAttribute('id', 'new-one');
      d.getXmlFragment('default').insert(0, [el]);
    });
    expectRefused(server, egypt, paragraph, /proposals mode/);
    const send = (change: (d: Y.Doc) => void) => server.send(egypt, server.change(egypt, change));
    expect(send((d) => createBracket(d, { paragraphId: 'p2', from: 0, to: 4, actor: EGYPT, propose: { text: '' } }))).toEqual({ ok: true });
    expect(send((d) => createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: EGYPT, propose: { text: 'Shut' } }))).toEqual({ ok: true });
    const groups: string[] = [];
    expect(
      send((d) => {
        groups.push(proposeInsertion(d, { paragraphId: 'p2', at: blockText(block(d, 'p2')).length, text: ' now', actor: EGYPT }).groupId);
      }),
    ).toEqual({ ok: true });
    // Typing on inside one's own proposal is an edit of the proposal.
    const end = blockText(block(server.doc, 'p2')).length;
    expect(send((d) => text(d, 'p2').insert(end - 1, 'a'))).toEqual({ ok: true });
    expect(groups).toHaveLength(1);
    // The chair types freely.
    expect(server.send(chair, server.change(chair, (d) => text(d, 'p3').insert(0, 'Chair: ')))).toEqual({ ok: true });
  });

  it('in pen-holder mode refuses a delegate’s raw edit and accepts brackets and card proposals', () => {
    const { server, ids } = inMode('pen-holder');
    expectRefused(server, egypt, server.change(egypt, (d) => text(d, 'p2').insert(0, 'Raw ')), /holds the pen/);
    expect(server.send(egypt, server.change(egypt, (d) => addAlternative(d, { groupId: ids.group, text: 'guarantee', actor: EGYPT })))).toEqual({ ok: true });
    expect(server.send(usa, server.change(usa, (d) => createBracket(d, { paragraphId: 'p3', from: 0, to: 4, actor: USA })))).toEqual({ ok: true });
    expect(server.send(secretariat, server.change(secretariat, (d) => text(d, 'p2').insert(0, 'Pen: ')))).toEqual({ ok: true });
  });
});

describe('the check, on agreements', () => {
  it('refuses an agreement on text that changed since the chair saw it, and one without its text', () => {
    const { server } = negotiationServer();
    // Made on the chair's copy before Egypt's edit reached the server (the chair was offline).
    const stale = server.change(chair, (d) => setParagraphStatus(d, { paragraphId: 'p2', status: 'agreed', actor: CHAIR }));
    server.must(egypt, (d) => text(d, 'p2').insert(0, 'Edited. '));
    expectRefused(server, chair, stale, /changed since you looked: review and agree again/);
    const bare = server.change(chair, (d) => d.getMap(PARAGRAPHS_MAP).set('p2', { status: 'agreed', by: CHAIR, at: 'now' }));
    expectRefused(server, chair, bare, /without the text agreed/);
    const forged = server.change(chair, (d) => d.getMap(PARAGRAPHS_MAP).set('p2', { status: 'agreed', by: EGYPT, at: 'now', text: 'x' }));
    expectRefused(server, chair, forged, /only speak for Chair/);
    // Seen now: accepted, with the text agreed recorded.
    expect(server.send(chair, server.change(chair, (d) => setParagraphStatus(d, { paragraphId: ['p2', 'p3'], status: 'agreed', actor: CHAIR })))).toEqual({ ok: true });
    expect((server.doc.getMap(PARAGRAPHS_MAP).get('p2') as { text: string }).text).toBe('Edited. Open paragraph three.');
  });

  it('accepts the chair’s own edit and agreement made together offline', () => {
    const { server } = negotiationServer();
    const update = server.change(chair, (d) => {
      text(d, 'p2').insert(0, 'Chair text. ');
      setParagraphStatus(d, { paragraphId: 'p2', status: 'agreed', actor: CHAIR });
    });
    expect(server.send(chair, update)).toEqual({ ok: true });
  });

  it('keeps the record of who changed what out of every participant’s reach', () => {
    const { server } = negotiationServer();
    const forged = (party: Party) => server.change(party, (d) => d.getMap(CHANGES_MAP).set('p2', [{ delegation: 'United States', name: 'x', at: 'now', kind: 'edited' }]));
    expectRefused(server, egypt, forged(egypt), /written by the server/);
    expectRefused(server, secretariat, forged(secretariat), /written by the server/);
  });
});
