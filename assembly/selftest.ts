// Single-function entry points for the differential tests (test/bounds.property.test.ts): each
// sets up one M, its g0 and its thread in the record tables from inputs in the scratch area, runs
// the real model function once, and writes what it did back. They exercise exactly the code the
// interpreter runs; nothing here is a second implementation.
//
// Scratch, SCRATCH_LOCATION (u64 words)
//   in:  0 flags  1 g0 lo  2 g0 hi  3 sp  4 ncgo  5 isextra  6 accurate  7 signal  8 platform
//        9 thread stack lo  10 thread stack hi  11 stackguard0 (g0 check only)
//   out: 12 g0 lo  13 g0 hi  14 stackguard0  15 stackguard1  16 accurate  17 outcome
//        18 getstackbound calls  19 bounds updates
// outcome: 0 bounds kept, 1 bounds re-estimated, 2 the ncgo > 0 throw / the check failed

import {
  C_BOUNDS_UPDATES, C_FRAMES_ADJUSTED, C_GETSTACKBOUND, C_POINTERS_ADJUSTED, RK_GO_STACK,
  STOP_RUNNING,
} from './abi';
import { RESULT_LOCATION, SCRATCH_LOCATION, loc, markDirty } from './memory';
import { thread, mrec, grec } from './records';
import { configureProfile } from './profile';
import { resetResults, stopReason } from './results';
import { resetRuntime, allocM } from './runtime';
import { callbackUpdateSystemStack, g0Check } from './stackbounds';
import { RESULT_LOCATION, loc } from './memory';

@inline function inp(i: i32): u64 { return load<u64>(SCRATCH_LOCATION + (<usize>i << 3)); }
@inline function out(i: i32, v: u64): void { store<u64>(SCRATCH_LOCATION + (<usize>i << 3), v); }
@inline function counter(i: i32): u64 { return load<u64>(RESULT_LOCATION + 128 + (<usize>i << 3)); }

function setup(): i32 {
  configureProfile(inp(0), <i32>inp(8));
  resetResults(false);
  resetRuntime(1, 0, 0, 2);
  const t = thread(0);
  t.stackLo = inp(9);
  t.stackHi = inp(10);
  const mi = allocM(-1);
  const m = mrec(mi);
  m.ncgo = <i32>inp(4);
  m.isextra = <u32>inp(5);
  m.g0StackAccurate = <u32>inp(6);
  m.thread = 1;
  const g0 = grec(<i32>m.g0 - 1);
  g0.stackLo = inp(1);
  g0.stackHi = inp(2);
  g0.stackguard0 = inp(11);
  // The out-of-bounds path reports the goroutine it runs on: give the M one (index after g0).
  m.curg = m.g0;
  return mi;
}

function report(mi: i32, failed: bool): void {
  const m = mrec(mi);
  const g0 = grec(<i32>m.g0 - 1);
  out(12, g0.stackLo);
  out(13, g0.stackHi);
  out(14, g0.stackguard0);
  out(15, g0.stackguard1);
  out(16, <u64>m.g0StackAccurate);
  out(17, failed ? 2 : (counter(C_BOUNDS_UPDATES) != 0 ? 1 : 0));
  out(18, counter(C_GETSTACKBOUND));
  out(19, counter(C_BOUNDS_UPDATES));
}

export function testCallbackUpdate(): u32 {
  const mi = setup();
  const ok = callbackUpdateSystemStack(0, mi, inp(3), inp(7) != 0);
  report(mi, !ok);
  return stopReason == STOP_RUNNING ? 0 : 1;
}

export function testG0Check(): u32 {
  const mi = setup();
  const ok = g0Check(0, mi, inp(3), 0);
  report(mi, !ok);
  return ok ? 1 : 0;
}

// ---- copystack on a stack image the host wrote (property test and benchmarks) ----
//
// Scratch in: 0 nFuncs  1 old lo  2 old hi  3 sched.sp  4 sched.bp  5 sched.pc  6 new size
//             7 syscallsp  8 flags (1: invalidptr check on)
// out:       12 new lo  13 new hi  14 stop reason  15 crash kind  16 pointers adjusted
//            17 frames adjusted  18 sched.sp  19 sched.bp

import { resetRegions, addRegion, retireUnseen } from './regions';
import { copystack, initRuntimeFuncs } from './stack';
import { setBudget } from './results';
import { resetGoCursor } from './regions';

function setupStack(): i32 {
  configureProfile(0, 0);
  resetResults(false);
  setBudget(0xffffffff, 0);
  resetRegions();
  resetRuntime(0, 1, 0, 2);
  initRuntimeFuncs(<i32>inp(0), 1000000000, (inp(8) & 1) != 0, false);
  const gp = grec(0);
  gp.inUse = 1;
  gp.goid = 1;
  gp.stackLo = inp(1);
  gp.stackHi = inp(2);
  gp.schedSp = inp(3);
  gp.schedBp = inp(4);
  gp.schedPc = inp(5);
  gp.syscallsp = inp(7);
  gp.region = <u32>addRegion(gp.stackLo, gp.stackHi, RK_GO_STACK, 0, -1) + 1;
  return 0;
}

export function testCopystack(): u32 {
  setupStack();
  const ok = copystack(-1, -1, 0, inp(6));
  const gp = grec(0);
  out(12, gp.stackLo);
  out(13, gp.stackHi);
  out(14, <u64>stopReason);
  out(15, <u64>load<u32>(RESULT_LOCATION, 4));
  out(16, counter(C_POINTERS_ADJUSTED));
  out(17, counter(C_FRAMES_ADJUSTED));
  out(18, gp.schedSp);
  out(19, gp.schedBp);
  return ok ? 1 : 0;
}

/**
 * The relocation benchmark: n moves of the stack the host wrote, at the same size, between two
 * slots (A → B → A …): each move is a full copystack (copy, frame walk, pointer adjustment, free).
 */
export function benchCopystack(n: i32): u32 {
  setupStack();
  const size = inp(2) - inp(1);
  for (let i = 0; i < n; i++) {
    const from = <i32>grec(0).region - 1;
    if (!copystack(-1, -1, 0, size)) return 0;
    // Retire the freed slot and rewind the arena so the next move goes back into it. Its poison is
    // dropped unwritten: a run would leave it pending (nothing reads a freed stack's bytes without
    // asking the region table first), and the next move overwrites the slot anyway.
    retireUnseen(from);
    resetGoCursor();
  }
  return 1;
}

/** The baseline: n plain memory.copy calls of `bytes` between two fixed places in the window. */
export function benchMemoryCopy(n: i32, bytes: u32): void {
  const a = loc(inp(1));
  const b = loc(inp(1)) + <usize>bytes + 65536;
  markDirty(inp(1), 2 * <u64>bytes + 65536);
  for (let i = 0; i < n; i++) {
    if ((i & 1) == 0) memory.copy(b, a, <usize>bytes); else memory.copy(a, b, <usize>bytes);
  }
}
