// The event table: every event kind the core records (assembly/results.ts EV_*), with its name,
// the names and kinds of its two operands, and its text. The result layer turns a raw event into a
// TraceEvent with both the text and the named operands (`args`); the trace export, a diff or any
// other reader uses `args` and `kind`, never the text.

import { hex } from '../api/errors.js';
import { POINTS } from '../model/points.js';
import { WAIT_REASONS } from '../scenario/ops.js';
import { fnName } from './symbols.js';
import { EV, ASSERT, CHAN, CORO, DEFER, SIGH, SHRINK_SKIP as SHRINK_SKIP_WHY, FUNC_TEXT_BASE, EVENT_KIND_MASK, EVENT_FN_SHIFT } from '../core/abi.js';

/** How an operand is shown in `args`: an address (hex string) or a number. */
type OperandKind = 'addr' | 'num';
type Operand = readonly [name: string, kind: OperandKind];

export interface EventDef {
  kind: number;
  name: string;
  /** Operands a and b; fewer when the event has fewer. */
  operands: readonly Operand[];
  text(a: bigint, b: bigint): string;
  /** Operands named differently by their values (a `call` event also stands for `grow`). */
  operandsFor?(a: bigint, b: bigint): readonly Operand[];
}

const POINT_NAMES: Record<number, string> = Object.fromEntries(POINTS.map((p) => [p.id, p.name]));
const SHRINK_SKIP: Record<number, string> = {
  [SHRINK_SKIP_WHY.TOO_SMALL]: 'half would be below 2KiB', [SHRINK_SKIP_WHY.TOO_USED]: 'uses a quarter or more',
  [SHRINK_SKIP_WHY.GODEBUG_OFF]: 'GODEBUG=gcshrinkstackoff=1',
};
const DEFERRED: Record<number, string> = {
  [DEFER.UNWINDM]: 'unwindm', [DEFER.CTXT_POP]: 'traceback context pop', [DEFER.UNLOCK]: 'unlockOSThread',
};
const SIGNAL_HOW: Record<number, string> = {
  [SIGH.GSIGNAL]: 'on the M\'s gsignal stack', [SIGH.ADOPTED]: 'on a sigaltstack non-Go code set (gsignal adjusted)',
  [SIGH.G0]: 'on the g0 stack', [SIGH.BADSIGNAL]: 'no g (or an extra M in C): badsignal takes an M with needm',
};
const ASSERT_NAMES: Record<number, string> = {
  [ASSERT.SAME_M]: 'sameM (M id)', [ASSERT.SAME_THREAD]: 'sameThread (tid)', [ASSERT.NUM_GOROUTINE]: 'numGoroutine',
  [ASSERT.EXTRA_M_IN_USE]: 'extraMInUse', [ASSERT.TRACEBACK_CONTEXTS]: 'tracebackContexts', [ASSERT.LOCKED]: 'locked',
  [ASSERT.RECOVERED]: 'recovered', [ASSERT.SAVED_M]: 'savedM (M id)',
};
const SYNC_WHAT: Record<number, string> = {
  [CHAN.MADE]: 'make(chan)', [CHAN.SEND_HANDOFF]: 'send: handed to a waiting receiver', [CHAN.SEND_BUFFERED]: 'send: buffered',
  [CHAN.SEND_BLOCKS]: 'send: no receiver, buffer full: blocks', [CHAN.RECV_BUFFERED]: 'receive: from the buffer',
  [CHAN.RECV_FROM_SENDER]: 'receive: from a waiting sender, which goes on', [CHAN.RECV_CLOSED]: 'receive: closed and empty, zero value',
  [CHAN.RECV_BLOCKS]: 'receive: nothing to take: blocks', [CHAN.CLOSED]: 'close(chan)', [CHAN.WG_ADD]: 'WaitGroup.Add',
  [CHAN.WG_WAIT_DONE]: 'WaitGroup.Wait: counter zero, returns', [CHAN.WG_WAIT_BLOCKS]: 'WaitGroup.Wait: blocks',
};
const CORO_WHAT: Record<number, (g: bigint) => string> = {
  [CORO.NEW]: (g) => `newcoro: goroutine ${g} waits to run the iterator`,
  [CORO.SWITCH]: (g) => `coroswitch: goroutine ${g} runs on this M, the caller waits in the coroutine`,
  [CORO.EXIT]: (g) => `coroexit: the iterator's goroutine ends; goroutine ${g} runs on this M`,
  [CORO.DONE]: () => 'the iterator is done (stopped or finished): next returns nothing, yield returns false, at once',
};
const reasonName = (b: bigint) => Object.entries(WAIT_REASONS).find(([, id]) => BigInt(id) === b)?.[0] ?? b;

const A = (name: string): Operand => [name, 'addr'];
const N = (name: string): Operand => [name, 'num'];
const RANGE = [A('lo'), A('hi')] as const;

/** The g0 split check: the core puts the function whose prologue made it above the kind (EVENT_FN_SHIFT). */
export const EV_G0_CHECK = EV.G0_CHECK;
export const EV_CRASH = EV.CRASH;

export const EVENTS: readonly EventDef[] = [
  { kind: EV.THREAD, name: 'thread', operands: RANGE, text: (a, b) => `pthread stack [${hex(a)}, ${hex(b)})` },
  { kind: EV.MALLOC, name: 'malloc', operands: RANGE, text: (a, b) => `block [${hex(a)}, ${hex(b)})` },
  { kind: EV.FREE, name: 'free', operands: RANGE, text: (a, b) => `block [${hex(a)}, ${hex(b)}) freed, poisoned` },
  { kind: EV.SWITCH, name: 'switch', operands: RANGE, text: (a, b) => `now on stack [${hex(a)}, ${hex(b)})` },
  { kind: EV.CALLBACK, name: 'callback', operands: [A('sp'), N('ncgo')], text: (a, b) => `cgocallback sp=${hex(a)} ncgo=${b}` },
  { kind: EV.NEEDM, name: 'needm', operands: [N('mId'), N('signal')], text: (a, b) => `needm → M${a}${b ? ' (signal)' : ''}` },
  { kind: EV.BINDM, name: 'bindm', operands: [N('mId')], text: (a) => `cgoBindM: M${a} bound by pthread key` },
  { kind: EV.EXTRA_M_NEW, name: 'newextram', operands: [N('mId'), N('goid')], text: (a, b) => `oneNewExtraM → M${a} (goroutine ${b})` },
  { kind: EV.GETSTACKBOUND, name: 'getstackbound', operands: RANGE, text: (a, b) => `_cgo_getstackbound → [${hex(a)}, ${hex(b)})` },
  { kind: EV.BOUNDS_SET, name: 'bounds', operands: RANGE, text: (a, b) => `g0 bounds := [${hex(a)}, ${hex(b)}]` },
  { kind: EV.BOUNDS_KEPT, name: 'bounds-kept', operands: RANGE, text: (a, b) => `g0 bounds kept [${hex(a)}, ${hex(b)}] (SP in bounds)` },
  { kind: EV.BOUNDS_RESTORED, name: 'bounds-restored', operands: RANGE, text: (a, b) => `g0 bounds restored [${hex(a)}, ${hex(b)}]` },
  { kind: EV.G0_CHECK, name: 'g0-check', operands: [A('sp'), A('guard')], text: (a, b) => `g0 split check sp=${hex(a)} guard=${hex(b)}: ${a > b ? 'ok' : 'FAILS'}` },
  { kind: EV.EXITSYSCALL, name: 'exitsyscall', operands: [N('goid')], text: (a) => `exitsyscall (goroutine ${a})` },
  { kind: EV.REENTERSYSCALL, name: 'reentersyscall', operands: [A('sp'), A('bp')], text: (a, b) => `reentersyscall sp=${hex(a)} bp=${hex(b)}` },
  { kind: EV.CALLBACK_RETURN, name: 'callback-return', operands: [A('sp'), A('g0SchedSp')], text: (a, b) => `back in C at sp=${hex(a)}; g0.sched.sp = ${hex(b)}` },
  { kind: EV.DROPM, name: 'dropm', operands: [N('mId')], text: (a) => `dropm M${a}` },
  { kind: EV.CGOCALL, name: 'cgocall', operands: [A('sp'), N('ncgo')], text: (a, b) => `cgocall: C runs at sp=${hex(a)} ncgo=${b}` },
  { kind: EV.CGOCALL_RETURN, name: 'cgocall-return', operands: [A('sp'), N('ncgo')], text: (a, b) => `C returned (sp=${hex(a)}) ncgo=${b}` },
  { kind: EV.SYSTEMSTACK, name: 'systemstack', operands: [A('sp'), A('guard')], text: (a, b) => `systemstack at sp=${hex(a)} guard=${hex(b)}` },
  { kind: EV.SIGNAL, name: 'signal', operands: [A('sp')], text: (a) => `signal at sp=${hex(a)}` },
  { kind: EV.THREAD_EXIT, name: 'thread-exit', operands: [N('tid')], text: (a) => `thread ${a} exits` },
  { kind: EV.GO, name: 'go', operands: [N('goid'), A('stack')], text: (a, b) => `goroutine ${a} starts, stack at ${hex(b)}` },
  { kind: EV.GOEXIT, name: 'goexit', operands: [N('goid')], text: (a) => `goroutine ${a} exits` },
  { kind: EV.BLOCK, name: 'block', operands: [], text: () => 'C blocks' },
  { kind: EV.RESUME, name: 'resume', operands: [], text: () => 'resumed' },
  { kind: EV.LOCKOSTHREAD, name: 'lockOSThread', operands: [N('lockedInt'), N('lockedExt')], text: (a, b) => `lockOSThread: lockedInt=${a} lockedExt=${b}` },
  { kind: EV.UNLOCKOSTHREAD, name: 'unlockOSThread', operands: [N('lockedInt'), N('lockedExt')], text: (a, b) => `unlockOSThread: lockedInt=${a} lockedExt=${b}` },
  { kind: EV.STACK_USE, name: 'c-stack', operands: [A('sp'), N('bytes')], text: (a, b) => `C uses ${b} bytes; sp=${hex(a)}` },
  { kind: EV.CRASH, name: 'crash', operands: [N('crashKind')], text: (a) => `run ends (crash kind ${a})` },
  { kind: EV.BOUNDS_CLEARED, name: 'bounds-cleared', operands: [], text: () => 'dropm clears g0 bounds' },
  { kind: EV.MORESTACK, name: 'morestack', operands: [A('sp'), A('stackguard0')], text: (a, b) => `morestack: prologue check at sp=${hex(a)} fails (stackguard0=${hex(b)})` },
  { kind: EV.COPYSTACK, name: 'copystack', operands: RANGE, text: (a, b) => `copystack → new stack [${hex(a)}, ${hex(b)})` },
  { kind: EV.STACKFREE, name: 'stackfree', operands: RANGE, text: (a, b) => `stackfree [${hex(a)}, ${hex(b)}) (poisoned)` },
  { kind: EV.GC, name: 'gc', operands: [N('stacksScanned')], text: (a) => `GC cycle: scanned ${a} goroutine stacks` },
  {
    kind: 36, name: 'shrink-deferred', operands: [N('goid'), A('syscallsp')],
    text: (a, b) => b !== 0n ? `goroutine ${a}: shrink not safe now (in C: syscallsp=${hex(b)}), preemptShrink set` : `goroutine ${a}: shrink not safe now (waiting for the GC while traced), preemptShrink set`,
  },
  { kind: EV.SHRINK_SKIPPED, name: 'shrink-skipped', operands: [N('goid'), N('reason')], text: (a, b) => `goroutine ${a}: no shrink (${SHRINK_SKIP[Number(b)] ?? b})` },
  {
    kind: 38, name: 'call', operands: [A('sp'), A('pc')],
    operandsFor: (_a, b) => (b < FUNC_TEXT_BASE ? [A('sp'), N('frames')] : [A('sp'), A('pc')]),
    text: (a, b) => b < FUNC_TEXT_BASE ? `grow: ${b} frames, down to sp=${hex(a)}` : `call: sp=${hex(a)} pc=${hex(b)}`,
  },
  { kind: EV.RETURN, name: 'return', operands: [A('sp'), A('bp')], text: (a, b) => `return: sp=${hex(a)} bp=${hex(b)}` },
  { kind: EV.TRACE_ADVANCE, name: 'trace-advance', operands: [N('generation')], text: (a) => `trace generation ${a}` },
  {
    kind: 41, name: 'trace-stack', operands: [N('goid'), N('framesWalkedPlusOne')],
    text: (a, b) => b === 0n ? `traceStack goroutine ${a}: slow path (cgo on its M's stack)` : `traceStack goroutine ${a}: fpTracebackPCs walked ${b - 1n} frames`,
  },
  { kind: EV.PREEMPT_REQUEST, name: 'preempt-request', operands: [N('goid')], text: (a) => `preemption request for goroutine ${a}` },
  { kind: EV.PREEMPTED, name: 'preempted', operands: [N('goid'), N('mId')], text: (a, b) => `goroutine ${a} preempted (gopreempt_m) on M${b}: runnable, to the global run queue` },
  {
    kind: 44, name: 'schedule', operands: [N('mId'), N('locked')],
    text: (a, b) => b ? `M${a}: schedule() -> stoplockedm, waits for its locked goroutine` : `M${a}: schedule() -> looks for work`,
  },
  { kind: EV.EXECUTE, name: 'execute', operands: [N('goid'), N('mId')], text: (a, b) => `goroutine ${a} runs on M${b}` },
  {
    kind: 46, name: 'handoff', operands: [N('goid'), N('mId')],
    text: (a, b) => b ? `goroutine ${a} found by M${b}, handed to its locked M (startlockedm)` : `goroutine ${a} handed to its locked M (startlockedm)`,
  },
  { kind: EV.POINT, name: 'point', operands: [N('point'), N('goid')], text: (a, b) => `interleaving point ${POINT_NAMES[Number(a)] ?? a}: "at" steps run (goroutine ${b})` },
  { kind: EV.DEFER, name: 'defer', operands: [N('what')], text: (a) => `deferred ${DEFERRED[Number(a)] ?? a}` },
  { kind: EV.PARK, name: 'park', operands: [N('goid'), N('reason')], text: (a, b) => `goroutine ${a} parks (gopark, reason ${reasonName(b)})` },
  {
    kind: 50, name: 'trace-park', operands: [N('goid'), N('framesWalkedPlusOne')],
    text: (a, b) => `trace event with goroutine ${a}'s stack (GoBlock/GoStop/STW): fpTracebackPCs walked ${b - 1n} frames`,
  },
  {
    kind: EV.G0_FRAMES, name: 'g0-frames', operands: [A('lowest'), N('bytes')],
    text: (a, b) => `g0 frames: ${b} bytes below g0.sched.sp, down to ${hex(a)}`,
  },
  {
    kind: EV.C_FRAMES, name: 'c-frames', operands: [A('sp'), N('bytes')],
    text: (a, b) => `C→Go entry frames (export wrapper, crosscall2, cgocallback): ${b} bytes, SP_cb = ${hex(a)}`,
  },
  // The frame's function and the word's role come in the fn bits (decodeEvent adds them).
  { kind: EV.C_WORD, name: 'c-word', operands: [A('at'), A('value')], text: (a, b) => `${hex(a)} := ${hex(b)}` },
  { kind: EV.ASSERT, name: 'assert', operands: [N('check'), N('value')], text: (a, b) => `assert ${ASSERT_NAMES[Number(a)] ?? a}: ${b} (holds)` },
  { kind: EV.PANIC, name: 'panic', operands: [N('goid'), N('value')], text: (a, b) => b === 0xffffffffn ? `goroutine ${a}: runtime.Goexit` : `goroutine ${a} panics${b === 0n ? ' (the runtime\'s own panic)' : ''}` },
  { kind: EV.RECOVER, name: 'recover', operands: [N('goid'), A('sp')], text: (a, b) => `goroutine ${a}: recover() stops the panic; the function at sp=${hex(b)} returns` },
  { kind: EV.UNWINDM, name: 'unwindm', operands: [A('g0SchedSp'), N('ncgo')], text: (a, b) => `unwindm: g0.sched.sp restored to ${hex(a)} from the C stack, ncgo=${b}` },
  { kind: EV.C_ABANDONED, name: 'c-abandoned', operands: [A('sp')], text: (a) => `the C frames are abandoned; the thread is back at its cgocall's caller (sp=${hex(a)})` },
  { kind: EV.PIN_IGNORED, name: 'pin-ignored', operands: [N('goid'), N('mId')], text: (a, b) => `resumeOn for goroutine ${a} ignored: M${b} cannot run it now (busy, in C or gone)` },
  {
    kind: EV.SIGALTSTACK, name: 'sigaltstack', operands: RANGE,
    text: (a, b) => b === 0n ? 'sigaltstack: SS_DISABLE (no alternate signal stack)' : `sigaltstack: [${hex(a)}, ${hex(b)})`,
  },
  {
    kind: EV.SIGALTSTACK_GO, name: 'sigaltstack-gsignal', operands: RANGE,
    text: (a, b) => b === 0n ? 'minit: sigaltstack := the M\'s gsignal stack (placed when a handler first runs on it)' : `minit: sigaltstack := the M's gsignal stack [${hex(a)}, ${hex(b)})`,
  },
  { kind: EV.PROCESS_EXIT, name: 'process-exit', operands: [N('code'), N('destructorsSkipped')], text: (a, b) => b ? `exit(${a}) by exit_group: ${b} C destructor(s) never run` : `the process exits with status ${a}` },
  { kind: EV.RACEFINI, name: 'racefini', operands: [N('entersyscall'), N('destructors')], text: (a, b) => `racefini${a ? ': entersyscall, then' : ':'} __tsan_fini → exit() runs ${b} C destructor(s)` },
  { kind: EV.ATEXIT, name: 'atexit', operands: [N('registered')], text: (a) => `C registers a destructor (${a} now)` },
  { kind: EV.M_WEDGED, name: 'm0-wedged', operands: [N('tid')], text: (a) => `mexit on m0: the main thread (tid ${a}) is wedged, parked for ever, instead of exiting` },
  { kind: EV.GSIGNAL_STACK, name: 'gsignal-stack', operands: RANGE, text: (a, b) => b === 0n ? 'gsignal back on its own stack (not placed yet)' : `gsignal runs on [${hex(a)}, ${hex(b)})` },
  { kind: EV.SIGNAL_DEFERRED, name: 'signal-deferred', operands: [A('sp')], text: (a) => `a signal that arrived during needm (blocked by its sigblock) is delivered as minit unblocks it (needm at sp ${hex(a)})` },
  { kind: EV.SIGNAL_HANDLER, name: 'signal-handler', operands: [A('sp'), N('how')], text: (a, b) => `sigtrampgo at sp ${hex(a)}: ${SIGNAL_HOW[Number(b)] ?? b}` },
  { kind: EV.READY, name: 'ready', operands: [N('goid'), N('reason')], text: (a, b) => `goroutine ${a} is runnable again (goready; it waited: ${reasonName(b)})` },
  { kind: EV.CHAN, name: 'chan', operands: [N('object'), N('what')], text: (a, b) => `${SYNC_WHAT[Number(b)] ?? `sync op ${b}`} (object ${a})` },
  { kind: EV.TIMER, name: 'timer', operands: [N('goid'), N('nowNs')], text: (a, b) => `timer fires at ${b} ns: goroutine ${a} wakes from sleep` },
  { kind: EV.NEWPROC, name: 'newproc', operands: [N('goid'), A('stackLo')], text: (a, b) => `go: goroutine ${a} created (stack at ${hex(b)}), runnable` },
  { kind: EV.CLOCK, name: 'clock', operands: [N('nowNs'), N('sleptNs')], text: (a, b) => `${b} ns pass (usleep); the clock reads ${a} ns` },
  { kind: EV.JOIN, name: 'join', operands: [N('tid')], text: (a) => `thread ${a} is back in C: join returns` },
  { kind: EV.CORO, name: 'coro', operands: [N('goid'), N('what')], text: (a, b) => CORO_WHAT[Number(b)]?.(a) ?? `coroutine op ${b} (goroutine ${a})` },
];

/** The roles of an entry frame's saved words (physical.ts WORD_*). */
const C_WORD_ROLES = ['return address', 'saved frame pointer', 'saved register', 'argument to cgocallback'];

const BY_KIND = new Map(EVENTS.map((e) => [e.kind, e]));

export function eventDef(kind: number): EventDef | undefined {
  return BY_KIND.get(kind);
}

/** A raw event decoded: its kind, the function id packed above it, its name, text and named operands. */
export interface DecodedEvent { kind: number; name: string; text: string; args: Record<string, string | number> }

export function decodeEvent(packedKind: number, a: bigint, b: bigint): DecodedEvent {
  const kind = packedKind & EVENT_KIND_MASK;
  const fn = packedKind >>> EVENT_FN_SHIFT;
  const def = BY_KIND.get(kind);
  if (!def) return { kind, name: String(kind), text: `event ${kind}`, args: { a: hex(a), b: hex(b) } };
  const args: Record<string, string | number> = {};
  const operands = def.operandsFor?.(a, b) ?? def.operands;
  operands.forEach(([name, k], i) => {
    const v = i === 0 ? a : b;
    args[name] = k === 'addr' ? hex(v) : v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  });
  let text = def.text(a, b);
  if ((kind === EV_G0_CHECK || kind === EV.G0_FRAMES) && fn !== 0) {
    text = `${fnName(fn)}: ${text}`;
    args.fn = fnName(fn);
  }
  if (kind === EV.C_WORD) {
    // physical.ts entryWords: frame function | role << 8.
    const frame = fnName(fn & 0xff);
    const word = C_WORD_ROLES[fn >>> 8] ?? `word ${fn >>> 8}`;
    text = `${frame}: ${word} ${text}`;
    args.fn = frame;
  }
  return { kind, name: def.name, text, args };
}
