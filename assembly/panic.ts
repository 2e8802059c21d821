// Panics, recover and Goexit through callbacks (docs/model.md §17).
//
// A panic in Go code that C called unwinds the goroutine's stack past the C frames: Go frames are
// left by moving SP, C frames are abandoned (the runtime never returns into them). What keeps the
// M sane is the deferred calls cgocallbackg1 registered, which run as the panic passes, LIFO:
//   1. unwindm(restore = true): g0.sched.sp := the value cgocallback saved on the C stack at SP_cb.
//      Without it each panic would leave g0.sched.sp lower than before, and a loop of them would
//      exhaust g0 (TestCallbackPanicLoop). If ncgo > 0, the abandoned cgocall's accounting:
//      incgo = false, ncgo--. From go1.22 (532615) it also undoes cgocallbackg's lockOSThread,
//      whose unlock in cgocallbackg is never reached (go1.17rc1's unwindm unlocked as well).
//   2. The traceback-context pop closure (with SetCgoTraceback's context).
//   3. go1.17–go1.21: the deferred unlockOSThread, registered first so it runs last.
// Nothing else of the way back to C runs: no reentersyscall, no dropm, no release of the cgo
// traceback context by the exported function's C wrapper, and on tip no restore of the caller's
// g0 bounds. A panic raised in cgocallbackg before cgocallbackg1 (#cgo nocallback) passes a
// callback that registered none of these.
//
// Main path of a panic on goroutine gp (gopanic):
//   1. Find the innermost `recover` frame: a function whose deferred closure calls recover().
//      None: the panic is fatal, "panic: <value>" and exit 2.
//   2. Leave the frames above it, innermost first: at each callback run its deferred calls and
//      abandon the thread's C frames down to the cgocall that led there (the thread's C SP, stack
//      and TLS g are what they were before that cgocall).
//   3. At the recover frame: SP back to that function's frame, recover() returns the value, the
//      function returns normally and its caller goes on.
// Goexit (goexit) is the same walk, past every recover (recover() returns nil under Goexit), down
// to the goroutine's first frame; then gdestroy: a goroutine still internally locked to its thread
// (lockedInt != 0, as an extra M's goroutine always is) throws, with the text of the version.
//
// The recover function's frame is a RecoverFrame (frames.ts).

import {
  ASSERT_RECOVERED, CRASH_ASSERT, CRASH_GOEXIT_LOCKED, CRASH_PANIC, C_GOEXITS, C_PANICS, C_RECOVERS,
  DEFER_CTXT_POP, DEFER_UNLOCK, DEFER_UNWINDM, EV_C_ABANDONED, EV_DEFER, EV_PANIC, EV_RECOVER, EV_UNWINDM,
  F_DEFER_UNLOCK_FIRST, F_UNLOCK_IN_CGOCALLBACKG, F_UNWINDM_UNLOCKS, INVALID_TOO_DEEP, RF_RECOVER, STOP_RUNNING,
} from './abi';
import { loc } from './memory';
import { thread, mrec, grec } from './records';
import { has } from './profile';
import { count, emit, crash, crashOperand, failed, invalid, stopReason } from './results';
import {
  Frame, CallbackFrame, RecoverFrame, frameAt, depthOf, pushFrame, popFrame, gctx, callbackFrame, cgocallFrame, goroutineFrame,
  recoverFrame, FK_CALLBACK, FK_CGOCALL, FK_GOROUTINE, FK_RECOVER,
} from './frames';
import { callFunc, returnFunc, funcPc, frameSizeOf } from './stack';
import { cStackUsable, unlockOSThread, g1Pending, callbackHasCtxt, goExit } from './cgocall';

/** `recover`: call a function that defers a recover(), and run its body [start, end) in it. */
export function recoverEnter(ctx: i32, ti: i32, start: u32, end: u32, op: u32, want: u32): void {
  const mi = <i32>thread(ti).m - 1;
  const gi = <i32>mrec(mi).curg - 1;
  const gp = grec(gi);
  if (!callFunc(ti, mi, gi, RF_RECOVER)) return;
  const pushed = pushFrame(ctx, FK_RECOVER, start, end, op);
  if (pushed == null) return invalid(INVALID_TOO_DEEP, ti);
  const f = recoverFrame(pushed);
  f.m = <u32>mi + 1;
  f.want = want;
  f.frameDepth = gp.stackHi - gp.schedSp;
  f.recovered = 0;
}

/** The recover function's body ended (already popped): its deferred recover() finds no panic. */
export function recoverExit(ti: i32, f: RecoverFrame): void {
  const mi = <i32>thread(ti).m - 1;
  const gi = <i32>mrec(mi).curg - 1;
  if (f.want != 0) {
    // The program expected a panic here and none came (the cgo tests' t.Fatal("did not panic")).
    wrongPanic(ti, mi, gi, 0, f.want);
    return;
  }
  returnFunc(ti, mi, gi);
}

function wrongPanic(ti: i32, mi: i32, gi: i32, got: u32, want: u32): void {
  crashOperand(0, <u64>ASSERT_RECOVERED);
  crashOperand(1, <u64>got);
  crashOperand(2, <u64>want);
  crashOperand(3, grec(gi).goid);
  failed(CRASH_ASSERT, ti, mi, gi);
}

/**
 * The deferred calls of callback frame f as a panic or Goexit passes it, on thread ti (docs above).
 * Returns false when the run ended.
 */
function callbackDefers(ti: i32, gi: i32, f: CallbackFrame): bool {
  if (g1Pending(changetype<Frame>(f))) return true; // cgocallbackg1 never ran: nothing deferred yet
  const gp = grec(gi);
  const mi = <i32>gp.m - 1;
  const m = mrec(mi);
  const g0 = grec(<i32>m.g0 - 1);
  emit(EV_DEFER, ti, mi, DEFER_UNWINDM, 0);
  const spcb = g0.schedSp;
  if (!cStackUsable(ti, mi, spcb)) return false;
  g0.schedSp = load<u64>(loc(spcb));
  if (m.ncgo > 0) {
    m.incgo = 0;
    m.ncgo--;
  }
  emit(EV_UNWINDM, ti, mi, g0.schedSp, <u64>m.ncgo);
  const unwindmUnlocks = has(F_UNLOCK_IN_CGOCALLBACKG) || !has(F_DEFER_UNLOCK_FIRST) || has(F_UNWINDM_UNLOCKS);
  if (unwindmUnlocks && !unlockOSThread(ti, mi, m)) return false;
  if (callbackHasCtxt(f)) emit(EV_DEFER, ti, mi, DEFER_CTXT_POP, 0);
  if (has(F_DEFER_UNLOCK_FIRST)) {
    emit(EV_DEFER, ti, mi, DEFER_UNLOCK, 0);
    if (!unlockOSThread(ti, mi, m)) return false;
  }
  return true;
}

/** Abandons thread ti's C frames down to (and with) the cgocall goroutine gi made. */
function abandonC(ti: i32, gi: i32): void {
  const t = thread(ti);
  const cctx = ti + 1;
  while (depthOf(cctx) > 0) {
    const top = frameAt(cctx, depthOf(cctx) - 1);
    popFrame(cctx);
    if (top.kind != FK_CGOCALL) continue;
    const c = cgocallFrame(top);
    if (c.g == <u32>gi + 1) {
      // The thread is back where cgocall left it; the Go frames of that call go with the panic.
      t.sp = c.cSp;
      t.curLo = c.cLo;
      t.curHi = c.cHi;
      t.curRegion = c.cRegion;
      t.tlsG = <u32>gi + 1;
      emit(EV_C_ABANDONED, ti, <i32>c.m - 1, t.sp, 0);
      return;
    }
  }
}

/**
 * panic(value) (value: the scenario's panic value + 1; 0: the runtime's nocallback panic) or
 * runtime.Goexit (goexit) on the goroutine running on thread ti.
 */
export function gopanic(ti: i32, value: u32, goexit: bool): void {
  const mi = <i32>thread(ti).m - 1;
  const gi = <i32>mrec(mi).curg - 1;
  const gp = grec(gi);
  const ctx = gctx(gi);
  count(goexit ? C_GOEXITS : C_PANICS);
  emit(EV_PANIC, ti, mi, gp.goid, goexit ? 0xffffffff : <u64>value);
  let target: i32 = -1;
  if (!goexit) {
    for (let d = <i32>depthOf(ctx) - 1; d >= 0; d--) {
      if (frameAt(ctx, <u32>d).kind == FK_RECOVER) {
        target = d;
        break;
      }
    }
    if (target < 0) {
      // Nothing recovers: the deferred calls run and fatalpanic prints the value (what it prints
      // does not depend on them).
      crashOperand(0, <u64>value);
      crashOperand(1, gp.goid);
      crashOperand(2, gp.lockedm != 0 ? 1 : 0);
      crash(CRASH_PANIC, ti, mi, gi, 0);
      return;
    }
  }
  // Leave every frame above the target; Goexit keeps the goroutine's first frame for gdestroy.
  const keep: i32 = goexit ? 1 : target + 1;
  while (<i32>depthOf(ctx) > keep) {
    const f = frameAt(ctx, depthOf(ctx) - 1);
    if (f.kind == FK_CALLBACK) {
      if (!callbackDefers(ti, gi, callbackFrame(f))) return;
      popFrame(ctx);
      if (depthOf(ctx) == 0) break; // a callback on a C thread: its goroutine has nothing below
      abandonC(ti, gi);
    } else {
      popFrame(ctx);
    }
  }
  if (goexit) return goexitBottom(ti, gi);
  // recover(): the recover function's frame is innermost again, and it returns normally.
  const f = recoverFrame(frameAt(ctx, <u32>target));
  gp.schedSp = gp.stackHi - f.frameDepth;
  gp.schedBp = gp.schedSp + <u64>frameSizeOf(RF_RECOVER) - 8;
  gp.schedPc = funcPc(RF_RECOVER);
  popFrame(ctx);
  f.recovered = 1;
  count(C_RECOVERS);
  const rmi = <i32>grec(gi).m - 1;
  emit(EV_RECOVER, ti, rmi, gp.goid, gp.schedSp);
  if (f.want != 0 && f.want != value) return wrongPanic(ti, rmi, gi, value, f.want);
  returnFunc(ti, rmi, gi);
}

/** Goexit has run every deferred call: goexit1 → goexit0/gdestroy on the first frame left. */
function goexitBottom(ti: i32, gi: i32): void {
  const ctx = gctx(gi);
  const gp = grec(gi);
  const mi = <i32>gp.m - 1;
  const m = mrec(mi);
  if (depthOf(ctx) > 0) {
    const f = frameAt(ctx, depthOf(ctx) - 1);
    if (f.kind == FK_CALLBACK) {
      // A goroutine of a C thread's extra M has no frame of its own below the callback.
      if (!callbackDefers(ti, gi, callbackFrame(f))) return;
      popFrame(ctx);
    } else if (f.kind == FK_GOROUTINE && m.lockedInt == 0) {
      popFrame(ctx);
      goExit(ti, goroutineFrame(f));
      return;
    }
  }
  if (m.lockedInt != 0) {
    crashOperand(0, <u64>m.lockedInt);
    crashOperand(1, <u64>m.isextra);
    crash(CRASH_GOEXIT_LOCKED, ti, mi, gi, 0);
    return;
  }
  assert(stopReason != STOP_RUNNING, 'goexit: a goroutine with no first frame and no internal lock');
}
