// Fused callback round trips: a `repeat` whose body is one timeline `callback` into a thread whose
// extra M is already bound (a pthread key, go1.21+, or a Go M's thread in C), with a Go body of
// `systemstack` and `call` ops (a call's own body of the same kinds) and Go→C→Go round trips (a
// `cgocall` whose C body is `callback`s on the same M with such bodies, one level deep). This is
// the workload of a C library calling into Go in a loop, and the one the throughput target is set
// on (bench rows callback/extra-m-bound, callback/call-body, callback/go-c-go).
//
// The interpreter (interp.ts) is the reference: it reaches each step of the callback through the
// generic loop (frame lookups, op decoding, the exec switch, record reloads after every call). Here
// each round trip runs the same model steps in the same order, straight through, with the records
// it touches held in locals:
//   1. cgocallback: the old g0.sched.sp is stored on the C stack at SP_cb; g0.sched.sp = SP_cb;
//      cgocallback's and cgocallbackg's frames are pushed on the goroutine stack.
//   2. callbackUpdateSystemStack (kept bounds, or nothing to do for the profile), lockOSThread,
//      savedsp/savedbp/savedpc stored in cgocallbackg's frame, exitsyscall with its g0 check.
//   3. cgocallbackg1 is called (its prologue check), then the body: each `systemstack` with its g0
//      check; each `call` pushes its frames (return PC, saved BP, the locals and pointer slots
//      pushFrameNoCheck writes), EV_CALL, runs its body, reads the saved words back, EV_RETURN.
//      A `cgocall` pushes its frame, enters the syscall and runs C on g0 below SP_cb (EV_CGOCALL);
//      each callback of its C body is a nested one (ncgo 1): its SP_cb slot on the C stack, its
//      frames below cgocall's, lockOSThread, exitsyscall's g0 check at its SP_cb, its body, its
//      way back as in 4.; then cgocall returns (EV_CGOCALL_RETURN, exitsyscall, the frame read
//      back). The body is flattened once per batch into a program (planBody, planGoCGo) that
//      knows every frame's SP, BP and PC, which are the same every round trip.
//   4. The deferred calls in the profile's order (unwindm, ctxt pop, unlock), cgocallbackg1
//      returns, reentersyscall with the values read back from the frame, the two frames return,
//      the g0 bounds are restored (tip), g0.sched.sp is read back from the C stack.
// Every event is mixed into the trace hash (and recorded when recording) with the same operands
// and op attribution, every simulated-memory store and load is made, every counter is counted
// (in locals, added when the loop stops), and every round trip spends the interpreter's steps.
//
// What is covered is decided before each batch from the state (roundTripPlan): no `at` hooks, no
// runnable goroutines, the thread usable and in C on its bound M, no preemption pending, bounds the
// profile keeps, checks that pass, every call frame's prologue passing without growth and the
// frames fitting the stack (and the interpreter's frame table), a budget that pays for whole round
// trips. Under those conditions a round trip leaves every record as it found it, so the plan holds for the next one;
// each round trip still checks that the values it read back are the ones it expects, and stops the
// batch otherwise. Anything else (the first callback's needm, a failing check, a hook, a budget
// ending mid-callback, a call that needs the stack to grow, a Go→C→Go body the loop does not cover:
// a cgocall inside a nested callback, or nested callbacks that would estimate new bounds) is left
// to the per-callback handler (interp.ts fusedCallback) and the interpreter, which carry on from
// exactly this state.
// test/fastpath.test.ts compares both ways over every bundled scenario and generated ones.

import {
  C_BOUNDS_FAST_PATH, C_BOUNDS_RESTORES, C_BOUNDS_UPDATES, C_GETSTACKBOUND, C_GETSTACKBOUND_MAIN_THREAD, EV_BOUNDS_SET,
  EV_GETSTACKBOUND, PLATFORM_GLIBC, TF_MAIN, C_CALLBACKS, C_EXITSYSCALL, C_FRAMES_PUSHED, C_G0_CHECKS,
  C_LOCKOSTHREAD, C_REENTERSYSCALL, C_SYSTEMSTACK, C_UNLOCKOSTHREAD, DEFER_CTXT_POP, DEFER_UNLOCK,
  DEFER_UNWINDM, EVENT_FN_SHIFT, EV_BOUNDS_KEPT, EV_BOUNDS_RESTORED, EV_CALLBACK, EV_CALLBACK_RETURN,
  EV_DEFER, EV_G0_CHECK, EV_LOCKOSTHREAD, EV_REENTERSYSCALL, EV_UNLOCKOSTHREAD, FN_EXITSYSCALLFAST_FUNC1,
  FN_SETGCPERCENT_FUNC1, F_BP_CHECK, F_CB_UPDATE_IN_CGOCALLBACKG, F_CB_UPDATE_V1, F_CB_UPDATE_V2, F_CB_UPDATE_V3, F_DEFER_UNLOCK_FIRST,
  F_G0_STACKGUARD1, F_SAVE_RESTORE_G0, F_UNLOCK_IN_CGOCALLBACKG, F_UNWINDM_UNLOCKS, G_SYSCALL,
  MAX_FRAMES, OPR_A, OPR_CODE, OPR_D, OPR_END, OPR_START, OPR_X, OP_SYSTEMSTACK, OP_CALL, OP_CGOCALL, OP_CALLBACK, EV_CALL, EV_RETURN, VALUE_SIZE,
  EV_CGOCALL, EV_CGOCALL_RETURN, C_CGOCALLS, C_NESTED_CALLBACKS, RF_CGOCALL, F_SYSCALLBP, RF_CGOCALLBACK, RF_CGOCALLBACKG, RF_CGOCALLBACKG1,
  RS_FREED, STOP_RUNNING, TF_BLOCKED, WORK_OPS, TF_ON_GSIGNAL, THREAD_EXITED,
} from './abi';
import { VALUES_LOCATION, loc, markRange, opPtr } from './memory';
import { thread, mrec, grec, region } from './records';
import { has, stackGuard, platform } from './profile';
import { addCount, emit, stopReason, fuel, spend, setCurOp, attribute } from './results';
import { hooksArmed, tracebackContext } from './points';
import { runqEmpty, mState, MS_RUNNING } from './sched';
import { depthOf, gctx } from './frames';
import { funcRec, funcPc, pushSteps, FUNC_NOFILL, FUNC_NOSPLIT, SAVEDSP_WORD, SAVEDBP_WORD, SAVEDPC_WORD } from './stack';
import { cgocallSp } from './physical';
import { checkSp, stackboundOf, stackboundLo, stackboundHi, DUMMY_BELOW_BYTES, DUMMY_ABOVE_BYTES } from './stackbounds';

// @ts-ignore: decorator
@inline const STACK_PREEMPT: u64 = 0xfffffffffffffade;
// @ts-ignore: decorator
@inline const STACK_SMALL: u64 = 128;
// @ts-ignore: decorator
@inline const STACK_BIG: u64 = 4096;

// What callbackUpdateSystemStack does on a covered round trip.
// @ts-ignore: decorator
@inline const BOUNDS_UNTOUCHED: i32 = 0; // no such call in the profile, or a normal M under V2/V3
// @ts-ignore: decorator
@inline const BOUNDS_KEPT: i32 = 1;      // the fast path that keeps them (an event and a counter)
// @ts-ignore: decorator
@inline const BOUNDS_ESTIMATED: i32 = 2; // getstackbound and new bounds, for the callback's length

/** Round trips run by this module since the instance started (tests check it is used). */
export let roundTrips: u32 = 0;
/** `call` ops run inside those round trips (tests check the call bodies use the loop). */
export let roundTripCalls: u32 = 0;
/** Go→C→Go `cgocall` ops run inside those round trips. */
export let roundTripCgocalls: u32 = 0;
export function roundTripCount(): u32 { return roundTrips; }

// ---- the body's program ----
//
// The Go body, flattened once per batch into what each round trip does, in the interpreter's
// order: a `systemstack` (its g0 check), a `call`'s push (its frames' words, then EV_CALL) and,
// after the call's own body, its return (the words read back, then EV_RETURN). Each entry knows
// the goroutine's SP, BP and PC before and after it: the round trip leaves them as it found them,
// so the same addresses hold every round trip.
// Entry, PROG_ENTRY bytes: 0 kind u32, 4 op u32, then by kind:
//   systemstack          16 the SP its g0 check compares (g0.sched.sp − g0CheckDepth)
//   call, its return     8 function u32, 12 depth u32, 16 SP before u64, 24 BP before u64,
//                        32 PC before u64, 40 SP after u64, 48 BP after u64, 56 PC after u64
//   cgocall, its return  16 SP, 24 BP, 32 PC before; 40 SP, 48 BP, 56 PC of cgocall's frame
//   nested callback,     16 SP_cb on the C stack, 24 the goroutine's SP (cgocall's frame), 32 PC,
//   its return           40 BP there, 48 the savedbp it stores, 56 1: the bounds kept (an event)
// @ts-ignore: decorator
@inline const PROG_MAX: i32 = 32;
// @ts-ignore: decorator
@inline const PROG_ENTRY: usize = 64;
// @ts-ignore: decorator
@inline const PK_SYSTEMSTACK: u32 = 1;
// @ts-ignore: decorator
@inline const PK_CALL: u32 = 2;
// @ts-ignore: decorator
@inline const PK_RETURN: u32 = 3;
// A Go→C→Go round trip: cgocall (its frame, entersyscall, C on g0), each callback of its C body
// (cgocallback on the same M, ncgo 1: a nested callback) with its own body, then back to Go.
// @ts-ignore: decorator
@inline const PK_CGOCALL: u32 = 4;
// @ts-ignore: decorator
@inline const PK_NESTED_CALLBACK: u32 = 5;
// @ts-ignore: decorator
@inline const PK_NESTED_RETURN: u32 = 6;
// @ts-ignore: decorator
@inline const PK_CGOCALL_RETURN: u32 = 7;
// Call nesting covered: the interpreter would push a frame for each level.
// @ts-ignore: decorator
@inline const NEST_MAX: u32 = 8;
const prog = memory.data(<i32>(<usize>PROG_MAX * PROG_ENTRY), 8);
let progLen: i32 = 0;
let planSteps: u64 = 0;     // the interpreter's steps for the body (ops, pushes, returns)
let planSpMin: u64 = 0;     // the lowest SP the body's frames reach
let planNest: u32 = 0;      // the deepest call nesting
let planSystemstacks: u64 = 0;
let planFrames: u64 = 0;    // frames the body pushes with a prologue (calls, cgocall's, cgocallbackg1's)
let planCalls: u32 = 0;
let planStackLo: u64 = 0;   // the goroutine stack and the guard its prologues compare with
let planGuard: u64 = 0;
let planSystemstackSteps: u64 = 0;
let planCallSteps: u64 = 0;
let planCgocallSteps: u64 = 0;
let planCallbackSteps: u64 = 0;
let planGuardIn: u64 = 0;
let planOuterSp: u64 = 0;      // the outer callback's SP_cb (its C slot) and the C SP cgocall sets
let planCSp: u64 = 0;
let planRegionLo: u64 = 0;     // the thread's current C stack
let planRegionHi: u64 = 0;
let planSlotLo: u64 = 0;       // the nested callbacks' C slots: [planSlotLo, planSlotHi + 8)
let planSlotHi: u64 = 0;
let planSyscallbp: u64 = 0;    // gp.syscallbp as the round trip finds it
let planBoundsLo: u64 = 0;     // the g0 bounds during the outer callback, and their accuracy
let planBoundsHi: u64 = 0;
let planAccurate: u32 = 0;
let planIsextra: bool = false;
let planCgocalls: u64 = 0;
let planNested: u64 = 0;
let planNestedKept: u64 = 0;

/**
 * What callbackUpdateSystemStack does for a nested callback (ncgo 1) at SP_cb spc: -1 when it is
 * not covered (it estimates new bounds, or throws), 0 nothing, 1 the fast path keeping them.
 */
function nestedBounds(spc: u64): i32 {
  if (!has(F_CB_UPDATE_IN_CGOCALLBACKG)) return 0;
  const inBound = spc > planBoundsLo && spc <= planBoundsHi;
  if (has(F_CB_UPDATE_V3)) {
    if (!planIsextra) return 0;
    return inBound && planAccurate != 0 ? 1 : -1;
  }
  if (has(F_CB_UPDATE_V1)) return inBound ? 1 : -1;
  if (has(F_CB_UPDATE_V2)) return inBound && !planIsextra ? 0 : -1;
  return 0;
}

/** A splittable prologue of a frame of frameSize bytes, entered at SP = sp - 8: morestack? (stack.ts needsMorestack) */
// @ts-ignore: decorator
@inline function prologueFails(sp: u64, frameSize: u64, guard: u64): bool {
  const spc = sp - 8;
  if (frameSize <= STACK_SMALL) return spc <= guard;
  const extra = frameSize - STACK_SMALL;
  if (frameSize < STACK_BIG) return spc < extra || spc - extra <= guard;
  return guard == STACK_PREEMPT || spc < extra || spc - extra <= guard;
}

function progEntry(kind: u32, op: u32): usize {
  const e = prog + <usize>progLen * PROG_ENTRY;
  progLen++;
  store<u32>(e, kind, 0);
  store<u32>(e, op, 4);
  return e;
}

/**
 * Flattens the body [start, end) running with the goroutine at (sp, bp, pc): false when it is not
 * covered (an op other than systemstack, call and a cgocall whose C body the loop covers
 * (planGoCGo), too many entries, too deep, a frame that would need morestack or would not fit).
 */
function planBody(start: u32, end: u32, nest: u32, sp: u64, bp: u64, pc: u64, checkAt: u64, nested: bool): bool {
  for (let i = start; i < end; i++) {
    const p = opPtr(<i32>i);
    const code = load<u32>(p, OPR_CODE);
    if (progLen >= PROG_MAX) return false;
    if (code == OP_SYSTEMSTACK) {
      const e = progEntry(PK_SYSTEMSTACK, i);
      store<u64>(e, checkAt, 16);
      planSystemstacks++;
      planSteps += planSystemstackSteps;
      continue;
    }
    if (nest >= NEST_MAX) return false;
    if (code == OP_CGOCALL) {
      if (nested || !planGoCGo(i, nest, sp, bp, pc)) return false;
      continue;
    }
    if (code != OP_CALL) return false;
    const k = <i32>load<u32>(p, OPR_A);
    const depth = load<u32>(p, OPR_D);
    const f = funcRec(k);
    const fs = <u64>f.frameSize;
    if ((fs & 7) != 0) return false;
    // Each frame's prologue passes (no growth, no preemption), and the frame fits the stack.
    let s = sp;
    for (let j: u32 = 0; j < depth; j++) {
      if ((f.flags & FUNC_NOSPLIT) == 0 && prologueFails(s, fs, planGuard)) return false;
      if (s < planStackLo + fs + 8) return false;
      s -= fs + 8;
    }
    const e = progEntry(PK_CALL, i);
    store<u32>(e, <u32>k, 8);
    store<u32>(e, depth, 12);
    store<u64>(e, sp, 16);
    store<u64>(e, bp, 24);
    store<u64>(e, pc, 32);
    const sp2 = s;
    const bp2 = depth == 0 ? bp : s + fs - 8;
    const pc2 = depth == 0 ? pc : funcPc(k);
    store<u64>(e, sp2, 40);
    store<u64>(e, bp2, 48);
    store<u64>(e, pc2, 56);
    if (sp2 < planSpMin) planSpMin = sp2;
    if (nest + 1 > planNest) planNest = nest + 1;
    planFrames += <u64>depth;
    planCalls++;
    // The call op, its pushes, its body, the turn that ends the body, its returns.
    planSteps += planCallSteps + <u64>depth * pushSteps(k) + 1 + <u64>depth;
    if (!planBody(load<u32>(p, OPR_START), load<u32>(p, OPR_END), nest + 1, sp2, bp2, pc2, checkAt, nested)) return false;
    if (progLen >= PROG_MAX) return false;
    const r = progEntry(PK_RETURN, i);
    memory.copy(r + 8, e + 8, PROG_ENTRY - 8);
  }
  return true;
}

/**
 * A `cgocall` (no nocallback) at op i, made with the goroutine at (sp, bp, pc), whose C body is only
 * `callback`s: cgocall's frame (its prologue passes), entersyscall, C on g0 below the outer SP_cb;
 * each callback a nested one on the same M whose bounds stay (nestedBounds), whose SP_cb is on the
 * thread's C stack, whose frames fit below cgocall's and whose g0 checks pass; its body planned
 * like the outer one's (no further cgocall).
 */
function planGoCGo(i: u32, nest: u32, sp: u64, bp: u64, pc: u64): bool {
  const p = opPtr(<i32>i);
  if (load<u32>(p, OPR_D) != 0) return false; // #cgo nocallback
  const fC = funcRec(RF_CGOCALL);
  const fCb = funcRec(RF_CGOCALLBACK);
  const fCbg = funcRec(RF_CGOCALLBACKG);
  const fG1 = funcRec(RF_CGOCALLBACKG1);
  if (fC.nValues != 0 || (fC.flags & FUNC_NOFILL) == 0) return false;
  const cSize = <u64>fC.frameSize;
  if ((fC.flags & FUNC_NOSPLIT) == 0 && prologueFails(sp, cSize, planGuard)) return false;
  if (sp < planStackLo + cSize + 8) return false;
  const spC = sp - cSize - 8;
  const bpC = spC + cSize - 8;
  const pcC = funcPc(RF_CGOCALL);
  // reentersyscall's checks on what each nested callback gives back: cgocall's SP and BP.
  const savedbp = has(F_SYSCALLBP) ? bpC : planSyscallbp;
  if (has(F_BP_CHECK) && savedbp != 0 && savedbp < planStackLo) return false;
  if (progLen >= PROG_MAX) return false;
  const e = progEntry(PK_CGOCALL, i);
  store<u64>(e, sp, 16);
  store<u64>(e, bp, 24);
  store<u64>(e, pc, 32);
  store<u64>(e, spC, 40);
  store<u64>(e, bpC, 48);
  store<u64>(e, pcC, 56);
  planCgocalls++;
  planFrames++;
  planSteps += planCgocallSteps + 1; // the op, and the turn that ends its C body
  const cbSize = <u64>fCb.frameSize;
  const cbgSize = <u64>fCbg.frameSize;
  const g1Size = <u64>fG1.frameSize;
  const cEnd = load<u32>(p, OPR_END);
  for (let j = load<u32>(p, OPR_START); j < cEnd; j++) {
    const q = opPtr(<i32>j);
    if (load<u32>(q, OPR_CODE) != OP_CALLBACK) return false;
    // SP_cb: given, or the C SP cgocall left; on the thread's C stack, its slot clear of the outer's.
    const spc = load<u32>(q, OPR_D) != 0 ? load<u64>(q, OPR_X) : planCSp;
    if (spc < planRegionLo || spc >= planRegionHi) return false;
    if (spc + 8 > planOuterSp && spc < planOuterSp + 8) return false;
    const kept = nestedBounds(spc);
    if (kept < 0) return false;
    // exitsyscall's g0 check and the body's, at this SP_cb, against the outer callback's guard.
    const checkAt = checkSp(spc);
    if (checkAt <= planGuardIn) return false;
    // cgocallback's and cgocallbackg's frames below cgocall's, then cgocallbackg1's prologue.
    const s1 = spC - cbSize - 8;
    const s2 = s1 - cbgSize - 8;
    if (s2 < planStackLo + g1Size + 8) return false;
    if ((fG1.flags & FUNC_NOSPLIT) == 0 && prologueFails(s2, g1Size, planGuard)) return false;
    const s3 = s2 - g1Size - 8;
    if (progLen >= PROG_MAX) return false;
    const c = progEntry(PK_NESTED_CALLBACK, j);
    store<u64>(c, spc, 16);
    store<u64>(c, spC, 24);
    store<u64>(c, pcC, 32);
    store<u64>(c, bpC, 40);
    store<u64>(c, savedbp, 48);
    store<u64>(c, <u64>kept, 56);
    if (spc < planSlotLo) planSlotLo = spc;
    if (spc > planSlotHi) planSlotHi = spc;
    if (s3 < planSpMin) planSpMin = s3;
    if (nest + 1 > planNest) planNest = nest + 1;
    planNested++;
    planNestedKept += <u64>kept;
    planFrames++; // cgocallbackg1's (cgocallback's and cgocallbackg's are pushed without a check)
    planSteps += planCallbackSteps + 1 + 1; // the op, cgocallbackg1's prologue turn, the return turn
    if (!planBody(load<u32>(q, OPR_START), load<u32>(q, OPR_END), nest + 1, s3, s3 + g1Size - 8, funcPc(RF_CGOCALLBACKG1), checkAt, true)) return false;
    if (progLen >= PROG_MAX) return false;
    const r = progEntry(PK_NESTED_RETURN, j);
    memory.copy(r + 8, c + 8, PROG_ENTRY - 8);
  }
  if (progLen >= PROG_MAX) return false;
  const r = progEntry(PK_CGOCALL_RETURN, i);
  memory.copy(r + 8, e + 8, PROG_ENTRY - 8);
  return true;
}

/** A call entry's frames, written as pushFrameNoCheck writes them (their pages are marked already). */
function pushCallFrames(e: usize, hi: u64): void {
  const k = <i32>load<u32>(e, 8);
  const depth = load<u32>(e, 12);
  const f = funcRec(k);
  const fs = <u64>f.frameSize;
  const n: u32 = (f.flags & FUNC_NOFILL) != 0 ? 0 : f.nWords;
  const pcK = funcPc(k);
  let spOld = load<u64>(e, 16);
  let savedBp = load<u64>(e, 24);
  let retPc = load<u64>(e, 32);
  for (let j: u32 = 0; j < depth; j++) {
    const sp = spOld - fs - 8;
    const varp = sp + fs - 8;
    const base = loc(sp);
    store<u64>(base + <usize>fs, retPc);
    store<u64>(base + <usize>fs - 8, savedBp);
    for (let i: u32 = 0; i < n; i++) {
      const a = spOld + (<u64>i << 3);
      store<u64>(base + (<usize>i << 3), a < hi ? a : varp);
    }
    for (let v: u32 = 0; v < f.nValues; v++) {
      const w = VALUES_LOCATION + <usize>(f.valuesOff + v) * VALUE_SIZE;
      store<u64>(base + (<usize>load<u32>(w) << 3), load<u64>(w, 8));
    }
    retPc = pcK;
    savedBp = varp;
    spOld = sp;
  }
}

/** A call entry's frames return: whether every saved BP and return PC reads back as pushed. */
function callFramesIntact(e: usize): bool {
  const k = <i32>load<u32>(e, 8);
  const depth = load<u32>(e, 12);
  const fs = <u64>funcRec(k).frameSize;
  const pcK = funcPc(k);
  let spOld = load<u64>(e, 16);
  let savedBp = load<u64>(e, 24);
  let retPc = load<u64>(e, 32);
  let ok = true;
  for (let j: u32 = 0; j < depth; j++) {
    const sp = spOld - fs - 8;
    const base = loc(sp);
    ok = ok && load<u64>(base + <usize>fs) == retPc && load<u64>(base + <usize>fs - 8) == savedBp;
    retPc = pcK;
    savedBp = sp + fs - 8;
    spOld = sp;
  }
  return ok;
}

/**
 * Runs up to `limit` round trips of the timeline callback `op`, the whole body of a `repeat`
 * frame; the interpreter's charges for a callback op and a systemstack op come with it. Returns
 * how many ran (0: the next one is not covered; the interpreter runs it).
 */
export function fusedRoundTrips(op: u32, limit: u32, callbackSteps: u64, systemstackSteps: u64, callSteps: u64, cgocallSteps: u64): u32 {
  if (stopReason != STOP_RUNNING || hooksArmed() || !runqEmpty()) return 0;
  const p = opPtr(<i32>op);
  const ti = <i32>load<u32>(p, OPR_A);
  const start = load<u32>(p, OPR_START); // the Go body
  const end = load<u32>(p, OPR_END);
  // A quick look first: the body's first op is one the program covers (or there is none).
  if (end > start) {
    const first = load<u32>(opPtr(<i32>start), OPR_CODE);
    if (first != OP_SYSTEMSTACK && first != OP_CALL && first != OP_CGOCALL) return 0;
  }

  // The thread: usable (live, not blocked), in C on its bound M, nothing of its own C code pending.
  const t = thread(ti);
  if (t.state == THREAD_EXITED || (t.flags & (TF_BLOCKED | TF_ON_GSIGNAL)) != 0 || t.tlsG == 0) return 0;
  const g0i = <i32>t.tlsG - 1;
  const g0 = grec(g0i);
  if (g0.isG0 == 0 || g0.m == 0) return 0;
  const mi = <i32>g0.m - 1;
  const m = mrec(mi);
  if (t.m != <u32>mi + 1 || m.g0 != t.tlsG || mState(mi) != MS_RUNNING || depthOf(ti + 1) != 0) return 0;
  if (m.curg == 0) return 0;
  const gi = <i32>m.curg - 1;
  const gp = grec(gi);
  if (gp.m != <u32>mi + 1 || depthOf(gctx(gi)) >= <u32>MAX_FRAMES) return 0;
  // An M in C with no cgo call of its own, no lock held, no extra M wanted, nothing pending.
  if (m.ncgo != 0 || m.needextram != 0 || m.incgo != 1) return 0;
  // lockOSThread, then one unlockOSThread: the counts come back; the goroutine stays locked to the
  // M (an extra M's goroutine starts locked) or not, as it was.
  const lockedInt = <u64>m.lockedInt;
  const lockedExt = <u64>m.lockedExt;
  const stillLocked = lockedInt != 0 || lockedExt != 0;
  if (stillLocked ? m.lockedg != m.curg || gp.lockedm != <u32>mi + 1 : m.lockedg != 0) return 0;
  if ((!stillLocked && gp.lockedm != 0) || gp.status != G_SYSCALL || gp.stackguard0 != STACK_PREEMPT || gp.throwsplit != 1 || gp.preempt != 0) return 0;
  // A goroutine still marked by a #cgo nocallback call (a panic passed its end) panics in cgocallbackg.
  if (gp.noCallback != 0) return 0;
  if (m.isextra != 0 && m.isExtraInC != 1) return 0;

  // SP_cb on the thread's current stack, which is not freed (cgocallback reads and writes there).
  const sp = load<u32>(p, OPR_D) != 0 ? load<u64>(p, OPR_X) : t.sp;
  if (t.curRegion == 0) return 0;
  const r = region(<i32>t.curRegion - 1);
  if (sp < r.lo || sp >= r.hi || r.state == RS_FREED) return 0;

  // callbackUpdateSystemStack: it keeps the bounds, has nothing to do, or re-estimates them
  // (dummy, then pthread's when they hold SP_cb) for the length of the callback.
  const g0Lo = g0.stackLo;
  const g0Hi = g0.stackHi;
  const g0Guard = g0.stackguard0;
  const inBound = sp > g0Lo && sp <= g0Hi;
  let bounds = BOUNDS_UNTOUCHED;
  // 527715 reverted in cgocallbackg alone: no call there, whatever the variant.
  if (!has(F_CB_UPDATE_IN_CGOCALLBACKG)) {
    bounds = BOUNDS_UNTOUCHED;
  } else if (has(F_CB_UPDATE_V3)) {
    if (m.isextra != 0) bounds = inBound && m.g0StackAccurate != 0 ? BOUNDS_KEPT : BOUNDS_ESTIMATED;
  } else if (has(F_CB_UPDATE_V1)) {
    bounds = inBound ? BOUNDS_KEPT : BOUNDS_ESTIMATED;
  } else if (has(F_CB_UPDATE_V2)) {
    if (m.isextra != 0) bounds = BOUNDS_ESTIMATED;
  }
  let estLo = g0Lo;
  let estHi = g0Hi;
  let accurate = m.g0StackAccurate;
  stackboundOf(ti, sp);
  const boundLo = stackboundLo();
  const boundHi = stackboundHi();
  if (bounds == BOUNDS_ESTIMATED) {
    estLo = sp - DUMMY_BELOW_BYTES;
    estHi = sp + DUMMY_ABOVE_BYTES;
    accurate = 0;
    if (boundLo != 0 && sp > boundLo && sp <= boundHi) {
      estLo = boundLo;
      estHi = boundHi;
      accurate = 1;
    }
  }
  // The guard the callback's g0 checks meet: the estimate's while it holds.
  const guardIn = bounds == BOUNDS_ESTIMATED ? estLo + stackGuard : g0Guard;
  // After the callback the bounds are the caller's again (tip restores them), or the estimate's,
  // which must then already be the M's: the records end as they started.
  const saveRestore = has(F_SAVE_RESTORE_G0);
  const guard1 = has(F_G0_STACKGUARD1);
  if (bounds == BOUNDS_ESTIMATED && !saveRestore) {
    if (estLo != g0Lo || estHi != g0Hi || accurate != m.g0StackAccurate) return 0;
  }
  if ((saveRestore || bounds == BOUNDS_ESTIMATED) && (g0Guard != g0Lo + stackGuard || (guard1 && g0.stackguard1 != g0Guard))) return 0;
  // The g0 checks (exitsyscall's, each systemstack's) at SP_cb − g0CheckDepth must pass.
  const checkAt = checkSp(sp);
  if (checkAt <= guardIn) return 0;
  const estimated = bounds == BOUNDS_ESTIMATED;
  const mainThread = estimated && platform == PLATFORM_GLIBC && (t.flags & TF_MAIN) != 0;

  // The deferred calls: exactly one unlockOSThread on the way back (a second one would throw).
  const deferUnlockFirst = has(F_DEFER_UNLOCK_FIRST);
  const unlockInCbg = has(F_UNLOCK_IN_CGOCALLBACKG);
  const unwindmUnlocks = (!deferUnlockFirst && !unlockInCbg) || has(F_UNWINDM_UNLOCKS);
  if (<i32>unwindmUnlocks + <i32>deferUnlockFirst + <i32>unlockInCbg != 1) return 0;

  // The three runtime frames: nosplit or not, no illustrative locals, room on the goroutine stack,
  // and cgocallbackg1's prologue passes against the guard exitsyscall sets.
  const fCb = funcRec(RF_CGOCALLBACK);
  const fCbg = funcRec(RF_CGOCALLBACKG);
  const fG1 = funcRec(RF_CGOCALLBACKG1);
  if ((fCb.flags & fCbg.flags & fG1.flags & FUNC_NOFILL) == 0 || (fCb.flags & fCbg.flags & FUNC_NOSPLIT) == 0) return 0;
  if ((fCb.nValues | fCbg.nValues | fG1.nValues) != 0) return 0;
  const cbSize = <u64>fCb.frameSize;
  const cbgSize = <u64>fCbg.frameSize;
  const g1Size = <u64>fG1.frameSize;
  const stackLo = gp.stackLo;
  const stackHi = gp.stackHi;
  const sp0 = gp.schedSp;
  const pc0 = gp.schedPc;
  const bp0 = gp.schedBp;
  const sp1 = sp0 - cbSize - 8;   // cgocallback's frame
  const sp2 = sp1 - cbgSize - 8;  // cgocallbackg's frame
  const sp3 = sp2 - g1Size - 8;   // cgocallbackg1's frame
  if ((sp0 & 7) != 0 || sp0 > stackHi || sp3 < stackLo || sp3 > sp0) return 0;
  const guardInGo = stackLo + stackGuard;
  if ((fG1.flags & FUNC_NOSPLIT) == 0 && (g1Size > STACK_SMALL || sp2 - 8 <= guardInGo)) return 0;

  // reentersyscall's checks on the values the frame gives back (the ones stored now).
  const syscallsp = gp.syscallsp;
  const syscallpc = gp.syscallpc;
  const syscallbp = gp.syscallbp;
  if (syscallsp < stackLo || stackHi < syscallsp) return 0;
  if (has(F_BP_CHECK) && ((syscallbp != 0 && syscallbp < stackLo) || stackHi < syscallbp)) return 0;
  // The body, flattened from cgocallbackg1's frame (SP sp3, BP its varp, PC its own): its calls'
  // frames must pass their prologues against the same guard and fit, its Go→C→Go round trips be
  // covered (planGoCGo), and the interpreter must have room for a frame per level.
  progLen = 0;
  planSteps = 0;
  planSpMin = sp3;
  planNest = 0;
  planSystemstacks = 0;
  planFrames = 0;
  planCalls = 0;
  planStackLo = stackLo;
  planGuard = guardInGo;
  planSystemstackSteps = systemstackSteps;
  planCallSteps = callSteps;
  planCgocallSteps = cgocallSteps;
  planCallbackSteps = callbackSteps;
  planGuardIn = guardIn;
  planOuterSp = sp;
  planCSp = cgocallSp(sp);
  planRegionLo = r.lo > t.curLo ? r.lo : t.curLo;
  planRegionHi = r.hi;
  planSlotLo = 0xffffffffffffffff;
  planSlotHi = 0;
  planSyscallbp = syscallbp;
  planBoundsLo = estimated ? estLo : g0Lo;
  planBoundsHi = estimated ? estHi : g0Hi;
  planAccurate = estimated ? accurate : m.g0StackAccurate;
  planIsextra = m.isextra != 0;
  planCgocalls = 0;
  planNested = 0;
  planNestedKept = 0;
  if (!planBody(start, end, 0, sp3, sp3 + g1Size - 8, funcPc(RF_CGOCALLBACKG1), checkAt, false)) return 0;
  if (depthOf(gctx(gi)) + planNest >= <u32>MAX_FRAMES) return 0;
  const spMin = planSpMin;
  const nested = planNested != 0;
  // The nested callbacks' C slots are clear of the goroutine's frames too.
  if (nested && planSlotHi + 8 > spMin && planSlotLo < sp0 + 8) return 0;

  // The C stack slot is not one of the frame words (the regions are disjoint; this says it here).
  if (sp + 8 > spMin && sp < sp0 + 8) return 0;

  // What the interpreter spends on a round trip: the callback op, cgocallbackg1's prologue turn,
  // each body op, the callback's return turn, the repeat's turn. The fuel on hand pays for whole
  // round trips; one that would need a refuel (the budget's end, a deadline check) is the
  // interpreter's, and so is a debt left unpaid.
  const steps = callbackSteps + 1 + planSteps + 1 + 1;
  if (fuel <= 0) return 0;
  const affordable = <u64>fuel / steps;
  const n = affordable < <u64>limit ? <u32>affordable : limit;
  if (n == 0) return 0;

  const ctxt = tracebackContext;
  const isextra = m.isextra != 0;
  const g0Id = t.tlsG;
  const cbPc = funcPc(RF_CGOCALLBACK);
  const cbgPc = funcPc(RF_CGOCALLBACKG);
  const g1Pc = funcPc(RF_CGOCALLBACKG1);
  // The loop stores to the same words every round, all in [spMin, sp0) but the C stack slot: their
  // pages are marked once (memory.ts).
  markRange(sp, sp + 8);
  markRange(spMin, sp0);
  if (nested) markRange(planSlotLo, planSlotHi + 8);
  const nProg = progLen;
  const cSpBefore = t.sp;
  const cgoCSp = planCSp;
  const cSize = <usize>funcRec(RF_CGOCALL).frameSize;
  let framesOk = true;
  const spSlot = loc(sp);
  const base1 = loc(sp1);
  const base2 = loc(sp2);
  const base3 = loc(sp3);
  const varp1 = sp1 + cbSize - 8;
  const varp2 = sp2 + cbgSize - 8;
  const exitCheck = EV_G0_CHECK | (FN_EXITSYSCALLFAST_FUNC1 << EVENT_FN_SHIFT);
  const bodyCheck = EV_G0_CHECK | (FN_SETGCPERCENT_FUNC1 << EVENT_FN_SHIFT);
  let g0SchedSp = g0.schedSp;
  const g0SchedSpBefore = g0SchedSp;
  let done: u32 = 0;

  while (done < n) {
    // 1. cgocallback (attributed to the callback op).
    attribute(op);
    emit(EV_CALLBACK, ti, mi, sp, 0);
    store<u64>(spSlot, g0SchedSp);
    g0SchedSp = sp;
    store<u64>(base1 + <usize>cbSize, pc0);
    store<u64>(base1 + <usize>cbSize - 8, bp0);
    store<u64>(base2 + <usize>cbgSize, cbPc);
    store<u64>(base2 + <usize>cbgSize - 8, varp1);
    // 2. cgocallbackg up to cgocallbackg1.
    if (bounds == BOUNDS_KEPT) emit(EV_BOUNDS_KEPT, ti, mi, g0Lo, g0Hi);
    else if (estimated) {
      emit(EV_GETSTACKBOUND, ti, mi, boundLo, boundHi);
      emit(EV_BOUNDS_SET, ti, mi, estLo, estHi);
    }
    emit(EV_LOCKOSTHREAD, ti, mi, lockedInt + 1, lockedExt);
    store<u64>(base2 + (<usize>SAVEDSP_WORD << 3), syscallsp);
    store<u64>(base2 + (<usize>SAVEDBP_WORD << 3), syscallbp);
    store<u64>(base2 + (<usize>SAVEDPC_WORD << 3), syscallpc);
    emit(exitCheck, ti, mi, checkAt, guardIn);
    // 3. cgocallbackg1's frame, then the body on g0.
    store<u64>(base3 + <usize>g1Size, cbgPc);
    store<u64>(base3 + <usize>g1Size - 8, varp2);
    for (let x = 0; x < nProg; x++) {
      const e = prog + <usize>x * PROG_ENTRY;
      const kind = load<u32>(e, 0);
      attribute(load<u32>(e, 4));
      if (kind == PK_SYSTEMSTACK) {
        emit(bodyCheck, ti, mi, load<u64>(e, 16), guardIn);
      } else if (kind == PK_CALL) {
        pushCallFrames(e, stackHi);
        emit(EV_CALL, ti, mi, load<u64>(e, 40), load<u64>(e, 56));
      } else if (kind == PK_RETURN) {
        framesOk = framesOk && callFramesIntact(e);
        emit(EV_RETURN, ti, mi, load<u64>(e, 16), load<u64>(e, 24));
      } else if (kind == PK_CGOCALL) {
        // cgocall's frame, entersyscall, asmcgocall: C on g0 below SP_cb.
        const at = loc(load<u64>(e, 40));
        store<u64>(at + cSize, load<u64>(e, 32));
        store<u64>(at + cSize - 8, load<u64>(e, 24));
        emit(EV_CGOCALL, ti, mi, cgoCSp, 1);
      } else if (kind == PK_NESTED_CALLBACK) {
        // cgocallback on the same M: g0.sched.sp (the outer SP_cb) to the C stack, two frames,
        // cgocallbackg's way to cgocallbackg1 (lockOSThread, the saved words, exitsyscall).
        const spc = load<u64>(e, 16);
        const gs = load<u64>(e, 24);
        const s1 = gs - cbSize - 8;
        const s2 = s1 - cbgSize - 8;
        const s3 = s2 - g1Size - 8;
        emit(EV_CALLBACK, ti, mi, spc, 1);
        store<u64>(loc(spc), sp);
        const b1 = loc(s1);
        const b2 = loc(s2);
        const b3 = loc(s3);
        store<u64>(b1 + <usize>cbSize, load<u64>(e, 32));
        store<u64>(b1 + <usize>cbSize - 8, load<u64>(e, 40));
        store<u64>(b2 + <usize>cbgSize, cbPc);
        store<u64>(b2 + <usize>cbgSize - 8, s1 + cbSize - 8);
        if (load<u64>(e, 56) != 0) emit(EV_BOUNDS_KEPT, ti, mi, planBoundsLo, planBoundsHi);
        emit(EV_LOCKOSTHREAD, ti, mi, lockedInt + 2, lockedExt);
        store<u64>(b2 + (<usize>SAVEDSP_WORD << 3), gs);
        store<u64>(b2 + (<usize>SAVEDBP_WORD << 3), load<u64>(e, 48));
        store<u64>(b2 + (<usize>SAVEDPC_WORD << 3), load<u64>(e, 32));
        emit(exitCheck, ti, mi, checkSp(spc), guardIn);
        store<u64>(b3 + <usize>g1Size, cbgPc);
        store<u64>(b3 + <usize>g1Size - 8, s2 + cbgSize - 8);
      } else if (kind == PK_NESTED_RETURN) {
        // The nested callback's way back, in the profile's order, then cgocallback's return to C.
        const spc = load<u64>(e, 16);
        const gs = load<u64>(e, 24);
        const s1 = gs - cbSize - 8;
        const s2 = s1 - cbgSize - 8;
        const s3 = s2 - g1Size - 8;
        const b1 = loc(s1);
        const b2 = loc(s2);
        const b3 = loc(s3);
        emit(EV_DEFER, ti, mi, DEFER_UNWINDM, 0);
        if (unwindmUnlocks) emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt + 1, lockedExt);
        if (ctxt) emit(EV_DEFER, ti, mi, DEFER_CTXT_POP, 0);
        if (deferUnlockFirst) {
          emit(EV_DEFER, ti, mi, DEFER_UNLOCK, 0);
          emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt + 1, lockedExt);
        }
        framesOk = framesOk && load<u64>(b3 + <usize>g1Size) == cbgPc && load<u64>(b3 + <usize>g1Size - 8) == s2 + cbgSize - 8;
        if (unlockInCbg) emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt + 1, lockedExt);
        const ssp = load<u64>(b2 + (<usize>SAVEDSP_WORD << 3));
        const sbp = load<u64>(b2 + (<usize>SAVEDBP_WORD << 3));
        const spc2 = load<u64>(b2 + (<usize>SAVEDPC_WORD << 3));
        framesOk = framesOk && ssp == gs && sbp == load<u64>(e, 48) && spc2 == load<u64>(e, 32);
        emit(EV_REENTERSYSCALL, ti, mi, ssp, sbp);
        framesOk = framesOk && load<u64>(b2 + <usize>cbgSize) == cbPc && load<u64>(b2 + <usize>cbgSize - 8) == s1 + cbSize - 8 &&
          load<u64>(b1 + <usize>cbSize) == load<u64>(e, 32) && load<u64>(b1 + <usize>cbSize - 8) == load<u64>(e, 40);
        if (saveRestore) emit(EV_BOUNDS_RESTORED, ti, mi, planBoundsLo, planBoundsHi);
        const back = load<u64>(loc(spc));
        framesOk = framesOk && back == sp;
        emit(EV_CALLBACK_RETURN, ti, mi, spc, back);
      } else {
        // cgocall returns: the C SP back, exitsyscall (its g0 check at the outer SP_cb), the frame.
        emit(EV_CGOCALL_RETURN, ti, mi, cSpBefore, 0);
        emit(exitCheck, ti, mi, checkAt, guardIn);
        const at = loc(load<u64>(e, 40));
        framesOk = framesOk && load<u64>(at + cSize) == load<u64>(e, 32) && load<u64>(at + cSize - 8) == load<u64>(e, 24);
      }
    }
    // 4. The way back, in the profile's order.
    attribute(op);
    emit(EV_DEFER, ti, mi, DEFER_UNWINDM, 0);
    if (unwindmUnlocks) emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt, lockedExt);
    if (ctxt) emit(EV_DEFER, ti, mi, DEFER_CTXT_POP, 0);
    if (deferUnlockFirst) {
      emit(EV_DEFER, ti, mi, DEFER_UNLOCK, 0);
      emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt, lockedExt);
    }
    // cgocallbackg1 returns: its saved BP and return PC.
    const bp2 = load<u64>(base3 + <usize>g1Size - 8);
    const pc2 = load<u64>(base3 + <usize>g1Size);
    if (unlockInCbg) emit(EV_UNLOCKOSTHREAD, ti, mi, lockedInt, lockedExt);
    // reentersyscall(savedpc, savedsp, savedbp), read back from cgocallbackg's frame.
    const savedsp = load<u64>(base2 + (<usize>SAVEDSP_WORD << 3));
    const savedbp = load<u64>(base2 + (<usize>SAVEDBP_WORD << 3));
    const savedpc = load<u64>(base2 + (<usize>SAVEDPC_WORD << 3));
    emit(EV_REENTERSYSCALL, ti, mi, savedsp, savedbp);
    // cgocallbackg and cgocallback return.
    const bp1 = load<u64>(base2 + <usize>cbgSize - 8);
    const pc1 = load<u64>(base2 + <usize>cbgSize);
    const bpEnd = load<u64>(base1 + <usize>cbSize - 8);
    const pcEnd = load<u64>(base1 + <usize>cbSize);
    if (saveRestore) emit(EV_BOUNDS_RESTORED, ti, mi, g0Lo, g0Hi);
    const spcb = g0SchedSp;
    g0SchedSp = load<u64>(spSlot);
    emit(EV_CALLBACK_RETURN, ti, mi, spcb, g0SchedSp);
    // Nothing else writes these words (checked before the batch): they read back as stored.
    assert(bp2 == varp2 && pc2 == g1Pc && savedsp == syscallsp && savedbp == syscallbp && savedpc == syscallpc &&
      bp1 == varp1 && pc1 == cbPc && bpEnd == bp0 && pcEnd == pc0 && g0SchedSp == g0SchedSpBefore && framesOk, 'round trip: a frame word changed');
    done++;
  }
  // The records as the last round trip leaves them: as the first found them.
  g0.schedSp = g0SchedSp;
  if (isextra) m.isExtraInC = 1;
  m.incgo = 1;
  t.tlsG = g0Id;

  // Counters, for `done` round trips; the steps they spent; the op the run is at.
  const k = <u64>done;
  const levels = 1 + planNested; // the outer callback and the nested ones
  addCount(C_CALLBACKS, k * levels);
  if (nested) {
    addCount(C_NESTED_CALLBACKS, k * planNested);
    addCount(C_CGOCALLS, k * planCgocalls);
    m.ncgocall += k * planCgocalls;
  }
  if (bounds == BOUNDS_KEPT || planNestedKept != 0) addCount(C_BOUNDS_FAST_PATH, k * (<u64>(bounds == BOUNDS_KEPT) + planNestedKept));
  if (estimated) {
    addCount(C_GETSTACKBOUND, k);
    if (mainThread) addCount(C_GETSTACKBOUND_MAIN_THREAD, k);
    addCount(C_BOUNDS_UPDATES, k);
  }
  addCount(C_LOCKOSTHREAD, k * levels);
  addCount(C_G0_CHECKS, k * (1 + planSystemstacks + planNested + planCgocalls));
  addCount(C_EXITSYSCALL, k * (1 + planNested + planCgocalls));
  addCount(C_FRAMES_PUSHED, k * (1 + planFrames));
  if (planSystemstacks != 0) addCount(C_SYSTEMSTACK, k * planSystemstacks);
  addCount(C_UNLOCKOSTHREAD, k * levels);
  addCount(C_REENTERSYSCALL, k * levels);
  if (saveRestore) addCount(C_BOUNDS_RESTORES, k * levels);
  spend(k * steps, WORK_OPS); // never short: the batch was sized to the fuel
  setCurOp(<i32>op);
  roundTrips += done;
  roundTripCalls += done * planCalls;
  roundTripCgocalls += done * <u32>planCgocalls;
  return done;
}

