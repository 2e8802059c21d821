// The public helpers, with their arguments checked at the boundary: the internal versions (used on
// the host's hot paths with values it built itself) trust their arguments; these throw an
// OptionsError naming the argument when a caller passes something else.

import { OptionsError, describe } from './errors.js';
import { isPlainObject, flags as flagsChecker, profile as profileChecker } from './options.js';
import { checkExpectation as checkExpectationRaw, expectationFor as expectationForRaw } from '../scenario/expect.js';
import { toChromeTrace as toChromeTraceRaw, type ChromeTrace } from '../report/traceexport.js';
import { flagSet as flagSetRaw, resolveProfile as resolveProfileRaw, type FlagName, type ProfileName, type ResolvedProfile } from '../model/profiles.js';
import type { Expectation, RunResult } from './types.js';

const VERDICTS = ['ok', 'crash', 'uaf', 'invalid'];
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
