import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addThread, listThreads, reply } from '../../shared/model/comments.js';
import { findBlockByRef } from '../../shared/model/paragraphs.js';
import { goTo, paragraph } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { serverAndBrowser, type Stage } from '../support/stage.js';
import { connectSynced, type TestClient } from '../support/yjs-client.js';

const REPORT = 'eg-itrs-final-report';
const IMPORTED = 'Link to be inserted';
const KENYA = { name: 'Wanjiru Mwangi', delegation: 'Kenya' };
const KENYA_TEXT = 'Kenya asks that 3.5 keep the wording of the sixth meeting.';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/comments-pane');

type Size = { width: number; height: number };

/** A person's page at a window size: opened as people open it, then the window made that size (the layout follows). */
async function openAt(stage: Stage, person: { name: string; delegation: string }, size: Size): Promise<Page> {
  const page = await openEditorAs(stage.browser, stage.server, REPORT, person);
  await page.setViewportSize(size);
  await paragraph(page, '2.6').waitFor();
  return page;
}

/** Kenya, from a stock client: the delegation speaking on 3.5. */
async function kenyaClient(stage: Stage): Promise<TestClient> {
  const admin = await adminOf(stage.server);
  return connectSynced(stage.server.wsUrl, REPORT, (await admin.invite(REPORT, 'delegate', KENYA.delegation)).token);
}

function itemOn(page: Page, ref: string) {
  return page.getByTestId('comments-pane').locator(`[data-testid="pane-thread"][data-ref="${ref}"]`);
}

/** The refs of the threads the pane lists, in its order. */
function listedRefs(page: Page): Promise<string[]> {
  return page.getByTestId('comments-pane').getByTestId('pane-thread').evaluateAll((items) => items.map((i) => i.getAttribute('data-ref') ?? ''));
}

/** The paragraph the caret is in, as the toolbar names it ("¶ 3.5"). */
function caretWhere(page: Page): Promise<string | null> {
  return page.locator('.status-control__where, .status-display__where').first().textContent();
}

async function landsOn(page: Page, ref: string): Promise<void> {
  await expect.poll(() => caretWhere(page)).toBe(`¶ ${ref}`);
  await expect.poll(async () => (await paragraph(page, ref).getAttribute('class')) ?? '').toContain('is-flashing');
}

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Wide: the margin's "List" opens the pane beside the page. Narrow: the toolbar's "Comments" opens its drawer. */
async function openPane(page: Page, wide: boolean): Promise<void> {
  if (wide) await page.getByTestId('comments-show-list').click();
  else if ((await page.getByTestId('toggle-comments').getAttribute('aria-expanded')) !== 'true') await page.getByTestId('toggle-comments').click();
  await page.getByTestId('comments-pane').waitFor();
}

/**
 * The whole round, at one window size: a delegation reads the imported
 * thread on 2.6, Kenya comments on 3.5 from elsewhere, the pane shows it as
 * unread, filters by delegation, steps between the two (the caret and the
 * flash land in the right paragraph), marks what was opened as read (also
 * after a reload), and Back returns to where the reader was.
 */
async function paneRound(stage: Stage, size: Size): Promise<void> {
  const wide = size.width >= 1366;
  const egypt = await openAt(stage, { name: 'Amina Hassan', delegation: 'Egypt' }, size);
  const pane = egypt.getByTestId('comments-pane');

  if (wide) {
    await egypt.getByTestId('comments-sidebar').waitFor();
    expect(await egypt.getByTestId('comments-sidebar').getByTestId('comments-count').textContent()).toBe('1');
  } else {
    // No margin here: the comments are one button away, with what is unread on it.
    expect(await egypt.getByTestId('comments-sidebar').count()).toBe(0);
    await expect.poll(() => egypt.getByTestId('toggle-comments-unread').textContent()).toBe('1 new');
  }
  await openPane(egypt, wide);
  expect(await listedRefs(egypt)).toEqual(['2.6']);
  expect(await pane.getByTestId('comments-count').textContent()).toBe('1');
  // Never opened by this person: unread.
  expect(await itemOn(egypt, '2.6').getByTestId('unread-marker').textContent()).toBe('1 new');

  const before = await egypt.evaluate(() => window.scrollY);
  await itemOn(egypt, '2.6').click();
  await landsOn(egypt, '2.6');
  expect(await itemOn(egypt, '2.6').getAttribute('aria-expanded')).toBe('true');
  expect(await pane.getByTestId('comment-thread').textContent()).toContain(IMPORTED);
  await expect.poll(() => itemOn(egypt, '2.6').getByTestId('unread-marker').count()).toBe(0);
  expect(await pane.getByTestId('comments-unread').count()).toBe(0);
  // The reply box stays closed until asked for.
  expect(await pane.getByTestId('reply-input').count()).toBe(0);
  await pane.getByTestId('reply-open').click();
  await pane.getByTestId('reply-input').waitFor();
  expect(await pane.getByTestId('reply-submit').isDisabled()).toBe(true);
  await pane.getByTestId('reply-input').press('Escape');
  await expect.poll(() => pane.getByTestId('reply-input').count()).toBe(0);
  // Escape closed the box, not the drawer it is in.
  expect(await pane.isVisible()).toBe(true);

  // Kenya comments on 3.5 from its own client: listed after 2.6, unread.
  const kenya = await kenyaClient(stage);
  const p35 = findBlockByRef(kenya.doc, '3.5')!;
  addThread(kenya.doc, { paragraphId: p35.id!, text: KENYA_TEXT, actor: KENYA });
  await expect.poll(() => listedRefs(egypt), { timeout: 10_000 }).toEqual(['2.6', '3.5']);
  expect(await pane.getByTestId('comments-count').textContent()).toBe('2');
  expect(await itemOn(egypt, '3.5').getByTestId('unread-marker').textContent()).toBe('1 new');
  expect(await pane.getByTestId('comments-unread').textContent()).toBe('1 unread');
  if (!wide) expect(await egypt.getByTestId('toggle-comments-unread').textContent()).toBe('1 new');
  // The badge in the text says so too.
  const badge35 = paragraph(egypt, '3.5').getByTestId('comment-badge');
  await expect.poll(() => badge35.getAttribute('data-unread')).toBe('1');
  expect(await paragraph(egypt, '2.6').getByTestId('comment-badge').getAttribute('data-unread')).toBe('0');
  await shoot(egypt, `${size.width}-pane-unread`);

  // Filters: by delegation, the counts saying how many of how many.
  const delegation = pane.getByTestId('comments-filter-delegation');
  expect(await delegation.locator('option').allTextContents()).toEqual(['All', 'Kenya', 'Original document']);
  await delegation.selectOption('Kenya');
  expect(await listedRefs(egypt)).toEqual(['3.5']);
  expect(await pane.getByTestId('comments-count').textContent()).toBe('1 of 2');
  await delegation.selectOption('Original document');
  expect(await listedRefs(egypt)).toEqual(['2.6']);
  await pane.getByTestId('comments-filter-status').selectOption('resolved');
  expect(await listedRefs(egypt)).toEqual([]);
  expect(await pane.getByTestId('comments-count').textContent()).toBe('0 of 2');
  await pane.getByTestId('comments-filter-status').selectOption('all');
  await delegation.selectOption('');
  expect(await listedRefs(egypt)).toEqual(['2.6', '3.5']);

  // Next and previous: the caret and the flash go with them; opening 3.5 reads it.
  expect(await pane.getByTestId('comments-position').textContent()).toBe('1/2');
  await pane.getByTestId('comments-next').click();
  await landsOn(egypt, '3.5');
  expect(await itemOn(egypt, '3.5').getAttribute('aria-expanded')).toBe('true');
  expect(await pane.getByTestId('comments-position').textContent()).toBe('2/2');
  expect(await pane.getByTestId('comments-next').isDisabled()).toBe(true);
  await expect.poll(() => itemOn(egypt, '3.5').getByTestId('unread-marker').count()).toBe(0);
  expect(await pane.getByTestId('comments-unread').count()).toBe(0);
  if (!wide) expect(await egypt.getByTestId('toggle-comments-unread').count()).toBe(0);
  await expect.poll(() => badge35.getAttribute('data-unread')).toBe('0');
  await pane.getByTestId('comments-previous').click();
  await landsOn(egypt, '2.6');

  // The same with the keyboard, from the list: the keyboard follows the thread it opened.
  await itemOn(egypt, '2.6').focus();
  await egypt.keyboard.press('ArrowDown');
  await landsOn(egypt, '3.5');
  expect(await egypt.evaluate(() => document.activeElement?.getAttribute('data-ref'))).toBe('3.5');
  await shoot(egypt, `${size.width}-pane-open`);

  // Back: to where the reader was before going through the comments.
  expect(Math.abs((await egypt.evaluate(() => window.scrollY)) - before)).toBeGreaterThan(1000);
  await pane.getByTestId('comments-back').click();
  await expect.poll(async () => Math.abs((await egypt.evaluate(() => window.scrollY)) - before)).toBeLessThan(40);
  expect(await pane.getByTestId('comments-back').count()).toBe(0);

  // Read stays read: the marks are kept in this browser, for this person and document.
  await egypt.reload();
  await paragraph(egypt, '2.6').waitFor();
  await expect.poll(() => egypt.getByTestId('comment-badge').count(), { timeout: 10_000 }).toBe(2);
  await openPane(egypt, wide);
  expect(await listedRefs(egypt)).toEqual(['2.6', '3.5']);
  expect(await pane.getByTestId('unread-marker').count()).toBe(0);

  kenya.destroy();
  await egypt.context().close();
}

/**
 * The chair follows the comments as they come: a counter on the pane's
 * button and a quiet notice, while the caret and the keyboard stay in the
 * text being typed.
 */
async function chairFollows(stage: Stage, size: Size): Promise<void> {
  const wide = size.width >= 1366;
  const chair = await openAt(stage, { name: 'Shahira Selim', delegation: 'Chair' }, size);
  const counter = wide ? chair.getByTestId('comments-sidebar').getByTestId('comments-unread') : chair.getByTestId('toggle-comments-unread');
  const before = Number.parseInt((await counter.textContent()) ?? '', 10);
  expect(before).toBeGreaterThan(0);

  await goTo(chair, '3.2');
  await chair.keyboard.type('Chair ');
  const kenya = await kenyaClient(stage);
  const thread = listThreads(kenya.doc).find((t) => t.messages[0]?.text === KENYA_TEXT)!;
  reply(kenya.doc, { threadId: thread.id, text: 'Kenya adds a word on 3.5.', actor: KENYA });
  await chair.getByTestId('notice').filter({ hasText: 'Kenya (Wanjiru Mwangi) replied on ¶ 3.5' }).waitFor({ timeout: 10_000 });
  expect(await counter.textContent()).toBe(`${before + 1} new`);
  // Nothing took the keyboard: the chair types on in 3.2.
  expect(await chair.evaluate(() => document.activeElement?.closest('.ProseMirror') !== null)).toBe(true);
  await chair.keyboard.type('continues');
  await expect.poll(() => paragraph(chair, '3.2').textContent()).toContain('Chair continues');
  expect(await chair.locator('dialog[open]').count()).toBe(0);
  await shoot(chair, `${size.width}-chair-notice`);

  kenya.destroy();
  await chair.context().close();
}

describe('the comments pane beside a wide page (1440x900), in Chromium', () => {
  const stage = serverAndBrowser();
  const size = { width: 1440, height: 900 };

  it('lists the imported thread and Kenya’s new one, filters, steps between them and keeps what was read', async () => {
    await paneRound(stage, size);
  });

  it('tells the chair of new comments without taking the keyboard', async () => {
    await chairFollows(stage, size);
  });
});

describe('the comments pane in a drawer on a 1024x768 laptop, in Chromium', () => {
  const stage = serverAndBrowser();
  const size = { width: 1024, height: 768 };

  it('lists the imported thread and Kenya’s new one, filters, steps between them and keeps what was read', async () => {
    await paneRound(stage, size);
  });

  it('opens at the thread of a comment badge, and starts a comment on 3.5 in the drawer', async () => {
    const usa = await openAt(stage, { name: 'John Smith', delegation: 'United States' }, size);
    const drawer = usa.getByTestId('comments-drawer');
    expect(await drawer.isVisible()).toBe(false);
    await paragraph(usa, '2.6').getByTestId('comment-badge').click();
    await drawer.waitFor();
    expect(await itemOn(usa, '2.6').getAttribute('aria-expanded')).toBe('true');
    expect(await drawer.getByTestId('comment-thread').textContent()).toContain(IMPORTED);
    expect(await usa.getByTestId('toggle-comments').getAttribute('aria-expanded')).toBe('true');

    await goTo(usa, '3.5');
    const add = drawer.getByTestId('add-comment');
    expect(await add.textContent()).toBe('+ Comment on 3.5');
    await add.click();
    const composer = drawer.getByTestId('comment-composer');
    await composer.waitFor();
    // In the drawer, in sight: not at the bottom of a 20,000-pixel page.
    const box = (await composer.boundingBox())!;
    expect(box.y).toBeGreaterThan(0);
    expect(box.y + box.height).toBeLessThan(size.height);
    await composer.getByTestId('comment-input').fill('The United States supports Kenya on 3.5.');
    await composer.getByTestId('comment-submit').click();
    await expect.poll(() => listedRefs(usa)).toEqual(['2.6', '3.5', '3.5']);
    expect(await drawer.locator('[data-testid="pane-thread"][aria-expanded="true"]').getAttribute('data-ref')).toBe('3.5');
    expect(await drawer.getByTestId('comment-thread').textContent()).toContain('The United States supports Kenya on 3.5.');
    await shoot(usa, `${size.width}-new-comment`);

    await drawer.getByTestId('drawer-close').click();
    expect(await drawer.isVisible()).toBe(false);
    await usa.context().close();
  });

  it('tells the chair of new comments without taking the keyboard', async () => {
    await chairFollows(stage, size);
  });
});
