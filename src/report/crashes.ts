// The crash table: every way the core can end a run other than finishing, one entry each, in the
// manner of fflate's error table. A crash kind maps to its stable name, the throw text (`fatal`),
// the exit status, the names of the operands the core leaves in the result area (assembly/results.ts,
// `crashOperand(i, …)` in the order listed here) and how the real runtime prints it. Where a
// release prints differently, a variant says which flag switches it (model/profiles.ts ties flags
// to releases). formatCrash (result.ts) only looks entries up; the README's crash list is
// generated from this table (`npm run docs`, checked by test/crashes.test.ts).
//
// Input errors the running model finds (INPUT_ERRORS) are here too: they end a run as "invalid"
// with a message naming the scenario field (the op's subjects, scenario/ops.ts).

import { hex } from '../api/errors.js';
import type { CompiledScenario } from '../scenario/compile.js';
import type { FlagName, Platform } from '../model/profiles.js';
import { FN, fnName, pcOf, traceback, type Frame } from './symbols.js';
import {
  CRASH, INVALID, ASSERT, RF, READ, FN as CORE_FN, FIRST_USER_FUNC, FUNC_TEXT_BASE, FUNC_PC_STRIDE, MAX_FRAMES, RK_THREAD_STACK, RK_MALLOC,
  RK_GO_STACK, RK_M_STACK, RK_GUARD, RK_CARVED,
} from '../core/abi.js';

/** Crash kinds and input errors found while running: generated from assembly/abi.ts CRASH_*, INVALID_*. */
export { CRASH, INVALID };
import type { InvalidName } from '../scenario/ops.js';
export type { InvalidName };

/** Names of the runtime's functions with frames (assembly/stack.ts RF_*), by index. */
const RUNTIME_FUNCS: Record<number, string> = {
  [RF.GOEXIT]: 'runtime.goexit', [RF.GOBODY]: 'main.goroutine', [RF.CGOCALL]: 'runtime.cgocall',
  [RF.CGOCALLBACK]: 'runtime.cgocallback', [RF.CGOCALLBACKG]: 'runtime.cgocallbackg',
  [RF.CGOCALLBACKG1]: 'runtime.cgocallbackg1', [RF.GROW]: 'main.grow', [RF.RECOVER]: 'main.recovers',
};
export { FUNC_TEXT_BASE, FUNC_PC_STRIDE };

export function funcName(c: CompiledScenario, k: number): string {
  if (k < FIRST_USER_FUNC) return RUNTIME_FUNCS[k] ?? `func${k}`;
  return c.funcs[k - FIRST_USER_FUNC]?.name ?? `func${k}`;
}

/** The function a simulated PC belongs to, for messages. */
export function pcName(c: CompiledScenario, pc: bigint): string {
  if (pc < FUNC_TEXT_BASE) return '?';
  const k = Number((pc - FUNC_TEXT_BASE) / FUNC_PC_STRIDE);
  const off = (pc - FUNC_TEXT_BASE) % FUNC_PC_STRIDE;
  return `${funcName(c, k)}+${hex(off)}`;
}

export const G_STATUS = ['idle', 'runnable', 'running', 'syscall', 'waiting', 'moribund_unused', 'dead', 'enqueue_unused', 'copystack', 'preempted'];
const READ_WHAT: Record<number, string> = {
  [READ.SAVED_BP]: 'a saved frame pointer', [READ.RETURN_PC]: 'a return PC', [READ.FP_CHAIN]: 'runtime.fpTracebackPCs: a frame-pointer chain link',
};
export const REGION_KINDS: Record<number, string> = {
  [RK_THREAD_STACK]: 'thread stack', [RK_MALLOC]: 'malloc block', [RK_GO_STACK]: 'goroutine stack', [RK_M_STACK]: 'M thread stack',
  [RK_GUARD]: 'guard page', [RK_CARVED]: 'carved coroutine stack',
};

/** A region in words, from its kind and owner (packed kind | owner << 8 | freed << 40 by the core). */
function regionWords(c: CompiledScenario, packed: bigint): string {
  const kind = Number(packed & 0xffn);
  const owner = Number((packed >> 8n) & 0xffffffffn);
  const freed = ((packed >> 40n) & 1n) !== 0n ? 'freed ' : '';
  switch (kind) {
    case 0: return 'C heap memory outside any block';
    case RK_THREAD_STACK: return `the stack of thread ${JSON.stringify(c.threads[owner] ?? `#${owner}`)}`;
    case RK_MALLOC: return `${freed}malloc block ${JSON.stringify(c.blocks[owner] ?? `#${owner}`)}`;
    case RK_CARVED: return `the carved stack ${JSON.stringify(c.blocks[owner] ?? `#${owner}`)}`;
    case RK_GO_STACK: return `${freed}goroutine stack of ${JSON.stringify(c.goroutines[owner] ?? `#${owner}`)}`;
    case RK_M_STACK: return `the thread stack of a Go-created M (${JSON.stringify(c.goMs[owner] ?? `#${owner}`)})`;
    case RK_GUARD: return 'a guard page';
  }
  return 'a region';
}

/** The deepest g0 function's name as each release spells it (EpollWait moved packages in go1.23). */
function g0FnName(fn: number, physClass: number): string {
  if (fn === FN.EPOLLWAIT) return physClass >= 3 ? 'internal/runtime/syscall.EpollWait' : physClass === 0 ? 'runtime.epollwait' : fnName(fn);
  if (fn === 0) return 'crosscall2';
  return fnName(fn);
}

/**
 * g0's frames at a fault on its guard page. A GC with a live netpoller faults in EpollWait under
 * startTheWorldWithSema, as the oracle's gc-coroutine-netpoll crashes on Debian's go1.21.13,
 * go1.22.12 and go1.23.5 (argument layouts and files as those print them); for the other g0 work
 * the deepest function and the systemstack it runs under.
 */
/** g0 functions that are C: a fault there has a PC Go's unwinder does not know. */
const C_ON_G0: ReadonlySet<number> = new Set([FN.GETSTACKBOUND, FN.X_CGO_MUNMAP]);

function g0FaultFrames(x: CrashView, fn: string): Frame[] {
  const systemstack: Frame = { fn: FN.SYSTEMSTACK, ...(x.physClass <= 1 ? { args: '' } : {}) };
  if (x.fn !== FN.EPOLLWAIT) return [{ fn: x.fn === FN.NONE ? FN.CROSSCALL2 : x.fn, name: fn }, systemstack];
  return [
    {
      fn: FN.EPOLLWAIT, name: fn,
      ...(x.physClass >= 3 ? { file: 'internal/runtime/syscall/syscall_linux.go', args: '?, {?, ?, ?}, ?, ?' } : {}),
    },
    { fn: FN.NETPOLL },
    { fn: FN.STARTTHEWORLDWITHSEMA, args: x.physClass <= 1 ? '' : x.physClass === 2 ? '?, {?, ?}' : '?, {?, ?, ?, ?}' },
    { fn: FN.GCSTART_FUNC3 },
    systemstack,
  ];
}

/** What a formatter sees: the operands by name, and the run around them. */
export interface CrashView {
  o: Record<string, bigint>;
  /** The runtime function the check ran in (assembly/fns.ts), 0 when the kind implies it. */
  fn: number;
  compiled: CompiledScenario;
  flags: ReadonlySet<FlagName>;
  platform: Platform;
  /** The scenario's name for the thread the crash happened on. */
  thread: string;
  /** The name of an M by its record index (names.ts), when the result layer knows the run's Ms. */
  mName?: (index: number) => string | undefined;
  /** Line numbers of the run's release (symbols.ts GO_LINES), when it is one whose source we read. */
  lines?: Readonly<Record<string, number>>;
  /** Whether the release is go1.21 or later (sigNotOnStack's stack report). */
  go121?: boolean;
  /** Whether the release prints goroutine headers as go1.22+ does (gp=, m=, mp= at level 2). */
  go122?: boolean;
  /**
   * The goroutine the crashing M was running (m.curg), when it had one, with its modelled frames
   * (function indices, innermost first, read from its stack: RecordReader.gFrames).
   */
  g?: { goid: bigint; status: string; locked: boolean; mId: number; frames: readonly number[] };
  /** The goid of the goroutine the check ran on (the core's crash record), when it names one. */
  goid?: bigint;
  /** The frame-size class of the run's profile (model/physical.ts): 0 go1.19 … 3 go1.23+. */
  physClass: number;
}

interface CrashForm {
  /** Stable short name (RunResult.crash). */
  name: string;
  /** The runtime's throw text (RunResult.fatal), when it throws. */
  fatal?: string;
  /** What the real process exits with (verdict "crash" only). */
  exitCode: number;
  /** What the real process prints on stderr. */
  format(x: CrashView): string;
}

export interface CrashVariant extends CrashForm {
  /** When this form is printed instead of the entry's own, in words (for the docs). */
  when: string;
  applies(x: CrashView): boolean;
}

export interface CrashEntry extends CrashForm {
  kind: number;
  verdict: 'crash' | 'uaf' | 'corrupt' | 'failed';
  /** The check, in words (for the docs). */
  doc: string;
  /** Names of crashOperand(0…), in order. */
  operands: readonly string[];
  variants?: readonly CrashVariant[];
}

/** sigcode= and addr= of a SIGSEGV from a load at `addr` on amd64 (see SIGSEGV_TRACE). */
function segvCode(addr: bigint): string {
  const top = addr >> 47n;
  return top === 0n || top === 0x1ffffn ? `sigcode=1 addr=${hex(addr)}` : 'sigcode=128 addr=0x0';
}

export const fatalThrow = (text: string): string => `fatal error: ${text}\n`;

const throwOnly = (text: string) => () => fatalThrow(text);

/**
 * A goroutine's header as a runtime throw prints it (GOTRACEBACK=single, raised to level 2 for
 * runtime throws): go1.22+ adds gp=, m= and mp=. The model holds no g or m addresses: they print as ?.
 */
function goroutineHeader(x: CrashView, goid: bigint | number, status: string, mId?: number): string {
  return x.go122 ? `goroutine ${goid} gp=? m=${mId ?? 'nil'} mp=? [${status}]:` : `goroutine ${goid} [${status}]:`;
}

/** A modelled frame (assembly/stack.ts RF_*, or a scenario function) as a traceback frame. */
function modelFrame(c: CompiledScenario, k: number): Frame {
  switch (k) {
    case RF.GOEXIT: return { fn: FN.GOEXIT };
    case RF.CGOCALL: return { fn: FN.CGOCALL };
    case RF.CGOCALLBACK: return { fn: FN.CGOCALLBACK };
    case RF.CGOCALLBACKG: return { fn: FN.CGOCALLBACKG };
    case RF.CGOCALLBACKG1: return { fn: FN.CGOCALLBACKG1 };
  }
  return { fn: FN.NONE, name: funcName(c, k) };
}

/** The goroutine's modelled frames, innermost first. */
function modelled(x: CrashView): Frame[] {
  return (x.g?.frames ?? []).map((k) => modelFrame(x.compiled, k));
}

/**
 * A goroutine's traceback with Go's cap on deep stacks (traceback.go): go1.21+ print the innermost
 * 50 frames, `...N frames elided...` and the outermost 50; earlier releases the first 100 and
 * `...additional frames elided...`.
 */
function cappedTraceback(x: CrashView, frames: readonly Frame[]): string {
  if (frames.length <= 100) return traceback(frames, x.lines);
  if (x.physClass >= 1) {
    return `${traceback(frames.slice(0, 50), x.lines)}\n...${frames.length - 100} frames elided...\n${traceback(frames.slice(-50), x.lines)}`;
  }
  return `${traceback(frames.slice(0, 100), x.lines)}\n...additional frames elided...`;
}

/** The function whose call failed its stack check (morestack's callee), from its continuation PC. */
function calleeFrame(x: CrashView, pc: bigint | undefined): Frame[] {
  if (pc === undefined || pc < FUNC_TEXT_BASE) return [];
  return [modelFrame(x.compiled, Number((pc - FUNC_TEXT_BASE) / FUNC_PC_STRIDE))];
}

/**
 * The section of the goroutine the crashing M was running (dopanic_m → tracebackothers shows it
 * first after a throw on g0): the runtime frames above what the model keeps (`above`), then the
 * goroutine's modelled frames as its stack holds them.
 */
function curgSection(x: CrashView, above: readonly Frame[]): string {
  if (!x.g) return '';
  const frames = [...above, ...modelled(x)];
  if (frames.length === 0) return '';
  return `\n${goroutineHeader(x, x.g.goid, `${x.g.status}${x.g.locked ? ', locked to thread' : ''}`, x.g.mId)}\n${cappedTraceback(x, frames)}\n`;
}

/**
 * What a throw prints after its `fatal error:` line when it runs on g0 (a systemstack or mcall
 * closure, newstack): `runtime stack:` with g0's frames from throw down, then the goroutine the M
 * was running, its runtime frames `above` the modelled ones.
 */
function throwOnG0(x: CrashView, g0: readonly Frame[], above: readonly Frame[] = []): string {
  return runtimeStack(x, g0) + curgSection(x, above);
}

/** A section of the goroutine the M was running with exactly these frames (none modelled after). */
function goroutineFrom(x: CrashView, frames: readonly Frame[]): string {
  if (!x.g) return '';
  return `\n${goroutineHeader(x, x.g.goid, `${x.g.status}${x.g.locked ? ', locked to thread' : ''}`, x.g.mId)}\n${cappedTraceback(x, frames)}\n`;
}

/** What a throw prints when it runs on the goroutine itself: its own section, from throw down. */
function throwOnG(x: CrashView, above: readonly Frame[]): string {
  if (!x.g) return '';
  return curgSection(x, [{ fn: FN.THROW }, ...above]);
}

/**
 * What a panic nobody recovered prints (GOTRACEBACK=single, level 1): the goroutine's header, then
 * its frames without the runtime's own (showframe hides unexported runtime functions at level 1).
 */
function panicSection(x: CrashView, above: readonly Frame[] = []): string {
  const goid = x.g?.goid ?? x.goid;
  if (goid === undefined) return '';
  const shown = [...above, ...modelled(x)].filter((f) => {
    const name = f.name ?? fnName(f.fn);
    return !name.startsWith('runtime.') && name !== '?';
  });
  const status = x.g ? `${x.g.status}${x.g.locked ? ', locked to thread' : ''}` : 'running';
  return `\ngoroutine ${goid} [${status}]:\n${shown.length > 0 ? `${cappedTraceback(x, shown)}\n` : ''}`;
}

/** `runtime stack:`: a throw on g0 prints the g0 stack under this heading, then the goroutines. */
function runtimeStack(x: CrashView, frames: readonly Frame[]): string {
  return `\nruntime stack:\n${traceback([{ fn: FN.THROW }, ...frames], x.lines)}\n`;
}

/** newstack and morestack on g0: where every stack check that fails ends up (stack.go). */
const NEWSTACK: readonly Frame[] = [{ fn: FN.NEWSTACK }, { fn: FN.MORESTACK, site: 'newstack' }];

/**
 * newstack's morebuf and sched lines: morebuf is the caller's PC and SP; g.sched is the callee's
 * PC and its SP at entry, a return address below the caller's.
 */
function newstackBufs(callerPc: bigint, callerSp: bigint, calleePc: bigint): string {
  return `\tmorebuf={pc:${hex(callerPc)} sp:${hex(callerSp)} lr:0x0}\n\tsched={pc:${hex(calleePc)} sp:${hex(callerSp - 8n)} lr:0x0 ctxt:0x0}\n`;
}

/**
 * newstack's report when the split check fails with throwsplit set (stack.go): its own traceback
 * from morebuf (the caller of the function whose prologue failed: the goroutine's innermost
 * modelled frame), the throw, g0's stack, then the goroutine from g.sched (the callee first).
 */
function splitAtBadTime(x: CrashView): string {
  const { sp, lo, hi, calleePc, callerPc } = x.o;
  const callers = modelled(x);
  // sp is the caller's (g.sched.sp of the caller's frame): morebuf's. g.sched.sp is the callee's SP
  // at entry, a return address below it.
  return `runtime: newstack at ${pcName(x.compiled, calleePc!)} sp=${hex(sp! - 8n)} stack=[${hex(lo!)}, ${hex(hi!)}]\n` +
    newstackBufs(callerPc!, sp!, calleePc!) +
    (callers.length > 0 ? `${traceback(callers, x.lines)}\n` : '') +
    fatalThrow('runtime: stack split at bad time') + throwOnG0(x, NEWSTACK, calleeFrame(x, calleePc));
}

/**
 * What the core says a stack-work check ran under (the crash record's fn): newstack for a call's
 * failed prologue (FN_COPYSTACK), or the GC's scan of a goroutine (FN_SCANSTACK, whose callers on
 * the mark worker's g0 the model has no frames for).
 */
function stackWork(x: CrashView, own: readonly Frame[]): Frame[] {
  return x.fn === CORE_FN.SCANSTACK ? [...own, { fn: FN.SCANSTACK }] : [...own, ...NEWSTACK];
}

/** The goroutine's frames above the modelled ones when a stack check of newstack threw. */
function stackWorkAbove(x: CrashView): Frame[] {
  return x.fn === CORE_FN.SCANSTACK ? [] : calleeFrame(x, x.o.calleePc);
}

/** The frames on g0 above morestack: the function whose check failed and what called it there. */
function g0Frames(fn: number): Frame[] {
  // dropm runs on g0 itself, called from cgocallback; the others are systemstack closures.
  return [{ fn }, { fn: fn === FN.DROPM ? FN.CGOCALLBACK : FN.SYSTEMSTACK }];
}

/**
 * The goroutine's runtime frames above its modelled ones while a systemstack closure runs on g0:
 * systemstack_switch, then the closure's callers. Undefined for a closure whose callers the model
 * does not know: its goroutine section is left out rather than printed without them.
 */
function goFrames(fn: number): Frame[] | undefined {
  switch (fn) {
    case FN.EXITSYSCALLFAST_FUNC1:
      return [{ fn: FN.SYSTEMSTACK_SWITCH }, { fn: FN.EXITSYSCALLFAST }, { fn: FN.EXITSYSCALL }];
    case FN.SETGCPERCENT_FUNC1:
      return [{ fn: FN.SYSTEMSTACK_SWITCH }, { fn: FN.DEBUG_SETGCPERCENT }];
    default:
      return undefined;
  }
}

/** curgSection for a systemstack closure's goroutine, when goFrames knows its callers. */
function closureGoroutine(x: CrashView): string {
  const above = goFrames(x.fn);
  return above ? curgSection(x, above) : '';
}

/** The callback goroutine's frames from callbackUpdateSystemStack (cgocallbackg calls it first). */
function callbackUpdateFrames(x: CrashView): Frame[] {
  const frames = modelled(x);
  return [{ fn: FN.CALLBACK_UPDATE }, ...(x.g?.frames[0] === RF.CGOCALLBACKG ? [] : [{ fn: FN.CGOCALLBACKG }]), ...frames];
}

const GOEXIT_EXTRA_M = 'runtime.Goexit called in a thread that was not created by the Go runtime';
const GOEXIT_LOCKED = 'exited a goroutine internally locked to the OS thread';
/** The runtime's own panic value (0) or the scenario's (index + 1). */
function panicText(x: CrashView): string {
  const v = Number(x.o.value);
  return v === 0 ? 'runtime: function marked with #cgo nocallback called back into Go' : x.compiled.panicValues[v - 1] ?? `#${v}`;
}

/** reentersyscall's caller above the goroutine's modelled frames: cgocallbackg calls it itself, cgocall through entersyscall. */
function reentersyscallAbove(x: CrashView): Frame[] {
  // reentersyscall(pc, sp) gained bp with 580255 (go1.23).
  const above: Frame[] = [{ fn: FN.SYSTEMSTACK_SWITCH }, { fn: FN.REENTERSYSCALL, ...(x.flags.has('SYSCALLBP') ? { args: '?, ?, ?' } : {}) }];
  return x.g?.frames[0] === RF.CGOCALLBACKG ? above : [...above, { fn: FN.ENTERSYSCALL }];
}

/**
 * goexit0 on g0 (mcall from goexit1): go1.22 moved the check into gdestroy, which goexit0 calls.
 * The goroutine has been dropped (dropg): no goroutine section follows.
 */
function goexit0Stack(x: CrashView): string {
  return runtimeStack(x, [...(x.go122 ? [{ fn: FN.GDESTROY }] : []), { fn: FN.GOEXIT0 }, { fn: FN.MCALL }]);
}

/** coroswitch_m runs on g0 (mcall from coroswitch), with the switching goroutine still m.curg. */
function coroStack(x: CrashView): string {
  return throwOnG0(x, [{ fn: FN.COROSWITCH_M }, { fn: FN.MCALL }], [{ fn: FN.COROSWITCH }]);
}

/**
 * The operands of a newstack crash: its own, then operand 7, the callee whose prologue failed
 * (assembly/stack.ts morestack writes it), the ones between unused.
 */
function withCallee(own: readonly string[]): string[] {
  return [...own, ...Array.from({ length: 7 - own.length }, (_, i) => `unused${own.length + i}`), 'calleePc'];
}

const LOCK_MISUSE_TEXT = 'runtime: internal error: misuse of lockOSThread/unlockOSThread';
const TRACE_OWNERSHIP_TEXT = 'attempted to trace stack of a goroutine this thread does not own';

export const CRASHES: readonly CrashEntry[] = [
  {
    kind: CRASH.MORESTACK_G0, name: 'morestack-g0', verdict: 'crash', fatal: 'morestack on g0', exitCode: 2,
    doc: 'a split check on g0 failed: SP at or below g0.stackguard0 (docs/model.md §4.2)',
    operands: ['lo', 'hi', 'sp', 'mId', 'procid', 'stackguard0'],
    // badmorestackg0 prints, then morestack aborts: the signal handler shows g0 (goroutine 0) as far
    // as morestack, then the goroutine the M was running.
    // The PC is after abort's INT $3, which Go's assembler encodes in two bytes (CD 03).
    format: (x) => 'fatal: morestack on g0\nSIGTRAP: trace trap\n' +
      `PC=${hex(pcOf(FN.ABORT, 0x2n))} m=${x.o.mId} sigcode=128\n\n` +
      `${goroutineHeader(x, 0, 'idle', Number(x.o.mId))}\n${traceback([{ fn: FN.ABORT }, { fn: FN.MORESTACK, site: 'abort' }], x.lines)}\n` +
      closureGoroutine(x),
    variants: [{
      // badmorestackg0 switches to a crash stack and prints: go1.22+ on linux/amd64, never on windows (§4.3).
      when: 'CRASHSTACK_MORESTACK_G0 (go1.22+), not on windows', name: 'morestack-g0', fatal: 'morestack on g0', exitCode: 2,
      applies: (x) => x.flags.has('CRASHSTACK_MORESTACK_G0') && x.platform !== 'windows',
      format: (x) => `runtime: morestack on g0, stack [${hex(x.o.lo!)} ${hex(x.o.hi!)}], sp=${hex(x.o.sp!)}, called from\n` +
        `${traceback(g0Frames(x.fn), x.lines)}\n\n${fatalThrow('morestack on g0')}` +
        runtimeStack(x, [{ fn: FN.BADMORESTACKG0_FUNC1 }, { fn: FN.SWITCH_TO_CRASH_STACK0 }]) + closureGoroutine(x),
    }],
  },
  {
    // The intended print never happens: printlock's prologue meets stackguard0 == stackPreempt with
    // throwsplit set (cgocallbackg runs this before exitsyscall), so newstack throws.
    kind: CRASH.CALLBACK_OOB, name: 'stack-split-at-bad-time', verdict: 'crash', fatal: 'runtime: stack split at bad time', exitCode: 2,
    doc: 'callbackUpdateSystemStack found the callback SP outside g0\'s bounds with ncgo > 0 (docs/model.md §10); its print splits the stack first',
    operands: ['mId', 'procid', 'sp', 'lo', 'hi', 'gStackLo', 'gStackHi', 'gSchedSp'],
    format: (x) => {
      const printSp = x.o.gSchedSp! - 0x40n;
      // The offsets are those of Debian's go1.21.13 and go1.22.12 builds (objdump): printlock's
      // morestack call returns to printlock+0x55 in both; the call of printlock in
      // callbackUpdateSystemStack returns to +0x90 (go1.21) and +0x94 (go1.22; go1.23.0-1.23.4
      // not measured, assumed as go1.22).
      const callerPc = pcOf(FN.CALLBACK_UPDATE, x.physClass <= 1 ? 0x90n : 0x94n);
      return `runtime: newstack at ${fnName(FN.PRINTLOCK)}+0x55 sp=${hex(printSp)} stack=[${hex(x.o.gStackLo!)}, ${hex(x.o.gStackHi!)}]\n` +
        newstackBufs(callerPc, printSp + 8n, pcOf(FN.PRINTLOCK, 0x55n)) +
        // newstack's own traceback starts at morebuf, printlock's caller; the goroutine's section
        // after the throw starts at g.sched, printlock itself.
        `${traceback(callbackUpdateFrames(x), x.lines)}\n` +
        fatalThrow('runtime: stack split at bad time') +
        runtimeStack(x, NEWSTACK) + goroutineFrom(x, [{ fn: FN.PRINTLOCK }, ...callbackUpdateFrames(x)]);
    },
    variants: [{
      when: 'CRASH_STACK_DIAG (--crash-stack): the intended report', name: 'cgocallback-out-of-bounds', exitCode: 2,
      applies: (x) => x.flags.has('CRASH_STACK_DIAG'),
      format: (x) => `M ${x.o.mId} procid ${x.o.procid} runtime: cgocallback with sp=${hex(x.o.sp!)} out of bounds [${hex(x.o.lo!)}, ${hex(x.o.hi!)}]\n`,
    }],
  },
  {
    kind: CRASH.CGO_CALLBACK_BEFORE_CGO, name: 'cgo-callback-before-cgo-call', verdict: 'crash', fatal: 'cgo callback before cgo call', exitCode: 1,
    doc: 'a callback on a C thread before the runtime made its first extra M (needm)',
    // needm writes this line and exits(1) before the scheduler exists: no throw, no sections.
    operands: [], format: throwOnly('cgo callback before cgo call'),
  },
  {
    kind: CRASH.ENTERSYSCALL_SP, name: 'entersyscall-inconsistent-sp', verdict: 'crash', fatal: 'entersyscall', exitCode: 2,
    doc: 'reentersyscall: syscallsp outside the goroutine stack',
    operands: ['sp', 'lo', 'hi'],
    format: (x) => `entersyscall inconsistent ${hex(x.o.sp!)} [${hex(x.o.lo!)},${hex(x.o.hi!)}]\n${fatalThrow('entersyscall')}` +
      throwOnG0(x, [{ fn: FN.REENTERSYSCALL_FUNC1 }, { fn: FN.SYSTEMSTACK }], reentersyscallAbove(x)),
    variants: [{
      when: 'ENTERSYSCALL_SP_WORDING: the message names sp', name: 'entersyscall-inconsistent-sp', fatal: 'entersyscall', exitCode: 2,
      applies: (x) => x.flags.has('ENTERSYSCALL_SP_WORDING'),
      format: (x) => `entersyscall inconsistent sp ${hex(x.o.sp!)} [${hex(x.o.lo!)},${hex(x.o.hi!)}]\n${fatalThrow('entersyscall')}` +
        throwOnG0(x, [{ fn: FN.REENTERSYSCALL_FUNC1 }, { fn: FN.SYSTEMSTACK }], reentersyscallAbove(x)),
    }],
  },
  {
    kind: CRASH.ENTERSYSCALL_BP, name: 'entersyscall-inconsistent-bp', verdict: 'crash', fatal: 'entersyscall', exitCode: 2,
    doc: 'reentersyscall: syscallbp outside the goroutine stack',
    operands: ['bp', 'lo', 'hi'],
    format: (x) => `entersyscall inconsistent bp ${hex(x.o.bp!)} [${hex(x.o.lo!)},${hex(x.o.hi!)}]\n${fatalThrow('entersyscall')}` +
      throwOnG0(x, [{ fn: FN.REENTERSYSCALL_FUNC2 }, { fn: FN.SYSTEMSTACK }], reentersyscallAbove(x)),
  },
  {
    kind: CRASH.UAF_C_STACK, name: 'uaf-c-stack', verdict: 'uaf', exitCode: 2,
    doc: 'cgocallback used a C stack slot in a freed block',
    operands: ['addr', 'lo', 'hi', 'regionKind', 'owner'],
    format: (x) => {
      const kind = Number(x.o.regionKind!);
      const what = kind === RK_MALLOC ? `malloc block ${JSON.stringify(x.compiled.blocks[Number(x.o.owner!)] ?? '?')}` : REGION_KINDS[kind] ?? 'region';
      return `cgosim: use-after-free: cgocallback on ${x.thread} used the C stack slot at ${hex(x.o.addr!)}, ` +
        `inside ${what} [${hex(x.o.lo!)}, ${hex(x.o.hi!)}) that was already freed\n`;
    },
  },
  {
    kind: CRASH.LOCK_MISUSE, name: 'lockosthread-misuse', verdict: 'crash', fatal: LOCK_MISUSE_TEXT, exitCode: 2,
    doc: 'unlockOSThread with lockedInt == 0', operands: [],
    // unlockOSThread calls badunlockosthread on the system stack, which throws.
    format: (x) => fatalThrow(LOCK_MISUSE_TEXT) +
      throwOnG0(x, [{ fn: FN.BADUNLOCKOSTHREAD }, { fn: FN.SYSTEMSTACK }], [{ fn: FN.SYSTEMSTACK_SWITCH }, { fn: FN.UNLOCKOSTHREAD }]),
  },
  {
    kind: CRASH.SPLIT_BAD_TIME, name: 'stack-split-at-bad-time', verdict: 'crash', fatal: 'runtime: stack split at bad time', exitCode: 2,
    doc: 'newstack with throwsplit set', operands: ['sp', 'lo', 'hi', 'calleePc', 'callerPc'], format: splitAtBadTime,
  },
  {
    kind: CRASH.STACK_OVERFLOW, name: 'stack-overflow', verdict: 'crash', fatal: 'stack overflow', exitCode: 2,
    doc: 'newstack: the new size is over maxstacksize', operands: withCallee(['limit', 'sp', 'lo', 'hi']),
    format: (x) => `runtime: goroutine stack exceeds ${x.o.limit}-byte limit\nruntime: sp=${hex(x.o.sp!)} stack=[${hex(x.o.lo!)}, ${hex(x.o.hi!)}]\n${fatalThrow('stack overflow')}` +
      throwOnG0(x, NEWSTACK, stackWorkAbove(x)),
  },
  {
    kind: CRASH.GROWTH_IN_SYSCALL, name: 'stack-growth-in-syscall', verdict: 'crash', fatal: 'stack growth not allowed in system call', exitCode: 2,
    doc: 'copystack with syscallsp != 0', operands: withCallee(['syscallsp']),
    format: (x) => fatalThrow('stack growth not allowed in system call') +
      throwOnG0(x, stackWork(x, [{ fn: FN.COPYSTACK }]), stackWorkAbove(x)),
  },
  {
    kind: CRASH.INVALID_POINTER, name: 'invalid-pointer', verdict: 'crash', fatal: 'invalid pointer found on stack', exitCode: 2,
    doc: 'adjustpointers met 0 < p < minLegalPointer in a pointer slot', operands: withCallee(['func', 'slot', 'value', 'unused3', 'unused4', 'unused5', 'underShrink']),
    // copystack runs for newstack's growth, or under shrinkstack (the GC's scanstack, or newstack's
    // deferred shrink at a synchronous preemption): operand 6 says which.
    format: (x) => `runtime: bad pointer in frame ${funcName(x.compiled, Number(x.o.func!))} at ${hex(x.o.slot!)}: ${hex(x.o.value!)}\n${fatalThrow('invalid pointer found on stack')}` +
      throwOnG0(x, stackWork(x, [{ fn: FN.ADJUSTPOINTERS }, { fn: FN.ADJUSTFRAME }, { fn: FN.COPYSTACK }, ...(x.o.underShrink ? [{ fn: FN.SHRINKSTACK }] : [])]), stackWorkAbove(x)),
  },
  {
    kind: CRASH.SHRINK_BAD_TIME, name: 'shrinkstack-at-bad-time', verdict: 'crash', fatal: 'shrinkstack at bad time', exitCode: 2,
    doc: 'shrinkstack when !isShrinkStackSafe', operands: [],
    format: (x) => fatalThrow('shrinkstack at bad time') + throwOnG0(x, stackWork(x, [{ fn: FN.SHRINKSTACK }])),
  },
  {
    kind: CRASH.UNKNOWN_PC, name: 'unknown-caller-pc', verdict: 'crash', fatal: 'unknown caller pc', exitCode: 2,
    doc: 'the unwinder met a return PC of no function', operands: ['pc', 'sp', 'goid'],
    format: (x) => `runtime: g ${x.o.goid}: unexpected return pc ${hex(x.o.pc!)} at sp=${hex(x.o.sp!)}\n${fatalThrow('unknown caller pc')}`,
  },
  {
    kind: CRASH.UAF_STACK, name: 'uaf-stack', verdict: 'uaf', exitCode: 2,
    doc: 'a read of a freed goroutine stack (e.g. by runtime.fpTracebackPCs)',
    operands: ['addr', 'lo', 'hi', 'regionKind', 'owner', 'what'],
    format: (x) => {
      const kind = Number(x.o.regionKind!);
      const whose = kind === RK_GO_STACK ? `the freed stack [${hex(x.o.lo!)}, ${hex(x.o.hi!)}) of goroutine ${x.o.owner}` : `freed ${REGION_KINDS[kind] ?? 'memory'} [${hex(x.o.lo!)}, ${hex(x.o.hi!)})`;
      return `cgosim: use-after-free: ${READ_WHAT[Number(x.o.what!)] ?? 'a value'} read at ${hex(x.o.addr!)}, inside ${whose}\n`;
    },
  },
  {
    kind: CRASH.SPLIT_OVERFLOW, name: 'split-stack-overflow', verdict: 'crash', fatal: 'runtime: split stack overflow', exitCode: 2,
    doc: 'newstack: sched.sp below stack.lo', operands: withCallee(['sp', 'lo', 'hi', 'callerPc', 'callerSp']),
    // newstack prints its state first (the gp line ends in "\n ", hence the space), then throws. The
    // status is _Grunning: newstack has not changed it yet. The model has no g addresses: gp=?.
    format: (x) => {
      const { sp, lo, hi, callerPc, callerSp, calleePc } = x.o;
      return `runtime: newstack sp=${hex(sp!)} stack=[${hex(lo!)}, ${hex(hi!)}]\n` +
        newstackBufs(callerPc!, callerSp!, calleePc!) +
        `runtime: gp=?, goid=${x.goid ?? '?'}, gp->status=0x2\n runtime: split stack overflow: ${hex(sp!)} < ${hex(lo!)}\n` +
        fatalThrow('runtime: split stack overflow') + throwOnG0(x, NEWSTACK, stackWorkAbove(x));
    },
  },
  {
    kind: CRASH.SIGSEGV_TRACE, name: 'sigsegv', verdict: 'crash', exitCode: 2,
    doc: 'runtime.fpTracebackPCs followed a frame pointer out of the address space', operands: ['fp', 'goid', 'mId'],
    // The kernel's report of the fault: a canonical address that nothing maps is SEGV_MAPERR (code 1)
    // with the address; a non-canonical one (bits 47..63 not all equal, as a stale frame word full of
    // data often is) is a general-protection fault, SI_KERNEL (code 128) with addr 0, as #69085 shows.
    format: (x) => `SIGSEGV: segmentation violation\nPC=${hex(0x4a1d20n)} m=${x.o.mId ?? 0n} ${segvCode(x.o.fp!)}\n\ngoroutine 0 gp=? m=${x.o.mId ?? 0n} mp=? [idle]:\n` +
      // As #69085's real crash (go1.23.0) lays it out: fpTracebackPCs inlined into traceStack, on g0
      // under traceAdvance's systemstack closure; go1.22 keeps the new tracer in trace2*.go.
      `${traceback([{ fn: FN.FPTRACEBACKPCS, inlined: true }, { fn: FN.TRACESTACK }, { fn: FN.TRACEADVANCE_FUNC1_1 }, { fn: FN.SYSTEMSTACK }], x.lines)
        .replace(/trace(stack)?\.go/g, (m) => (x.physClass >= 3 ? m : m === 'trace.go' ? 'trace2.go' : 'trace2stack.go'))}\n`,
  },
  {
    kind: CRASH.SCHEDULE_IN_CGO, name: 'schedule-in-cgo', verdict: 'crash', fatal: 'schedule: in cgo', exitCode: 2,
    doc: 'schedule() on an M with incgo set', operands: [],
    // schedule runs on g0, called by park_m (gopark's mcall) or by a preemption's goschedImpl.
    format: (x) => fatalThrow('schedule: in cgo') + throwOnG0(x, [{ fn: FN.SCHEDULE }, ...(x.fn === CORE_FN.PARK_M
      ? [{ fn: FN.PARK_M }, { fn: FN.MCALL }] : [{ fn: FN.GOSCHEDIMPL }, { fn: FN.GOPREEMPT_M }, ...NEWSTACK])]),
  },
  {
    kind: CRASH.M_CHANGED, name: 'm-changed', verdict: 'crash', fatal: 'm changed unexpectedly in cgocallbackg', exitCode: 2,
    doc: 'cgocallbackg returned on another M than it started on', operands: ['mIdBefore', 'mIdNow', 'goid'],
    // A throw on the callback's goroutine itself, in cgocallbackg (its innermost modelled frame).
    format: (x) => fatalThrow('m changed unexpectedly in cgocallbackg') + throwOnG(x, []),
  },
  {
    kind: CRASH.SIGSEGV_WRONG_M, name: 'sigsegv', verdict: 'crash', exitCode: 2,
    doc: 'a callback returned into C on an M that does not hold its C frames (#47441)',
    operands: ['goid', 'mIdNow', 'mIdC', 'g0SchedSp', 'mNow', 'mC'],
    format: (x) => {
      // Ms by their one name (names.ts); the runtime's number only in "m=", where Go prints it.
      const label = (id: bigint, index: bigint) => x.mName?.(Number(index)) ?? `m.id ${id}`;
      // sighandler: the fault is on this M's g0 (cgocallback switched to it) with incgo set and
      // curg still the callback's goroutine, so it says so and traces curg instead, from the
      // syscallsp/pc reentersyscall saved (status syscall). go1.22+ adds addr= to the PC line.
      // What follows in a real crash (the other goroutines, the register dump) is not modelled.
      return `SIGSEGV: segmentation violation\nPC=${hex(pcOf(FN.CGOCALLBACK, 0x9an))} m=${x.o.mIdNow} sigcode=128${x.go122 ? ' addr=0x0' : ''}\n` +
        `signal arrived during cgo execution\n` + (x.g ? curgSection(x, []) : '\n') +
        `cgosim: goroutine ${x.o.goid} came back from its callback on ${label(x.o.mIdNow!, x.o.mNow!)}, but the C frames it returns to are on ${label(x.o.mIdC!, x.o.mC!)}'s stack: ` +
        `cgocallback switched to that M's g0.sched.sp=${hex(x.o.g0SchedSp!)} and returned into its scheduler frames (#47441)\n`;
    },
  },
  {
    kind: CRASH.MORESTACK_GSIGNAL, name: 'morestack-gsignal', verdict: 'crash', fatal: 'morestack on gsignal', exitCode: 2,
    doc: 'a split check on gsignal failed', operands: ['lo', 'hi', 'sp', 'mId'],
    // As morestack on g0 before go1.22: badmorestackgsignal writes, morestack aborts; the handler
    // shows the gsignal goroutine (goid 0, idle) as far as morestack.
    format: (x) => `fatal: morestack on gsignal\nSIGTRAP: trace trap\nPC=${hex(pcOf(FN.ABORT, 0x2n))} m=${x.o.mId} sigcode=128\n\n` +
      `${goroutineHeader(x, 0, 'idle', Number(x.o.mId))}\n${traceback([{ fn: FN.ABORT }, { fn: FN.MORESTACK, site: 'abort' }], x.lines)}\n`,
  },
  {
    // The real header of a fault on g0 (go1.21.13/1.22.12/1.23.5, oracle/programs/gc-coroutine-netpoll):
    // "PC=… m=1 sigcode=2" (go1.22+ adds "addr=…"), then goroutine 0 (g0) and its frames.
    kind: CRASH.SIGSEGV_G0_STACK, name: 'sigsegv', verdict: 'crash', exitCode: 2,
    doc: 'runtime frames on g0 ran off the C stack they run on onto its guard page (a pthread stack\'s, or a `malloc` with `guard: true`): docs/model.md §20',
    operands: ['addr', 'lo', 'hi', 'mId', 'stack', 'depth', 'lowest', 'guard'],
    format: (x) => {
      const fn = g0FnName(x.fn, x.physClass);
      const head = x.physClass >= 2
        ? `PC=${hex(pcOf(x.fn, 0x22n))} m=${x.o.mId} sigcode=2 addr=${hex(x.o.addr!)}\n\ngoroutine 0 gp=${hex(0xc000006540n)} m=${x.o.mId} mp=${hex(0xc000048008n)} [idle]:\n`
        : `PC=${hex(pcOf(x.fn, 0x22n))} m=${x.o.mId} sigcode=2\n\ngoroutine 0 [idle]:\n`;
      // C code on g0 (the dynamic linker under x_cgo_munmap, _cgo_getstackbound): the unwinder
      // cannot name the PC and stops there (traceback.go), as go1.22.12 printed under trace.Stop.
      const frames = C_ON_G0.has(x.fn)
        ? `runtime: g 0${x.physClass >= 2 ? ` gp=${hex(0xc000006540n)}` : ''}: unknown pc ${hex(pcOf(x.fn, 0x22n))}\n`
        : `${traceback(g0FaultFrames(x, fn), x.lines)}\n`;
      return `SIGSEGV: segmentation violation\n${head}${frames}` +
        `cgosim: the g0 frames reach ${hex(x.o.lowest!)}, ${x.o.lo! - x.o.lowest!} bytes below ${regionWords(x.compiled, x.o.stack!)} [${hex(x.o.lo!)}, ${hex(x.o.hi!)}), ` +
        `into its ${x.o.guard}-byte guard page\n`;
    },
  },
  {
    kind: CRASH.CORRUPT, name: 'g0-frames-corrupt', verdict: 'corrupt', exitCode: 0,
    doc: 'runtime frames on g0 ran off the C stack they run on onto memory without a guard page: the real process overwrites it silently (verdict `corrupt`, docs/model.md §20)',
    operands: ['victimLo', 'lo', 'hi', 'mId', 'stack', 'victim', 'lowest', 'victimHi'],
    format: (x) => {
      const where = x.o.victimHi! === 0n ? regionWords(x.compiled, 0n) : `${regionWords(x.compiled, x.o.victim!)} [${hex(x.o.victimLo!)}, ${hex(x.o.victimHi!)})`;
      return `cgosim: corrupt: the g0 frames of ${g0FnName(x.fn, x.physClass)} on M${x.o.mId} reach ${hex(x.o.lowest!)}, ` +
        `${x.o.lo! - x.o.lowest!} bytes below ${regionWords(x.compiled, x.o.stack!)} [${hex(x.o.lo!)}, ${hex(x.o.hi!)}) they run on, ` +
        `and overwrite ${where}; no guard page stops them, so the real process goes on with that memory changed\n`;
    },
  },
  {
    kind: CRASH.TRACE_OWNERSHIP, name: 'trace-stack-ownership', verdict: 'crash', fatal: TRACE_OWNERSHIP_TEXT, exitCode: 2,
    doc: 'GODEBUG=tracecheckstackownership: the tracer walked a stack this thread does not own', operands: ['gp', 'goid', 'status'],
    format: (x) => `runtime: gp=${hex(x.o.gp!)} gp.goid=${x.o.goid} status=${G_STATUS[Number(x.o.status!)] ?? x.o.status}\n${fatalThrow(TRACE_OWNERSHIP_TEXT)}`,
  },
  {
    kind: CRASH.SIGSTACK_FAULT, name: 'sigstack-fault', verdict: 'crash', exitCode: 139,
    doc: 'the kernel could not write a signal frame on the thread\'s sigaltstack (its memory is gone): it forces SIGSEGV and the process dies without Go printing anything (#22930 before go1.10; docs/model.md §18)',
    operands: ['lo', 'hi', 'owner'],
    format: (x) => `Segmentation fault (core dumped)\ncgosim: the signal stack [${hex(x.o.lo!)}, ${hex(x.o.hi!)}) installed on thread ${x.thread} is freed or unmapped: the kernel cannot deliver the signal there and kills the process with SIGSEGV\n`,
  },
  {
    kind: CRASH.NO_SIGNAL_STACK, name: 'no-signal-stack', verdict: 'crash', fatal: 'non-Go code disabled sigaltstack', exitCode: 2,
    doc: 'adjustSignalStack: the handler runs on no stack Go knows (not gsignal\'s, not g0\'s) and the thread has no sigaltstack (noSignalStack; docs/model.md §18)',
    operands: ['sp', 'gsignalLo', 'gsignalHi', 'mId', 'g0Lo', 'g0Hi'],
    // The handler throws on the stack it found itself on, after badsignal's needm: the model has
    // no frames for the signal delivery, so no section follows (docs/model.md §21).
    format: () => `signal ? received on thread with no signal stack\n${fatalThrow('non-Go code disabled sigaltstack')}`,
  },
  {
    kind: CRASH.SIGNAL_NOT_ON_STACK, name: 'signal-not-on-stack', verdict: 'crash', fatal: 'non-Go code set up signal handler without SA_ONSTACK flag', exitCode: 2,
    doc: 'adjustSignalStack: the handler runs on no stack Go knows although the thread has a sigaltstack (sigNotOnStack; docs/model.md §18)',
    operands: ['sp', 'gsignalLo', 'gsignalHi', 'mId', 'g0Lo', 'g0Hi'],
    // go1.21 (the fix for #60007) added the gsignal and g0 stacks and the SP to the report.
    format: (x) => 'signal ? received but handler not on signal stack\n' +
      (x.go121 ? `mp.gsignal stack [${hex(x.o.gsignalLo!)} ${hex(x.o.gsignalHi!)}], mp.g0 stack [${hex(x.o.g0Lo!)} ${hex(x.o.g0Hi!)}], sp=${hex(x.o.sp!)}\n` : '') +
      fatalThrow('non-Go code set up signal handler without SA_ONSTACK flag'),
  },
  {
    kind: CRASH.EXITSYSCALL_FRAME, name: 'exitsyscall-frame', verdict: 'crash', fatal: 'exitsyscall: syscall frame is no longer valid', exitCode: 2,
    doc: 'exitsyscall on a goroutine that is not in a syscall: a callback from C code Go did not call through cgocall, as a C destructor run by racefini before go1.21 (#59711; docs/model.md §19)',
    operands: ['callerSp', 'syscallsp'],
    // exitsyscall is nosplit and runs on the goroutine: the throw prints its section.
    format: (x) => fatalThrow('exitsyscall: syscall frame is no longer valid') + throwOnG(x, [{ fn: FN.EXITSYSCALL }]),
  },
  {
    kind: CRASH.NEEDM_DEADLOCK, name: 'needm-deadlock', verdict: 'crash', exitCode: 1,
    doc: 'a signal inside needm ran badsignal\'s needm, which waits for an extra M that only the interrupted callback would make: the thread spins in lockextra for ever (#42207 before go1.16; mutation NEEDM_NO_SIGBLOCK; the exit code is a watchdog\'s, as in TestNeedmDeadlock; docs/model.md §18)',
    operands: ['tid'],
    format: (x) => `cgosim: thread ${x.thread} (tid ${x.o.tid}) hangs: a signal arrived inside needm after it took the last extra M; the handler's needm(signal=true) spins in lockextra waiting for an M only the interrupted callback would create\n`,
  },
  {
    // Not the runtime's check but the program's: Go's cgo tests print a line like these and fail.
    kind: CRASH.ASSERT, name: 'assertion-failed', verdict: 'failed', exitCode: 1,
    doc: 'an `assert` step found the runtime in another state than the program expects (verdict "failed"; docs/model.md §16)',
    operands: ['check', 'got', 'want', 'goid'],
    format: (x) => assertFailure(x),
  },
  {
    kind: CRASH.PANIC, name: 'panic', verdict: 'crash', exitCode: 2,
    doc: 'a panic no `recover` stopped: printpanics prints the value, the goroutine dies and with it the process (docs/model.md §17)',
    operands: ['value', 'goid', 'locked'],
    format: (x) => `panic: ${panicText(x)}\n` + panicSection({ ...x, goid: x.o.goid! }),
  },
  {
    kind: CRASH.GOEXIT_LOCKED, name: 'goexit-locked', verdict: 'crash', fatal: 'internal lockOSThread error', exitCode: 2,
    doc: 'goexit0/gdestroy: the goroutine ends (runtime.Goexit) while still internally locked to its thread, as a callback\'s goroutine is (docs/model.md §17)',
    operands: ['lockedInt', 'isextra'],
    format: (x) => `invalid m->lockedInt = ${x.o.lockedInt}\n${fatalThrow('internal lockOSThread error')}${goexit0Stack(x)}`,
    variants: [
      {
        when: 'GOEXIT_EXTRA_M_TEXT (go1.24+), on an extra M', name: 'goexit-locked', fatal: GOEXIT_EXTRA_M, exitCode: 2,
        applies: (x) => x.flags.has('GOEXIT_EXTRA_M_TEXT') && x.o.isextra !== 0n,
        format: (x) => `runtime: mp.lockedInt = ${x.o.lockedInt}\n${fatalThrow(GOEXIT_EXTRA_M)}${goexit0Stack(x)}`,
      },
      {
        when: 'GOEXIT_LOCKED_TEXT (go1.23+)', name: 'goexit-locked', fatal: GOEXIT_LOCKED, exitCode: 2,
        applies: (x) => x.flags.has('GOEXIT_LOCKED_TEXT'),
        format: (x) => `runtime: mp.lockedInt = ${x.o.lockedInt}\n${fatalThrow(GOEXIT_LOCKED)}${goexit0Stack(x)}`,
      },
    ],
  },
  {
    kind: CRASH.SEND_CLOSED, name: 'send-on-closed-channel', verdict: 'crash', fatal: 'send on closed channel', exitCode: 2,
    doc: 'chansend on a closed channel, or a sender still blocked when its channel is closed (a panic nobody recovers)', operands: ['object'],
    format: (x) => `panic: send on closed channel\n${panicSection(x)}cgosim: channel ${JSON.stringify(x.compiled.syncs[Number(x.o.object!)] ?? `#${x.o.object}`)}\n`,
  },
  {
    kind: CRASH.CLOSE_CLOSED, name: 'close-of-closed-channel', verdict: 'crash', fatal: 'close of closed channel', exitCode: 2,
    doc: 'closechan on a closed channel (a panic nobody recovers)', operands: ['object'],
    format: (x) => `panic: close of closed channel\n${panicSection(x)}cgosim: channel ${JSON.stringify(x.compiled.syncs[Number(x.o.object!)] ?? `#${x.o.object}`)}\n`,
  },
  {
    kind: CRASH.WG_NEGATIVE, name: 'negative-waitgroup-counter', verdict: 'crash', fatal: 'sync: negative WaitGroup counter', exitCode: 2,
    doc: 'sync.WaitGroup.Add took the counter below zero (a panic nobody recovers)', operands: ['object', 'counter'],
    format: (x) => `panic: sync: negative WaitGroup counter\n${panicSection(x, [{ fn: FN.WG_ADD }])}`,
  },
  {
    kind: CRASH.CORO_LOCK, name: 'coro-lock-mismatch', verdict: 'crash', fatal: 'coro: OS thread locking must match locking at coroutine creation', exitCode: 2,
    doc: 'coroswitch_m (go1.23+, 583675): the coroutine was made on a thread-locked M, or the switching goroutine is locked, and the M or its lockedInt/lockedExt differ from those at creation',
    operands: ['mId', 'wantMId', 'lockedInt', 'wantLockedInt', 'lockedExt', 'wantLockedExt', 'wantM'],
    format: (x) => `coro: got thread M${x.o.mId}, want ${x.o.wantM ? `M${x.o.wantMId}` : '0x0'}\n` +
      `coro: got lock internal ${x.o.lockedInt}, want ${x.o.wantLockedInt}\ncoro: got lock external ${x.o.lockedExt}, want ${x.o.wantLockedExt}\n` +
      fatalThrow('coro: OS thread locking must match locking at coroutine creation') + coroStack(x),
  },
  {
    kind: CRASH.CORO_EXITED, name: 'coroswitch-on-exited-coro', verdict: 'crash', fatal: 'coroswitch on exited coro', exitCode: 2,
    doc: 'coroswitch_m on a coroutine whose goroutine has exited', operands: [],
    format: (x) => fatalThrow('coroswitch on exited coro') + coroStack(x),
  },
  {
    kind: CRASH.HANG, name: 'hang', verdict: 'crash', exitCode: -1,
    doc: 'a `join` waits for a thread that can never come back to C: nothing is runnable, no timer is pending (the real process hangs; a test harness times it out)',
    operands: ['tid', 'blockedInC'],
    format: (x) => `cgosim: the process hangs: ${x.thread} (tid ${x.o.tid}) never returns to C: ${x.o.blockedInC ? 'it is blocked in C and nothing resumes it' : 'its goroutine is parked and nothing can wake it'}\n`,
  },
];

const BY_KIND = new Map(CRASHES.map((e) => [e.kind, e]));

/** What an `assert` check is called in scenarios and in the failure message (assembly/abi.ts ASSERT_*). */
function assertFailure(x: CrashView): string {
  const { check, got, want, goid } = x.o;
  const value = (v: bigint) => (v === 0n ? 'nil' : JSON.stringify(x.compiled.panicValues[Number(v) - 1] ?? `#${v}`));
  const who = `goroutine ${goid}`;
  switch (Number(check)) {
    case ASSERT.SAME_M: return `${who}: getm() is M${got}, but this thread ran on M${want} at its previous sameM check\n`;
    case ASSERT.SAVED_M: return `${who}: m == M${got} want M${want} (the M the first savedM check saved)\n`;
    case ASSERT.SAME_THREAD: return `${who}: gettid() is ${got}, but the goroutine ran on thread ${want} at its previous sameThread check\n`;
    case ASSERT.NUM_GOROUTINE: return `${who}: NumGoroutine: want ${want}; got ${got}\n`;
    case ASSERT.EXTRA_M_IN_USE: return `${who}: extraMInUse got ${got} want ${want}\n`;
    case ASSERT.TRACEBACK_CONTEXTS: return `${who}: contextCount == ${got}, expected ${want}\n`;
    case ASSERT.LOCKED: return `${who}: lockedOSThread() = ${got !== 0n}, want ${want !== 0n}\n`;
    case ASSERT.RECOVERED: return got === 0n ? `${who}: did not panic (recover() returned nil, want ${value(want)})\n` : `${who}: wrong panic: ${value(got)}, want ${value(want)}\n`;
    default: return `${who}: check ${check} failed\n`;
  }
}

export function crashEntry(kind: number): CrashEntry | undefined {
  return BY_KIND.get(kind);
}

/** Names the raw operands by the entry's list. */
export function namedOperands(names: readonly string[], raw: readonly bigint[]): Record<string, bigint> {
  const o: Record<string, bigint> = {};
  names.forEach((n, i) => { o[n] = raw[i] ?? 0n; });
  return o;
}

export interface FormattedCrash { crash: string; fatal?: string; exitCode: number; output: string }

/** The crash as the modelled runtime reports it: the entry, or the variant the run's flags select. */
export function formatCrash(kind: number, operands: readonly bigint[], view: Omit<CrashView, 'o'>): FormattedCrash {
  const e = crashEntry(kind);
  if (!e) return { crash: `unknown-${kind}`, exitCode: 2, output: `cgosim: crash kind ${kind}\n` };
  const x: CrashView = { ...view, o: namedOperands(e.operands, operands) };
  const form: CrashForm = e.variants?.find((v) => v.applies(x)) ?? e;
  const out: FormattedCrash = { crash: form.name, exitCode: form.exitCode, output: form.format(x) };
  if (form.fatal !== undefined) out.fatal = form.fatal;
  return out;
}

// ---- input errors found while running ----

export interface InputErrorEntry {
  code: number;
  name: InvalidName;
  operands: readonly string[];
  detail(o: Record<string, bigint>, thread: string): string;
}

export const INPUT_ERRORS: readonly InputErrorEntry[] = [
  { code: INVALID.THREAD_EXITED, name: 'THREAD_EXITED', operands: [], detail: (_, t) => `thread ${JSON.stringify(t)} has exited` },
  { code: INVALID.THREAD_BLOCKED, name: 'THREAD_BLOCKED', operands: [], detail: (_, t) => `thread ${JSON.stringify(t)} is blocked in C; "resume" it first` },
  {
    code: INVALID.THREAD_IN_GO, name: 'THREAD_IN_GO', operands: [],
    detail: (_, t) => `thread ${JSON.stringify(t)} is still in Go: its goroutine is parked or waiting to run again, so it is not back in C`,
  },
  {
    code: INVALID.REGION_OVERLAP, name: 'REGION_OVERLAP', operands: ['lo', 'hi', 'otherLo', 'otherHi', 'otherKind', 'otherOwner'],
    detail: (o) => `[${hex(o.lo!)}, ${hex(o.hi!)}) overlaps the live ${REGION_KINDS[Number(o.otherKind!)] ?? 'region'} [${hex(o.otherLo!)}, ${hex(o.otherHi!)})`,
  },
  { code: INVALID.NO_SPACE, name: 'NO_SPACE', operands: [], detail: () => 'the address space window has no room left for it; enlarge "addressSpace.size"' },
  { code: INVALID.NOT_BLOCKED, name: 'NOT_BLOCKED', operands: [], detail: () => 'nothing is blocked in C there' },
  { code: INVALID.FREED_TWICE, name: 'FREED_TWICE', operands: [], detail: () => 'the block is not allocated (freed twice?)' },
  { code: INVALID.BLOCK_LIVE, name: 'BLOCK_LIVE', operands: [], detail: () => 'the block is still allocated; free it before allocating it again' },
  { code: INVALID.TOO_DEEP, name: 'TOO_DEEP', operands: [], detail: () => `nesting is deeper than the simulator's ${MAX_FRAMES} frames per thread` },
  {
    code: INVALID.NOCALLBACK_UNSUPPORTED, name: 'NOCALLBACK_UNSUPPORTED', operands: [],
    detail: () => 'cgo of this release refuses "#cgo nocallback" (go1.22-go1.23: "#cgo nocallback disabled until Go 1.23"; before: no such directive), so the program does not build; the runtime\'s check is there from go1.22, the directive from go1.24',
  },
  { code: INVALID.M_BUSY, name: 'M_BUSY', operands: [], detail: () => 'that M is still running another goroutine' },
  {
    code: INVALID.M_EXITED, name: 'M_EXITED', operands: [],
    detail: () => 'that M\'s thread exited when its goroutine ended while locked to it (LockOSThread without UnlockOSThread); m0\'s, the main thread, is wedged for ever instead',
  },
  {
    code: INVALID.SP_OUTSIDE, name: 'SP_OUTSIDE', operands: ['sp', 'lo', 'hi'],
    detail: (o, t) => `sp=${hex(o.sp!)} is below the stack thread ${JSON.stringify(t)} runs on now, [${hex(o.lo!)}, ${hex(o.hi!)}); a callback's SP lies on the stack its C code uses`,
  },
  { code: INVALID.TOO_MANY, name: 'TOO_MANY', operands: [], detail: () => 'the simulator\'s record tables are full' },
  {
    code: INVALID.TOO_MANY_GS, name: 'TOO_MANY_GS', operands: ['max'],
    detail: (o) => `this run of the repeated "go" needs a goroutine record, but the simulator's table of ${o.max} goroutines is full: too many goroutines it started are still alive (a dead one's record is reused)`,
  },
  {
    code: INVALID.NO_COROUTINES, name: 'NO_COROUTINES', operands: [],
    detail: () => 'this runtime has no coroutines: iter.Pull (newcoro/coroswitch) is go1.23+ (flag COROUTINES)',
  },
  { code: INVALID.BAD_SWITCH, name: 'BAD_SWITCH', operands: [], detail: () => 'that block is not allocated now, or too small to run on' },
  {
    code: INVALID.BAD_CARVE, name: 'BAD_CARVE', operands: ['sp', 'bytes', 'lo', 'hi'],
    detail: (o) => `carving ${o.bytes} bytes below sp=${hex(o.sp!)} needs the thread on its own stack [${hex(o.lo!)}, ${hex(o.hi!)}) with that much room left`,
  },
  {
    code: INVALID.M_STACK, name: 'M_STACK', operands: ['lo', 'hi', 'mLo', 'mHi'],
    detail: (o) => `the M already runs on [${hex(o.mLo!)}, ${hex(o.mHi!)}), not [${hex(o.lo!)}, ${hex(o.hi!)})`,
  },
  {
    code: INVALID.C_STACK_OVERFLOW, name: 'C_STACK_OVERFLOW', operands: ['sp', 'bytes', 'lo', 'hi'],
    detail: (o) => `using ${o.bytes} more bytes at sp=${hex(o.sp!)} runs off the current stack [${hex(o.lo!)}, ${hex(o.hi!)})`,
  },
];

const INPUT_BY_CODE = new Map(INPUT_ERRORS.map((e) => [e.code, e]));

export function inputErrorEntry(code: number): InputErrorEntry | undefined {
  return INPUT_BY_CODE.get(code);
}

/** The message of an input error found while running (without the path). */
export function inputErrorDetail(code: number, operands: readonly bigint[], thread: string): string {
  const e = INPUT_BY_CODE.get(code);
  return e ? e.detail(namedOperands(e.operands, operands), thread) : `input error ${code}`;
}

// ---- docs ----

/** The README's crash list, from the table: one row per crash name and check. */
export function crashListMarkdown(): string {
  const rows = ['| `crash` | verdict | exit | `fatal` | the check |', '| --- | --- | --- | --- | --- |'];
  const row = (name: string, verdict: string, exitCode: number, fatal: string | undefined, doc: string) =>
    rows.push(`| \`${name}\` | ${verdict} | ${verdict === 'crash' ? exitCode : '–'} | ${fatal ? `\`${fatal}\`` : '–'} | ${doc} |`);
  for (const e of CRASHES) {
    const same = (e.variants ?? []).filter((v) => v.name === e.name && v.fatal === e.fatal);
    row(e.name, e.verdict, e.exitCode, e.fatal, e.doc + same.map((v) => `; printed differently with ${v.when}`).join(''));
    for (const v of e.variants ?? []) {
      if (!same.includes(v)) row(v.name, e.verdict, v.exitCode, v.fatal, `the same check, with ${v.when}`);
    }
  }
  return rows.join('\n');
}
