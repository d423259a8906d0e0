import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addAlternative, createBracket, supportOption } from '../../shared/model/bracket-proposals.js';
import { addThread } from '../../shared/model/comments.js';
import { setParagraphStatus } from '../../shared/model/paragraph-status.js';
import { listBlocks } from '../../shared/model/paragraphs.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';
import { connectSynced } from '../support/yjs-client.js';

const REPORT_FILE = path.resolve(import.meta.dirname, '../../seeds/002_d139c0fac23d053a.txt');

/**
 * A 300-page draft (the report 25 times over, imported as the secretariat
 * imports one): the editor draws statuses, comment markers and brackets per
 * paragraph, from what each change touched. Changes made elsewhere, far down
 * the document and without touching the text, must still show at once, and
 * typing must leave them in place.
 */
describe('a 300-page draft, in Chromium', () => {
  const stage = serverAndBrowser();

  it('shows statuses, threads and brackets made elsewhere on far paragraphs, and keeps them while typing', async () => {
    const admin = await adminOf(stage.server);
    const text = fs.readFileSync(REPORT_FILE, 'utf8');
    const form = new FormData();
    form.set('file', new Blob([Array.from({ length: 25 }, () => text).join('\n')], { type: 'text/plain' }), 'long-draft.txt');
    const imported = (await (await admin.api('/api/documents/import', { method: 'POST', body: form })).json()) as { id: string; paragraphCount: number };
    expect(imported.paragraphCount).toBeGreaterThan(4000);

    const egypt = await openEditorAs(stage.browser, stage.server, imported.id, { name: 'Amina Hassan', delegation: 'Egypt' });
    const chair = await connectSynced(stage.server.wsUrl, imported.id, (await admin.invite(imported.id, 'chair')).token);
    const usa = await connectSynced(stage.server.wsUrl, imported.id, (await admin.invite(imported.id, 'delegate', 'United States')).token);
    const china = await connectSynced(stage.server.wsUrl, imported.id, (await admin.invite(imported.id, 'delegate', 'China')).token);
    const blocks = listBlocks(chair.doc).filter((b) => b.id && b.ref);
    const near = blocks[Math.floor(blocks.length * 0.9)]!;
    const far = blocks[blocks.length - 3]!;
    const page = (id: string) => egypt.locator(`.ProseMirror [data-id="${id}"]`);

    setParagraphStatus(chair.doc, { paragraphId: near.id!, status: 'agreed', actor: { name: 'Chair', delegation: 'Chair' } });
    addThread(usa.doc, { paragraphId: far.id!, text: 'The United States asks for a footnote here.', actor: { name: 'John Smith', delegation: 'United States' } });
    const words = 'Some'.length;
    const bracket = createBracket(usa.doc, { paragraphId: far.id!, from: 0, to: words, actor: { name: 'John Smith', delegation: 'United States' } });

    await page(near.id!).locator('.status-badge', { hasText: 'Agreed' }).waitFor({ state: 'attached', timeout: 15_000 });
    await page(far.id!).getByTestId('comment-badge').waitFor({ state: 'attached', timeout: 15_000 });
    await expect
      .poll(() => page(far.id!).locator('.bracket-label').allTextContents(), { timeout: 15_000 })
      .toEqual(['Abracketed by United States']);

    // Support changes no text: only the labels of that paragraph are drawn again.
    supportOption(china.doc, { groupId: bracket.groupId, optionId: bracket.optionId, actor: { name: 'Li Wei', delegation: 'China' } });
    addAlternative(usa.doc, { groupId: bracket.groupId, text: 'Several', actor: { name: 'John Smith', delegation: 'United States' } });
    await expect
      .poll(() => page(far.id!).locator('.bracket-label').allTextContents(), { timeout: 15_000 })
      .toEqual(['Abracketed by United States · supported by China', 'BUnited States']);

    // Typing in the first paragraph moves everything after it; nothing drawn is lost or left behind.
    const first = blocks[3]!;
    await page(first.id!).click();
    await egypt.keyboard.press('End');
    await egypt.keyboard.type(' Typed at the top.');
    await expect.poll(() => page(first.id!).textContent()).toContain('Typed at the top.');
    expect(await page(near.id!).locator('.status-badge').count()).toBe(1);
    expect(await page(far.id!).getByTestId('comment-badge').count()).toBe(1);
    expect(await page(far.id!).locator('.bracket-punct', { hasText: '[' }).count()).toBe(1);
    expect(await egypt.getByTestId('consensus-figure').textContent()).toContain('1 of');

    chair.destroy();
    usa.destroy();
    china.destroy();
    await egypt.context().close();
  });
});
