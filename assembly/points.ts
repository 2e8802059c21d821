// Interleaving points: named places inside the runtime's own steps where a scenario can make
// something happen first (`at`), and the options that decide which points exist.
//
// A scenario pins a race with { "op": "at", "point": NAME, "g": G, "steps": [...] }: the next time
// goroutine G (any goroutine, without "g") reaches the point, those timeline steps run first: a
// preemption request, a GC, a trace generation. Each hook fires once. The names are public
// (src/model/points.ts lists them with what happens around each, per profile); their ids are
// POINT_* in abi.ts.

import { C_POINTS_HIT, EV_POINT, MAX_HOOKS, WORK_OPS } from './abi';
import { HOOKS_LOCATION } from './memory';
import { emit, count, debt } from './results';
import { grec } from './records';
import { latestG } from './runtime';

// Hook, 16 bytes: 0 point u32, 4 goroutine + 1 (0: any) u32, 8 op of the `at` u32, 12 fired u32
let hookCount: i32 = 0;
/** The goroutine whose arrival at a point is running the hook now (-1: none). */
export let hookG: i32 = -1;

/** SetCgoTraceback with a context function: callbacks push a context (ctxt != 0) and pop it in a deferred closure. */
export let tracebackContext: bool = false;
/** GODEBUG=tracecheckstackownership=1. */
export let traceCheckOwnership: bool = false;

/** Runs an `at` op's steps as timeline ops; set by the interpreter (it owns the timeline). */
export let runHook: (op: u32) => void = (op: u32): void => {};

export function setHookRunner(f: (op: u32) => void): void { runHook = f; }

export function resetPoints(ctx: bool, ownership: bool): void {
  hookCount = 0;
  tracebackContext = ctx;
  traceCheckOwnership = ownership;
}

/** Whether any `at` hook is registered (fused handlers leave every point to the interpreter then). */
export function hooksArmed(): bool { return hookCount != 0; }

/** How many `at` hooks never fired (reported, so a pin that missed is not silent). */
export function unfiredHooks(): i32 {
  let n = 0;
  for (let i = 0; i < hookCount; i++) if (load<u32>(HOOKS_LOCATION + (<usize>i << 4), 12) == 0) n++;
  return n;
}

/** Registers an `at` hook; false when the table is full. */
export function addHook(point: u32, gi: i32, op: u32): bool {
  if (hookCount >= MAX_HOOKS) return false;
  const p = HOOKS_LOCATION + (<usize>hookCount << 4);
  store<u32>(p, point, 0);
  store<u32>(p, <u32>(gi + 1), 4);
  store<u32>(p, op, 8);
  store<u32>(p, 0, 12);
  hookCount++;
  return true;
}

/** Goroutine gi reached `point` on thread ti: run the first unfired hook that matches. */
// @ts-ignore: decorator
@inline export function atPoint(ti: i32, point: u32, gi: i32): void {
  // Most runs pin nothing: the points cost one compare on the hot path.
  if (hookCount != 0) atPointSlow(ti, point, gi);
}

function atPointSlow(ti: i32, point: u32, gi: i32): void {
  debt(<u64>hookCount, WORK_OPS);
  for (let i = 0; i < hookCount; i++) {
    const p = HOOKS_LOCATION + (<usize>i << 4);
    if (load<u32>(p, 12) != 0 || load<u32>(p, 0) != point) continue;
    const g = load<u32>(p, 4);
    if (g != 0 && latestG(<i32>g - 1) != gi) continue;
    store<u32>(p, 1, 12);
    count(C_POINTS_HIT);
    emit(EV_POINT, ti, -1, <u64>point, gi >= 0 ? grec(gi).goid : 0);
    const outer = hookG;
    hookG = gi;
    runHook(load<u32>(p, 8));
    hookG = outer;
    return;
  }
}
