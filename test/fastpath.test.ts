// The fused handlers against the reference interpreter: the same scenario, profile and seed must
// give the same result (verdict, text, counters, steps, trace hash, events and final records)
// with the fused handlers on (the default) and off (SimulatorOptions.interpreterOnly), for every
// bundled scenario on every profile and for generated ones (fast-check), including runs cut short
// by the budget in the middle of a fused callback.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSimulatorFrom } from '../src/core/instance.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { SCENARIOS, wasmBytes } from './helpers.js';
import type { GoStep, Scenario, Simulator, TimelineStep } from '../src/api/types.js';

async function pair(): Promise<{ fast: Simulator; ref: Simulator }> {
  const wasm = await wasmBytes('release');
  return { fast: await createSimulatorFrom(wasm), ref: await createSimulatorFrom(wasm, { interpreterOnly: true }) };
}

const goStep: fc.Arbitrary<GoStep> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<GoStep>({ op: 'systemstack' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'lockOSThread' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'unlockOSThread' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'gc' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'systemstack' }] }] }) },
);
const body = fc.array(goStep, { maxLength: 4 });
const thread = fc.constantFrom('T1', 'T2');
const callback = fc.record({ thread, fn: body }).map(({ thread: t, fn }): TimelineStep => ({ op: 'callback', thread: t, fn }));
const step: fc.Arbitrary<TimelineStep> = fc.oneof(
  { weight: 3, arbitrary: callback },
  { weight: 3, arbitrary: fc.record({ count: fc.integer({ min: 1, max: 6 }), steps: fc.array(callback, { minLength: 1, maxLength: 2 }) }).map(({ count, steps }): TimelineStep => ({ op: 'repeat', count, steps })) },
  { weight: 1, arbitrary: fc.constant<TimelineStep>({ op: 'gc' }) },
  { weight: 1, arbitrary: fc.constantFrom<TimelineStep>(
    { op: 'at', point: 'goroutine.prologue', steps: [{ op: 'gc' }] },
    { op: 'at', point: 'cgocallbackg.entry', steps: [{ op: 'traceAdvance' }] },
    { op: 'at', point: 'cgocallbackg1.after-fn', steps: [{ op: 'gc' }] },
  ) },
);
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 6 }),
  traced: fc.boolean(),
  tracebackContext: fc.boolean(),
}).map(({ steps, traced, tracebackContext }) => ({
  format: 1, name: 'generated', tracebackContext,
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
    { op: 'thread', id: 'T2', stack: ['0x900000', '0x980000'] },
    ...(traced ? [{ op: 'traceStart' } as TimelineStep] : []),
    ...steps,
  ],
}));

describe('fused handlers against the interpreter', () => {
  it('every bundled scenario on every profile: identical results, counters, hashes, events and state', async () => {
    const { fast, ref } = await pair();
    for (const [file, sc] of Object.entries(SCENARIOS)) {
      for (const profile of PROFILE_NAMES) {
        const opts = { profile, events: true, state: true };
        expect(fast.run(sc, opts), `${file} ${profile}`).toEqual(ref.run(sc, opts));
      }
    }
  });

  it('generated scenarios on random profiles, seeds and budgets: identical', async () => {
    const { fast, ref } = await pair();
    fc.assert(fc.property(
      scenarioArb, fc.constantFrom(...PROFILE_NAMES), fc.integer({ min: 0, max: 1000 }), fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      (sc, profile, seed, budget) => {
        const opts = { profile, seed, events: true, state: true, ...(budget === undefined ? {} : { budget }) };
        expect(fast.run(sc, opts)).toEqual(ref.run(sc, opts));
      },
    ), { numRuns: 300, seed: 9 });
  });

  it('the fused handler really runs (and never with interpreterOnly)', async () => {
    const wasm = await wasmBytes('release');
    const sc: Scenario = {
      format: 1, name: 'bound callbacks',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'repeat', count: 50, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] }] },
      ],
    };
    for (const interpreterOnly of [false, true]) {
      const sim = await createSimulatorFrom(wasm, { interpreterOnly });
      const core = (sim as unknown as { core: { exports: { fusedCount(): number } } }).core;
      const before = core.exports.fusedCount();
      expect(sim.run(sc).counters.callbacks).toBe(50);
      expect(core.exports.fusedCount() - before).toBe(interpreterOnly ? 0 : 50);
    }
  });
});
