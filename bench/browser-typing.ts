import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { launchBrowser } from '../tests/support/browser.js';
import { signInSecretariat, type Admin } from '../tests/support/admin.js';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.js';
import { track, trackTempDir, removeTempDir } from './children.js';
import { MachineCpuWindow, cpuSeconds } from './proc-stats.js';
import { waitForQuietMachine } from './quiet-machine.js';
import { distribution, type Distribution } from './stats.js';

/**
 * Typing in the editor, in a real headless Chromium against the real server:
 * from a keystroke's keydown to its character in the page's DOM, as the
 * editor renders it, for 200 keystrokes into an open paragraph of the seed
 * report and of a 300-page draft (the report's text imported 25 times, as
 * bench/export-import.ts makes it, through the server's import API). Also how
 * long each document takes to open editable, from "Join" to every paragraph
 * on the page.
 *
 *   npx tsx bench/browser-typing.ts
 *
 * BENCH_BROWSER_PROFILE=<dir> writes a Chromium CPU profile of each typing run there.
 */

const REPORT_ID = 'eg-itrs-final-report';
const REPORT_FILE = path.resolve(import.meta.dirname, '../seeds/002_d139c0fac23d053a.txt');
const COPIES_FOR_300_PAGES = 25;
const KEYSTROKES = 200;
/** Not counted: the first keystrokes compile the code paths of typing. */
const WARM_UP = 10;
/** A fast typist: ten characters a second. */
const KEY_INTERVAL_MS = 100;
const TYPED = 'the delegations agreed to consider the proposal at the next session, ';

const GOALS = { reportP95Ms: 5, largeP95Ms: 16, openMs: 2000 };

export type TypingFigure = {
  document: string;
  paragraphs: number;
  /** From pressing "Join" to the editor editable with every paragraph on the page. */
  openMs: number;
  latencyMs: Distribution;
  /** Of that, from the browser's input event to the end of the editor's handling (ProseMirror, Yjs, plugins). */
  editorMs: Distribution;
  /** The whole machine's CPU while typing (browser and server included), % of one core; high means the figure is suspect. */
  machineCpuPercent: number;
  /** The server's CPU while typing, % of one core. */
  serverCpuPercent: number;
  /** Other processes' CPU just before typing began, after waiting (bounded) for a quiet machine. */
  backgroundCpuPercent: number;
};

export type BrowserTypingBench = {
  chromium: string;
  keystrokes: number;
  keyIntervalMs: number;
  figures: TypingFigure[];
  goals: typeof GOALS & { met: boolean };
};

const round = (ms: number) => Math.round(ms * 10) / 10;

async function importLargeDraft(admin: Admin): Promise<{ id: string; paragraphs: number }> {
  const text = fs.readFileSync(REPORT_FILE, 'utf8');
  const form = new FormData();
  const body = Array.from({ length: COPIES_FOR_300_PAGES }, () => text).join('\n');
  form.set('file', new Blob([body], { type: 'text/plain' }), '300-page-draft.txt');
  const res = await admin.api('/api/documents/import', { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const created = (await res.json()) as { id: string; paragraphCount: number };
  return { id: created.id, paragraphs: created.paragraphCount };
}

async function paragraphCount(admin: Admin, id: string): Promise<number> {
  const res = await admin.api(`/api/documents/${id}`);
  return ((await res.json()) as { paragraphCount: number }).paragraphCount;
}

/** A delegate comes in through an invitation; resolves once every paragraph is on an editable page. */
async function openAsDelegate(browser: Browser, admin: Admin, id: string, paragraphs: number): Promise<{ page: Page; openMs: number }> {
  const invitation = await admin.invite(id, 'delegate', 'Egypt');
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // tsx names the functions this file hands to page.evaluate with a helper the page does not have.
  await context.addInitScript('globalThis.__name = (fn) => fn');
  const page = await context.newPage();
  await page.goto(invitation.url);
  await page.getByTestId('join-name').fill('Bench Typist');
  const started = performance.now();
  await page.getByTestId('join-submit').click();
  await page.waitForFunction(
    (n) => document.querySelectorAll('.ProseMirror[contenteditable="true"] [data-id]').length >= n,
    paragraphs,
    { polling: 'raf', timeout: 60_000 },
  );
  const openMs = performance.now() - started;
  await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
  return { page, openMs };
}

/** The caret after the last character of an open, numbered paragraph in the middle of the document; its id. */
async function caretInMiddleParagraph(page: Page): Promise<string> {
  return page.evaluate(() => {
    const candidates = [...document.querySelectorAll<HTMLElement>('.ProseMirror p[data-num][data-id]')].filter(
      (p) => !p.classList.contains('is-locked') && (p.textContent ?? '').length > 80,
    );
    const target = candidates[Math.floor(candidates.length / 2)];
    if (!target) throw new Error('no open paragraph to type into');
    target.scrollIntoView({ block: 'center' });
    const walker = document.createTreeWalker(target, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement?.closest('[contenteditable="false"]') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let last: Node | null = null;
    while (walker.nextNode()) last = walker.currentNode;
    (target.closest('.ProseMirror') as HTMLElement).focus();
    const range = document.createRange();
    range.setStart(last!, last!.textContent?.length ?? 0);
    range.collapse(true);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    return target.dataset.id!;
  });
}

/**
 * In the page: each keydown's timestamp (when Chromium received the key, so
 * time spent waiting behind earlier work counts), and the moment the
 * paragraph's DOM holds one more character. This observer is created after
 * ProseMirror's, so it runs after the editor has turned the browser's input
 * into a transaction and rendered it.
 */
async function installRecorder(page: Page, paragraphId: string): Promise<void> {
  await page.evaluate((id) => {
    const paragraph = () => document.querySelector(`.ProseMirror [data-id="${CSS.escape(id)}"]`);
    const base = paragraph()!.textContent!.length;
    const downs: number[] = [];
    const inputs: number[] = [];
    const latencies: number[] = [];
    const editorShares: number[] = [];
    window.addEventListener('keydown', (event) => downs.push(event.timeStamp), { capture: true });
    // After the browser put the character in the DOM, before ProseMirror reads it.
    window.addEventListener('input', () => inputs.push(performance.now()), { capture: true });
    new MutationObserver(() => {
      const now = performance.now();
      const typed = (paragraph()?.textContent?.length ?? base) - base;
      while (latencies.length < Math.min(typed, downs.length)) {
        editorShares.push(now - (inputs[latencies.length] ?? now));
        latencies.push(now - downs[latencies.length]!);
      }
    }).observe(document.querySelector('.ProseMirror')!, { subtree: true, childList: true, characterData: true });
    Object.assign(window, { typingLatencies: latencies, typingEditorShares: editorShares });
  }, paragraphId);
}

async function typePaced(page: Page, text: string): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < text.length; i++) {
    const due = started + i * KEY_INTERVAL_MS - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    await page.keyboard.press(text[i] === ' ' ? 'Space' : text[i]!);
  }
}

async function measureTyping(
  browser: Browser,
  server: ServerProcess,
  admin: Admin,
  name: string,
  id: string,
  paragraphs: number,
  profileDir?: string,
): Promise<TypingFigure> {
  const { page, openMs } = await openAsDelegate(browser, admin, id, paragraphs);
  try {
    // Let the panels and the first sync settle, as a delegate reads before typing.
    await page.waitForTimeout(1500);
    const paragraphId = await caretInMiddleParagraph(page);
    await page.waitForTimeout(300);
    const quiet = await waitForQuietMachine(Number(process.env.BENCH_QUIET_WAIT_SECONDS ?? 60));
    await installRecorder(page, paragraphId);
    const text = TYPED.repeat(Math.ceil((KEYSTROKES + WARM_UP) / TYPED.length)).slice(0, KEYSTROKES + WARM_UP);
    const cdp = profileDir ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const machine = new MachineCpuWindow();
    const serverCpu = cpuSeconds(server.process.pid!);
    const typingStarted = performance.now();
    await typePaced(page, text);
    const serverCpuPercent = ((cpuSeconds(server.process.pid!) - serverCpu) / ((performance.now() - typingStarted) / 1000)) * 100;
    const machineCpuPercent = machine.stop();
    await page.waitForFunction((n) => (window as unknown as { typingLatencies: number[] }).typingLatencies.length >= n, text.length, {
      timeout: 30_000,
    });
    if (cdp && profileDir) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(profileDir, { recursive: true });
      fs.writeFileSync(path.join(profileDir, `typing-${name}.cpuprofile`), JSON.stringify(profile));
    }
    const { latencies, shares } = await page.evaluate(() => {
      const recorded = window as unknown as { typingLatencies: number[]; typingEditorShares: number[] };
      return { latencies: recorded.typingLatencies, shares: recorded.typingEditorShares };
    });
    return {
      document: name,
      paragraphs,
      openMs: round(openMs),
      latencyMs: distribution(latencies.slice(WARM_UP)),
      editorMs: distribution(shares.slice(WARM_UP)),
      machineCpuPercent: Math.round(machineCpuPercent),
      serverCpuPercent: Math.round(serverCpuPercent),
      backgroundCpuPercent: Math.round(quiet.backgroundCpuPercent),
    };
  } finally {
    await page.context().close();
  }
}

export async function benchBrowserTyping(): Promise<BrowserTypingBench> {
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  // The client as `npm start` serves it, built from this tree (as the browser tests do): never a stale build.
  await build({ configFile: path.resolve(import.meta.dirname, '../vite.config.ts'), logLevel: 'warn' });
  try {
    server = await startServerProcess({ env: { LOG_LEVEL: 'info' } });
    track(server.process);
    trackTempDir(server.dataDir);
    browser = await launchBrowser();
    const admin = await signInSecretariat(server);
    const large = await importLargeDraft(admin);
    const profileDir = process.env.BENCH_BROWSER_PROFILE || undefined;
    const figures = [
      await measureTyping(browser, server, admin, 'seed report', REPORT_ID, await paragraphCount(admin, REPORT_ID), profileDir),
      await measureTyping(browser, server, admin, '300-page draft', large.id, large.paragraphs, profileDir),
    ];
    const [report, draft] = figures as [TypingFigure, TypingFigure];
    const met =
      report.latencyMs.p95 < GOALS.reportP95Ms && draft.latencyMs.p95 < GOALS.largeP95Ms && figures.every((f) => f.openMs < GOALS.openMs);
    return { chromium: browser.version(), keystrokes: KEYSTROKES, keyIntervalMs: KEY_INTERVAL_MS, figures, goals: { ...GOALS, met } };
  } finally {
    await browser?.close();
    await server?.stop();
    if (server) removeTempDir(server.dataDir);
  }
}

/** The figures as lines of text, for this script and for `npm run bench`. */
export function describeBrowserTyping(result: BrowserTypingBench): string[] {
  const ms = (v: number) => v.toFixed(1);
  return [
    `typing in Chromium ${result.chromium}, keydown to the character in the DOM, ${result.keystrokes} keystrokes every ${result.keyIntervalMs} ms:`,
    ...result.figures.map(
      (f) =>
        `  ${f.document} (${f.paragraphs} paragraphs): p50 ${ms(f.latencyMs.p50)} ms, p95 ${ms(f.latencyMs.p95)} ms, max ${ms(f.latencyMs.max)} ms ` +
        `(of which the editor's handling p50 ${ms(f.editorMs.p50)} ms, p95 ${ms(f.editorMs.p95)} ms); ` +
        `opened editable in ${Math.round(f.openMs)} ms (CPU while typing, % of a core: machine ${f.machineCpuPercent}, server ${f.serverCpuPercent}; ${f.backgroundCpuPercent} before)`,
    ),
    `  goals: p95 < ${GOALS.reportP95Ms} ms (report), < ${GOALS.largeP95Ms} ms (300 pages), open < ${GOALS.openMs} ms: ${result.goals.met ? 'met' : 'NOT MET'}`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const result = await benchBrowserTyping();
  for (const line of describeBrowserTyping(result)) console.log(line);
  process.exit(result.goals.met ? 0 : 1);
}
