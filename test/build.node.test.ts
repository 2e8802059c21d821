// `npm test` builds first; by the time the tests run, the build script must find nothing to do,
// so `npm test` and `npm run repro` after an unchanged checkout rebuild nothing.
//
// `npm run build` builds the core and the TypeScript (what every test needs); `npm test` also builds
// the playground. So the web target is checked only when `npm test` started this run (npm sets
// npm_lifecycle_event): after a plain `npm run build`, an out-of-date web build is the truth, not a
// failure of the incremental build.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const underNpmTest = process.env['npm_lifecycle_event'] === 'test';

function check(...targets: string[]): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['scripts/build.mjs', ...targets, '--check'], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

describe('incremental build', () => {
  it('finds the core and the TypeScript up to date after the build', () => {
    const r = check('wasm', 'ts');
    expect(r.stdout).toMatch(/wasm-release is up to date/);
    expect(r.stdout).toMatch(/wasm-debug is up to date/);
    expect(r.stdout).toMatch(/ts is up to date/);
    expect(r.stdout).not.toMatch(/out of date/);
    expect(r.status).toBe(0);
  });

  it.skipIf(!underNpmTest)('finds the playground up to date after the build npm test ran', () => {
    const r = check('web');
    expect(r.stdout).toMatch(/web is up to date/);
    expect(r.stdout).not.toMatch(/out of date/);
    expect(r.status).toBe(0);
  });

  it('refuses an unknown target by name', () => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', 'wsam', '--check'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown target "wsam"; expected wasm, ts, web/);
  });
});
