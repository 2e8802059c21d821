// The run reset clears only what the previous run touched (high-water marks per table). The debug
// core asserts at every reset that nothing above the marks was written; these tests drive it
// through every bundled scenario in two different orders, and check the PRNG jump that replaces
// drawing every M's priority at reset.

import { describe, expect, it } from 'vitest';
import { createCoreForTests } from '../src/core/instance.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { SCENARIOS, simulator, wasmBytes } from './helpers.js';
import type { RunResult } from '../src/api/types.js';

describe('reset by high-water marks', () => {
  it('every bundled scenario on every profile gives the same result whatever ran before it (debug core)', async () => {
    const forward = await simulator('raw', 'debug');
    const backward = await simulator('raw', 'debug');
    const entries = Object.entries(SCENARIOS);
    const runs: [string, string][] = [];
    for (const [file] of entries) for (const profile of PROFILE_NAMES) runs.push([file, profile]);
    const first = new Map<string, RunResult>();
    for (const [file, profile] of runs) first.set(`${file} ${profile}`, forward.run(SCENARIOS[file]!, { profile, events: true, state: true }));
    for (const [file, profile] of [...runs].reverse()) {
      const r = backward.run(SCENARIOS[file]!, { profile, events: true, state: true });
      expect(r, `${file} ${profile}`).toEqual(first.get(`${file} ${profile}`));
    }
    // A run after the largest one matches the same run on a fresh instance.
    const fresh = await simulator('raw', 'debug');
    const [small] = entries[0]!;
    expect(backward.run(SCENARIOS[small]!, { state: true, events: true })).toEqual(fresh.run(SCENARIOS[small]!, { state: true, events: true }));
  }, 300_000); // every bundled scenario, scenarios/go-tests included: minutes on a loaded machine

  it('the jump past the priority draws equals drawing them one by one', async () => {
    const core = await createCoreForTests(await wasmBytes('release'));
    let x = 0x9e3779b97f4a7c15n;
    for (let i = 0; i < 200; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      expect(Boolean(core.exports.testRngJump(x)), `seed state ${x}`).toBe(true);
    }
  });
});
