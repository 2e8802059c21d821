// The interpreter: runs a compiled scenario from the op stream until it finishes, crashes, finds a
// use-after-free, meets an input error, or spends its step budget. One call per run; nothing
// crosses to JS until it returns.
//
// The op record, the op codes and the config block are declared in abi.ts (the host writes them).

import {
  CFG_BUDGET, CFG_DEADLINE_CHECK, CFG_FLAGS, CFG_G0_CHECK_DEPTH, CFG_GODEBUG, CFG_GOID_BASE, CFG_INTERPRETER_ONLY,
  CFG_MAX_STACK, CFG_N_BLOCKS, CFG_N_FUNCS, CFG_N_GS, CFG_N_MS, CFG_N_OPS, CFG_N_THREADS, CFG_PLATFORM,
  CFG_RECORD_EVENTS,
  CFG_RUNTIME_STARTED, CFG_SEED, CFG_STRATEGY, CFG_TIMELINE_END, CFG_TRACEBACK_CONTEXT, CFG_WINDOW_BASE,
  CFG_WINDOW_SIZE, CFG_PHYSICAL, PLATFORM_WORD_CLASS_SHIFT, PLATFORM_WORD_PHYSICAL, PHYS_MALLOC_MUSL, PHYS_MALLOC_GLIBC, PLATFORM_MUSL, MALLOC_AT, MALLOC_GUARD, GUARD_PAGE_BYTES,
  RK_GUARD, RK_CARVED, RS_FREE_SLOT, OP_CARVE, INVALID_BAD_CARVE, C_AT_UNFIRED, C_BLOCKS, C_FREES, C_MALLOCS, C_RESUMES, C_SWITCHES, C_THREADS,
  C_THREAD_EXITS, EV_BLOCK, EV_CALL, EV_FREE, EV_MALLOC, EV_RESUME, EV_RETURN, EV_STACK_USE, EV_SWITCH,
  EV_THREAD, EV_THREAD_EXIT, GODEBUG_GCSHRINKSTACKOFF, GODEBUG_INVALIDPTR_OFF,
  GODEBUG_TRACECHECKSTACKOWNERSHIP, INVALID_BAD_SWITCH, INVALID_BLOCK_LIVE, INVALID_C_STACK_OVERFLOW,
  INVALID_FREED_TWICE, INVALID_NOT_BLOCKED, INVALID_NO_SPACE, INVALID_REGION_OVERLAP, INVALID_THREAD_BLOCKED,
  INVALID_THREAD_EXITED, INVALID_THREAD_IN_GO, INVALID_SP_OUTSIDE, INVALID_TOO_DEEP, INVALID_TOO_MANY, MAX_BLOCKS,
  MAX_FUNCS, MAX_HOST_GS, MAX_HOST_MS, MAX_HOST_THREADS, MAX_OPS, MAX_OP_CODE, MAX_THREADS, OPR_A, OPR_CODE, OP_ASSERT, OP_RECOVER, OP_PANIC, OP_GOEXIT, TF_SPAWNED,
  OP_MAKECHAN, OP_SEND, OP_RECV, OP_CLOSE, OP_SLEEP, OP_WG_ADD, OP_WG_WAIT, OP_JOIN, CRASH_HANG, EV_JOIN, OP_PULL, OP_NEXT, OP_YIELD, OP_STOP, C_THREADS_SPAWNED, OPR_D,
  OPR_E, OPR_END, OPR_START, OPR_V, OPR_W, OPR_X, OPR_Y, OPR_Z, OP_AT, OP_CALL, OP_CALLBACK, OP_CGOCALL,
  OP_C_BLOCK, OP_C_STACK, OP_EXIT, OP_FREE, OP_GC, OP_GO, OP_GOSCHED, OP_GROW, OP_LOCK, OP_MALLOC, OP_PARK,
  OP_PREEMPT, OP_READMEMSTATS, OP_REPEAT, OP_RESUME, OP_SETMAXSTACK, OP_SIGNAL, OP_SIGALTSTACK, OP_OS_EXIT, OP_ATEXIT, OP_SWITCH, GO_M_MAIN, GO_REPEATED, OP_SYSTEMSTACK,
  OP_THREAD, OP_TRACE_ADVANCE, OP_TRACE_START, OP_TRACE_STOP, OP_UNLOCK, POINT_PROLOGUE, PREEMPT_HOOK_G,
  RF_GROW, RK_MALLOC, RK_THREAD_STACK, RS_FREED, RS_LIVE, RUN_NO_WINDOW, STOP_RUNNING, STRATEGY_PCT,
  TF_BLOCKED, THREAD_EXITED, THREAD_LIVE, WORK_OPS, WORK_PUSH, WORK_REPEAT, WORK_RETURN, WORK_WAIT,
} from './abi';
import { BLOCKS_LOCATION, CONFIG_LOCATION, configureWindow, opPtr, windowBase, windowSize } from './memory';
import { thread, region, CThread, grec, mrec } from './records';
import { configureProfile, mCacheActive, platform } from './profile';
import {
  stopReason, spend, setCurOp, setBudget, settleBudget, stepsSpent, resetResults, resetTouched, finishResults,
  count, addCount, emit, invalid, crashOperand, setStopDone, curOpNow, crash,
} from './results';
import {
  resetRegions, addRegion, freeRegion, place, liveOverlap, reportOverlap, C_HEAP_POISON, mallocPlace, regionCount,
} from './regions';
import { resetRuntime, newTid, clearTouched, mCount, gCount, allocSpawnedThread, latestG } from './runtime';
import { setG0CheckDepth } from './stackbounds';
import {
  checkDepthOf, configurePhysical, callbackSp, g0Work, G0W_GC, G0W_GC_NETPOLL, G0W_STW, G0W_TRACE_ADVANCE, G0W_TRACE_START,
  G0W_TRACE_STOP, netpollLive, physicalOn,
} from './physical';
import {
  callbackEnter, signalEnter, signalExit, signalInGo, cgocallEnter, cgocallExit, systemstack, goStart, goExit,
  startRuntime, lockOSThreadExt, unlockOSThreadExt, idleM, callbackReturn, g1Pending, preemptPoint,
  enterCgocallbackg1, ENTRY_SP_OFFSET, newproc, goInstance, instanceGoid,
} from './cgocall';
import {
  resetSync, makechan, chansend, chanrecv, closechan, wgAdd, wgWait, timeSleep, advanceClock, fireNextTimer,
  newcoro, coroNext, coroYield, coroStop, coroExit,
} from './sync';
import { dropm } from './extram';
import { setAltStack } from './signalstack';
import { osExit, atexit, processExit, resetExitPhase } from './exitphase';
import { fusedRoundTrips, roundTrips, roundTripCalls, roundTripCgocalls } from './roundtrip';
import { assertStep, forgetSameM } from './assert';
import { gopanic, recoverEnter, recoverExit } from './panic';
import { callFunc, returnFunc, gcCycle, initRuntimeFuncs, setMaxStack, pushSteps } from './stack';
import { resetTrace, traceStart, traceAdvance, traceStop, tracingNow } from './trace';
import {
  resetSched, requestPreempt, setResumeOn, gopreempt, gopark, stopTheWorld, dispatch, runqEmpty, needsNewM,
  mState, MS_RUNNING,
} from './sched';
import { resetPoints, addHook, setHookRunner, hookG, unfiredHooks } from './points';
import {
  Frame, frameAt, depthOf, pushFrame, popFrame, resetFrames, gctx, callFrame, repeatFrame, callbackFrame,
  cgocallFrame, goroutineFrame, signalFrame, FK_SEQ, FK_REPEAT, FK_CALLBACK, FK_CGOCALL, FK_GOROUTINE, FK_SIGNAL,
  FK_CALL, FK_RECOVER, recoverFrame,
} from './frames';

let opCount: u32 = 0;     // ops in the stream this run (config nOps): the decode bound
let blocksUsed: i32 = 0; // blocks the current run may name (the high-water mark for the next reset)
let physicalBits: u32 = 0;  // the config's physical word (PHYS_*)
// Where `malloc` without `at` puts a block this run: the simulator's own arena (regions.ts place,
// the only policy before the physical model), glibc's or musl's allocator (regions.ts mallocPlace).
// @ts-ignore: decorator
@inline const MALLOC_RUNTIME: i32 = 0;
// @ts-ignore: decorator
@inline const MALLOC_GLIBC: i32 = 1;
// @ts-ignore: decorator
@inline const MALLOC_MUSL: i32 = 2;
let mallocPolicy: i32 = MALLOC_RUNTIME;
// Below a carved stack the carving frame calls swapcontext: its return address and saved words.
// @ts-ignore: decorator
@inline const CARVE_CALL_BYTES: u64 = 16;

@inline function opCode(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_CODE); }
@inline function opA(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_A); }
@inline function opStart(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_START); }
@inline function opEnd(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_END); }
@inline function opD(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_D); }
@inline function opE(i: u32): u32 { return load<u32>(opPtr(<i32>i), OPR_E); }
@inline function opX(i: u32): u64 { return load<u64>(opPtr(<i32>i), OPR_X); }
@inline function opY(i: u32): u64 { return load<u64>(opPtr(<i32>i), OPR_Y); }
@inline function opZ(i: u32): u64 { return load<u64>(opPtr(<i32>i), OPR_Z); }
@inline function opW(i: u32): u64 { return load<u64>(opPtr(<i32>i), OPR_W); }
@inline function opV(i: u32): u64 { return load<u64>(opPtr(<i32>i), OPR_V); }

// What an op costs: one step plus the runtime path behind it, in steps of about the time of
// one `repeat` turn (bench/budget.ts measures them). Loops inside an op are charged where they run.
// A new op costs 1 until it is measured and added here.
function opSteps(code: u32): u64 {
  switch (code) {
    case OP_CALLBACK: return 21;
    case OP_GO: return 11;
    case OP_SIGNAL: return 7;
    case OP_EXIT: case OP_CGOCALL: case OP_PARK: case OP_READMEMSTATS: return 5;
    case OP_THREAD: case OP_MALLOC: case OP_FREE: case OP_RESUME: case OP_GC: case OP_PREEMPT: case OP_GOSCHED: return 3;
    case OP_SWITCH: case OP_LOCK: case OP_UNLOCK: case OP_CALL:
    case OP_TRACE_START: case OP_TRACE_ADVANCE: case OP_TRACE_STOP: return 2;
    default: return 1;
  }
}

@inline function blockRegion(b: u32): i32 { return <i32>load<u32>(BLOCKS_LOCATION + (<usize>b << 2)) - 1; }
@inline function setBlockRegion(b: u32, r: i32): void { store<u32>(BLOCKS_LOCATION + (<usize>b << 2), <u32>(r + 1)); }

/** A thread the timeline names must be live and not blocked in C. */
// @ts-ignore: decorator
@inline function usableThread(ti: i32): bool {
  const t = thread(ti);
  // A thread whose M is in schedule() (its goroutine parked or runnable elsewhere) is stuck in Go.
  const inScheduler = t.m != 0 && mState(<i32>t.m - 1) != MS_RUNNING;
  if (t.state != THREAD_EXITED && (t.flags & TF_BLOCKED) == 0 && !inScheduler) return true;
  invalid(t.state == THREAD_EXITED ? INVALID_THREAD_EXITED : inScheduler ? INVALID_THREAD_IN_GO : INVALID_THREAD_BLOCKED, ti);
  return false;
}

function opThread(op: u32): void {
  const ti = <i32>opA(op);
  const lo = opX(op);
  const hi = opY(op);
  const other = liveOverlap(lo, hi);
  if (other >= 0) {
    reportOverlap(lo, hi, other);
    return invalid(INVALID_REGION_OVERLAP, ti);
  }
  const ri = addRegion(lo, hi, RK_THREAD_STACK, <u32>ti, -1);
  if (ri < 0) return invalid(INVALID_TOO_MANY, ti);
  startThread(ti, opD(op), lo, hi, ri);
}

/** A new live thread on its pthread stack [lo, hi) (region ri), at the stack's entry SP. */
function startThread(ti: i32, flags: u32, lo: u64, hi: u64, ri: i32): void {
  const t = thread(ti);
  t.state = THREAD_LIVE;
  t.flags = flags;
  t.tid = newTid((flags & 1) != 0);
  t.stackLo = lo;
  t.stackHi = hi;
  t.curLo = lo;
  t.curHi = hi;
  t.region = <u32>ri + 1;
  t.curRegion = <u32>ri + 1;
  t.sp = hi - ENTRY_SP_OFFSET;
  count(C_THREADS);
  emit(EV_THREAD, ti, -1, lo, hi);
}

/**
 * `thread` in a C body: pthread_create of a thread whose start routine calls the exported Go
 * function fn, then pthread_join. The thread runs to its end at once (the creator waits for it in
 * join): a callback at the top of its new stack (needm), its return, the thread's exit (the
 * pthread-key destructor: dropm where the profile binds Ms). Its record and stack go back for reuse.
 */
function spawnThread(ti: i32, size: u64, start: u32, end: u32, op: u32): void {
  const nt = allocSpawnedThread();
  if (nt < 0) return invalid(INVALID_TOO_MANY, ti);
  forgetSameM(nt);
  const lo = place(size, false);
  if (lo == 0) return invalid(INVALID_NO_SPACE, ti);
  const hi = lo + size;
  const ri = addRegion(lo, hi, RK_THREAD_STACK, <u32>nt, -1);
  if (ri < 0) return invalid(INVALID_TOO_MANY, ti);
  startThread(nt, TF_SPAWNED, lo, hi, ri);
  count(C_THREADS_SPAWNED);
  const t = thread(nt);
  callbackEnter(nt, t.sp, 0, start, end, op);
  drainThread(nt);
  if (stopReason != STOP_RUNNING) return;
  // pthread_join waits for the thread: one blocked in C never ends.
  if ((t.flags & TF_BLOCKED) != 0) return invalid(INVALID_THREAD_BLOCKED, nt);
  opExit(nt);
}

function opMalloc(op: u32): void {
  const b = opA(op);
  if (blockRegion(b) >= 0 && region(blockRegion(b)).state == RS_LIVE) return invalid(INVALID_BLOCK_LIVE, -1);
  const size = opX(op);
  const bits = opD(op);
  const guard: u64 = (bits & MALLOC_GUARD) != 0 ? GUARD_PAGE_BYTES : 0;
  let lo = opY(op);
  if ((bits & MALLOC_AT) == 0) {
    // A guarded block is a mapping of its own (mmap + mprotect); a plain one comes from the C
    // library's allocator (regions.ts mallocPlace, by the scenario's malloc policy).
    if (guard != 0) {
      lo = place(size + guard, false);
      if (lo != 0) lo += guard;
    } else {
      lo = mallocPolicy == MALLOC_RUNTIME ? place(size, false) : mallocPlace(size, mallocPolicy == MALLOC_MUSL);
    }
    if (lo == 0) return invalid(INVALID_NO_SPACE, -1);
  } else {
    const other = liveOverlap(lo - guard, lo + size);
    if (other >= 0) {
      reportOverlap(lo - guard, lo + size, other);
      return invalid(INVALID_REGION_OVERLAP, -1);
    }
  }
  // Fresh blocks read as zeros: the simulated malloc is calloc, so a run never sees bytes left
  // by an earlier run in the same instance.
  const ri = addRegion(lo, lo + size, RK_MALLOC, b, 0);
  if (ri < 0) return invalid(INVALID_TOO_MANY, -1);
  if (guard != 0 && addRegion(lo - guard, lo, RK_GUARD, b, -1) < 0) return invalid(INVALID_TOO_MANY, -1);
  setBlockRegion(b, ri);
  count(C_MALLOCS);
  emit(EV_MALLOC, -1, -1, lo, lo + size);
}

function opFree(op: u32): void {
  const ri = blockRegion(opA(op));
  if (ri < 0 || region(ri).state != RS_LIVE) return invalid(INVALID_FREED_TWICE, -1);
  const r = region(ri);
  if (r.kind == RK_CARVED) {
    // The function that carved it returns: the thread stack's bytes are the thread's again.
    r.state = RS_FREE_SLOT;
  } else {
    freeRegion(ri, C_HEAP_POISON);
    // munmap takes the guard page with the block.
    for (let i = 0; i < regionCount; i++) {
      const g = region(i);
      if (g.state == RS_LIVE && g.kind == RK_GUARD && g.hi == r.lo && g.owner == opA(op)) g.state = RS_FREE_SLOT;
    }
  }
  count(C_FREES);
  emit(EV_FREE, -1, -1, region(ri).lo, region(ri).hi);
}

/**
 * `carve`: a coroutine stack cut out of the thread's own live stack (alloca, or a local array in
 * the frame that runs the fiber): [hi - size, hi) just below the thread's SP, whose SP then sits
 * below it (the carving frame's call of swapcontext). Overflowing it writes into the thread's own
 * live frames, not onto a guard page.
 */
function opCarve(op: u32): void {
  const ti = <i32>opA(op);
  const b = opD(op);
  if (!usableThread(ti)) return;
  if (blockRegion(b) >= 0 && region(blockRegion(b)).state == RS_LIVE) return invalid(INVALID_BLOCK_LIVE, ti);
  const t = thread(ti);
  const size = opX(op);
  const hi = t.sp & ~(<u64>15);
  if (t.curRegion != t.region || hi < t.curLo + size + CARVE_CALL_BYTES || size > hi) {
    crashOperand(0, t.sp);
    crashOperand(1, size);
    crashOperand(2, t.curLo);
    crashOperand(3, t.curHi);
    return invalid(INVALID_BAD_CARVE, ti);
  }
  const lo = hi - size;
  const ri = addRegion(lo, hi, RK_CARVED, b, 0);
  if (ri < 0) return invalid(INVALID_TOO_MANY, ti);
  setBlockRegion(b, ri);
  t.sp = lo - CARVE_CALL_BYTES;
  count(C_MALLOCS);
  emit(EV_MALLOC, ti, <i32>t.m - 1, lo, hi);
}

/** swapcontext: a coroutine starts near the top of its block; the own stack resumes where it was. */
function switchStack(ti: i32, target: u32): void {
  const t = thread(ti);
  if (t.curRegion == t.region) t.ownStackSp = t.sp; // the thread stack's saved context
  if (target == 0) {
    t.curLo = t.stackLo;
    t.curHi = t.stackHi;
    t.curRegion = t.region;
    t.sp = t.ownStackSp;
  } else {
    const ri = blockRegion(target - 1);
    // A block that was never allocated (its malloc did not run), or too small to hold the
    // frames a coroutine starts with, cannot be switched to.
    if (ri < 0 || region(ri).hi - region(ri).lo <= ENTRY_SP_OFFSET + 16) return invalid(INVALID_BAD_SWITCH, ti);
    const r = region(ri);
    t.curLo = r.lo;
    t.curHi = r.hi;
    t.curRegion = <u32>ri + 1;
    t.sp = r.hi - ENTRY_SP_OFFSET;
  }
  count(C_SWITCHES);
  emit(EV_SWITCH, ti, <i32>t.m - 1, t.curLo, t.curHi);
}

function opExit(ti: i32): void {
  const t = thread(ti);
  // The pthread-key destructor: cgocallback(nil, g0) → dropm, for a thread that bound an M.
  if (t.tlsG != 0 && t.boundG0 != 0 && mCacheActive()) {
    const mi = <i32>grec(<i32>t.boundG0 - 1).m - 1;
    if (!dropm(ti, mi, t.sp)) return;
  }
  t.boundG0 = 0;
  t.state = THREAD_EXITED;
  if (t.region != 0) region(<i32>t.region - 1).state = RS_FREED;
  count(C_THREAD_EXITS);
  emit(EV_THREAD_EXIT, ti, -1, t.tid, 0);
}

function opResume(ctx: i32, op: u32): void {
  let ti: i32;
  if (opE(op) != 0) {
    ti = <i32>opA(op);
  } else {
    const gp = grec(latestG(<i32>opA(op)));
    ti = gp.m == 0 ? -1 : <i32>mrec(<i32>gp.m - 1).thread - 1;
  }
  if (ti < 0 || (thread(ti).flags & TF_BLOCKED) == 0) return invalid(INVALID_NOT_BLOCKED, ti);
  thread(ti).flags &= ~TF_BLOCKED;
  count(C_RESUMES);
  emit(EV_RESUME, ti, <i32>thread(ti).m - 1, 0, 0);
  drainThread(ti);
}

function cStack(ti: i32, bytes: u64): void {
  const t = thread(ti);
  if (t.sp - bytes < t.curLo || t.sp - bytes > t.sp) {
    crashOperand(0, t.sp);
    crashOperand(1, bytes);
    crashOperand(2, t.curLo);
    crashOperand(3, t.curHi);
    return invalid(INVALID_C_STACK_OVERFLOW, ti);
  }
  t.sp -= bytes;
  emit(EV_STACK_USE, ti, <i32>t.m - 1, t.sp, bytes);
}

/** The goroutine running Go code on thread ti. */
@inline function curG(ti: i32): i32 { return <i32>mrec(<i32>thread(ti).m - 1).curg - 1; }

/** `call`: push `depth` frames of the op's function (each with its prologue check), run the body. */
function opCall(ctx: i32, ti: i32, op: u32): void {
  const mi = <i32>thread(ti).m - 1;
  const gi = curG(ti);
  const k = <i32>opA(op);
  const depth = opD(op);
  if (!spend(<u64>depth * pushSteps(k), WORK_PUSH)) return;
  for (let i: u32 = 0; i < depth; i++) {
    if (!callFunc(ti, mi, gi, k)) return;
  }
  const pushed = pushFrame(ctx, FK_CALL, opStart(op), opEnd(op), op);
  if (pushed == null) return invalid(INVALID_TOO_DEEP, ti);
  const f = callFrame(pushed);
  f.depth = depth;
  f.m = <u32>mi + 1;
  const gp = grec(gi);
  emit(EV_CALL, ti, mi, gp.schedSp, gp.schedPc);
}

/** `grow`: recurse until `bytes` of the goroutine stack are in use, then return all the way. */
function opGrow(ti: i32, bytes: u64): void {
  const mi = <i32>thread(ti).m - 1;
  const gi = curG(ti);
  const gp = grec(gi);
  let frames: u32 = 0;
  const frameSteps = pushSteps(RF_GROW);
  while (gp.stackHi - gp.schedSp < bytes) {
    if (!spend(frameSteps, WORK_PUSH)) return;
    if (!callFunc(ti, mi, gi, RF_GROW)) return;
    frames++;
  }
  emit(EV_CALL, ti, mi, gp.schedSp, <u64>frames);
  if (!spend(<u64>frames, WORK_RETURN)) return;
  for (let i: u32 = 0; i < frames; i++) {
    if (!returnFunc(ti, mi, gi)) return;
  }
  emit(EV_RETURN, ti, mi, gp.schedSp, gp.schedBp);
}

/** `callback`: C code on thread ti (the timeline's, ctx 0, or a C body's) calls the exported Go body. */
function callbackOp(ctx: i32, ti: i32, op: u32): void {
  if (ctx == 0 && !usableThread(ti)) return;
  // SP_cb: given, or below the C caller's SP by the entry frames (physical.ts).
  const given = opD(op) != 0;
  const cSp = thread(ti).sp;
  const entry = !given && physicalOn;
  const sp = given ? opX(op) : entry ? callbackSp(cSp) : cSp;
  // A callback's SP lies on the stack its C code runs on; one below it would make the runtime
  // derive bounds from an address no stack holds ([sp - 32KiB, …) wraps below 32KiB). Above
  // the stack's top is left to the scenario (the g0 check's boundary tests use it).
  const t = thread(ti);
  if (sp < t.curLo) {
    crashOperand(0, sp);
    crashOperand(1, t.curLo);
    crashOperand(2, t.curHi);
    return invalid(INVALID_SP_OUTSIDE, ti);
  }
  callbackEnter(ti, sp, entry ? cSp : 0, opStart(op), opEnd(op), op, opE(op) != 0);
  if (ctx == 0) {
    if (fastPaths && coveredBody(opStart(op), opEnd(op), 0)) fusedCallback(ti);
    drainThread(ti);
  }
}

/** Executes one op in context ctx on thread ti (for the timeline: the thread the op names). */
function exec(ctx: i32, ti: i32, op: u32): void {
  // Decode bounds (debug core): the op is in the stream, its code is one the interpreter knows,
  // and its body lies inside the stream.
  assert(op < opCount, 'decode: op index past the stream');
  const code = opCode(op);
  assert(code != 0 && code <= MAX_OP_CODE, 'decode: unknown op code');
  assert(opStart(op) <= opEnd(op) && opEnd(op) <= opCount, 'decode: op body outside the stream');
  switch (code) {
    case OP_SYSTEMSTACK: systemstack(ti); break;
    case OP_CALLBACK: callbackOp(ctx, ti, op); break;
    case OP_REPEAT: {
      if (opA(op) == 0) break;
      const f = pushFrame(ctx, FK_REPEAT, opStart(op), opEnd(op), op);
      if (f == null) return invalid(INVALID_TOO_DEEP, ti);
      repeatFrame(f).left = opA(op);
      break;
    }
    case OP_CGOCALL: cgocallEnter(ti, opStart(op), opEnd(op), op, opD(op) != 0); break;
    case OP_LOCK: lockOSThreadExt(ti); break;
    case OP_UNLOCK: unlockOSThreadExt(ti); break;
    case OP_C_STACK: cStack(ti, opX(op)); break;
    case OP_SWITCH: {
      if (ctx == 0 && !usableThread(ti)) return;
      switchStack(ti, opD(op));
      break;
    }
    case OP_C_BLOCK: {
      thread(ti).flags |= TF_BLOCKED;
      count(C_BLOCKS);
      emit(EV_BLOCK, ti, <i32>thread(ti).m - 1, 0, 0);
      break;
    }
    case OP_THREAD: {
      if (ctx == 0) opThread(op);
      else spawnThread(ti, opX(op), opStart(op), opEnd(op), op);
      break;
    }
    case OP_MALLOC: opMalloc(op); break;
    case OP_CARVE: opCarve(op); break;
    case OP_FREE: opFree(op); break;
    case OP_SIGNAL: {
      if (ctx > MAX_THREADS) { // in a Go body: the signal interrupts the Go code running here
        signalInGo(ti);
        break;
      }
      if (!usableThread(ti)) return;
      signalEnter(ti, opX(op), opD(op) != 0, opStart(op), opEnd(op), op);
      drainThread(ti);
      break;
    }
    case OP_OS_EXIT: osExit(ti, opD(op) != 0, op); break;
    case OP_ATEXIT: atexit(ti, op); break;
    case OP_SIGALTSTACK: {
      if (!usableThread(ti)) return;
      setAltStack(ti, opD(op) == 0 ? -1 : blockRegion(opD(op) - 1));
      break;
    }
    case OP_EXIT: {
      if (usableThread(ti)) opExit(ti);
      break;
    }
    case OP_GO: {
      let gi = <i32>opA(op);
      let goid = opV(op);
      if ((opE(op) & GO_REPEATED) != 0) {
        gi = goInstance(ctx == 0 ? -1 : ti, gi, goid);
        if (gi < 0) return;
        goid = instanceGoid;
      }
      if (ctx != 0) {
        newproc(ti, gi, goid, opX(op), opY(op), opStart(op), opEnd(op), op);
        break;
      }
      const gti = goStart(gi, goid, <i32>opD(op), opX(op), opY(op), opZ(op), opW(op),
        opStart(op), opEnd(op), op, (opE(op) & GO_M_MAIN) != 0);
      if (gti >= 0) drainThread(gti);
      break;
    }
    case OP_RESUME: opResume(ctx, op); break;
    case OP_CALL: opCall(ctx, ti, op); break;
    case OP_GROW: opGrow(ti, opX(op)); break;
    case OP_GC: {
      // runtime.GC() from Go: its stop/start-the-world and wait run on this M's g0 first.
      if (ctx != 0 && !g0Work(ti, <i32>thread(ti).m - 1, netpollLive ? G0W_GC_NETPOLL : G0W_GC)) return;
      gcCycle(ti, ctx == 0 ? -1 : <i32>thread(ti).m - 1);
      break;
    }
    case OP_SETMAXSTACK: setMaxStack(opX(op)); break;
    // From Go (a body: ctx != 0) the tracer's stop/start-the-world and table work run on this M's
    // g0 first (the physical model's frames; nothing without it); on the timeline or in an `at`
    // hook they run on some other M.
    case OP_TRACE_START: {
      if (ctx != 0 && !tracingNow() && !g0Work(ti, <i32>thread(ti).m - 1, G0W_TRACE_START)) return;
      traceStart(ctx == 0 ? -1 : ti);
      break;
    }
    case OP_TRACE_ADVANCE: {
      if (ctx != 0 && tracingNow() && !g0Work(ti, <i32>thread(ti).m - 1, G0W_TRACE_ADVANCE)) return;
      traceAdvance(ctx == 0 ? -1 : ti);
      break;
    }
    case OP_TRACE_STOP: {
      if (ctx != 0 && tracingNow() && !g0Work(ti, <i32>thread(ti).m - 1, G0W_TRACE_STOP)) return;
      traceStop(ctx == 0 ? -1 : ti);
      break;
    }
    case OP_PREEMPT: {
      if (ctx == 0) {
        // In an `at` step list, a preempt without a goroutine means the one at the point.
        const gi = opA(op) == PREEMPT_HOOK_G ? hookG : latestG(<i32>opA(op));
        if (gi < 0) break;
        if (grec(gi).inUse == 0) break; // not started yet: nothing to preempt
        if (opD(op) != 0) {
          const mi = idleM(<i32>opD(op) - 1);
          if (mi < 0) return;
          setResumeOn(gi, mi);
        }
        requestPreempt(-1, gi);
      } else {
        requestPreempt(ti, curG(ti));
      }
      break;
    }
    case OP_GOSCHED: gopreempt(ti, <i32>thread(ti).m - 1, curG(ti), false); break;
    case OP_PARK: gopark(ti, <i32>thread(ti).m - 1, curG(ti), opA(op)); break;
    case OP_READMEMSTATS: {
      if (!g0Work(ti, <i32>thread(ti).m - 1, netpollLive ? G0W_GC_NETPOLL : G0W_STW)) return;
      stopTheWorld(ti, <i32>thread(ti).m - 1, curG(ti));
      break;
    }
    case OP_RECOVER: recoverEnter(ctx, ti, opStart(op), opEnd(op), op, opA(op)); break;
    case OP_PANIC: gopanic(ti, opA(op), false); break;
    case OP_GOEXIT: gopanic(ti, 0, true); break;
    case OP_ASSERT: assertStep(ctx == 0 ? -1 : ti, opA(op), opD(op) != 0, opX(op)); break;
    case OP_MAKECHAN: makechan(ctx == 0 ? -1 : ti, opA(op), <u32>opX(op)); break;
    case OP_SEND: chansend(ti, opA(op)); break;
    case OP_RECV: chanrecv(ti, opA(op)); break;
    case OP_CLOSE: closechan(ti, opA(op)); break;
    case OP_WG_ADD: wgAdd(ti, opA(op), <i64>opX(op)); break;
    case OP_WG_WAIT: wgWait(ti, opA(op)); break;
    case OP_SLEEP: {
      // time.Sleep in Go; usleep in C or on the timeline: time passes for everyone.
      if (ctx > MAX_THREADS) timeSleep(ti, opX(op));
      else advanceClock(ctx == 0 ? -1 : ti, opX(op));
      break;
    }
    case OP_JOIN: opJoin(ti); break;
    case OP_PULL: newcoro(ti, opA(op), <i32>opD(op), opV(op), opStart(op), opEnd(op), op); break;
    case OP_NEXT: coroNext(ti, opA(op)); break;
    case OP_YIELD: coroYield(ti, opA(op)); break;
    case OP_STOP: coroStop(ti, opA(op)); break;
    case OP_AT: {
      if (!addHook(opA(op), <i32>opD(op) - 1, op)) return invalid(INVALID_TOO_MANY, -1);
      break;
    }
    default: unreachable();
  }
}

/** Ends frame f of ctx, running on thread ti: the return half of whatever entered it. */
function finishFrame(ctx: i32, ti: i32, f: Frame): void {
  const kind = f.kind;
  if (kind == FK_REPEAT) {
    if (--repeatFrame(f).left != 0) {
      f.pc = f.start;
      return;
    }
    popFrame(ctx);
    return;
  }
  // The return half belongs to the op that entered the frame, in events and crash reports.
  setCurOp(<i32>f.op);
  if (kind == FK_CALLBACK) {
    // Pops its own frame when done; a preemption on the way leaves it for the next M.
    callbackReturn(ti, ctx, ctx - MAX_THREADS - 1, callbackFrame(f));
    return;
  }
  popFrame(ctx);
  if (kind == FK_SEQ && opCode(f.op) == OP_OS_EXIT) processExit(ti);
  else if (kind == FK_CGOCALL) cgocallExit(ti, cgocallFrame(f));
  else if (kind == FK_GOROUTINE) {
    // A coroutine's body ends in coroexit (the goroutine waiting in it runs), any other in goexit.
    const gf = goroutineFrame(f);
    if (gf.coro != 0) coroExit(ti, gf.coro - 1);
    else goExit(ti, gf);
  }
  else if (kind == FK_SIGNAL) signalExit(ti, signalFrame(f));
  else if (kind == FK_RECOVER) recoverExit(ti, recoverFrame(f));
  else if (kind == FK_CALL) {
    const mi = <i32>f.m - 1;
    const gi = curG(ti);
    const depth = callFrame(f).depth;
    if (!spend(<u64>depth, WORK_RETURN)) return;
    for (let i: u32 = 0; i < depth; i++) {
      if (!returnFunc(ti, mi, gi)) return;
    }
    emit(EV_RETURN, ti, mi, grec(gi).schedSp, grec(gi).schedBp);
  }
}

/** What thread ti runs now: its goroutine's Go code while TLS.g is that goroutine, else its C code. */
// @ts-ignore: decorator
@inline function activeCtx(ti: i32): i32 {
  const g = thread(ti).tlsG;
  if (g != 0 && grec(<i32>g - 1).isG0 == 0) return gctx(<i32>g - 1);
  return ti + 1;
}

/**
 * Runs thread ti until it is back in C with nothing left to do, blocks in C, or the run stops,
 * following it across every C/Go crossing.
 */
function drainThread(ti: i32): void {
  while (stopReason == STOP_RUNNING) {
    const t = thread(ti);
    if ((t.flags & TF_BLOCKED) != 0) return;
    // An M in schedule() (idle, or waiting for its locked goroutine) runs nothing here.
    if (t.m != 0 && mState(<i32>t.m - 1) != MS_RUNNING) return;
    const ctx = activeCtx(ti);
    const depth = depthOf(ctx);
    if (depth == 0) return;
    const f = frameAt(ctx, depth - 1);
    // Every turn of this loop is charged, those that run no op too: an empty `repeat` costs its turns.
    if (ctx > MAX_THREADS && g1Pending(f)) {
      // cgocallbackg1's prologue: a preemption point before the callback's Go code runs.
      if (!spend(1, WORK_OPS)) return;
      const gi = ctx - MAX_THREADS - 1;
      if (preemptPoint(ti, <i32>t.m - 1, gi, POINT_PROLOGUE)) continue;
      if (stopReason != STOP_RUNNING) return;
      enterCgocallbackg1(ti, gi, f);
      continue;
    }
    if (f.pc >= f.end) {
      if (!spend(1, f.kind == FK_REPEAT ? WORK_REPEAT : WORK_RETURN)) return;
      finishFrame(ctx, ti, f);
      continue;
    }
    if (!spend(opSteps(opCode(f.pc)), WORK_OPS)) return;
    if (ctx > MAX_THREADS && startsWithCall(opCode(f.pc))) {
      // A splittable prologue in the goroutine's code: a synchronous preemption point.
      if (preemptPoint(ti, <i32>t.m - 1, ctx - MAX_THREADS - 1, POINT_PROLOGUE)) continue;
      if (stopReason != STOP_RUNNING) return;
    }
    const op = f.pc++;
    setCurOp(<i32>op);
    exec(ctx, ti, op);
  }
}

// ---- fused handlers ----
//
// The interpreter above is the reference. A fused handler runs, for one common op pattern, exactly
// the calls the interpreter would make, in the same order, with the same steps spent and the same
// op attributed, but without the generic dispatch between them (context, depth and frame lookups,
// op decoding, the exec switch). Before each step it checks what the interpreter's loop checks;
// at the first thing it does not cover (a preemption, a stop, a blocked thread, an M not running, a
// frame pushed or popped under it, an op it does not know) it returns, and the interpreter carries
// on from exactly that state. Two levels: fusedCallback, one timeline callback turn by turn (its
// body's systemstack, call and Go→C→Go ops by the interpreter's own functions, without the generic
// dispatch between them), and roundtrip.ts, whole round trips of a `repeat` straight through with
// the records in locals. Config word 120 = 1 turns the fused handlers off; the differential test
// (test/fastpath.test.ts) runs every scenario both ways and compares results, counters and hashes.

let fastPaths: bool = true;
let fusedCallbacks: u32 = 0; // callbacks the fused handler ran to the end (the differential test checks it is used)
let fusedCalls: u32 = 0;     // `call` ops the fused handler ran
let fusedCgocalls: u32 = 0;  // Go→C→Go: `cgocall` ops (with their callbacks) the fused handler ran

/** How many callbacks the fused handlers have completed since the instance started. */
export function fusedCount(): u32 { return fusedCallbacks + roundTrips; }

/**
 * What the fused handlers have run since the instance started (tests check each path is used):
 * 0 callbacks by fusedCallback, 1 round trips by fusedRoundTrips, 2 `call` ops (both levels),
 * 3 `cgocall` ops of a Go→C→Go round trip (both levels), 4 `call` ops in fusedRoundTrips alone,
 * 5 `cgocall` ops in fusedRoundTrips alone.
 */
export function fusedStat(which: u32): u32 {
  return which == 0 ? fusedCallbacks : which == 1 ? roundTrips : which == 2 ? fusedCalls + roundTripCalls :
    which == 3 ? fusedCgocalls + roundTripCgocalls : which == 4 ? roundTripCalls : roundTripCgocalls;
}

// @ts-ignore: decorator
@inline const FUSED_BODY_MAX: u32 = 8;
// @ts-ignore: decorator
@inline const FUSED_NEST_MAX: u32 = 4;

/**
 * Whether fusedCallback covers a Go body: at most FUSED_BODY_MAX ops, each a `systemstack`, a
 * `call` whose body is covered, or a `cgocall` (no nocallback) whose C body is only `callback`s
 * with covered bodies (Go → C → Go), nested at most FUSED_NEST_MAX deep. Anything else would send
 * the handler back to the interpreter at its first op, so it is not entered.
 */
function coveredBody(start: u32, end: u32, nest: u32): bool {
  if (end - start > FUSED_BODY_MAX) return false;
  for (let i = start; i < end; i++) {
    const code = opCode(i);
    if (code == OP_SYSTEMSTACK) continue;
    if (nest >= FUSED_NEST_MAX) return false;
    if (code == OP_CALL) {
      if (!coveredBody(opStart(i), opEnd(i), nest + 1)) return false;
    } else if (code == OP_CGOCALL && opD(i) == 0) {
      const cEnd = opEnd(i);
      if (cEnd - opStart(i) > FUSED_BODY_MAX) return false;
      for (let j = opStart(i); j < cEnd; j++) {
        if (opCode(j) != OP_CALLBACK || !coveredBody(opStart(j), opEnd(j), nest + 1)) return false;
      }
    } else {
      return false;
    }
  }
  return true;
}

/**
 * A timeline callback that callbackEnter has just entered, with a covered body (coveredBody), run
 * turn by turn as drainThread would run it: cgocallbackg1's prologue point and call; each
 * `systemstack` with its prologue point; each `call` (opCall: its prologue checks, growth by
 * copystack included, its frames) and, when its body ends, its return (finishFrame); each `cgocall`
 * (cgocallEnter), its C body's callbacks (callbackOp, cgocallbackg1, their bodies, their return
 * halves) and its return to Go (cgocallExit); then the callback's own return half. Every turn is
 * the interpreter's turn without its generic dispatch: the same checks first (stop, blocked thread,
 * M not running, the thread's g and frame depth where this handler left them), the same steps
 * spent with the same work, the same op attributed, the interpreter's own functions called. At the
 * first turn it does not cover it returns before spending anything for it, and drainThread (which
 * runs after it in any case) carries on from exactly that state.
 */
function fusedCallback(ti: i32): void {
  const t = thread(ti);
  if (stopReason != STOP_RUNNING || (t.flags & TF_BLOCKED) != 0 || t.m == 0) return;
  const mi = <i32>t.m - 1;
  if (mState(mi) != MS_RUNNING || t.tlsG == 0) return;
  const gi = <i32>t.tlsG - 1;
  const gp = grec(gi);
  if (gp.isG0 != 0) return;
  const ctx = gctx(gi);
  const base = depthOf(ctx);
  if (base == 0) return;
  const f0 = frameAt(ctx, base - 1);
  if (!g1Pending(f0)) return;
  const g0Id = mrec(mi).g0;
  const cctx = ti + 1; // the thread's C code: a cgocall's C body runs there
  for (;;) {
    // What drainThread checks at the top of its loop; this handler's thread stays on its M.
    if (stopReason != STOP_RUNNING || (t.flags & TF_BLOCKED) != 0 || t.m != <u32>mi + 1 || mState(mi) != MS_RUNNING) return;
    const g = t.tlsG;
    if (g == <u32>gi + 1) {
      // The goroutine's Go code: the callback's body, a call's, or a nested callback's.
      const depth = depthOf(ctx);
      if (depth < base) return;
      const f = frameAt(ctx, depth - 1);
      if (g1Pending(f)) {
        // cgocallbackg1's prologue: a preemption point, then the call (its turn costs a step).
        if (!spend(1, WORK_OPS)) return;
        if (preemptPoint(ti, mi, gi, POINT_PROLOGUE)) return;
        if (stopReason != STOP_RUNNING) return;
        enterCgocallbackg1(ti, gi, f);
        continue;
      }
      if (f.pc >= f.end) {
        if (depth == base) break; // the callback's body is done: its return half below
        // A call's frames return, or a nested callback returns to its C code.
        if (f.kind != FK_CALL && f.kind != FK_CALLBACK) return;
        if (!spend(1, WORK_RETURN)) return;
        finishFrame(ctx, ti, f);
        continue;
      }
      const code = opCode(f.pc);
      let steps: u64;
      if (code == OP_SYSTEMSTACK) steps = opSteps(OP_SYSTEMSTACK);
      else if (code == OP_CALL) steps = opSteps(OP_CALL);
      else if (code == OP_CGOCALL && opD(f.pc) == 0) steps = opSteps(OP_CGOCALL);
      else return;
      // The op's steps, then its splittable prologue (a preemption point), then the op itself.
      if (!spend(steps, WORK_OPS)) return;
      if (preemptPoint(ti, mi, gi, POINT_PROLOGUE)) return;
      if (stopReason != STOP_RUNNING) return;
      const op = f.pc++;
      setCurOp(<i32>op);
      if (code == OP_SYSTEMSTACK) systemstack(ti);
      else if (code == OP_CALL) {
        opCall(ctx, ti, op);
        fusedCalls++;
      } else {
        cgocallEnter(ti, opStart(op), opEnd(op), op, false);
        fusedCgocalls++;
      }
    } else if (g == g0Id) {
      // The C body of a cgocall the body made: its callbacks, then the return to Go.
      const depth = depthOf(cctx);
      if (depth == 0) return;
      const f = frameAt(cctx, depth - 1);
      if (f.kind != FK_CGOCALL) return;
      if (f.pc >= f.end) {
        if (!spend(1, WORK_RETURN)) return;
        finishFrame(cctx, ti, f);
        continue;
      }
      if (opCode(f.pc) != OP_CALLBACK) return;
      if (!spend(opSteps(OP_CALLBACK), WORK_OPS)) return;
      const op = f.pc++;
      setCurOp(<i32>op);
      callbackOp(cctx, ti, op);
    } else {
      return;
    }
  }
  // The body is done: the return half (a turn of its own), attributed to the callback op.
  if (!spend(1, WORK_RETURN)) return;
  setCurOp(<i32>f0.op);
  callbackReturn(ti, ctx, gi, callbackFrame(f0));
  fusedCallbacks++;
}

/** Go ops whose first step is a call with a splittable prologue. */
@inline function startsWithCall(code: u32): bool {
  return code == OP_CALL || code == OP_RECOVER || code == OP_GROW || code == OP_CGOCALL || code == OP_GC || code == OP_GOSCHED ||
    code == OP_SYSTEMSTACK || code == OP_SEND || code == OP_RECV || code == OP_SLEEP || code == OP_WG_WAIT ||
    code == OP_GO || code == OP_PULL || code == OP_NEXT || code == OP_YIELD || code == OP_STOP;
}

/**
 * Runs the timeline down to frame depth `base`: each op names the thread it acts on. At the top
 * level, goroutines made runnable meanwhile are run by the Ms the scheduler picks.
 */
function drainTimeline(base: u32): void {
  while (stopReason == STOP_RUNNING) {
    const depth = depthOf(0);
    if (depth <= base) return;
    const f = frameAt(0, depth - 1);
    if (f.pc >= f.end) {
      if (!spend(1, f.kind == FK_REPEAT ? WORK_REPEAT : WORK_RETURN)) return;
      finishFrame(0, -1, f);
      continue;
    }
    if (fastPaths && f.kind == FK_REPEAT && f.pc == f.start && f.end == f.start + 1 && opCode(f.pc) == OP_CALLBACK) {
      // A `repeat` of one callback: whole round trips fused, as many as are covered; the
      // interpreter takes the rest (the frame is left as the same number of turns would leave it).
      const r = repeatFrame(f);
      const n = fusedRoundTrips(f.pc, r.left, opSteps(OP_CALLBACK), opSteps(OP_SYSTEMSTACK), opSteps(OP_CALL), opSteps(OP_CGOCALL));
      if (n != 0) {
        r.left -= n;
        if (r.left == 0) {
          f.pc = f.end;
          popFrame(0);
        }
        continue;
      }
    }
    if (!spend(opSteps(opCode(f.pc)), WORK_OPS)) return;
    const op = f.pc++;
    setCurOp(<i32>op);
    exec(0, <i32>opA(op), op);
    if (base == 0) runRunnable();
  }
}

/** findRunnable on the Ms that can take work: each runnable goroutine continues on the M chosen. */
function runRunnable(): bool {
  let ran = false;
  while (stopReason == STOP_RUNNING && !runqEmpty()) {
    // wakep/startm: no M can take it, so the runtime starts one.
    if (needsNewM() && idleM(-1) < 0) return ran;
    const mi = dispatch(-1);
    if (mi < 0) return ran;
    ran = true;
    drainThread(<i32>mrec(mi).thread - 1);
  }
  return ran;
}

/**
 * `join`: the timeline waits (pthread_join, or C waiting for a thread's callback) until thread ti is
 * back in C: the scheduler runs what is runnable and, when nothing is, the next timer fires. When
 * neither can happen the thread never comes back: the process hangs, and the run ends with that.
 */
function opJoin(ti: i32): void {
  while (stopReason == STOP_RUNNING) {
    // Every turn is charged: the scheduler's and the timers' work inside it is charged on its own.
    if (!spend(1, WORK_WAIT)) return;
    const t = thread(ti);
    if (t.state == THREAD_EXITED) break;
    const inGo = t.m != 0 && mState(<i32>t.m - 1) != MS_RUNNING;
    if (!inGo && (t.flags & TF_BLOCKED) == 0) break;
    if (!runqEmpty() && runRunnable()) continue;
    if (stopReason != STOP_RUNNING) return;
    if (fireNextTimer(0xffffffffffffffff)) continue;
    crashOperand(0, t.tid);
    crashOperand(1, (t.flags & TF_BLOCKED) != 0 ? 1 : 0);
    crash(CRASH_HANG, ti, <i32>t.m - 1, -1, 0);
    return;
  }
  if (stopReason == STOP_RUNNING) emit(EV_JOIN, ti, -1, thread(ti).tid, 0);
}

/** An `at` hook: its steps run as timeline ops, right here, then the runtime step goes on. */
function runHookSteps(op: u32): void {
  const base = depthOf(0);
  if (pushFrame(0, FK_SEQ, opStart(op), opEnd(op), op) == null) return invalid(INVALID_TOO_DEEP, -1);
  const saved = curOpNow();
  drainTimeline(base);
  setCurOp(<i32>saved);
}

/** The config block's counts within the host's limits (debug core; the host validates them first). */
function checkConfig(c: usize): void {
  opCount = load<u32>(c, CFG_N_OPS);
  assert(opCount <= <u32>MAX_OPS, 'config: nOps above MAX_OPS');
  assert(load<u32>(c, CFG_TIMELINE_END) <= opCount, 'config: timeline ends past the stream');
  assert(load<u32>(c, CFG_N_THREADS) <= <u32>MAX_HOST_THREADS, 'config: nThreads above MAX_HOST_THREADS');
  assert(load<u32>(c, CFG_N_GS) <= <u32>MAX_HOST_GS, 'config: nGs above MAX_HOST_GS');
  assert(load<u32>(c, CFG_N_MS) <= <u32>MAX_HOST_MS, 'config: nMs above MAX_HOST_MS');
  assert(load<u32>(c, CFG_N_BLOCKS) <= <u32>MAX_BLOCKS, 'config: nBlocks above MAX_BLOCKS');
  assert(load<u32>(c, CFG_N_FUNCS) <= <u32>MAX_FUNCS, 'config: nFuncs above MAX_FUNCS');
  assert(load<u32>(c, CFG_STRATEGY) <= STRATEGY_PCT, 'config: unknown strategy');
}

/** Runs the scenario in the op stream with the config block. Returns the stop reason. */
export function run(): u32 {
  const c = CONFIG_LOCATION;
  const base = load<u64>(c, CFG_WINDOW_BASE);
  const size = load<u64>(c, CFG_WINDOW_SIZE);
  if (base != windowBase || size != windowSize) {
    if (!configureWindow(base, size)) return RUN_NO_WINDOW;
  }
  checkConfig(c);
  const platformWord = load<u32>(c, CFG_PLATFORM);
  configureProfile(load<u64>(c, CFG_FLAGS), <i32>(platformWord & 0xff));
  physicalBits = load<u32>(c, CFG_PHYSICAL);
  configurePhysical((platformWord & PLATFORM_WORD_PHYSICAL) != 0, (platformWord >> PLATFORM_WORD_CLASS_SHIFT) & 0xff, physicalBits);
  // The scenario's policy when it names one; else the platform's libc under the physical model.
  mallocPolicy = (physicalBits & PHYS_MALLOC_MUSL) != 0 ? MALLOC_MUSL : (physicalBits & PHYS_MALLOC_GLIBC) != 0 ? MALLOC_GLIBC
    : !physicalOn ? MALLOC_RUNTIME : platform == PLATFORM_MUSL ? MALLOC_MUSL : MALLOC_GLIBC;
  // g0CheckDepth: the scenario's override, or (AUTO) the model's default (physical.ts).
  setG0CheckDepth(checkDepthOf(load<u64>(c, CFG_G0_CHECK_DEPTH)));
  resetResults(load<u32>(c, CFG_RECORD_EVENTS) != 0);
  resetTouched();
  setBudget(0x7fffffffffffffff, 0);
  resetRegions();
  // The goroutine and M counts are still the last run's here: the high-water marks of their tables.
  resetFrames(gCount);
  resetTrace();
  resetSync();
  forgetSameM(-1);
  resetSched(load<u64>(c, CFG_SEED), load<u32>(c, CFG_STRATEGY), mCount, gCount);
  resetPoints(load<u32>(c, CFG_TRACEBACK_CONTEXT) != 0, (load<u32>(c, CFG_GODEBUG) & GODEBUG_TRACECHECKSTACKOWNERSHIP) != 0);
  setHookRunner(runHookSteps);
  resetExitPhase();
  resetRuntime(load<i32>(c, CFG_N_THREADS), load<i32>(c, CFG_N_GS), load<i32>(c, CFG_N_MS), load<u64>(c, CFG_GOID_BASE));
  clearTouched(BLOCKS_LOCATION, blocksUsed, 4, MAX_BLOCKS, 'blocks');
  blocksUsed = load<i32>(c, CFG_N_BLOCKS);
  const godebug = load<u32>(c, CFG_GODEBUG);
  initRuntimeFuncs(load<i32>(c, CFG_N_FUNCS), load<u64>(c, CFG_MAX_STACK), (godebug & GODEBUG_INVALIDPTR_OFF) == 0,
    (godebug & GODEBUG_GCSHRINKSTACKOFF) != 0);
  // The fused round trips (roundtrip.ts) know nothing of the physical model: with it on, every
  // callback goes through the interpreter (test/fastpath.test.ts checks both ways agree).
  fastPaths = load<u32>(c, CFG_INTERPRETER_ONLY) == 0 && !physicalOn;
  if (load<u32>(c, CFG_RUNTIME_STARTED) != 0) startRuntime();
  // The runtime's start-up (its first extra M) is the same in every run: the budget starts after it.
  setBudget(load<u64>(c, CFG_BUDGET), <u64>load<u32>(c, CFG_DEADLINE_CHECK));
  if (stopReason == STOP_RUNNING) {
    pushFrame(0, FK_SEQ, 0, load<u32>(c, CFG_TIMELINE_END), 0);
    drainTimeline(0);
  }
  settleBudget();
  if (stopReason == STOP_RUNNING) setStopDone();
  addCount(C_AT_UNFIRED, <u64>unfiredHooks());
  finishResults(stepsSpent());
  return stopReason;
}

