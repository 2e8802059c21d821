// Every bundled scenario under every profile, through both instantiation paths, against the
// verdicts (and counters, crash texts) its "expect" states.

import { describe, expect, it } from 'vitest';
import { checkExpectation, expectationFor } from '../src/scenario/expect.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { SCENARIOS, simulator } from './helpers.js';

const files = Object.keys(SCENARIOS).sort();

describe.each(['raw', 'loader'] as const)('bundled scenarios (%s binding)', (binding) => {
  it('finds the bundled scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files)('%s matches its expectations on every profile', async (file) => {
    const sim = await simulator(binding);
    const sc = SCENARIOS[file]!;
    let checked = 0;
    for (const profile of PROFILE_NAMES) {
      const r = sim.run(sc, { profile });
      const e = expectationFor(sc.expect, profile);
      if (e === undefined) continue;
      checked++;
      expect(checkExpectation(r, e), `${file} on ${profile}`).toEqual([]);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
