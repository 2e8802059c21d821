// Goroutine stacks: real frames in simulated memory, growth and shrinking by copystack, and the
// pointer relocation that decides what survives a move (docs/model.md §4.4, §5, §6).
//
// Glossary:
//   Func       a function with a frame: its size and its stack map, one bit per local word (1 =
//              pointer). The runtime's own (cgocall, cgocallbackg, …) sit at fixed indices; the
//              scenario's `call`s come after. A Func's PC is FUNC_TEXT_BASE + k*FUNC_PC_STRIDE +
//              CONT_OFFSET: the PC at which it calls on, whose stack map this is.
//   frame      [sp, sp+F): locals from sp, the caller's BP at varp = sp+F-8; the return PC at
//              sp+F; the caller's frame starts at sp+F+8. BP registers point at varp, so saved
//              BPs form the frame-pointer chain that fpTracebackPCs follows.
//   registers  a goroutine's schedSp/schedBp/schedPc are its SP, BP and the PC of its innermost
//              frame while it runs, and Go's g.sched while it does not.
//
// Main path of growth (newstack) and copystack:
//   1. A splittable prologue compares SP with stackguard0 (§4.1) and calls morestack.
//   2. newstack: throwsplit set (between entersyscall and exitsyscall) is fatal; otherwise double
//      the size until the frame fits with stackGuard to spare; over maxstacksize is fatal.
//   3. copystack: refuse while syscallsp != 0; allocate; memory.copy the used top part, so every
//      offset from stack.hi is kept (delta = new.hi - old.hi); relocate sched.bp; walk every frame
//      on the new stack from its PCs and relocate, in each, the saved-BP slot and the words the
//      stack map marks as pointers, if their value lay in the old stack; free (poison) the old stack.
//   Scalars are never touched, even when they hold stack addresses: that is bug 002's savedbp.

import { cgocallbackgFrame, cgocallbackg1Frame, g0Work, G0W_NEWSTACK } from './physical';
import {
  CRASH_GROWTH_IN_SYSCALL, CRASH_INVALID_POINTER, CRASH_SHRINK_BAD_TIME, CRASH_SPLIT_BAD_TIME,
  CRASH_SPLIT_OVERFLOW, CRASH_STACK_OVERFLOW, CRASH_UAF_STACK, CRASH_UNKNOWN_PC, C_BYTES_COPIED, C_COPYSTACK,
  C_FRAMES_ADJUSTED, C_FRAMES_PUSHED, C_GC_CYCLES, C_POINTERS_ADJUSTED, C_SHRINKS_DEFERRED, C_STACK_GROWTHS,
  C_STACK_SHRINKS, EV_COPYSTACK, EV_GC, EV_MORESTACK, EV_SHRINK_DEFERRED, EV_SHRINK_SKIPPED, EV_STACKFREE,
  FIRST_USER_FUNC, FREC_BITMAP_WORD, FREC_FLAGS, FREC_FRAME_SIZE, FREC_N_VALUES, FREC_N_WORDS,
  FREC_VALUES_OFF, FUNC_PC_STRIDE, FUNC_PC_STRIDE_LOG2, FUNC_SIZE, FUNC_CONT_OFFSET as CONT_OFFSET, FN_COPYSTACK, FN_SCANSTACK, FUNC_PC_QUANTUM as PC_QUANTUM, FUNC_TEXT_BASE, F_SAVEDBP_UNSAFE_POINTER,
  F_SAVEDSP_AS_UINTPTR, F_SHRINK_GATE_WITHOUT_TRACE, F_SHRINK_TRACE_CHECK, G_WAITING, INVALID_NO_SPACE,
  INVALID_TOO_MANY, PLATFORM_WINDOWS, READ_RETURN_PC, READ_SAVED_BP, RF_CGOCALL, RF_CGOCALLBACK,
  RF_CGOCALLBACKG, RF_CGOCALLBACKG1, RF_GOBODY, RF_GOEXIT, RF_GROW, RF_RECOVER, RK_GO_STACK, RS_LIVE,
  SHRINK_SKIP_GODEBUG_OFF, SHRINK_SKIP_TOO_SMALL, SHRINK_SKIP_TOO_USED, VALUE_SIZE, WORK_GOROUTINES, WORK_WALK,
} from './abi';
import { BITMAPS_LOCATION, FUNCS_LOCATION, VALUES_LOCATION, loc, markDirty, markRange, wloc, windowBase, windowLocation, zeroFill } from './memory';
import { grec, region, G } from './records';
import { tracingOn, isWaitingForGC } from './gstatus';
import { has, stackGuard, platform } from './profile';
import { count, addCount, emit, crash, crashOperand, uaf, invalid, spend, chargeMemory } from './results';
import { place, addRegion, freeRegion, freedAt, GO_STACK_POISON } from './regions';
import { gCount } from './runtime';

// ---- functions ----


// Frame sizes of the runtime's functions. RF_CGOCALL's puts the saved BP at SP + 0x28, where
// entersyscall's getcallerfp() finds it (regression-scenarios.md S11: syscallbp = syscallsp + 0x28).
// @ts-ignore: decorator
@inline const GOBODY_FRAME: u32 = 0x1a0;
// @ts-ignore: decorator
@inline export const CGOCALL_FRAME: u32 = 0x30;
// @ts-ignore: decorator
@inline const CGOCALLBACK_FRAME: u32 = 0x20;
// @ts-ignore: decorator
@inline const CGOCALLBACKG_FRAME: u32 = 0x48;
// @ts-ignore: decorator
@inline const CGOCALLBACKG1_FRAME: u32 = 0x48;
// @ts-ignore: decorator
@inline const GROW_FRAME: u32 = 0x100;
// @ts-ignore: decorator
@inline const RECOVER_FRAME: u32 = 0x50;
// cgocallbackg's locals: the words that hold what reentersyscall gets back.
// @ts-ignore: decorator
@inline export const SAVEDSP_WORD: u32 = 0;
// @ts-ignore: decorator
@inline export const SAVEDBP_WORD: u32 = 1;
// @ts-ignore: decorator
@inline export const SAVEDPC_WORD: u32 = 2;
// The goexit frame a goroutine starts with: 4 words at the top of its stack.
// @ts-ignore: decorator
@inline export const GOEXIT_FRAME_BYTES: u64 = 32;

// @ts-ignore: decorator
@inline const STACK_PREEMPT: u64 = 0xfffffffffffffade;
// @ts-ignore: decorator
@inline const MIN_LEGAL_POINTER: u64 = 4096;
/**
 * fixedStack: round-up-pow2(stackMin + stackSystem): 2 KiB, or 8 KiB on windows/amd64 where
 * stackSystem is 4 KiB (§2). malg rounds every requested size the same way.
 */
export function fixedStack(): u64 { return malgSize(2048); }
export function malgSize(bytes: u64): u64 {
  const size: u64 = bytes + (platform == PLATFORM_WINDOWS ? 4096 : 0);
  let p: u64 = 1;
  while (p < size) p <<= 1;
  return p;
}
// @ts-ignore: decorator
@inline const STACK_NOSPLIT: u64 = 800;
// @ts-ignore: decorator
@inline const STACK_SMALL: u64 = 128;
// @ts-ignore: decorator
@inline const STACK_BIG: u64 = 4096;

// Func (FUNC_SIZE), 32 bytes: a function with a stack map
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 frameSize u32       │ 4 nWords u32          │ 8 bitmapWord u32      │ 12 flags u32          │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 valuesOff u32      │ 20 nValues u32        │ 24 map0 u64 (the unwinder's cache)            │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class Func {
  frameSize: u32;
  nWords: u32;      // local words: (frameSize - 8) / 8
  bitmapWord: u32;  // first u32 of its stack map in BITMAPS
  flags: u32;       // FUNC_*
  valuesOff: u32;   // first explicit slot value in VALUES
  nValues: u32;
  map0: u64;        // its first 64 stack-map bits, masked to nWords (cacheMaps; the host leaves it)
}

// @ts-ignore: decorator
@inline export const FUNC_ROOT: u32 = 1;
// @ts-ignore: decorator
@inline export const FUNC_NOSPLIT: u32 = 2;
// The runtime writes every word of this frame it relies on itself: no illustrative locals.
// @ts-ignore: decorator
@inline export const FUNC_NOFILL: u32 = 4;

// @ts-ignore: decorator
@inline function fn(k: i32): Func { return changetype<Func>(FUNCS_LOCATION + <usize>k * FUNC_SIZE); }
/** Function k's record (for the fused handlers, which read frame sizes and flags before a batch). */
// @ts-ignore: decorator
@inline export function funcRec(k: i32): Func { return fn(k); }

export let funcCount: i32 = FIRST_USER_FUNC;
// What the stack work in progress runs under, for a crash's record (the host prints its callers):
// FN_COPYSTACK for newstack (a prologue's morestack, a synchronous preemption), FN_SCANSTACK for
// the GC's scan of a goroutine. Set by each entry to that work.
let stackPath: u32 = FN_COPYSTACK;
/** Stack work from here on runs under newstack (a preemption's shrink, sched.ts). */
export function underNewstack(): void { stackPath = FN_COPYSTACK; }
export let maxstacksize: u64 = 1000000000;
export let invalidptrCheck: bool = true;
export let gcshrinkstackoff: bool = false;

// @ts-ignore: decorator
@inline export function funcPc(k: i32): u64 {
  return FUNC_TEXT_BASE + <u64>k * FUNC_PC_STRIDE + (k == RF_GOEXIT ? PC_QUANTUM : CONT_OFFSET);
}

/** The function whose continuation PC is pc, or -1. */
// @ts-ignore: decorator
@inline export function funcOf(pc: u64): i32 {
  // FUNC_PC_STRIDE is a power of two: a shift, not a 64-bit division, on the unwinder's hot path.
  const off = pc - FUNC_TEXT_BASE;
  const k = <i32>(off >> FUNC_PC_STRIDE_LOG2);
  if (pc < FUNC_TEXT_BASE || off >= (<u64>funcCount << FUNC_PC_STRIDE_LOG2) || pc != funcPc(k)) return -1;
  return k;
}

function defineFunc(k: i32, frameSize: u32, bitmapWord: u32, flags: u32): void {
  const f = fn(k);
  f.frameSize = frameSize;
  f.nWords = (frameSize - 8) >> 3;
  f.bitmapWord = bitmapWord;
  f.flags = flags;
  f.valuesOff = 0;
  f.nValues = 0;
  const words = (f.nWords + 31) >> 5;
  memory.fill(BITMAPS_LOCATION + (<usize>bitmapWord << 2), 0, <usize>words << 2);
}

@inline function setPointerBit(k: i32, word: u32): void {
  const p = BITMAPS_LOCATION + (<usize>(fn(k).bitmapWord + (word >> 5)) << 2);
  store<u32>(p, load<u32>(p) | (1 << (word & 31)));
}

/**
 * The runtime's functions for this run. cgocallbackg's stack map is the point of bug 002:
 * savedsp is unsafe.Pointer (a pointer) unless the mutation makes it uintptr; savedbp is a pointer
 * only from 608775 on.
 */
let runtimeFuncsKey: u32 = 0; // which stack-map flags the runtime's records were defined for (0: none yet)

export function initRuntimeFuncs(nFuncs: i32, maxStack: u64, invalidptr: bool, shrinkOff: bool): void {
  funcCount = nFuncs < FIRST_USER_FUNC ? FIRST_USER_FUNC : nFuncs;
  mapsCached = false; // the host has written this run's functions
  maxstacksize = maxStack;
  invalidptrCheck = invalidptr;
  gcshrinkstackoff = shrinkOff;
  // The runtime's records depend only on the two stack-map flags, and nothing else writes them
  // (scenario functions start at FIRST_USER_FUNC): define them again only when those change.
  const cbg = cgocallbackgFrame();
  const cbg1 = cgocallbackg1Frame();
  const key = 1 | (has(F_SAVEDSP_AS_UINTPTR) ? 2 : 0) | (has(F_SAVEDBP_UNSAFE_POINTER) ? 4 : 0) | (cbg << 3) | (cbg1 << 12);
  if (key == runtimeFuncsKey) return;
  runtimeFuncsKey = 0;
  defineFunc(RF_GOEXIT, 8, 0, FUNC_ROOT | FUNC_NOSPLIT);
  defineFunc(RF_GOBODY, GOBODY_FRAME, 2, 0);
  defineFunc(RF_CGOCALL, CGOCALL_FRAME, 4, FUNC_NOFILL);
  defineFunc(RF_CGOCALLBACK, CGOCALLBACK_FRAME, 6, FUNC_NOSPLIT | FUNC_NOFILL);
  // Under the physical model the two carry the real bytes of a callback level (physical.ts).
  defineFunc(RF_CGOCALLBACKG, cbg != 0 ? cbg : CGOCALLBACKG_FRAME, 8, FUNC_NOSPLIT | FUNC_NOFILL);
  if (!has(F_SAVEDSP_AS_UINTPTR)) setPointerBit(RF_CGOCALLBACKG, SAVEDSP_WORD);
  if (has(F_SAVEDBP_UNSAFE_POINTER)) setPointerBit(RF_CGOCALLBACKG, SAVEDBP_WORD);
  defineFunc(RF_CGOCALLBACKG1, cbg1 != 0 ? cbg1 : CGOCALLBACKG1_FRAME, 10, FUNC_NOFILL);
  // grow's frames: every fourth word a pointer into the stack above, the rest scalars.
  defineFunc(RF_GROW, GROW_FRAME, 12, 0);
  for (let w: u32 = 0; w < fn(RF_GROW).nWords; w += 4) setPointerBit(RF_GROW, w);
  // A function that defers a recover(): a small frame, no pointers the model needs.
  defineFunc(RF_RECOVER, RECOVER_FRAME, 16, 0);
  for (let k = RF_RECOVER + 1; k < FIRST_USER_FUNC; k++) defineFunc(k, 8, 14, FUNC_NOSPLIT);
  runtimeFuncsKey = key;
}

/**
 * The unwinder's per-function cache: each function's first 64 stack-map bits, masked to its
 * nWords, in its record (Func.map0), so a frame of up to 64 words costs the walk one record and no
 * bitmap lookup. Filled at the first walk of a run (the functions are the run's from then on).
 */
let mapsCached = false;

function cacheMaps(): void {
  for (let k = 0; k < funcCount; k++) {
    const f = fn(k);
    const n = f.nWords;
    let m = n == 0 ? 0 : load<u64>(BITMAPS_LOCATION + (<usize>f.bitmapWord << 2));
    if (n < 64) m &= (<u64>1 << <u64>n) - 1;
    f.map0 = m;
  }
  mapsCached = true;
}

/**
 * Budget steps for pushing one frame of function k: the frame plus one per eight local words the
 * push fills (a word's store is about an eighth of a step).
 */
export function pushSteps(k: i32): u64 { return 1 + <u64>(fn(k).nWords >> 3); }

/** The frame size of function k. */
export function frameSizeOf(k: i32): u32 { return fn(k).frameSize; }

/** runtime/debug.SetMaxStack. */
export function setMaxStack(bytes: u64): void { maxstacksize = bytes; }

// ---- memory of the goroutine stacks ----

// @ts-ignore: decorator
@inline function rd(addr: u64): u64 { return load<u64>(loc(addr)); }
// @ts-ignore: decorator
@inline function wr(addr: u64, v: u64): void { store<u64>(wloc(addr), v); }

/**
 * A read the runtime makes of goroutine-stack memory outside gp's current stack (a frame-pointer
 * walk, a restored value): if that span was freed, the real process reads garbage or faults; the
 * model ends the run with verdict uaf, naming the address and the freed stack. Returns false then.
 */
// @ts-ignore: decorator
@inline export function readable(ti: i32, mi: i32, gi: i32, addr: u64, what: u32): bool {
  const gp = grec(gi);
  if (addr >= gp.stackLo && addr + 8 <= gp.stackHi) return true;
  return readableSlow(ti, mi, gi, addr, what);
}

function readableSlow(ti: i32, mi: i32, gi: i32, addr: u64, what: u32): bool {
  const ri = freedAt(addr);
  if (ri < 0) return true;
  const r = region(ri);
  crashOperand(4, r.kind == RK_GO_STACK ? grec(<i32>r.owner).goid : <u64>r.owner);
  crashOperand(5, <u64>what);
  uaf(CRASH_UAF_STACK, ti, mi, gi, 0);
  return false;
}

// What a checked read was after (the host words the use-after-free report with it).

// ---- frames ----

/** Writes goroutine gp's entry frames: goexit at the top, then the body function's frame. */
export function startGoroutineFrames(gp: G, withBody: bool): void {
  const hi = gp.stackHi;
  const goexitSp = hi - GOEXIT_FRAME_BYTES;
  zeroFill(goexitSp, GOEXIT_FRAME_BYTES);
  gp.schedSp = goexitSp;
  gp.schedBp = 0;
  gp.schedPc = funcPc(RF_GOEXIT);
  gp.stktopsp = goexitSp;
  if (withBody) pushFrameNoCheck(gp, RF_GOBODY);
}

/** Pushes a frame of function k for gp without a prologue check (nosplit, or already checked). */
export function pushFrameNoCheck(gp: G, k: i32): void {
  const f = fn(k);
  const frameSize = <u64>f.frameSize;
  const spOld = gp.schedSp;
  const sp = spOld - frameSize - 8;
  const varp = sp + frameSize - 8;
  assert((spOld & 7) == 0 && spOld <= gp.stackHi, 'push: SP misaligned or above the stack');
  assert(sp >= gp.stackLo && sp < spOld, 'push: frame below stack.lo (a missing prologue check)');
  // Everything below is stored in [sp, spOld): the frame's words, saved BP and return PC.
  markRange(sp, spOld);
  const base = loc(sp);
  store<u64>(base + <usize>frameSize, gp.schedPc);
  store<u64>(base + <usize>frameSize - 8, gp.schedBp);
  // Locals: each word holds an address in the caller's part of the stack (as &x passed down),
  // pointer or not; a scalar holding one is exactly what copystack must leave alone.
  const hi = gp.stackHi;
  const n: u32 = (f.flags & FUNC_NOFILL) != 0 ? 0 : f.nWords;
  for (let i: u32 = 0; i < n; i++) {
    const a = spOld + (<u64>i << 3);
    store<u64>(base + (<usize>i << 3), a < hi ? a : varp);
  }
  for (let j: u32 = 0; j < f.nValues; j++) {
    const v = VALUES_LOCATION + <usize>(f.valuesOff + j) * VALUE_SIZE;
    store<u64>(base + (<usize>load<u32>(v) << 3), load<u64>(v, 8));
  }
  gp.schedSp = sp;
  gp.schedBp = varp;
  gp.schedPc = funcPc(k);
}

/**
 * Calls function k on goroutine gi: the prologue check first (§4.1), growing the stack through
 * newstack/copystack if it fails. Returns false when the run ended.
 */
export function callFunc(ti: i32, mi: i32, gi: i32, k: i32): bool {
  const gp = grec(gi);
  if ((fn(k).flags & FUNC_NOSPLIT) == 0 && needsMorestack(gp, <u64>fn(k).frameSize)) {
    if (!morestack(ti, mi, gi, k)) return false;
  }
  pushFrameNoCheck(gp, k);
  count(C_FRAMES_PUSHED);
  return true;
}

/** The prologue of a function with a frame of frameSize bytes, entered at SP = schedSp - 8. */
function needsMorestack(gp: G, frameSize: u64): bool {
  const sp = gp.schedSp - 8;
  const guard = gp.stackguard0;
  if (frameSize <= STACK_SMALL) return sp <= guard;
  const extra = frameSize - STACK_SMALL;
  if (frameSize < STACK_BIG) return sp < extra || sp - extra <= guard;
  return guard == STACK_PREEMPT || sp < extra || sp - extra <= guard;
}

/** Returns from the innermost frame: SP above it, BP and PC from the slots it saved. */
export function returnFunc(ti: i32, mi: i32, gi: i32): bool {
  const gp = grec(gi);
  const k = funcOf(gp.schedPc);
  if (k < 0) return unknownPc(ti, mi, gi, gp.schedPc, gp.schedSp);
  const frameSize = <u64>fn(k).frameSize;
  const sp = gp.schedSp;
  assert(sp + frameSize + 8 <= gp.stackHi, 'return: frame runs past stack.hi');
  if (!readable(ti, mi, gi, sp + frameSize - 8, READ_SAVED_BP) || !readable(ti, mi, gi, sp + frameSize, READ_RETURN_PC)) return false;
  gp.schedBp = rd(sp + frameSize - 8);
  gp.schedPc = rd(sp + frameSize);
  gp.schedSp = sp + frameSize + 8;
  return true;
}

function unknownPc(ti: i32, mi: i32, gi: i32, pc: u64, sp: u64): bool {
  crashOperand(0, pc);
  crashOperand(1, sp);
  crashOperand(2, grec(gi).goid);
  crash(CRASH_UNKNOWN_PC, ti, mi, gi, 0);
  return false;
}

// ---- newstack and copystack ----

/** morestack → newstack for a call of function k (§4.3, §4.4). */
function morestack(ti: i32, mi: i32, gi: i32, k: i32): bool {
  const gp = grec(gi);
  stackPath = FN_COPYSTACK;
  // Operand 7 of newstack's crashes: the callee whose prologue failed (g.sched's function, where
  // the goroutine's section of the crash text starts).
  crashOperand(7, funcPc(k));
  emit(EV_MORESTACK, ti, mi, gp.schedSp - 8, gp.stackguard0);
  if (gp.throwsplit != 0) {
    crashOperand(0, gp.schedSp);
    crashOperand(1, gp.stackLo);
    crashOperand(2, gp.stackHi);
    crashOperand(3, funcPc(k));
    crashOperand(4, gp.schedPc);
    crash(CRASH_SPLIT_BAD_TIME, ti, mi, gi, stackPath);
    return false;
  }
  if (gp.stackguard0 == STACK_PREEMPT) {
    // A synchronous preemption point. Without a scheduler in the model the goroutine resumes at
    // once on its M; a shrink the GC deferred to this point happens first.
    gp.stackguard0 = gp.stackLo + stackGuard;
    if (gp.preemptShrink != 0) {
      gp.preemptShrink = 0;
      if (!shrinkstack(ti, mi, gi)) return false;
    }
    if (!needsMorestack(gp, <u64>fn(k).frameSize)) return true;
  }
  // newstack's sp: g.sched.sp (the callee's SP at entry, schedSp - 8) less the word that
  // morestack's own call pushed. morebuf is the caller's PC and SP.
  const nsp = gp.schedSp - 16;
  if (nsp < gp.stackLo) {
    crashOperand(0, nsp);
    crashOperand(1, gp.stackLo);
    crashOperand(2, gp.stackHi);
    crashOperand(3, gp.schedPc);
    crashOperand(4, gp.schedSp);
    crash(CRASH_SPLIT_OVERFLOW, ti, mi, gi, stackPath);
    return false;
  }
  const oldsize = gp.stackHi - gp.stackLo;
  let newsize = oldsize * 2;
  const used = gp.stackHi - gp.schedSp;
  // funcMaxSPDelta: the frame and the return address of the function being called.
  const needed = <u64>fn(k).frameSize + 8 + stackGuard;
  while (newsize - used < needed && newsize <= maxstacksize) newsize *= 2;
  if (newsize > maxstacksize || newsize > 2 * maxstacksize) {
    crashOperand(0, maxstacksize);
    crashOperand(1, gp.schedSp - 8);
    crashOperand(2, gp.stackLo);
    crashOperand(3, gp.stackHi);
    crash(CRASH_STACK_OVERFLOW, ti, mi, gi, stackPath);
    return false;
  }
  count(C_STACK_GROWTHS);
  // newstack and copystack run on this M's g0: real frames below g0.sched.sp (physical.ts).
  if (!g0Work(ti, mi, G0W_NEWSTACK)) return false;
  return copystack(ti, mi, gi, newsize);
}

/** copystack(gp, newsize): §5.1. */
export function copystack(ti: i32, mi: i32, gi: i32, newsize: u64): bool {
  const gp = grec(gi);
  if (gp.syscallsp != 0) {
    crashOperand(0, gp.syscallsp);
    crash(CRASH_GROWTH_IN_SYSCALL, ti, mi, gi, stackPath);
    return false;
  }
  const oldLo = gp.stackLo;
  const oldHi = gp.stackHi;
  const used = oldHi - gp.schedSp;
  assert(gp.schedSp >= oldLo && used <= newsize, 'copystack: used part does not fit the new size');
  const newLo = place(newsize, true);
  if (newLo == 0) {
    invalid(INVALID_NO_SPACE, ti);
    return false;
  }
  const newHi = newLo + newsize;
  if (!chargeMemory(newLo, newsize)) return false;
  const ri = addRegion(newLo, newHi, RK_GO_STACK, <u32>gi, -1);
  if (ri < 0) {
    invalid(INVALID_TOO_MANY, ti);
    return false;
  }
  // Fresh stack memory reads as zeros below what the copy fills (determinism across runs).
  zeroFill(newLo, newsize - used);
  const delta = newHi - oldHi;
  markDirty(newHi - used, used);
  memory.copy(loc(newHi - used), loc(oldHi - used), <usize>used);
  addCount(C_BYTES_COPIED, used);
  // adjustctxt: the saved frame pointer (sched.ctxt is not modelled: no closures on these stacks).
  if (gp.schedBp >= oldLo && gp.schedBp < oldHi) gp.schedBp += delta;
  gp.stackLo = newLo;
  gp.stackHi = newHi;
  gp.stackguard0 = newLo + stackGuard;
  gp.schedSp = newHi - used;
  gp.stktopsp += delta;
  assert(gp.schedSp - newLo == newsize - used, 'copystack: SP lost its offset from stack.hi');
  if (!relocateFrames(ti, mi, gi, oldLo, oldHi, delta)) return false;
  const oldRegion = <i32>gp.region - 1;
  gp.region = <u32>ri + 1;
  if (oldRegion >= 0 && region(oldRegion).state == RS_LIVE) {
    freeRegion(oldRegion, GO_STACK_POISON);
    emit(EV_STACKFREE, ti, mi, oldLo, oldHi);
  }
  count(C_COPYSTACK);
  emit(EV_COPYSTACK, ti, mi, newLo, newHi);
  return true;
}

// ---- the frame walk ----
//
// Both walks go from gp's innermost frame (schedSp, schedPc) to goexit, each frame's size from the
// PC the previous one stored: a chain of dependent loads, so nothing else should sit on it. They
// address a frame by its linear location (`base`); its simulated SP is spAt(base).

// @ts-ignore: decorator
@inline function spAt(base: usize): u64 { return windowBase + <u64>(base - windowLocation); }

// The PC test of a walk. Every frame's PC is the continuation PC of a function k other than goexit
// (funcPc(k) = FUNC_TEXT_BASE + k * FUNC_PC_STRIDE + CONT_OFFSET, 0 < k < funcCount); goexit's,
// the root's, is the only other one a walk accepts, and where it ends. With x = pc - funcPc(1),
// rotating x right by FUNC_PC_STRIDE_LOG2 gives k - 1 when pc is such a PC, and a value of at
// least 2^(64 - FUNC_PC_STRIDE_LOG2) when pc is off the stride (its low bits land on top): one
// compare with funcCount - 1 checks all three conditions, and k comes out of the same value.
if (RF_GOEXIT != 0) ERROR('the walks\' PC test assumes goexit is function 0');

/**
 * scanstack's walk: every frame's PC must be known and its frame must end below stack.hi, else the
 * run ends with unknownPc. Counts the frames in C_FRAMES_ADJUSTED and charges two steps a frame
 * when done.
 */
function scanFrames(ti: i32, mi: i32, gi: i32): bool {
  const gp = grec(gi);
  let pc = gp.schedPc;
  let base = loc(gp.schedSp);
  const end = <u64>loc(gp.stackHi);
  const pc1 = funcPc(1);
  const kLimit = <u64>funcCount - 1;
  let frames: u64 = 0;
  for (;;) {
    const r = rotr<u64>(pc - pc1, FUNC_PC_STRIDE_LOG2);
    if (r >= kLimit) {
      if (pc == funcPc(RF_GOEXIT)) break;
      return unknownPc(ti, mi, gi, pc, spAt(base));
    }
    const frameSize = fn(<i32>r + 1).frameSize;
    assert((spAt(base) & 7) == 0 && (frameSize & 7) == 0, 'unwinder: misaligned frame');
    if (<u64>base + <u64>frameSize + 8 > end) return unknownPc(ti, mi, gi, pc, spAt(base));
    pc = load<u64>(base + <usize>frameSize);
    base += <usize>frameSize + 8;
    frames++;
  }
  addCount(C_FRAMES_ADJUSTED, frames);
  return spend(2 * frames, WORK_WALK);
}

/**
 * copystack's walk (adjustframe, adjustpointers) over the new stack, which holds the copy: in each
 * frame, the saved-BP slot and the stack-map pointer words whose value lies in [oldLo, oldHi) move
 * by delta; a pointer word p with 0 < p < 4096 is invalid (when invalidptrCheck) and ends the run
 * there. The same checks as scanFrames. Counts C_POINTERS_ADJUSTED and C_FRAMES_ADJUSTED and
 * charges two steps a frame plus one per 64 map words when done (a run that ends in the walk counts
 * and charges nothing).
 *
 * This is relocateFramesExact's result by a shorter path: an invalid pointer is rare, so the walk
 * only notes that it met one (the least p - 1 of the pointer words), and then puts the new stack
 * back as the copy left it (the old stack still holds every word as it was) and walks again with
 * relocateFramesExact, which stops at it.
 */
function relocateFrames(ti: i32, mi: i32, gi: i32, oldLo: u64, oldHi: u64, delta: u64): bool {
  const gp = grec(gi);
  let pc = gp.schedPc;
  let base = loc(gp.schedSp);
  const end = <u64>loc(gp.stackHi);
  const oldSize = oldHi - oldLo;
  // invalidptr: a pointer word p with 0 < p < 4096 is bad, i.e. p - 1 < badBelow (0 when off).
  const badBelow: u64 = invalidptrCheck ? MIN_LEGAL_POINTER - 1 : 0;
  const pc1 = funcPc(1);
  const kLimit = <u64>funcCount - 1;
  if (!mapsCached) cacheMaps();
  // The sum of what the walk added to the words it relocated, delta each: adjusted * delta, from
  // which the count comes when done. One add per word, where a count would take three
  // instructions: the word's new value is computed from the same selected addend.
  let moved: u64 = 0;
  let frames: u64 = 0;
  // The least p - 1 of the pointer words relocated so far: an invalid one makes it < badBelow.
  let least: u64 = U64.MAX_VALUE;
  for (;;) {
    const r = rotr<u64>(pc - pc1, FUNC_PC_STRIDE_LOG2);
    if (r >= kLimit) {
      if (pc == funcPc(RF_GOEXIT)) break;
      if (least < badBelow) return redoExact(ti, mi, gi, oldLo, oldSize, delta, badBelow);
      return unknownPc(ti, mi, gi, pc, spAt(base));
    }
    const f = fn(<i32>r + 1);
    const frameSize = f.frameSize;
    assert((spAt(base) & 7) == 0 && (frameSize & 7) == 0, 'unwinder: misaligned frame');
    if (<u64>base + <u64>frameSize + 8 > end) {
      if (least < badBelow) return redoExact(ti, mi, gi, oldLo, oldSize, delta, badBelow);
      return unknownPc(ti, mi, gi, pc, spAt(base));
    }
    // The next link of the chain first: the return PC is never a slot this frame relocates (the
    // map covers the locals, below the saved BP), so its load can start before the frame's work.
    pc = load<u64>(base + <usize>frameSize);
    // One unsigned compare per value: p - oldLo < oldSize  <=>  oldLo <= p < oldHi. Whether a word
    // points into the old stack is a coin toss to the branch predictor, so the relocation is a
    // select and the store happens either way.
    const bpSlot = base + <usize>frameSize - 8;
    const bp = load<u64>(bpSlot);
    const bpAdd = select<u64>(delta, 0, bp - oldLo < oldSize);
    store<u64>(bpSlot, bp + bpAdd);
    moved += bpAdd;
    if (f.nWords <= 64) {
      // The cached map (cacheMaps): one u64, already masked to the frame's words.
      let m = f.map0;
      while (m != 0) {
        const slot = base + (<usize>ctz<u64>(m) << 3);
        m &= m - 1;
        const p = load<u64>(slot);
        const add = select<u64>(delta, 0, p - oldLo < oldSize);
        store<u64>(slot, p + add);
        moved += add;
        least = min<u64>(least, p - 1);
      }
    } else {
      // A long frame: its words one at a time (relocateWords stops the run at an invalid one, so
      // one noted before it must stop the run first).
      if (least < badBelow) return redoExact(ti, mi, gi, oldLo, oldSize, delta, badBelow);
      const n = relocateLongFrame(ti, mi, gi, <i32>r + 1, base, oldLo, oldSize, delta, badBelow);
      if (n < 0) return false;
      moved += <u64>n * delta;
    }
    frames++;
    base += <usize>frameSize + 8;
  }
  if (least < badBelow) return redoExact(ti, mi, gi, oldLo, oldSize, delta, badBelow);
  // Exact: |adjusted * delta| < 2^63 (adjusted < 2^30 words, |delta| < the window's 2^30 bytes), and
  // delta != 0 (the new stack is not the old one).
  addCount(C_POINTERS_ADJUSTED, <u64>(<i64>moved / <i64>delta));
  addCount(C_FRAMES_ADJUSTED, frames);
  // Map words scanned: a frame spans its words, its saved BP and its return PC.
  const words = (<u64>(base - loc(gp.schedSp)) >> 3) - 2 * frames;
  return spend(2 * frames + (words >> 6), WORK_WALK);
}

/** relocateFrames met an invalid pointer: the copy put back, and the walk again, frame by frame. */
function redoExact(ti: i32, mi: i32, gi: i32, oldLo: u64, oldSize: u64, delta: u64, badBelow: u64): bool {
  const gp = grec(gi);
  const sp = loc(gp.schedSp);
  memory.copy(sp, sp - <usize>delta, <usize>(gp.stackHi - gp.schedSp));
  return relocateFramesExact(ti, mi, gi, oldLo, oldSize, delta, badBelow);
}

/**
 * relocateFrames frame by frame and word by word, in the runtime's order: each frame's saved BP,
 * then its pointer words in address order, stopping the run at the first invalid one.
 */
function relocateFramesExact(ti: i32, mi: i32, gi: i32, oldLo: u64, oldSize: u64, delta: u64, badBelow: u64): bool {
  const gp = grec(gi);
  let pc = gp.schedPc;
  let base = loc(gp.schedSp);
  const end = <u64>loc(gp.stackHi);
  let adjusted: u64 = 0;
  let frames: u64 = 0;
  for (;;) {
    const k = funcOf(pc);
    if (k <= RF_GOEXIT) {
      if (pc == funcPc(RF_GOEXIT)) break;
      return unknownPc(ti, mi, gi, pc, spAt(base));
    }
    const f = fn(k);
    const frameSize = f.frameSize;
    if (<u64>base + <u64>frameSize + 8 > end) return unknownPc(ti, mi, gi, pc, spAt(base));
    const bpSlot = base + <usize>frameSize - 8;
    const bp = load<u64>(bpSlot);
    const bpInOld = bp - oldLo < oldSize;
    store<u64>(bpSlot, bp + select<u64>(delta, 0, bpInOld));
    adjusted += <u64>bpInOld;
    const n = f.nWords <= 64
      ? relocateWords(ti, mi, gi, k, base, f.map0, oldLo, oldSize, delta, badBelow)
      : relocateLongFrame(ti, mi, gi, k, base, oldLo, oldSize, delta, badBelow);
    if (n < 0) return false;
    adjusted += <u64>n;
    frames++;
    pc = load<u64>(base + <usize>frameSize);
    base += <usize>frameSize + 8;
  }
  addCount(C_POINTERS_ADJUSTED, adjusted);
  addCount(C_FRAMES_ADJUSTED, frames);
  const words = (<u64>(base - loc(gp.schedSp)) >> 3) - 2 * frames;
  return spend(2 * frames + (words >> 6), WORK_WALK);
}

/** The pointer words of a frame of more than 64 words (relocateWords, 64 map bits at a time). */
function relocateLongFrame(ti: i32, mi: i32, gi: i32, k: i32, base: usize,
  oldLo: u64, oldSize: u64, delta: u64, badBelow: u64): i64 {
  const f = fn(k);
  const nWords = f.nWords;
  const bits = BITMAPS_LOCATION + (<usize>f.bitmapWord << 2);
  let adjusted: i64 = 0;
  for (let w: u32 = 0; w < nWords; w += 64) {
    // Bits past nWords belong to the next function: masked.
    const left = nWords - w;
    let m = load<u64>(bits + (<usize>w >> 3));
    if (left < 64) m &= (<u64>1 << <u64>left) - 1;
    const n = relocateWords(ti, mi, gi, k, base + (<usize>w << 3), m, oldLo, oldSize, delta, badBelow);
    if (n < 0) return -1;
    adjusted += n;
  }
  return adjusted;
}

/**
 * Relocates the words map bits m mark (bit i: the word at wordBase + 8i), one at a time in address
 * order, stopping the run at an invalid pointer: the count it adjusted, or -1 when it stopped.
 */
function relocateWords(ti: i32, mi: i32, gi: i32, k: i32, wordBase: usize, m: u64,
  oldLo: u64, oldSize: u64, delta: u64, badBelow: u64): i64 {
  let adjusted: i64 = 0;
  while (m != 0) {
    const slot = wordBase + (<usize>ctz<u64>(m) << 3);
    m &= m - 1;
    const p = load<u64>(slot);
    const inOld = p - oldLo < oldSize;
    store<u64>(slot, p + select<u64>(delta, 0, inOld));
    adjusted += <i64>inOld;
    if (p - 1 < badBelow) {
      badPointer(ti, mi, gi, k, spAt(slot), p);
      return -1;
    }
  }
  return adjusted;
}

function badPointer(ti: i32, mi: i32, gi: i32, k: i32, slot: u64, p: u64): bool {
  crashOperand(0, <u64>k);
  crashOperand(1, slot);
  crashOperand(2, p);
  crash(CRASH_INVALID_POINTER, ti, mi, gi, stackPath);
  return false;
}

// ---- shrinking and the GC ----

/**
 * isShrinkStackSafe (§6). Async safe points and channel parking are not modelled (never set). From
 * 573155 a goroutine waiting for the GC is not shrunk while tracing (the tracer may take its
 * stack); from 692716, tracing or not.
 */
export function isShrinkStackSafe(gp: G): bool {
  if (gp.syscallsp != 0) return false;
  if (has(F_SHRINK_TRACE_CHECK) && (tracingOn || has(F_SHRINK_GATE_WITHOUT_TRACE)) && gp.status == G_WAITING &&
    isWaitingForGC(gp.status, gp.waitreason)) return false;
  return true;
}

/** shrinkstack(gp): halve the stack if it uses less than a quarter of it (§6). */
export function shrinkstack(ti: i32, mi: i32, gi: i32): bool {
  const gp = grec(gi);
  if (!isShrinkStackSafe(gp)) {
    crash(CRASH_SHRINK_BAD_TIME, ti, mi, gi, stackPath);
    return false;
  }
  if (gcshrinkstackoff) {
    emit(EV_SHRINK_SKIPPED, ti, mi, gp.goid, SHRINK_SKIP_GODEBUG_OFF);
    return true;
  }
  const oldsize = gp.stackHi - gp.stackLo;
  const newsize = oldsize / 2;
  if (newsize < fixedStack()) {
    emit(EV_SHRINK_SKIPPED, ti, mi, gp.goid, SHRINK_SKIP_TOO_SMALL);
    return true;
  }
  const used = gp.stackHi - gp.schedSp + STACK_NOSPLIT;
  if (used >= oldsize / 4) {
    emit(EV_SHRINK_SKIPPED, ti, mi, gp.goid, SHRINK_SKIP_TOO_USED);
    return true;
  }
  count(C_STACK_SHRINKS);
  // Operand 6 of copystack's crashes: copystack ran under shrinkstack (the crash text's frames).
  crashOperand(6, 1);
  if (!copystack(ti, mi, gi, newsize)) return false;
  crashOperand(6, 0);
  return true;
}

/**
 * A GC cycle's stack work: markroot → suspendG → scanstack for every goroutine with a stack, in
 * goroutine order; shrink where isShrinkStackSafe says so, else leave preemptShrink for the next
 * synchronous preemption. Dead goroutines (idle extra-M goroutines) are skipped.
 */
export function gcCycle(ti: i32, mi: i32): bool {
  count(C_GC_CYCLES);
  stackPath = FN_SCANSTACK;
  if (!spend(<u64>gCount, WORK_GOROUTINES)) return false;
  let scanned: u64 = 0;
  for (let gi = 0; gi < gCount; gi++) {
    const gp = grec(gi);
    if (gp.inUse == 0 || gp.isG0 != 0 || gp.status == 6 || gp.stackLo == 0) continue;
    scanned++;
    if (!scanFrames(ti, mi, gi)) return false;
    if (isShrinkStackSafe(gp)) {
      if (!shrinkstack(ti, mi, gi)) return false;
    } else {
      gp.preemptShrink = 1;
      count(C_SHRINKS_DEFERRED);
      emit(EV_SHRINK_DEFERRED, ti, mi, gp.goid, gp.syscallsp);
    }
  }
  emit(EV_GC, ti, mi, scanned, 0);
  return true;
}

if (offsetof<Func>() != FUNC_SIZE || offsetof<Func>('frameSize') != FREC_FRAME_SIZE ||
  offsetof<Func>('nWords') != FREC_N_WORDS || offsetof<Func>('bitmapWord') != FREC_BITMAP_WORD ||
  offsetof<Func>('flags') != FREC_FLAGS || offsetof<Func>('valuesOff') != FREC_VALUES_OFF ||
  offsetof<Func>('nValues') != FREC_N_VALUES) {
  ERROR('Func differs from FUNC_SIZE and the FREC_* offsets in abi.ts');
}