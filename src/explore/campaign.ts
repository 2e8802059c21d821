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
import { FastRunner, OK, FAIL, INVALID } from './fast.js';
import { resolveFlags } from '../core/engine.js';
import type { Expectation, Scenario, Simulator } from '../api/types.js';

/** Runs per chunk: the unit a worker takes and --resume records. Large, so that messages are few. */
export const CHUNK_RUNS = 4096;

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
  /** Every generated scenario runs under the physical model (`"physical": true`). */
  physical?: boolean;
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
  if (o.physical === true) g.physical = true;
  if (o.strategy === 'pct') g.pins = Math.max(0, (o.depth ?? 3) - 1);
  // iter.Pull builds only where every side has coroutines (go1.23+): elsewhere a pull is an input error.
  // Likewise #cgo nocallback (go1.24+).
  const flags = o.sides.map((side) => resolveFlags(side.profile.trim().toLowerCase(), side.flags).flags);
  if (flags.every((f) => f.has('COROUTINES'))) g.coroutines = true;
  if (flags.every((f) => f.has('NOCALLBACK_DIRECTIVE'))) g.nocallback = true;
  return g;
}

/** Makes the scenario of global run `index`. */
export function scenarioOf(o: CampaignOptions, index: number): { scenario: Scenario; seed: number } {
  const seed = runSeed(o.seed, index);
  const { scenario } = generate(seed, generatorOptions(o));
  if (o.strategy === 'pct') scenario.strategy = 'pct';
  return { scenario, seed };
}

/** One run in this many (of a shard's sequence) is also checked the slow way: the generator's self-check. */
export const CHECK_EVERY = 1024;

type Hooks = { stop?: () => boolean; onDiscover?: (runsInChunk: number) => { runs: number; elapsedMs: number }; onFinding?: (f: Finding) => void };

/** FastRunners by simulator: one tape, generator and emitter per simulator, for all its chunks. */
const runners = new WeakMap<Simulator, Map<string, FastRunner>>();

function fastRunner(sim: Simulator, o: CampaignOptions): FastRunner | undefined {
  const key = JSON.stringify([o.sides, o.strategy, o.depth, o.maxSteps, o.physical === true]);
  let bySim = runners.get(sim);
  if (!bySim) runners.set(sim, bySim = new Map());
  let r = bySim.get(key);
  if (!r) {
    try {
      r = new FastRunner(sim, o.sides, generatorOptions(o), o.strategy === 'pct' ? 'pct' : 'random');
    } catch {
      return undefined; // not a simulator of ours: the object path below
    }
    if (bySim.size > 8) bySim.clear();
    bySim.set(key, r);
  }
  return r;
}

/**
 * Runs one chunk of a shard's sequence. `known` holds the signatures already reported (by this
 * process, other workers, or an earlier run being resumed); new ones are shrunk and added.
 * `stop` is polled every few runs and after each finding.
 *
 * Each run goes through the binary loop (fast.ts): generated, laid out and run with nothing
 * allocated. Only a run that fails in a way not seen before is turned into a scenario object and
 * judged the slow way for its signature; only a new signature is shrunk. One run in CHECK_EVERY is
 * also compiled from its object and compared with the binary records: a difference, or an invalid
 * scenario, is counted as a generator bug.
 */
export function runChunk(sim: Simulator, o: CampaignOptions, chunk: number, known: Set<string>, hooks: Hooks = {}, limit = CHUNK_RUNS): ChunkResult {
  const fast = fastRunner(sim, o);
  if (!fast) return runChunkObjects(sim, o, chunk, known, hooks, limit);
  const out: ChunkResult = { chunk, runs: 0, findings: [], invalid: [] };
  const two = o.sides.length === 2;
  const signatures = signatureCache(sim, o);
  for (let j = chunk * CHUNK_RUNS; j < chunk * CHUNK_RUNS + limit; j++) {
    if ((out.runs & 63) === 0 && hooks.stop?.()) break;
    const index = globalIndex(j, o.shard);
    const seed = runSeed(o.seed, index);
    fast.load(seed);
    if (j % CHECK_EVERY === 0) {
      const wrong = fast.check();
      if (wrong !== undefined) {
        out.runs++;
        out.invalid.push({ index, runSeed: seed, error: wrong });
        continue;
      }
    }
    const bad = fast.run();
    out.runs++;
    if (!bad) continue;
    const v = fast.verdicts;
    // Raw keys name the side, so only two fails can have the same signature.
    if (two && v[0] === FAIL && v[1] === FAIL && signatures.get(fast.keys[0]!) !== undefined && signatures.get(fast.keys[0]!) === signatures.get(fast.keys[1]!)) continue;
    let signature: string | undefined;
    let outcomes: Outcome[] | undefined;
    let scenario: Scenario | undefined;
    const sigOf = (s: number): string | undefined => (v[s] === OK ? 'ok' : signatures.get(fast.keys[s]!));
    if (v[0] === INVALID || (two && v[1] === INVALID) || sigOf(0) === undefined || (two && sigOf(1) === undefined)) {
      // Not seen before (or invalid): judge the scenario object the slow way.
      scenario = fast.scenario();
      const verdict = judge(sim, scenario, o.sides);
      if (verdict.invalid !== undefined) {
        out.invalid.push({ index, runSeed: seed, error: verdict.invalid });
        continue;
      }
      outcomes = verdict.outcomes;
      let agree = true;
      o.sides.forEach((_, s) => {
        const oc = verdict.outcomes[s]!;
        if ((v[s] === OK) !== (oc.verdict === 'ok')) agree = false;
        if (v[s] === FAIL) signatures.set(fast.keys[s]!, oc.signature);
      });
      if (!agree) {
        out.invalid.push({ index, runSeed: seed, error: 'generator: the binary run and the scenario object\'s run end differently' });
        continue;
      }
      signature = verdict.signature;
    } else if (two) {
      const a = sigOf(0)!;
      const b = sigOf(1)!;
      if (a === b) continue;
      signature = `${o.sides[0].label}: ${a} <> ${o.sides[1]!.label}: ${b}`;
    } else {
      signature = sigOf(0);
    }
    if (signature === undefined || known.has(signature)) continue;
    known.add(signature);
    scenario ??= fast.scenario();
    outcomes ??= judge(sim, scenario, o.sides).outcomes;
    report(sim, o, out, hooks, { scenario, signature, outcomes, index, seed });
    if (hooks.stop?.()) break;
  }
  return out;
}

/** Raw failure keys (fast.ts) to signatures, per simulator and campaign sides. */
const caches = new WeakMap<Simulator, Map<string, Map<string, string>>>();
function signatureCache(sim: Simulator, o: CampaignOptions): Map<string, string> {
  const key = JSON.stringify(o.sides);
  let bySim = caches.get(sim);
  if (!bySim) caches.set(sim, bySim = new Map());
  let c = bySim.get(key);
  if (!c) bySim.set(key, c = new Map());
  if (c.size > 65536) c.clear();
  return c;
}

function report(sim: Simulator, o: CampaignOptions, out: ChunkResult, hooks: Hooks, run: { scenario: Scenario; signature: string; outcomes: Outcome[]; index: number; seed: number }): void {
  const at = hooks.onDiscover?.(out.runs) ?? { runs: out.runs, elapsedMs: 0 };
  const t0 = Date.now();
  const shrunk = shrinkFinding(sim, run.scenario, o.sides, run.signature);
  const f = makeFinding(o, run.signature, run.outcomes, shrunk, {
    runs: at.runs, elapsedMs: at.elapsedMs, original: run.scenario, index: run.index, seed: run.seed, shrinkMs: Date.now() - t0,
  });
  out.findings.push(f);
  hooks.onFinding?.(f);
}

/** runChunk for a Simulator that is not one of ours: every run through the scenario object. */
function runChunkObjects(sim: Simulator, o: CampaignOptions, chunk: number, known: Set<string>, hooks: Hooks, limit: number): ChunkResult {
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
    report(sim, o, out, hooks, { scenario, signature: verdict.signature, outcomes: verdict.outcomes, index, seed });
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
