import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { goTo, paragraph, selectWords } from '../support/negotiation.js';
import { openEditorAs, type Person } from '../support/pages.js';
import { screenTop, scrollToMiddle } from '../support/reading-place.js';
import { serverAndBrowser, type Stage } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/layout');

type Size = { width: number; height: number };
type Box = { top: number; bottom: number; left: number; right: number };

const SIZES: Size[] = [
  { width: 1440, height: 900 },
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

async function openAt(stage: Stage, person: Person, size: Size): Promise<Page> {
  const page = await openEditorAs(stage.browser, stage.server, REPORT, person);
  await page.setViewportSize(size);
  await paragraph(page, '2.6').waitFor();
  return page;
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return { top: box.y, bottom: box.y + box.height, left: box.x, right: box.x + box.width };
}

/** The topmost element at each point, as the reader's click would find it: which of the given regions it belongs to. */
function hits(page: Page, points: Array<[number, number]>, regions: string[]): Promise<string[]> {
  return page.evaluate(
    ({ points, regions }) =>
      points.map(([x, y]) => {
        const element = document.elementFromPoint(x, y);
        return regions.find((region) => element?.closest(region)) ?? `${element?.tagName ?? 'nothing'}.${element?.className ?? ''}`;
      }),
    { points, regions },
  );
}

/** Points spread over a box: `columns` by `rows`, kept a little inside its edges. */
function grid(box: Box, columns: number, rows: number): Array<[number, number]> {
  const points: Array<[number, number]> = [];
  for (let c = 0; c < columns; c++) {
    for (let r = 0; r < rows; r++) {
      points.push([box.left + 8 + ((box.right - box.left - 16) * c) / (columns - 1), box.top + 8 + ((box.bottom - box.top - 16) * r) / Math.max(rows - 1, 1)]);
    }
  }
  return points;
}

/**
 * Nothing covers the header, the bar under it or the text, at the current
 * scroll: the header is at the very top, the bar right under it, every
 * point of the header and the bar belongs to them, and every point of the
 * text on screen belongs to the page, or, only while a drawer is open, to
 * that drawer, which hangs below the bar and ends at the window's bottom.
 */
async function assertNothingCovers(page: Page, openDrawer: string | null): Promise<void> {
  const { width, height } = page.viewportSize()!;
  const header = await boxOf(page, '.app-header');
  const bar = await boxOf(page, '.editor-bar');
  expect(header.top).toBe(0);
  expect(Math.abs(bar.top - header.bottom)).toBeLessThan(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

  expect(new Set(await hits(page, grid({ ...header, top: header.top + 4, bottom: header.bottom - 4 }, 9, 1), ['.app-header']))).toEqual(new Set(['.app-header']));
  expect(new Set(await hits(page, grid({ ...bar, top: bar.top + 2, bottom: bar.bottom - 2 }, 9, 2), ['.editor-bar']))).toEqual(new Set(['.editor-bar']));

  const text = await boxOf(page, '.page .ProseMirror');
  const onScreen: Box = { ...text, top: Math.max(text.top, bar.bottom), bottom: Math.min(text.bottom, height) };
  const drawer = openDrawer ? await boxOf(page, `[data-testid="${openDrawer}"]`) : null;
  if (drawer) {
    expect(drawer.top).toBeGreaterThanOrEqual(bar.bottom - 0.5);
    expect(drawer.bottom).toBeLessThanOrEqual(height + 0.5);
    expect(drawer.right).toBeLessThanOrEqual(width + 0.5);
  }
  const points = grid(onScreen, 7, 6);
  const found = await hits(page, points, ['.page', '.drawer']);
  points.forEach(([x, y], i) => {
    const inDrawer = drawer !== null && x >= drawer.left && x <= drawer.right && y >= drawer.top && y <= drawer.bottom;
    expect({ x, y, hit: found[i] }).toEqual({ x, y, hit: inDrawer ? '.drawer' : '.page' });
  });
}

/**
 * Scrolls the paragraph to the middle of the window and waits until it stays
 * there: the blocks around it are drawn at their real height only once on
 * screen (content-visibility), and the browser keeps the paragraph in place
 * as they are. Returns where its top stands.
 */
async function settledAt(page: Page, num: string): Promise<number> {
  await scrollToMiddle(page, num);
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const top = await screenTop(page, num);
    if (Math.abs(top - last) < 1) return top;
    last = top;
  }
  return last;
}

async function shoot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

describe('the editor at 1440, 1280 and 1024 pixels: nothing covers the header or the text, everything within reach', () => {
  const stage = serverAndBrowser();

  it('1440x900: the text, the comments margin or pane, and the negotiation sidebar side by side', async () => {
    const size = SIZES[0]!;
    const page = await openAt(stage, { name: 'Amina Hassan', delegation: 'Egypt' }, size);
    await assertNothingCovers(page, null);
    // Three columns that do not overlap, all within the window.
    const text = await boxOf(page, '.page');
    const comments = await boxOf(page, '[data-testid="comments-sidebar"]');
    const sidebar = await boxOf(page, '.sidebar');
    expect(text.right).toBeLessThanOrEqual(comments.left);
    expect(comments.right).toBeLessThanOrEqual(sidebar.left);
    expect(sidebar.right).toBeLessThanOrEqual(size.width);
    expect(await page.getByTestId('toggle-comments').count()).toBe(0);
    await shoot(page, '1440-top');

    await settledAt(page, '2.6');
    await paragraph(page, '2.6').getByTestId('comment-badge').click();
    const card = page.getByTestId('comments-sidebar').getByTestId('comment-thread');
    await expect.poll(() => card.getAttribute('class')).toContain('thread-card--active');
    // Level with its paragraph, beside it (the cards glide into place).
    await expect
      .poll(async () => Math.abs((await card.boundingBox())!.y - (await paragraph(page, '2.6').boundingBox())!.y))
      .toBeLessThan(20);
    await assertNothingCovers(page, null);
    await shoot(page, '1440-margin');

    await page.getByTestId('comments-show-list').click();
    await page.getByTestId('comments-pane').waitFor();
    await assertNothingCovers(page, null);
    const pane = await boxOf(page, '[data-testid="comments-pane"]');
    expect(pane.left).toBeGreaterThanOrEqual(text.right);
    expect(pane.right).toBeLessThanOrEqual(sidebar.left);
    expect(pane.bottom).toBeLessThanOrEqual(size.height);
    await shoot(page, '1440-pane');
    await page.context().close();
  });

  for (const [size, bracketed] of [
    [SIZES[1]!, 'no practical problems'],
    [SIZES[2]!, 'provision-by-provision'],
  ] as const) {
    const where = size.width === 1280 ? '3.3' : '3.4';
    it(`${size.width}x${size.height}: the comments and the negotiation sidebar are drawers under the toolbar, never below the document`, async () => {
      const page = await openAt(stage, { name: 'Amina Hassan', delegation: 'Egypt' }, size);
      expect(await page.getByTestId('comments-sidebar').count()).toBe(0);
      expect(await page.locator('.workspace > .sidebar').count()).toBe(0);
      await assertNothingCovers(page, null);
      // The page ends with the document: nothing was moved below it.
      const end = await page.evaluate(() => {
        const box = document.querySelector('.page')!.getBoundingClientRect();
        return document.documentElement.scrollHeight - (box.bottom + window.scrollY);
      });
      expect(end).toBeLessThan(200);
      await shoot(page, `${size.width}-top`);

      // A comment badge opens the drawer at its thread; the header does not move.
      const before = await settledAt(page, '2.6');
      await paragraph(page, '2.6').getByTestId('comment-badge').click();
      const drawer = page.getByTestId('comments-drawer');
      await drawer.waitFor();
      expect(await drawer.locator('[data-testid="pane-thread"][aria-expanded="true"]').getAttribute('data-ref')).toBe('2.6');
      // The text stays where the reader had it: the drawer comes over it.
      expect(Math.abs((await screenTop(page, '2.6')) - before)).toBeLessThan(1);
      await assertNothingCovers(page, 'comments-drawer');
      await shoot(page, `${size.width}-comments-drawer`);

      // One drawer at a time: the negotiation one replaces it.
      await page.getByTestId('toggle-negotiation').click();
      await page.getByTestId('negotiation-drawer').getByTestId('brackets-panel').waitFor();
      expect(await drawer.isVisible()).toBe(false);
      expect(await page.getByTestId('negotiation-drawer').getByTestId('presence-list').isVisible()).toBe(true);
      await assertNothingCovers(page, 'negotiation-drawer');
      await page.getByTestId('negotiation-drawer').getByTestId('drawer-close').click();
      expect(await page.getByTestId('negotiation-drawer').isVisible()).toBe(false);

      // Bracketing opens the card in its drawer, deep in the document, with the toolbar still in reach.
      await goTo(page, where);
      await selectWords(page, where, bracketed);
      await page.getByTestId('toolbar-bracket').click();
      const details = page.getByTestId('negotiation-drawer').getByTestId('bracket-details');
      await details.getByTestId('option-A').waitFor();
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(3000);
      await assertNothingCovers(page, 'negotiation-drawer');
      await shoot(page, `${size.width}-bracket-card`);

      // Closed, nothing covers the text.
      await page.getByTestId('negotiation-drawer').getByTestId('drawer-close').click();
      await assertNothingCovers(page, null);
      await page.context().close();
    });
  }

  it('1024x768: an observer’s reading view keeps the same bar, drawers and clear text', async () => {
    const size = SIZES[2]!;
    const page = await openAt(stage, { name: 'Jane Doe', delegation: 'Observer', role: 'observer' }, size);
    await assertNothingCovers(page, null);
    await page.getByTestId('toggle-comments').click();
    await page.getByTestId('comments-pane').waitFor();
    await page.getByTestId('pane-thread').first().click();
    await page.getByTestId('comments-pane').getByTestId('comment-thread').waitFor();
    // Nobody asks an observer to comment.
    expect(await page.getByTestId('add-comment').count()).toBe(0);
    expect(await page.getByTestId('reply-open').count()).toBe(0);
    await assertNothingCovers(page, 'comments-drawer');
    await shoot(page, '1024-observer-comments');
    await page.context().close();
  });
});
