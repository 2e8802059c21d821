// Crossings between C and Go: cgocallback (C → Go), cgocall (Go → C), signal handlers, and Go's
// own goroutines (docs/model.md §7–§9).
//
// Main path of a callback from C (cgocallback → cgocallbackg → cgocallbackg1), per profile:
//   1. TLS.g nil: needm (+ cgoBindM with a pthread key, go1.21+). Otherwise the thread's M is
//      already known: bound by a pthread key, or a Go M whose goroutine is in a cgocall (ncgo > 0).
//   2. cgocallback saves g0.sched.sp on the C stack (a real store at SP_cb) and sets it to SP_cb.
//   3. cgocallbackg: callbackUpdateSystemStack (V1–V3, go1.21.7+/1.22+; tip saves the caller's
//      bounds first), lockOSThread, copy syscallsp/pc(/bp) into savedsp/savedpc(/savedbp),
//      exitsyscall (its g0 split check at SP_cb − g0CheckDepth), incgo = false.
//   4. cgocallbackg1: newextram if this callback took the last extra M; run the Go body.
//   5. Return: unlockOSThread where the profile puts it, incgo = true, reentersyscall(saved…) with
//      its consistency checks, restore g0 bounds (tip); cgocallback reloads g0.sched.sp from the C
//      stack and, for an M it took with needm that no pthread key keeps, dropm.
//
// Each frame kind's saved state is named in its view (frames.ts: CallbackFrame, CgocallFrame,
// SignalFrame, GoroutineFrame).

import {
  CRASH_ENTERSYSCALL_BP, CRASH_ENTERSYSCALL_SP, CRASH_LOCK_MISUSE, CRASH_M_CHANGED, CRASH_SIGSEGV_WRONG_M,
  CRASH_UAF_C_STACK, C_BOUNDS_RESTORES, C_CALLBACKS, C_CGOCALLS, C_EXITSYSCALL, C_GOROUTINES, C_LOCKOSTHREAD,
  C_NESTED_CALLBACKS, C_REENTERSYSCALL, C_SIGNALS, C_SYSTEMSTACK, C_UNLOCKOSTHREAD, DEFER_CTXT_POP,
  DEFER_UNLOCK, DEFER_UNWINDM, EV_BOUNDS_RESTORED, EV_CALLBACK, EV_CALLBACK_RETURN, EV_CGOCALL,
  EV_CGOCALL_RETURN, EV_DEFER, EV_GO, EV_GOEXIT, EV_LOCKOSTHREAD, EV_REENTERSYSCALL, EV_SIGNAL,
  EV_THREAD_EXIT, EV_UNLOCKOSTHREAD, EV_NEWPROC, G_RUNNABLE, FN_CGOCALLBACK, FN_CGOCALLBACKG, FN_EXITSYSCALLFAST_FUNC1,
  FN_REENTERSYSCALL, FN_SETGCPERCENT_FUNC1, F_BP_CHECK, F_CB_UPDATE_IN_CGOCALLBACKG, F_CB_UPDATE_V1, F_CB_UPDATE_V2, F_CB_UPDATE_V3,
  F_DEFER_UNLOCK_FIRST, F_ISEXTRAINC_ONLY_NCGO0, F_M_CHANGED_CHECK, F_NCGO_BEFORE_ENTERSYSCALL,
  F_NON_OPEN_CODED_DEFERS, F_PREEMPT_AFTER_UNLOCK, F_SAVE_RESTORE_G0, F_SYSCALLBP, F_UNLOCK_IN_CGOCALLBACKG,
  F_UNWINDM_UNLOCKS, F_NOCALLBACK_DIRECTIVE, INVALID_NOCALLBACK_UNSUPPORTED, OPR_D, G_DEAD, G_RUNNING, G_SYSCALL, INVALID_M_BUSY, INVALID_M_EXITED, INVALID_M_STACK,
  INVALID_NO_SPACE, INVALID_REGION_OVERLAP, INVALID_TOO_DEEP, INVALID_TOO_MANY, POINT_AFTER_ENTERSYSCALL,
  POINT_AFTER_EXITSYSCALL, POINT_AFTER_FN, POINT_AFTER_UNLOCK, POINT_BEFORE_REENTER, POINT_CB_ENTRY,
  POINT_CTXT_POP, POINT_DEFERRETURN, RF_CGOCALL, RF_CGOCALLBACK, RF_CGOCALLBACKG, RF_CGOCALLBACKG1,
  RK_GO_STACK, RK_M_STACK, RS_FREED, STOP_RUNNING, TF_ON_GSIGNAL, THREAD_EXITED, THREAD_LIVE,
  G_SIZE, MAX_GS, WORK_OPS, INVALID_TOO_MANY_GS,
  F_M_CACHE_PTHREAD_KEY, EV_SIGNAL_HANDLER, CRASH_EXITSYSCALL_FRAME, FN_EXITSYSCALL, SIGH_BADSIGNAL, TF_MAIN, TF_WEDGED, EV_M_WEDGED, PID_BASE,
} from './abi';
import { gPtr, loc, opPtr, wloc } from './memory';
import { gopanic } from './panic';
import { thread, mrec, grec, region, CThread, M, G } from './records';
import { has, stackGuard, mCacheActive } from './profile';
import { count, debt, emit, crash, crashOperand, uaf, invalid, stopReason } from './results';
import { callbackUpdateSystemStack, g0Check, checkSp, setG0Bounds, gsignalCheck } from './stackbounds';
import { needm, cgoBindM, dropm, newextram, oneNewExtraM } from './extram';
import {
  Frame, CallbackFrame, CgocallFrame, SignalFrame, GoroutineFrame, pushFrame, popFrame, gctx, callbackFrame,
  cgocallFrame, signalFrame, goroutineFrame, FK_CALLBACK, FK_CGOCALL, FK_SIGNAL, FK_GOROUTINE,
} from './frames';
import { gopreempt, setMState, mState, MS_RUNNING, MS_IDLE, MS_EXITED, runqPutNew, clearResumeOn } from './sched';
import { atPoint, tracebackContext } from './points';
import { cgocallSp, entryFrames, g0Work, g0WorkAt, G0W_EXITSYSCALL, G0W_NEEDM, G0W_SYSTEMSTACK } from './physical';
import {
  regionAt, freedAt, addRegion, place, freeRegion, liveOverlap, reportOverlap, GO_STACK_POISON,
} from './regions';
import { allocM, allocG, allocGoThread, cgoHasExtraM, setCgoHasExtraM, addLiveContexts, gCount, hostGs, newGoid } from './runtime';
import {
  GSIGNAL_STACK_BYTES, deliverSignal, adjustSignalStack, adjustedLo, adjustedHi, adjustedHow, minitGoThread,
} from './signalstack';
import {
  callFunc, returnFunc, pushFrameNoCheck, startGoroutineFrames, readable, SAVEDSP_WORD, SAVEDBP_WORD,
  SAVEDPC_WORD, fixedStack,
} from './stack';

// @ts-ignore: decorator
@inline const STACK_PREEMPT: u64 = 0xfffffffffffffade;
// A fresh goroutine (or a C thread, a coroutine after makecontext) starts this far below the top
// of its stack: the room its entry frames take.
// @ts-ignore: decorator
@inline export const ENTRY_SP_OFFSET: u64 = 0x200;
// mstart on a cgo M: g0.stack.lo = thread stack lo + 1024.
// @ts-ignore: decorator
@inline const M_G0_LO_RESERVE: u64 = 1024;
// The thread stack Go gives an M when the scenario does not pin one. Real cgo Ms get the pthread
// default (8 MiB on glibc); the size only matters for where later regions are placed.
// @ts-ignore: decorator
@inline const M_THREAD_STACK_BYTES: u64 = 512 * 1024;

// FK_CALLBACK bits
// @ts-ignore: decorator
@inline const CB_NEEDM: u32 = 1;          // savedm == nil: this callback took the M with needm
// @ts-ignore: decorator
@inline const CB_OLD_ACCURATE: u32 = 2;   // tip: the caller's g0StackAccurate
// @ts-ignore: decorator
@inline const CB_CTXT: u32 = 4;           // a cgo traceback context was pushed (ctxt != 0)
// @ts-ignore: decorator
@inline const CB_G1_PENDING: u32 = 8;     // cgocallbackg1 not called yet (its prologue comes next)
// FK_SIGNAL bits (with CB_NEEDM)
// @ts-ignore: decorator
@inline const SIG_RESTORE_G: u32 = 16;    // badsignal ran with the thread's g set aside (savedG)

// ---- helpers ----

/**
 * The C stack slot at addr is about to be read or written by the runtime (cgocallback saves
 * g0.sched.sp there). If that memory was freed, the real process corrupts or faults: uaf.
 */
// @ts-ignore: decorator
@inline export function cStackUsable(ti: i32, mi: i32, addr: u64): bool {
  const t = thread(ti);
  if (t.curRegion != 0) {
    const r = region(<i32>t.curRegion - 1);
    if (addr >= r.lo && addr < r.hi && r.state != RS_FREED) return true;
  }
  return cStackUsableSlow(ti, mi, addr);
}

/** SP outside the thread's current stack: find what owns it (a scan of the region table). */
function cStackUsableSlow(ti: i32, mi: i32, addr: u64): bool {
  const ri = freedAt(addr);
  if (ri < 0) return true;
  crashOperand(4, <u64>region(ri).owner);
  uaf(CRASH_UAF_C_STACK, ti, mi, -1, FN_CGOCALLBACK);
  return false;
}

function lockOSThread(ti: i32, mi: i32, m: M, gi: u32): void {
  m.lockedInt++;
  m.lockedg = gi;
  grec(<i32>gi - 1).lockedm = <u32>mi + 1;
  count(C_LOCKOSTHREAD);
  emit(EV_LOCKOSTHREAD, ti, mi, <u64>m.lockedInt, <u64>m.lockedExt);
}

export function unlockOSThread(ti: i32, mi: i32, m: M): bool {
  if (m.lockedInt == 0) {
    crash(CRASH_LOCK_MISUSE, ti, mi, <i32>m.curg - 1, 0);
    return false;
  }
  m.lockedInt--;
  dounlockOSThread(ti, mi, m);
  return true;
}

/** The part both unlocks share: the goroutine stays locked while either count is non-zero. */
function dounlockOSThread(ti: i32, mi: i32, m: M): void {
  count(C_UNLOCKOSTHREAD);
  if (m.lockedInt == 0 && m.lockedExt == 0) {
    if (m.lockedg != 0) grec(<i32>m.lockedg - 1).lockedm = 0;
    m.lockedg = 0;
  }
  emit(EV_UNLOCKOSTHREAD, ti, mi, <u64>m.lockedInt, <u64>m.lockedExt);
}

/** runtime.LockOSThread from Go code: the external count (docs/model.md §8.3). */
export function lockOSThreadExt(ti: i32): void {
  const mi = <i32>thread(ti).m - 1;
  const m = mrec(mi);
  m.lockedExt++;
  m.lockedg = m.curg;
  grec(<i32>m.curg - 1).lockedm = <u32>mi + 1;
  count(C_LOCKOSTHREAD);
  emit(EV_LOCKOSTHREAD, ti, mi, <u64>m.lockedInt, <u64>m.lockedExt);
}

/** runtime.UnlockOSThread: a no-op when not locked externally. */
export function unlockOSThreadExt(ti: i32): void {
  const mi = <i32>thread(ti).m - 1;
  const m = mrec(mi);
  if (m.lockedExt == 0) return;
  m.lockedExt--;
  dounlockOSThread(ti, mi, m);
}

/** exitsyscall for gp on M mi: the g0 check of its systemstack, then back to _Grunning. */
function exitsyscall(ti: i32, mi: i32, m: M, gp: G, fn: u32): bool {
  // Its systemstack(exitsyscallfast_pidle…) on g0: the first split check and real frames below
  // g0.sched.sp (physical.ts).
  if (!g0Work(ti, mi, G0W_EXITSYSCALL)) return false;
  count(C_EXITSYSCALL);
  gp.status = G_RUNNING;
  gp.syscallsp = 0;
  gp.throwsplit = 0;
  gp.stackguard0 = gp.preempt != 0 ? STACK_PREEMPT : gp.stackLo + stackGuard;
  return true;
}

/** reentersyscall(pc, sp[, bp]) with the consistency checks of the profile (§7). */
function reentersyscall(ti: i32, mi: i32, gp: G, pc: u64, sp: u64, bp: u64): bool {
  gp.stackguard0 = STACK_PREEMPT;
  gp.throwsplit = 1;
  gp.syscallsp = sp;
  gp.syscallpc = pc;
  if (has(F_SYSCALLBP)) gp.syscallbp = bp;
  gp.status = G_SYSCALL;
  count(C_REENTERSYSCALL);
  emit(EV_REENTERSYSCALL, ti, mi, sp, bp);
  if (sp < gp.stackLo || gp.stackHi < sp) {
    crashOperand(0, sp);
    crashOperand(1, gp.stackLo);
    crashOperand(2, gp.stackHi);
    crash(CRASH_ENTERSYSCALL_SP, ti, mi, -1, FN_REENTERSYSCALL);
    return false;
  }
  if (has(F_BP_CHECK) && ((bp != 0 && bp < gp.stackLo) || gp.stackHi < bp)) {
    crashOperand(0, bp);
    crashOperand(1, gp.stackLo);
    crashOperand(2, gp.stackHi);
    crash(CRASH_ENTERSYSCALL_BP, ti, mi, -1, FN_REENTERSYSCALL);
    return false;
  }
  return true;
}

function tooDeep(ti: i32): void { invalid(INVALID_TOO_DEEP, ti); }

// ---- C → Go ----

/**
 * A callback from C on thread ti with SP_cb = sp, running the Go body [start, end); cSp: the C
 * caller's SP when the physical model put SP_cb below it (0: the scenario gave SP_cb); sigInNeedm:
 * a signal arrives while its needm runs.
 */
export function callbackEnter(ti: i32, sp: u64, cSp: u64, start: u32, end: u32, op: u32, sigInNeedm: bool = false): void {
  const t = thread(ti);
  count(C_CALLBACKS);
  // The export wrapper, crosscall2 and cgocallback's frames between C's SP and SP_cb (cSp is 0
  // when the scenario gave SP_cb itself).
  if (cSp != 0 && !entryFrames(ti, t.tlsG != 0 ? <i32>grec(<i32>t.tlsG - 1).m - 1 : -1, cSp, sp)) return;
  let bits: u32 = 0;
  let mi: i32;
  if (t.tlsG == 0) {
    mi = needm(ti, sp, false, sigInNeedm);
    if (mi < 0) return;
    bits |= CB_NEEDM;
    if (mCacheActive()) cgoBindM(ti, mi);
    // needm runs on the C stack below cgocallback's frame, with the thread's signal setup.
    if (!g0WorkAt(ti, mi, G0W_NEEDM, sp)) return;
  } else {
    mi = <i32>grec(<i32>t.tlsG - 1).m - 1;
  }
  const m = mrec(mi);
  emit(EV_CALLBACK, ti, mi, sp, <u64>m.ncgo);
  if (m.ncgo > 0) count(C_NESTED_CALLBACKS);
  const g0 = grec(<i32>m.g0 - 1);
  // cgocallback: the old g0.sched.sp goes onto the C stack, where the return path reads it back.
  if (!cStackUsable(ti, mi, sp)) return;
  store<u64>(wloc(sp), g0.schedSp);
  g0.schedSp = sp;
  const gi = m.curg;
  const gp = grec(<i32>gi - 1);
  t.tlsG = gi;
  t.m = <u32>mi + 1;
  const pushed = pushFrame(gctx(<i32>gi - 1), FK_CALLBACK, start, end, op);
  if (pushed == null) return tooDeep(ti);
  const f = callbackFrame(pushed);
  f.m = <u32>mi + 1;
  // cgocallback switches to curg's stack and makes it look as if it called cgocallbackg from
  // curg.sched.pc; both are nosplit, so no prologue checks yet.
  pushFrameNoCheck(gp, RF_CGOCALLBACK);
  pushFrameNoCheck(gp, RF_CGOCALLBACKG);
  const frameSp = gp.schedSp;
  f.frameDepth = gp.stackHi - frameSp;
  if (has(F_SAVE_RESTORE_G0)) {
    f.savedG0Lo = g0.stackLo;
    f.savedG0Hi = g0.stackHi;
    if (m.g0StackAccurate != 0) bits |= CB_OLD_ACCURATE;
  }
  if (tracebackContext) {
    // The exported function's C wrapper took a context before crosscall2; it releases it once
    // the callback is back in C (callbackTail), which a panic unwinding past C never reaches.
    bits |= CB_CTXT;
    addLiveContexts(1);
  }
  f.bits = bits;
  f.phase = PH_UNWINDM;
  atPoint(ti, POINT_CB_ENTRY, <i32>gi - 1);
  if (stopReason != STOP_RUNNING) return;
  if (has(F_CB_UPDATE_V1 | F_CB_UPDATE_V2 | F_CB_UPDATE_V3) && has(F_CB_UPDATE_IN_CGOCALLBACKG)) {
    if (!callbackUpdateSystemStack(ti, mi, sp, false) || stopReason != STOP_RUNNING) return;
  }
  lockOSThread(ti, mi, m, gi);
  // savedsp, savedbp, savedpc: locals of cgocallbackg's frame, in stack memory. Whether a stack
  // move relocates them is up to that frame's stack map (stack.ts, initRuntimeFuncs).
  store<u64>(wloc(frameSp + (<u64>SAVEDSP_WORD << 3)), gp.syscallsp);
  store<u64>(wloc(frameSp + (<u64>SAVEDBP_WORD << 3)), gp.syscallbp);
  store<u64>(wloc(frameSp + (<u64>SAVEDPC_WORD << 3)), gp.syscallpc);
  // exitsyscall: its caller's SP (cgocallbackg's) above syscallsp means the goroutine is not in the
  // syscall it would leave (a callback from C code Go never called: #59711 before go1.21).
  if (frameSp > gp.syscallsp) {
    crashOperand(0, frameSp);
    crashOperand(1, gp.syscallsp);
    crash(CRASH_EXITSYSCALL_FRAME, ti, mi, <i32>gi - 1, FN_EXITSYSCALL);
    return;
  }
  if (!exitsyscall(ti, mi, m, gp, FN_EXITSYSCALLFAST_FUNC1)) return;
  m.incgo = 0;
  if (m.isextra != 0) m.isExtraInC = 0;
  atPoint(ti, POINT_AFTER_EXITSYSCALL, <i32>gi - 1);
  if (stopReason != STOP_RUNNING) return;
  if (gp.noCallback != 0) {
    // cgocallbackg: the goroutine is in a call of a C function marked #cgo nocallback. The panic
    // comes before cgocallbackg1, so none of its deferred calls are registered (panic.ts).
    f.bits |= CB_G1_PENDING;
    gopanic(ti, 0, false);
    return;
  }
  // cgocallbackg1: replace the extra M this callback took, if it was the last one.
  if (m.needextram != 0) {
    m.needextram = 0;
    if (!newextram(ti)) return;
  }
  // cgocallbackg1 is an ordinary function: its prologue is a preemption point and may grow the
  // stack. The interpreter makes that call first thing in the goroutine's context
  // (enterCgocallbackg1), so a preemption there can resume on whichever M runs the goroutine.
  f.bits |= CB_G1_PENDING;
}

/** Whether callback frame f pushed a cgo traceback context (its pop is one of the deferred calls). */
export function callbackHasCtxt(f: CallbackFrame): bool { return (f.bits & CB_CTXT) != 0; }

/** Whether frame f is a callback still to call cgocallbackg1. */
export function g1Pending(f: Frame): bool { return f.kind == FK_CALLBACK && (callbackFrame(f).bits & CB_G1_PENDING) != 0; }

/** The call of cgocallbackg1, from thread ti, for the callback frame f of goroutine gi. */
export function enterCgocallbackg1(ti: i32, gi: i32, f: Frame): void {
  callbackFrame(f).bits &= ~CB_G1_PENDING;
  callFunc(ti, <i32>grec(gi).m - 1, gi, RF_CGOCALLBACKG1);
}

// The callback's way back to C, as phases kept in its frame (f.phase), because it has synchronous
// preemption points: the goroutine can be preempted there and continue later, on another M. The
// deferred calls of cgocallbackg1 run in LIFO order, which differs per profile (§8.2):
//   go1.17rc1   unwindm (which unlocks), ctxt pop                         then incgo = true
//   1.17–1.21   unwindm, ctxt pop, unlockOSThread (registered first)     then incgo = true
//   1.22+       unwindm, ctxt pop                                         then incgo = true; unlock
// The ctxt pop (with a cgo traceback context) is a closure wrapper with a splittable prologue: a
// preemption point. With non-open-coded defers, deferreturn adds one after the last call (#62102).
// @ts-ignore: decorator
@inline const PH_UNWINDM: u32 = 0;
// @ts-ignore: decorator
@inline const PH_CTXT_POP: u32 = 1;
// @ts-ignore: decorator
@inline const PH_DEFER_UNLOCK: u32 = 2;
// @ts-ignore: decorator
@inline const PH_DEFERRETURN: u32 = 3;
// @ts-ignore: decorator
@inline const PH_RETURN_G1: u32 = 4;
// @ts-ignore: decorator
@inline const PH_AFTER_UNLOCK: u32 = 5;
// @ts-ignore: decorator
@inline const PH_TAIL: u32 = 6;

// Results of callbackReturn.
export const CB_DONE: i32 = 0;
export const CB_PREEMPTED: i32 = 1;
export const CB_ENDED: i32 = 2;

/** A preemption point on goroutine gi: `at` hooks first, then a pending request preempts. */
// @ts-ignore: decorator
@inline export function preemptPoint(ti: i32, mi: i32, gi: i32, point: u32): bool {
  atPoint(ti, point, gi);
  if (stopReason != STOP_RUNNING) return false;
  if (grec(gi).stackguard0 != STACK_PREEMPT) return false;
  gopreempt(ti, mi, gi);
  return stopReason == STOP_RUNNING;
}

/**
 * The return half of the callback whose Go body (frame f, on goroutine gi's context ctx) has
 * finished, run by thread ti: the thread whose M runs gi now. CB_PREEMPTED leaves the frame in
 * place for whichever M runs the goroutine next.
 */
export function callbackReturn(ti: i32, ctx: i32, gi: i32, f: CallbackFrame): i32 {
  const gp = grec(gi);
  for (;;) {
    const mi = <i32>gp.m - 1;
    const m = mrec(mi);
    switch (f.phase) {
      case PH_UNWINDM: {
        atPoint(ti, POINT_AFTER_FN, gi);
        if (stopReason != STOP_RUNNING) return CB_ENDED;
        emit(EV_DEFER, ti, mi, DEFER_UNWINDM, 0);
        // go1.17rc1: unwindm ends with unlockOSThread, before the other deferred calls.
        const unwindmUnlocks = (!has(F_DEFER_UNLOCK_FIRST) && !has(F_UNLOCK_IN_CGOCALLBACKG)) || has(F_UNWINDM_UNLOCKS);
        if (unwindmUnlocks && !unlockOSThread(ti, mi, m)) return CB_ENDED;
        f.phase = PH_CTXT_POP;
        break;
      }
      case PH_CTXT_POP: {
        f.phase = PH_DEFER_UNLOCK;
        if ((f.bits & CB_CTXT) != 0) {
          emit(EV_DEFER, ti, mi, DEFER_CTXT_POP, 0);
          if (preemptPoint(ti, mi, gi, POINT_CTXT_POP)) return CB_PREEMPTED;
          if (stopReason != STOP_RUNNING) return CB_ENDED;
        }
        break;
      }
      case PH_DEFER_UNLOCK: {
        f.phase = PH_DEFERRETURN;
        if (has(F_DEFER_UNLOCK_FIRST)) {
          emit(EV_DEFER, ti, mi, DEFER_UNLOCK, 0);
          if (!unlockOSThread(ti, mi, m)) return CB_ENDED;
        }
        break;
      }
      case PH_DEFERRETURN: {
        f.phase = PH_RETURN_G1;
        if (has(F_NON_OPEN_CODED_DEFERS)) {
          if (preemptPoint(ti, mi, gi, POINT_DEFERRETURN)) return CB_PREEMPTED;
          if (stopReason != STOP_RUNNING) return CB_ENDED;
        }
        break;
      }
      case PH_RETURN_G1: {
        if (!returnFunc(ti, mi, gi)) return CB_ENDED; // cgocallbackg1 returns to cgocallbackg
        // go1.22+: incgo first, then the unlock, in nosplit code: no preemption point after it.
        m.incgo = 1;
        if (has(F_UNLOCK_IN_CGOCALLBACKG) && !unlockOSThread(ti, mi, m)) return CB_ENDED;
        f.phase = PH_AFTER_UNLOCK;
        break;
      }
      case PH_AFTER_UNLOCK: {
        f.phase = PH_TAIL;
        if (has(F_UNLOCK_IN_CGOCALLBACKG)) {
          // Nosplit code: a preemption point only under the mutation; the point exists anyway.
          if (has(F_PREEMPT_AFTER_UNLOCK)) {
            if (preemptPoint(ti, mi, gi, POINT_AFTER_UNLOCK)) return CB_PREEMPTED;
          } else {
            atPoint(ti, POINT_AFTER_UNLOCK, gi);
          }
          if (stopReason != STOP_RUNNING) return CB_ENDED;
        }
        break;
      }
      default:
        return callbackTail(ti, ctx, gi, f) ? CB_DONE : CB_ENDED;
    }
  }
  return CB_ENDED;
}

/** cgocallbackg after the deferred calls, then cgocallback's return to C. */
function callbackTail(ti: i32, ctx: i32, gi: i32, f: CallbackFrame): bool {
  const gp = grec(gi);
  const mi = <i32>gp.m - 1;
  const m = mrec(mi);
  const checkm = <i32>f.m - 1;
  if (m.isextra != 0 && (!has(F_ISEXTRAINC_ONLY_NCGO0) || m.ncgo == 0)) m.isExtraInC = 1;
  if (has(F_M_CHANGED_CHECK) && mi != checkm) {
    crashOperand(0, <u64>mrec(checkm).id);
    crashOperand(1, <u64>m.id);
    crashOperand(2, gp.goid);
    crash(CRASH_M_CHANGED, ti, mi, gi, FN_CGOCALLBACKG);
    return false;
  }
  atPoint(ti, POINT_BEFORE_REENTER, gi);
  if (stopReason != STOP_RUNNING) return false;
  // The saved values come back from cgocallbackg's frame, found by its depth below stack.hi.
  const frameSp = gp.stackHi - f.frameDepth;
  assert(frameSp == gp.schedSp, 'callbackReturn: cgocallbackg frame is not innermost');
  const savedsp = load<u64>(loc(frameSp + (<u64>SAVEDSP_WORD << 3)));
  const savedbp = load<u64>(loc(frameSp + (<u64>SAVEDBP_WORD << 3)));
  const savedpc = load<u64>(loc(frameSp + (<u64>SAVEDPC_WORD << 3)));
  if (!reentersyscall(ti, mi, gp, savedpc, savedsp, savedbp)) return false;
  // Back out through cgocallbackg and cgocallback to curg.sched.
  if (!returnFunc(ti, mi, gi) || !returnFunc(ti, mi, gi)) return false;
  popFrame(ctx);
  const g0 = grec(<i32>m.g0 - 1);
  if (mi != checkm) {
    // cgocallback switches to this M's g0.sched.sp and "returns" into whatever is there: this
    // M's scheduler frames, not the C frames, which are on the other M's stack (#47441).
    crashOperand(0, gp.goid);
    crashOperand(1, <u64>m.id);
    crashOperand(2, <u64>mrec(checkm).id);
    crashOperand(3, g0.schedSp);
    crashOperand(4, <u64>mi);
    crashOperand(5, <u64>checkm);
    crash(CRASH_SIGSEGV_WRONG_M, ti, mi, gi, FN_CGOCALLBACK);
    return false;
  }
  if (has(F_SAVE_RESTORE_G0)) {
    setG0Bounds(m, f.savedG0Lo, f.savedG0Hi);
    m.g0StackAccurate = (f.bits & CB_OLD_ACCURATE) != 0 ? 1 : 0;
    count(C_BOUNDS_RESTORES);
    emit(EV_BOUNDS_RESTORED, ti, mi, f.savedG0Lo, f.savedG0Hi);
  }
  // cgocallback, after cgocallbackg returns: back on g0, reload the saved g0.sched.sp.
  const t = thread(ti);
  const spcb = g0.schedSp;
  if (!cStackUsable(ti, mi, spcb)) return false;
  g0.schedSp = load<u64>(loc(spcb));
  t.tlsG = m.g0;
  emit(EV_CALLBACK_RETURN, ti, mi, spcb, g0.schedSp);
  if ((f.bits & CB_CTXT) != 0) addLiveContexts(-1);
  if ((f.bits & CB_NEEDM) != 0 && !mCacheActive()) return dropm(ti, mi, spcb);
  return true;
}

/**
 * A signal on thread ti whose handler runs Go: the body [start, end) on a signal frame. spGiven:
 * the scenario says where the handler runs (sp), and the handler is taken to run there; otherwise
 * the kernel chooses from the thread's sigaltstack and sigtrampgo checks it (signalstack.ts).
 */
export function signalEnter(ti: i32, sp: u64, spGiven: bool, start: u32, end: u32, op: u32): void {
  const t = thread(ti);
  count(C_SIGNALS);
  if (!spGiven) {
    sp = deliverSignal(ti, t.sp);
    if (sp == 0) return;
  }
  emit(EV_SIGNAL, ti, -1, sp, 0);
  let bits: u32 = 0;
  let mi: i32;
  const savedG = t.tlsG;
  // sigtrampgo: no g, or (go1.21+) an extra M whose goroutine is in C: badsignal → needm.
  const gm = savedG == 0 ? -1 : <i32>grec(<i32>savedG - 1).m - 1;
  const extraInC = gm >= 0 && has(F_M_CACHE_PTHREAD_KEY) && mrec(gm).isextra != 0 && mrec(gm).isExtraInC != 0;
  if (savedG == 0 || (!spGiven && extraInC)) {
    if (savedG != 0) {
      t.tlsG = 0; // setg(nil): badsignal takes an M of its own; sigtrampgo puts g back after
      t.m = 0;
      bits |= SIG_RESTORE_G;
    }
    mi = needm(ti, sp, true);
    if (mi < 0) return;
    bits |= CB_NEEDM;
    if (!spGiven) emit(EV_SIGNAL_HANDLER, ti, mi, sp, <u64>SIGH_BADSIGNAL);
  } else {
    // The thread has an M: the handler runs on its gsignal.
    mi = gm;
    if (spGiven) {
      // The signal stack is where the scenario put the SP: the block there, else the size Go
      // gives gsignal (32 KiB).
      const ri = regionAt(sp);
      const live = ri >= 0 && region(ri).state != RS_FREED;
      t.gsignalLo = live ? region(ri).lo : sp - GSIGNAL_STACK_BYTES;
      t.gsignalHi = live ? region(ri).hi : sp + 1024;
    } else {
      if (!adjustSignalStack(ti, mi, sp)) return;
      emit(EV_SIGNAL_HANDLER, ti, mi, sp, <u64>adjustedHow);
      t.gsignalLo = adjustedLo;
      t.gsignalHi = adjustedHi;
    }
    t.gsignalSp = sp;
    t.flags |= TF_ON_GSIGNAL;
  }
  const g0 = grec(<i32>mrec(mi).g0 - 1);
  const pushed = pushFrame(ti + 1, FK_SIGNAL, start, end, op);
  if (pushed == null) return tooDeep(ti);
  const f = signalFrame(pushed);
  f.m = <u32>mi + 1;
  f.bits = bits;
  f.savedG = savedG;
  f.savedG0SchedSp = g0.schedSp;
  f.signalSp = sp;
  if ((bits & CB_NEEDM) != 0) g0.schedSp = sp;
}

/** badsignal ends with dropm for an M it took; sigtrampgo then puts back the g it found. */
export function signalExit(ti: i32, f: SignalFrame): void {
  const mi = <i32>f.m - 1;
  const t = thread(ti);
  t.flags &= ~TF_ON_GSIGNAL;
  grec(<i32>mrec(mi).g0 - 1).schedSp = f.savedG0SchedSp;
  if ((f.bits & CB_NEEDM) != 0 && !dropm(ti, mi, f.signalSp)) return;
  if ((f.bits & SIG_RESTORE_G) != 0) {
    t.tlsG = f.savedG;
    t.m = grec(<i32>f.savedG - 1).m;
  }
}

/**
 * A signal while Go code runs on thread ti (a fault, or a signal another thread sends): the kernel
 * picks the stack, sigtrampgo checks it, Go's handler runs (no scenario body) and returns.
 */
export function signalInGo(ti: i32): void {
  const t = thread(ti);
  const mi = <i32>t.m - 1;
  const gp = grec(<i32>t.tlsG - 1);
  count(C_SIGNALS);
  const sp = deliverSignal(ti, gp.schedSp);
  if (sp == 0) return;
  emit(EV_SIGNAL, ti, mi, sp, 0);
  if (!adjustSignalStack(ti, mi, sp)) return;
  emit(EV_SIGNAL_HANDLER, ti, mi, sp, <u64>adjustedHow);
}

// ---- Go → C ----

/** The Go code running on thread ti calls C: cgocall → entersyscall → asmcgocall. */
export function cgocallEnter(ti: i32, start: u32, end: u32, op: u32, nocallback: bool): void {
  const t = thread(ti);
  const mi = <i32>t.m - 1;
  const m = mrec(mi);
  const gi = m.curg;
  const gp = grec(<i32>gi - 1);
  if (nocallback) {
    // _Cfunc_ of a function marked #cgo nocallback: runtime.cgoNoCallback(true) before the call.
    if (!has(F_NOCALLBACK_DIRECTIVE)) return invalid(INVALID_NOCALLBACK_UNSUPPORTED, ti);
    gp.noCallback = 1;
  }
  const g0 = grec(<i32>m.g0 - 1);
  count(C_CGOCALLS);
  m.ncgocall++;
  if (has(F_NCGO_BEFORE_ENTERSYSCALL)) m.ncgo++;
  // cgocall's own prologue comes first: it may grow the stack before entersyscall.
  if (!callFunc(ti, mi, <i32>gi - 1, RF_CGOCALL)) return;
  // entersyscall records the cgocall frame: its SP, PC and (go1.23+) frame pointer.
  const sp = gp.schedSp;
  gp.stackguard0 = STACK_PREEMPT;
  gp.throwsplit = 1;
  gp.syscallsp = sp;
  gp.syscallpc = gp.schedPc;
  if (has(F_SYSCALLBP)) gp.syscallbp = gp.schedBp;
  gp.status = G_SYSCALL;
  atPoint(ti, POINT_AFTER_ENTERSYSCALL, <i32>gi - 1);
  if (stopReason != STOP_RUNNING) return;
  m.incgo = 1;
  if (!has(F_NCGO_BEFORE_ENTERSYSCALL)) m.ncgo++;
  const pushed = pushFrame(ti + 1, FK_CGOCALL, start, end, op);
  if (pushed == null) return tooDeep(ti);
  const f = cgocallFrame(pushed);
  f.m = <u32>mi + 1;
  f.g = gi;
  f.cSp = t.sp;
  f.cLo = t.curLo;
  f.cHi = t.curHi;
  f.cRegion = t.curRegion;
  f.frameDepth = gp.stackHi - sp;
  // asmcgocall: C runs on g0, aligned below g0.sched.sp (physical.ts: the legacy 16 bytes, or
  // the release's alignment and the return address of its call).
  t.sp = cgocallSp(g0.schedSp);
  t.tlsG = m.g0;
  emit(EV_CGOCALL, ti, mi, t.sp, <u64>m.ncgo);
}

/** C returned to cgocall. */
export function cgocallExit(ti: i32, f: CgocallFrame): void {
  const t = thread(ti);
  const mi = <i32>f.m - 1;
  const m = mrec(mi);
  const gp = grec(<i32>f.g - 1);
  t.sp = f.cSp;
  t.curLo = f.cLo;
  t.curHi = f.cHi;
  t.curRegion = f.cRegion;
  t.tlsG = f.g;
  m.incgo = 0;
  m.ncgo--;
  // cgoNoCallback(false) after a marked call; a panic past it never gets here, and the flag stays.
  if (load<u32>(opPtr(<i32>f.op), OPR_D) != 0) gp.noCallback = 0;
  assert(m.ncgo >= 0, 'cgocall: ncgo went negative');
  emit(EV_CGOCALL_RETURN, ti, mi, t.sp, <u64>m.ncgo);
  // asmcgocall: SP = g.stack.hi - depth, wherever the stack has moved meanwhile.
  gp.schedSp = gp.stackHi - f.frameDepth;
  if (!exitsyscall(ti, mi, m, gp, FN_EXITSYSCALLFAST_FUNC1)) return;
  returnFunc(ti, mi, <i32>f.g - 1);
}

/** `systemstack`: a splittable function runs on g0 at g0.sched.sp. */
/** An idle Go-created M for slot `slot` (-1: one the runtime makes, as wakep/startm would). */
export function idleM(slot: i32): i32 {
  if (slot >= 0 && mrec(slot).inUse != 0) return slot;
  const mi = goM(slot, false, 0, 0);
  if (mi >= 0) setMState(mi, MS_IDLE);
  return mi;
}

export function systemstack(ti: i32): void {
  const mi = <i32>thread(ti).m - 1;
  const m = mrec(mi);
  const g0 = grec(<i32>m.g0 - 1);
  count(C_SYSTEMSTACK);
  const t = thread(ti);
  // On gsignal, systemstack calls fn where it is: the check is against the signal stack.
  if ((t.flags & TF_ON_GSIGNAL) != 0) gsignalCheck(ti, mi, t.gsignalLo, t.gsignalHi, checkSp(t.gsignalSp));
  else g0Work(ti, mi, G0W_SYSTEMSTACK);
}

// ---- Go's own goroutines ----

/** mstartm0: a cgo binary makes its first extra M before main runs. */
export function startRuntime(): bool {
  if (cgoHasExtraM) return true;
  setCgoHasExtraM(true);
  return oneNewExtraM(-1) >= 0;
}

/** Creates Go M `slot` with its thread on first use (m0: the main thread). Returns the M, or -1 (run ended). */
function goM(mslot: i32, pinned: bool, lo: u64, hi: u64, isM0: bool = false): i32 {
  if (mslot >= 0) {
    const m = mrec(mslot);
    if (m.inUse != 0) {
      if (mState(mslot) == MS_EXITED) {
        invalid(INVALID_M_EXITED, <i32>m.thread - 1);
        return -1;
      }
      if (m.curg != 0) {
        invalid(INVALID_M_BUSY, <i32>m.thread - 1);
        return -1;
      }
      const t = thread(<i32>m.thread - 1);
      if (pinned && (t.stackLo != lo || t.stackHi != hi)) {
        crashOperand(0, lo);
        crashOperand(1, hi);
        crashOperand(2, t.stackLo);
        crashOperand(3, t.stackHi);
        invalid(INVALID_M_STACK, <i32>m.thread - 1);
        return -1;
      }
      return mslot;
    }
  }
  const ti = allocGoThread();
  const slot = ti < 0 ? -1 : allocM(mslot);
  if (slot < 0) {
    invalid(INVALID_TOO_MANY, -1);
    return -1;
  }
  const m = mrec(slot);
  if (!pinned) {
    lo = place(M_THREAD_STACK_BYTES, false);
    hi = lo + M_THREAD_STACK_BYTES;
    if (lo == 0) {
      invalid(INVALID_NO_SPACE, ti);
      return -1;
    }
  } else if (liveOverlap(lo, hi) >= 0) {
    reportOverlap(lo, hi, liveOverlap(lo, hi));
    invalid(INVALID_REGION_OVERLAP, ti);
    return -1;
  }
  const t = thread(ti);
  if (isM0) {
    t.flags |= TF_MAIN;
    t.tid = PID_BASE;
  }
  const ri = addRegion(lo, hi, RK_M_STACK, <u32>slot, -1);
  if (ri < 0) {
    invalid(INVALID_TOO_MANY, ti);
    return -1;
  }
  t.stackLo = lo;
  t.stackHi = hi;
  t.curLo = lo;
  t.curHi = hi;
  t.region = <u32>ri + 1;
  t.curRegion = <u32>ri + 1;
  t.m = <u32>slot + 1;
  m.thread = <u32>ti + 1;
  m.procid = t.tid;
  setG0Bounds(m, lo + M_G0_LO_RESERVE, hi);
  const g0 = grec(<i32>m.g0 - 1);
  g0.stackguard1 = g0.stackguard0;
  g0.schedSp = hi - ENTRY_SP_OFFSET;
  t.sp = g0.schedSp;
  t.state = THREAD_LIVE;
  minitGoThread(ti, slot);
  return slot;
}

/**
 * `go`: goroutine gi (goid) runs body [start, end) on Go M `mslot`. Stacks pinned by the scenario
 * come in gLo/gHi and mLo/mHi (0 when the runtime chooses). Returns the thread it runs on, or -1.
 */
export function goStart(gi: i32, goid: u64, mslot: i32, gLo: u64, gHi: u64, mLo: u64, mHi: u64,
  start: u32, end: u32, op: u32, isM0: bool = false): i32 {
  if (!startRuntime()) return -1;
  const mi = goM(mslot, mLo != 0 || mHi != 0, mLo, mHi, isM0);
  if (mi < 0) return -1;
  const m = mrec(mi);
  const ti = <i32>m.thread - 1;
  const t = thread(ti);
  if (!newGoroutine(ti, gi, goid, gLo, gHi)) return -1;
  const gp = grec(gi);
  gp.status = G_RUNNING;
  gp.m = <u32>mi + 1;
  gp.syscallsp = 0;
  gp.syscallbp = 0;
  m.curg = <u32>gi + 1;
  t.tlsG = <u32>gi + 1;
  setMState(mi, MS_RUNNING);
  count(C_GOROUTINES);
  emit(EV_GO, ti, mi, goid, gp.stackLo);
  const pushed = pushFrame(gctx(gi), FK_GOROUTINE, start, end, op);
  if (pushed == null) {
    tooDeep(ti);
    return -1;
  }
  const f = goroutineFrame(pushed);
  f.m = <u32>mi + 1;
  f.g = <u32>gi + 1;
  f.coro = 0;
  return ti;
}

/** The goid goInstance chose for the record it returned. */
export let instanceGoid: u64 = 0;

/**
 * The goroutine record for one run of a `go` step that stands inside `repeat` (host: the step's
 * goroutine, as the host numbers it; goid: the goid the host gave it). Go's newproc takes a dead g
 * from the P's free list (gfget) when there is one and always gives it a fresh goid; here: the
 * step's own record on its first run (with the host's goid); else the step's own record or the
 * lowest record an earlier run of the same step left dead, zeroed for the new goroutine; else a new
 * record. The step's own record remembers the latest run's, so `resume`, `preempt` and `at` naming
 * the id act on the goroutine the step started last. -1 when the goroutine table is full (the run
 * ends with an input error about the step's id).
 */
export function goInstance(ti: i32, host: i32, goid: u64): i32 {
  const own = grec(host);
  if (own.inUse == 0) {
    own.instanceOf = <u32>host + 1;
    instanceGoid = goid;
    return host;
  }
  let gi = -1;
  if (own.status == G_DEAD) gi = host;
  else {
    const n = gCount;
    debt(<u64>(n - hostGs), WORK_OPS);
    for (let i = hostGs; i < n; i++) {
      const gp = grec(i);
      if (gp.instanceOf == <u32>host + 1 && gp.status == G_DEAD) { gi = i; break; }
    }
  }
  if (gi < 0) {
    gi = allocG();
    if (gi < 0) {
      crashOperand(0, <u64>MAX_GS);
      invalid(INVALID_TOO_MANY_GS, ti);
      return -1;
    }
  }
  memory.fill(gPtr(gi), 0, G_SIZE);
  clearResumeOn(gi);
  const gp = grec(gi);
  gp.instanceOf = <u32>host + 1;
  grec(host).latest = gi == host ? 0 : <u32>gi + 1;
  instanceGoid = newGoid();
  return gi;
}

/**
 * newproc1's part that `go` on the timeline (goStart), newproc and newcoro share: goroutine gi (goid) gets its stack (pinned by
 * gLo/gHi, else the runtime's) and its entry frames, without an M. False when the run ended.
 */
export function newGoroutine(ti: i32, gi: i32, goid: u64, gLo: u64, gHi: u64): bool {
  const gp = grec(gi);
  if (gp.inUse != 0) {
    invalid(INVALID_M_BUSY, ti);
    return false;
  }
  if (gLo == 0 && gHi == 0) {
    gLo = place(fixedStack(), true);
    gHi = gLo + fixedStack();
    if (gLo == 0) {
      invalid(INVALID_NO_SPACE, ti);
      return false;
    }
  } else if (liveOverlap(gLo, gHi) >= 0) {
    reportOverlap(gLo, gHi, liveOverlap(gLo, gHi));
    invalid(INVALID_REGION_OVERLAP, ti);
    return false;
  }
  const ri = addRegion(gLo, gHi, RK_GO_STACK, <u32>gi, 0);
  if (ri < 0) {
    invalid(INVALID_TOO_MANY, ti);
    return false;
  }
  gp.inUse = 1;
  gp.region = <u32>ri + 1;
  gp.stackLo = gLo;
  gp.stackHi = gHi;
  gp.stackguard0 = gLo + stackGuard;
  gp.stackguard1 = 0xffffffffffffffff;
  startGoroutineFrames(gp, true);
  gp.goid = goid;
  gp.m = 0;
  return true;
}

/**
 * `go` inside a Go body: newproc. Goroutine gi (goid) gets a stack (pinned by gLo/gHi, else the
 * runtime's) and its entry frames, becomes runnable and goes to the run queue without an M; the
 * goroutine that said `go` carries on. Whichever M the scheduler picks runs it later.
 */
export function newproc(ti: i32, gi: i32, goid: u64, gLo: u64, gHi: u64, start: u32, end: u32, op: u32): void {
  const mi = <i32>thread(ti).m - 1;
  if (!newGoroutine(ti, gi, goid, gLo, gHi)) return;
  grec(gi).status = G_RUNNABLE;
  const pushed = pushFrame(gctx(gi), FK_GOROUTINE, start, end, op);
  if (pushed == null) return tooDeep(ti);
  const f = goroutineFrame(pushed);
  f.m = 0;
  f.g = <u32>gi + 1;
  f.coro = 0;
  count(C_GOROUTINES);
  emit(EV_NEWPROC, ti, mi, goid, grec(gi).stackLo);
  runqPutNew(gi);
}

/** goexit: the goroutine is done; its stack goes back to Go (poisoned, as stackfree would). */
export function goExit(ti: i32, f: GoroutineFrame): void {
  const gp = grec(<i32>f.g - 1);
  const mi = <i32>gp.m - 1; // the M it exits on: maybe not the one it started on
  const m = mrec(mi);
  gp.status = G_DEAD;
  emit(EV_GOEXIT, ti, mi, gp.goid, 0);
  if (gp.region != 0) freeRegion(<i32>gp.region - 1, GO_STACK_POISON);
  m.curg = 0;
  gp.m = 0;
  thread(ti).tlsG = m.g0;
  if (m.lockedExt != 0 || m.lockedInt != 0) {
    // goexit0 on a goroutine still locked to its thread: the thread goes with it (mexit), and the
    // M never runs Go again. The main thread cannot exit (on Linux that leaves a zombie process):
    // m0 hands off its P and parks for ever instead.
    m.lockedExt = 0;
    m.lockedInt = 0;
    m.lockedg = 0;
    gp.lockedm = 0;
    setMState(mi, MS_EXITED);
    const t = thread(ti);
    if ((t.flags & TF_MAIN) != 0) {
      t.flags |= TF_WEDGED;
      emit(EV_M_WEDGED, ti, mi, t.tid, 0);
    } else {
      t.state = THREAD_EXITED;
      emit(EV_THREAD_EXIT, ti, mi, t.tid, 0);
    }
  } else {
    setMState(mi, MS_IDLE);
  }
}

