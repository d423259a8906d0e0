import { describe, expect, it } from 'vitest';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { caretAtEnd, paragraphText } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';
import { waitFor } from '../support/wait.js';
import { connectSynced } from '../support/yjs-client.js';

const REPORT = 'eg-itrs-final-report';

/**
 * The update check refuses duplicate paragraph ids and bracket marks outside
 * their paragraph. What a delegate's editor does to paragraphs (a new one with
 * Enter, splitting one in the middle, joining two with Backspace) must still
 * pass: the server refuses none of it and everyone sees it.
 */
describe('paragraph structure edited by a delegate, in Chromium', () => {
  const stage = serverAndBrowser();

  it('accepts a new paragraph, a split and a join, and every other client sees them', async () => {
    const admin = await adminOf(stage.server);
    const watcher = await connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'observer')).token);
    const egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    const blocksBefore = listBlocks(watcher.doc).length;
    const original = await paragraphText(egypt, '3.3');

    await caretAtEnd(egypt, '3.3');
    await egypt.keyboard.press('Enter');
    await egypt.keyboard.type('A new paragraph by Egypt.');
    await waitFor(() => watcher.text().includes('A new paragraph by Egypt.'), 'the new paragraph to reach the watcher');

    // Split the new paragraph after "A new", then join it again.
    for (let i = 0; i < 'paragraph by Egypt.'.length + 1; i++) await egypt.keyboard.press('ArrowLeft');
    await egypt.keyboard.press('Enter');
    await waitFor(() => listBlocks(watcher.doc).length === blocksBefore + 2, 'the split to reach the watcher');
    await egypt.keyboard.press('Backspace');
    await waitFor(() => listBlocks(watcher.doc).length === blocksBefore + 1, 'the join to reach the watcher');
    await waitFor(() => watcher.text().includes('A new paragraph by Egypt.'), 'the joined text on the watcher');

    expect(await paragraphText(egypt, '3.3')).toBe(original);
    const ids = listBlocks(watcher.doc).map((b) => b.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await egypt.getByTestId('notice').filter({ hasText: 'refused' }).count()).toBe(0);
    expect(stage.server.logs.filter((l) => l.msg === 'update refused')).toEqual([]);
    watcher.destroy();
  });
});
