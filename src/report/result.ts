// Turning what the core left in memory into a RunResult: the verdict, the exact text the modelled
// runtime prints for the check that failed (the crash table, crashes.ts), input errors found while
// running, and the rendered event log.

import { physClassOf } from '../model/physical.js';
import { STOP, WORK, counterRecordOf } from '../core/abi.js';
import type { CompiledScenario } from '../scenario/compile.js';
import { flagMask, flagOverridesOf, flagSet, impliedSites, CB_UPDATE_SITES, resolveProfile, runLabel, PROFILE_NAMES, type FlagName, type Platform, type ProfileName } from '../model/profiles.js';
import { mById, mNames, type MNames } from './names.js';
import { decodeEvent, EV_CRASH } from './events.js';
import { formatCrash, inputErrorDetail, inputErrorEntry, G_STATUS, type CrashView } from './crashes.js';
import { GO_LINES } from './symbols.js';
import { type CounterName, type RunResult, type TraceEvent, type RunError, type Verdict } from '../api/types.js';

export { STOP };

/** What a run was doing when its budget or deadline ran out (the core's WORK_* codes), in words. */
export const WORK_DOING: Record<(typeof WORK)[keyof typeof WORK], string> = {
  [WORK.OPS]: 'running ops', [WORK.REPEAT]: 'turning a "repeat" loop', [WORK.PUSH]: 'pushing frames',
  [WORK.RETURN]: 'returning from frames', [WORK.WALK]: 'walking a goroutine\'s frames (GC scan or stack relocation)',
  [WORK.MEMORY]: 'filling or copying simulated memory', [WORK.REGIONS]: 'searching the region table',
  [WORK.TRACE]: 'walking frame pointers for the tracer', [WORK.GOROUTINES]: 'visiting every goroutine (GC or tracer)',
  [WORK.WAIT]: 'waiting in a "join" (running what is runnable, firing timers)',
};
function doing(code: number): string {
  return (WORK_DOING as Record<number, string>)[code] ?? 'running';
}

/** What a run left in the result area (assembly/results.ts). */
export interface RawResult {
  stopReason: number;
  crashKind: number;
  crashOp: number;
  crashThread: number;
  crashM: number;
  crashG: number;
  crashFn: number;
  operands: bigint[];
  eventsRecorded: number;
  eventsTotal: bigint;
  /** How many first events the area keeps in order; the rest of it is a ring of the last ones. */
  eventsHead: number;
  traceHash: bigint;
  stepsUsed: bigint;
  counters: number[];
}

/** Lookups into the records after a run, provided by the core. */
export interface RecordReader {
  mId(mIndex: number): number;
  /** Whether M record mIndex is an extra M (m.isextra). */
  mIsExtra(mIndex: number): boolean;
  /** How many M records the run used. */
  mCount(): number;
  /** The goroutine an M runs (m.curg): its goid, status and whether it is locked to the M. */
  curG(mIndex: number): { index: number; goid: bigint; status: number; locked: boolean } | undefined;
  threadTid(threadIndex: number): bigint;
  goid(gIndex: number): bigint;
  /** Goroutine gIndex's modelled frames, innermost first (function indices, RF_* or the scenario's). */
  gFrames(gIndex: number): number[];
  events(n: number): { kind: number; op: number; thread: number; m: number; a: bigint; b: bigint }[];
}

export interface RunContext {
  compiled: CompiledScenario;
  profile: ProfileName;
  /** The release asked for, when it is not the profile's own name. */
  release?: string | undefined;
  flags: Set<FlagName>;
  platform: Platform;
  seed: number;
  strategy: 'random' | 'pct';
  budget: number;
  /** Wall-clock limit of the run, ms. */
  deadline?: number;
  /** The physical model was on (the scenario's `physical`, or the run option). */
  physical: boolean;
}

function threadLabel(ctx: RunContext, reader: RecordReader, ti: number): string {
  if (ti < 0) return '-';
  return ti < ctx.compiled.threads.length ? ctx.compiled.threads[ti]! : `thread ${reader.threadTid(ti)}`;
}

/** An input error found while running, at the field of the op that the op table names for it. */
function runtimeInvalid(raw: RawResult, ctx: RunContext, reader: RecordReader, path: string): RunError {
  const error = inputErrorEntry(raw.crashKind)?.name;
  const field = error ? ctx.compiled.subjects[raw.crashOp]?.fields[error] ?? '' : '';
  const at = field ? `${path}.${field}` : path;
  const t = threadLabel(ctx, reader, raw.crashThread);
  const detail = inputErrorDetail(raw.crashKind, raw.operands, t);
  return { code: 'STATE_INVALID', message: `${at}: ${detail}`, path: at };
}

/**
 * What the crash text needs of the run around it: the release's line numbers (only for a release
 * whose source we read, run with exactly its own flags: a reverted CL or an override moves lines),
 * the release's goroutine header style, and the goroutine the crashing M was running.
 */
function goSide(ctx: RunContext, reader: RecordReader, mIndex: number, gIndex: number): Pick<CrashView, 'lines' | 'go121' | 'go122' | 'g' | 'goid'> {
  const at = PROFILE_NAMES.indexOf(ctx.profile);
  const out: Pick<CrashView, 'lines' | 'go121' | 'go122' | 'g' | 'goid'> = { go121: at >= PROFILE_NAMES.indexOf('go1.21.0'), go122: at >= PROFILE_NAMES.indexOf('go1.22.0') };
  const release = ctx.release ?? ctx.profile;
  const lines = GO_LINES[release];
  const resolved = resolveProfile(release);
  if (lines && resolved && flagMask(ctx.flags) === flagMask(flagSet(resolved.profile, resolved.overrides))) out.lines = lines;
  const g = reader.curG(mIndex);
  if (g) {
    out.g = {
      goid: g.goid, status: G_STATUS[g.status] ?? String(g.status), locked: g.locked, mId: reader.mId(mIndex),
      frames: reader.gFrames(g.index),
    };
  }
  if (gIndex >= 0) out.goid = reader.goid(gIndex);
  return out;
}

/** How the run ended, for the last event's text: the check's name and the fatal text. */
interface Ending { crash?: string; fatal?: string; summary: string }

/**
 * The recorded events in order, with the gap between the kept first and last events marked by one
 * "events-omitted" entry. The core keeps events [0, head) in order and the later ones in a ring.
 */
function orderedEvents(raw: RawResult, reader: RecordReader): { index: number; e: ReturnType<RecordReader['events']>[number] }[] {
  const slots = reader.events(raw.eventsRecorded);
  const total = Number(raw.eventsTotal);
  if (total <= slots.length) return slots.map((e, index) => ({ index, e }));
  const head = raw.eventsHead;
  const ring = slots.length - head;
  const out = slots.slice(0, head).map((e, index) => ({ index, e }));
  for (let n = total - ring; n < total; n++) out.push({ index: n, e: slots[head + ((n - head) % ring)]! });
  return out;
}

function renderEvents(raw: RawResult, ctx: RunContext, reader: RecordReader, ending: Ending | undefined, names: MNames): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const { index, e } of orderedEvents(raw, reader)) {
    if (out.length > 0 && index !== out.at(-1)!.index + 1) {
      const omitted = index - out.at(-1)!.index - 1;
      out.push({ index: out.at(-1)!.index + 1, step: '', thread: '-', m: '-', kind: 'events-omitted', code: 0, op: -1, args: { omitted }, text: `… ${omitted} events omitted (the first ${raw.eventsHead} and the last ${Number(raw.eventsTotal) - index} are kept) …`, omitted });
    }
    const d = decodeEvent(e.kind, e.a, e.b);
    const ev: TraceEvent = {
      index,
      step: ctx.compiled.paths[e.op] ?? '',
      thread: threadLabel(ctx, reader, e.thread),
      m: e.m >= 0 ? names.byIndex[e.m] ?? `m.id ${reader.mId(e.m)}` : '-',
      kind: d.name,
      // The event table prints the runtime's M ids as "M<id>"; every M shows by its one name.
      text: d.text.replace(/\bM(\d+)\b/g, (_, id: string) => mById(names, Number(id))),
      code: d.kind,
      op: e.op < ctx.compiled.nOps ? e.op : -1,
      args: d.args,
    };
    if (d.kind === EV_CRASH && ending) {
      ev.text = ending.summary;
      if (ending.crash !== undefined) ev.crash = ending.crash;
      if (ending.fatal !== undefined) ev.fatal = ending.fatal;
    }
    out.push(ev);
  }
  return out;
}

/** The names of the run's Ms (names.ts). */
export function runMNames(ctx: RunContext, reader: RecordReader): MNames {
  const ids: number[] = [];
  for (let i = 0; i < reader.mCount(); i++) ids.push(reader.mId(i));
  return mNames(ctx.compiled.goMs, ids, (i) => reader.mIsExtra(i));
}

const overrideMasks = new WeakMap<Set<FlagName>, bigint>();

/** The flags that differ from the profile's own, as a mask (cached per flag set: engines reuse them). */
function overrideMaskOf(profile: ProfileName, flags: Set<FlagName>): bigint {
  let m = overrideMasks.get(flags);
  if (m === undefined) {
    m = flagMask(flags) ^ flagMask(flagSet(profile));
    // The call-site flags count only where they differ from what the variant implies (as in
    // flagOverridesOf), so "+CB_UPDATE_V2" mixes in what it did before the sites were split.
    for (const site of CB_UPDATE_SITES) {
      const bit = flagMask(new Set([site]));
      m &= ~bit;
      if (flags.has(site) !== impliedSites(flags)) m |= bit;
    }
    overrideMasks.set(flags, m);
  }
  return m;
}

/** Whether coverHash changes the core's hash for this run (flag overrides or GODEBUG settings). */
export function hashCovers(ctx: Pick<RunContext, 'profile' | 'flags' | 'compiled'>): boolean {
  return ctx.compiled.godebugBits !== 0 || overrideMaskOf(ctx.profile, ctx.flags) !== 0n;
}

/**
 * The trace hash a result reports. The core hashes the events; what else changes behaviour or output
 * is mixed in here: the flags that differ from the profile's own (from the release, the scenario,
 * --flag, --crash-stack) and the GODEBUG settings. A plain profile run keeps the core's hash.
 */
export function coverHash(hash: bigint, ctx: Pick<RunContext, 'profile' | 'flags' | 'compiled'>): bigint {
  if (!hashCovers(ctx)) return hash;
  const overrideMask = overrideMaskOf(ctx.profile, ctx.flags);
  const godebugBits = BigInt(ctx.compiled.godebugBits);
  const M = (1n << 64n) - 1n;
  let h = (hash ^ ((overrideMask * 0x100000001b3n) & M) ^ (godebugBits << 56n)) & M;
  h = ((h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
  h = ((h ^ (h >> 27n)) * 0x94d049bb133111ebn) & M;
  return h ^ (h >> 31n);
}

/** A run's label and flag overrides, by flag set (engines and run() reuse their sets) and release. */
const runNames = new WeakMap<Set<FlagName>, Map<string, { label: string; overrides: Partial<Record<FlagName, boolean>> | undefined }>>();

/** Sets what a result is called: its release, label, flag overrides and GODEBUG settings. */
export function nameRun(r: RunResult, run: { profile: ProfileName; flags: Set<FlagName>; release?: string | undefined; godebug: Record<string, string> }): void {
  let byRun = runNames.get(run.flags);
  if (!byRun) {
    byRun = new Map();
    runNames.set(run.flags, byRun);
  }
  const key = run.release === undefined ? run.profile : `${run.profile}\u0000${run.release}`;
  let named = byRun.get(key);
  if (!named) {
    const overrides = flagOverridesOf(run.profile, run.flags);
    named = { label: runLabel(run.release ?? run.profile, run.profile, overrides), overrides: Object.keys(overrides).length > 0 ? overrides : undefined };
    byRun.set(key, named);
  }
  if (run.release !== undefined) r.release = run.release;
  r.label = named.label;
  if (named.overrides) r.overrides = { ...named.overrides };
  let gd = '';
  for (const k in run.godebug) gd += `${gd ? ',' : ''}${k}=${run.godebug[k]}`;
  if (gd) r.godebug = gd;
}

/** The counters by name (a generated literal: the loop it replaces cost a small run about a fifth of its host time). */
export function counterRecord(values: readonly number[]): Record<CounterName, number> {
  return counterRecordOf(values);
}

export function baseResult(ctx: { name: string; profile: ProfileName; flags: Set<FlagName>; platform: Platform; seed: number; strategy?: 'random' | 'pct' }, verdict: Verdict, counters: readonly number[] = []): RunResult {
  return {
    scenario: ctx.name,
    profile: ctx.profile,
    label: ctx.profile,
    verdict,
    counters: counterRecord(counters),
    traceHash: '',
    stepsUsed: 0,
    flags: [...ctx.flags],
    platform: ctx.platform,
    seed: ctx.seed,
    strategy: ctx.strategy ?? 'random',
  };
}

export function buildResult(raw: RawResult, ctx: RunContext, reader: RecordReader, withEvents: boolean): RunResult {
  const c = ctx.compiled;
  // The counter record is built once, from the run's counters (a small run's result costs little else).
  const r = baseResult({ name: c.name, profile: ctx.profile, flags: ctx.flags, platform: ctx.platform, seed: ctx.seed, strategy: ctx.strategy }, 'ok', raw.counters);
  r.traceHash = coverHash(raw.traceHash, ctx).toString(16).padStart(16, '0');
  nameRun(r, { profile: ctx.profile, flags: ctx.flags, release: ctx.release, godebug: c.godebug });
  const names = runMNames(ctx, reader);
  r.stepsUsed = Number(raw.stepsUsed);
  if (ctx.physical) r.physical = true;
  const path = c.paths[raw.crashOp] ?? 'steps';
  if (raw.stopReason !== STOP.DONE) {
    r.step = c.topStep[raw.crashOp] ?? 0;
    r.stepPath = path;
  }
  let ending: Ending | undefined;
  switch (raw.stopReason) {
    case STOP.DONE:
      r.exitCode = 0;
      break;
    case STOP.CRASH:
    case STOP.UAF:
    case STOP.CORRUPT:
    case STOP.FAILED: {
      const k = formatCrash(raw.crashKind, raw.operands, {
        fn: raw.crashFn, compiled: c, flags: ctx.flags, platform: ctx.platform, thread: threadLabel(ctx, reader, raw.crashThread),
        mName: (index) => names.byIndex[index], ...goSide(ctx, reader, raw.crashM, raw.crashG),
        physClass: physClassOf(ctx.profile),
      });
      r.verdict = raw.stopReason === STOP.CRASH ? 'crash' : raw.stopReason === STOP.UAF ? 'uaf' : raw.stopReason === STOP.CORRUPT ? 'corrupt' : 'failed';
      r.crash = k.crash;
      if (k.fatal !== undefined) r.fatal = k.fatal;
      // What the process prints stays in `output`; the simulator's own explanation ("cgosim: …"
      // lines) goes to `note`, so output compares with a real run's stderr.
      const lines = k.output.split('\n');
      const own = lines.filter((l) => l.startsWith('cgosim: '));
      if (own.length > 0) {
        r.note = own.map((l) => l.slice('cgosim: '.length)).join('\n');
        const rest = lines.filter((l) => !l.startsWith('cgosim: ')).join('\n').replace(/\n+$/, '\n');
        r.output = rest === '\n' ? '' : rest;
      } else {
        r.output = k.output;
      }
      if (r.verdict === 'crash' || r.verdict === 'failed') r.exitCode = k.exitCode;
      ending = {
        crash: k.crash, ...(k.fatal !== undefined ? { fatal: k.fatal } : {}),
        summary: `${r.verdict === 'uaf' ? 'use-after-free' : r.verdict === 'corrupt' ? 'corruption' : r.verdict === 'failed' ? 'assertion failed' : 'crash'}: ${k.fatal ?? k.output.split('\n')[0]!.replace(/^cgosim: /, '')} (check ${k.crash})`,
      };
      break;
    }
    case STOP.BUDGET:
      r.verdict = 'invalid';
      r.error = {
        code: 'BUDGET_EXHAUSTED', path,
        message: `${path} (${c.subjects[raw.crashOp]?.op ?? 'op'}): the budget of ${ctx.budget} steps ran out while ${doing(raw.crashKind)}; raise it with --budget (or RunOptions.budget) if the scenario is meant to run this long`,
      };
      break;
    case STOP.DEADLINE:
      r.verdict = 'invalid';
      r.error = {
        code: 'DEADLINE_EXCEEDED', path,
        message: `${path} (${c.subjects[raw.crashOp]?.op ?? 'op'}): the deadline of ${ctx.deadline} ms passed while ${doing(raw.crashKind)}`,
      };
      break;
    case STOP.INVALID:
      r.verdict = 'invalid';
      r.error = runtimeInvalid(raw, ctx, reader, path);
      ending = { summary: `input error: ${r.error.message}` };
      break;
  }
  if (withEvents) {
    r.events = renderEvents(raw, ctx, reader, ending, names);
    r.eventsTruncated = BigInt(raw.eventsRecorded) < raw.eventsTotal;
    r.eventsTotal = Number(raw.eventsTotal);
  }
  return r;
}
