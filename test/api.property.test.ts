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
const SPEC_KEYS = ['profile', 'flags', 'seed', 'strategy', 'budget', 'deadline', 'crashStack', 'pins', 'events'];
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

  it('the review\'s cases on prepare().run throw OptionsError, whatever the caches hold', async () => {
    const s = await getSim();
    const p = s.prepare(small);
    expect(() => p.run({ pins: null } as never)).toThrow(/"pins" must be an array of "at" steps, got null/);
    expect(() => p.run({ flags: null } as never)).toThrow(/"flags" must be an object/);
    expect(() => p.run({ flags: [] } as never)).toThrow(/"flags" must be an object .*got an array/);
    expect(() => p.run({ crashStack: 1 } as never)).toThrow(/"crashStack" must be a boolean/);
    // The same values after runs that filled the flag and variant caches.
    p.run({ crashStack: true });
    p.run({ flags: {} });
    p.run({});
    expect(() => p.run({ crashStack: 1 } as never)).toThrow(/"crashStack" must be a boolean/);
    expect(() => p.run({ flags: [] } as never)).toThrow(/"flags" must be an object/);
    expect(() => p.run({ profile: { toString: () => 'tip' } } as never)).toThrow(/"profile" must be a profile/);
    expect(() => p.run({ deadline: 0 })).toThrow(/"deadline" must be a positive number of milliseconds/);
    // null is a value, not an absent field, as in run() (the hour of fuzz found prepare().run taking it).
    expect(() => p.run({ strategy: null } as never)).toThrow(/"strategy" must be "random" or "pct"/);
    expect(() => p.run({ seed: null } as never)).toThrow(/"seed" must be an integer/);
    expect(() => p.run({ budget: null } as never)).toThrow(/"budget" must be a positive integer/);
    expect(() => s.run(small, { strategy: null } as never)).toThrow(/"strategy" must be/);
    expect(() => p.run({}).result({ bogus: true } as never)).toThrow(/"bogus" is not an option/);
  });

  it('explore, shrink, diff and generate', async () => {
    const s = await getSim();
    const exploreKeys = ['profile', 'diff', 'flags', 'strategy', 'depth', 'seed', 'runs', 'timeMs', 'shard', 'scenario', 'bound', 'onFinding', 'onProgress', 'until'];
    /** Keeps a valid-looking options object's work small: a few runs, a short time, one pin. */
    const small_ = (o: unknown, extra: Record<string, unknown> = {}): unknown => {
      if (typeof o !== 'object' || o === null || Array.isArray(o)) return o;
      const c: Record<string, unknown> = { ...(o as Record<string, unknown>), ...extra };
      if (typeof c.runs === 'number' && c.runs > 3) c.runs = 3;
      if (c.runs === undefined) c.runs = 2;
      if (typeof c.timeMs === 'number' && c.timeMs > 50) c.timeMs = 50;
      if (typeof c.bound === 'number' && c.bound > 1) c.bound = 1;
      if (typeof c.maxChecks === 'number' && c.maxChecks > 10) c.maxChecks = 10;
      return c;
    };
    const withProfile = fc.oneof(optionsOf(exploreKeys), optionsOf(exploreKeys).map((o) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? { profile: 'go1.21.7', ...o } : o)));
    fc.assert(fc.property(withProfile, fc.oneof(anyValue, fc.constant(small)), anyValue, (opts, sc, seed) => {
      documented(() => api.explore(s, small_(opts) as never), OptionsError, ScenarioError);
      documented(() => api.explore(sc as never, { profile: 'tip', runs: 1 }), OptionsError);
      documented(() => api.shrink(s, sc as never, small_(opts, { maxChecks: 5 }) as never), OptionsError, ScenarioError);
      documented(() => api.diff(s, sc as never, { profiles: ['go1.21.7', 'tip'] }), OptionsError, ScenarioError);
      documented(() => api.diff(s, small, opts as never), OptionsError, ScenarioError);
      documented(() => api.generate(seed as never, opts as never), OptionsError);
    }), { seed: SEED, numRuns: RUNS / 3 });
    expect(() => api.explore(s, null as never)).toThrow(/"options" must be an object, got null/);
    expect(() => api.explore(s, { profile: 'tip', runs: -1 })).toThrow(/"runs" must be/);
    expect(() => api.explore(s, { profile: 'tip', shard: [2, 1] })).toThrow(/"shard" must be \[K, N\]/);
    expect(() => api.shrink(s, small, null as never)).toThrow(/"options" must be an object/);
    expect(() => api.diff(s, small, { profiles: 'tip' } as never)).toThrow(/"profiles" must be \[P, Q\]/);
    expect(() => api.generate('x' as never)).toThrow(/"seed" must be an integer/);
    expect(() => api.explore({} as never, { profile: 'tip' })).toThrow(/"sim" must be a Simulator/);
  }, 120_000);

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
