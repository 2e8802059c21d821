// Signal stacks: the kernel's alternate signal stack per thread, and each M's gsignal
// (docs/model.md §18; Go: signal_unix.go minitSignalStack, unminitSignals, adjustSignalStack,
// sigtrampgo; proc.go needm's sigblock).
//
// Glossary:
//   sigaltstack  the stack the kernel runs a handler on (every handler Go installs has SA_ONSTACK):
//                per thread, [CThread.altLo, altHi), or SS_DISABLE (altHi == 0). C sets one with
//                the `sigaltstack` op; minit sets one when C has none.
//   gsignal      an M's signal-handling goroutine. Its stack is malg(32 KiB) (M.gsignalLo/Hi),
//                or, while the thread's own sigaltstack was set by non-Go code, that one.
//   newSigstack  minit made gsignal's stack the thread's sigaltstack, so unminit must disable it.
//   goSigStack   gsignal's own stack, saved while gsignal uses a sigaltstack non-Go code set.
//
// Main path:
//   1. minit (needm for an extra M; mstart for a Go-created M), minitSignalStack: the thread has
//      no sigaltstack → sigaltstack(gsignal.stack), newSigstack = true (TF_ALT_GSIGNAL); it has one
//      → setGsignalStack: goSigStack = gsignal's stack, gsignal's stack = the thread's (who owns
//      the block stays with C).
//   2. minitSignalMask: the signals needm blocked (sigblock, since 42207/go1.16) are unblocked; a
//      signal that arrived during needm is delivered here, on the M, on the stack of step 1.
//   3. unminit (dropm), unminitSignals: newSigstack → sigaltstack(SS_DISABLE); otherwise
//      restoreGsignalStack (22930/go1.10), so that an extra M used next on another thread never
//      installs a block the previous thread's C code may since have unmapped.
//   4. Delivery: the kernel writes the signal frame at the top of the sigaltstack when there is
//      one (and the thread is not already on it), else below the current SP. A sigaltstack whose
//      memory is gone cannot take the frame: the kernel forces SIGSEGV and the process dies.
//   5. sigtrampgo: no g, or (go1.21+) an extra M whose goroutine is in C → badsignal, which takes
//      an extra M with needm(signal=true). Otherwise adjustSignalStack: SP on gsignal's stack, on
//      a sigaltstack someone else set (gsignal adopts it for this handler), or on g0's stack: run;
//      anywhere else: throw (noSignalStack if the sigaltstack is disabled, else sigNotOnStack).
//
// The M's own gsignal stack is placed in the address space the first time a handler runs on it,
// not when the M is made (as malg does): the addresses other regions get stay as they were before
// this model existed. The events needm and dropm make here are noted (recorded, not hashed).

import {
  CRASH_NO_SIGNAL_STACK, CRASH_SIGNAL_NOT_ON_STACK, CRASH_SIGSTACK_FAULT, C_SIGALTSTACK_INSTALLS,
  EV_GSIGNAL_STACK, EV_SIGALTSTACK, EV_SIGALTSTACK_GO, F_UNMINIT_KEEPS_GSIGNAL, INVALID_NO_SPACE, INVALID_TOO_MANY,
  RK_MALLOC, RS_FREED, SIGH_ADOPTED, SIGH_G0, SIGH_GSIGNAL, TF_ALT_GSIGNAL,
} from './abi';
import { thread, mrec, grec, region, CThread } from './records';
import { has } from './profile';
import { count, emit, note, crash, crashOperand, invalid } from './results';
import { addRegion, place, regionAt } from './regions';

// malg(32 * 1024): the stack Go gives every M's gsignal.
// @ts-ignore: decorator
@inline export const GSIGNAL_STACK_BYTES: u64 = 32 * 1024;
// What the kernel's signal frame (siginfo, ucontext, FP state: rt_sigframe on amd64) takes at the
// top of the stack a handler runs on, before the handler's first instruction.
// @ts-ignore: decorator
@inline export const SIGFRAME_BYTES: u64 = 1024;

/** Whether thread t has a sigaltstack (SS_DISABLE clear). */
// @ts-ignore: decorator
@inline export function hasAltStack(t: CThread): bool {
  return t.altHi != 0 || (t.flags & TF_ALT_GSIGNAL) != 0;
}

/** minitSignalStack for M mi binding thread ti (needm). Noted events: they do not enter the hash. */
export function minitSignalStack(ti: i32, mi: i32): void {
  const t = thread(ti);
  const m = mrec(mi);
  if (!hasAltStack(t)) {
    // signalstack(&mp.gsignal.stack): the thread's sigaltstack is now the M's gsignal stack.
    t.flags |= TF_ALT_GSIGNAL;
    t.altLo = m.gsignalLo;
    t.altHi = m.gsignalHi;
    m.newSigstack = 1;
    count(C_SIGALTSTACK_INSTALLS);
    note(EV_SIGALTSTACK_GO, ti, mi, m.gsignalLo, m.gsignalHi);
  } else {
    // setGsignalStack: gsignal runs on the stack C installed; its own is kept in goSigStack.
    m.goSigLo = m.gsignalLo;
    m.goSigHi = m.gsignalHi;
    m.gsignalLo = t.altLo;
    m.gsignalHi = t.altHi;
    m.newSigstack = 0;
    note(EV_GSIGNAL_STACK, ti, mi, t.altLo, t.altHi);
  }
}

/** unminitSignals for M mi leaving thread ti (dropm). */
export function unminitSignals(ti: i32, mi: i32): void {
  const t = thread(ti);
  const m = mrec(mi);
  if (m.newSigstack != 0) {
    t.flags &= ~TF_ALT_GSIGNAL;
    t.altLo = 0;
    t.altHi = 0;
    m.newSigstack = 0;
    note(EV_SIGALTSTACK, ti, mi, 0, 0);
  } else if (!has(F_UNMINIT_KEEPS_GSIGNAL)) {
    m.gsignalLo = m.goSigLo;
    m.gsignalHi = m.goSigHi;
    note(EV_GSIGNAL_STACK, ti, mi, m.gsignalLo, m.gsignalHi);
  }
}

/** A Go-created M's mstart → minit: no C code has set a sigaltstack on a thread Go created. */
export function minitGoThread(ti: i32, mi: i32): void {
  thread(ti).flags |= TF_ALT_GSIGNAL;
  mrec(mi).newSigstack = 1;
}

/** The `sigaltstack` op: C sets (block b) or disables (b < 0) the thread's alternate signal stack. */
export function setAltStack(ti: i32, ri: i32): void {
  const t = thread(ti);
  t.flags &= ~TF_ALT_GSIGNAL;
  t.altLo = ri < 0 ? 0 : region(ri).lo;
  t.altHi = ri < 0 ? 0 : region(ri).hi;
  emit(EV_SIGALTSTACK, ti, <i32>t.m - 1, t.altLo, t.altHi);
}

/** Places M mi's own gsignal stack when first needed; false when the run ended (no room). */
function placeGsignal(ti: i32, mi: i32): bool {
  const m = mrec(mi);
  const lo = place(GSIGNAL_STACK_BYTES, false);
  if (lo == 0) {
    invalid(INVALID_NO_SPACE, ti);
    return false;
  }
  if (addRegion(lo, lo + GSIGNAL_STACK_BYTES, RK_MALLOC, <u32>mi, -1) < 0) {
    invalid(INVALID_TOO_MANY, ti);
    return false;
  }
  m.gsignalLo = lo;
  m.gsignalHi = lo + GSIGNAL_STACK_BYTES;
  return true;
}

/**
 * The kernel delivers a signal to thread ti, whose code runs at SP curSp: the handler's SP, or 0
 * when the run ended (a sigaltstack that cannot take the frame, or no room to place gsignal).
 */
export function deliverSignal(ti: i32, curSp: u64): u64 {
  const t = thread(ti);
  if (!hasAltStack(t)) return curSp - SIGFRAME_BYTES;
  if ((t.flags & TF_ALT_GSIGNAL) != 0 && t.altHi == 0) {
    const mi = <i32>t.m - 1;
    if (mrec(mi).gsignalHi == 0 && !placeGsignal(ti, mi)) return 0;
    t.altLo = mrec(mi).gsignalLo;
    t.altHi = mrec(mi).gsignalHi;
  }
  if (curSp > t.altLo && curSp <= t.altHi) return curSp - SIGFRAME_BYTES; // already on it
  const ri = regionAt(t.altHi - 1);
  if (ri < 0 || region(ri).state == RS_FREED) {
    // The frame cannot be written: the kernel forces SIGSEGV, whose handler would need the same
    // stack, and the process is killed.
    crashOperand(0, t.altLo);
    crashOperand(1, t.altHi);
    crashOperand(2, ri < 0 ? 0 : <u64>region(ri).owner);
    crash(CRASH_SIGSTACK_FAULT, ti, <i32>t.m - 1, -1, 0);
    return 0;
  }
  return t.altHi - SIGFRAME_BYTES;
}

// adjustSignalStack's answer: the stack gsignal runs the handler on, and which one it is (SIGH_*).
export let adjustedLo: u64 = 0;
export let adjustedHi: u64 = 0;
export let adjustedHow: u32 = 0;

/** adjustSignalStack for the handler at sp on M mi; false after the throw for a stack none of Go's. */
export function adjustSignalStack(ti: i32, mi: i32, sp: u64): bool {
  const t = thread(ti);
  const m = mrec(mi);
  if (sp >= m.gsignalLo && sp < m.gsignalHi) {
    adjustedLo = m.gsignalLo;
    adjustedHi = m.gsignalHi;
    adjustedHow = SIGH_GSIGNAL;
    return true;
  }
  if (hasAltStack(t) && sp >= t.altLo && sp < t.altHi) {
    adjustedLo = t.altLo;
    adjustedHi = t.altHi;
    adjustedHow = SIGH_ADOPTED;
    return true;
  }
  const g0 = grec(<i32>m.g0 - 1);
  if (sp >= g0.stackLo && sp < g0.stackHi) {
    adjustedLo = g0.stackLo;
    adjustedHi = g0.stackHi;
    adjustedHow = SIGH_G0;
    return true;
  }
  crashOperand(0, sp);
  crashOperand(1, m.gsignalLo);
  crashOperand(2, m.gsignalHi);
  crashOperand(3, <u64>m.id);
  crashOperand(4, g0.stackLo);
  crashOperand(5, g0.stackHi);
  crash(hasAltStack(t) ? CRASH_SIGNAL_NOT_ON_STACK : CRASH_NO_SIGNAL_STACK, ti, mi, -1, 0);
  return false;
}
