// The public helpers, with their arguments checked at the boundary: the internal versions (used on
// the host's hot paths with values it built itself) trust their arguments; these throw an
// OptionsError naming the argument when a caller passes something else.

import { OptionsError, describe } from './errors.js';
import { checkOptions, integer, isPlainObject, oneOf, flags as flagsChecker, profile as profileChecker, type Checker } from './options.js';
import {
  explore as exploreRawFn, shrink as shrinkRawFn, diff as diffRawFn, generate as generateRawFn,
  type DiffReport, type ExploreOptions, type ExploreReport, type Generated, type GenerateOptions,
} from '../explore/index.js';
import { checkExpectation as checkExpectationRaw, expectationFor as expectationForRaw } from '../scenario/expect.js';
import { compileScenario, VERDICT_NAMES } from '../scenario/compile.js';
import { toChromeTrace as toChromeTraceRaw, type ChromeTrace } from '../report/traceexport.js';
import { flagSet as flagSetRaw, resolveProfile as resolveProfileRaw, type FlagName, type ProfileName, type ResolvedProfile } from '../model/profiles.js';
import type { Expectation, RunResult, Scenario, Simulator } from './types.js';

const VERDICTS = VERDICT_NAMES;
const EXPECTATION_KEYS = ['verdict', 'fatal', 'exitCode', 'crash', 'output', 'counters'];

function isResult(v: unknown): v is RunResult {
  return isPlainObject(v) && VERDICTS.includes(v.verdict as string) && isPlainObject(v.counters) && typeof v.scenario === 'string';
}

function checkExpectationValue(call: string, name: string, e: unknown): asserts e is Expectation {
  if (typeof e === 'string' && VERDICTS.includes(e)) return;
  if (isPlainObject(e) && Object.keys(e).every((k) => EXPECTATION_KEYS.includes(k)) &&
    (e.counters === undefined || isPlainObject(e.counters)) && (e.verdict === undefined || VERDICTS.includes(e.verdict as string))) return;
  throw new OptionsError(call, name, `must be a verdict (${VERDICTS.join(', ')}) or an object of ${EXPECTATION_KEYS.join(', ')}, got ${describe(e)}`);
}

/** The expectation a scenario's `expect` table states for a run (see scenario/expect.ts). */
export function expectationFor(expect: Record<string, Expectation> | undefined, profile: ProfileName, release?: string): Expectation | undefined {
  const call = 'expectationFor()';
  if (expect !== undefined && !isPlainObject(expect)) throw new OptionsError(call, 'expect', `must be a scenario's "expect" object, got ${describe(expect)}`);
  profileChecker(call, 'profile', profile);
  if (release !== undefined) profileChecker(call, 'release', release);
  const e = expectationForRaw(expect, profile, release);
  if (e !== undefined) checkExpectationValue(call, 'expect', e);
  return e;
}

/** Mismatches between a result and an expectation, as readable lines; empty when it holds. */
export function checkExpectation(result: RunResult, expectation: Expectation): string[] {
  const call = 'checkExpectation()';
  if (!isResult(result)) throw new OptionsError(call, 'result', `must be a RunResult, got ${describe(result)}`);
  checkExpectationValue(call, 'expectation', expectation);
  return checkExpectationRaw(result, expectation);
}

/** A run as Chrome/Perfetto trace-event JSON; the run must have been made with { events: true }. */
export function toChromeTrace(result: RunResult): ChromeTrace {
  const call = 'toChromeTrace()';
  if (!isResult(result)) throw new OptionsError(call, 'result', `must be a RunResult, got ${describe(result)}`);
  if (!Array.isArray(result.events)) throw new OptionsError(call, 'result', 'has no events: run with { events: true } (CLI: --trace implies it)');
  return toChromeTraceRaw(result);
}

/** The profile a profile or release name stands for, with its flag overrides; undefined if none. */
export function resolveProfile(asked: string): ResolvedProfile | undefined {
  return typeof asked === 'string' ? resolveProfileRaw(asked.trim().toLowerCase()) : undefined;
}

/** A profile's flags with override sets applied in order. */
export function flagSet(profile: ProfileName, ...overrideSets: Partial<Record<FlagName, boolean>>[]): Set<FlagName> {
  const call = 'flagSet()';
  const resolved = resolveProfile(profile);
  if (resolved === undefined || resolved.profile !== profile) {
    throw new OptionsError(call, 'profile', `must be a profile name (not a release), got ${describe(profile)}`);
  }
  overrideSets.forEach((o, i) => flagsChecker(call, `overrides[${i}]`, o));
  return flagSetRaw(profile, ...overrideSets);
}

// ---- the explorer's calls ----

function checkSimulator(call: string, sim: unknown): asserts sim is Simulator {
  const s = sim as Partial<Simulator> | null;
  if (typeof sim !== 'object' || s === null || typeof s.run !== 'function' || typeof s.prepare !== 'function') {
    throw new OptionsError(call, 'sim', `must be a Simulator (from createSimulator()), got ${describe(sim)}`);
  }
}

/** A scenario object that compiles: else OptionsError (not an object) or the ScenarioError that says why. */
const scenarioObject: Checker = (call, name, v) => {
  if (!isPlainObject(v)) throw new OptionsError(call, name, `must be a scenario object, got ${describe(v)}`);
  compileScenario(v);
};
const callback: Checker = (call, name, v) => {
  if (typeof v !== 'function') throw new OptionsError(call, name, `must be a function, got ${describe(v)}`);
};
const shard: Checker = (call, name, v) => {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isSafeInteger(x)) || v[0] < 1 || v[0] > v[1]) {
    throw new OptionsError(call, name, `must be [K, N] with integers 1 <= K <= N, got ${describe(v)}`);
  }
};
const timeMs: Checker = (call, name, v) => {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw new OptionsError(call, name, `must be a number of milliseconds (0 or more), got ${describe(v)}`);
};

const SIDE_OPTIONS: Record<string, Checker> = { profile: profileChecker, diff: profileChecker, flags: flagsChecker };
const EXPLORE_OPTIONS: Record<string, Checker> = {
  ...SIDE_OPTIONS, strategy: oneOf('random', 'pct', 'exhaustive'), depth: integer(1, 16), seed: integer(0, 0xffffffff),
  runs: integer(0, Number.MAX_SAFE_INTEGER), timeMs, shard, scenario: scenarioObject, bound: integer(0, 4),
  onFinding: callback, onProgress: callback, until: callback,
};
const SHRINK_OPTIONS: Record<string, Checker> = { ...SIDE_OPTIONS, maxChecks: integer(1, Number.MAX_SAFE_INTEGER) };
const DIFF_OPTIONS: Record<string, Checker> = {
  profiles: (call, name, v) => {
    if (!Array.isArray(v) || v.length !== 2) throw new OptionsError(call, name, `must be [P, Q] (Q may be P with flags), got ${describe(v)}`);
    v.forEach((x, i) => profileChecker(call, `${name}[${i}]`, x));
  },
  flags: flagsChecker,
};
const flag: Checker = (call, name, v) => {
  if (typeof v !== 'boolean') throw new OptionsError(call, name, `must be true or false, got ${describe(v)}`);
};
const GENERATE_OPTIONS: Record<string, Checker> = { pins: integer(0, 16), maxSteps: integer(1, 1000), physical: flag, coroutines: flag, nocallback: flag };

function required(call: string, options: Record<string, unknown> | undefined, name: string): void {
  if (options?.[name] === undefined) throw new OptionsError(call, name, 'is required');
}

/** Searches generated scenarios (or, with strategy "exhaustive", pin placements over one scenario). */
export function explore(sim: Simulator, options: ExploreOptions): ExploreReport {
  const call = 'explore()';
  checkSimulator(call, sim);
  checkOptions(call, options, EXPLORE_OPTIONS);
  required(call, options, 'profile');
  return exploreRawFn(sim, options);
}

/** Shrinks a failing scenario (or one two profiles judge differently) to a minimal one that ends the same way. */
export function shrink(sim: Simulator, scenario: Scenario, options: Parameters<typeof shrinkRawFn>[2]): ReturnType<typeof shrinkRawFn> {
  const call = 'shrink()';
  checkSimulator(call, sim);
  scenarioObject(call, 'scenario', scenario);
  checkOptions(call, options, SHRINK_OPTIONS);
  required(call, options, 'profile');
  return shrinkRawFn(sim, scenario, options);
}

/** Runs one scenario under two profiles (or a profile and flag overrides) and finds where they part ways. */
export function diff(sim: Simulator, scenario: Scenario, options: Parameters<typeof diffRawFn>[2]): DiffReport {
  const call = 'diff()';
  checkSimulator(call, sim);
  scenarioObject(call, 'scenario', scenario);
  checkOptions(call, options, DIFF_OPTIONS);
  required(call, options, 'profiles');
  return diffRawFn(sim, scenario, options);
}

/** The scenario the explorer's generator makes from one seed. */
export function generate(seed: number, options?: GenerateOptions): Generated {
  const call = 'generate()';
  integer(0, 0xffffffff)(call, 'seed', seed);
  checkOptions(call, options, GENERATE_OPTIONS);
  return generateRawFn(seed, options ?? {});
}
