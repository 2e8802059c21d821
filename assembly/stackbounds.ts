// System-stack bounds: what the runtime believes an M's g0 stack is, and the check that trusts it.
//
// g0 never grows. Every splittable function that runs on g0 compares its SP with
// g0.stackguard0 = g0.stack.lo + stackGuard and calls morestack when SP is at or below it; on g0,
// morestack is fatal ("morestack on g0"). The check is one-sided: an SP above g0.stack.hi passes.
// For a C-created thread the runtime cannot know the stack, so it estimates:
//
//   dummy      [sp - 32 KiB, sp + 1 KiB] around the SP it was entered with (every version)
//   pthread    _cgo_getstackbound: the thread's stack as pthread created it (go1.21+); never a
//              coroutine stack the thread switched to later
//
// Main path of callbackUpdateSystemStack, by version (docs/model.md §10):
//   V1 (527715)  1. SP inside the bounds: keep them (the fast path that 584597 removed).
//                2. Go frames above C (ncgo > 0) and SP outside: the C code switched stacks under
//                   Go; throw (masked in practice as "stack split at bad time").
//                3. Otherwise re-estimate: dummy, then pthread bounds if they contain SP.
//   V2 (584597)  1. ncgo > 0 and SP outside: throw.  2. Normal Ms keep their exact bounds.
//                3. Extra Ms always re-estimate.
//   V3 (600296)  1. Normal Ms keep their bounds.  2. SP inside bounds known to be accurate: keep.
//                3. Re-estimate, remembering whether the result is accurate. No throw: cgocallbackg
//                   saves and restores the caller's bounds around each callback instead.

import {
  CRASH_CALLBACK_OOB, CRASH_MORESTACK_G0, CRASH_MORESTACK_GSIGNAL, C_BOUNDS_FAST_PATH, C_BOUNDS_UPDATES,
  C_G0_CHECKS, C_GETSTACKBOUND, C_GETSTACKBOUND_MAIN_THREAD, EVENT_FN_SHIFT, EV_BOUNDS_KEPT, EV_BOUNDS_SET,
  EV_G0_CHECK, EV_GETSTACKBOUND, FN_PRINTLOCK, F_CB_UPDATE_V1, F_CB_UPDATE_V2, F_CB_UPDATE_V3,
  F_G0_STACKGUARD1, F_MUSL_ZERO_BOUNDS, PLATFORM_GLIBC, PLATFORM_MUSL, STOP_RUNNING, TF_MAIN,
} from './abi';
import { thread, mrec, grec, CThread, M, G } from './records';
import { has, platform, stackGuard } from './profile';
import { count, emit, crash, crashOperand, stopReason } from './results';
import { getstackboundFrames } from './physical';

// The dummy estimate's reach below and above SP (cgocall.go: "32 KiB below, 1 KiB above").
// @ts-ignore: decorator
@inline export const DUMMY_BELOW_BYTES: u64 = 32 * 1024;
// @ts-ignore: decorator
@inline export const DUMMY_ABOVE_BYTES: u64 = 1024;
// musl's default thread stack size (DEFAULT_STACK_SIZE, 128 KiB since musl 1.1.21): the size
// _cgo_getstackbound assumes on libcs without pthread_getattr_np, before go1.23.5.
// @ts-ignore: decorator
@inline const MUSL_DEFAULT_STACK_BYTES: u64 = 128 * 1024;
// x_cgo_getstackbound estimates from its own frame address plus one page (gcc_stack_unix.c).
// @ts-ignore: decorator
@inline const MUSL_FRAME_SLACK_BYTES: u64 = 4096;

// Depth below the entry SP of the deepest g0 split check during callback entry (scenario field
// g0CheckDepth, default 0x100): the real depth depends on the frames exitsyscall and friends push.
export let g0CheckDepth: u64 = 0x100;
export function setG0CheckDepth(d: u64): void { g0CheckDepth = d; }

/** The SP of a check made g0CheckDepth below sp; an SP cannot go below address 0. */
// @ts-ignore: decorator
@inline export function checkSp(sp: u64): u64 { return sp > g0CheckDepth ? sp - g0CheckDepth : 0; }

// Scratch results of getstackbound (its C signature fills a two-word array).
let boundLo: u64 = 0;
let boundHi: u64 = 0;

/** _cgo_getstackbound on the calling thread, per platform (§10.1). Sets boundLo/boundHi. */
export function getstackbound(ti: i32, mi: i32, sp: u64): void {
  count(C_GETSTACKBOUND);
  // A C function called on g0 through asmcgocall: its frames are real (physical.ts). When they
  // leave the stack the run ends here; the callers look at stopReason.
  if (!getstackboundFrames(ti, mi, sp)) return;
  if (platform == PLATFORM_GLIBC && (thread(ti).flags & TF_MAIN) != 0) count(C_GETSTACKBOUND_MAIN_THREAD); // rlimit + /proc/self/maps: slow (#68587)
  stackboundOf(ti, sp);
  emit(EV_GETSTACKBOUND, ti, mi, boundLo, boundHi);
}

/** What _cgo_getstackbound returns on thread ti at sp (boundLo/boundHi), without counting it. */
export function stackboundOf(ti: i32, sp: u64): void {
  const t = thread(ti);
  if (platform == PLATFORM_GLIBC) {
    // pthread_getattr_np: the stack the thread was created with, whatever it runs on now.
    boundLo = t.stackLo;
    boundHi = t.stackHi;
  } else if (platform == PLATFORM_MUSL && !has(F_MUSL_ZERO_BOUNDS)) {
    boundLo = sp + MUSL_FRAME_SLACK_BYTES - MUSL_DEFAULT_STACK_BYTES;
    boundHi = boundLo + MUSL_DEFAULT_STACK_BYTES;
  } else {
    boundLo = 0; // windows no-op, go1.23.5+ musl, nobounds
    boundHi = 0;
  }
}
export function stackboundLo(): u64 { return boundLo; }
export function stackboundHi(): u64 { return boundHi; }

export function setG0Bounds(m: M, lo: u64, hi: u64): void {
  const g0 = grec(<i32>m.g0 - 1);
  assert(g0.isG0 != 0, 'setG0Bounds: not a g0');
  g0.stackLo = lo;
  g0.stackHi = hi;
  g0.stackguard0 = lo + stackGuard;
  if (has(F_G0_STACKGUARD1)) g0.stackguard1 = g0.stackguard0;
}

/** The dummy estimate, then pthread bounds when they contain SP. Returns whether accurate. */
function estimateBounds(ti: i32, mi: i32, sp: u64, signal: bool): bool {
  const m = mrec(mi);
  let lo = sp - DUMMY_BELOW_BYTES;
  let hi = sp + DUMMY_ABOVE_BYTES;
  let accurate = false;
  if (!signal) {
    getstackbound(ti, mi, sp);
    if (stopReason != STOP_RUNNING) return false;
    if (boundLo != 0 && sp > boundLo && sp <= boundHi) {
      lo = boundLo;
      hi = boundHi;
      accurate = true;
    }
  }
  setG0Bounds(m, lo, hi);
  m.g0StackAccurate = accurate ? 1 : 0;
  count(C_BOUNDS_UPDATES);
  emit(EV_BOUNDS_SET, ti, mi, lo, hi);
  return accurate;
}

/** needm's bounds before callbackUpdateSystemStack existed (V0): dummy; go1.21.0 adds pthread, unchecked. */
export function needmBoundsV0(ti: i32, mi: i32, sp: u64, signal: bool, trustPthread: bool): void {
  const m = mrec(mi);
  let lo = sp - DUMMY_BELOW_BYTES;
  let hi = sp + DUMMY_ABOVE_BYTES;
  if (trustPthread && !signal) {
    getstackbound(ti, mi, sp);
    if (stopReason != STOP_RUNNING) return;
    // 479915: taken whenever non-zero, without asking whether SP lies inside.
    if (boundLo != 0) {
      lo = boundLo;
      hi = boundHi;
    }
  }
  setG0Bounds(m, lo, hi);
  count(C_BOUNDS_UPDATES);
  emit(EV_BOUNDS_SET, ti, mi, lo, hi);
}

function keep(ti: i32, mi: i32, g0: G): bool {
  count(C_BOUNDS_FAST_PATH);
  emit(EV_BOUNDS_KEPT, ti, mi, g0.stackLo, g0.stackHi);
  return true;
}

/**
 * callbackUpdateSystemStack(mp, sp, signal). Returns false when it ended the run (the ncgo > 0
 * throw of V1/V2).
 */
export function callbackUpdateSystemStack(ti: i32, mi: i32, sp: u64, signal: bool): bool {
  const m = mrec(mi);
  const g0 = grec(<i32>m.g0 - 1);
  const inBound = sp > g0.stackLo && sp <= g0.stackHi;
  if (has(F_CB_UPDATE_V3)) {
    if (m.isextra == 0) return true;
    if (inBound && m.g0StackAccurate != 0) return keep(ti, mi, g0);
    estimateBounds(ti, mi, sp, signal);
    return true;
  }
  if (has(F_CB_UPDATE_V1)) {
    if (inBound) return keep(ti, mi, g0);
    if (m.ncgo > 0) return outOfBounds(ti, mi, m, g0, sp);
    estimateBounds(ti, mi, sp, signal);
    return true;
  }
  if (has(F_CB_UPDATE_V2)) {
    if (m.ncgo > 0 && !inBound) return outOfBounds(ti, mi, m, g0, sp);
    if (m.isextra == 0) return true;
    estimateBounds(ti, mi, sp, signal);
    return true;
  }
  return true;
}

/**
 * The ncgo > 0 branch: the runtime sets dummy bounds, prints "M … runtime: cgocallback with sp=… out
 * of bounds [lo, hi]" and exits 2. It runs before exitsyscall, with throwsplit set, so in real
 * binaries the print's first splittable call (printlock) dies first with "stack split at bad time";
 * the host prints that form, or the intended line in crash-stack diagnostic mode.
 */
function outOfBounds(ti: i32, mi: i32, m: M, g0: G, sp: u64): bool {
  const oldLo = g0.stackLo;
  const oldHi = g0.stackHi;
  setG0Bounds(m, sp - DUMMY_BELOW_BYTES, sp + DUMMY_ABOVE_BYTES);
  const gp = grec(<i32>m.curg - 1);
  crashOperand(0, <u64>m.id);
  crashOperand(1, m.procid);
  crashOperand(2, sp);
  crashOperand(3, oldLo);
  crashOperand(4, oldHi);
  crashOperand(5, gp.stackLo);
  crashOperand(6, gp.stackHi);
  crashOperand(7, gp.schedSp);
  crash(CRASH_CALLBACK_OOB, ti, mi, <i32>m.curg - 1, FN_PRINTLOCK);
  return false;
}

/**
 * A splittable function entered on g0 with SP = sp (§4.2): morestack iff SP <= g0.stackguard0,
 * unsigned. Returns false when it ended the run.
 */
// @ts-ignore: decorator
@inline export function g0Check(ti: i32, mi: i32, sp: u64, fn: u32): bool {
  const m = mrec(mi);
  const g0 = grec(<i32>m.g0 - 1);
  count(C_G0_CHECKS);
  // The event names the function whose prologue checks: that is the whole story of a pass.
  emit(EV_G0_CHECK | (fn << EVENT_FN_SHIFT), ti, mi, sp, g0.stackguard0);
  if (sp > g0.stackguard0) return true;
  return morestackOnG0(ti, mi, m, g0, sp, fn);
}

/** The failing side of g0Check: morestack on g0 (kept out of line, off the hot path). */
function morestackOnG0(ti: i32, mi: i32, m: M, g0: G, sp: u64, fn: u32): bool {
  crashOperand(0, g0.stackLo);
  crashOperand(1, g0.stackHi);
  crashOperand(2, sp);
  crashOperand(3, <u64>m.id);
  crashOperand(4, m.procid);
  crashOperand(5, g0.stackguard0);
  crash(CRASH_MORESTACK_G0, ti, mi, <i32>m.g0 - 1, fn);
  return false;
}

/**
 * A splittable function running on gsignal (a signal handler on a thread that has an M): the same
 * one-sided check against the signal stack's guard; failing it is "morestack on gsignal".
 */
export function gsignalCheck(ti: i32, mi: i32, lo: u64, hi: u64, sp: u64): bool {
  count(C_G0_CHECKS);
  emit(EV_G0_CHECK, ti, mi, sp, lo + stackGuard);
  if (sp > lo + stackGuard) return true;
  crashOperand(0, lo);
  crashOperand(1, hi);
  crashOperand(2, sp);
  crashOperand(3, <u64>mrec(mi).id);
  crash(CRASH_MORESTACK_GSIGNAL, ti, mi, -1, 0);
  return false;
}
