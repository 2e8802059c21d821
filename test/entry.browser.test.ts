// The browser entry as a page uses it: createSimulator() fetches the core next to the module.

import { expect, it } from 'vitest';
// Resolved through package.json's "exports" (vitest.config.ts): the built entry a page imports.
import { createSimulator, compileScenario, PROFILE_NAMES } from 'cgosim/browser';
import { scenario } from './helpers.js';

it('createSimulator() from cgosim/browser fetches the core and runs S01', async () => {
  const sim = await createSimulator();
  const r = sim.run(scenario('s01-stack-switch-callback-62440.json'), { profile: 'go1.21.0' });
  expect(r.fatal).toBe('morestack on g0');
  expect(sim.binding).toBe('raw');
  expect(compileScenario(scenario('s01-stack-switch-callback-62440.json')).name).toBe('S01-stack-switch-callback');
  expect(PROFILE_NAMES).toHaveLength(9);
});
