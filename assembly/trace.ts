// The execution tracer, as far as stacks go: starting, advancing generations, and the goroutine
// status pass of traceAdvance that takes the stack of every goroutine it does not run
// (docs/model.md §11.3, §11.5). Event emission order around status changes, the ownership
// check and the GC as a concurrent actor are a later mechanism.
//
// Main path of traceAdvance's status pass (go1.23+, TRACE_OTHER_G_STACKS):
//   1. For each goroutine that is not dead: suspendG takes its _Gscan bit (a goroutine in C keeps
//      running C; its Go stack is the tracer's to read).
//   2. traceStack(0, gp): mp = gp.lockedm. If that M has cgo frames on its stack (ncgo > 0, or it
//      is an extra M), take the slow path, which unwinds from syscallsp/syscallpc without frame
//      pointers. Otherwise the fast path: fpTracebackPCs from gp.syscallbp when gp is in a
//      syscall (go1.23+), from gp.sched.bp when not.
//   3. fpTracebackPCs follows saved frame pointers without any validation: pc = *(fp+8), fp = *fp.
//      A stale syscallbp (bug 002) points into a stack copystack already freed: every read there
//      is a use-after-free, which ends the run with verdict uaf.

import {
  CRASH_SIGSEGV_TRACE, CRASH_TRACE_OWNERSHIP, C_TRACE_ADVANCES, C_TRACE_FRAMES, C_TRACE_STACKS,
  EV_TRACE_ADVANCE, EV_TRACE_PARK, EV_TRACE_STACK, F_OWNERSHIP_GODEBUG, F_SYSCALLBP, F_TRACER_V2,
  F_TRACE_OTHER_G_STACKS, G_DEAD, G_RUNNABLE, G_RUNNING, G_SYSCALL, READ_FP_CHAIN, WORK_GOROUTINES, WORK_TRACE,
} from './abi';
import { grec, mrec, thread } from './records';
import { has } from './profile';
import { count, addCount, emit, crash, crashOperand, spend, debt } from './results';
import { traceCheckOwnership } from './points';
import { isWaitingForGC, setTracing } from './gstatus';
import { readable } from './stack';
import { gCount } from './runtime';
import { inWindow, loc } from './memory';

// The tracer's stack depth limit (traceStackSize): a walk stops after this many frames.
// @ts-ignore: decorator
@inline const TRACE_STACK_SIZE: i32 = 128;

let tracing: bool = false;
let generation: u64 = 0;

export function resetTrace(): void {
  tracing = false;
  setTracing(false);
  generation = 0;
}

export function traceStart(ti: i32): void {
  if (tracing) return;
  tracing = true;
  setTracing(true);
  generation = 1;
  emit(EV_TRACE_ADVANCE, ti, -1, generation, 0);
}

/** traceAdvance: a new generation and, from go1.23, every goroutine's status with its stack. */
export function traceAdvance(ti: i32): bool {
  if (!tracing) return true;
  generation++;
  count(C_TRACE_ADVANCES);
  emit(EV_TRACE_ADVANCE, ti, -1, generation, 0);
  if (!has(F_TRACER_V2) || !has(F_TRACE_OTHER_G_STACKS)) return true;
  if (!spend(<u64>gCount, WORK_GOROUTINES)) return false;
  for (let gi = 0; gi < gCount; gi++) {
    const gp = grec(gi);
    if (gp.inUse == 0 || gp.isG0 != 0 || gp.status == G_DEAD) continue;
    if (!traceStack(ti, gi)) return false;
  }
  return true;
}

/** StopTrace ends with a last advance. */
export function traceStop(ti: i32): bool {
  if (!tracing) return true;
  const ok = traceAdvance(ti);
  tracing = false;
  setTracing(false);
  return ok;
}

/** traceStack(0, gp) for a goroutine this thread does not run. Returns false when the run ended. */
function traceStack(ti: i32, gi: i32): bool {
  const gp = grec(gi);
  count(C_TRACE_STACKS);
  if (gp.lockedm != 0) {
    const mp = mrec(<i32>gp.lockedm - 1);
    if (mp.ncgo > 0 || mp.isextra != 0) {
      emit(EV_TRACE_STACK, ti, <i32>gp.lockedm - 1, gp.goid, 0); // slow path: no frame pointers
      return true;
    }
  }
  const fromSyscall = gp.status == G_SYSCALL && gp.syscallsp != 0 && has(F_SYSCALLBP);
  const fp = fromSyscall ? gp.syscallbp : gp.schedBp;
  const frames = fpTracebackPCs(ti, gi, fp);
  if (frames < 0) return false;
  emit(EV_TRACE_STACK, ti, -1, gp.goid, <u64>frames + 1);
  return true;
}

/** Follows the frame-pointer chain from fp: the number of frames, or -1 when a read was a UAF. */
function fpTracebackPCs(ti: i32, gi: i32, fp: u64): i32 {
  let n = 0;
  while (fp != 0 && n < TRACE_STACK_SIZE) {
    if (!inWindow(fp, 16)) {
      // Off every mapping the model has: the real walk faults here, on the M that runs the advance
      // (a Go body's own M; the timeline's main goroutine runs on m0).
      crashOperand(0, fp);
      crashOperand(1, grec(gi).goid);
      const m = ti >= 0 ? <i32>thread(ti).m : 0;
      crashOperand(2, m > 0 ? <u64>mrec(m - 1).id : 0);
      crash(CRASH_SIGSEGV_TRACE, ti, -1, gi, 0);
      return -1;
    }
    if (!readable(ti, -1, gi, fp, READ_FP_CHAIN) || !readable(ti, -1, gi, fp + 8, READ_FP_CHAIN)) return -1;
    n++;
    fp = load<u64>(loc(fp));
  }
  addCount(C_TRACE_FRAMES, <u64>n);
  debt(<u64>n, WORK_TRACE); // at most TRACE_STACK_SIZE frames
  return n;
}

// ---- goroutines parking while traced (bug 004) ----
//
// park_m changes the goroutine's status and emits GoBlock with its stack. The status is the stack's
// ownership token: once the goroutine is _Gwaiting, the GC may take its _Gscan bit and shrink (copy
// and free) its stack. Per profile (§11.2):
//   v1 tracer (<= go1.21)   traceGoPark, then casgstatus              (the walk comes first)
//   go1.22.x                casgstatus, then GoPark                    (bug 004: walk after giving it up)
//   go1.23.0+ (573155)      GoPark, then casgstatus
// The walk starts from the frame pointer mcall saved when the goroutine entered park_m; a shrink
// between the status change and the end of the walk (a race between two Ms on a real machine)
// leaves the walk in the freed stack.

// traceGoStatus values.
// @ts-ignore: decorator
@inline const TGS_RUNNABLE: u32 = 1;
// @ts-ignore: decorator
@inline const TGS_RUNNING: u32 = 2;
// @ts-ignore: decorator
@inline const TGS_SYSCALL: u32 = 3;
// @ts-ignore: decorator
@inline const TGS_WAITING: u32 = 4;

/**
 * The ownership check of traceStack under GODEBUG=tracecheckstackownership=1, for goroutine gi
 * traced from the M running it (whose curg it was). Returns false when it threw.
 */
function checkOwnership(ti: i32, mi: i32, gi: i32, stillCurg: bool): bool {
  const gp = grec(gi);
  const status = gp.status;
  let s: u32;
  if (status == G_RUNNABLE) s = TGS_RUNNABLE;
  else if (status == G_RUNNING) s = TGS_RUNNING;
  else if (status == G_SYSCALL) s = TGS_SYSCALL;
  else s = isWaitingForGC(status, gp.waitreason) ? TGS_RUNNING : TGS_WAITING;
  if ((s == TGS_RUNNING || s == TGS_SYSCALL) && stillCurg) return true;
  crashOperand(0, gAddr(gi));
  crashOperand(1, gp.goid);
  crashOperand(2, <u64>status);
  crash(CRASH_TRACE_OWNERSHIP, ti, mi, gi, 0);
  return false;
}

/** Where goroutine records would live in a real heap, for the texts that print a g pointer. */
export function gAddr(gi: i32): u64 { return 0xc000002000 + (<u64>gi << 9); }

/** GoBlock with the parking goroutine's stack, from the frame pointer park_m started with. */
export function traceGoPark(ti: i32, mi: i32, gi: i32, bp: u64, stillCurg: bool): bool {
  if (!tracing) return true;
  const gp = grec(gi);
  if (has(F_OWNERSHIP_GODEBUG) && traceCheckOwnership && !checkOwnership(ti, mi, gi, stillCurg)) return false;
  const frames = fpTracebackPCs(ti, gi, bp);
  if (frames < 0) return false;
  emit(EV_TRACE_PARK, ti, mi, gp.goid, <u64>frames + 1);
  return true;
}

export function tracingNow(): bool { return tracing; }
