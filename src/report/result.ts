// Turning what the core left in memory into a RunResult: the verdict, the exact text the modelled
// runtime prints for the check that failed (go-runtime-model.md §13), input errors found while
// running, and the rendered event log.

import { hex } from '../api/errors.js';
import type { CompiledScenario } from '../scenario/compile.js';
import type { FlagName, Platform, ProfileName } from '../model/profiles.js';
import { fnName } from './symbols.js';
import { formatCrash, inputErrorDetail, inputErrorEntry } from './crashes.js';
import { COUNTER_NAMES, type CounterName, type RunResult, type TraceEvent, type RunError, type Verdict } from '../api/types.js';
import { WAIT_REASONS } from '../scenario/ops.js';
import { POINTS } from '../model/points.js';

export const STOP = { DONE: 1, CRASH: 2, UAF: 3, BUDGET: 4, INVALID: 5 } as const;

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
  threadTid(threadIndex: number): bigint;
  goid(gIndex: number): bigint;
  events(n: number): { kind: number; op: number; thread: number; m: number; a: bigint; b: bigint }[];
}

export interface RunContext {
  compiled: CompiledScenario;
  profile: ProfileName;
  flags: Set<FlagName>;
  platform: Platform;
  seed: number;
  strategy: 'random' | 'pct';
  budget: number;
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

const EVENT_NAMES = [
  '', 'thread', 'malloc', 'free', 'switch', 'callback', 'needm', 'bindm', 'newextram', 'getstackbound',
  'bounds', 'bounds-kept', 'bounds-restored', 'g0-check', 'exitsyscall', 'reentersyscall',
  'callback-return', 'dropm', 'cgocall', 'cgocall-return', 'systemstack', 'signal', 'thread-exit', 'go',
  'goexit', 'block', 'resume', 'lockOSThread', 'unlockOSThread', 'c-stack', 'crash', 'bounds-cleared',
  'morestack', 'copystack', 'stackfree', 'gc', 'shrink-deferred', 'shrink-skipped', 'call', 'return',
  'trace-advance', 'trace-stack', 'preempt-request', 'preempted', 'schedule', 'execute', 'handoff', 'point', 'defer',
  'park', 'trace-park', 'pin-ignored',
];
const POINT_NAMES: Record<number, string> = Object.fromEntries(POINTS.map((p) => [p.id, p.name]));
const EV_CRASH = 30;
const SHRINK_SKIP = ['', 'half would be below 2KiB', 'uses a quarter or more', 'GODEBUG=gcshrinkstackoff=1'];

function eventText(kind: number, a: bigint, b: bigint): string {
  switch (kind) {
    case 1: return `pthread stack [${hex(a)}, ${hex(b)})`;
    case 2: return `block [${hex(a)}, ${hex(b)})`;
    case 3: return `block [${hex(a)}, ${hex(b)}) freed, poisoned`;
    case 4: return `now on stack [${hex(a)}, ${hex(b)})`;
    case 5: return `cgocallback sp=${hex(a)} ncgo=${b}`;
    case 6: return `needm → M${a}${b ? ' (signal)' : ''}`;
    case 7: return `cgoBindM: M${a} bound by pthread key`;
    case 8: return `oneNewExtraM → M${a} (goroutine ${b})`;
    case 9: return `_cgo_getstackbound → [${hex(a)}, ${hex(b)})`;
    case 10: return `g0 bounds := [${hex(a)}, ${hex(b)}]`;
    case 11: return `g0 bounds kept [${hex(a)}, ${hex(b)}] (SP in bounds)`;
    case 12: return `g0 bounds restored [${hex(a)}, ${hex(b)}]`;
    case 13: return `g0 split check sp=${hex(a)} guard=${hex(b)}: ${a > b ? 'ok' : 'FAILS'}`;
    case 14: return `exitsyscall (goroutine ${a})`;
    case 15: return `reentersyscall sp=${hex(a)} bp=${hex(b)}`;
    case 16: return `back in C at sp=${hex(a)}; g0.sched.sp = ${hex(b)}`;
    case 17: return `dropm M${a}`;
    case 18: return `cgocall: C runs at sp=${hex(a)} ncgo=${b}`;
    case 19: return `C returned (sp=${hex(a)}) ncgo=${b}`;
    case 20: return `systemstack at sp=${hex(a)} guard=${hex(b)}`;
    case 21: return `signal at sp=${hex(a)}`;
    case 22: return `thread ${a} exits`;
    case 23: return `goroutine ${a} starts, stack at ${hex(b)}`;
    case 24: return `goroutine ${a} exits`;
    case 25: return 'C blocks';
    case 26: return 'resumed';
    case 27: return `lockOSThread: lockedInt=${a} lockedExt=${b}`;
    case 28: return `unlockOSThread: lockedInt=${a} lockedExt=${b}`;
    case 29: return `C uses ${b} bytes; sp=${hex(a)}`;
    case 30: return `run ends (crash kind ${a})`;
    case 31: return 'dropm clears g0 bounds';
    case 32: return `morestack: prologue check at sp=${hex(a)} fails (stackguard0=${hex(b)})`;
    case 33: return `copystack → new stack [${hex(a)}, ${hex(b)})`;
    case 34: return `stackfree [${hex(a)}, ${hex(b)}) (poisoned)`;
    case 35: return `GC cycle: scanned ${a} goroutine stacks`;
    case 36: return b !== 0n ? `goroutine ${a}: shrink not safe now (in C: syscallsp=${hex(b)}), preemptShrink set` : `goroutine ${a}: shrink not safe now (waiting for the GC while traced), preemptShrink set`;
    case 37: return `goroutine ${a}: no shrink (${SHRINK_SKIP[Number(b)] ?? b})`;
    case 38: return b < 0x460000n ? `grow: ${b} frames, down to sp=${hex(a)}` : `call: sp=${hex(a)} pc=${hex(b)}`;
    case 39: return `return: sp=${hex(a)} bp=${hex(b)}`;
    case 40: return `trace generation ${a}`;
    case 42: return `preemption request for goroutine ${a}`;
    case 43: return `goroutine ${a} preempted (gopreempt_m) on M${b}: runnable, to the global run queue`;
    case 44: return b ? `M${a}: schedule() -> stoplockedm, waits for its locked goroutine` : `M${a}: schedule() -> looks for work`;
    case 45: return `goroutine ${a} runs on M${b}`;
    case 46: return b ? `goroutine ${a} found by M${b}, handed to its locked M (startlockedm)` : `goroutine ${a} handed to its locked M (startlockedm)`;
    case 47: return `interleaving point ${POINT_NAMES[Number(a)] ?? a}: "at" steps run (goroutine ${b})`;
    case 49: return `goroutine ${a} parks (gopark, reason ${Object.entries(WAIT_REASONS).find(([, id]) => BigInt(id) === b)?.[0] ?? b})`;
    case 50: return `trace event with goroutine ${a}'s stack (GoBlock/GoStop/STW): fpTracebackPCs walked ${b - 1n} frames`;
    case 51: return `resumeOn for goroutine ${a} ignored: M${b} cannot run it now (busy, in C or gone)`;
    case 48: return `deferred ${['', 'unwindm', 'traceback context pop', 'unlockOSThread'][Number(a)] ?? a}`;
    case 41: return b === 0n ? `traceStack goroutine ${a}: slow path (cgo on its M's stack)` : `traceStack goroutine ${a}: fpTracebackPCs walked ${b - 1n} frames`;
  }
  return `event ${kind}`;
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

function renderEvents(raw: RawResult, ctx: RunContext, reader: RecordReader, ending: Ending | undefined): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const { index, e } of orderedEvents(raw, reader)) {
    if (out.length > 0 && index !== out.at(-1)!.index + 1) {
      const omitted = index - out.at(-1)!.index - 1;
      out.push({ index: out.at(-1)!.index + 1, step: '', thread: '-', m: '-', kind: 'events-omitted', text: `… ${omitted} events omitted (the first ${raw.eventsHead} and the last ${Number(raw.eventsTotal) - index} are kept) …`, omitted });
    }
    // A g0 check carries the function whose prologue made it in the kind's upper bits.
    const kind = e.kind & 0xff;
    const fn = e.kind >>> 8;
    let text = eventText(kind, e.a, e.b);
    if (kind === 13 && fn !== 0) text = `${fnName(fn)}: ${text}`;
    const ev: TraceEvent = {
      index,
      step: ctx.compiled.paths[e.op] ?? '',
      thread: threadLabel(ctx, reader, e.thread),
      m: e.m >= 0 ? `M${reader.mId(e.m)}` : '-',
      kind: EVENT_NAMES[kind] ?? String(kind),
      text,
    };
    if (kind === EV_CRASH && ending) {
      ev.text = ending.summary;
      if (ending.crash !== undefined) ev.crash = ending.crash;
      if (ending.fatal !== undefined) ev.fatal = ending.fatal;
    }
    out.push(ev);
  }
  return out;
}

export function counterRecord(values: readonly number[]): Record<CounterName, number> {
  const out = {} as Record<CounterName, number>;
  for (let i = 0; i < COUNTER_NAMES.length; i++) out[COUNTER_NAMES[i]!] = values[i] ?? 0;
  return out;
}

export function baseResult(ctx: { name: string; profile: ProfileName; flags: Set<FlagName>; platform: Platform; seed: number; strategy?: 'random' | 'pct' }, verdict: Verdict): RunResult {
  return {
    scenario: ctx.name,
    profile: ctx.profile,
    verdict,
    counters: counterRecord([]),
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
  const r = baseResult({ name: c.name, profile: ctx.profile, flags: ctx.flags, platform: ctx.platform, seed: ctx.seed, strategy: ctx.strategy }, 'ok');
  r.counters = counterRecord(raw.counters);
  r.traceHash = raw.traceHash.toString(16).padStart(16, '0');
  r.stepsUsed = Number(raw.stepsUsed);
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
    case STOP.UAF: {
      const k = formatCrash(raw.crashKind, raw.operands, {
        fn: raw.crashFn, compiled: c, flags: ctx.flags, platform: ctx.platform, thread: threadLabel(ctx, reader, raw.crashThread),
      });
      r.verdict = raw.stopReason === STOP.CRASH ? 'crash' : 'uaf';
      r.crash = k.crash;
      if (k.fatal !== undefined) r.fatal = k.fatal;
      r.output = k.output;
      if (r.verdict === 'crash') r.exitCode = k.exitCode;
      ending = {
        crash: k.crash, ...(k.fatal !== undefined ? { fatal: k.fatal } : {}),
        summary: `${r.verdict === 'uaf' ? 'use-after-free' : 'crash'}: ${k.fatal ?? k.output.split('\n')[0]!.replace(/^cgosim: /, '')} (check ${k.crash})`,
      };
      break;
    }
    case STOP.BUDGET:
      r.verdict = 'invalid';
      r.error = {
        code: 'BUDGET_EXHAUSTED', path,
        message: `${path}: the step budget of ${ctx.budget} ops ran out here; raise it with --budget (or RunOptions.budget) if the scenario is meant to run this long`,
      };
      break;
    case STOP.INVALID:
      r.verdict = 'invalid';
      r.error = runtimeInvalid(raw, ctx, reader, path);
      ending = { summary: `input error: ${r.error.message}` };
      break;
  }
  if (withEvents) {
    r.events = renderEvents(raw, ctx, reader, ending);
    r.eventsTruncated = BigInt(raw.eventsRecorded) < raw.eventsTotal;
    r.eventsTotal = Number(raw.eventsTotal);
  }
  return r;
}
