import { describe, expect, it } from 'vitest';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { findBlockByRef, blockText } from '../../shared/model/paragraphs.js';
import { caretAtEnd, paragraphText } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';
import { waitFor } from '../support/wait.js';
import { connectSynced } from '../support/yjs-client.js';

const REPORT = 'eg-itrs-final-report';

describe('a change the server refuses, in Chromium', () => {
  const stage = serverAndBrowser();

  it('is dropped from the delegate page, which reloads the text from the server and says why', async () => {
    const admin = await adminOf(stage.server);
    const chair = await connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'chair')).token);
    const egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    const original = await paragraphText(egypt, '3.2');

    // Egypt edits 3.2 while cut off from the server; meanwhile the chair marks 3.2 agreed.
    await egypt.context().setOffline(true);
    await egypt.getByTestId('connection-status').and(egypt.locator('[data-state="offline"]')).waitFor();
    await caretAtEnd(egypt, '3.2');
    await egypt.keyboard.type(' Offline amendment.');
    expect(await paragraphText(egypt, '3.2')).toBe(`${original} Offline amendment.`);
    setParagraphStatus(chair.doc, { paragraphId: findBlockByRef(chair.doc, '3.2')!.id!, status: 'agreed', actor: { name: 'Chair', delegation: 'Chair' } });

    // Back online, the offline edit reaches the server, which refuses it: 3.2 is agreed.
    await egypt.context().setOffline(false);
    await egypt.getByTestId('notice').filter({ hasText: 'refused' }).first().waitFor({ timeout: 15_000 });
    await waitFor(async () => (await paragraphText(egypt, '3.2')) === original, "Egypt's page to show the server's text", 15_000);
    expect(blockText(findBlockByRef(chair.doc, '3.2')!.element)).toBe(original);
    await egypt.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    chair.destroy();
  });
});
