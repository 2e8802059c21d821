// Page tests of the playground: real headless Chromium (Debian's, never a downloaded one) driven by
// Playwright against the built page (dist/web, from `npm run build:web`) on a loopback server.
// Screenshots go to test-artifacts/playground/ (not tracked).

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright';
// @ts-expect-error: a plain JS module without types
import { serve } from '../web/serve.js';

const root = fileURLToPath(new URL('../dist/web/', import.meta.url));
const shots = fileURLToPath(new URL('../test-artifacts/playground/', import.meta.url));
// vitest.config.ts finds chromium (CHROMIUM_PATH or `which chromium`) and passes its path on; without
// one, a developer's run skips the page tests as it skips the browser project, and CI fails.
const chromiumPath = process.env.CHROMIUM_PATH;
const enabled = !process.env.SKIP_BROWSER && chromiumPath !== undefined;
if (!process.env.SKIP_BROWSER && process.env.CI && !enabled) throw new Error('chromium not found: CI must run the playground page tests');
/** Waits for the page (a shared 2-core CI machine can be slow): polls up to 30 s. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 100 });

describe.runIf(enabled)('playground (built page, headless Chromium)', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    if (!existsSync(`${root}index.html`)) throw new Error('dist/web is missing: run "npm run build:web" (npm test does) before the page tests');
    server = (await serve(root, 0)) as Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(shots, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  // Loading the page costs more than any check on it: a few pages, each shared by the tests of
  // one group in order (a test leaves the page as the next one expects, or opens it again).
  async function newPage(): Promise<void> {
    await page?.close();
    page = await browser.newPage({ viewport: { width: 1500, height: 1200 }, acceptDownloads: true });
    problems = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  }

  afterEach(async (ctx) => {
    await page?.screenshot({ path: `${shots}${ctx.task.name.replace(/[^\w]+/g, '-')}.png`, fullPage: true }).catch(() => {});
  }, 60_000);

  async function open(query = ''): Promise<void> {
    await newPage();
    await page.goto(`${base}${query}`);
    await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  }

  /** Replaces the editor's text the way a user pastes it. */
  async function typeScenario(text: string): Promise<void> {
    // A hover tooltip left from an earlier step would take the click: the pointer leaves, and it closes.
    await page.mouse.move(0, 0);
    await poll(() => page.locator('.cm-tooltip-hover').count()).toBe(0);
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(text);
  }

  const row = (profile: string) => page.locator(`#matrix tbody tr[data-profile="${profile}"]`);

  it('loads with no console errors, the default scenario run under every profile', async () => {
    await open();
    await poll(() => page.locator('#matrix tbody tr').count()).toBe(9);
    await poll(() => page.locator('#picture .region').count()).toBeGreaterThan(0);
    expect(await page.locator('#scenario-menu option:not([disabled])').count()).toBeGreaterThanOrEqual(27);
    expect(problems).toEqual([]);
  });

  it('picking a scenario shows the matrix with its expect marks, and a wrong expect is marked as differing', async () => {
    await page.selectOption('#scenario-menu', 'regressions/s01-stack-switch-callback-62440.json');
    await poll(() => page.locator('#run-title').textContent()).toContain('S01');
    const doc = JSON.parse(readFileSync(new URL('../scenarios/regressions/s01-stack-switch-callback-62440.json', import.meta.url), 'utf8'));
    for (const profile of Object.keys(doc.expect)) {
      await poll(() => row(profile).locator('td.expect').getAttribute('data-expect')).toBe('match');
    }
    // Claim the opposite for go1.22.0: the mark must turn.
    expect(await row('go1.22.0').locator('td.verdict').textContent()).toBe('ok');
    doc.expect['go1.22.0'] = 'crash';
    await typeScenario(JSON.stringify(doc, null, 2));
    await poll(() => row('go1.22.0').locator('td.expect').getAttribute('data-expect')).toBe('differ');
    expect(await row('go1.22.5').locator('td.expect').getAttribute('data-expect')).toBe('match');
    // Clicking a cell selects that run.
    await row('go1.17').locator('td').first().click();
    await poll(() => page.locator('#run-title').textContent()).toContain('under go1.17:');
    expect(problems).toEqual([]);
  });

  it('a deep link to S03 under go1.22.0 shows morestack on g0 and the failed check in the picture', async () => {
    await open('?scenario=s03-partial-overlap-g1-62440.json&profile=go1.22.0');
    await poll(() => page.locator('#run-title').textContent()).toContain('morestack on g0');
    expect(await page.locator('#scenario-menu').inputValue()).toBe('regressions/s03-partial-overlap-g1-62440.json');
    expect(await row('go1.22.0').getAttribute('class')).toContain('selected');
    const failed = page.locator('#picture [data-testid=failed-check]');
    await poll(() => failed.count()).toBe(1);
    expect(await failed.locator('title').textContent()).toMatch(/sp=0x408000 against guard 0x4082a0: FAILS/);
    // extraM1's believed bounds drawn as a bracket, block B (where SP really is) and the freed block A hatched.
    expect(await page.locator('#picture .bounds[data-m=extraM1] title').textContent()).toContain('[0x407f00, 0x410300]');
    expect(await page.locator('#picture .region.freed[data-label=A]').count()).toBe(1);
    expect(await page.locator('#picture .region:not(.freed)[data-label=B]').count()).toBe(1);
    expect(await page.locator('#explain').textContent()).toMatch(/kept/);
    // The selection travels in the hash.
    await poll(() => page.evaluate(() => location.hash)).toMatch(/scenario=s03-partial-overlap-g1-62440\.json&profile=go1\.22\.0&step=\d+/);
    expect(problems).toEqual([]);
  });

  it('scrubs through the run with the slider, the arrow keys and "go to crash"', async () => {
    await poll(() => page.locator('#picture [data-testid=failed-check]').count()).toBe(1);
    const slider = page.locator('#step');
    await slider.focus();
    await page.keyboard.press('Home');
    await poll(() => page.locator('#step-label').textContent()).toMatch(/^event 0 of/);
    expect(await page.locator('#picture [data-testid=failed-check]').count()).toBe(0);
    await page.keyboard.press('ArrowRight');
    await poll(() => page.locator('#step-label').textContent()).toMatch(/^event 1 of/);
    expect(await page.locator('#events li[aria-current=step]').getAttribute('data-index')).toBe('1');
    // The event list takes the arrow keys too.
    await page.locator('#events').focus();
    await page.keyboard.press('ArrowDown');
    await poll(() => page.locator('#events li[aria-current=step]').getAttribute('data-index')).toBe('2');
    await page.keyboard.press('ArrowUp');
    await poll(() => page.locator('#step-label').textContent()).toMatch(/^event 1 of/);
    // The picture in words, for screen readers.
    expect(await page.locator('#picture-desc').textContent()).toContain('thread stack T1 [0x800000, 0x880000)');
    // The state panel shows the core's records at that op.
    await poll(() => page.locator('#state').textContent()).toContain('after op steps[0]');
    await page.click('#goto-crash');
    await poll(() => page.locator('#step-label').textContent()).toMatch(/ · crash: /);
    await poll(() => page.locator('#picture [data-testid=failed-check]').count()).toBe(1);
    await poll(() => page.locator('#state').textContent()).toContain('after op steps[9]');
    expect(await page.locator('#state').textContent()).toContain('[0x407f00, 0x410300]');
    // A shared link keeps the step.
    await page.locator('#step').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await poll(() => page.evaluate(() => location.hash)).toContain('step=2');
    await page.goto(await page.evaluate(() => location.href.replace('?scenario=s03-partial-overlap-g1-62440.json&profile=go1.22.0', '')));
    await page.reload();
    await page.waitForSelector('body[data-ready=true]');
    await poll(() => page.locator('#step-label').textContent()).toMatch(/^event 2 of/);
    expect(problems).toEqual([]);
  });

  it('diffs go1.22.0 against go1.22.5: the first diverging event and both pictures', async () => {
    await page.selectOption('#diff-a', 'go1.22.0');
    await page.selectOption('#diff-b', 'go1.22.5');
    await page.click('#diff-run');
    await poll(() => page.locator('#diff-result').textContent()).toContain('first diverging event');
    // The explorer's account: each side's last bounds event at the divergence.
    expect(await page.locator('#diff-result .diff-context').textContent()).toMatch(/go1\.22\.0: last g0 bounds event: g0 bounds kept \[0x800000, 0x880000\]/);
    const text = await page.locator('#diff-result pre').textContent();
    // go1.22.0 keeps bounds the callback's SP lies in; go1.22.5 asks for the stack's bounds every time.
    expect(text).toMatch(/go1\.22\.0\s+steps\[1\] T1 extraM1 bounds-kept/);
    expect(text).toMatch(/go1\.22\.5\s+steps\[1\] T1 extraM1 getstackbound/);
    expect(await page.locator('#diff-picture-a .region').count()).toBeGreaterThan(0);
    expect(await page.locator('#diff-picture-b .region').count()).toBeGreaterThan(0);
    // A profile against itself with a flag override.
    await page.selectOption('#diff-b', 'go1.22.0');
    await page.selectOption('#diff-flag', 'CB_UPDATE_V2');
    await page.selectOption('#diff-flag-value', 'on');
    await page.click('#diff-run');
    await poll(() => page.locator('#diff-result').textContent()).toContain('go1.22.0 + CB_UPDATE_V2=on');
    expect(problems).toEqual([]);
  });

  it('downloads the run as a Perfetto trace and as result JSON', async () => {
    await poll(() => page.locator('#run-title').textContent()).toContain('morestack on g0');
    const [trace] = await Promise.all([page.waitForEvent('download'), page.click('#download-trace')]);
    expect(trace.suggestedFilename()).toBe('S03-partial-overlap-G1.go1.22.0.perfetto.json');
    const t = JSON.parse(readFileSync(await trace.path(), 'utf8'));
    expect(t.otherData.fatal).toBe('morestack on g0');
    expect(t.traceEvents.some((e: { name: string }) => e.name === 'g0-check')).toBe(true);
    const [res] = await Promise.all([page.waitForEvent('download'), page.click('#download-result')]);
    const r = JSON.parse(readFileSync(await res.path(), 'utf8'));
    expect(r.verdict).toBe('crash');
    expect(r.profile).toBe('go1.22.0');
    expect(problems).toEqual([]);
  });

  it('the editor completes keys from the scenario schema and shows its docs on hover', async () => {
    // Hover over a callback step's "sp": the schema's description of that field.
    await page.locator('#editor').scrollIntoViewIfNeeded();
    const at = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.querySelector('.cm-content')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent!.indexOf('"sp"');
        if (i < 0) continue;
        n.parentElement!.scrollIntoView({ block: 'center' });
        const r = document.createRange();
        r.setStart(n, i + 1);
        r.setEnd(n, i + 3);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
      return undefined;
    });
    expect(at).toBeDefined();
    // Hover tooltips wait for the pointer to rest: move onto the word (again, a pixel apart, if it did not show).
    let nudge = 0;
    await poll(async () => {
      await page.mouse.move(at!.x + (nudge++ % 2), at!.y);
      await page.waitForTimeout(400);
      return page.locator('.cm-tooltip').allTextContents();
    }).toEqual([expect.stringContaining('SP_cb, the system SP cgocallback records')]);
    await page.mouse.move(0, 0);
    await poll(() => page.locator('.cm-tooltip-hover').count()).toBe(0);
    // A new key at the top level: completion offers the schema's keys.
    await page.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('"pla');
    await poll(() => page.locator('.cm-tooltip-autocomplete li').allTextContents()).toContain('"platform"');
    await page.keyboard.press('Escape');
  });

  it('an invalid edit shows the error on the field it names', async () => {
    const text = readFileSync(new URL('../scenarios/regressions/s03-partial-overlap-g1-62440.json', import.meta.url), 'utf8');
    await typeScenario(text.replace('"sp": "0x00408100"', '"sp": "0xnothex"'));
    const mark = page.locator('.cm-lintRange-error');
    await poll(() => mark.count()).toBe(1);
    expect(await mark.textContent()).toBe('"0xnothex"');
    // The same message in words under the editor, with its line and column.
    const line = text.split('\n').findIndex((l) => l.includes('"sp": "0x00408100"')) + 1;
    await poll(() => page.locator('#editor-errors').textContent()).toMatch(new RegExp(`^line ${line}, column \\d+: steps\\[9\\]\\.sp: must be an address`));
    // The matrix says invalid, with the same message.
    await poll(() => row('tip').locator('td.verdict').textContent()).toBe('invalid');
    expect(problems).toEqual([]);
  });

  it('explores in a worker within a time limit and opens a shrunk finding in the editor', async () => {
    await open();
    await page.selectOption('#explore-profile', 'go1.21.0');
    await page.fill('#explore-seed', '1');
    await page.fill('#explore-time', '20');
    await page.click('#explore-start');
    // Progress while it runs, then at least one shrunk finding within the limit.
    await poll(() => page.locator('#explore-progress').textContent()).toMatch(/\d+ runs, \d+ findings/);
    await poll(() => page.locator('#explore-findings li').count(), 60_000).toBeGreaterThan(0);
    const finding = page.locator('#explore-findings li').first();
    expect(await finding.textContent()).toMatch(/shrunk from \d+ to \d+ steps/);
    await finding.locator('button').click();
    await poll(() => page.locator('#run-title').textContent()).toMatch(/under go1\.21\.0: (crash|uaf)/);
    expect(await page.locator('#scenario-menu').inputValue()).toBe('');
    await poll(() => page.locator('#explore-progress').textContent(), 60_000).toMatch(/^Done: \d+ runs/);
    expect(problems).toEqual([]);
  }, 180_000);

  it('a 100,000-callback scenario runs in the worker while the page stays responsive', async () => {
    await open();
    const big = {
      format: 1, name: 'callbacks-100k',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
        { op: 'repeat', count: 100000, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] }] },
      ],
    };
    await typeScenario(JSON.stringify(big, null, 2));
    await poll(() => page.locator('#status').getAttribute('class')).toBe('busy');
    // The page's own thread answers while the simulator works: scripts run and the UI reacts.
    expect(await page.evaluate(() => document.getElementById('status')!.classList.contains('busy'))).toBe(true);
    await page.click('#diff-flag');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.getElementById('status')!.textContent)).toMatch(/running/);
    await poll(() => page.locator('#run-title').textContent(), 120_000).toContain('callbacks-100k');
    expect(await row('tip').locator('td').nth(2).textContent()).toContain('100000 callbacks');
    expect(await page.locator('#run-meta').textContent()).toContain('log truncated');
    expect(problems).toEqual([]);
  }, 180_000);
});
