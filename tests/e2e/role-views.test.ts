import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { caretAtEnd, goTo, paragraph, paragraphText, selectRight } from '../support/negotiation.js';
import { openAsSecretariat, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

/**
 * What each role sees on the EG-ITRs report, on a meeting-room laptop and a
 * wide screen: readers a reading view, not a toolbar of greyed-out buttons;
 * the identity badge whole; other people's caret names out of the way of the
 * text; an undo far from where one reads shown before it happens.
 */

const REPORT = 'eg-itrs-final-report';
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
] as const;
/** Screenshots of what was checked, to look at after a run. */
const SHOTS = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'drafting-room-screenshots');

type Who = 'secretariat' | 'chair' | 'delegate' | 'commenter' | 'observer';

/** What the badge must show in full, whatever the width. */
const SHOWN: Record<Who, string[]> = {
  secretariat: ['Test Secretariat', 'Secretariat'],
  chair: ['Ambassador Rodríguez', 'Chair'],
  delegate: ['Amina Hassan', 'Egypt', 'Delegate'],
  commenter: ['Jane Doe', 'ITU Legal', 'Commenter'],
  observer: ['Pierre Martin', 'UNESCO', 'Observer'],
};

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Is the paragraph numbered `num` on screen, below the sticky header and toolbar? */
function inView(page: Page, num: string): Promise<boolean> {
  return paragraph(page, num).evaluate((el) => {
    const box = el.getBoundingClientRect();
    const covered = document.querySelector('.toolbar')?.getBoundingClientRect().bottom ?? 0;
    return box.bottom > covered && box.top < window.innerHeight;
  });
}

describe('views by role on the EG-ITRs report, in Chromium', () => {
  const stage = serverAndBrowser();
  const pages = {} as Record<Who, Page>;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const secretariat = await openAsSecretariat(stage.browser, stage.server);
    await secretariat.goto(`${stage.server.url}/d/${REPORT}`);
    await secretariat.locator('[data-testid="connection-status"][data-synced="true"]').waitFor();
    pages.secretariat = secretariat;
    pages.chair = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Ambassador Rodríguez', delegation: 'Chair' });
    pages.delegate = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    pages.commenter = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Jane Doe', delegation: 'ITU Legal', role: 'commenter' });
    pages.observer = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Pierre Martin', delegation: 'UNESCO', role: 'observer' });
    for (const page of Object.values(pages)) await paragraph(page, '1.1.3').waitFor();
  });

  for (const { width, height } of SIZES) {
    describe(`at ${width}x${height}`, () => {
      beforeAll(async () => {
        for (const page of Object.values(pages)) await page.setViewportSize({ width, height });
      });

      it('gives the observer and the commenter a reading view, and the others the tools of their role', async () => {
        const { observer, commenter, delegate, chair } = pages;
        for (const [page, notice] of [
          [observer, 'View only'],
          [commenter, 'You can comment'],
        ] as const) {
          expect(await page.locator('[role="toolbar"]').count()).toBe(0);
          expect(await page.locator('[data-testid^="toolbar-"]').count()).toBe(0);
          const bar = page.getByTestId('reading-bar');
          expect(await bar.getByTestId('reading-notice').textContent()).toContain(notice);
          expect(await bar.getByTestId('reading-notice').isVisible()).toBe(true);
          // Nothing greyed out, no invitation to bracket: going to a paragraph and its status are what is left.
          expect(await bar.locator('button:disabled, select:disabled, input:disabled').count()).toBe(0);
          expect(await bar.textContent()).not.toMatch(/bracket/i);
          expect(await bar.getByTestId('jump-input').isVisible()).toBe(true);
        }
        expect(await delegate.getByTestId('toolbar-bold').isVisible()).toBe(true);
        expect(await delegate.getByTestId('toolbar-bracket').isVisible()).toBe(true);
        expect(await delegate.getByTestId('reading-bar').count()).toBe(0);
        // The chair takes no positions: formatting and paragraph status, no Bracket.
        expect(await chair.getByTestId('toolbar-bold').isVisible()).toBe(true);
        expect(await chair.getByTestId('toolbar-bracket').count()).toBe(0);
        expect(await chair.getByTestId('paragraph-status-select').isVisible()).toBe(true);
      });

      it('shows every role its whole identity badge and a readable drafting mode, with nothing overlapping in the header', async () => {
        for (const [who, page] of Object.entries(pages) as Array<[Who, Page]>) {
          const badge = page.getByTestId('identity-button');
          const box = (await badge.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(width);
          const header = (await page.locator('header.app-header').boundingBox())!;
          expect(box.y + box.height).toBeLessThanOrEqual(header.y + header.height);
          // Not cut: neither the badge nor its text is wider inside than it shows.
          const cut = await badge.evaluate((el) =>
            [el, el.querySelector('.identity-button__text')!].filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.className),
          );
          expect(cut, who).toEqual([]);
          // As rendered: a part hidden by the stylesheet would not count as shown.
          // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point here.
          const text = await page.getByTestId('identity-text').innerText();
          for (const part of SHOWN[who]) expect(text, who).toContain(part);

          const mode = page.getByTestId('drafting-mode');
          const modeBox = (await mode.boundingBox())!;
          expect(modeBox.x + modeBox.width).toBeLessThanOrEqual(width);
          expect(await mode.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
          expect(await mode.textContent()).toContain('Open drafting');

          // The header's parts stand side by side; only the title gives way (with an ellipsis).
          const parts = await page.locator('header.app-header > *').evaluateAll((els) =>
            els.map((el) => {
              const r = el.getBoundingClientRect();
              return { name: el.className, x: r.x, y: r.y, width: r.width, height: r.height };
            }),
          );
          for (const [i, a] of parts.entries()) for (const b of parts.slice(i + 1)) expect(overlaps(a, b), `${who}: ${a.name} / ${b.name}`).toBe(false);
          await page.screenshot({ path: path.join(SHOTS, `header-${who}-${width}.png`), clip: { x: 0, y: 0, width, height: 120 } });
        }
        // The menu names it all in full, and signs out.
        const { observer } = pages;
        await observer.getByTestId('identity-button').click();
        const menu = observer.getByTestId('identity-menu');
        expect(await menu.getByTestId('identity-menu-delegation').textContent()).toBe('Observer: UNESCO');
        expect(await menu.getByTestId('identity-menu-role').textContent()).toContain('Observer');
        expect(await menu.getByTestId('sign-out').isVisible()).toBe(true);
        const menuBox = (await menu.boundingBox())!;
        expect(menuBox.x).toBeGreaterThanOrEqual(0);
        expect(menuBox.x + menuBox.width).toBeLessThanOrEqual(width);
        await observer.screenshot({ path: path.join(SHOTS, `identity-menu-${width}.png`), clip: { x: 0, y: 0, width, height: 320 } });
        await observer.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });
      });

      it("shows another person's caret name after a move and on hover, and not over the text otherwise", async () => {
        const { delegate, observer } = pages;
        await paragraph(delegate, '1.1.2').click();
        await delegate.keyboard.press('End');
        const caret = observer.locator('.collaboration-carets__caret', { hasText: 'Amina Hassan' });
        const label = caret.locator('.collaboration-carets__label');
        await caret.waitFor({ state: 'attached' });
        expect(await label.textContent()).toBe('Amina Hassan (Egypt)');
        // A moment later the name is gone from over the line above.
        await label.waitFor({ state: 'hidden', timeout: 10_000 });
        await caret.hover();
        await label.waitFor({ state: 'visible' });
        await expect.poll(() => label.evaluate((el) => getComputedStyle(el).opacity)).toBe('1');
        await observer.screenshot({ path: path.join(SHOTS, `caret-hover-${width}.png`) });
        await observer.mouse.move(width / 2, 10);
        await label.waitFor({ state: 'hidden' });
      });

      it('brings an edit made far above into view before undoing it', async () => {
        const { delegate } = pages;
        const before = await paragraphText(delegate, '1.1.3');
        await caretAtEnd(delegate, '1.1.3');
        const typed = ` Typed at ${width}.`;
        await delegate.keyboard.type(typed);
        await expect.poll(() => paragraphText(delegate, '1.1.3')).toBe(before + typed);

        // Reading far below with the wheel: the caret stays in 1.1.3, off-screen.
        await delegate.mouse.move(width / 3, height / 2);
        for (let i = 0; i < 40 && (await inView(delegate, '1.1.3')); i++) await delegate.mouse.wheel(0, 1500);
        await delegate.mouse.wheel(0, 4000);
        await expect.poll(() => inView(delegate, '1.1.3')).toBe(false);

        // Ctrl+Z on the wide screen, the toolbar's Undo on the laptop: the same command.
        if (width === 1440) await delegate.keyboard.press('Control+z');
        else await delegate.getByTestId('toolbar-undo').click();
        await expect.poll(() => paragraphText(delegate, '1.1.3')).toBe(before);
        await expect.poll(() => inView(delegate, '1.1.3')).toBe(true);
        await delegate.screenshot({ path: path.join(SHOTS, `undo-revealed-${width}.png`) });
      });
    });
  }

  it('keeps the bracket card with the caret, and labels the record of a resolved bracket in the margin', async () => {
    const { delegate, chair } = pages;
    for (const page of [delegate, chair]) await page.setViewportSize({ width: 1440, height: 900 });
    const card = delegate.getByTestId('bracket-details');
    await goTo(delegate, '1.2.1');
    await selectRight(delegate, 'In accordance'.length);
    await delegate.getByTestId('toolbar-bracket').click();
    await card.waitFor();
    // Plain text of the same paragraph: the card stays, to work on it.
    await caretAtEnd(delegate, '1.2.1');
    expect(await card.count()).toBe(1);
    // Plain text of another paragraph: the card goes; back into the bracket, it comes back.
    await caretAtEnd(delegate, '1.1.3');
    await card.waitFor({ state: 'detached' });
    await goTo(delegate, '1.2.1');
    await card.waitFor();

    await chair.getByTestId('bracket-panel-item').filter({ hasText: 'In accordance' }).first().click();
    await chair.getByTestId('bracket-details').getByTestId('resolve-choose-A').click();
    const marker = paragraph(delegate, '1.2.1').getByTestId('resolution-marker');
    await marker.waitFor({ timeout: 10_000 });
    expect(await marker.textContent()).toBe('↺ 1');
    expect(await marker.getAttribute('title')).toBe('Resolved brackets: 1 — see record');
    await marker.hover();
    await delegate.screenshot({ path: path.join(SHOTS, 'resolution-marker-1440.png') });
  });

  it('shows a delegate in proposals mode no formatting buttons, and says why', async () => {
    const { secretariat, delegate } = pages;
    await secretariat.getByTestId('drafting-mode-select').selectOption('proposals');
    await secretariat.getByTestId('drafting-mode-confirm').click();
    const note = delegate.getByTestId('toolbar-mode-note');
    await note.waitFor();
    expect(await note.getAttribute('title')).toContain('In proposals mode changes to the text are proposals');
    for (const id of ['bold', 'italic', 'heading-1', 'bullet-list']) expect(await delegate.getByTestId(`toolbar-${id}`).count()).toBe(0);
    // Bracketing and undo are still theirs; the secretariat keeps every tool.
    expect(await delegate.getByTestId('toolbar-bracket').isVisible()).toBe(true);
    expect(await delegate.getByTestId('toolbar-undo').isVisible()).toBe(true);
    expect(await secretariat.getByTestId('toolbar-bold').isVisible()).toBe(true);
    await delegate.screenshot({ path: path.join(SHOTS, 'delegate-proposals-toolbar.png'), clip: { x: 0, y: 0, width: 1024, height: 120 } });
  });
});
