// The physical model (docs/model.md §20): the bytes the runtime really spends on C stacks.
//
// The checks in stackbounds.ts compare SPs with what the runtime *believes* g0's stack is. This file
// spends the bytes: every C→Go entry costs the frames of the export wrapper, crosscall2 and
// cgocallback; every Go→C call costs asmcgocall's alignment and return address; and the runtime's
// work on g0 writes real frames below g0.sched.sp (for a callback: below SP_cb, on the C stack the
// callback came in on). When those frames leave the stack region they run on:
//
//   guard page below (pthread stacks; malloc'd blocks with `guard: true`)  → SIGSEGV, as the real
//                                                                            process dies
//   another live region (or the C heap) below                              → verdict `corrupt`:
//                                                                            the real process goes
//                                                                            on with it overwritten
//
// Sizes are per frame-size class (a release line, PHYS_CLASS_* in abi.ts) and were measured on the
// Debian builds of go1.19.8, go1.21.13, go1.22.12 and go1.23.5 (linux/amd64, gcc -O2):
//   - frames: `go tool objdump` prologues (PUSHQ BP / SUBQ $n, SP / the split-check LEAQ) and the C
//     side with `objdump -d`;
//   - whole g0 works: stack painting (oracle/measure/g0-depth: a 64 KiB coroutine stack filled with a
//     pattern, the callback run, the lowest byte changed found), minus the C frames above SP_cb.
// Where a number is an estimate from frame sizes rather than a measurement, its comment says so.
//
// The model is opt-in (PLATFORM_WORD_PHYSICAL, the scenario's `physical` or the run option). Off,
// every function here does what the simulator did before it: SP_cb is the SP the scenario gives
// (or the thread's C SP), C called by cgocall runs 16 bytes below g0.sched.sp, the g0 split checks
// of exitsyscall and `systemstack` sit g0CheckDepth (default 0x100) below g0.sched.sp, and nothing
// else is checked or written.
//
// Main path of one g0 work (g0Work):
//   1. base = g0.sched.sp; the region it lies in (the thread's current stack, else a lookup).
//   2. For each split check of the work in call order: the frames down to it must fit (else fault),
//      then the check itself against g0.stackguard0 (morestack on g0 when it fails).
//   3. The frames down to the work's full depth must fit (else fault).
//   4. The saved words (return PCs, saved BP) are written into the frames; an event says how deep.

import {
  CRASH_CORRUPT, CRASH_SIGSEGV_G0_STACK, EVENT_FN_SHIFT, EV_C_FRAMES, EV_C_WORD, EV_G0_FRAMES,
  FN_CGO_EXPORT, FN_CGOCALLBACK, FN_C_CALLER, FN_CROSSCALL2, FN_PCVALUE, FN_X_CGO_MUNMAP, FN_EPOLLWAIT, FN_EXITSYSCALLFAST_FUNC1, FN_GCSTART_FUNC1, FN_GETSTACKBOUND, FN_NEEDM, FN_NETPOLL,
  FN_SETGCPERCENT_FUNC1, FN_STOPTHEWORLD, FN_COPYSTACK, FN_TRACE_G0, GUARD_PAGE_BYTES, PHYS_CLASS_GO119, PHYS_CLASS_GO121,
  PHYS_CLASS_GO122, PHYS_CLASS_GO123, PHYS_NETPOLL, PLATFORM_GLIBC, PLATFORM_MUSL, PLATFORM_WINDOWS,
  RK_GUARD, RK_M_STACK, RK_THREAD_STACK, RS_FREED, RS_LIVE, RS_FREE_SLOT, TEXT_BASE, TEXT_PC_STRIDE, WORK_REGIONS,
} from './abi';
import { inWindow, loc, wloc } from './memory';
import { thread, mrec, grec, region } from './records';
import { platform } from './profile';
import { corrupt, crash, crashOperand, debt, emit } from './results';
import { regionCount } from './regions';
import { checkSp, g0Check, g0CheckDepth } from './stackbounds';

// ---- configuration (set once per run from the config block) ----

export let physicalOn: bool = false;
export let physClass: u32 = PHYS_CLASS_GO123;
export let netpollLive: bool = false;
// Whether the process's lazy PLT binding of munmap has happened (the tracer's first table dump).
let munmapBound: bool = false;
// The config's g0CheckDepth when the scenario sets none: each first check at its real depth.
// @ts-ignore: decorator
@inline export const AUTO_CHECK_DEPTH: u64 = 0xffffffffffffffff;

// Per-class constants, chosen once per run (configurePhysical), read on the hot path.
let entryBytes: u64 = 176;
let asmcgocallSub: u64 = 0x10;
let getstackboundBytes: u64 = 480;
let guardBytes: u64 = GUARD_PAGE_BYTES;

// ---- the tables ----

// C→Go entry, from the C caller's SP before its call to the exported function to SP_cb: the export
// wrapper for a one-word argument (return address, push rbp, push rbx, sub $0x18: 48 bytes),
// crosscall2 (return address, the 5 callee-saved registers plus BP in a 0x30 frame, then a 0x18
// argument area; go1.22+ also pushes BP first), cgocallback (return address and a 0x20 frame).
//   go1.19/1.21: 48 + 80 + 40 = 168     go1.22+: 48 + 88 + 40 = 176
// On windows crosscall2 saves the Win64 callee-saved set, X6-X15 included: REGS_HOST_TO_ABI0_STACK
// is 28*8+8 instead of 6*8 (runtime/cgo/abi_amd64.h): 184 more (from the header, not measured).
// @ts-ignore: decorator
@inline function entryCostOf(c: u32): u64 { return c >= PHYS_CLASS_GO122 ? 176 : 168; }
// @ts-ignore: decorator
@inline const WINDOWS_CROSSCALL2_EXTRA: u64 = 232 - 48;

// asmcgocall: SP = g0.sched.sp - n, aligned down to 16, then the call of the C function's cgo
// wrapper pushes a return address (the wrapper tail-jumps into the function). n = 0x40 up to go1.21,
// 0x10 from go1.22 (asmcgocall_landingpad). Measured: nesting levels cost 256 (go1.19, go1.21) and
// 208 (go1.22, go1.23) bytes with an 8-byte C function between them.
// @ts-ignore: decorator
@inline function asmcgocallSubOf(c: u32): u64 { return c >= PHYS_CLASS_GO122 ? 0x10 : 0x40; }

// Kinds of g0 work (G0W_*), each a row of the tables below.
// @ts-ignore: decorator
@inline export const G0W_EXITSYSCALL: i32 = 0;    // exitsyscall's systemstack(exitsyscallfast_pidle…)
// @ts-ignore: decorator
@inline export const G0W_NEEDM: i32 = 1;          // needm (on the C stack below cgocallback's frame) and the first callback's setup
// @ts-ignore: decorator
@inline export const G0W_SYSTEMSTACK: i32 = 2;    // debug.SetGCPercent's systemstack(setGCPercent.func1)
// @ts-ignore: decorator
@inline export const G0W_GC: i32 = 3;             // runtime.GC(): stop/start the world, waiting for the cycle
// @ts-ignore: decorator
@inline export const G0W_GC_NETPOLL: i32 = 4;     // the same with a live netpoller: startTheWorldWithSema's netpoll(0)
// @ts-ignore: decorator
@inline export const G0W_STW: i32 = 5;            // ReadMemStats: stopTheWorld / startTheWorld
// @ts-ignore: decorator
@inline export const G0W_TRACE_STOP: i32 = 6;     // trace.Stop: traceAdvance(true)'s systemstack closures (v2), stopTheWorld (v1)
// @ts-ignore: decorator
@inline export const G0W_NEWSTACK: i32 = 7;       // morestack → newstack → copystack: a goroutine stack grows
// @ts-ignore: decorator
@inline export const G0W_TRACE_START: i32 = 8;    // trace.Start: stop/start the world (v1: with the stack walk of traceGomaxprocs)
// @ts-ignore: decorator
@inline export const G0W_TRACE_ADVANCE: i32 = 9;  // traceAdvance(false) from Go (v2): the same closures as trace.Stop's

/**
 * Bytes below the base the work reaches, per class [go1.19, go1.21, go1.22, go1.23].
 *   EXITSYSCALL  estimate from frames: systemstack's return address, exitsyscallfast.func1,
 *                exitsyscallfast_pidle, pidleget, acquirep, wirep (objdump)
 *   NEEDM        measured: the first callback of a thread on a coroutine stack (go1.21+: needm with
 *                its signal setup and getstackbound, cgoBindM); go1.19: needm+dropm on every callback
 *   SYSTEMSTACK  estimate from frames: setGCPercent.func1 and gcControllerCommit (painting shows
 *                SetGCPercent reaching no deeper than the callback's own work)
 *   GC           measured, typical of 8 runs (the range was 1.3–2.0 KiB: how far the GC's wait goes)
 *   GC_NETPOLL   measured, every run the same: down to EpollWait under netpoll's 1.6 KiB frame
 *   STW          estimate from frames: stopTheWorldWithSema and its closure (no netpoll)
 *   TRACE_START  go1.19/go1.21 measured (painting, trace.Start + Stop; a guard-page fault puts the deepest
 *                point in Start: startTheWorldWithSema → procresize → traceGomaxprocs → traceEvent →
 *                traceStackID → gcallers → the unwinder → pcvalue, go1.21.13 dying below a 1920-byte
 *                coroutine with Start alone as with Start+Stop); go1.22+ estimate from frames: the v2
 *                tracer emits no stacks there, so stopTheWorld's closure is the deepest (the STW row).
 *                With a live netpoller startTheWorldWithSema's netpoll goes deeper (the GC_NETPOLL row)
 *   TRACE_STOP   go1.22/go1.23 measured (painting, 3560/3240; gdb on a guard-page fault of go1.22.12 at a
 *   TRACE_ADVANCE 3712-byte coroutine: traceAdvance.func4 → (*traceStackTable).dump → (*traceMap).reset
 *                → sysFree → munmap → x_cgo_munmap → the dynamic linker's lazy binding of munmap,
 *                _dl_runtime_resolve_xsavec saving the vector registers). The binding happens once per
 *                process: later dumps stop in libc's munmap, estimated from the frames (go1.22: 8
 *                systemstack + 48 func4 + 136 dump + 40 reset + 40 sysFree + 56 munmap + 32 its closure
 *                + 32 callCgoMunmap + 16 x_cgo_munmap + 8 = 424; go1.23: 32 func4, 72 dump, 48 drop:
 *                384). go1.19/go1.21 Stop (v1): stopTheWorldGC and startTheWorldGC with the
 *                tracer already off (estimate, the STW row); v1 has no advance from Go: nothing on g0
 *   NEWSTACK     measured down to copystack's SP in real faults (oracle/measure/nest: go1.21.13
 *                1192 bytes, go1.22.12 688; go1.19 taken as go1.21, go1.23 as go1.22), plus an
 *                estimated 256 for copystack's callees (the unwinder, adjustframe, memmove)
 */
function depthOf(kind: i32, c: u32): u64 {
  switch (kind) {
    case G0W_EXITSYSCALL: return c == PHYS_CLASS_GO119 ? 224 : c == PHYS_CLASS_GO121 ? 256 : 208;
    case G0W_NEEDM: return c == PHYS_CLASS_GO119 ? 231 : c == PHYS_CLASS_GO121 ? 3760 : 3304;
    case G0W_SYSTEMSTACK: return c >= PHYS_CLASS_GO122 ? 104 : 96;
    case G0W_GC: return c == PHYS_CLASS_GO119 ? 1552 : c == PHYS_CLASS_GO121 ? 1600 : 1544;
    case G0W_GC_NETPOLL: return c == PHYS_CLASS_GO119 ? 1776 : c == PHYS_CLASS_GO121 ? 1904 : c == PHYS_CLASS_GO122 ? 1928 : 1936;
    case G0W_STW: return c == PHYS_CLASS_GO123 ? 248 : c == PHYS_CLASS_GO122 ? 224 : 176;
    case G0W_TRACE_START: return c == PHYS_CLASS_GO119 ? 2032 : c == PHYS_CLASS_GO121 ? 1848 : c == PHYS_CLASS_GO122 ? 224 : 248;
    case G0W_TRACE_STOP: case G0W_TRACE_ADVANCE:
      if (c <= PHYS_CLASS_GO121) return kind == G0W_TRACE_STOP ? 176 : 0;
      if (munmapBound) return c == PHYS_CLASS_GO122 ? 424 : 384;
      return c == PHYS_CLASS_GO122 ? 3560 : 3240;
    case G0W_NEWSTACK: return c <= PHYS_CLASS_GO121 ? 1192 + 256 : 688 + 256;
  }
  return 0;
}

/**
 * netpoll's split check, below the base: systemstack's return address, the closure and
 * startTheWorldWithSema frames, then netpoll's own check SP - (frame - 128) (objdump:
 * LEAQ -0x608(SP) in go1.21/1.22, -0x600 in go1.23, -0x5d8 in go1.19).
 *   go1.19 8+40+96+1496   go1.21 8+40+96+1544   go1.22 8+56+104+1544   go1.23 8+72+104+1536
 */
function netpollCheckDepth(c: u32): u64 {
  return c == PHYS_CLASS_GO119 ? 1640 : c == PHYS_CLASS_GO121 ? 1688 : c == PHYS_CLASS_GO122 ? 1712 : 1720;
}

/** The function whose prologue makes a work's first split check on g0 (0: nosplit all the way). */
function firstCheckFn(kind: i32): u32 {
  switch (kind) {
    case G0W_EXITSYSCALL: return FN_EXITSYSCALLFAST_FUNC1;
    case G0W_SYSTEMSTACK: return FN_SETGCPERCENT_FUNC1;
    case G0W_GC: case G0W_GC_NETPOLL: return FN_GCSTART_FUNC1;
    case G0W_STW: case G0W_TRACE_START: return FN_STOPTHEWORLD;
    case G0W_TRACE_STOP: case G0W_TRACE_ADVANCE: return physClass <= PHYS_CLASS_GO121 ? FN_STOPTHEWORLD : FN_TRACE_G0;
  }
  return 0;
}

/** The deepest function of a work: the one running when its frames leave the stack. */
function leafFn(kind: i32): u32 {
  switch (kind) {
    case G0W_EXITSYSCALL: return FN_EXITSYSCALLFAST_FUNC1;
    case G0W_NEEDM: return FN_NEEDM;
    case G0W_SYSTEMSTACK: return FN_SETGCPERCENT_FUNC1;
    case G0W_GC: return FN_GCSTART_FUNC1;
    case G0W_GC_NETPOLL: return FN_EPOLLWAIT;
    case G0W_STW: return FN_STOPTHEWORLD;
    case G0W_TRACE_START: return physClass <= PHYS_CLASS_GO121 ? FN_PCVALUE : FN_STOPTHEWORLD;
    case G0W_TRACE_STOP: case G0W_TRACE_ADVANCE: return physClass <= PHYS_CLASS_GO121 ? FN_STOPTHEWORLD : FN_X_CGO_MUNMAP;
    case G0W_NEWSTACK: return FN_COPYSTACK;
  }
  return 0;
}

// systemstack and mcall call their function at g0.sched.sp: the first frame's return address
// sits one word below it, so a first check is made 8 bytes below the base (the default of
// g0CheckDepth, which a scenario may still set).
// @ts-ignore: decorator
@inline export const FIRST_CHECK_DEPTH: u64 = 8;
// Without the physical model: every check 0x100 below g0.sched.sp (the scenario format's D).
// @ts-ignore: decorator
@inline export const LEGACY_CHECK_DEPTH: u64 = 0x100;

/** g0CheckDepth for the run: the scenario's override, or (AUTO) the model's default. */
export function checkDepthOf(configured: u64): u64 {
  if (configured != AUTO_CHECK_DEPTH) return configured;
  return physicalOn ? FIRST_CHECK_DEPTH : LEGACY_CHECK_DEPTH;
}

export function configurePhysical(on: bool, cls: u32, bits: u32): void {
  physicalOn = on;
  munmapBound = false;
  physClass = cls > PHYS_CLASS_GO123 ? PHYS_CLASS_GO123 : cls;
  netpollLive = (bits & PHYS_NETPOLL) != 0;
  entryBytes = entryCostOf(physClass) + (platform == PLATFORM_WINDOWS ? WINDOWS_CROSSCALL2_EXTRA : 0);
  asmcgocallSub = asmcgocallSubOf(physClass);
  // _cgo_getstackbound's C frames on g0: glibc's pthread_getattr_np measured at 480 bytes (every
  // class: 504 - 24 in go1.22+, 560 - 80 in go1.21); musl's estimate from the frame address and
  // the windows/nobounds stubs are leaf functions (estimates: a frame and a return address).
  getstackboundBytes = platform == PLATFORM_GLIBC ? 480 : platform == PLATFORM_MUSL ? 64 : 16;
  // pthread stacks have a guard page below them: glibc's default guardsize is one page; musl's
  // DEFAULT_GUARD_SIZE is 8 KiB; Windows thread stacks end in a guard page too.
  guardBytes = platform == PLATFORM_MUSL ? 8192 : GUARD_PAGE_BYTES;
}

/**
 * Goroutine-side frames of a callback level under the physical model (the model's own sizes
 * otherwise, stack.ts). Real frames per level (go tool objdump of oracle nested-callbacks on each
 * release; SUBQ plus the saved BP where the release pushes it): cgocallbackg.abi0's wrapper (40
 * bytes), cgocallbackg (0x88, 0x80+8, 0x68+8, 0x58+8), cgocallbackg1 (0xc8, 0xc0+8, 0xb0+8,
 * 0xb0+8), the export's _cgoexp_ wrapper (24), the exported Go function itself (24: the
 * nest program's main.level, a small frame; a body with more uses `call`) and the _Cfunc_ wrapper
 * of the C call Go makes (40). The model has no frames of its own for those, so cgocallbackg
 * carries the first wrapper and cgocallbackg1 the rest: the bytes per level, which decide when the callback
 * goroutine's 4 KiB stack grows (and copystack's g0 frames hit the C stack's guard page), are the
 * real ones. Returns 0 with the model off (the caller keeps its own size).
 */
export function cgocallbackgFrame(): u32 {
  if (!physicalOn) return 0;
  return physClass <= PHYS_CLASS_GO121 ? 0x88 + 40 : physClass == PHYS_CLASS_GO122 ? 0x70 + 40 : 0x60 + 40;
}
export function cgocallbackg1Frame(): u32 {
  if (!physicalOn) return 0;
  return (physClass <= PHYS_CLASS_GO121 ? 0xc8 : 0xb8) + 24 + 24 + 40;
}

/** The C stack pointer SP_cb that cgocallback records when C at `cSp` calls an exported function. */
// @ts-ignore: decorator
@inline export function callbackSp(cSp: u64): u64 { return cSp > entryBytes ? cSp - entryBytes : 0; }
/** What the entry costs in this run. */
// @ts-ignore: decorator
@inline export function entryCost(): u64 { return entryBytes; }

/** asmcgocall: the C function's SP (after its return address) when Go calls C with g0 at schedSp. */
// @ts-ignore: decorator
@inline export function cgocallSp(schedSp: u64): u64 {
  return physicalOn ? ((schedSp - asmcgocallSub) & ~(<u64>15)) - 8 : (schedSp - 16) & ~(<u64>15);
}

/** The live region holding addr, the thread's current stack first (the common case). */
// @ts-ignore: decorator
@inline function stackRegionOf(ti: i32, addr: u64): i32 {
  const t = thread(ti);
  if (t.curRegion != 0) {
    const r = region(<i32>t.curRegion - 1);
    if (addr > r.lo && addr <= r.hi && r.state == RS_LIVE) return <i32>t.curRegion - 1;
  }
  return stackRegionSlow(addr);
}

function stackRegionSlow(addr: u64): i32 {
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  // The innermost live region holding addr: a stack carved out of a thread stack lies inside it.
  let best = -1;
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (r.state == RS_LIVE && addr > r.lo && addr <= r.hi && r.kind != RK_GUARD && (best < 0 || r.lo > region(best).lo)) best = i;
  }
  return best;
}

/** A simulated return PC into fn (TEXT_BASE + fn * stride + a small offset). */
// @ts-ignore: decorator
@inline function retPc(fn: u32): u64 { return TEXT_BASE + <u64>fn * TEXT_PC_STRIDE + 0x20; }

/**
 * Frames from base down to base - depth, on region ri: fine, a fault on the guard page, or the
 * corruption of what lies below. Returns false when the run ended.
 */
function framesFit(ti: i32, mi: i32, ri: i32, base: u64, depth: u64, fn: u32): bool {
  const r = region(ri);
  const lowest = base > depth ? base - depth : 0;
  if (lowest >= r.lo) return true;
  return offTheStack(ti, mi, ri, lowest, depth, fn);
}

/** The frames reach below the region's lo: what lies there decides (kept off the hot path). */
function offTheStack(ti: i32, mi: i32, ri: i32, lowest: u64, depth: u64, fn: u32): bool {
  const r = region(ri);
  const guarded = r.kind == RK_THREAD_STACK || r.kind == RK_M_STACK;
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  // The first region below lo that the frames reach, the nearest first.
  let hit = -1;
  for (let i = 0; i < regionCount; i++) {
    const q = region(i);
    if (i == ri || q.state == RS_FREE_SLOT) continue;
    if (q.lo < r.lo && q.hi > lowest) {
      if (hit < 0 || q.hi > region(hit).hi || (q.hi == region(hit).hi && q.state == RS_LIVE)) hit = i;
    }
  }
  if (!guarded && hit >= 0 && (region(hit).kind == RK_THREAD_STACK || region(hit).kind == RK_M_STACK) &&
    region(hit).state == RS_LIVE && region(hit).hi > r.lo) {
    // Carved out of a thread stack: below it is that thread's own stack. Its live part starts at the
    // thread's SP (saved by the switch when it runs elsewhere); free stack below that takes the
    // frames harmlessly, down to the thread stack's guard page.
    const q = region(hit);
    const owner = thread(<i32>q.owner);
    const liveSp = owner.curRegion == owner.region ? owner.sp : owner.ownStackSp;
    if (liveSp >= r.lo) {
      if (lowest >= q.lo) return true;
      return offTheStack(ti, mi, hit, lowest, depth, fn);
    }
  }
  const guardHit = guarded || (hit >= 0 && region(hit).kind == RK_GUARD && region(hit).hi == r.lo);
  const m = mrec(mi);
  crashOperand(1, r.lo);
  crashOperand(2, r.hi);
  crashOperand(3, <u64>m.id);
  crashOperand(4, <u64>r.kind | (<u64>r.owner << 8));
  crashOperand(6, lowest);
  emit(EV_G0_FRAMES | (fn << EVENT_FN_SHIFT), ti, mi, lowest, depth);
  if (guardHit) {
    // A pthread stack's (or a mapped) guard page: the first word written below lo faults.
    crashOperand(0, r.lo - 8);
    crashOperand(5, depth);
    crashOperand(7, guarded ? guardBytes : GUARD_PAGE_BYTES);
    crash(CRASH_SIGSEGV_G0_STACK, ti, mi, <i32>m.g0 - 1, fn);
    return false;
  }
  // No guard: the frames are written over whatever is below (the corruption the real process
  // suffers silently), and the run ends with verdict corrupt naming it.
  let victim: u64 = 0;
  if (hit >= 0) {
    const q = region(hit);
    victim = (<u64>q.kind) | (<u64>q.owner << 8) | (<u64>(q.state == RS_FREED ? 1 : 0) << 40);
    const top = q.hi < r.lo ? q.hi : r.lo;
    const bottom = q.lo > lowest ? q.lo : lowest;
    if (top >= bottom + 16 && inWindow(bottom, top - bottom)) {
      // The frames' words land on the victim: every word of the overlap gets the frames' return
      // PC (what a saved word there, an entry frame's for one, reads afterwards).
      for (let w = (bottom + 7) & ~(<u64>7); w + 8 <= top; w += 8) store<u64>(wloc(w), retPc(fn));
    }
    crashOperand(0, q.lo);
    crashOperand(7, q.hi);
  } else {
    crashOperand(0, 0);
    crashOperand(7, 0);
  }
  crashOperand(5, victim);
  corrupt(CRASH_CORRUPT, ti, mi, <i32>m.g0 - 1, fn);
  return false;
}

/**
 * The runtime does work `kind` on M mi's g0 (thread ti), starting at g0.sched.sp: its split checks
 * and its frames. Returns false when the run ended (morestack on g0, SIGSEGV, corrupt).
 */
export function g0Work(ti: i32, mi: i32, kind: i32): bool {
  const g0 = grec(<i32>mrec(mi).g0 - 1);
  if (!physicalOn) {
    // Without the model: the one check of exitsyscall's and systemstack's closures, g0CheckDepth
    // below g0.sched.sp, and no frames.
    if (kind == G0W_EXITSYSCALL) return g0Check(ti, mi, checkSp(g0.schedSp), FN_EXITSYSCALLFAST_FUNC1);
    if (kind == G0W_SYSTEMSTACK) return g0Check(ti, mi, checkSp(g0.schedSp), FN_SETGCPERCENT_FUNC1);
    return true;
  }
  return g0WorkAt(ti, mi, kind, g0.schedSp);
}

export function g0WorkAt(ti: i32, mi: i32, kind: i32, base: u64): bool {
  if (!physicalOn) return true;
  let depth = depthOf(kind, physClass);
  const ri = stackRegionOf(ti, base);
  const checkFn = firstCheckFn(kind);
  let leaf = leafFn(kind);
  // startTheWorldWithSema polls the network when the netpoller is live (trace.Start as the GC).
  const polls = kind == G0W_GC_NETPOLL || (kind == G0W_TRACE_START && netpollLive);
  if (polls && depthOf(G0W_GC_NETPOLL, physClass) > depth) {
    depth = depthOf(G0W_GC_NETPOLL, physClass);
    leaf = FN_EPOLLWAIT;
  }
  if (kind == G0W_TRACE_STOP || kind == G0W_TRACE_ADVANCE) munmapBound = true;
  if (depth == 0) return true;
  if (checkFn != 0) {
    const d = g0CheckDepth;
    if (ri >= 0 && d < depth && !framesFit(ti, mi, ri, base, d, checkFn)) return false;
    if (!g0Check(ti, mi, base > d ? base - d : 0, checkFn)) return false;
    if (polls) {
      const nd = netpollCheckDepth(physClass);
      if (ri >= 0 && !framesFit(ti, mi, ri, base, nd, FN_NETPOLL)) return false;
      if (!g0Check(ti, mi, base - nd, FN_NETPOLL)) return false;
    }
  }
  if (ri < 0) return true; // memory the scenario never mapped: nothing to measure against
  if (!framesFit(ti, mi, ri, base, depth, leaf)) return false;
  // The frames' saved words: the first frame's return address into systemstack/mcall (or, for
  // C-side work, into its caller) and the deepest frame's return address.
  if (base >= 16) store<u64>(wloc(base - 8), retPc(checkFn != 0 ? checkFn : leaf));
  store<u64>(wloc((base - depth) & ~(<u64>7)), retPc(leaf));
  emit(EV_G0_FRAMES | (leaf << EVENT_FN_SHIFT), ti, mi, base - depth, depth);
  return true;
}

/**
 * _cgo_getstackbound, called on g0 by asmcgocall from callbackUpdateSystemStack (cgocallbackg) or
 * needm: its C frames below the asmcgocall SP. Returns false when the run ended.
 */
export function getstackboundFrames(ti: i32, mi: i32, sp: u64): bool {
  if (!physicalOn) return true;
  const ri = stackRegionOf(ti, sp);
  if (ri < 0) return true;
  const csp = cgocallSp(sp);
  const depth = sp - csp + getstackboundBytes;
  if (!framesFit(ti, mi, ri, sp, depth, FN_GETSTACKBOUND)) return false;
  store<u64>(wloc(csp), retPc(FN_GETSTACKBOUND));
  emit(EV_G0_FRAMES | (FN_GETSTACKBOUND << EVENT_FN_SHIFT), ti, mi, sp - depth, depth);
  return true;
}

/** The C→Go entry frames from cSp down to SP_cb, on thread ti: fine, or a fault/corruption. */
export function entryFrames(ti: i32, mi: i32, cSp: u64, spcb: u64): bool {
  const ri = stackRegionOf(ti, cSp);
  emit(EV_C_FRAMES, ti, mi, spcb, cSp - spcb);
  if (ri < 0) return true;
  if (!framesFit(ti, mi, ri, cSp, cSp - spcb, 0)) return false;
  entryWords(ti, mi, cSp, spcb);
  return true;
}

// What a saved word of an entry frame is (EV_C_WORD's fn bits: frame function | role << 8).
// @ts-ignore: decorator
@inline const WORD_RET: u32 = 0;      // a return address
// @ts-ignore: decorator
@inline const WORD_BP: u32 = 1;       // a saved frame pointer
// @ts-ignore: decorator
@inline const WORD_REG: u32 = 2;      // a callee-saved register (its value is not modelled: 0)
// @ts-ignore: decorator
@inline const WORD_ARG: u32 = 3;      // an argument crosscall2 passes to cgocallback

/** One saved word: written into the frame, and an event that says where and what. */
function savedWord(ti: i32, mi: i32, fn: u32, role: u32, addr: u64, v: u64): void {
  store<u64>(wloc(addr), v);
  if (role != WORD_REG) emit(EV_C_WORD | ((fn | (role << 8)) << EVENT_FN_SHIFT), ti, mi, addr, v);
}

/**
 * The saved words of the C→Go entry frames, from cSp down (linux/amd64 SysV; on windows the
 * register area is REGS_HOST_TO_ABI0_STACK bytes instead of 48, with BP at the same place from its
 * top). Values are what the model knows: return addresses are the simulated PCs of the frames'
 * callers (the C caller, the export wrapper, crosscall2), saved frame pointers are the addresses
 * of the frames they link (the C caller's own BP is not modelled: its SP stands for it), registers
 * are 0, crosscall2's arguments to cgocallback are the export wrapper's PC for fn (standing for the
 * _cgoexp_ function), the address of the wrapper's argument block and ctxt 0. cgocallback's own
 * word, the old g0.sched.sp at SP_cb, is written by cgocallback itself (cgocall.ts), which reads it
 * back on return: an overwrite of it is what the return path restores.
 *
 *   cSp-8   return into the C caller          export wrapper (48): push rbp, push rbx, sub $0x18
 *   cSp-16  the C caller's rbp
 *   cSp-48  the argument block (p0, ctxt)
 *   cSp-56  return into the export wrapper    crosscall2 (80; 88 from go1.22, which pushes BP)
 *   [-64    saved BP (go1.22+)]
 *   R..R+48 BX R12 R13 R14 R15 BP             PUSH_REGS_HOST_TO_ABI0 (BP at R+40; LEAQ 40(SP), BP)
 *   A..A+24 fn, arg, ctxt                     ADJSP $0x18: cgocallback's arguments
 *   A-8     return into crosscall2            cgocallback (40): BP push, $24 frame
 *   A-16    saved BP = R+40
 *   A-40    SP_cb
 */
function entryWords(ti: i32, mi: i32, cSp: u64, spcb: u64): void {
  if (!inWindow(spcb, cSp - spcb)) return;
  savedWord(ti, mi, FN_CGO_EXPORT, WORD_RET, cSp - 8, retPc(FN_C_CALLER));
  savedWord(ti, mi, FN_CGO_EXPORT, WORD_BP, cSp - 16, cSp);
  savedWord(ti, mi, FN_CGO_EXPORT, WORD_REG, cSp - 24, 0);
  let p = cSp - 48;
  const argBlock = p;
  p -= 8;
  savedWord(ti, mi, FN_CROSSCALL2, WORD_RET, p, retPc(FN_CGO_EXPORT));
  if (physClass >= PHYS_CLASS_GO122) {
    p -= 8;
    savedWord(ti, mi, FN_CROSSCALL2, WORD_BP, p, cSp - 16);
  }
  const regs: u64 = platform == PLATFORM_WINDOWS ? 232 : 48;
  const r = p - regs;
  const bpSlot = platform == PLATFORM_WINDOWS ? r + 16 : r + 40;
  for (let i: u64 = 0; i < regs; i += 8) if (r + i != bpSlot) savedWord(ti, mi, FN_CROSSCALL2, WORD_REG, r + i, 0);
  savedWord(ti, mi, FN_CROSSCALL2, WORD_BP, bpSlot, cSp - 16);
  const a = r - 24;
  savedWord(ti, mi, FN_CROSSCALL2, WORD_ARG, a, retPc(FN_CGO_EXPORT));
  savedWord(ti, mi, FN_CROSSCALL2, WORD_ARG, a + 8, argBlock);
  savedWord(ti, mi, FN_CROSSCALL2, WORD_ARG, a + 16, 0);
  savedWord(ti, mi, FN_CGOCALLBACK, WORD_RET, a - 8, retPc(FN_CROSSCALL2));
  savedWord(ti, mi, FN_CGOCALLBACK, WORD_BP, a - 16, bpSlot);
  // The frame's locals (savedm and a spare word) sit between a - 40 (SP_cb) and the saved BP.
  assert(a - 40 == spcb, 'entryWords: the frames do not end at SP_cb');
}
