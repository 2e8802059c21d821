import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Headless Chromium from Debian (apt-get install chromium); Playwright needs an absolute path and
// must never download a browser of its own. SKIP_BROWSER=1 runs the Node project only. Without a
// chromium, a developer's run warns and runs the Node project; CI (CI=true) fails instead, so the
// browser tests can never be skipped there unnoticed.
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const chromium = process.env.SKIP_BROWSER ? undefined : chromiumPath();
if (!process.env.SKIP_BROWSER && !chromium) {
  if (process.env.CI) throw new Error('chromium not found: CI must run the browser tests (apt-get install chromium)');
  process.stderr.write('cgosim: chromium not found, running the Node tests only (apt-get install chromium for the browser project)\n');
}
// The page tests (test/playground.node.test.ts) drive the same chromium through Playwright: the
// workers inherit this path, and none when there is no browser to drive.
if (chromium) process.env.CHROMIUM_PATH = chromium;

// The browser tests import "cgosim/browser" as a page would: through the package's own export map
// (the built dist/ file it names), so a wrong or missing export fails them.
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { exports: Record<string, { default: string }> };
const browserEntry = fileURLToPath(new URL(pkg.exports['./browser']!.default, import.meta.url));

const browserProject = (executablePath: string) => ({
  resolve: { alias: { 'cgosim/browser': browserEntry } },
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.node.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      }),
      instances: [{ browser: 'chromium' as const }],
    },
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Hooks start browsers and pages (the playground tests): on a loaded machine that takes
          // longer than vitest's 10 s default.
          hookTimeout: 60_000,
        },
      },
      ...(chromium ? [browserProject(chromium)] : []),
    ],
  },
});
