// `npm test` builds first; by the time the tests run, the build script must find nothing to do,
// so `npm test` and `npm run repro` after an unchanged checkout rebuild nothing.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('incremental build', () => {
  it('finds every target up to date after the build npm test ran', () => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', 'wasm', 'ts', 'web', '--check'], { encoding: 'utf8' });
    expect(r.stdout).toMatch(/wasm-release is up to date/);
    expect(r.stdout).toMatch(/web is up to date/);
    expect(r.stdout).toMatch(/wasm-debug is up to date/);
    expect(r.stdout).toMatch(/ts is up to date/);
    expect(r.stdout).not.toMatch(/out of date/);
    expect(r.status).toBe(0);
  });

  it('refuses an unknown target by name', () => {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', 'wsam', '--check'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown target "wsam"; expected wasm, ts, web/);
  });
});
