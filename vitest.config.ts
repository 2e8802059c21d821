import { execFileSync } from 'node:child_process';
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';

// Headless Chromium from Debian (apt-get install chromium); Playwright needs an absolute path and
// must never download a browser of its own. SKIP_BROWSER=1 runs the Node project only.
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium not found: install it (apt-get install chromium), set CHROMIUM_PATH, or run with SKIP_BROWSER=1');
  }
}

const browserProject = () => ({
  test: {
    name: 'browser',
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.node.test.ts'],
    testTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath(),
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
        },
      },
      ...(process.env.SKIP_BROWSER ? [] : [browserProject()]),
    ],
  },
});
