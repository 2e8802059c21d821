// Results: what a run leaves for the host. Counters, the crash record (which check failed, with its
// operands: the host formats the exact text the real runtime prints), the event log and the trace
// hash. Nothing here calls out to JS: the host reads the area after the batch returns.
//
// The result area's layout, the event record and every code stored in them are in abi.ts.
//
// Event area, EVENTS_LOCATION (MAX_EVENTS records): the first EVENTS_HEAD events in order, then a
// ring of the last MAX_EVENTS - EVENTS_HEAD. A run that ends in a crash after millions of events
// keeps how it started and how it ended (the part that explains the crash); the host puts the
// ring back in order from eventsTotal and marks the gap.
//
//   [0, EVENTS_HEAD)            events 0 .. EVENTS_HEAD-1
//   [EVENTS_HEAD, MAX_EVENTS)   event n (n >= EVENTS_HEAD) at EVENTS_HEAD + (n - EVENTS_HEAD) % ring

import {
  EVENTS_HEAD, EVENT_SIZE, EVR_A, EVR_B, EVR_KIND, EVR_M, EVR_OP, EVR_THREAD, EV_CRASH, MAX_EVENTS,
  RESULT_SIZE, RES_COUNTERS, RES_CRASH_FN, RES_CRASH_G, RES_CRASH_KIND, RES_CRASH_M, RES_CRASH_OP,
  RES_CRASH_OPERANDS, RES_CRASH_THREAD, RES_EVENTS_RECORDED, RES_EVENTS_TOTAL, RES_STEPS_USED,
  RES_STOP_REASON, RES_TRACE_HASH, STOP_BUDGET, STOP_CORRUPT, STOP_CRASH, STOP_DEADLINE, STOP_DONE, STOP_FAILED, STOP_INVALID, STOP_RUNNING,
  STOP_UAF, WORK_MEMORY, WORK_OPS, MAX_WINDOW_BYTES,
} from './abi';
import { EVENTS_LOCATION, RESULT_LOCATION, TOUCHED_LOCATION, TOUCHED_BYTES, windowBase } from './memory';

// ---- run state ----

export let stopReason: u32 = STOP_RUNNING;
export let curOp: i32 = 0;           // op index being executed (for crash and event attribution)
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
  store<u32>(RESULT_LOCATION + RES_CRASH_OP, <u32>op);
}
/** The op events are attributed to, without the result-area copy (a fused handler sets that when it stops). */
// @ts-ignore: decorator
@inline export function attribute(op: u32): void { curOp = <i32>op; }

// ---- the budget ----
//
// The budget bounds real work, not op count: every unit ("step") stands for roughly the same time
// (about 5 ns on the machines we measured; README "Budgets and deadlines"). An op costs one step,
// and whatever it loops over costs more: each `repeat` turn (empty bodies too), each frame pushed,
// returned from or walked, each goroutine visited, each KiB of memory filled or copied, each entry of
// the region table searched. Events are paid for in the cost of the ops that emit them. Loops that
// can run long spend with spend(), which checks; short bounded scans inside an op add a debt(), which
// the next check collects and which names the op that incurred it.
//
// fuel counts down to the next check that has to leave the fast path: the end of the budget, or,
// with a deadline, the next time the host is asked whether the wall clock has run out (every
// checkEvery steps, never per event).

// What a run was doing when it ran out is one of abi.ts's WORK_* codes.

@external("env", "deadlinePassed")
declare function deadlinePassed(): i32; // i32, not bool: asc's raw bindings would wrap a bool import

export let fuel: i64 = 0;
let reserve: i64 = 0;     // budget not yet moved into fuel
let budgetSteps: i64 = 0;
let checkEvery: i64 = 0;  // 0: no deadline
let debtWhat: u32 = 0;
let debtOp: i32 = 0;

// Simulated memory costs by the KiB once its pages are in use, but the first write to a page of the
// window in a process costs a page fault, and on some machines (the Firecracker VMs we measured:
// about 55 MB/s) that dwarfs everything else. Whether a page is fresh for the process depends on
// earlier runs in the instance, which a deterministic budget must not see, so each run charges every
// 4 KiB page it fills or copies into the first time in that run as if it were fresh: a step per
// 4 bytes, so a budget spent on nothing else touches at most 80 MB (about 1.4 s on those VMs).
// @ts-ignore: decorator
@inline const PAGE_SHIFT: u64 = 12;  // TOUCHED (memory.ts) has a bit per page of the largest window
// @ts-ignore: decorator
@inline const FRESH_PAGE_STEPS: u64 = 1024;
// @ts-ignore: decorator
@inline const MEMORY_STEP_SHIFT: u64 = 7; // a step per 128 bytes filled or copied (about 4 GB/s)
if ((<u64>TOUCHED_BYTES << (PAGE_SHIFT + 3)) < MAX_WINDOW_BYTES) ERROR('TOUCHED_BYTES has no bit for some page of the largest window');

/**
 * Charges filling or copying [addr, addr + bytes) of the window, before the work is done: false
 * when the budget cannot pay for it (the caller skips the work; the run is over).
 */
export function chargeMemory(addr: u64, bytes: u64): bool {
  if (bytes == 0) return stopReason == STOP_RUNNING;
  let fresh: u64 = 0;
  const first = (addr - windowBase) >> PAGE_SHIFT;
  const last = (addr - windowBase + bytes - 1) >> PAGE_SHIFT;
  // A byte of the bitmap (eight pages) at a time: the pages of [first, last] in it are masked.
  const firstByte = <i32>(first >> 3);
  const lastByte = <i32>(last >> 3);
  for (let b = firstByte; b <= lastByte; b++) {
    const lo = b == firstByte ? <u32>(first & 7) : 0;
    const hi = b == lastByte ? <u32>(last & 7) : 7;
    const mask = (0xff >> (7 - hi)) & (0xff << lo);
    const at = TOUCHED_LOCATION + <usize>b;
    const v = <u32>load<u8>(at);
    fresh += <u64>popcnt<u32>(mask & ~v);
    store<u8>(at, <u8>(v | mask));
  }
  if (firstByte < touchedLo) touchedLo = firstByte;
  if (lastByte > touchedHi) touchedHi = lastByte;
  return spend((bytes >> MEMORY_STEP_SHIFT) + fresh * FRESH_PAGE_STEPS, WORK_MEMORY);
}

/** A new run's budget; checkSteps > 0 asks the host about its deadline every checkSteps steps. */
export function setBudget(budget: u64, checkSteps: u64): void {
  budgetSteps = <i64>budget;
  checkEvery = <i64>checkSteps;
  fuel = checkEvery > 0 && checkEvery < budgetSteps ? checkEvery : budgetSteps;
  reserve = budgetSteps - fuel;
  debtWhat = WORK_OPS;
  debtOp = 0;
}

// The bytes of TOUCHED the run has set, [touchedLo, touchedHi] (chargeMemory is its only writer):
// the next reset clears those, not the whole bitmap.
let touchedLo: i32 = TOUCHED_BYTES;
let touchedHi: i32 = -1;

/** A new run has touched no page yet. */
export function resetTouched(): void {
  if (touchedHi >= touchedLo) memory.fill(TOUCHED_LOCATION + <usize>touchedLo, 0, <usize>(touchedHi - touchedLo + 1));
  touchedLo = TOUCHED_BYTES;
  touchedHi = -1;
}

/** Spends n steps of work of kind `what`; false when the run stopped (budget or deadline). */
// @ts-ignore: decorator
@inline export function spend(n: u64, what: u32): bool {
  fuel -= <i64>n;
  return fuel >= 0 || refuel(n, what);
}

/** Adds n steps of bounded work without a check; the next spend() collects it. */
// @ts-ignore: decorator
@inline export function debt(n: u64, what: u32): void {
  fuel -= <i64>n;
  debtWhat = what;
  debtOp = curOp;
}

/** Out of fuel: move the reserve in, ask the host about the deadline, or stop. */
function refuel(n: u64, what: u32): bool {
  if (stopReason != STOP_RUNNING) return false;
  const left = fuel + reserve;
  if (left < 0) {
    // Whoever drove the balance negative is named: this spend, or a debt before it.
    const byDebt = fuel + <i64>n + reserve < 0;
    stopBudget(STOP_BUDGET, byDebt ? debtWhat : what, byDebt ? debtOp : curOp);
    return false;
  }
  // The host is told how far the run has got (its progress report reads stepsUsed) before it is asked.
  if (checkEvery > 0) store<u64>(RESULT_LOCATION + RES_STEPS_USED, <u64>(budgetSteps - left));
  if (checkEvery > 0 && deadlinePassed() != 0) {
    stopBudget(STOP_DEADLINE, what, curOp);
    return false;
  }
  fuel = checkEvery > 0 && checkEvery < left ? checkEvery : left;
  reserve = left - fuel;
  return true;
}

/** A debt left by the last op that no spend() collected: the run ends over budget. */
export function settleBudget(): void {
  if (stopReason == STOP_RUNNING && fuel + reserve < 0) stopBudget(STOP_BUDGET, debtWhat, debtOp);
}

function stopBudget(reason: u32, what: u32, op: i32): void {
  stopReason = reason;
  store<u32>(RESULT_LOCATION + RES_CRASH_KIND, what);
  store<u32>(RESULT_LOCATION + RES_CRASH_OP, <u32>op);
}

/** Steps spent, at most the budget. */
export function stepsSpent(): u64 {
  const left = fuel + reserve;
  return left <= 0 ? <u64>budgetSteps : <u64>(budgetSteps - left);
}

export function resetResults(record: bool): void {
  memory.fill(RESULT_LOCATION, 0, RESULT_SIZE);
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
  const p = RESULT_LOCATION + RES_COUNTERS + (<usize>counter << 3);
  store<u64>(p, load<u64>(p) + 1);
}

export function addCount(counter: i32, n: u64): void {
  const p = RESULT_LOCATION + RES_COUNTERS + (<usize>counter << 3);
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

/**
 * An event recorded like any other but not mixed into the trace hash: bookkeeping the model gained
 * after the golden hashes were taken (abi.ts names the kinds that use it), whose effect on a run
 * reaches the hash through the hashed events that depend on it.
 */
export function note(kind: u32, threadIdx: i32, mIdx: i32, a: u64, b: u64): void {
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
  store<u32>(p + EVR_KIND, kind);
  store<u32>(p + EVR_OP, <u32>curOp);
  store<i32>(p + EVR_THREAD, threadIdx);
  store<i32>(p + EVR_M, mIdx);
  store<u64>(p + EVR_A, a);
  store<u64>(p + EVR_B, b);
  if (eventsRecorded < <u32>MAX_EVENTS) eventsRecorded++;
}

function finishCrash(reason: u32, kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  // A run whose budget or deadline ran out mid-op ends there, whatever the rest of the op meets.
  if (stopReason == STOP_BUDGET || stopReason == STOP_DEADLINE) return;
  stopReason = reason;
  const r = RESULT_LOCATION;
  store<u32>(r + RES_CRASH_KIND, kind);
  store<u32>(r + RES_CRASH_OP, <u32>curOp);
  store<i32>(r + RES_CRASH_THREAD, threadIdx);
  store<i32>(r + RES_CRASH_M, mIdx);
  store<i32>(r + RES_CRASH_G, gIdx);
  store<u32>(r + RES_CRASH_FN, fn);
  emit(EV_CRASH, threadIdx, mIdx, kind, 0);
}

/** Ends the run with a crash of the modelled runtime; operands are set with crashOperand first. */
export function crash(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  finishCrash(STOP_CRASH, kind, threadIdx, mIdx, gIdx, fn);
}

/** Ends the run with verdict "failed": an `assert` step found the runtime in the wrong state. */
export function failed(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32): void {
  finishCrash(STOP_FAILED, kind, threadIdx, mIdx, gIdx, 0);
}

export function uaf(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  finishCrash(STOP_UAF, kind, threadIdx, mIdx, gIdx, fn);
}

/** Ends the run with the model's finding that memory was silently overwritten (verdict corrupt). */
export function corrupt(kind: u32, threadIdx: i32, mIdx: i32, gIdx: i32, fn: u32): void {
  finishCrash(STOP_CORRUPT, kind, threadIdx, mIdx, gIdx, fn);
}

/** Ends the run with an input error found while running. */
export function invalid(kind: u32, threadIdx: i32): void {
  finishCrash(STOP_INVALID, kind, threadIdx, -1, -1, 0);
}

// @ts-ignore: decorator
@inline export function crashOperand(i: i32, v: u64): void {
  store<u64>(RESULT_LOCATION + RES_CRASH_OPERANDS + (<usize>i << 3), v);
}

export function finishResults(stepsUsed: u64): void {
  const r = RESULT_LOCATION;
  store<u32>(r + RES_STOP_REASON, stopReason);
  store<u32>(r + RES_EVENTS_RECORDED, eventsRecorded);
  store<u64>(r + RES_EVENTS_TOTAL, eventsTotal);
  store<u64>(r + RES_TRACE_HASH, traceHash());
  store<u64>(r + RES_STEPS_USED, stepsUsed);
}
