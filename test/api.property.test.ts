// Issue 16, item 2: the boundary never throws anything but its documented errors. Random values of
// every JSON type and shape (and the non-JSON ones a JavaScript caller can pass: undefined, NaN,
// functions, class instances) go to every public function and every option; the only outcomes
// allowed are the documented ones: a result, ScenarioError where a scenario is parsed, OptionsError
// naming the option, verdict "invalid" for a bad scenario given to run().

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as api from '../src/api/index.js';
import { OptionsError, ScenarioError } from '../src/api/errors.js';
import { simulator, scenario, wasmBytes } from './helpers.js';
import type { RunResult, Simulator } from '../src/api/types.js';

const SEED = 16;
const RUNS = 300;

/** Any value a caller might pass: every JSON shape, and the JavaScript ones JSON has not. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, NaN, Infinity, -Infinity, -0, 2 ** 53, -1, 0.5, '', 'all', 'tip', 'go1.22.3', 'random', 'pct', true, false) },
  { weight: 1, arbitrary: fc.constantFrom(() => 1, new Date(0), new Uint8Array(4), [], {}, Object.create(null) as object, new Map()) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
);

/** An options object made of real option names (and a few wrong ones) with any values. */
function optionsOf(keys: string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...keys, 'bogus', '__proto__', 'constructor'), anyValue, { maxKeys: 3 }) },
    { weight: 1, arbitrary: anyValue },
  );
}

const RUN_KEYS = ['profile', 'flags', 'seed', 'budget', 'deadline', 'crashStack', 'events', 'state', 'strategy', 'godebug'];
const SPEC_KEYS = ['profile', 'flags', 'seed', 'strategy', 'budget', 'crashStack', 'pins', 'events'];
const small = scenario('s01-stack-switch-callback-62440.json');

/** Runs f; the outcome must be a return or one of the allowed error classes. */
function documented<T>(f: () => T, ...allowed: (new (...a: never[]) => Error)[]): T | Error {
  try {
    return f();
  } catch (e) {
    if (!allowed.some((c) => e instanceof c)) throw new Error(`undocumented throw: ${(e as Error)?.stack ?? String(e)}`);
    return e as Error;
  }
}

function checkResult(r: RunResult): void {
  expect(['ok', 'crash', 'uaf', 'invalid']).toContain(r.verdict);
  expect(typeof r.traceHash).toBe('string');
  if (r.verdict === 'invalid') expect(r.error?.code).toMatch(/^[A-Z_]+$/);
}

function checkOptionsError(e: unknown): void {
  if (e instanceof OptionsError) expect(e.message).toMatch(/^Invalid option in \w+\(\) call: "(?:[^"\\]|\\.)*" /);
}

describe('every public function gives only documented outcomes on random input', () => {
  let sim: Simulator;
  const getSim = async () => (sim ??= await simulator());

  it('run(scenario, options)', async () => {
    const s = await getSim();
    fc.assert(fc.property(fc.oneof(anyValue, fc.constant(small), fc.constant(JSON.stringify(small))), optionsOf(RUN_KEYS), (sc, opts) => {
      const out = documented(() => s.run(sc as never, { budget: 200_000, ...(opts as object) } as never), OptionsError);
      if (out instanceof Error) checkOptionsError(out);
      else checkResult(out);
      // Options that are not an object at all.
      const bare = documented(() => s.run(small, opts as never), OptionsError);
      if (!(bare instanceof Error)) checkResult(bare);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('the issue\'s cases throw OptionsError naming the option', async () => {
    const s = await getSim();
    expect(() => s.run(small, { flags: null } as never)).toThrow(/"flags" must be an object of flag names to booleans/);
    expect(() => s.run(small, { flags: 'x' } as never)).toThrow(/"flags" must be an object/);
    expect(() => s.run(small, { flags: ['CB_UPDATE_V2'] } as never)).toThrow(/"flags" must be an object .*got an array/);
    expect(() => s.run(small, null as never)).toThrow(/"options" must be an object, got null/);
    expect(() => s.runProfiles(small, 'tip' as never)).toThrow(/"profiles" must be "all" or a non-empty array/);
    expect(() => s.runProfiles(small, null as never)).toThrow(OptionsError);
    expect(() => (s.runProfiles as (x: unknown) => unknown)(small)).toThrow(/"profiles" must be/);
    expect(() => s.runProfiles(small, ['tip', 7] as never)).toThrow(/"profiles\[1\]" must be a profile/);
    expect(() => s.runProfiles(small, ['tip'], { profile: 'tip' } as never)).toThrow(/"profile" is not an option/);
  });

  it('runProfiles(scenario, profiles, options)', async () => {
    const s = await getSim();
    const profiles = fc.oneof(anyValue, fc.constant('all'), fc.array(fc.oneof(fc.constantFrom(...api.PROFILE_NAMES), anyValue), { maxLength: 3 }));
    fc.assert(fc.property(profiles, optionsOf(RUN_KEYS), (p, opts) => {
      const out = documented(() => s.runProfiles(small, p as never, { budget: 100_000, ...(opts as object) } as never), OptionsError);
      if (out instanceof Error) checkOptionsError(out);
      else out.forEach(checkResult);
    }), { seed: SEED, numRuns: RUNS / 3 });
  });

  it('compileScenario(input) and prepare(input)', async () => {
    const s = await getSim();
    fc.assert(fc.property(anyValue, (v) => {
      documented(() => api.compileScenario(v), ScenarioError);
      documented(() => s.prepare(v as never), ScenarioError);
    }), { seed: SEED, numRuns: RUNS });
  });

  it('prepared.run(spec) and its LazyRun', async () => {
    const s = await getSim();
    const prepared = s.prepare(small);
    const spec = fc.oneof(optionsOf(SPEC_KEYS), fc.record({ pins: fc.array(anyValue, { maxLength: 2 }) }));
    fc.assert(fc.property(spec, (sp) => {
      const out = documented(() => prepared.run({ budget: 100_000, ...(sp as object) } as never), OptionsError);
      if (out instanceof Error) return checkOptionsError(out);
      expect(['ok', 'crash', 'uaf', 'invalid']).toContain(out.verdict);
      checkResult(out.result());
      const bare = documented(() => prepared.run(sp as never), OptionsError);
      if (!(bare instanceof Error)) expect(['ok', 'crash', 'uaf', 'invalid']).toContain(bare.verdict);
    }), { seed: SEED, numRuns: RUNS / 3 });
  });

  it('createSimulatorFrom(wasm, options)', async () => {
    const bytes = await wasmBytes();
    const opts = optionsOf(['binding', 'budget', 'deadline', 'wasm']);
    await fc.assert(fc.asyncProperty(fc.oneof(fc.constant(bytes), anyValue), opts, async (w, o) => {
      let out: unknown;
      try {
        out = await api.createSimulatorFrom(w as never, o as never);
      } catch (e) {
        if (!(e instanceof OptionsError)) throw new Error(`undocumented throw: ${(e as Error)?.stack ?? String(e)}`);
        return checkOptionsError(e);
      }
      (out as Simulator).dispose();
    }), { seed: SEED, numRuns: 40 });
  });

  it('the helpers: expectationFor, checkExpectation, toChromeTrace, resolveProfile, flagSet', async () => {
    const s = await getSim();
    const r = s.run(small, { events: true });
    fc.assert(fc.property(anyValue, anyValue, anyValue, (a, b, c) => {
      documented(() => api.expectationFor(a as never, b as never, c as never), OptionsError);
      documented(() => api.expectationFor({ '*': 'ok' }, 'tip', c as never), OptionsError);
      documented(() => api.checkExpectation(r, a as never), OptionsError);
      documented(() => api.checkExpectation(a as never, 'ok'), OptionsError);
      documented(() => api.toChromeTrace(a as never), OptionsError);
      const p = documented(() => api.resolveProfile(a as never));
      if (!(p instanceof Error) && p !== undefined) expect(api.PROFILE_NAMES).toContain(p.profile);
      documented(() => api.flagSet(a as never, b as never), OptionsError);
      documented(() => api.flagSet('tip', b as never), OptionsError);
    }), { seed: SEED, numRuns: RUNS });
  });
});
