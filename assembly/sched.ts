// The scheduler, as far as goroutines that cross between C and Go need it (docs/model.md
// §8.2, §8.3, §12.1): preemption requests, synchronous preemption, schedule(), locked goroutines
// handed back to their M, and the seeded choice of which M runs a goroutine next.
//
// Glossary:
//   preemption request   g.preempt set and g.stackguard0 = stackPreempt (sysmon, GC, or the
//                        scenario's `preempt`). The next splittable prologue fails its check.
//   preemption point     where the model checks: before a goroutine op that starts with a
//                        splittable call, and at the wrappers of deferred calls on the callback's
//                        way back to C (callback.ts). Runtime locks are not modelled, so a pending
//                        request always preempts there (canPreemptM holds).
//   gopreempt_m          the goroutine becomes runnable and goes to the global run queue; its M
//                        calls schedule(). Its Go frames stay with it (frames.ts).
//   schedule()           throws "schedule: in cgo" if the M is in a cgo call; an M with a locked
//                        goroutine waits for it (stoplockedm); otherwise the M looks for work.
//   execute              some M takes a runnable goroutine: its locked M if it has one
//                        (startlockedm hands it over), the M a scenario pinned with resumeOn, or
//                        one chosen by the seeded strategy among the Ms that can run Go now.
//
// Strategies: random (a uniform choice per decision) and pct (probabilistic concurrency testing:
// each M gets a random priority; the highest-priority candidate wins; at a few random decision
// points the winner's priority drops below every other).

import {
  CRASH_SCHEDULE_IN_CGO, FN_GOPREEMPT_M, FN_PARK_M, C_HANDOFFS, C_READIES, EV_READY, C_PARKS, C_PINS_IGNORED, C_PREEMPTIONS, C_PREEMPT_REQUESTS, C_SCHEDULES,
  EV_EXECUTE, EV_HANDOFF, EV_PARK, EV_PIN_IGNORED, EV_PREEMPTED, EV_PREEMPT_REQUEST, EV_SCHEDULE,
  F_TRACER_V2, F_TRACE_EMIT_BEFORE_CAS, G_RUNNABLE, G_RUNNING, G_WAITING, MAX_GS, MAX_MS,
  POINT_GOSCHED_AFTER_STATUS, POINT_PARK_AFTER_STATUS, POINT_STW_WAITING, STOP_RUNNING, STRATEGY_RANDOM,
  TF_GO, WORK_OPS, WR_STOPPING_THE_WORLD,
} from './abi';
import {
  MSTATE_LOCATION, PRIORITY_LOCATION, RESUME_ON_LOCATION, RNG_JUMP_LOCATION, RUNQ_LOCATION,
} from './memory';
import { thread, mrec, grec } from './records';
import { traceGoPark } from './trace';
import { atPoint } from './points';
import { shrinkstack, underNewstack } from './stack';
import { has } from './profile';
import { count, emit, crash, crashOperand, debt, stopReason } from './results';
import { stackGuard } from './profile';
import { mCount, clearTouched } from './runtime';

// @ts-ignore: decorator
@inline const STACK_PREEMPT: u64 = 0xfffffffffffffade;

// M scheduling states (kept beside the M records: the records have no room left).
// @ts-ignore: decorator
@inline export const MS_RUNNING: u8 = 0;      // running a goroutine, or in C for one
// @ts-ignore: decorator
@inline export const MS_IDLE: u8 = 1;         // a Go-created M with nothing to run (stopm)
// @ts-ignore: decorator
@inline export const MS_LOCKED_WAIT: u8 = 2;  // stoplockedm: waiting for its locked goroutine
// @ts-ignore: decorator
@inline export const MS_EXITED: u8 = 3;       // its goroutine exited while locked: the thread is gone

// Per goroutine: 1 + the M slot a `preempt ... resumeOn` pinned (0: none).
// The global run queue: a ring of goroutine indices.

let runqHead: u32 = 0;
let runqTail: u32 = 0;
let rngState: u64 = 1;
let strategy: u32 = STRATEGY_RANDOM; // STRATEGY_*
let decisions: u32 = 0;
let changePoints: u64 = 0;      // pct: bit i set = decision i lowers the winner's priority
let lowestPriority: i32 = 0;

// @ts-ignore: decorator
@inline export function mState(mi: i32): u8 { return load<u8>(MSTATE_LOCATION + <usize>mi); }
// @ts-ignore: decorator
@inline export function setMState(mi: i32, s: u8): void { store<u8>(MSTATE_LOCATION + <usize>mi, s); }

// @ts-ignore: decorator
@inline function xorshift(x: u64): u64 {
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  return x;
}

function next(): u64 {
  // xorshift64*: a small PRNG; the seed makes every choice replayable.
  const x = xorshift(rngState);
  rngState = x;
  return x * 0x2545f4914f6cdd1d;
}

// The first MAX_MS draws of a run are the Ms' pct priorities. xorshift64's step is linear over
// GF(2), so its MAX_MS-th power is a 64x64 bit matrix (JUMP, one column per state bit, built once):
// a reset jumps the choice stream past those draws in 64 steps, and the priorities themselves are
// drawn only when pct first reads them, from their own copy of the stream. Same numbers as drawing
// them all at every reset.
// JUMP as eight tables of 256 entries, one per state byte: entry b of table k is the XOR of the
// columns of the bits set in b, so a jump is eight loads.
let jumpReady: bool = false;
let prioState: u64 = 1;
let prioFilled: i32 = 0;

function buildJump(): void {
  for (let k = 0; k < 8; k++) {
    const table = RNG_JUMP_LOCATION + (<usize>k << 11);
    store<u64>(table, 0);
    for (let bit = 0; bit < 8; bit++) {
      // The column of state bit 8k + bit: a unit vector pushed through MAX_MS steps.
      let v: u64 = <u64>1 << <u64>(8 * k + bit);
      for (let n = 0; n < MAX_MS; n++) v = xorshift(v);
      const half = 1 << bit;
      for (let b = 0; b < half; b++) store<u64>(table + (<usize>(half + b) << 3), load<u64>(table + (<usize>b << 3)) ^ v);
    }
  }
  jumpReady = true;
}

function jumpPastPriorities(x: u64): u64 {
  if (!jumpReady) buildJump();
  let r: u64 = 0;
  for (let k = 0; k < 8; k++) {
    r ^= load<u64>(RNG_JUMP_LOCATION + (<usize>k << 11) + (<usize>((x >> (<u64>k << 3)) & 0xff) << 3));
  }
  return r;
}

/** Draws the priorities of Ms [0, n) that are not drawn yet. */
function ensurePriorities(n: i32): void {
  while (prioFilled < n) {
    prioState = xorshift(prioState);
    store<i32>(PRIORITY_LOCATION + (<usize>prioFilled << 2), <i32>((prioState * 0x2545f4914f6cdd1d) >> 33));
    prioFilled++;
  }
}

/** For the differential test: the jump equals MAX_MS plain draws from the same seed. */
export function testRngJump(seed: u64): bool {
  let x = seed == 0 ? 1 : seed;
  const jumped = jumpPastPriorities(x);
  for (let k = 0; k < MAX_MS; k++) x = xorshift(x);
  return x == jumped;
}

/** usedMs, usedGs: the counts the last run reached (only those entries can be non-zero). */
export function resetSched(seed: u64, strat: u32, usedMs: i32, usedGs: i32): void {
  runqHead = 0;
  runqTail = 0;
  rngState = seed * 0x9e3779b97f4a7c15 + 0x632be59bd9b4e019;
  if (rngState == 0) rngState = 1;
  strategy = strat;
  decisions = 0;
  clearTouched(MSTATE_LOCATION, usedMs, 1, MAX_MS, 'M states'); // MS_RUNNING is 0
  clearTouched(RESUME_ON_LOCATION, usedGs, 4, MAX_GS, 'resumeOn pins');
  prioState = rngState;
  prioFilled = 0;
  rngState = jumpPastPriorities(rngState);
  lowestPriority = 0;
  // pct with depth 3: two change points among the first 16 decisions.
  changePoints = (<u64>1 << (next() & 15)) | (<u64>1 << (next() & 15));
}

/** A goroutine record reused for a new goroutine: no pin left over from the dead one. */
export function clearResumeOn(gi: i32): void {
  store<u32>(RESUME_ON_LOCATION + (<usize>gi << 2), 0);
}

export function setResumeOn(gi: i32, mslot: i32): void {
  store<u32>(RESUME_ON_LOCATION + (<usize>gi << 2), <u32>(mslot + 1));
}

/** A preemption request for goroutine gi (sysmon, the GC, or the scenario). */
export function requestPreempt(ti: i32, gi: i32): void {
  const gp = grec(gi);
  gp.preempt = 1;
  gp.stackguard0 = STACK_PREEMPT;
  count(C_PREEMPT_REQUESTS);
  emit(EV_PREEMPT_REQUEST, ti, <i32>gp.m - 1, gp.goid, 0);
}

export function runqEmpty(): bool { return runqHead == runqTail; }
export function runqLen(): u32 { return runqTail - runqHead; }

/** Would the goroutine at the head of the run queue find no M to run it? */
export function needsNewM(): bool {
  if (runqEmpty()) return false;
  const gi = load<i32>(RUNQ_LOCATION + (<usize>(runqHead % <u32>MAX_GS) << 2));
  if (grec(gi).lockedm != 0) return false;
  debt(<u64>mCount, WORK_OPS);
  for (let i = 0; i < mCount; i++) if (canRun(i)) return false;
  return true;
}

function runqPut(gi: i32): void {
  store<i32>(RUNQ_LOCATION + (<usize>(runqTail % <u32>MAX_GS) << 2), gi);
  runqTail++;
}

export function runqGet(): i32 {
  const gi = load<i32>(RUNQ_LOCATION + (<usize>(runqHead % <u32>MAX_GS) << 2));
  runqHead++;
  return gi;
}

/**
 * gopreempt_m → goschedImpl for goroutine gi on M mi, then schedule() on that M. Returns false
 * when schedule() threw.
 */
export function gopreempt(ti: i32, mi: i32, gi: i32, viaNewstack: bool = true): bool {
  const gp = grec(gi);
  const m = mrec(mi);
  count(C_PREEMPTIONS);
  emit(EV_PREEMPTED, ti, mi, gp.goid, <u64>m.id);
  // A shrink the GC could not do when it scanned this goroutine happens at its next synchronous
  // preemption (newstack: preemptShrink).
  if (viaNewstack && gp.preemptShrink != 0) {
    gp.preemptShrink = 0;
    underNewstack();
    crashOperand(7, 0); // no callee: the goroutine's section starts at its own frames
    if (!shrinkstack(ti, mi, gi)) return false;
  }
  // goschedImpl: GoStop/GoPreempt with the goroutine's stack, before (go1.23+, v1 tracer) or
  // after (go1.22) the status change that gives the stack away.
  const bp = gp.schedBp;
  const emitFirst = !has(F_TRACER_V2) || has(F_TRACE_EMIT_BEFORE_CAS);
  if (emitFirst && !traceGoPark(ti, mi, gi, bp, true)) return false;
  gp.status = G_RUNNABLE;
  atPoint(ti, POINT_GOSCHED_AFTER_STATUS, gi);
  if (stopReason != STOP_RUNNING) return false;
  if (!emitFirst && !traceGoPark(ti, mi, gi, bp, true)) return false;
  gp.preempt = 0;
  gp.stackguard0 = gp.stackLo + stackGuard;
  // dropg
  m.curg = 0;
  gp.m = 0;
  thread(ti).tlsG = m.g0;
  runqPut(gi);
  return schedule(ti, mi, FN_GOPREEMPT_M);
}

/**
 * readMemStats' stopTheWorld: the calling goroutine waits "for the GC" (casGToWaitingForGC,
 * waitReasonStoppingTheWorld) while it keeps running on the system stack and the tracer records
 * the STW event with its stack. A GC that shrinks it meanwhile frees the stack under that walk,
 * unless the profile refuses to shrink goroutines waiting for the GC while tracing (573155).
 */
export function stopTheWorld(ti: i32, mi: i32, gi: i32): bool {
  const gp = grec(gi);
  const bp = gp.schedBp;
  gp.status = G_WAITING;
  gp.waitreason = WR_STOPPING_THE_WORLD;
  atPoint(ti, POINT_STW_WAITING, gi);
  if (stopReason != STOP_RUNNING) return false;
  // Its status maps to "running" for the tracer (isWaitingForGC): the ownership check passes.
  // The v1 tracer's STW events carry no stack.
  if (has(F_TRACER_V2) && !traceGoPark(ti, mi, gi, bp, true)) return false;
  gp.status = G_RUNNING;
  gp.waitreason = 0;
  return true;
}

/**
 * gopark → park_m for goroutine gi on M mi: the status change and the tracer's GoBlock in the
 * profile's order (trace.ts), with the interleaving point between the status change and what
 * follows it; then dropg and schedule(). A goroutine parked on a channel, a wait group or a
 * timer (sync.ts) is made runnable again by goready.
 */
export function gopark(ti: i32, mi: i32, gi: i32, reason: u32): bool {
  const gp = grec(gi);
  const m = mrec(mi);
  const bp = gp.schedBp; // mcall saved the context park_m starts from
  count(C_PARKS);
  emit(EV_PARK, ti, mi, gp.goid, <u64>reason);
  const emitFirst = !has(F_TRACER_V2) || has(F_TRACE_EMIT_BEFORE_CAS);
  if (emitFirst && !traceGoPark(ti, mi, gi, bp, true)) return false;
  gp.status = G_WAITING;
  gp.waitreason = reason;
  atPoint(ti, POINT_PARK_AFTER_STATUS, gi);
  if (stopReason != STOP_RUNNING) return false;
  if (!emitFirst && !traceGoPark(ti, mi, gi, bp, true)) return false;
  m.curg = 0;
  gp.m = 0;
  thread(ti).tlsG = m.g0;
  return schedule(ti, mi, FN_PARK_M);
}

/**
 * goready: a parked goroutine becomes runnable and joins the run queue, where the next M that looks
 * for work takes it (its locked M if it has one: a callback's goroutine goes back to its C thread).
 */
export function goready(ti: i32, gi: i32): void {
  const gp = grec(gi);
  const reason = gp.waitreason;
  gp.status = G_RUNNABLE;
  gp.waitreason = 0;
  gp.waitOn = 0;
  runqPut(gi);
  count(C_READIES);
  emit(EV_READY, ti, -1, gp.goid, <u64>reason);
}

/** newproc: a new goroutine, runnable, in the run queue without an M. */
export function runqPutNew(gi: i32): void { runqPut(gi); }

/** schedule() on M mi, which has just given up its goroutine. */
function schedule(ti: i32, mi: i32, via: u32): bool {
  const m = mrec(mi);
  count(C_SCHEDULES);
  if (m.incgo != 0) {
    crashOperand(0, <u64>m.id);
    crash(CRASH_SCHEDULE_IN_CGO, ti, mi, -1, via);
    return false;
  }
  if (m.lockedg != 0) {
    setMState(mi, MS_LOCKED_WAIT);
    emit(EV_SCHEDULE, ti, mi, <u64>m.id, 1);
  } else {
    setMState(mi, MS_IDLE);
    emit(EV_SCHEDULE, ti, mi, <u64>m.id, 0);
  }
  return true;
}

/** Can M mi take a goroutine from the run queue now? */
@inline function canRun(mi: i32): bool {
  const m = mrec(mi);
  return m.inUse != 0 && m.isextra == 0 && mState(mi) == MS_IDLE && m.thread != 0 &&
    (thread(<i32>m.thread - 1).flags & TF_GO) != 0;
}

/** The seeded choice among the Ms that can run Go now (random or pct). */
function chooseM(): i32 {
  debt(<u64>mCount * 2, WORK_OPS);
  let n = 0;
  for (let i = 0; i < mCount; i++) if (canRun(i)) n++;
  if (n == 0) return -1;
  const d = decisions++;
  if (strategy == STRATEGY_RANDOM) {
    let pick = <i32>((next() >> 32) % <u64>n); // the high bits: xorshift64*'s low bits are weak
    for (let i = 0; i < mCount; i++) {
      if (!canRun(i)) continue;
      if (pick-- == 0) return i;
    }
    return -1;
  }
  ensurePriorities(mCount);
  let best = -1;
  let bestPriority: i32 = i32.MIN_VALUE;
  for (let i = 0; i < mCount; i++) {
    if (!canRun(i)) continue;
    const p = load<i32>(PRIORITY_LOCATION + (<usize>i << 2));
    if (best < 0 || p > bestPriority) {
      best = i;
      bestPriority = p;
    }
  }
  if (d < 64 && (changePoints & (<u64>1 << <u64>d)) != 0) {
    store<i32>(PRIORITY_LOCATION + (<usize>best << 2), --lowestPriority - 0x40000000);
  }
  return best;
}

/**
 * findRunnable/execute for the next goroutine in the run queue: which M runs it. `mslotBase` maps
 * a resumeOn pin (an M slot) to its M index (the host's slots are the first M records). Returns
 * the M that now runs the goroutine (its thread continues it), or -1 if no M can.
 */
export function dispatch(ti: i32): i32 {
  if (runqEmpty()) return -1;
  const gi = runqGet();
  const gp = grec(gi);
  let mi: i32 = -1;
  const pin = load<u32>(RESUME_ON_LOCATION + (<usize>gi << 2));
  if (pin != 0) {
    store<u32>(RESUME_ON_LOCATION + (<usize>gi << 2), 0);
    mi = <i32>pin - 1;
    if (!canRun(mi)) {
      // The pinned M is busy (in C, running another goroutine, or gone): the scheduler decides,
      // and the log says so.
      count(C_PINS_IGNORED);
      emit(EV_PIN_IGNORED, ti, mi, gp.goid, <u64>mrec(mi).id);
      mi = -1;
    }
  }
  if (mi < 0) mi = chooseM();
  if (gp.lockedm != 0 && <i32>gp.lockedm - 1 != mi) {
    // startlockedm: whoever found it hands it to the M it is locked to.
    const owner = <i32>gp.lockedm - 1;
    count(C_HANDOFFS);
    emit(EV_HANDOFF, ti, owner, gp.goid, mi < 0 ? 0 : <u64>mrec(mi).id);
    mi = owner;
  }
  if (mi < 0) return -1;
  execute(mi, gi);
  return mi;
}

/** execute(gp) on M mi: it runs the goroutine from where it stopped. */
function execute(mi: i32, gi: i32): void {
  const m = mrec(mi);
  const gp = grec(gi);
  setMState(mi, MS_RUNNING);
  m.curg = <u32>gi + 1;
  gp.m = <u32>mi + 1;
  gp.status = G_RUNNING;
  // execute: a fresh time slice; any earlier request is satisfied.
  gp.preempt = 0;
  gp.stackguard0 = gp.stackLo + stackGuard;
  const ti = <i32>m.thread - 1;
  thread(ti).tlsG = <u32>gi + 1;
  thread(ti).m = <u32>mi + 1;
  emit(EV_EXECUTE, ti, mi, gp.goid, <u64>m.id);
}
