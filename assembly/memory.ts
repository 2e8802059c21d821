// The memory map: the one contract between the Wasm core and the host about where things are.
//
// Linear memory holds two kinds of thing. The static tables (the config block the host writes, the
// result area, threads, Ms, Gs, regions of simulated address space, the interpreter's frame
// stacks, the op stream the host compiles a scenario into, the event log, stack maps, and the
// scheduler's and points' own tables) sit at fixed addresses: the chain below places each one where
// the previous ends, so every location is a compile-time constant and the host reads the same
// constants (src/core/abi.ts, generated from this file and abi.ts). No other file reserves memory.
// After the static tables (and AssemblyScript's own static data, from ASC_MEMORY_BASE) comes the
// window: a slice of the simulated 64-bit address space, [windowBase, windowBase + windowSize),
// mapped byte for byte onto linear memory. C stacks, coroutine stacks, goroutine stacks and
// everything the model writes "into the process" live there, so a value saved on a C stack is
// really stored, and a read of it really reads those bytes back.
//
// Memory is grown once per window size and never again during a run, so the host's typed-array views
// stay attached for the whole batch (see ../../shared/docs/stack-notes.md §1.3).
//
// Regions: every range of the window that something owns (a C thread's pthread stack, a malloc'd
// block, a goroutine stack, an M's thread stack) has a record in the region table, with its state
// (live or freed). Reads of freed memory are how use-after-free becomes a deterministic verdict.
//
// The map, in order (each X_LOCATION = previous location + previous bytes):
//   MAP_BASE  (the first KiB stays unused: a null pointer never lands in a table)
//   CONFIG    the config block the host writes before each run (abi.ts)
//   RESULT    counters, the crash record, the trace hash (abi.ts, results.ts)
//   SCRATCH   the differential tests' single-function entry points (selftest.ts)
//   COUNTS    record counts after a run (index.ts counts())
//   THREADS, MS, GS, REGIONS   the records (records.ts)
//   FRAMES    one frame stack per context (frames.ts), GDEPTHS their depths for goroutines
//   OPS       the op stream; EVENTS the event log
//   FUNCS, BITMAPS, VALUES     functions with stack maps (stack.ts)
//   BLOCKS    malloc'd block → region (interp.ts)
//   HOOKS     `at` hooks (points.ts)
//   MSTATE, RESUME_ON, RUNQ, PRIORITY, RNG_JUMP   the scheduler's tables (sched.ts)
//   TOUCHED   a bit per 4 KiB page of the largest window: pages the run has filled (the budget, results.ts)
//   SYNC      channels and wait groups (sync.ts)
//   DIRTY     a byte per 4 KiB page of the largest window: pages that may hold a nonzero byte
//             (below: what lets a zero fill skip memory that is zero already)
//   MAP_END   ≤ ASC_MEMORY_BASE (asconfig.json memoryBase): AssemblyScript's data starts there

import {
  BITMAP_WORDS, CONFIG_SIZE, EVENT_SIZE, FRAME_SIZE, FUNC_SIZE, G_SIZE, HOOK_SIZE, MAX_BLOCKS, MAX_EVENTS,
  MAX_FRAMES, MAX_FUNCS, MAX_GS, MAX_HOOKS, MAX_MEMORY_BYTES, MAX_MS, MAX_OPS, MAX_REGIONS, MAX_THREADS,
  MAX_VALUES, MAX_WINDOW_BYTES, M_SIZE, OP_SIZE, REGION_SIZE, RESULT_SIZE, THREAD_SIZE, VALUE_SIZE,
  MAX_SYNC, SYNC_SIZE,
} from './abi';

// Interpreter contexts: the timeline (0), each thread (its C code), each goroutine (its Go code).
// A goroutine's Go frames are its own, so they can move to another M with it.
// @ts-ignore: decorator
@inline export const N_CONTEXTS: i32 = 1 + MAX_THREADS + MAX_GS;
// @ts-ignore: decorator
@inline export const SCRATCH_BYTES: i32 = 256;
// @ts-ignore: decorator
@inline export const COUNTS_BYTES: i32 = 64;
// sched.ts's jump over the xorshift stream: eight tables of 256 u64, one per state byte.
// @ts-ignore: decorator
@inline export const RNG_JUMP_BYTES: i32 = 8 * 256 * 8;
// The budget's page bitmap: a bit per 4 KiB page of the largest window.
// @ts-ignore: decorator
@inline export const TOUCHED_BYTES: i32 = <i32>(MAX_WINDOW_BYTES >> 15);
// The dirty-page map's page: 4 KiB.
// @ts-ignore: decorator
@inline export const DIRTY_PAGE_SHIFT: i32 = 12;

// @ts-ignore: decorator
@inline export const MAP_BASE: usize = 1024;
// @ts-ignore: decorator
@inline export const CONFIG_LOCATION: usize = MAP_BASE;
// @ts-ignore: decorator
@inline export const RESULT_LOCATION: usize = CONFIG_LOCATION + CONFIG_SIZE;
// @ts-ignore: decorator
@inline export const SCRATCH_LOCATION: usize = RESULT_LOCATION + RESULT_SIZE;
// @ts-ignore: decorator
@inline export const COUNTS_LOCATION: usize = SCRATCH_LOCATION + SCRATCH_BYTES;
// @ts-ignore: decorator
@inline export const THREADS_LOCATION: usize = COUNTS_LOCATION + COUNTS_BYTES;
// @ts-ignore: decorator
@inline export const MS_LOCATION: usize = THREADS_LOCATION + MAX_THREADS * THREAD_SIZE;
// @ts-ignore: decorator
@inline export const GS_LOCATION: usize = MS_LOCATION + MAX_MS * M_SIZE;
// @ts-ignore: decorator
@inline export const REGIONS_LOCATION: usize = GS_LOCATION + MAX_GS * G_SIZE;
// @ts-ignore: decorator
@inline export const FRAMES_LOCATION: usize = REGIONS_LOCATION + MAX_REGIONS * REGION_SIZE;
// @ts-ignore: decorator
@inline export const GDEPTHS_LOCATION: usize = FRAMES_LOCATION + N_CONTEXTS * MAX_FRAMES * FRAME_SIZE;
// @ts-ignore: decorator
@inline export const OPS_LOCATION: usize = GDEPTHS_LOCATION + MAX_GS * 4;
// @ts-ignore: decorator
@inline export const EVENTS_LOCATION: usize = OPS_LOCATION + MAX_OPS * OP_SIZE;
// @ts-ignore: decorator
@inline export const FUNCS_LOCATION: usize = EVENTS_LOCATION + MAX_EVENTS * EVENT_SIZE;
// @ts-ignore: decorator
@inline export const BITMAPS_LOCATION: usize = FUNCS_LOCATION + MAX_FUNCS * FUNC_SIZE;
// @ts-ignore: decorator
@inline export const VALUES_LOCATION: usize = BITMAPS_LOCATION + BITMAP_WORDS * 4;
// @ts-ignore: decorator
@inline export const BLOCKS_LOCATION: usize = VALUES_LOCATION + MAX_VALUES * VALUE_SIZE;
// @ts-ignore: decorator
@inline export const HOOKS_LOCATION: usize = BLOCKS_LOCATION + MAX_BLOCKS * 4;
// @ts-ignore: decorator
@inline export const MSTATE_LOCATION: usize = HOOKS_LOCATION + MAX_HOOKS * HOOK_SIZE;
// @ts-ignore: decorator
@inline export const RESUME_ON_LOCATION: usize = MSTATE_LOCATION + MAX_MS;
// @ts-ignore: decorator
@inline export const RUNQ_LOCATION: usize = RESUME_ON_LOCATION + MAX_GS * 4;
// @ts-ignore: decorator
@inline export const PRIORITY_LOCATION: usize = RUNQ_LOCATION + MAX_GS * 4;
// @ts-ignore: decorator
@inline export const RNG_JUMP_LOCATION: usize = PRIORITY_LOCATION + MAX_MS * 4;
// @ts-ignore: decorator
@inline export const TOUCHED_LOCATION: usize = RNG_JUMP_LOCATION + RNG_JUMP_BYTES;
// @ts-ignore: decorator
@inline export const SYNC_LOCATION: usize = TOUCHED_LOCATION + TOUCHED_BYTES;
// @ts-ignore: decorator
@inline export const DIRTY_BYTES: i32 = <i32>(MAX_WINDOW_BYTES >> DIRTY_PAGE_SHIFT);
// @ts-ignore: decorator
@inline export const DIRTY_LOCATION: usize = SYNC_LOCATION + MAX_SYNC * SYNC_SIZE;
// @ts-ignore: decorator
@inline export const MAP_END: usize = DIRTY_LOCATION + DIRTY_BYTES;

// Every table starts 64-byte aligned (a cache line), so each one's size is a multiple of 64.
if ((MAP_BASE | CONFIG_SIZE | RESULT_SIZE | SCRATCH_BYTES | COUNTS_BYTES | MAX_THREADS * THREAD_SIZE |
  MAX_MS * M_SIZE | MAX_GS * G_SIZE | MAX_REGIONS * REGION_SIZE | N_CONTEXTS * MAX_FRAMES * FRAME_SIZE |
  MAX_GS * 4 | MAX_OPS * OP_SIZE | MAX_EVENTS * EVENT_SIZE | MAX_FUNCS * FUNC_SIZE | BITMAP_WORDS * 4 |
  MAX_VALUES * VALUE_SIZE | MAX_BLOCKS * 4 | MAX_HOOKS * HOOK_SIZE | MAX_MS | MAX_MS * 4 | RNG_JUMP_BYTES | TOUCHED_BYTES | MAX_SYNC * SYNC_SIZE |
  DIRTY_BYTES) & 63) {
  ERROR('a table of the memory map breaks 64-byte alignment');
}
if (MAP_END > <usize>ASC_MEMORY_BASE) ERROR('the memory map runs past asconfig.json memoryBase: raise it');

// @ts-ignore: decorator
@inline const PAGE_BYTES: usize = 65536;
// Room left after the stub runtime's heap base before the window starts. The core never allocates
// managed objects, so this slack is never used; it keeps an accidental allocation from landing
// in simulated memory.
// @ts-ignore: decorator
@inline const HEAP_SLACK_BYTES: usize = 65536;
// What AssemblyScript's own static data may take after ASC_MEMORY_BASE (strings of the debug
// build's assertions): the window must still fit below the maximum memory after it.
// @ts-ignore: decorator
@inline const AS_DATA_BYTES: usize = 1 << 20;
if (<u64>ASC_MEMORY_BASE + AS_DATA_BYTES + HEAP_SLACK_BYTES + PAGE_BYTES + MAX_WINDOW_BYTES > MAX_MEMORY_BYTES) {
  ERROR('the static tables plus the largest window do not fit in the maximum memory');
}

export let windowBase: u64 = 0;     // simulated address of the window's first byte
export let windowSize: u64 = 0;
export let windowLocation: usize = 0; // linear-memory offset of the window's first byte

/** Makes [base, base + size) of the simulated address space addressable. Grows memory once. */
export function configureWindow(base: u64, size: u64): bool {
  if (size == 0 || size > MAX_WINDOW_BYTES || base + size < base) return false;
  const start = (__heap_base + HEAP_SLACK_BYTES + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
  const end = start + <usize>size;
  const havePages = <usize>memory.size();
  const needPages = (end + PAGE_BYTES - 1) / PAGE_BYTES;
  if (needPages > havePages) {
    if (memory.grow(<i32>(needPages - havePages)) < 0) return false;
  }
  windowBase = base;
  windowSize = size;
  windowLocation = start;
  return true;
}

// @ts-ignore: decorator
@inline export function inWindow(addr: u64, bytes: u64): bool {
  return addr >= windowBase && addr - windowBase <= windowSize && windowSize - (addr - windowBase) >= bytes;
}

/** Linear-memory location of a simulated address already known to be inside the window. */
// @ts-ignore: decorator
@inline export function loc(addr: u64): usize {
  return windowLocation + <usize>(addr - windowBase);
}

// Zero fills that skip what is zero already.
//
// Every new goroutine stack and malloc'd block is zero-filled (addRegion), so that what a run reads
// of it does not depend on what an earlier run on the same instance left there; blocks go up to
// 1 MiB, and filling them was most of the explorer's time in the core. The DIRTY map has a byte per
// 4 KiB page of the window's linear memory (indexed from the window's first byte, which is at the
// same place whatever the window's base and size): 0 means every byte of that page is zero.
//   - A fresh instance's memory is all zero, and so is the map: the invariant holds.
//   - Every write of simulated memory marks the pages it writes first: wloc() for a u64 store
//     (all the model's stores go through it), markDirty() for a range (memory.copy, a poison fill,
//     the host's writeWindow through the markWindow export). Marking more than was written is
//     always safe.
//   - zeroFill() writes only the pages of its range that are marked, and unmarks the pages it
//     covers whole. A page it skips was all zero, so afterwards every byte of the range is zero,
//     exactly as memory.fill would have left it: what any read sees is unchanged.
// Nothing else writes the map, and no run clears it: it describes memory, which outlives runs.
// test/zerofill.test.ts checks a reused instance against fresh ones and against eager fills.

// @ts-ignore: decorator
@inline function pageOf(addr: u64): usize { return <usize>((addr - windowBase) >> DIRTY_PAGE_SHIFT); }

/** Marks the pages of [addr, addr + bytes) as possibly nonzero (bytes > 0, inside the window). */
export function markDirty(addr: u64, bytes: u64): void {
  if (bytes == 0) return;
  const first = pageOf(addr);
  const last = pageOf(addr + bytes - 1);
  memory.fill(DIRTY_LOCATION + first, 1, last - first + 1);
}

/** markDirty by offset from the window's first byte (the host's writes; bytes > 0). */
export function markWindowBytes(offset: usize, bytes: usize): void {
  if (bytes == 0) return;
  const first = offset >> DIRTY_PAGE_SHIFT;
  let last = (offset + bytes - 1) >> DIRTY_PAGE_SHIFT;
  // Past the largest window there is no map (and no window to write).
  if (first >= <usize>DIRTY_BYTES || last < first) return;
  if (last >= <usize>DIRTY_BYTES) last = <usize>DIRTY_BYTES - 1;
  memory.fill(DIRTY_LOCATION + first, 1, last - first + 1);
}

/** The location of a u64 store at addr (inside the window), its pages marked. */
// @ts-ignore: decorator
@inline export function wloc(addr: u64): usize {
  store<u8>(DIRTY_LOCATION + pageOf(addr), 1);
  store<u8>(DIRTY_LOCATION + pageOf(addr + 7), 1);
  return loc(addr);
}

/** markDirty for a range that is usually inside one page (a frame): one store then. */
// @ts-ignore: decorator
@inline export function markRange(lo: u64, hi: u64): void {
  const first = pageOf(lo);
  if (first == pageOf(hi - 1)) store<u8>(DIRTY_LOCATION + first, 1);
  else markDirty(lo, hi - lo);
}

/** Zeroes [addr, addr + bytes) of the window as memory.fill would, writing only marked pages. */
export function zeroFill(addr: u64, bytes: u64): void {
  if (bytes == 0) return;
  const end = addr + bytes;
  const last = pageOf(end - 1);
  let p = pageOf(addr);
  while (p <= last) {
    // Eight unmarked pages at a time where the map is aligned for it.
    if ((p & 7) == 0 && p + 7 <= last && load<u64>(DIRTY_LOCATION + p) == 0) { p += 8; continue; }
    if (load<u8>(DIRTY_LOCATION + p) == 0) { p++; continue; }
    // A run of marked pages [p, q]: one fill. Page p's first byte is windowBase + (p << shift).
    let q = p;
    while (q < last && load<u8>(DIRTY_LOCATION + q + 1) != 0) q++;
    const runLo = windowBase + (<u64>p << DIRTY_PAGE_SHIFT);
    const runHi = windowBase + (<u64>(q + 1) << DIRTY_PAGE_SHIFT);
    const lo = addr > runLo ? addr : runLo;
    const hi = end < runHi ? end : runHi;
    memory.fill(loc(lo), 0, <usize>(hi - lo));
    // Pages the fill covered whole are all zero now; the partial ones at either end stay marked.
    const clearFrom = lo == runLo ? p : p + 1;
    const clearTo = hi == runHi ? q + 1 : q;
    if (clearTo > clearFrom) memory.fill(DIRTY_LOCATION + clearFrom, 0, clearTo - clearFrom);
    p = q + 1;
  }
}


// @ts-ignore: decorator
@inline export function threadPtr(i: i32): usize { return THREADS_LOCATION + <usize>i * THREAD_SIZE; }
// @ts-ignore: decorator
@inline export function mPtr(i: i32): usize { return MS_LOCATION + <usize>i * M_SIZE; }
// @ts-ignore: decorator
@inline export function gPtr(i: i32): usize { return GS_LOCATION + <usize>i * G_SIZE; }
// @ts-ignore: decorator
@inline export function regionPtr(i: i32): usize { return REGIONS_LOCATION + <usize>i * REGION_SIZE; }
// @ts-ignore: decorator
@inline export function opPtr(i: i32): usize { return OPS_LOCATION + <usize>i * OP_SIZE; }
// @ts-ignore: decorator
@inline export function frameStackPtr(ctx: i32): usize {
  return FRAMES_LOCATION + <usize>ctx * MAX_FRAMES * FRAME_SIZE;
}
