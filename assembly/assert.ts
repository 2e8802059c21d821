// Program-level assertions: the checks Go's own cgo tests make about the runtime from inside the
// program (docs/model.md §16). A test program that finds the runtime in the wrong state prints a
// line and fails; here a failed `assert` step ends the run with verdict "failed" (STOP_FAILED), a
// verdict of its own, distinct from a runtime crash.
//
// What each check reads, in runtime terms:
//   sameM           getm(): the M running this thread now, compared with the M this same thread
//                   had at its previous sameM check (TestEnsureBindM: with a pthread key, go1.21+,
//                   a C thread keeps its extra M between callbacks). The first check records;
//                   `false` asserts that the M differs.
//   sameThread      gettid(): the thread the goroutine runs on, compared with the thread it ran on
//                   at its previous sameThread check (TestThreadLock: LockOSThread pins it).
//   numGoroutine    runtime.NumGoroutine(): gcount() = allglen - gFree - ngsys. Goroutines that
//                   exited are on gFree; an idle extra M's goroutine is _Gdead and counted in ngsys
//                   (oneNewExtraM adds it, needm takes it out, dropm puts it back), so it counts only
//                   while a callback uses it. Plus 1 for the main goroutine, which the timeline is.
//   extraMInUse     extra Ms taken off the extra list and not returned (getExtraM/putExtraM; the
//                   runtime keeps this count from go1.21, the quantity exists in every version).
//   tracebackContexts  contexts the cgo context function handed out and not yet released: the
//                   exported function's C wrapper takes one before crosscall2 and releases it when
//                   the callback returns to C; a panic that unwinds past the C frames never
//                   releases it (TestCgoTracebackContext counts them).
//   locked          lockedOSThread(): gp.lockedm != 0 && gp.m.lockedg != 0.
//
// Per-thread and per-goroutine memory of the last sameM/sameThread answer: lastSameM below (by
// thread index: M id + 1, 0 for none; the thread record has no spare word left) and G.lastSameTid
// (the tid; tids start at PID_BASE, so 0 means none).

import {
  ASSERT_EXTRA_M_IN_USE, ASSERT_LOCKED, ASSERT_NUM_GOROUTINE, ASSERT_SAME_M, ASSERT_SAME_THREAD, ASSERT_SAVED_M,
  ASSERT_TRACEBACK_CONTEXTS, CRASH_ASSERT, C_ASSERTS, EV_ASSERT, G_DEAD, G_IDLE, MAX_THREADS,
} from './abi';
import { thread, mrec, grec } from './records';
import { count, emit, crashOperand, failed } from './results';
import { gCount, mCount, liveContexts } from './runtime';

// The M id + 1 each thread had at its previous sameM check (0: none yet), by thread index.
const lastSameM = new StaticArray<u32>(MAX_THREADS);
let sameMUsed = false;
// The M id + 1 the process's first savedM check saved (0: none yet): a Go global, as dropm.go's savedM.
let savedM: u32 = 0;

/** A new run, or a thread record reused for a new thread (-1: all): no sameM check made yet. */
export function forgetSameM(ti: i32): void {
  if (ti < 0) savedM = 0;
  if (!sameMUsed) return;
  if (ti >= 0) {
    lastSameM[ti] = 0;
    return;
  }
  memory.fill(changetype<usize>(lastSameM), 0, <usize>MAX_THREADS << 2);
  sameMUsed = false;
}

/** runtime.NumGoroutine() in the model: live goroutines other than g0s and idle extra-M ones, plus main. */
export function numGoroutine(): u64 {
  let n: u64 = 1;
  for (let gi = 0; gi < gCount; gi++) {
    const gp = grec(gi);
    if (gp.inUse != 0 && gp.isG0 == 0 && gp.status != G_DEAD && gp.status != G_IDLE) n++;
  }
  return n;
}

/** Extra Ms off the extra list: in use by a C thread (or bound to one by a pthread key). */
export function extraMInUse(): u64 {
  let n: u64 = 0;
  for (let mi = 0; mi < mCount; mi++) {
    const m = mrec(mi);
    if (m.inUse != 0 && m.isextra != 0 && m.onExtraList == 0) n++;
  }
  return n;
}

/**
 * An `assert` step run by the goroutine on thread ti: check `check`; `hasWant` says whether the
 * step gave a value, `want` is it. Returns false when the assertion failed (the run is over).
 */
export function assertStep(ti: i32, check: u32, hasWant: bool, want: u64): bool {
  count(C_ASSERTS);
  let got: u64 = 0;
  let expected: u64 = want;
  let ok = true;
  if (ti < 0) {
    // On the timeline (main's own code): only the process-wide counts (the validator allows no other).
    if (check == ASSERT_NUM_GOROUTINE) got = numGoroutine();
    else if (check == ASSERT_EXTRA_M_IN_USE) got = extraMInUse();
    else if (check == ASSERT_TRACEBACK_CONTEXTS) got = <u64>liveContexts;
    else unreachable();
    if (!hasWant || got == want) {
      emit(EV_ASSERT, -1, -1, <u64>check, got);
      return true;
    }
    crashOperand(0, <u64>check);
    crashOperand(1, got);
    crashOperand(2, want);
    crashOperand(3, 1); // main is goroutine 1
    failed(CRASH_ASSERT, -1, -1, -1);
    return false;
  }
  const t = thread(ti);
  const mi = <i32>t.m - 1;
  const m = mrec(mi);
  const gi = <i32>m.curg - 1;
  if (check == ASSERT_SAME_M) {
    got = <u64>m.id;
    const last = <u64>lastSameM[ti];
    expected = last == 0 ? got : last - 1;
    lastSameM[ti] = <u32>got + 1;
    sameMUsed = true;
    ok = last == 0 || (expected == got) == (want != 0);
  } else if (check == ASSERT_SAVED_M) {
    got = <u64>m.id;
    const saved = <u64>savedM;
    expected = saved == 0 ? got : saved - 1;
    if (saved == 0) savedM = <u32>got + 1;
    ok = saved == 0 || (expected == got) == (want != 0);
  } else if (check == ASSERT_SAME_THREAD) {
    const gp = grec(gi);
    got = t.tid;
    const last = <u64>gp.lastSameTid;
    expected = last == 0 ? got : last;
    gp.lastSameTid = <u32>got;
    ok = last == 0 || (expected == got) == (want != 0);
  } else {
    if (check == ASSERT_NUM_GOROUTINE) got = numGoroutine();
    else if (check == ASSERT_EXTRA_M_IN_USE) got = extraMInUse();
    else if (check == ASSERT_TRACEBACK_CONTEXTS) got = <u64>liveContexts;
    else if (check == ASSERT_LOCKED) {
      const gp = grec(gi);
      got = gp.lockedm != 0 && m.lockedg != 0 ? 1 : 0;
    } else unreachable();
    ok = !hasWant || got == want;
  }
  if (ok) {
    emit(EV_ASSERT, ti, mi, <u64>check, got);
    return true;
  }
  crashOperand(0, <u64>check);
  crashOperand(1, got);
  crashOperand(2, expected);
  crashOperand(3, grec(gi).goid);
  failed(CRASH_ASSERT, ti, mi, gi);
  return false;
}
