// Turning what the core left in memory into a RunResult: the verdict, the exact text the modelled
// runtime prints for the check that failed (go-runtime-model.md §13), input errors found while
// running, and the rendered event log.

import { hex } from '../api/errors.js';
import type { CompiledScenario } from '../scenario/compile.js';
import { flagMask, flagOverridesOf, flagSet, runLabel, type FlagName, type Platform, type ProfileName } from '../model/profiles.js';
import { FN, fnName, pcOf, traceback } from './symbols.js';
import { COUNTER_NAMES, type CounterName, type RunResult, type TraceEvent, type RunError, type Verdict } from '../api/types.js';
import { OP, OP_SIZE, WAIT_REASONS } from '../scenario/compile.js';
import { POINTS } from '../model/points.js';
import { mById, mNames, type MNames } from './names.js';

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
  /** How many M records the run used. */
  mCount(): number;
  threadTid(threadIndex: number): bigint;
  goid(gIndex: number): bigint;
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
}

const CRASH = {
  MORESTACK_G0: 1, CALLBACK_OOB: 2, CGO_BEFORE: 3, ENTERSYSCALL_SP: 4, ENTERSYSCALL_BP: 5, UAF_C_STACK: 6,
  LOCK_MISUSE: 7, SPLIT_BAD_TIME: 8, STACK_OVERFLOW: 9, GROWTH_IN_SYSCALL: 10, INVALID_POINTER: 11,
  SHRINK_BAD_TIME: 12, UNKNOWN_PC: 13, UAF_STACK: 14, SPLIT_OVERFLOW: 15, SIGSEGV_TRACE: 16,
  SCHEDULE_IN_CGO: 17, M_CHANGED: 18, SIGSEGV_WRONG_M: 19, MORESTACK_GSIGNAL: 20, TRACE_OWNERSHIP: 21,
} as const;
const G_STATUS = ['idle', 'runnable', 'running', 'syscall', 'waiting', 'moribund_unused', 'dead', 'enqueue_unused', 'copystack', 'preempted'];

/** Names of the runtime's functions with frames (assembly/stack.ts RF_*), by index. */
const RUNTIME_FUNCS = ['runtime.goexit', 'main.goroutine', 'runtime.cgocall', 'runtime.cgocallback', 'runtime.cgocallbackg', 'runtime.cgocallbackg1', 'main.grow'];
export const FUNC_TEXT_BASE = 0x460000n;
export const FUNC_PC_STRIDE = 0x100n;

export function funcName(c: CompiledScenario, k: number): string {
  if (k < RUNTIME_FUNCS.length) return RUNTIME_FUNCS[k]!;
  return c.funcs[k - 16]?.name ?? `func${k}`;
}

/** The function a simulated PC belongs to, for messages. */
export function pcName(c: CompiledScenario, pc: bigint): string {
  if (pc < FUNC_TEXT_BASE) return '?';
  const k = Number((pc - FUNC_TEXT_BASE) / FUNC_PC_STRIDE);
  const off = (pc - FUNC_TEXT_BASE) % FUNC_PC_STRIDE;
  return `${funcName(c, k)}+${hex(off)}`;
}

const READ_WHAT = ['a value', 'a saved frame pointer', 'a return PC', 'runtime.fpTracebackPCs: a frame-pointer chain link'];

const INVALID = {
  THREAD_EXITED: 100, THREAD_BLOCKED: 101, REGION_OVERLAP: 102, NO_SPACE: 103, NOT_BLOCKED: 104,
  FREED_TWICE: 105, TOO_DEEP: 106, M_BUSY: 107, TOO_MANY: 108, OUTSIDE_WINDOW: 109, NOT_IN_GO: 110,
  BLOCK_LIVE: 111, C_STACK_OVERFLOW: 112, BAD_SWITCH: 113, M_STACK: 114, THREAD_IN_GO: 115, M_EXITED: 116, SP_OUTSIDE: 117,
} as const;

const REGION_KINDS = ['?', 'thread stack', 'malloc block', 'goroutine stack', 'M thread stack'];

interface Crash { crash: string; fatal?: string; exitCode: number; output: string }

function threadLabel(ctx: RunContext, reader: RecordReader, ti: number): string {
  if (ti < 0) return '-';
  return ti < ctx.compiled.threads.length ? ctx.compiled.threads[ti]! : `thread ${reader.threadTid(ti)}`;
}

function fatalThrow(text: string): string {
  return `fatal error: ${text}\n`;
}

function formatCrash(raw: RawResult, ctx: RunContext, reader: RecordReader): Crash {
  const o = raw.operands;
  const has = (f: FlagName) => ctx.flags.has(f);
  switch (raw.crashKind) {
    case CRASH.MORESTACK_G0: {
      const [lo, hi, sp, mid] = [o[0]!, o[1]!, o[2]!, o[3]!];
      const frames = [FN.MORESTACK, raw.crashFn, FN.SYSTEMSTACK];
      if (raw.crashFn === FN.EXITSYSCALLFAST_FUNC1) frames.push(FN.EXITSYSCALL, FN.CGOCALLBACKG, FN.CGOCALLBACK);
      // badmorestackg0 on a crash stack: go1.22+ on linux/amd64, never on windows (§4.3).
      if (has('CRASHSTACK_MORESTACK_G0') && ctx.platform !== 'windows') {
        return {
          crash: 'morestack-g0', fatal: 'morestack on g0', exitCode: 2,
          output: `runtime: morestack on g0, stack [${hex(lo)} ${hex(hi)}], sp=${hex(sp)}, called from\n` +
            `${traceback(frames.slice(1))}\n\n${fatalThrow('morestack on g0')}`,
        };
      }
      return {
        crash: 'morestack-g0', fatal: 'morestack on g0', exitCode: 2,
        output: 'fatal: morestack on g0\nSIGTRAP: trace trap\n' +
          `PC=${hex(pcOf(FN.ABORT, 0x1n))} m=${mid} sigcode=128\n\n` +
          `goroutine 0 gp=${hex(0xc000000000n)} m=${mid} [idle]:\n${traceback([FN.ABORT, ...frames])}\n`,
      };
    }
    case CRASH.CALLBACK_OOB: {
      const [mid, procid, sp, lo, hi, gsp] = [o[0]!, o[1]!, o[2]!, o[3]!, o[4]!, o[7]!];
      if (has('CRASH_STACK_DIAG')) {
        return {
          crash: 'cgocallback-out-of-bounds', exitCode: 2,
          output: `M ${mid} procid ${procid} runtime: cgocallback with sp=${hex(sp)} out of bounds [${hex(lo)}, ${hex(hi)}]\n`,
        };
      }
      // The print above never happens: printlock's prologue meets stackguard0 == stackPreempt with
      // throwsplit set (cgocallbackg runs this before exitsyscall), so newstack throws.
      const printSp = gsp - 0x40n;
      const callerPc = pcOf(FN.CALLBACK_UPDATE, 0x1c5n);
      return {
        crash: 'stack-split-at-bad-time', fatal: 'runtime: stack split at bad time', exitCode: 2,
        output: `runtime: newstack at ${fnName(FN.PRINTLOCK)}+0x3d sp=${hex(printSp)} stack=[${hex(o[5]!)}, ${hex(o[6]!)}]\n` +
          `\tmorebuf={pc:${hex(callerPc)} sp:${hex(printSp + 8n)} lr:0x0}\n` +
          `\tsched={pc:${hex(pcOf(FN.PRINTLOCK, 0x3dn))} sp:${hex(printSp)} lr:0x0 ctxt:0x0}\n` +
          `${traceback([FN.PRINTLOCK, FN.CALLBACK_UPDATE, FN.CGOCALLBACKG, FN.CGOCALLBACK])}\n` +
          fatalThrow('runtime: stack split at bad time'),
      };
    }
    case CRASH.CGO_BEFORE:
      return { crash: 'cgo-callback-before-cgo-call', fatal: 'cgo callback before cgo call', exitCode: 1, output: fatalThrow('cgo callback before cgo call') };
    case CRASH.ENTERSYSCALL_SP: {
      const prefix = has('ENTERSYSCALL_SP_WORDING') ? 'entersyscall inconsistent sp ' : 'entersyscall inconsistent ';
      return {
        crash: 'entersyscall-inconsistent-sp', fatal: 'entersyscall', exitCode: 2,
        output: `${prefix}${hex(o[0]!)} [${hex(o[1]!)},${hex(o[2]!)}]\n${fatalThrow('entersyscall')}`,
      };
    }
    case CRASH.ENTERSYSCALL_BP:
      return {
        crash: 'entersyscall-inconsistent-bp', fatal: 'entersyscall', exitCode: 2,
        output: `entersyscall inconsistent bp ${hex(o[0]!)} [${hex(o[1]!)},${hex(o[2]!)}]\n${fatalThrow('entersyscall')}`,
      };
    case CRASH.LOCK_MISUSE: {
      const text = 'runtime: internal error: misuse of lockOSThread/unlockOSThread';
      return { crash: 'lockosthread-misuse', fatal: text, exitCode: 2, output: fatalThrow(text) };
    }
    case CRASH.SPLIT_BAD_TIME: {
      const [sp, lo, hi, calleePc, callerPc] = [o[0]!, o[1]!, o[2]!, o[3]!, o[4]!];
      return {
        crash: 'stack-split-at-bad-time', fatal: 'runtime: stack split at bad time', exitCode: 2,
        output: `runtime: newstack at ${pcName(ctx.compiled, calleePc)} sp=${hex(sp)} stack=[${hex(lo)}, ${hex(hi)}]\n` +
          `\tmorebuf={pc:${hex(callerPc)} sp:${hex(sp)} lr:0x0}\n\tsched={pc:${hex(calleePc)} sp:${hex(sp)} lr:0x0 ctxt:0x0}\n` +
          fatalThrow('runtime: stack split at bad time'),
      };
    }
    case CRASH.STACK_OVERFLOW:
      return {
        crash: 'stack-overflow', fatal: 'stack overflow', exitCode: 2,
        output: `runtime: goroutine stack exceeds ${o[0]}-byte limit\nruntime: sp=${hex(o[1]!)} stack=[${hex(o[2]!)}, ${hex(o[3]!)}]\n${fatalThrow('stack overflow')}`,
      };
    case CRASH.GROWTH_IN_SYSCALL:
      return { crash: 'stack-growth-in-syscall', fatal: 'stack growth not allowed in system call', exitCode: 2, output: fatalThrow('stack growth not allowed in system call') };
    case CRASH.INVALID_POINTER:
      return {
        crash: 'invalid-pointer', fatal: 'invalid pointer found on stack', exitCode: 2,
        output: `runtime: bad pointer in frame ${funcName(ctx.compiled, Number(o[0]!))} at ${hex(o[1]!)}: ${hex(o[2]!)}\n${fatalThrow('invalid pointer found on stack')}`,
      };
    case CRASH.SHRINK_BAD_TIME:
      return { crash: 'shrinkstack-at-bad-time', fatal: 'shrinkstack at bad time', exitCode: 2, output: fatalThrow('shrinkstack at bad time') };
    case CRASH.UNKNOWN_PC:
      return {
        crash: 'unknown-caller-pc', fatal: 'unknown caller pc', exitCode: 2,
        output: `runtime: g ${o[2]}: unexpected return pc ${hex(o[0]!)} at sp=${hex(o[1]!)}\n${fatalThrow('unknown caller pc')}`,
      };
    case CRASH.SPLIT_OVERFLOW:
      return {
        crash: 'split-stack-overflow', fatal: 'runtime: split stack overflow', exitCode: 2,
        output: `runtime: split stack overflow: ${hex(o[0]!)} < ${hex(o[1]!)}\n${fatalThrow('runtime: split stack overflow')}`,
      };
    case CRASH.SCHEDULE_IN_CGO:
      return { crash: 'schedule-in-cgo', fatal: 'schedule: in cgo', exitCode: 2, output: fatalThrow('schedule: in cgo') };
    case CRASH.M_CHANGED:
      return { crash: 'm-changed', fatal: 'm changed unexpectedly in cgocallbackg', exitCode: 2, output: fatalThrow('m changed unexpectedly in cgocallbackg') };
    case CRASH.SIGSEGV_WRONG_M: {
      const [goid, sp] = [o[0]!, o[3]!];
      const names = runMNames(ctx, reader);
      const mNow = names.byIndex[Number(o[4]!)] ?? mById(names, o[1]!);
      const mC = names.byIndex[Number(o[5]!)] ?? mById(names, o[2]!);
      return {
        crash: 'sigsegv', exitCode: 2,
        output: `SIGSEGV: segmentation violation\nPC=${hex(pcOf(FN.CGOCALLBACK, 0x9an))} m=${o[1]} sigcode=128 addr=0x0\n\n` +
          `cgosim: goroutine ${goid} came back from its callback on ${mNow}, but the C frames it returns to are on ${mC}'s stack: ` +
          `cgocallback switched to that M's g0.sched.sp=${hex(sp)} and returned into its scheduler frames (#47441)\n`,
      };
    }
    case CRASH.TRACE_OWNERSHIP: {
      const text = 'attempted to trace stack of a goroutine this thread does not own';
      return {
        crash: 'trace-stack-ownership', fatal: text, exitCode: 2,
        output: `runtime: gp=${hex(o[0]!)} gp.goid=${o[1]} status=${G_STATUS[Number(o[2]!)] ?? o[2]}\n${fatalThrow(text)}`,
      };
    }
    case CRASH.MORESTACK_GSIGNAL:
      return {
        crash: 'morestack-gsignal', fatal: 'morestack on gsignal', exitCode: 2,
        output: `fatal: morestack on gsignal\nSIGTRAP: trace trap\nPC=${hex(pcOf(FN.ABORT, 0x1n))} m=${o[3]} sigcode=128\n`,
      };
    case CRASH.SIGSEGV_TRACE:
      return {
        crash: 'sigsegv', exitCode: 2,
        output: `SIGSEGV: segmentation violation\nPC=${hex(0x4a1d20n)} m=0 sigcode=1 addr=${hex(o[0]!)}\n\ngoroutine 0 gp=0x0 m=0 mp=0x0 [idle]:\nruntime.fpTracebackPCs(...)\nruntime.traceStack(...)\nruntime.traceAdvance.func1.1()\n`,
      };
    case CRASH.UAF_STACK: {
      const [addr, lo, hi, kind, owner, what] = [o[0]!, o[1]!, o[2]!, Number(o[3]!), o[4]!, Number(o[5]!)];
      const whose = kind === 3 ? `the freed stack [${hex(lo)}, ${hex(hi)}) of goroutine ${owner}` : `freed ${REGION_KINDS[kind] ?? 'memory'} [${hex(lo)}, ${hex(hi)})`;
      return {
        crash: 'uaf-stack', exitCode: 2,
        output: `cgosim: use-after-free: ${READ_WHAT[what] ?? 'a value'} read at ${hex(addr)}, inside ${whose}\n`,
      };
    }
    case CRASH.UAF_C_STACK: {
      const [addr, lo, hi, kind, owner] = [o[0]!, o[1]!, o[2]!, Number(o[3]!), Number(o[4]!)];
      const what = kind === 2 ? `malloc block ${JSON.stringify(ctx.compiled.blocks[owner] ?? '?')}` : REGION_KINDS[kind] ?? 'region';
      return {
        crash: 'uaf-c-stack', exitCode: 2,
        output: `cgosim: use-after-free: cgocallback on ${threadLabel(ctx, reader, raw.crashThread)} used the C stack slot at ${hex(addr)}, ` +
          `inside ${what} [${hex(lo)}, ${hex(hi)}) that was already freed\n`,
      };
    }
  }
  return { crash: `unknown-${raw.crashKind}`, exitCode: 2, output: `cgosim: crash kind ${raw.crashKind}\n` };
}

/** The field of an op that an input error found at run time is about. */
function subjectField(code: number, opCode: number): string {
  if (code === INVALID.REGION_OVERLAP || code === INVALID.NO_SPACE) {
    if (opCode === OP.MALLOC) return code === INVALID.NO_SPACE ? 'size' : 'at';
    if (opCode === OP.THREAD) return 'stack';
    if (opCode === OP.GO) return 'stack';
    return '';
  }
  if (code === INVALID.NOT_BLOCKED) return opCode === OP.RESUME ? 'g' : '';
  if (code === INVALID.FREED_TWICE || code === INVALID.BLOCK_LIVE) return 'id';
  if (code === INVALID.M_BUSY || code === INVALID.M_EXITED) return 'm.id';
  if (code === INVALID.M_STACK) return 'm.stack';
  if (code === INVALID.BAD_SWITCH) return 'to';
  if (code === INVALID.C_STACK_OVERFLOW) return 'bytes';
  if (code === INVALID.SP_OUTSIDE) return 'sp';
  if (code === INVALID.THREAD_EXITED || code === INVALID.THREAD_BLOCKED || code === INVALID.THREAD_IN_GO) return 'thread';
  return '';
}

function runtimeInvalid(raw: RawResult, ctx: RunContext, reader: RecordReader, path: string, opCode: number): RunError {
  const o = raw.operands;
  const field = subjectField(raw.crashKind, opCode);
  const at = field ? `${path}.${field}` : path;
  const t = threadLabel(ctx, reader, raw.crashThread);
  let detail: string;
  switch (raw.crashKind) {
    case INVALID.THREAD_EXITED: detail = `thread ${JSON.stringify(t)} has exited`; break;
    case INVALID.THREAD_BLOCKED: detail = `thread ${JSON.stringify(t)} is blocked in C; "resume" it first`; break;
    case INVALID.THREAD_IN_GO: detail = `thread ${JSON.stringify(t)} is still in Go: its goroutine is parked or waiting to run again, so it is not back in C`; break;
    case INVALID.REGION_OVERLAP:
      detail = `[${hex(o[0]!)}, ${hex(o[1]!)}) overlaps the live ${REGION_KINDS[Number(o[4]!)] ?? 'region'} [${hex(o[2]!)}, ${hex(o[3]!)})`;
      break;
    case INVALID.NO_SPACE: detail = 'the address space window has no room left for it; enlarge "addressSpace.size"'; break;
    case INVALID.NOT_BLOCKED: detail = 'nothing is blocked in C there'; break;
    case INVALID.FREED_TWICE: detail = 'the block is not allocated (freed twice?)'; break;
    case INVALID.BLOCK_LIVE: detail = 'the block is still allocated; free it before allocating it again'; break;
    case INVALID.TOO_DEEP: detail = 'nesting is deeper than the simulator\'s 64 frames per thread'; break;
    case INVALID.M_BUSY: detail = 'that M is still running another goroutine'; break;
    case INVALID.M_EXITED: detail = 'that M\'s thread exited when its goroutine ended while locked to it (LockOSThread without UnlockOSThread)'; break;
    case INVALID.TOO_MANY: detail = 'the simulator\'s record tables are full'; break;
    case INVALID.BAD_SWITCH: detail = 'that block is not allocated now, or too small to run on'; break;
    case INVALID.M_STACK: detail = `the M already runs on [${hex(o[2]!)}, ${hex(o[3]!)}), not [${hex(o[0]!)}, ${hex(o[1]!)})`; break;
    case INVALID.C_STACK_OVERFLOW:
      detail = `using ${o[1]} more bytes at sp=${hex(o[0]!)} runs off the current stack [${hex(o[2]!)}, ${hex(o[3]!)})`;
      break;
    case INVALID.SP_OUTSIDE:
      detail = `sp=${hex(o[0]!)} is below the stack thread ${JSON.stringify(t)} runs on now, [${hex(o[1]!)}, ${hex(o[2]!)}); a callback's SP lies on the stack its C code uses`;
      break;
    default: detail = `input error ${raw.crashKind}`;
  }
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

function eventText(kind: number, a: bigint, b: bigint, names: MNames): string {
  const M = (id: bigint) => mById(names, id);
  switch (kind) {
    case 1: return `pthread stack [${hex(a)}, ${hex(b)})`;
    case 2: return `block [${hex(a)}, ${hex(b)})`;
    case 3: return `block [${hex(a)}, ${hex(b)}) freed, poisoned`;
    case 4: return `now on stack [${hex(a)}, ${hex(b)})`;
    case 5: return `cgocallback sp=${hex(a)} ncgo=${b}`;
    case 6: return `needm → ${M(a)}${b ? ' (signal)' : ''}`;
    case 7: return `cgoBindM: ${M(a)} bound by pthread key`;
    case 8: return `oneNewExtraM → ${M(a)} (goroutine ${b})`;
    case 9: return `_cgo_getstackbound → [${hex(a)}, ${hex(b)})`;
    case 10: return `g0 bounds := [${hex(a)}, ${hex(b)}]`;
    case 11: return `g0 bounds kept [${hex(a)}, ${hex(b)}] (SP in bounds)`;
    case 12: return `g0 bounds restored [${hex(a)}, ${hex(b)}]`;
    case 13: return `g0 split check sp=${hex(a)} guard=${hex(b)}: ${a > b ? 'ok' : 'FAILS'}`;
    case 14: return `exitsyscall (goroutine ${a})`;
    case 15: return `reentersyscall sp=${hex(a)} bp=${hex(b)}`;
    case 16: return `back in C at sp=${hex(a)}; g0.sched.sp = ${hex(b)}`;
    case 17: return `dropm ${M(a)}`;
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
    case 43: return `goroutine ${a} preempted (gopreempt_m) on ${M(b)}: runnable, to the global run queue`;
    case 44: return b ? `${M(a)}: schedule() -> stoplockedm, waits for its locked goroutine` : `${M(a)}: schedule() -> looks for work`;
    case 45: return `goroutine ${a} runs on ${M(b)}`;
    case 46: return b ? `goroutine ${a} found by ${M(b)}, handed to its locked M (startlockedm)` : `goroutine ${a} handed to its locked M (startlockedm)`;
    case 47: return `interleaving point ${POINT_NAMES[Number(a)] ?? a}: "at" steps run (goroutine ${b})`;
    case 49: return `goroutine ${a} parks (gopark, reason ${Object.entries(WAIT_REASONS).find(([, id]) => BigInt(id) === b)?.[0] ?? b})`;
    case 50: return `trace event with goroutine ${a}'s stack (GoBlock/GoStop/STW): fpTracebackPCs walked ${b - 1n} frames`;
    case 51: return `resumeOn for goroutine ${a} ignored: ${M(b)} cannot run it now (busy, in C or gone)`;
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

function renderEvents(raw: RawResult, ctx: RunContext, reader: RecordReader, ending: Ending | undefined, names: MNames): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const { index, e } of orderedEvents(raw, reader)) {
    if (out.length > 0 && index !== out.at(-1)!.index + 1) {
      const omitted = index - out.at(-1)!.index - 1;
      out.push({ index: out.at(-1)!.index + 1, step: '', thread: '-', m: '-', kind: 'events-omitted', text: `… ${omitted} events omitted (the first ${raw.eventsHead} and the last ${Number(raw.eventsTotal) - index} are kept) …`, omitted });
    }
    // A g0 check carries the function whose prologue made it in the kind's upper bits.
    const kind = e.kind & 0xff;
    const fn = e.kind >>> 8;
    let text = eventText(kind, e.a, e.b, names);
    if (kind === 13 && fn !== 0) text = `${fnName(fn)}: ${text}`;
    const ev: TraceEvent = {
      index,
      step: ctx.compiled.paths[e.op] ?? '',
      thread: threadLabel(ctx, reader, e.thread),
      m: e.m >= 0 ? names.byIndex[e.m] ?? `m.id ${reader.mId(e.m)}` : '-',
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

/** The names of the run's Ms (names.ts). */
export function runMNames(ctx: RunContext, reader: RecordReader): MNames {
  const ids: number[] = [];
  for (let i = 0; i < reader.mCount(); i++) ids.push(reader.mId(i));
  return mNames(ctx.compiled.goMs, ids);
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

const overrideMasks = new WeakMap<Set<FlagName>, bigint>();

/** The flags that differ from the profile's own, as a mask (cached per flag set: engines reuse them). */
function overrideMaskOf(profile: ProfileName, flags: Set<FlagName>): bigint {
  let m = overrideMasks.get(flags);
  if (m === undefined) {
    m = flagMask(flags) ^ flagMask(flagSet(profile));
    overrideMasks.set(flags, m);
  }
  return m;
}

/** Whether coverHash changes the core's hash for this run (flag overrides or GODEBUG settings). */
export function hashCovers(ctx: Pick<RunContext, 'profile' | 'flags' | 'compiled'>): boolean {
  return ctx.compiled.godebugBits !== 0 || overrideMaskOf(ctx.profile, ctx.flags) !== 0n;
}

/** Sets what a result is called: its release, label, flag overrides and GODEBUG settings. */
export function nameRun(r: RunResult, run: { profile: ProfileName; flags: Set<FlagName>; release?: string | undefined; godebug: Record<string, string> }): void {
  const overrides = flagOverridesOf(run.profile, run.flags);
  if (run.release !== undefined) r.release = run.release;
  r.label = runLabel(run.release ?? run.profile, run.profile, overrides);
  if (Object.keys(overrides).length > 0) r.overrides = overrides;
  const gd = Object.entries(run.godebug).map(([k, v]) => `${k}=${v}`).join(',');
  if (gd) r.godebug = gd;
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
    label: ctx.profile,
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
  r.traceHash = coverHash(raw.traceHash, ctx).toString(16).padStart(16, '0');
  nameRun(r, { profile: ctx.profile, flags: ctx.flags, release: ctx.release, godebug: c.godebug });
  r.stepsUsed = Number(raw.stepsUsed);
  const path = c.paths[raw.crashOp] ?? 'steps';
  const opCode = new DataView(c.ops.buffer, c.ops.byteOffset).getUint32(raw.crashOp * OP_SIZE, true);
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
      const k = formatCrash(raw, ctx, reader);
      r.verdict = raw.stopReason === STOP.CRASH ? 'crash' : 'uaf';
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
      r.error = runtimeInvalid(raw, ctx, reader, path, opCode);
      ending = { summary: `input error: ${r.error.message}` };
      break;
  }
  if (withEvents) {
    r.events = renderEvents(raw, ctx, reader, ending, runMNames(ctx, reader));
    r.eventsTruncated = BigInt(raw.eventsRecorded) < raw.eventsTotal;
    r.eventsTotal = Number(raw.eventsTotal);
  }
  return r;
}
