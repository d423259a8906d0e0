import type { Browser, Page } from 'playwright-core';
import { roleForDelegation } from '../../shared/model/permissions.js';
import type { Role } from '../../shared/schema/roles.js';
import { SECRETARIAT, signInSecretariat, type Admin } from './admin.js';
import type { ServerProcess } from './server-process.js';

export type Person = { name: string; delegation: string; role?: Role };

const admins = new WeakMap<ServerProcess, Promise<Admin>>();

/** The secretariat of a test server, signed in once and reused to invite people. */
export function adminOf(server: ServerProcess): Promise<Admin> {
  let admin = admins.get(server);
  if (!admin) {
    admin = signInSecretariat(server);
    admins.set(server, admin);
  }
  return admin;
}

/**
 * A person in their own browser profile, come in as a person does: the
 * secretariat invites them (role from their delegation unless given: "Chair"
 * presides), they open the link, type their name and land in the editor.
 */
export async function openEditorAs(browser: Browser, server: ServerProcess, documentId: string, person: Person): Promise<Page> {
  const role = person.role ?? roleForDelegation(person.delegation);
  const invitation = await (await adminOf(server)).invite(documentId, role, person.delegation);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await page.goto(invitation.url);
  await page.getByTestId('join-name').fill(person.name);
  await page.getByTestId('join-submit').click();
  await page.waitForURL(`**/d/${documentId}`);
  await page.locator('.ProseMirror').waitFor();
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
  return page;
}

/** The secretariat signed in through the sign-in page, on the document list. */
export async function openAsSecretariat(browser: Browser, server: ServerProcess): Promise<Page> {
  await adminOf(server); // makes sure the account exists
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  await page.goto(`${server.url}/signin`);
  await page.getByTestId('signin-name').fill(SECRETARIAT.name);
  await page.getByTestId('signin-password').fill(SECRETARIAT.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('document-list').waitFor();
  return page;
}

/** Puts the caret at the end of the first block containing `text`. */
export async function clickEndOf(page: Page, text: string): Promise<void> {
  const block = page.locator('.ProseMirror > *', { hasText: text }).first();
  await block.scrollIntoViewIfNeeded();
  await block.click();
  await page.keyboard.press('End');
}
