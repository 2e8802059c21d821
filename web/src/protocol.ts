// Messages between the page and the simulation worker.

import type { DiffReport, Expectation, FlagName, RunResult, StateSnapshot } from '../../src/api/index.js';

/** A runtime to run: a profile, with optional flag overrides. */
export interface Runtime { profile: string; flags?: Partial<Record<FlagName, boolean>> }

export interface MatrixCell {
  profile: string;
  result: RunResult;
  expect?: Expectation;
  /** Differences from `expect` (empty: it matches). */
  problems: string[];
}

export type Request =
  | { type: 'matrix'; text: string; seed?: number }
  | { type: 'run'; text: string; runtime: Runtime; seed?: number }
  | { type: 'snapshot'; text: string; runtime: Runtime; seed?: number; event: number }
  | { type: 'diff'; text: string; a: Runtime; b: Runtime; seed?: number }
  | { type: 'explore'; profile: string; diff?: string; seed: number; timeMs: number };

/** Progress of an exploration, sent while it runs. */
export type ExploreProgress =
  | { kind: 'progress'; runs: number; findings: number; elapsedMs: number; runsPerSecond: number }
  | { kind: 'finding'; finding: FindingSummary };

export interface FindingSummary {
  signature: string;
  verdict: string;
  fatal?: string;
  crash?: string;
  profiles?: Record<string, { verdict: string; fatal?: string; crash?: string }>;
  runs: number;
  elapsedMs: number;
  originalSteps: number;
  shrunkSteps: number;
  /** The shrunk scenario, as JSON text. */
  text: string;
}

export interface ExploreReply { runs: number; findings: number; elapsedMs: number; invalid: number }

export interface SnapshotReply {
  /** Ops the core ran before it stopped (the step budget that stopped it after this event's op). */
  ops: number;
  /** Events recorded up to that point. */
  events: number;
  state: StateSnapshot | undefined;
  /** The op whose end the snapshot shows. */
  opPath: string;
}

export interface DiffReply {
  a: RunResult;
  b: RunResult;
  /** Index of the first event that differs, or -1 when none does (from the explorer's diff). */
  first: number;
  /** The explorer's account of the divergence: each side's event there, its last bounds and SP. */
  report: DiffReport;
}

export type Reply =
  | { id: number; ok: true; data: unknown }
  | { id: number; ok: false; error: string }
  | { id: number; progress: unknown };
