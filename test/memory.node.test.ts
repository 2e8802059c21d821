// Issue 16, item 5: 10,000 mixed runs in one simulator (bench/memory.ts: bundled scenarios under
// every profile, and twenty runs that map a 768 MiB window and fill 32 MiB of it) stay under 400 MiB
// of RSS, in a child process so that the figure is the simulator's and not the test runner's.

import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

const SCRIPT = new URL('../dist/bench/memory.js', import.meta.url).pathname;

it('10,000 mixed runs stay under 400 MiB of RSS, and the big windows give their memory back', () => {
  const r = spawnSync(process.execPath, [SCRIPT, '--runs', '10000'], { encoding: 'utf8', timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  const m = JSON.parse(r.stdout) as { runs: number; peakRssMiB: number; finalRssMiB: number; recycled: number; memoryMiB: number };
  expect(m.runs).toBe(10_000);
  expect(m.recycled).toBe(20);
  expect(m.memoryMiB).toBeLessThan(256);
  expect(m.peakRssMiB).toBeLessThan(400);
}, 300_000);
