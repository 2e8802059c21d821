// The memory map: the one contract between the Wasm core and the host.
//
// Linear memory holds two kinds of thing. The record tables (threads, Ms, Gs, regions of simulated
// address space, the interpreter's frame stacks, the op stream the host compiles a scenario into,
// the event log and the result area) are static: each is reserved with memory.data, so its location
// is fixed at compile time, and the host learns it from the exported layout() table. After the
// static data comes the window: a slice of the simulated 64-bit address space,
// [windowBase, windowBase + windowSize), mapped byte for byte onto linear memory. C stacks, coroutine
// stacks, goroutine stacks and everything the model writes "into the process" live there, so a value
// saved on a C stack is really stored, and a read of it really reads those bytes back.
//
// Memory is grown once per window size and never again during a run, so the host's typed-array views
// stay attached for the whole batch (see ../../shared/docs/stack-notes.md §1.3).
//
// Regions: every range of the window that something owns (a C thread's pthread stack, a malloc'd
// block, a goroutine stack, an M's thread stack) has a record in the region table, with its state
// (live or freed). Reads of freed memory are how use-after-free becomes a deterministic verdict.

// ---- capacities (each limit is a guard against runaway scenarios, not a model constant) ----

// @ts-ignore: decorator
@inline export const MAX_THREADS: i32 = 512;      // OS threads: C-created and Go-created (per M)
// @ts-ignore: decorator
@inline export const MAX_MS: i32 = 512;
// @ts-ignore: decorator
@inline export const MAX_GS: i32 = 2048;
// @ts-ignore: decorator
@inline export const MAX_REGIONS: i32 = 8192;
// @ts-ignore: decorator
@inline export const MAX_FRAMES: i32 = 64;        // interpreter frames per thread: bounds nesting depth
// @ts-ignore: decorator
@inline export const MAX_OPS: i32 = 131072;
// @ts-ignore: decorator
@inline export const MAX_EVENTS: i32 = 65536;     // recorded events; the trace hash covers all of them
// @ts-ignore: decorator
@inline export const EVENTS_HEAD: i32 = 32768;    // the first events are kept; the rest of the area is a ring of the last ones
// @ts-ignore: decorator
@inline export const N_COUNTERS: i32 = 48;
// @ts-ignore: decorator
@inline export const MAX_FUNCS: i32 = 4096;      // functions with stack maps (runtime + scenario `call`s)
// @ts-ignore: decorator
@inline export const BITMAP_WORDS: i32 = 262144; // u32 words of stack-map bits (8 Mi slots in all)
// @ts-ignore: decorator
@inline export const MAX_VALUES: i32 = 16384;    // explicit slot values given by scenarios

// ---- record sizes (asserted against offsetof in index.ts) ----

// @ts-ignore: decorator
@inline export const THREAD_SIZE: i32 = 128;
// @ts-ignore: decorator
@inline export const M_SIZE: i32 = 128;
// @ts-ignore: decorator
@inline export const G_SIZE: i32 = 160;
// @ts-ignore: decorator
@inline export const REGION_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const FRAME_SIZE: i32 = 64;
// @ts-ignore: decorator
@inline export const OP_SIZE: i32 = 64;
// @ts-ignore: decorator
@inline export const EVENT_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const RESULT_SIZE: i32 = 1024;
// @ts-ignore: decorator
@inline export const FUNC_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const VALUE_SIZE: i32 = 16;

// ---- locations: each region of the map ----

export const THREADS_LOCATION: usize = memory.data(MAX_THREADS * THREAD_SIZE, 64);
export const MS_LOCATION: usize = memory.data(MAX_MS * M_SIZE, 64);
export const GS_LOCATION: usize = memory.data(MAX_GS * G_SIZE, 64);
export const REGIONS_LOCATION: usize = memory.data(MAX_REGIONS * REGION_SIZE, 64);
// One frame stack per context: the timeline (0), each thread (its C code), each goroutine (its Go
// code). A goroutine's Go frames are its own, so they can move to another M with it.
export const FRAMES_LOCATION: usize = memory.data((MAX_THREADS + 1 + MAX_GS) * MAX_FRAMES * FRAME_SIZE, 64);
export const OPS_LOCATION: usize = memory.data(MAX_OPS * OP_SIZE, 64);
export const EVENTS_LOCATION: usize = memory.data(MAX_EVENTS * EVENT_SIZE, 64);
// Result area: counters, the crash record, the trace hash. Layout in results.ts.
export const RESULT_LOCATION: usize = memory.data(RESULT_SIZE, 64);
// Functions and their stack maps (stack.ts): the runtime's own at fixed indices, the scenario's after.
export const FUNCS_LOCATION: usize = memory.data(MAX_FUNCS * FUNC_SIZE, 64);
export const BITMAPS_LOCATION: usize = memory.data(BITMAP_WORDS * 4, 64);
export const VALUES_LOCATION: usize = memory.data(MAX_VALUES * VALUE_SIZE, 64);
// Scratch area for the differential tests' single-function entry points (index.ts).
export const SCRATCH_LOCATION: usize = memory.data(256, 64);

// ---- the window ----

// @ts-ignore: decorator
@inline const PAGE_BYTES: usize = 65536;
// Room left after the stub runtime's heap base before the window starts. The core never allocates
// managed objects, so this slack is never used; it keeps an accidental allocation from landing
// in simulated memory.
// @ts-ignore: decorator
@inline const HEAP_SLACK_BYTES: usize = 65536;
// The largest window: linear memory is capped at 1 GiB (asconfig maximumMemory = 16384 pages), and
// the static tables above take the rest.
// @ts-ignore: decorator
@inline export const MAX_WINDOW_BYTES: u64 = 768 << 20;

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
