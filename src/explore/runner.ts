// The one seam between the explorer and the simulator: run a scenario under one side (a profile
// plus flag overrides) and say how it ended. Everything in src/explore goes through runOne, so a
// faster run entry (compile once, run many, results read lazily) replaces only this file.

import { compileScenario } from '../scenario/compile.js';
import { ScenarioError } from '../api/errors.js';
import type { FlagName } from '../model/profiles.js';
import type { RunResult, Scenario, Simulator } from '../api/types.js';
import { outcomeOf, type Outcome } from './signature.js';

/** One side of a comparison: a profile, with flag overrides (`--flag`). */
export interface Side {
  /** How reports name it: the profile, or "go1.22.0+CB_UPDATE_V2=on". */
  label: string;
  profile: string;
  flags: Partial<Record<FlagName, boolean>>;
}

export function sideOf(profile: string, flags: Partial<Record<FlagName, boolean>> = {}): Side {
  const extra = Object.entries(flags).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`);
  return { label: [profile, ...extra].join('+'), profile, flags };
}

/** Budget of one explored run: generated scenarios are small, a runaway one is cut short. */
// Steps of work (a callback alone costs about 25, a fresh page of memory 1,024): about 0.1 s at most.
export const EXPLORE_BUDGET = 5_000_000;

const OK: Outcome = { verdict: 'ok', signature: 'ok' };

/**
 * Judges a scenario under each side with the binary run entry: compiled once for all sides, each
 * run's verdict read without building its result; only a failure's result (its text) is built.
 */
export function outcomes(sim: Simulator, scenario: Scenario, sides: readonly Side[]): Outcome[] {
  let prepared;
  try {
    // Compiled here so that prepare() keeps no copy of the source (a pinned run would need one).
    prepared = sim.prepare(compileScenario(scenario));
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return sides.map(() => ({ verdict: 'invalid', signature: 'invalid|SCENARIO_INVALID', error: `SCENARIO_INVALID: ${e.message}` }));
  }
  return sides.map((side) => {
    const run = prepared.run({ profile: side.profile, flags: side.flags, budget: EXPLORE_BUDGET });
    return run.verdict === 'ok' ? OK : outcomeOf(scenario, run.result());
  });
}

export function runOne(sim: Simulator, scenario: Scenario, side: Side, options: { events?: boolean; state?: boolean; budget?: number } = {}): { outcome: Outcome; result: RunResult | undefined } {
  let compiled;
  try {
    compiled = compileScenario(scenario);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { outcome: { verdict: 'invalid', signature: 'invalid|SCENARIO_INVALID', error: `SCENARIO_INVALID: ${e.message}` }, result: undefined };
  }
  const result = sim.run(compiled, {
    profile: side.profile, flags: side.flags, budget: options.budget ?? EXPLORE_BUDGET,
    ...(options.events ? { events: true } : {}), ...(options.state ? { state: true } : {}),
  });
  return { outcome: outcomeOf(scenario, result), result };
}
