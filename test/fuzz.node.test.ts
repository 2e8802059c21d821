// Issue 16, item 6: a bounded fuzz campaign in CI (bench/fuzz.ts): 2,500 cases with a fixed seed,
// mutated bundled scenarios, generated ones and random bytes through the API, the binary entry
// (prepare().run against run()) and the explorer's calls with random options; only documented
// outcomes, each case under a budget and a deadline it must not reach, and a control scenario whose
// full result never changes. `npm run fuzz -- --time N` runs the long campaign.

import fc from 'fast-check';
import { expect, it } from 'vitest';
import { bundledScenarios, controlCheck, fuzzCases, runCase } from '../bench/fuzz.js';
import { simulator } from './helpers.js';

it('2,500 fuzz cases end in documented outcomes and leave the control scenario unchanged', async () => {
  const sim = await simulator();
  const bundled = bundledScenarios();
  const control = controlCheck(sim, bundled);
  let n = 0;
  fc.assert(fc.property(fuzzCases(bundled), (c) => {
    const outcome = runCase(sim, c);
    if (outcome) throw new Error(outcome);
    if (++n % 250 === 0) expect(control()).toBeUndefined();
  }), { seed: 16, numRuns: 2500 });
  expect(control()).toBeUndefined();
}, 300_000);
