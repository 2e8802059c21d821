// A campaign: runs numbered 0, 1, 2, ... each made from its own seed (the campaign's seed mixed
// with the run's number), judged by the oracle, and every new signature shrunk and reported.
//
// Runs are grouped in chunks of CHUNK_RUNS consecutive numbers of a shard's own sequence; shard
// K/N takes the global run numbers K-1, K-1+N, K-1+2N, ... so shards are disjoint and together are
// exactly the unsharded campaign. A chunk is the unit of work a worker takes and of what
// `--resume` records as done. Nothing here touches Node: the browser worker runs the same code.

import { generate, type GenerateOptions } from './generate.js';
import { runSeed } from './rng.js';
import { outcomes, type Side } from './runner.js';
import { diffSignature, isFailure, type Outcome } from './signature.js';
import { countSteps, shrinkScenario } from './shrink.js';
import type { Expectation, Scenario, Simulator } from '../api/types.js';

export const CHUNK_RUNS = 256;

export type Strategy = 'random' | 'pct' | 'exhaustive';

export interface CampaignOptions {
  /** P, and Q with --diff (a profile, or P plus flag overrides). */
  sides: [Side] | [Side, Side];
  strategy: Strategy;
  /** pct: the number of scheduling change points + 1; the generator places depth − 1 pins. */
  depth?: number;
  seed: number;
  /** [K, N]: this campaign is shard K (1-based) of N. */
  shard?: [number, number];
  /** Largest number of timeline steps the generator draws. */
  maxSteps?: number;
}

export interface Finding {
  type: 'finding';
  signature: string;
  profile: string;
  verdict: string;
  fatal?: string;
  crash?: string;
  op?: string;
  /** With --diff: each side's verdict and fatal text. */
  profiles?: Record<string, { verdict: string; fatal?: string; crash?: string }>;
  /** Runs made and milliseconds spent before this finding was discovered (filled by the caller). */
  runs: number;
  elapsedMs: number;
  originalSteps: number;
  shrunkSteps: number;
  shrinkChecks: number;
  shrinkMs: number;
  /** The global run number and its seed: `generate(seed)` remakes the original scenario. */
  index: number;
  runSeed: number;
  scenario: Scenario;
}

export interface ChunkResult {
  chunk: number;
  runs: number;
  findings: Finding[];
  /** Scenarios the simulator rejected: generator bugs. */
  invalid: { index: number; runSeed: number; error: string }[];
}

/** The global run number of the j-th run of a shard. */
export function globalIndex(j: number, shard: [number, number] | undefined): number {
  return shard ? j * shard[1] + (shard[0] - 1) : j;
}

/** Judges one scenario: a failure on P, or (with Q) any difference between P and Q. */
export function judge(sim: Simulator, scenario: Scenario, sides: CampaignOptions['sides']): { signature?: string; outcomes: Outcome[]; invalid?: string } {
  const all = outcomes(sim, scenario, sides);
  const bad = all.findIndex((o) => o.verdict === 'invalid');
  if (bad >= 0) return { outcomes: all, invalid: `${sides[bad]!.label}: ${all[bad]!.error}` };
  const [a, b] = all as [Outcome, Outcome | undefined];
  if (b === undefined) return isFailure(a) ? { signature: a.signature, outcomes: all } : { outcomes: all };
  if (a.signature === b.signature) return { outcomes: all };
  return { signature: diffSignature(sides[0].label, a, sides[1]!.label, b), outcomes: all };
}

function expectation(o: Outcome): Expectation {
  if (o.verdict === 'ok') return 'ok';
  const e: Expectation = { verdict: o.verdict };
  if (o.fatal !== undefined) e.fatal = o.fatal;
  if (o.crash !== undefined) e.crash = o.crash;
  return e;
}

/**
 * Shrinks a scenario that gave `signature` to a minimal one with the same signature, and fills
 * its `expect` for the sides' profiles (flag overrides of a side go into a note, since `expect`
 * is per profile).
 */
export function shrinkFinding(sim: Simulator, scenario: Scenario, sides: CampaignOptions['sides'], signature: string, options: { maxChecks?: number } = {}): { scenario: Scenario; outcomes: Outcome[]; checks: number } {
  const keeps = (s: Scenario) => judge(sim, s, sides).signature === signature;
  const { scenario: small, checks } = shrinkScenario(scenario, keeps, options);
  const { outcomes } = judge(sim, small, sides);
  const out: Scenario = { ...small };
  const expect: Record<string, Expectation> = {};
  sides.forEach((side, i) => {
    if (Object.keys(side.flags).length === 0) expect[side.profile] = expectation(outcomes[i]!);
  });
  if (Object.keys(expect).length > 0) out.expect = expect;
  return { scenario: out, outcomes, checks };
}

/** The generator options a strategy implies. */
export function generatorOptions(o: CampaignOptions): GenerateOptions {
  const g: GenerateOptions = {};
  if (o.maxSteps !== undefined) g.maxSteps = o.maxSteps;
  if (o.strategy === 'pct') g.pins = Math.max(0, (o.depth ?? 3) - 1);
  return g;
}

/** Makes the scenario of global run `index`. */
export function scenarioOf(o: CampaignOptions, index: number): { scenario: Scenario; seed: number } {
  const seed = runSeed(o.seed, index);
  const { scenario } = generate(seed, generatorOptions(o));
  if (o.strategy === 'pct') scenario.strategy = 'pct';
  return { scenario, seed };
}

/**
 * Runs one chunk of a shard's sequence. `known` holds the signatures already reported (by this
 * process, other workers, or an earlier run being resumed); new ones are shrunk and added.
 * `onRun` is told after every run (progress); `stop` is polled between runs.
 */
export function runChunk(sim: Simulator, o: CampaignOptions, chunk: number, known: Set<string>, hooks: { stop?: () => boolean; onDiscover?: (runsInChunk: number) => { runs: number; elapsedMs: number }; onFinding?: (f: Finding) => void } = {}, limit = CHUNK_RUNS): ChunkResult {
  const out: ChunkResult = { chunk, runs: 0, findings: [], invalid: [] };
  for (let j = chunk * CHUNK_RUNS; j < chunk * CHUNK_RUNS + limit; j++) {
    if (hooks.stop?.()) break;
    const index = globalIndex(j, o.shard);
    const { scenario, seed } = scenarioOf(o, index);
    const verdict = judge(sim, scenario, o.sides);
    out.runs++;
    if (verdict.invalid !== undefined) {
      out.invalid.push({ index, runSeed: seed, error: verdict.invalid });
      continue;
    }
    if (verdict.signature === undefined || known.has(verdict.signature)) continue;
    known.add(verdict.signature);
    const at = hooks.onDiscover?.(out.runs) ?? { runs: out.runs, elapsedMs: 0 };
    const t0 = Date.now();
    const shrunk = shrinkFinding(sim, scenario, o.sides, verdict.signature);
    const f = makeFinding(o, verdict.signature, verdict.outcomes, shrunk, {
      runs: at.runs, elapsedMs: at.elapsedMs, original: scenario, index, seed, shrinkMs: Date.now() - t0,
    });
    out.findings.push(f);
    hooks.onFinding?.(f);
  }
  return out;
}

export function makeFinding(o: CampaignOptions, signature: string, found: Outcome[], shrunk: { scenario: Scenario; outcomes: Outcome[]; checks: number }, at: { runs: number; elapsedMs: number; original: Scenario; index: number; seed: number; shrinkMs: number }): Finding {
  const first = shrunk.outcomes[0] ?? found[0]!;
  const f: Finding = {
    type: 'finding', signature, profile: o.sides[0].label, verdict: first.verdict,
    runs: at.runs, elapsedMs: at.elapsedMs,
    originalSteps: countSteps(at.original.steps), shrunkSteps: countSteps(shrunk.scenario.steps),
    shrinkChecks: shrunk.checks, shrinkMs: at.shrinkMs, index: at.index, runSeed: at.seed,
    scenario: shrunk.scenario,
  };
  if (first.fatal !== undefined) f.fatal = first.fatal;
  else if (first.headline) f.fatal = first.headline;
  if (first.crash !== undefined) f.crash = first.crash;
  if (first.op !== undefined) f.op = first.op;
  if (o.sides.length === 2) {
    f.profiles = {};
    o.sides.forEach((side, i) => {
      const oc = shrunk.outcomes[i]!;
      const e: { verdict: string; fatal?: string; crash?: string } = { verdict: oc.verdict };
      if (oc.fatal ?? oc.headline) e.fatal = oc.fatal ?? oc.headline;
      if (oc.crash !== undefined) e.crash = oc.crash;
      f.profiles![side.label] = e;
    });
  }
  return f;
}
