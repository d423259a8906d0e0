import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { caretAtEnd, goTo, paragraph, paragraphText, selectWords } from '../support/negotiation.js';
import { openEditorAs } from '../support/pages.js';
import { serverAndBrowser } from '../support/stage.js';

const REPORT = 'eg-itrs-final-report';
const EGYPT_WORDS = 'as Egypt recalled in plenary';
const BRACKETED = 'Divergent views';
const EGYPT_DELETES = 'in particular no practical problems, ';
const SHOTS = path.resolve(import.meta.dirname, '../../test-results/readings');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 768 },
];

/** The readings panel: beside the text on a wide screen, in the negotiation drawer on a narrow one. */
async function readingsPanel(page: Page) {
  const panel = page.getByTestId('readings-panel');
  if (!(await panel.isVisible()) && (await page.getByTestId('toggle-negotiation').isVisible())) {
    await page.getByTestId('toggle-negotiation').click();
  }
  await panel.waitFor({ state: 'visible' });
  await panel.scrollIntoViewIfNeeded();
  return panel;
}

async function issue(page: Page, expectedName: string): Promise<void> {
  const panel = await readingsPanel(page);
  await panel.getByTestId('issue-reading').click();
  expect(await panel.getByTestId('issue-reading-name').inputValue()).toBe(expectedName);
  await panel.getByTestId('issue-reading-confirm').click();
  await panel.locator(`[data-testid="reading-item"][data-reading="${expectedName}"]`).waitFor();
}

async function shoot(page: Page, name: string, prepare?: () => Promise<void>): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    // The layout follows the window (drawers below a width) on the next frames.
    await page.waitForTimeout(300);
    await prepare?.();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.width}x${size.height}.png`) });
  }
  await page.setViewportSize(SIZES[0]!);
}

describe('readings of the EG-ITRs report: the Chair issues Rev.1 and Rev.2, Egypt edits between them, the United States compares', () => {
  const stage = serverAndBrowser();
  let chair: Page;
  let egypt: Page;
  let usa: Page;

  beforeAll(() => {
    mkdirSync(SHOTS, { recursive: true });
  });

  it('the Chair issues Rev.1, and a second Rev.1 is refused with a reason', async () => {
    chair = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Shahira Selim', delegation: 'Chair' });
    await chair.setViewportSize(SIZES[0]!);
    await paragraph(chair, '3.3').waitFor();
    await issue(chair, 'Rev.1');
    const item = chair.locator('[data-testid="reading-item"][data-reading="Rev.1"]');
    expect(await item.textContent()).toContain('Chair');

    const panel = await readingsPanel(chair);
    await panel.getByTestId('issue-reading').click();
    await panel.getByTestId('issue-reading-name').fill('Rev.1');
    await panel.getByTestId('issue-reading-confirm').click();
    await expect.poll(() => panel.getByTestId('issue-reading-error').textContent()).toMatch(/Rev\.1/);
    expect(await panel.getByTestId('reading-item').count()).toBe(1);
    await chair.screenshot({ path: path.join(SHOTS, 'issue-refused-1440x900.png') });
    await panel.getByRole('button', { name: 'Cancel' }).click();
  });

  it('Egypt changes 3.3 and brackets words in 3.2; the Chair issues Rev.2', async () => {
    egypt = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Amina Hassan', delegation: 'Egypt' });
    // A delegate lists the readings but does not issue them.
    expect(await (await readingsPanel(egypt)).getByTestId('reading-item').count()).toBe(1);
    expect(await egypt.getByTestId('issue-reading').count()).toBe(0);

    await caretAtEnd(egypt, '3.3');
    await egypt.keyboard.type(` ${EGYPT_WORDS}`);
    await selectWords(egypt, '3.3', EGYPT_DELETES);
    await egypt.keyboard.press('Backspace');
    await selectWords(egypt, '3.2', BRACKETED);
    await egypt.getByTestId('toolbar-bracket').click();
    await egypt.getByTestId('bracket-details').waitFor();

    await expect.poll(() => paragraphText(chair, '3.3'), { timeout: 10_000 }).toContain(EGYPT_WORDS);
    await expect.poll(() => paragraphText(chair, '3.3'), { timeout: 10_000 }).not.toContain(EGYPT_DELETES);
    // The Chair marks 3.1 agreed: a status change between the two readings.
    await goTo(chair, '3.1');
    await chair.getByTestId('paragraph-status-select').selectOption('agreed');
    await expect.poll(async () => (await paragraph(chair, '3.2').locator('.bracket-label').allTextContents()).join(' '), { timeout: 10_000 }).toContain('bracketed by Egypt');
    await issue(chair, 'Rev.2');

    await shoot(chair, 'panel', async () => {
      await readingsPanel(chair);
    });
  });

  it('the United States compares Rev.1 with Rev.2: Egypt’s words in 3.3, Egypt’s bracket in 3.2', async () => {
    usa = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'John Smith', delegation: 'United States' });
    await usa.setViewportSize(SIZES[0]!);
    const rev1 = (await readingsPanel(usa)).locator('[data-testid="reading-item"][data-reading="Rev.1"]');
    await rev1.waitFor();
    // From Rev.1 the comparison goes forward, to the next reading.
    expect(await rev1.getByTestId('reading-compare-with').locator('option:checked').textContent()).toBe('Rev.2');
    await rev1.getByTestId('reading-compare').click();
    await usa.waitForURL(/\/compare\?from=.+&to=.+/);

    const changed = usa.locator('[data-testid="compared-paragraph"][data-ref="3.3"]');
    await changed.waitFor();
    const inserted = changed.getByTestId('piece-inserted').filter({ hasText: 'Egypt recalled' });
    expect(await inserted.count()).toBeGreaterThan(0);
    expect(await inserted.first().getAttribute('data-by')).toBe('Egypt');
    expect(await inserted.first().locator('ins').getAttribute('title')).toBe('inserted by Egypt');
    // Underlined and struck through, not only coloured.
    expect(await inserted.first().locator('ins').evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('underline');
    const deleted = changed.getByTestId('piece-deleted').filter({ hasText: 'practical problems' });
    expect(await deleted.first().getAttribute('data-by')).toBe('Egypt');
    expect(await deleted.first().locator('del').evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain('line-through');
    expect(await usa.locator('[data-testid="compared-paragraph"][data-ref="3.1"]').getByTestId('status-change').textContent()).toBe('Open → Agreed');

    const bracket = usa.locator('[data-testid="compare-event"][data-kind="bracket-opened"][data-ref="3.2"]');
    await bracket.waitFor();
    expect(await bracket.textContent()).toContain('Egypt');
    await bracket.getByRole('button').click();
    const target = usa.locator('[data-testid="compared-paragraph"][data-ref="3.2"]');
    await expect.poll(() => target.evaluate((el) => el.classList.contains('cmp-para--flash'))).toBe(true);
    await expect.poll(() => target.isVisible()).toBe(true);

    // Narrowed to Egypt, its change stays listed; the Word file's link is the tracked-changes export.
    await usa.getByTestId('compare-delegation').selectOption('Egypt');
    expect(await changed.count()).toBe(1);
    expect(await usa.getByTestId('compare-export-docx').getAttribute('href')).toMatch(/\/compare\/export\?from=.+&to=.+&format=docx$/);

    await usa.getByTestId('compare-delegation').selectOption('');
    await expect.poll(() => target.evaluate((el) => el.classList.contains('cmp-para--flash')), { timeout: 5000 }).toBe(false);
    await shoot(usa, 'comparison');
  });

  it('the United States opens Rev.1 read-only: the banner, the numbers, no Egypt words, no editing', async () => {
    await usa.goBack();
    const rev1 = (await readingsPanel(usa)).locator('[data-testid="reading-item"][data-reading="Rev.1"]');
    await rev1.getByTestId('reading-open').click();
    await usa.waitForURL(/\/readings\//);
    const banner = usa.getByTestId('reading-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/^Rev\.1 of .+, read-only/);

    await paragraph(usa, '3.3').waitFor();
    expect(await paragraphText(usa, '3.3')).not.toContain(EGYPT_WORDS);
    expect(await usa.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    const before = await paragraphText(usa, '3.2');
    await paragraph(usa, '3.2').click();
    await usa.keyboard.type('typed into a reading');
    expect(await paragraphText(usa, '3.2')).toBe(before);
    await shoot(usa, 'reading-rev1', () => paragraph(usa, '3.2').evaluate((el) => el.scrollIntoView({ block: 'center' })));

    // Rev.2 draws Egypt's bracket with its proponent, as the live text does.
    await usa.getByTestId('reading-back').click();
    const rev2 = (await readingsPanel(usa)).locator('[data-testid="reading-item"][data-reading="Rev.2"]');
    await rev2.getByTestId('reading-open').click();
    await usa.waitForURL(/\/readings\//);
    await expect.poll(async () => (await paragraph(usa, '3.2').locator('.bracket-label').allTextContents()).join(' '), { timeout: 10_000 }).toContain('bracketed by Egypt');
    expect(await paragraphText(usa, '3.3')).toContain(EGYPT_WORDS);
    await shoot(usa, 'reading-rev2', () => paragraph(usa, '3.2').evaluate((el) => el.scrollIntoView({ block: 'center' })));
  });

  it('the secretariat restores Rev.1 as the live text, after a confirmation: Egypt’s words leave the live text, the readings stay', async () => {
    const secretariat = await openEditorAs(stage.browser, stage.server, REPORT, { name: 'Doreen Mensah', delegation: 'Secretariat', role: 'secretariat' });
    const rev1 = (await readingsPanel(secretariat)).locator('[data-testid="reading-item"][data-reading="Rev.1"]');
    await rev1.getByTestId('reading-restore').click();
    expect(await rev1.textContent()).toContain('Restore Rev.1 as the live text? This is a new change; the history is kept.');
    // A delegation sees no restore at all.
    expect(await egypt.getByTestId('reading-restore').count()).toBe(0);
    await rev1.getByTestId('reading-restore-confirm').click();
    await expect.poll(() => paragraphText(egypt, '3.3'), { timeout: 10_000 }).not.toContain(EGYPT_WORDS);
    expect(await paragraphText(egypt, '3.3')).toContain(EGYPT_DELETES.trim());
    expect(await secretariat.getByTestId('reading-item').count()).toBe(2);
  });
});
