import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { caretAtEnd, goTo, paragraph, selectWords } from '../support/negotiation.js';
import { adminOf, openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';
const ARTIFACTS = 'test-results/screen';
/** A smooth scroll over a long report takes a moment, then settles on the paragraph. */
const SCROLLED = { timeout: 5000 };

/** Whether the paragraph numbered `num` is (at least half) on this page's screen. */
function inView(page: Page, num: string): Promise<boolean> {
  return paragraph(page, num).evaluate((el) => {
    const box = el.getBoundingClientRect();
    const visible = Math.min(box.bottom, innerHeight) - Math.max(box.top, 0);
    return visible >= Math.min(box.height, innerHeight) / 2;
  });
}

/** The page's scroll once the wheel's own smooth scrolling has stopped. */
async function settledScroll(page: Page): Promise<number> {
  let last = -1;
  await expect
    .poll(async () => {
      const now = await page.evaluate(() => scrollY);
      const still = now === last;
      last = now;
      return still;
    })
    .toBe(true);
  return last;
}

const underDiscussion = (page: Page) => page.locator('.ProseMirror .is-under-discussion').getAttribute('data-num');

async function setFocusOn(chair: Page, num: string): Promise<void> {
  await goTo(chair, num);
  await chair.getByTestId('set-focus').click();
  await expect.poll(() => underDiscussion(chair)).toBe(num);
}

describe('the meeting room on the EG-ITRs report: the chair, the plenary screen and a delegate who follows, in Chromium', () => {
  const stage = serverAndBrowser();
  let chair: Page;
  let egypt: Page;
  let screen: Page;

  beforeAll(async () => {
    chair = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Shahira Selim', delegation: 'Chair' });
    egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    // The projector laptop: an observer invitation, no account.
    const invitation = await (await adminOf(stage.server)).invite(REPORT, 'observer', 'Plenary screen');
    screen = await (await stage.browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await screen.goto(invitation.url);
    await screen.getByTestId('join-name').fill('Plenary screen');
    await screen.getByTestId('join-submit').click();
    await screen.waitForURL(`**/d/${REPORT}`);
    await screen.goto(`${stage.server.url}/d/${REPORT}/screen`);
    await paragraph(screen, '3.4').waitFor();
  });

  it('marks the paragraph the chair sets for everyone, and the screen and a following delegate go there', async () => {
    await egypt.getByTestId('follow-chair').check();
    await setFocusOn(chair, '3.5');

    await expect.poll(() => underDiscussion(screen)).toBe('3.5');
    await expect.poll(() => inView(screen, '3.5'), SCROLLED).toBe(true);
    await expect.poll(() => underDiscussion(egypt)).toBe('3.5');
    await expect.poll(() => inView(egypt, '3.5'), SCROLLED).toBe(true);
    expect(await egypt.getByTestId('focus-now').textContent()).toBe('Now: 3.5');
    // Nothing on the screen can be typed into.
    expect(await screen.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    expect(await screen.getByTestId('screen-footer').textContent()).toContain('agreed');

    mkdirSync(ARTIFACTS, { recursive: true });
    await settledScroll(screen);
    await screen.screenshot({ path: `${ARTIFACTS}/screen-1920x1080.png` });
  });

  it('stops following when the delegate scrolls away, and the screen alone follows the chair to 4.2', async () => {
    await egypt.mouse.move(600, 500);
    // Up, away from 3.5 and from 4.2 further down.
    await egypt.mouse.wheel(0, -3000);
    await egypt.getByTestId('follow-back').waitFor();
    expect(await egypt.getByTestId('follow-chair').isChecked()).toBe(false);
    await expect.poll(() => inView(egypt, '3.5')).toBe(false);
    const scrolled = await settledScroll(egypt);

    await setFocusOn(chair, '4.2');
    await expect.poll(() => underDiscussion(screen)).toBe('4.2');
    await expect.poll(() => inView(screen, '4.2'), SCROLLED).toBe(true);
    // The delegate sees where the room is, but their view stays where they put it.
    await expect.poll(() => egypt.getByTestId('follow-back').textContent()).toBe('Back to 4.2');
    expect(await underDiscussion(egypt)).toBe('4.2');
    // Where they put it (give or take blocks off screen drawn at their real height meanwhile), not at 4.2.
    expect(Math.abs((await settledScroll(egypt)) - scrolled)).toBeLessThan(150);
    expect(await inView(egypt, '4.2')).toBe(false);

    // "Back to 4.2" takes them there and follows again.
    await egypt.getByTestId('follow-back').click();
    await expect.poll(() => inView(egypt, '4.2'), SCROLLED).toBe(true);
    expect(await egypt.getByTestId('follow-chair').isChecked()).toBe(true);

    // Typing in another paragraph is acting too: following stops again.
    await caretAtEnd(egypt, '4.1');
    await egypt.keyboard.type(' (Egypt)');
    await egypt.getByTestId('follow-back').waitFor();
    expect(await egypt.getByTestId('follow-chair').isChecked()).toBe(false);
  });

  it('moves the screen to the nearest paragraph when the one under discussion is deleted, and says so', async () => {
    await caretAtEnd(chair, '4.3');
    await chair.keyboard.press('Enter');
    await chair.keyboard.type('A line to be deleted');
    // A new (unnumbered) paragraph right after 4.3: were the caret elsewhere, the line would be in another paragraph and the rest would not hold.
    expect(await paragraph(chair, '4.3').evaluate((el) => el.nextElementSibling?.textContent)).toContain('A line to be deleted');
    await chair.getByTestId('set-focus').click();
    await screen.locator('.ProseMirror .is-under-discussion', { hasText: 'A line to be deleted' }).waitFor();

    await chair.keyboard.press('Shift+Home');
    await chair.keyboard.press('Backspace');
    await chair.keyboard.press('Backspace');
    await expect.poll(() => underDiscussion(screen)).toBe('4.4');
    expect(await screen.getByTestId('screen-moved').textContent()).toBe('The paragraph under discussion was deleted: now at 4.4');
    await expect.poll(() => inView(screen, '4.4'), SCROLLED).toBe(true);
  });

  it("with 'follow my caret', the chair's caret sets the paragraph under discussion as it moves", async () => {
    await chair.getByTestId('meeting-menu').click();
    await chair.getByTestId('follow-caret').check();
    await chair.getByTestId('meeting-menu').click();
    await goTo(chair, '3.2');
    await expect.poll(() => underDiscussion(screen)).toBe('3.2');
    await expect.poll(() => inView(screen, '3.2'), SCROLLED).toBe(true);
    expect(await chair.getByTestId('focus-now').textContent()).toBe('Now: 3.2');
  });

  it("splits the screen with the section's open brackets and their proponents, by name", async () => {
    await selectWords(egypt, '3.5', 'divergent views');
    await egypt.getByTestId('toolbar-bracket').click();
    const card = egypt.getByTestId('bracket-details');
    await card.getByTestId('add-alternative').click();
    await card.getByTestId('alternative-text').fill('differing views');
    await card.getByTestId('alternative-submit').click();
    await expect.poll(() => card.getByTestId('option-B').textContent()).toContain('differing views');

    // The chair's caret (follow my caret is still on) takes the room to 3.5.
    await goTo(chair, '3.5');
    await expect.poll(() => underDiscussion(screen)).toBe('3.5');
    // In the text: the brackets with who is behind them.
    await expect.poll(async () => (await paragraph(screen, '3.5').locator('.bracket-label').allTextContents()).join(' ')).toContain('Egypt');

    // B on the projector laptop opens the split.
    expect(await screen.getByTestId('screen-brackets').count()).toBe(0);
    await screen.keyboard.press('b');
    const split = screen.getByTestId('screen-brackets');
    await split.waitFor();
    expect(await split.getByRole('heading').textContent()).toBe('Open brackets in section 3 1');
    const bracket = split.getByTestId('screen-bracket');
    expect(await bracket.count()).toBe(1);
    const said = await bracket.textContent();
    expect(said).toContain('3.5');
    expect(said).toMatch(/A\s*divergent views\s*bracketed by Egypt/);
    expect(said).toMatch(/B\s*differing views\s*proposed by Egypt/);
    // The text column got narrower: the paragraph is brought back into view.
    await expect.poll(() => inView(screen, '3.5'), SCROLLED).toBe(true);
    await settledScroll(screen);
    await screen.screenshot({ path: `${ARTIFACTS}/screen-split-1920x1080.png` });

    // The chair moves to section 4: no open brackets there.
    await goTo(chair, '4.2');
    await expect.poll(() => split.getByRole('heading').textContent()).toBe('Open brackets in section 4 0');
    expect(await split.textContent()).toContain('None');
    await screen.keyboard.press('b');
    await expect.poll(() => screen.getByTestId('screen-brackets').count()).toBe(0);
  });

  it('lets only the chair and the secretariat set the focus', async () => {
    expect(await egypt.getByTestId('set-focus').count()).toBe(0);
    expect(await chair.getByTestId('follow-caret').count()).toBe(1);
    expect(await chair.getByTestId('open-screen').getAttribute('href')).toBe(`/d/${REPORT}/screen`);
    // The header with the meeting controls, for the chair and for a delegate, on a laptop and a small screen.
    for (const [who, page] of [['chair', chair], ['delegate', egypt]] as const) {
      for (const [width, height] of [[1440, 900], [1024, 768]] as const) {
        await page.setViewportSize({ width, height });
        await page.getByTestId('focus-now').waitFor();
        if (who === 'chair' && width === 1024) await page.getByTestId('meeting-menu').click();
        await settledScroll(page);
        await page.screenshot({ path: `${ARTIFACTS}/editor-${who}-${width}x${height}.png` });
      }
    }
  });
});
