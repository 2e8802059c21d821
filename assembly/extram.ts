// Extra Ms: how a thread the runtime did not create gets an M to run Go on (docs/model.md §9).
//
// Glossary:
//   extra list   a LIFO of idle extra Ms (extraM head, linked by schedlink). The runtime keeps one
//                spare: the callback that takes the last one sets needextram, and cgocallbackg1
//                creates a new one (newextram).
//   needm        take an extra M for this thread: set TLS.g = g0, estimate g0 bounds, move the
//                M's goroutine from _Gdead to _Gsyscall ("in C").
//   dropm        the reverse: goroutine back to _Gdead, g0 bounds cleared (537695), M pushed back.
//   binding      go1.21+ (495855): needAndBindM stores g0 under a pthread key, so the M stays with
//                the thread between callbacks and later callbacks skip needm; the key's destructor
//                drops the M when the thread exits. Windows has no such key: needm/dropm per call.
//
// An extra M's goroutine has a 4 KiB Go stack (malg(4096)) and starts locked to its M
// (lockedInt = 1), which is why callbacks on C-created threads never migrate.

import {
  STOP_RUNNING,
  CRASH_CGO_CALLBACK_BEFORE_CGO, C_BINDM, C_DROPM, C_EXTRA_M_CREATED, C_NEEDM, EV_BINDM, EV_BOUNDS_CLEARED,
  EV_DROPM, EV_EXTRA_M_NEW, EV_NEEDM, FN_DROPM, FN_NEEDM, F_CB_UPDATE_IN_NEEDM, F_CB_UPDATE_V1, F_CB_UPDATE_V2, F_CB_UPDATE_V3,
  F_DROPM_CLEARS_BOUNDS, F_DROPM_NOSPLIT, F_NEEDM_PTHREAD_BOUNDS_UNCHECKED, G_DEAD, G_SYSCALL,
  INVALID_NO_SPACE, INVALID_TOO_MANY, RK_GO_STACK, F_NEEDM_NO_SIGBLOCK, C_SIGNALS,
  C_SIGNALS_DEFERRED, EV_SIGNAL_DEFERRED, EV_SIGNAL, EV_SIGNAL_HANDLER, SIGH_BADSIGNAL, CRASH_NEEDM_DEADLOCK,
} from './abi';
import { minitSignalStack, unminitSignals, deliverSignal, adjustSignalStack, adjustedHow } from './signalstack';
import { thread, mrec, grec, M, G } from './records';
import { has, mCacheActive, stackGuard } from './profile';
import { allocM, allocG, newGoid, extraM, extraMLength, setExtraM, addExtraMWaiter } from './runtime';
import { startGoroutineFrames, malgSize } from './stack';
import { addRegion, place } from './regions';
import { count, emit, invalid, crash, crashOperand, stopReason } from './results';
import { callbackUpdateSystemStack, needmBoundsV0, g0Check, checkSp } from './stackbounds';
import { cgoHasExtraM } from './runtime';

// malg(4096): the Go stack an extra M's goroutine gets.
// @ts-ignore: decorator
@inline const EXTRA_M_G_STACK_BYTES: u64 = 4096;

/** oneNewExtraM: a new extra M with its goroutine, pushed on the extra list. -1 when out of room. */
export function oneNewExtraM(ti: i32): i32 {
  const mi = allocM(-1);
  const gi = mi < 0 ? -1 : allocG();
  if (gi < 0) {
    invalid(INVALID_TOO_MANY, ti);
    return -1;
  }
  const size = malgSize(EXTRA_M_G_STACK_BYTES);
  const lo = place(size, true);
  if (lo == 0) {
    invalid(INVALID_NO_SPACE, ti);
    return -1;
  }
  const hi = lo + size;
  const m = mrec(mi);
  const gp = grec(gi);
  gp.region = <u32>addRegion(lo, hi, RK_GO_STACK, <u32>gi, 0) + 1;
  gp.stackLo = lo;
  gp.stackHi = hi;
  gp.stackguard0 = lo + stackGuard;
  gp.stackguard1 = 0xffffffffffffffff;
  startGoroutineFrames(gp, false);
  gp.syscallpc = gp.schedPc;
  gp.syscallsp = gp.schedSp;
  gp.status = G_DEAD;
  gp.goid = newGoid();
  gp.m = <u32>mi + 1;
  m.curg = <u32>gi + 1;
  m.isextra = 1;
  m.isExtraInC = 1;
  m.lockedInt = 1;
  m.lockedg = <u32>gi + 1;
  gp.lockedm = <u32>mi + 1;
  count(C_EXTRA_M_CREATED);
  emit(EV_EXTRA_M_NEW, ti, mi, <u64>m.id, gp.goid);
  putExtraM(mi);
  return mi;
}

/** newextram: creates an extra M when the list has run dry (or for each waiter). */
export function newextram(ti: i32): bool {
  if (extraMLength == 0) return oneNewExtraM(ti) >= 0;
  return true;
}

export function putExtraM(mi: i32): void {
  const m = mrec(mi);
  assert(m.onExtraList == 0 && m.isextra != 0, 'putExtraM: not an extra M, or already on the list');
  m.schedlink = extraM;
  m.onExtraList = 1;
  setExtraM(<u32>mi + 1, extraMLength + 1);
}

/**
 * getExtraM: pops the most recently returned M. An empty list makes the real runtime spin until
 * newextram (run by whoever took the last M) refills it; here that refill happens at once.
 */
function getExtraM(ti: i32): i32 {
  if (extraM == 0) {
    addExtraMWaiter();
    if (oneNewExtraM(ti) < 0) return -1;
  }
  const mi = <i32>extraM - 1;
  const m = mrec(mi);
  assert(m.onExtraList != 0 && extraMLength > 0, 'getExtraM: list head not on the list');
  setExtraM(m.schedlink, extraMLength - 1);
  m.schedlink = 0;
  m.onExtraList = 0;
  m.needextram = extraM == 0 ? 1 : 0;
  return mi;
}

/**
 * needm(signal): binds an extra M to thread ti entering Go with SP sp. Returns the M, or -1 when
 * the run ended (callback before the runtime made its extra M, or a failed bounds update).
 * sigArrives: a signal arrives on the thread while needm runs (signalstack.ts, step 2).
 */
export function needm(ti: i32, sp: u64, signal: bool, sigArrives: bool = false): i32 {
  if (!cgoHasExtraM) {
    crash(CRASH_CGO_CALLBACK_BEFORE_CGO, ti, -1, -1, FN_NEEDM);
    return -1;
  }
  count(C_NEEDM);
  // sigsave + sigblock (42207): a signal from here on waits for minit.
  const t = thread(ti);
  const mi = getExtraM(ti);
  if (mi < 0) return -1;
  // Without the sigblock the signal runs now, after getExtraM and before setg: the handler finds
  // no g and takes an M of its own.
  if (sigArrives && has(F_NEEDM_NO_SIGBLOCK) && !signalBeforeSetg(ti)) return -1;
  const m = mrec(mi);
  t.tlsG = m.g0;
  t.m = <u32>mi + 1;
  m.thread = <u32>ti + 1;
  m.procid = t.tid;
  emit(EV_NEEDM, ti, mi, <u64>m.id, signal ? 1 : 0);
  if (has(F_CB_UPDATE_V1 | F_CB_UPDATE_V2 | F_CB_UPDATE_V3) && has(F_CB_UPDATE_IN_NEEDM)) {
    if (!callbackUpdateSystemStack(ti, mi, sp, signal)) return -1;
  } else {
    needmBoundsV0(ti, mi, sp, signal, has(F_NEEDM_PTHREAD_BOUNDS_UNCHECKED));
  }
  if (stopReason != STOP_RUNNING) return -1; // getstackbound's C frames left the stack
  m.isExtraInC = 0;
  // minit: the signal stack, then the signal mask, which lets a blocked signal in.
  minitSignalStack(ti, mi);
  if (sigArrives && !has(F_NEEDM_NO_SIGBLOCK) && !signalAfterMinit(ti, mi, sp)) return -1;
  grec(<i32>m.curg - 1).status = G_SYSCALL;
  m.isExtraInSig = signal ? 1 : 0;
  return mi;
}

/**
 * The signal needm blocked, delivered when minit unblocks it: the thread has the M now (g = g0,
 * isExtraInC clear), so sigtrampgo runs the handler on gsignal, on the stack minit just set.
 */
function signalAfterMinit(ti: i32, mi: i32, sp: u64): bool {
  count(C_SIGNALS);
  count(C_SIGNALS_DEFERRED);
  emit(EV_SIGNAL_DEFERRED, ti, mi, sp, 0);
  const hsp = deliverSignal(ti, sp);
  if (hsp == 0) return false;
  emit(EV_SIGNAL, ti, mi, hsp, 0);
  if (!adjustSignalStack(ti, mi, hsp)) return false;
  emit(EV_SIGNAL_HANDLER, ti, mi, hsp, <u64>adjustedHow);
  return true;
}

/**
 * Before 42207 (mutation NEEDM_NO_SIGBLOCK): the signal runs inside needm with no g on the thread,
 * so badsignal calls needm(signal=true), which waits for an extra M. If the interrupted needm took
 * the last one, only its own callback (cgocallbackg1's newextram) would make another: it never
 * comes, and the thread spins in lockextra for ever.
 */
function signalBeforeSetg(ti: i32): bool {
  const t = thread(ti);
  count(C_SIGNALS);
  const hsp = deliverSignal(ti, t.sp);
  if (hsp == 0) return false;
  emit(EV_SIGNAL, ti, -1, hsp, 0);
  emit(EV_SIGNAL_HANDLER, ti, -1, hsp, <u64>SIGH_BADSIGNAL);
  if (extraM == 0) {
    crashOperand(0, <u64>t.tid);
    crash(CRASH_NEEDM_DEADLOCK, ti, -1, -1, FN_NEEDM);
    return false;
  }
  const inner = needm(ti, hsp, true);
  if (inner < 0) return false;
  return dropm(ti, inner, hsp);
}

/** cgoBindM: pthread_setspecific(pthread_g, g0), so the thread keeps the M (go1.21+). */
export function cgoBindM(ti: i32, mi: i32): void {
  const t = thread(ti);
  const m = mrec(mi);
  if (t.boundG0 == 0) t.boundG0 = m.g0;
  count(C_BINDM);
  emit(EV_BINDM, ti, mi, <u64>m.id, 0);
}

/**
 * dropm on thread ti, running at C stack pointer sp. Before 527715 dropm was splittable and so ran
 * a g0 check of its own. Returns false when that check ended the run.
 */
export function dropm(ti: i32, mi: i32, sp: u64): bool {
  const m = mrec(mi);
  if (!has(F_DROPM_NOSPLIT)) {
    if (!g0Check(ti, mi, checkSp(sp), FN_DROPM)) return false;
  }
  count(C_DROPM);
  const gp: G = grec(<i32>m.curg - 1);
  gp.status = G_DEAD;
  if (has(F_DROPM_CLEARS_BOUNDS)) {
    const g0 = grec(<i32>m.g0 - 1);
    g0.stackLo = 0;
    g0.stackHi = 0;
    g0.stackguard0 = 0;
    g0.stackguard1 = 0;
    emit(EV_BOUNDS_CLEARED, ti, mi, 0, 0);
  }
  m.g0StackAccurate = 0;
  m.isExtraInC = 1;
  unminitSignals(ti, mi);
  const t = thread(ti);
  t.tlsG = 0;
  t.m = 0;
  m.thread = 0;
  emit(EV_DROPM, ti, mi, <u64>m.id, 0);
  putExtraM(mi);
  return true;
}

