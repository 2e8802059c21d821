// Results: what a run leaves for the host. Counters, the crash record (which check failed, with its
// operands: the host formats the exact text the real runtime prints), the event log and the trace
// hash. Nothing here calls out to JS: the host reads the area after the batch returns.
//
// Result area, RESULT_LOCATION (1024 bytes)
//   0 stopReason u32   4 crashKind u32   8 crashOp u32   12 crashThread u32
//  16 crashM u32      20 crashG u32     24 crashFn u32   28 eventsRecorded u32
//  32 eventsTotal u64 (only while recording) 40 traceHash u64  48 stepsUsed u64
//  56 crashOperands u64[8]
// 128 counters u64[N_COUNTERS]
//
// Event record, 32 bytes: 0 kind u32, 4 op u32, 8 thread u32, 12 m u32, 16 a u64, 24 b u64.
//
// Event area, EVENTS_LOCATION (MAX_EVENTS records): the first EVENTS_HEAD events in order, then a
// ring of the last MAX_EVENTS - EVENTS_HEAD. A run that ends in a crash after millions of events
// keeps how it started and how it ended (the part that explains the crash); the host puts the
// ring back in order from eventsTotal and marks the gap.
//
//   [0, EVENTS_HEAD)            events 0 .. EVENTS_HEAD-1
//   [EVENTS_HEAD, MAX_EVENTS)   event n (n >= EVENTS_HEAD) at EVENTS_HEAD + (n - EVENTS_HEAD) % ring

import { RESULT_LOCATION, EVENTS_LOCATION, MAX_EVENTS, EVENTS_HEAD, EVENT_SIZE, N_COUNTERS } from './memory';

// Why a run stopped.
// @ts-ignore: decorator
@inline export const STOP_RUNNING: u32 = 0;
// @ts-ignore: decorator
@inline export const STOP_DONE: u32 = 1;
// @ts-ignore: decorator
@inline export const STOP_CRASH: u32 = 2;
// @ts-ignore: decorator
@inline export const STOP_UAF: u32 = 3;
// @ts-ignore: decorator
@inline export const STOP_BUDGET: u32 = 4;
// @ts-ignore: decorator
@inline export const STOP_INVALID: u32 = 5;

// Crash kinds: one per check of the modelled runtime that can end the process.
export const CRASH_MORESTACK_G0: u32 = 1;          // g0 split check failed (§4.2)
export const CRASH_CALLBACK_OOB: u32 = 2;          // callbackUpdateSystemStack, ncgo > 0, SP out of bounds (§10)
export const CRASH_CGO_CALLBACK_BEFORE_CGO: u32 = 3;
export const CRASH_ENTERSYSCALL_SP: u32 = 4;       // reentersyscall: syscallsp outside the goroutine stack
export const CRASH_ENTERSYSCALL_BP: u32 = 5;
export const CRASH_UAF_C_STACK: u32 = 6;           // cgocallback touched a freed C stack block
export const CRASH_LOCK_MISUSE: u32 = 7;           // unlockOSThread with lockedInt == 0
export const CRASH_SPLIT_BAD_TIME: u32 = 8;        // newstack with throwsplit set
export const CRASH_STACK_OVERFLOW: u32 = 9;        // newstack: new size over maxstacksize
export const CRASH_GROWTH_IN_SYSCALL: u32 = 10;    // copystack with syscallsp != 0
export const CRASH_INVALID_POINTER: u32 = 11;      // adjustpointers: 0 < p < minLegalPointer
export const CRASH_SHRINK_BAD_TIME: u32 = 12;      // shrinkstack when !isShrinkStackSafe
export const CRASH_UNKNOWN_PC: u32 = 13;           // the unwinder met a return PC of no function
export const CRASH_UAF_STACK: u32 = 14;            // a read of a freed goroutine stack span
export const CRASH_SPLIT_OVERFLOW: u32 = 15;       // newstack: sched.sp below stack.lo
export const CRASH_SIGSEGV_TRACE: u32 = 16;        // fpTracebackPCs followed a frame pointer off the map
export const CRASH_SCHEDULE_IN_CGO: u32 = 17;      // schedule() on an M with incgo set
export const CRASH_M_CHANGED: u32 = 18;           // cgocallbackg returned on another M
export const CRASH_SIGSEGV_WRONG_M: u32 = 19;     // cgocallback returned into C on an M without its C frames
export const CRASH_MORESTACK_GSIGNAL: u32 = 20;   // split check failed on gsignal
export const CRASH_TRACE_OWNERSHIP: u32 = 21;     // tracecheckstackownership: a stack this thread does not own

// Input errors found while running (state the host cannot see statically).
export const INVALID_THREAD_EXITED: u32 = 100;
export const INVALID_THREAD_BLOCKED: u32 = 101;
export const INVALID_REGION_OVERLAP: u32 = 102;
export const INVALID_NO_SPACE: u32 = 103;
export const INVALID_NOT_BLOCKED: u32 = 104;
export const INVALID_FREED_TWICE: u32 = 105;
export const INVALID_TOO_DEEP: u32 = 106;
export const INVALID_M_BUSY: u32 = 107;
export const INVALID_TOO_MANY: u32 = 108;
export const INVALID_OUTSIDE_WINDOW: u32 = 109;
export const INVALID_NOT_IN_GO: u32 = 110;
export const INVALID_BLOCK_LIVE: u32 = 111;
export const INVALID_C_STACK_OVERFLOW: u32 = 112;
export const INVALID_BAD_SWITCH: u32 = 113;
export const INVALID_M_STACK: u32 = 114;
export const INVALID_THREAD_IN_GO: u32 = 115;
export const INVALID_M_EXITED: u32 = 116;
export const INVALID_SP_OUTSIDE: u32 = 117;   // a callback's sp is not on the stack the thread runs on

// Counters (index into the counter array; the host names them).
export const C_CALLBACKS: i32 = 0;
export const C_NEEDM: i32 = 1;
export const C_DROPM: i32 = 2;
export const C_GETSTACKBOUND: i32 = 3;
export const C_BOUNDS_UPDATES: i32 = 4;
export const C_G0_CHECKS: i32 = 5;
export const C_SYSTEMSTACK: i32 = 6;
export const C_CGOCALLS: i32 = 7;
export const C_EXTRA_M_CREATED: i32 = 8;
export const C_BINDM: i32 = 9;
export const C_SIGNALS: i32 = 10;
export const C_THREADS: i32 = 11;
export const C_MALLOCS: i32 = 12;
export const C_FREES: i32 = 13;
export const C_SWITCHES: i32 = 14;
export const C_GOROUTINES: i32 = 15;
export const C_BOUNDS_RESTORES: i32 = 16;
export const C_BOUNDS_FAST_PATH: i32 = 17;
export const C_GETSTACKBOUND_MAIN: i32 = 18;
export const C_LOCKOSTHREAD: i32 = 19;
export const C_UNLOCKOSTHREAD: i32 = 20;
export const C_EXITSYSCALL: i32 = 21;
export const C_REENTERSYSCALL: i32 = 22;
export const C_NESTED_CALLBACKS: i32 = 23;
export const C_BLOCKS: i32 = 24;
export const C_RESUMES: i32 = 25;
export const C_THREAD_EXITS: i32 = 26;
export const C_COPYSTACK: i32 = 27;
export const C_STACK_GROWTHS: i32 = 28;
export const C_STACK_SHRINKS: i32 = 29;
export const C_GC_CYCLES: i32 = 30;
export const C_SHRINKS_DEFERRED: i32 = 31;
export const C_FRAMES_PUSHED: i32 = 32;
export const C_POINTERS_ADJUSTED: i32 = 33;
export const C_FRAMES_ADJUSTED: i32 = 34;
export const C_BYTES_COPIED: i32 = 35;
export const C_TRACE_ADVANCES: i32 = 36;
export const C_TRACE_STACKS: i32 = 37;
export const C_TRACE_FRAMES: i32 = 38;
export const C_PREEMPT_REQUESTS: i32 = 39;
export const C_PREEMPTIONS: i32 = 40;
export const C_SCHEDULES: i32 = 41;
export const C_HANDOFFS: i32 = 42;
export const C_POINTS_HIT: i32 = 43;
export const C_PARKS: i32 = 44;
export const C_PINS_IGNORED: i32 = 45;
export const C_AT_UNFIRED: i32 = 46;

// Event kinds (the host names them and renders their operands).
export const EV_THREAD: u32 = 1;          // a = stack lo, b = hi
export const EV_MALLOC: u32 = 2;          // a = lo, b = hi
export const EV_FREE: u32 = 3;            // a = lo, b = hi
export const EV_SWITCH: u32 = 4;          // a = new stack lo, b = hi
export const EV_CALLBACK: u32 = 5;        // a = SP_cb, b = ncgo
export const EV_NEEDM: u32 = 6;           // a = M id, b = signal
export const EV_BINDM: u32 = 7;           // a = M id
export const EV_EXTRA_M_NEW: u32 = 8;     // a = M id
export const EV_GETSTACKBOUND: u32 = 9;   // a = lo, b = hi returned
export const EV_BOUNDS_SET: u32 = 10;     // a = lo, b = hi
export const EV_BOUNDS_KEPT: u32 = 11;    // fast path: a = lo, b = hi
export const EV_BOUNDS_RESTORED: u32 = 12;// a = lo, b = hi
export const EV_G0_CHECK: u32 = 13;       // a = SP checked, b = stackguard0
export const EV_EXITSYSCALL: u32 = 14;    // a = goid
export const EV_REENTERSYSCALL: u32 = 15; // a = syscallsp, b = syscallbp
export const EV_CALLBACK_RETURN: u32 = 16;// a = SP_cb, b = restored g0.sched.sp
export const EV_DROPM: u32 = 17;          // a = M id
export const EV_CGOCALL: u32 = 18;        // a = C SP, b = ncgo
export const EV_CGOCALL_RETURN: u32 = 19; // a = C SP
export const EV_SYSTEMSTACK: u32 = 20;    // a = SP, b = stackguard0
export const EV_SIGNAL: u32 = 21;         // a = sp
export const EV_THREAD_EXIT: u32 = 22;
export const EV_GO: u32 = 23;             // a = goid, b = stack lo
export const EV_GOEXIT: u32 = 24;         // a = goid
export const EV_BLOCK: u32 = 25;
export const EV_RESUME: u32 = 26;
export const EV_LOCKOSTHREAD: u32 = 27;   // a = lockedInt after, b = lockedExt
export const EV_UNLOCKOSTHREAD: u32 = 28; // a = lockedInt after, b = lockedExt
export const EV_STACK_USE: u32 = 29;      // a = C SP after
export const EV_CRASH: u32 = 30;          // a = crash kind
export const EV_BOUNDS_CLEARED: u32 = 31; // dropm cleared g0 bounds
export const EV_MORESTACK: u32 = 32;      // a = SP at the prologue, b = stackguard0
export const EV_COPYSTACK: u32 = 33;      // a = new lo, b = new hi
export const EV_STACKFREE: u32 = 34;      // a = old lo, b = old hi
export const EV_GC: u32 = 35;             // a = goroutines scanned
export const EV_SHRINK_DEFERRED: u32 = 36;// a = goid (preemptShrink set)
export const EV_SHRINK_SKIPPED: u32 = 37; // a = goid, b = why (1 too small, 2 too used, 3 gcshrinkstackoff)
export const EV_CALL: u32 = 38;           // a = SP after the push, b = function pc
export const EV_RETURN: u32 = 39;         // a = SP after the pop, b = restored BP
export const EV_TRACE_ADVANCE: u32 = 40;  // a = new generation
export const EV_TRACE_STACK: u32 = 41;    // a = goid, b = frames walked + 1 (0: slow path)
export const EV_PREEMPT_REQUEST: u32 = 42;// a = goid
export const EV_PREEMPTED: u32 = 43;      // a = goid, b = M id it left
export const EV_SCHEDULE: u32 = 44;       // a = M id, b = 1 if it waits for its locked goroutine
export const EV_EXECUTE: u32 = 45;        // a = goid, b = M id that runs it now
export const EV_HANDOFF: u32 = 46;        // a = goid, b = M id that found it (startlockedm)
export const EV_POINT: u32 = 47;          // a = point id, b = goid: an `at` hook runs
export const EV_DEFER: u32 = 48;          // a = which deferred call (1 unwindm, 2 ctxt pop, 3 unlockOSThread)
export const EV_PARK: u32 = 49;           // a = goid, b = wait reason
export const EV_TRACE_PARK: u32 = 50;     // a = goid, b = frames walked + 1 (GoBlock's stack)
export const EV_PIN_IGNORED: u32 = 51;    // a = goid, b = id of the busy M that resumeOn named

// ---- run state ----

export let stopReason: u32 = STOP_RUNNING;
export let curOp: i32 = 0;           // op index being executed (for crash and event attribution)
export let stepsLeft: u64 = 0;
export let recordEvents: bool = false;
let hashLane0: u64 = 0;
let hashLane1: u64 = 0;
let hashLane2: u64 = 0;
let hashLane3: u64 = 0;
let eventsTotal: u64 = 0;   // counted while recording: tells the host whether the log was cut
let eventsRecorded: u32 = 0;

// FNV-1a's 64-bit prime and offset basis: the mix is FNV-like on whole words, which is enough for a
// determinism fingerprint (not a cryptographic hash).
// @ts-ignore: decorator
@inline const HASH_PRIME: u64 = 0x100000001b3;
// @ts-ignore: decorator
@inline const HASH_BASIS: u64 = 0xcbf29ce484222325;

export function setStopDone(): void { stopReason = STOP_DONE; }
export function curOpNow(): u32 { return <u32>curOp; }
/** The op being executed: kept in the result area too, so a trap or a spent budget can name it. */
export function setCurOp(op: i32): void {
  curOp = op;
  store<u32>(RESULT_LOCATION, <u32>op, 8);
}
export function setStepsLeft(n: u64): void { stepsLeft = n; }
export function spendStep(): bool {
  if (stepsLeft == 0) {
    stopReason = STOP_BUDGET;
    return false;
  }
  stepsLeft--;
  return true;
}

export function resetResults(record: bool): void {
  memory.fill(RESULT_LOCATION, 0, 1024);
  stopReason = STOP_RUNNING;
  curOp = 0;
  recordEvents = record;
  hashLane0 = HASH_BASIS;
  hashLane1 = HASH_BASIS ^ 1;
  hashLane2 = HASH_BASIS ^ 2;
  hashLane3 = HASH_BASIS ^ 3;
  eventsTotal = 0;
  eventsRecorded = 0;
}

// @ts-ignore: decorator
@inline export function count(counter: i32): void {
  const p = RESULT_LOCATION + 128 + (<usize>counter << 3);
  store<u64>(p, load<u64>(p) + 1);
}

export function addCount(counter: i32, n: u64): void {
  const p = RESULT_LOCATION + 128 + (<usize>counter << 3);
  store<u64>(p, load<u64>(p) + n);
}

/**
 * One event: always mixed into the trace hash; stored only when recording.
 *
 * Every simulated event pays for this, so the hash is four independent lanes chosen by event kind
 * (a constant at each inlined call site): each lane's chain (xor, rotate, add on a global) is a
 * quarter as long, and the CPU runs the four side by side. Order across lanes within one op is not
 * hashed; the op index is, and the model's order inside one op is fixed code order anyway.
 */
// @ts-ignore: decorator
@inline export function emit(kind: u32, threadIdx: i32, mIdx: i32, a: u64, b: u64): void {
  const actor = (<u64><u32>threadIdx << 40) ^ (<u64><u32>mIdx << 32);
  const word = ((<u64>kind << 48) ^ (<u64>curOp << 24) ^ actor ^ a ^ rotl<u64>(b, 29)) * HASH_PRIME;
  const lane = kind & 3;
  if (lane == 0) hashLane0 = rotl<u64>(hashLane0 ^ word, 27) + HASH_BASIS;
  else if (lane == 1) hashLane1 = rotl<u64>(hashLane1 ^ word, 27) + HASH_BASIS;
  else if (lane == 2) hashLane2 = rotl<u64>(hashLane2 ^ word, 27) + HASH_BASIS;
  else hashLane3 = rotl<u64>(hashLane3 ^ word, 27) + HASH_BASIS;
  if (recordEvents) record(kind, threadIdx, mIdx, a, b);
}

@inline function hashFinal(h: u64): u64 {
  // A final avalanche (splitmix64's) so that nearby traces do not give nearby hashes.
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9;
  h = (h ^ (h >> 27)) * 0x94d049bb133111eb;
  return h ^ (h >> 31);
}

function traceHash(): u64 {
  return hashFinal(hashFinal(hashFinal(hashFinal(hashLane0) ^ hashLane1) ^ hashLane2) ^ hashLane3);
}

function record(kind: u32, threadIdx: i32, mIdx: i32, a: u64, b: u64): void {
  const n = eventsTotal++;
  const slot = n < <u64>EVENTS_HEAD ? <u32>n : <u32>EVENTS_HEAD + <u32>((n - <u64>EVENTS_HEAD) & <u64>(MAX_EVENTS - EVENTS_HEAD - 1));
  const p = EVENTS_LOCATION + <usize>slot * EVENT_SIZE;
  store<u32>(p, kind, 0);
  store<u32>(p, <u32>curOp, 4);
  store<i32>(p, threadIdx, 8);
  store<i32>(p, mIdx, 12);
  store<u64>(p, a, 16);
  store<u64>(p, b, 24);
  if (eventsRecorded < <u32>MAX_EVENTS) eventsRecorded++;
}

function finishCrash(reason: u32, kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  stopReason = reason;
  const r = RESULT_LOCATION;
  store<u32>(r, kind, 4);
  store<u32>(r, <u32>curOp, 8);
  store<i32>(r, threadIdx, 12);
  store<i32>(r, mIdx, 16);
  store<i32>(r, gIdx, 20);
  store<u32>(r, fn, 24);
  emit(EV_CRASH, threadIdx, mIdx, kind, 0);
}

/** Ends the run with a crash of the modelled runtime; operands are set with crashOperand first. */
export function crash(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  finishCrash(STOP_CRASH, kind, threadIdx, mIdx, gIdx, fn);
}

export function uaf(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  finishCrash(STOP_UAF, kind, threadIdx, mIdx, gIdx, fn);
}

/** Ends the run with an input error found while running. */
export function invalid(kind: u32, threadIdx: i32): void {
  finishCrash(STOP_INVALID, kind, threadIdx, -1, -1, 0);
}

// @ts-ignore: decorator
@inline export function crashOperand(i: i32, v: u64): void {
  store<u64>(RESULT_LOCATION + 56 + (<usize>i << 3), v);
}

export function finishResults(stepsUsed: u64): void {
  const r = RESULT_LOCATION;
  store<u32>(r, stopReason, 0);
  store<u32>(r, eventsRecorded, 28);
  store<u64>(r, eventsTotal, 32);
  store<u64>(r, traceHash(), 40);
  store<u64>(r, stepsUsed, 48);
}
