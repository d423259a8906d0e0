import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addThread, listThreads } from '../../shared/model/comments.js';
import { BLOCK_ID_ATTR, CHANGES_MAP } from '../../shared/schema/negotiation.js';
import { collectDenials } from '../support/denials.js';
import { USA, hostileStage, negotiationFixture, type Fixture } from '../support/hostile-stage.js';
import { waitFor } from '../support/wait.js';
import { paragraphText } from '../support/yjs-client.js';

/** Paragraphs as a paste of TipTap content makes them: an id and one text each. */
function pasted(count: number, tag: string): Y.XmlElement[] {
  return Array.from({ length: count }, (_, i) => {
    const p = new Y.XmlElement('paragraph');
    p.setAttribute(BLOCK_ID_ATTR, `${tag}-${i}`);
    p.insert(0, [new Y.XmlText(`${tag} paragraph ${i}: Member States shall endeavour to ensure the security of networks.`)]);
    return p;
  });
}

/**
 * A big update (here about 400 KB) is checked in steps, in turns of the event
 * loop of its own, and the room's later frames wait for it: an edit that
 * builds on the paste, sent right behind it, and another delegation's edit
 * sent meanwhile, all land, in order, and are stored. A big update that
 * breaks a rule is refused whole, like a small one.
 */
describe('big updates, checked in steps', () => {
  const stage = hostileStage();
  let f: Fixture;
  afterEach(() => f?.close());

  it('accepts a big paste and the edits queued behind it, in order, and stores them all', async () => {
    f = await negotiationFixture(stage);
    const before = f.watcher.body.length;
    const denials = collectDenials(f.egypt);
    f.egypt.body.insert(f.egypt.body.length, pasted(2_000, 'egypt'));
    // Sent right behind the paste, and depending on it.
    paragraphText(f.egypt, before).insert(0, 'Amended: ');
    paragraphText(f.usa, 2).insert(0, 'Meanwhile: ');
    await waitFor(() => f.watcher.body.length === before + 2_000, 'the paste to reach the watcher', 30_000);
    await waitFor(() => paragraphText(f.watcher, before).toString().startsWith('Amended: '), 'the edit behind the paste');
    await waitFor(() => paragraphText(f.watcher, 2).toString().startsWith('Meanwhile: '), "the other delegation's edit");
    expect(denials).toEqual([]);
    // Who made the paste is recorded on its paragraphs in a turn of its own, right after.
    await waitFor(() => f.watcher.doc.getMap(CHANGES_MAP).size >= 2_000, 'the record of who pasted');
    const restarted = await f.expectSameAfterRestart();
    expect(restarted.getXmlFragment('default').length).toBe(before + 2_000);
  });

  it('refuses a big paste that carries a forged record, whole', async () => {
    f = await negotiationFixture(stage);
    const before = f.watcher.body.length;
    const threads = listThreads(f.watcher.doc).length;
    const denials = collectDenials(f.egypt);
    f.egypt.doc.transact(() => {
      f.egypt.body.insert(f.egypt.body.length, pasted(2_000, 'forged'));
      addThread(f.egypt.doc, { paragraphId: 'p2', text: 'Written as the United States', actor: USA });
    });
    await waitFor(() => denials.length > 0, 'the refusal', 30_000);
    expect(denials[0]).toMatch(/only speak for Egypt/);
    await f.expectStillServing('usa');
    expect(f.watcher.body.length).toBe(before);
    expect(listThreads(f.watcher.doc)).toHaveLength(threads);
    const restarted = await f.expectSameAfterRestart();
    expect(restarted.getXmlFragment('default').length).toBe(before);
  });
});
