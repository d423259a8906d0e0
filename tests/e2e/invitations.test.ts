import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CreatedInvitation } from '../../shared/schema/auth.js';
import { jsonBody } from '../support/admin.js';
import { paragraph } from '../support/negotiation.js';
import { adminOf, openAsSecretariat, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';
import { appendParagraph, connectSynced } from '../support/yjs-client.js';

const REPORT = 'eg-itrs-final-report';
/** Words of the report's text and of the comment imported on 2.6: neither may stay on a screen whose access ended. */
const REPORT_WORDS = 'International Telecommunication Regulations';
const IMPORTED_COMMENT = 'Link to be inserted';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/invitations');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const localCopies = (page: Page) => page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

/** The invitation row of a delegation in the open dialog. */
const rowOf = (dialog: Locator, delegation: string) => dialog.getByTestId('invitation-row').filter({ hasText: delegation });

/** Wholly inside the window: nothing of it cut off. */
async function expectInView(page: Page, target: Locator): Promise<void> {
  const box = (await target.boundingBox())!;
  const { width, height } = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(box.y + box.height).toBeLessThanOrEqual(height);
}

describe('invitations a secretariat runs for a conference, in Chromium', () => {
  const stage = serverAndBrowser();
  /** The secretariat's page, kept open for the whole file: the browser runs in one process and lives while a context does. */
  let secretariat: Page;

  const openDialog = async () => {
    await secretariat.getByTestId('open-invitations').click();
    const dialog = secretariat.locator('dialog[open]');
    await dialog.getByTestId('invitation-list').or(dialog.locator('.invitation-none')).waitFor();
    return dialog;
  };

  it('invites three delegations from a pasted list and copies their links, at 1440 and 1024 pixels', async () => {
    secretariat = await openAsSecretariat(stage.browser, stage.server);
    await secretariat.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stage.server.url });
    await secretariat.goto(`${stage.server.url}/d/${REPORT}`);
    await paragraph(secretariat, '2.6').waitFor();
    const lists = [
      ['Kenya', 'Egypt', 'Brazil'],
      ['Ghana', 'Peru', 'Nepal'],
    ];
    const madeFirst: string[] = [];

    for (const [i, size] of SIZES.entries()) {
      const list = lists[i]!;
      await secretariat.setViewportSize(size);
      const dialog = await openDialog();
      await dialog.getByTestId('invitation-delegation').fill(`${list.join('\n')}\n\n`);
      expect(await dialog.getByTestId('invitation-count').textContent()).toContain('3 links');
      expect(await dialog.getByTestId('invitation-create').textContent()).toBe('Create 3 invitation links');
      await dialog.getByTestId('invitation-create').click();
      await expect.poll(() => dialog.getByTestId('created-invitation').count()).toBe(3);
      const urls = await dialog.getByTestId('invitation-url').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
      expect(urls).toHaveLength(3);
      for (const url of urls) expect(url).toMatch(new RegExp(`^${stage.server.url}/join/[A-Za-z0-9_-]{40,}$`));
      if (i === 0) madeFirst.push(...urls);

      // "Copy all": one line per link, for an e-mail.
      await dialog.getByTestId('copy-all-invitations').click();
      await expect.poll(() => dialog.getByTestId('copy-all-invitations').getAttribute('data-copied')).toBe('true');
      expect((await clipboard(secretariat)).split('\n')).toEqual(list.map((d, n) => `${d} — Delegate — ${urls[n]}`));
      // One row's own copy button.
      await dialog.getByTestId('created-invitation').nth(1).getByTestId('copy-invitation').click();
      await expect.poll(() => clipboard(secretariat)).toBe(urls[1]);
      // The list shows a valid link again: the same one.
      await rowOf(dialog, list[2]!).getByTestId('copy-invitation-link').click();
      await expect.poll(() => clipboard(secretariat)).toBe(urls[2]);

      await shoot(secretariat, `invitations-dialog-${size.width}`);
      await expectInView(secretariat, dialog.getByTestId('modal-close'));
      await expectInView(secretariat, dialog.getByTestId('copy-all-invitations'));

      // Revoking asks first; cancelled, nothing happened.
      await rowOf(dialog, list[0]!).getByTestId('revoke-invitation').click();
      expect(await rowOf(dialog, list[0]!).textContent()).toContain('Everyone using it leaves the document at once');
      await shoot(secretariat, `invitations-revoke-question-${size.width}`);
      await rowOf(dialog, list[0]!).getByTestId('cancel-confirm').click();
      expect(await rowOf(dialog, list[0]!).getAttribute('data-state')).toBe('active');
      expect(await rowOf(dialog, list[0]!).getByTestId('revoke-invitation').count()).toBe(1);

      // The dialog has a close button.
      await dialog.getByTestId('modal-close').click();
      await expect.poll(() => secretariat.locator('dialog[open]').count()).toBe(0);
    }

    // The join page names the document, the delegation and the role before the person gives a name.
    const egypt = await (await stage.browser.newContext({ viewport: SIZES[1] })).newPage();
    await egypt.goto(madeFirst[1]!);
    expect(await egypt.getByTestId('join-document').textContent()).toBe(await secretariat.getByTestId('document-title').textContent());
    expect(await egypt.getByTestId('join-delegation').textContent()).toBe('Egypt');
    expect(await egypt.getByTestId('join-role').textContent()).toBe('Delegate');
    await shoot(egypt, 'join-page-1024');
    await egypt.getByTestId('join-name').fill('Amal Hassan');
    await egypt.getByTestId('join-submit').click();
    await paragraph(egypt, '2.6').waitFor();

    // The list says who joined with the link, and that they are in the document now.
    const dialog = await openDialog();
    await expect.poll(() => rowOf(dialog, 'Egypt').getByTestId('invitation-joined').textContent()).toBe('Amal Hassan');
    expect(await rowOf(dialog, 'Egypt').getByTestId('invitation-last-seen').textContent()).toBe('In the document now');
    expect(await rowOf(dialog, 'Kenya').getByTestId('invitation-joined').textContent()).toBe('Nobody yet');
    await dialog.getByTestId('modal-close').click();
    await egypt.context().close();
  });

  it('refuses a person-bound link in a second browser, naming who holds it', async () => {
    const admin = await adminOf(stage.server);
    const made = await admin.api(`/api/documents/${REPORT}/invitations`, jsonBody('POST', { role: 'delegate', delegation: 'Senegal', personBound: true }));
    const { url } = CreatedInvitation.parse(await made.json());

    const first = await (await stage.browser.newContext({ viewport: SIZES[0] })).newPage();
    await first.goto(url);
    await first.getByTestId('join-person-bound').waitFor();
    await first.getByTestId('join-name').fill('Awa Diop');
    await first.getByTestId('join-submit').click();
    await paragraph(first, '2.6').waitFor();

    for (const size of SIZES) {
      const second = await (await stage.browser.newContext({ viewport: size })).newPage();
      await second.goto(url);
      const refusal = second.getByTestId('join-error');
      await refusal.waitFor();
      expect(await refusal.textContent()).toBe('This invitation was already claimed by Awa Diop on another computer: ask the secretariat.');
      expect(await refusal.getAttribute('data-problem')).toBe('claimed');
      expect(await second.getByTestId('join-name').count()).toBe(0);
      await shoot(second, `join-claimed-${size.width}`);
      await second.context().close();
    }
    // The first browser is still in.
    expect(await first.locator('[data-testid="connection-status"]').getAttribute('data-state')).toBe('connected');

    // The secretariat sees who holds it and releases it (asked first): the first browser loses it, the next one gets in.
    await secretariat.setViewportSize(SIZES[0]);
    const dialog = await openDialog();
    expect(await rowOf(dialog, 'Senegal').getByTestId('invitation-joined').textContent()).toMatch(/^Claimed by Awa Diop/);
    await rowOf(dialog, 'Senegal').getByTestId('release-invitation').click();
    await shoot(secretariat, 'invitations-release-question-1440');
    await rowOf(dialog, 'Senegal').getByTestId('confirm-release').click();
    await expect.poll(() => rowOf(dialog, 'Senegal').getByTestId('invitation-joined').textContent()).toBe('Awa Diop');
    await dialog.getByTestId('modal-close').click();
    await first.getByTestId('final-close-message').waitFor({ timeout: 10_000 });
    await expect.poll(() => first.locator('.ProseMirror').textContent()).toBe('');

    const third = await (await stage.browser.newContext({ viewport: SIZES[1] })).newPage();
    await third.goto(url);
    await third.getByTestId('join-name').fill('Moussa Ndiaye');
    await third.getByTestId('join-submit').click();
    await paragraph(third, '2.6').waitFor();
    await first.context().close();
    await third.context().close();
  });

  it('clears the page and the stored copy when the secretariat revokes the invitation', async () => {
    const delegate = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Lars Berg', delegation: 'Norway' });
    await delegate.setViewportSize(SIZES[1]);
    await paragraph(delegate, '2.6').waitFor();
    expect(await delegate.locator('.ProseMirror').textContent()).toContain(REPORT_WORDS);
    await expect.poll(() => localCopies(delegate)).toContain(`nde-${REPORT}`);

    // The secretariat revokes it in the dialog, and confirms.
    const dialog = await openDialog();
    await rowOf(dialog, 'Norway').getByTestId('revoke-invitation').click();
    await rowOf(dialog, 'Norway').getByTestId('confirm-revoke').click();
    await expect.poll(() => rowOf(dialog, 'Norway').getAttribute('data-state')).toBe('revoked');
    await dialog.getByTestId('modal-close').click();

    await delegate.getByTestId('final-close-message').waitFor({ timeout: 10_000 });
    expect(await delegate.getByTestId('final-close-message').textContent()).toContain('Your access to this document has ended');
    await expect.poll(() => delegate.locator('.ProseMirror').textContent()).toBe('');
    expect(await delegate.locator('body').textContent()).not.toContain(REPORT_WORDS);
    expect(await delegate.locator('body').textContent()).not.toContain(IMPORTED_COMMENT);
    await expect.poll(() => localCopies(delegate)).not.toContain(`nde-${REPORT}`);
    await shoot(delegate, 'revoked-1024');

    // Opened again: nothing, and still nothing stored.
    await delegate.reload();
    await delegate.getByTestId('no-access').waitFor();
    expect(await delegate.getByTestId('no-access').textContent()).toContain('This invitation was revoked');
    expect(await localCopies(delegate)).not.toContain(`nde-${REPORT}`);
    await delegate.context().close();
  });

  it('forgets the stored copies of this computer on sign out', async () => {
    const delegate = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Mei Tanaka', delegation: 'Japan' });
    await paragraph(delegate, '2.6').waitFor();
    await expect.poll(() => localCopies(delegate)).toContain(`nde-${REPORT}`);
    await delegate.getByTestId('identity-button').click();
    await delegate.getByTestId('sign-out').click();
    await expect.poll(() => localCopies(delegate)).not.toContain(`nde-${REPORT}`);
    await delegate.context().close();
  });

  it('clears the page and the stored copy when the document is deleted', async () => {
    const admin = await adminOf(stage.server);
    const documentId = await admin.createDocument('Draft to be withdrawn');
    const writer = await connectSynced(stage.server.wsUrl, documentId, await admin.token(documentId));
    appendParagraph(writer, 'Confidential proposal on roaming charges.');
    const delegate = await openEditorAs(stage.browser, stage.server, documentId, { name: 'Ana Silva', delegation: 'Brazil' });
    await expect.poll(() => delegate.locator('.ProseMirror').textContent()).toContain('Confidential proposal');
    await expect.poll(() => localCopies(delegate)).toContain(`nde-${documentId}`);
    writer.destroy();

    expect((await admin.api(`/api/documents/${documentId}`, { method: 'DELETE' })).status).toBe(204);
    await delegate.getByTestId('final-close-message').waitFor({ timeout: 10_000 });
    expect(await delegate.getByTestId('final-close-message').textContent()).toContain('deleted');
    await expect.poll(() => delegate.locator('.ProseMirror').textContent()).toBe('');
    await expect.poll(() => localCopies(delegate)).not.toContain(`nde-${documentId}`);
    await delegate.context().close();
  });
});
