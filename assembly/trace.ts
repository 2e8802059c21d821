// The execution tracer, as far as stacks go: starting, advancing generations, and the goroutine
// status pass of traceAdvance that takes the stack of every goroutine it does not run
// (go-runtime-model.md §11.3, §11.5). Event emission order around status changes, the ownership
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

import { grec, mrec, G_DEAD, G_SYSCALL } from './records';
import { has, F_TRACER_V2, F_TRACE_OTHER_G_STACKS, F_SYSCALLBP } from './profile';
import {
  count, addCount, emit, crash, crashOperand, C_TRACE_ADVANCES, C_TRACE_STACKS, C_TRACE_FRAMES, EV_TRACE_ADVANCE,
  EV_TRACE_STACK, CRASH_SIGSEGV_TRACE,
} from './results';
import { readable, READ_FP_CHAIN } from './stack';
import { gCount } from './runtime';
import { loc, inWindow } from './memory';

// The tracer's stack depth limit (traceStackSize): a walk stops after this many frames.
// @ts-ignore: decorator
@inline const TRACE_STACK_SIZE: i32 = 128;

let tracing: bool = false;
let generation: u64 = 0;

export function resetTrace(): void {
  tracing = false;
  generation = 0;
}

export function traceStart(ti: i32): void {
  if (tracing) return;
  tracing = true;
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
      // Off every mapping the model has: the real walk faults here.
      crashOperand(0, fp);
      crashOperand(1, grec(gi).goid);
      crash(CRASH_SIGSEGV_TRACE, ti, -1, gi, 0);
      return -1;
    }
    if (!readable(ti, -1, gi, fp, READ_FP_CHAIN) || !readable(ti, -1, gi, fp + 8, READ_FP_CHAIN)) return -1;
    n++;
    fp = load<u64>(loc(fp));
  }
  addCount(C_TRACE_FRAMES, <u64>n);
  return n;
}
