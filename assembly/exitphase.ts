// The process-exit phase (docs/model.md §19; Go: proc.go main, race.go racefini; issue 59711).
//
// When main.main returns (or os.Exit(0) runs), runtime.main calls exit(0): the exit_group system
// call. C's exit() never runs, so neither do its atexit handlers nor __attribute__((destructor))
// functions. A -race binary differs: racefini calls __tsan_fini, which ends in C's exit(), and
// that runs the destructors C registered, on this thread, on the g0 stack racecall switched to. A
// destructor may call back into Go, after main returned:
//   1. racefini takes raceFiniLock; since 59711 (go1.21) it calls entersyscall first, so the
//      goroutine is in a syscall as cgocallbackg expects.
//   2. __tsan_fini → exit(): the destructors run, the last registered first.
//   3. A callback from one: cgocallback finds this M (its g is set), cgocallbackg calls exitsyscall,
//      which throws "exitsyscall: syscall frame is no longer valid" on a goroutine that never
//      entered one (before go1.21).
//   4. exit() ends the process.

import {
  EV_ATEXIT, EV_PROCESS_EXIT, EV_RACEFINI, F_RACEFINI_ENTERSYSCALL, G_SYSCALL, INVALID_TOO_DEEP,
  INVALID_TOO_MANY, MAX_ATEXIT, OPR_END, OPR_START,
} from './abi';
import { opPtr } from './memory';
import { thread, mrec, grec } from './records';
import { has } from './profile';
import { emit, invalid, setStopDone } from './results';
import { pushFrame, FK_SEQ } from './frames';

// The destructors registered so far: the `atexit` ops (their bodies are the destructors).
const registered = new StaticArray<u32>(MAX_ATEXIT);
let nRegistered: i32 = 0;

export function resetExitPhase(): void { nRegistered = 0; }

/** `atexit` in a C body on thread ti: C registers destructor op `op`. */
export function atexit(ti: i32, op: u32): void {
  if (nRegistered >= MAX_ATEXIT) return invalid(INVALID_TOO_MANY, ti);
  registered[nRegistered++] = op;
  emit(EV_ATEXIT, ti, <i32>thread(ti).m - 1, <u64>nRegistered, 0);
}

/**
 * `osExit` in the Go code on thread ti (op `op`, `race` for a -race build). Without race the run
 * ends here; with it, the destructors are pushed on the thread's C context, above a frame of the
 * osExit op whose end is exit()'s (processExit).
 */
export function osExit(ti: i32, race: bool, op: u32): void {
  const t = thread(ti);
  const mi = <i32>t.m - 1;
  if (!race) {
    emit(EV_PROCESS_EXIT, ti, mi, 0, <u64>nRegistered);
    setStopDone();
    return;
  }
  const m = mrec(mi);
  const gp = grec(<i32>m.curg - 1);
  const g0 = grec(<i32>m.g0 - 1);
  const enters = has(F_RACEFINI_ENTERSYSCALL);
  emit(EV_RACEFINI, ti, mi, enters ? 1 : 0, <u64>nRegistered);
  if (enters) {
    gp.stackguard0 = 0xfffffffffffffade; // stackPreempt
    gp.throwsplit = 1;
    gp.syscallsp = gp.schedSp;
    gp.syscallpc = gp.schedPc;
    gp.syscallbp = gp.schedBp;
    gp.status = G_SYSCALL;
  }
  // racecall: C runs on g0's stack (the model's TLS g is g0 there, as in a cgocall).
  t.sp = (g0.schedSp - 16) & ~(<u64>15);
  t.tlsG = m.g0;
  const at = load<u32>(opPtr(<i32>op), OPR_START);
  if (pushFrame(ti + 1, FK_SEQ, at, at, op) == null) return invalid(INVALID_TOO_DEEP, ti);
  for (let i = 0; i < nRegistered; i++) {
    const d = registered[i];
    const start = load<u32>(opPtr(<i32>d), OPR_START);
    const end = load<u32>(opPtr(<i32>d), OPR_END);
    if (pushFrame(ti + 1, FK_SEQ, start, end, d) == null) return invalid(INVALID_TOO_DEEP, ti);
  }
}

/** exit(): the destructors are done; the process ends with status 0. */
export function processExit(ti: i32): void {
  emit(EV_PROCESS_EXIT, ti, <i32>thread(ti).m - 1, 0, 0);
  setStopDone();
}
