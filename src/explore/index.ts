// The explorer's host API: explore, shrink and diff, on any Simulator. Nothing here imports
// node:*: it runs in Node, on a page, or in a browser Web Worker alike (the Node-only campaign
// with worker_threads and journal files is ./node.ts). Each call runs synchronously to the end,
// so in a page, call it from a Web Worker.

import { CHUNK_RUNS, judge, runChunk, shrinkFinding, type CampaignOptions, type Finding, type Strategy } from './campaign.js';
import { exploreExhaustive, type ExhaustiveSummary } from './exhaustive.js';
import { diffScenario, type DiffReport } from './diff.js';
import { sideOf, type Side } from './runner.js';
import { countSteps } from './shrink.js';
import { OptionsError } from '../api/errors.js';
import { FLAG_NAMES, PROFILE_NAMES, resolveProfile, type FlagName } from '../model/profiles.js';
import type { Scenario, Simulator } from '../api/types.js';

export type { Finding, Strategy, DiffReport, ExhaustiveSummary, Side };
export { generate, FEATURES, type Generated, type GenerateOptions } from './generate.js';
export { maskText } from './signature.js';
export { countSteps };

export interface ExploreOptions {
  /** The profile explored (P). */
  profile: string;
  /** Compare with Q: a finding is any scenario P and Q judge differently. */
  diff?: string;
  /** Flag overrides: for Q with `diff`, else for P. */
  flags?: Partial<Record<FlagName, boolean>>;
  strategy?: Strategy;
  /** pct depth (default 3). */
  depth?: number;
  /** Campaign seed (default 1). */
  seed?: number;
  /** Global run numbers [0, runs); default 10,000 when no timeMs is given. */
  runs?: number;
  timeMs?: number;
  /** [K, N]: shard K (1-based) of N. */
  shard?: [number, number];
  /** exhaustive: the scenario, and the largest number of pins per placement (default 2). */
  scenario?: Scenario;
  bound?: number;
  /** Every scenario runs under the physical model (README "The physical model"), as explore --physical. */
  physical?: boolean;
  onFinding?: (f: Finding) => void;
  onProgress?: (p: { runs: number; findings: number; elapsedMs: number; runsPerSecond: number }) => void;
  /** Ends the campaign after the first finding for which this returns true. */
  until?: (f: Finding) => boolean;
}

export interface ExploreReport {
  findings: Finding[];
  summary: { type: 'summary'; runs: number; runsPerSecond: number; findings: number; elapsedMs: number; invalid: number } & Partial<ExhaustiveSummary>;
  /** Scenarios the simulator rejected: generator bugs, with the seed that remakes each. */
  invalid: { index: number; runSeed: number; error: string }[];
}

function checkProfile(name: unknown, key: string): string {
  if (typeof name !== 'string' || !resolveProfile(name)) throw new OptionsError('explore()', key, `must be a profile (${PROFILE_NAMES.join(', ')}) or a release such as go1.22.3, got ${JSON.stringify(name)}`);
  return name;
}

function checkFlags(flags: unknown): Partial<Record<FlagName, boolean>> {
  if (flags === undefined) return {};
  if (typeof flags !== 'object' || flags === null) throw new OptionsError('explore()', 'flags', 'must be an object of flag names to booleans');
  for (const [k, v] of Object.entries(flags)) {
    if (!(FLAG_NAMES as readonly string[]).includes(k)) throw new OptionsError('explore()', `flags.${k}`, `is not a flag; known flags: ${FLAG_NAMES.join(', ')}`);
    if (typeof v !== 'boolean') throw new OptionsError('explore()', `flags.${k}`, 'must be a boolean');
  }
  return flags as Partial<Record<FlagName, boolean>>;
}

/** The sides an explore/shrink call compares: [P] or [P, Q]. */
export function sidesOf(o: { profile: string; diff?: string; flags?: Partial<Record<FlagName, boolean>> }): CampaignOptions['sides'] {
  const p = checkProfile(o.profile, 'profile');
  const flags = checkFlags(o.flags);
  if (o.diff === undefined) return [sideOf(p, flags)];
  const q = checkProfile(o.diff, 'diff');
  if (q === p && Object.keys(flags).length === 0) throw new OptionsError('explore()', 'diff', 'names the same profile as "profile" without flag overrides: nothing could differ');
  return [sideOf(p), sideOf(q, flags)];
}

const EXPLORE_KEYS = ['profile', 'diff', 'flags', 'strategy', 'depth', 'seed', 'runs', 'timeMs', 'shard', 'scenario', 'bound', 'onFinding', 'onProgress', 'until', 'physical'];

/** Searches generated scenarios (or, with strategy "exhaustive", pin placements over one scenario). */
export function explore(sim: Simulator, options: ExploreOptions): ExploreReport {
  for (const k of Object.keys(options)) if (!EXPLORE_KEYS.includes(k)) throw new OptionsError('explore()', k, `is not an option; expected one of ${EXPLORE_KEYS.join(', ')}`);
  const sides = sidesOf(options);
  const strategy = options.strategy ?? 'random';
  if (!['random', 'pct', 'exhaustive'].includes(strategy)) throw new OptionsError('explore()', 'strategy', 'must be "random", "pct" or "exhaustive"');
  if (options.physical !== undefined && typeof options.physical !== 'boolean') throw new OptionsError('explore()', 'physical', 'must be a boolean');
  const findings: Finding[] = [];
  const onFinding = (f: Finding) => { findings.push(f); options.onFinding?.(f); };
  if (strategy === 'exhaustive') {
    if (options.scenario === undefined) throw new OptionsError('explore()', 'scenario', 'is required with strategy "exhaustive"');
    const sc = options.physical === true ? { ...options.scenario, physical: true } : options.scenario;
    const s = exploreExhaustive(sim, sc, sides, { bound: options.bound ?? 2, onFinding, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
    return { findings, summary: { ...s, invalid: 0 }, invalid: [] };
  }
  const co: CampaignOptions = { sides, strategy, seed: options.seed ?? 1 };
  if (options.physical === true) co.physical = true;
  if (options.depth !== undefined) co.depth = options.depth;
  if (options.shard !== undefined) co.shard = options.shard;
  const runLimit = options.runs ?? (options.timeMs === undefined ? 10_000 : Infinity);
  const deadline = options.timeMs === undefined ? Infinity : Date.now() + options.timeMs;
  const start = Date.now();
  const known = new Set<string>();
  const invalid: ExploreReport['invalid'] = [];
  let runs = 0;
  let done = false;
  const stop = () => done || Date.now() >= deadline;
  for (let chunk = 0; !stop(); chunk++) {
    // This chunk's runs whose global numbers fall below the limit.
    let limit = 0;
    for (let j = chunk * CHUNK_RUNS; j < (chunk + 1) * CHUNK_RUNS; j++) {
      const g = co.shard ? j * co.shard[1] + (co.shard[0] - 1) : j;
      if (g < runLimit) limit++;
    }
    if (limit === 0) break;
    const r = runChunk(sim, co, chunk, known, {
      stop,
      onDiscover: (inChunk) => ({ runs: runs + inChunk, elapsedMs: Date.now() - start }),
      onFinding: (f) => { if (options.until?.(f)) done = true; },
    }, limit);
    runs += r.runs;
    r.findings.forEach(onFinding);
    invalid.push(...r.invalid);
    const elapsedMs = Date.now() - start;
    options.onProgress?.({ runs, findings: findings.length, elapsedMs, runsPerSecond: elapsedMs > 0 ? (runs * 1000) / elapsedMs : 0 });
  }
  const elapsedMs = Date.now() - start;
  return {
    findings, invalid,
    summary: { type: 'summary', runs, runsPerSecond: elapsedMs > 0 ? Math.round((runs * 1000) / elapsedMs) : 0, findings: findings.length, elapsedMs, invalid: invalid.length },
  };
}

/**
 * Shrinks a scenario that fails under `profile` (or that `profile` and `diff` judge differently)
 * to a minimal one that ends the same way, with `expect` filled in.
 */
export function shrink(sim: Simulator, scenario: Scenario, options: { profile: string; diff?: string; flags?: Partial<Record<FlagName, boolean>>; maxChecks?: number }): { scenario: Scenario; signature: string; originalSteps: number; shrunkSteps: number; checks: number } {
  const sides = sidesOf(options);
  const v = judge(sim, scenario, sides);
  if (v.invalid !== undefined) throw new OptionsError('shrink()', 'scenario', `is invalid: ${v.invalid}`);
  if (v.signature === undefined) throw new OptionsError('shrink()', 'scenario', sides.length === 1 ? `does not fail under ${sides[0].label} (verdict ${v.outcomes[0]!.verdict}): there is nothing to keep while shrinking` : `is judged the same by ${sides[0].label} and ${sides[1]!.label}`);
  const r = shrinkFinding(sim, scenario, sides, v.signature, options.maxChecks !== undefined ? { maxChecks: options.maxChecks } : {});
  return { scenario: r.scenario, signature: v.signature, originalSteps: countSteps(scenario.steps), shrunkSteps: countSteps(r.scenario.steps), checks: r.checks };
}

/** Runs one scenario under two profiles (or a profile and flag overrides) and finds where they part ways. */
export function diff(sim: Simulator, scenario: Scenario, options: { profiles: [string, string]; flags?: Partial<Record<FlagName, boolean>> }): DiffReport {
  const [p, q] = options.profiles;
  return diffScenario(sim, scenario, sideOf(checkProfile(p, 'profiles[0]')), sideOf(checkProfile(q, 'profiles[1]'), checkFlags(options.flags)));
}
