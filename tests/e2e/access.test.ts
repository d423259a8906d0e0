import { describe, expect, it } from 'vitest';
import { paragraph, paragraphText } from '../support/negotiation.js';
import { openAsSecretariat, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';

describe('who may see and do what, in Chromium', () => {
  const stage = serverAndBrowser();

  it('shows a person with no invitation nothing of the document or the list', async () => {
    const page = await (await stage.browser.newContext()).newPage();
    await page.goto(`${stage.server.url}/d/${REPORT}`);
    await page.getByTestId('no-access').waitFor();
    expect(await page.locator('.ProseMirror').count()).toBe(0);
    expect(await page.content()).not.toContain('Expert Group on the International Telecommunication Regulations');
    await page.goto(stage.server.url);
    await page.getByTestId('signed-out').waitFor();
    expect(await page.getByTestId('document-item').count()).toBe(0);
    await page.context().close();
  });

  it('gives an observer a read-only editor and no bracket or status controls', async () => {
    const observer = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Press Officer', delegation: 'Observer', role: 'observer' });
    expect(await observer.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await observer.getByTestId('role-tag').textContent()).toBe('Observer');
    expect(await observer.getByTestId('paragraph-status-select').count()).toBe(0);
    const before = await paragraphText(observer, '1.1.1');
    await paragraph(observer, '1.1.1').click();
    await observer.keyboard.type('observer typing');
    await observer.waitForTimeout(500);
    expect(await paragraphText(observer, '1.1.1')).toBe(before);
    // A reading view: no bracket button at all, rather than a greyed-out one.
    expect(await observer.getByTestId('toolbar-bracket').count()).toBe(0);
    await observer.context().close();
  });

  it('lets the secretariat invite a delegation from the editor, and the link brings the delegate in with that role', async () => {
    const secretariat = await openAsSecretariat(stage.browser, stage.server);
    await secretariat.getByTestId('document-item').first().locator('a').first().click();
    await secretariat.locator('.ProseMirror').waitFor();
    await secretariat.getByTestId('open-invitations').click();
    await secretariat.getByTestId('invitation-role').selectOption('delegate');
    await secretariat.getByTestId('invitation-delegation').fill('Kenya');
    await secretariat.getByTestId('invitation-create').click();
    const url = await secretariat.getByTestId('invitation-url').inputValue();
    expect(url).toMatch(/\/join\/[A-Za-z0-9_-]{40,}$/);

    const kenya = await (await stage.browser.newContext()).newPage();
    await kenya.goto(url);
    await kenya.getByTestId('join-name').fill('Wanjiru Kamau');
    await kenya.getByTestId('join-submit').click();
    await kenya.locator('.ProseMirror[contenteditable="true"]').waitFor();
    expect(await kenya.getByTestId('identity-button').textContent()).toContain('Wanjiru Kamau (Kenya)');
    expect(await kenya.getByTestId('role-tag').textContent()).toBe('Delegate');
    // The one-time link is gone from the address bar.
    expect(kenya.url()).toBe(`${stage.server.url}/d/${REPORT}`);

    // Revoked (once confirmed): the delegate is disconnected and cannot come back with the link, which says why.
    await secretariat.getByTestId('revoke-invitation').last().click();
    await secretariat.getByTestId('confirm-revoke').click();
    await kenya.getByTestId('final-close-message').waitFor({ timeout: 10_000 });
    await kenya.goto(url);
    const refusal = kenya.getByTestId('join-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('revoked');
    expect(await refusal.getAttribute('data-problem')).toBe('revoked');
    expect(await kenya.getByTestId('join-name').count()).toBe(0);
  });
});
