// Regions of simulated memory and where new ones go.
//
// Every stack and block in the window has a region record. Scenario authors pin some (a thread's
// pthread stack, `malloc` with `at`, a goroutine's `stack`); the runtime places the rest (extra-M
// goroutine stacks, Go-created Ms' thread stacks, unpinned mallocs) with one deterministic policy:
//
//   1. Each arena has a cursor that only moves up. A new region goes at the lowest address at or
//      above the cursor, aligned to 64 KiB, that overlaps no region at all, live or freed.
//   2. Freed regions are poisoned and kept, so a stale pointer into them still lands in memory the
//      model knows is freed: that is how a use-after-free becomes a deterministic verdict.
//      The verdict comes from the record, not the bytes: every read the model makes of memory that
//      may be freed asks the region table first (stack.ts readable, cgocall.ts cStackUsable, the
//      fused round trip), and stops the run with uaf before it uses what it read. So the poison
//      bytes are written lazily: freeing marks the record, and the fill happens only when the
//      bytes can be seen: when a new region is laid over the freed one (the record is retired;
//      what it covered must read as poison, as it would have), or when the host reads the window
//      (flushPoison). Live regions never overlap each other or a freed record (liveOverlap, and
//      addRegion retires what it covers), so nothing writes to a freed range before its fill.
//   3. Only when an arena is exhausted does placement fall back to the lowest fitting gap anywhere
//      in the arena, reusing freed memory.
//
// Arenas: the Go arena (goroutine stacks) starts min(size/2, 32 MiB) above the window base; the
// C arena (unpinned mallocs, Ms' thread stacks) min(size/4, 16 MiB) above it. With the default
// 64 MiB window at 0 that puts Go stacks at 0x2000000 and up, as the regression scenarios assume.

import { MAX_REGIONS, RK_M_STACK, RK_THREAD_STACK, RS_FREED, RS_FREE_SLOT, RS_LIVE, WORK_REGIONS } from './abi';
import { inWindow, loc, markDirty, windowBase, windowSize, zeroFill } from './memory';
import { crashOperand, debt, chargeMemory } from './results';
import { Region, region } from './records';

// @ts-ignore: decorator
@inline const PLACEMENT_ALIGN: u64 = 0x10000;
// Go's stackPoisonCopy pattern for freed goroutine stacks.
// @ts-ignore: decorator
@inline export const GO_STACK_POISON: u8 = 0xfc;
// Freed C heap bytes (the pattern MSVC's debug heap uses for freed memory).
// @ts-ignore: decorator
@inline export const C_HEAP_POISON: u8 = 0xdd;
// A freed record whose poison is still to be written (Region.poison = POISON_PENDING | byte).
// @ts-ignore: decorator
@inline const POISON_PENDING: u32 = 0x100;

export let regionCount: i32 = 0;
let goCursor: u64 = 0;
let cCursor: u64 = 0;
let goArenaLo: u64 = 0;
let cArenaLo: u64 = 0;

export function resetRegions(): void {
  regionCount = 0;
  const goOffset = windowSize / 2 < (32 << 20) ? windowSize / 2 : (32 << 20);
  const cOffset = windowSize / 4 < (16 << 20) ? windowSize / 4 : (16 << 20);
  goArenaLo = windowBase + goOffset;
  cArenaLo = windowBase + cOffset;
  goCursor = goArenaLo;
  cCursor = cArenaLo;
  resetArena();
}

/** The benchmark's rewind: new Go stacks start from the bottom of the arena again. */
export function resetGoCursor(): void { goCursor = goArenaLo; }

/** Index of the region (live preferred over freed) that contains addr, or -1. */
export function regionAt(addr: u64): i32 {
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  let freed = -1;
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (addr >= r.lo && addr < r.hi) {
      if (r.state == RS_LIVE) return i;
      if (r.state == RS_FREED && freed < 0) freed = i;
    }
  }
  return freed;
}

/**
 * The freed region addr falls in (and no live one does), or -1. When there is one, its bounds
 * and kind are left in the crash operands (0 addr, 1 lo, 2 hi, 3 kind) for the uaf report.
 */
export function freedAt(addr: u64): i32 {
  const ri = regionAt(addr);
  if (ri < 0 || region(ri).state != RS_FREED) return -1;
  const r = region(ri);
  crashOperand(0, addr);
  crashOperand(1, r.lo);
  crashOperand(2, r.hi);
  crashOperand(3, <u64>r.kind);
  return ri;
}

/** Index of a live region overlapping [lo, hi), or -1. */
export function liveOverlap(lo: u64, hi: u64): i32 {
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (r.state == RS_LIVE && lo < r.hi && r.lo < hi) return i;
  }
  return -1;
}

function anyOverlap(lo: u64, hi: u64): i32 {
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (r.state != RS_FREE_SLOT && lo < r.hi && r.lo < hi) return i;
  }
  return -1;
}

/** Records a region; -1 when the table is full. A pinned region may cover freed memory. */
export function addRegion(lo: u64, hi: u64, kind: u32, owner: u32, fillByte: i32): i32 {
  assert(lo < hi, 'region: empty or inverted range');
  assert(inWindow(lo, hi - lo), 'region: outside the window');
  // A region laid over freed memory revives it: the freed records it covers are retired so a
  // lookup finds the new owner.
  debt(<u64>regionCount >> 2, WORK_REGIONS);
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (r.state == RS_FREED && lo < r.hi && r.lo < hi) {
      // What the new region fills itself needs no poison first: only the rest of the freed range.
      if (fillByte >= 0 && r.poison != 0) {
        if (r.lo < lo) fillPoison(r.lo, lo, r.poison);
        if (hi < r.hi) fillPoison(hi, r.hi, r.poison);
        r.poison = 0;
      } else {
        writePoison(r);
      }
      r.state = RS_FREE_SLOT;
    }
  }
  let i = -1;
  for (let j = 0; j < regionCount; j++) {
    if (region(j).state == RS_FREE_SLOT) { i = j; break; }
  }
  if (i < 0) {
    if (regionCount >= MAX_REGIONS) return -1;
    i = regionCount++;
  }
  const r = region(i);
  r.lo = lo;
  r.hi = hi;
  r.kind = kind;
  r.state = RS_LIVE;
  r.owner = owner;
  r.poison = 0;
  if (fillByte >= 0 && chargeMemory(lo, hi - lo)) {
    // Zero, as nearly every caller asks: only the pages that may hold something are written.
    if (fillByte == 0) zeroFill(lo, hi - lo);
    else fillPoison(lo, hi, <u32>fillByte);
  }
  return i;
}

/** Fills [lo, hi) with the byte `value` (its pages marked: memory.ts). */
function fillPoison(lo: u64, hi: u64, value: u32): void {
  markDirty(lo, hi - lo);
  memory.fill(loc(lo), <u8>value, <usize>(hi - lo));
}

/** Frees region i: poisoned with `poison` (charged now, written when it can be seen: above). */
export function freeRegion(i: i32, poison: u8): void {
  const r = region(i);
  assert(r.state == RS_LIVE, 'freeRegion: region is not live');
  r.state = RS_FREED;
  if (chargeMemory(r.lo, r.hi - r.lo)) r.poison = POISON_PENDING | <u32>poison;
}

/** Writes a freed record's pending poison. */
// @ts-ignore: decorator
@inline function writePoison(r: Region): void {
  if (r.poison != 0) {
    fillPoison(r.lo, r.hi, r.poison);
    r.poison = 0;
  }
}

/** Writes every pending poison of the last run: the window then reads as if freeing had filled it. */
export function flushPoison(): void {
  for (let i = 0; i < regionCount; i++) {
    const r = region(i);
    if (r.state == RS_FREED) writePoison(r);
  }
}

/** Retires freed record i without writing its poison (the relocation benchmark's rewind: the slot is
 * about to be filled again in full by the next move, as no run would ever need). */
export function retireUnseen(i: i32): void {
  const r = region(i);
  r.poison = 0;
  r.state = RS_FREE_SLOT;
}

@inline function alignUp(x: u64, a: u64): u64 { return (x + a - 1) & ~(a - 1); }

/**
 * Chooses where a runtime-placed region of `size` bytes goes (policy above). Returns 0 when the
 * window has no room; 0 is never a valid placement because arenas start above the window base.
 */
export function place(size: u64, goArena: bool): u64 {
  const arenaLo = goArena ? goArenaLo : cArenaLo;
  const end = windowBase + windowSize;
  let cand = alignUp(goArena ? goCursor : cCursor, PLACEMENT_ALIGN);
  // Pass 1: at or above the cursor, never over freed memory, while the region table has room
  // to keep freed records; past that, placement reuses freed memory (pass 2) and retires them.
  for (let guard = regionCount < MAX_REGIONS - 64 ? 0 : MAX_REGIONS + 1; guard <= MAX_REGIONS && cand + size <= end && cand + size > cand; guard++) {
    const hit = anyOverlap(cand, cand + size);
    if (hit < 0) {
      if (goArena) goCursor = cand + size; else cCursor = cand + size;
      return cand;
    }
    cand = alignUp(region(hit).hi, PLACEMENT_ALIGN);
  }
  // Pass 2: the lowest gap among live regions only, reusing freed memory.
  cand = alignUp(arenaLo, PLACEMENT_ALIGN);
  for (let guard = 0; guard <= MAX_REGIONS && cand + size <= end && cand + size > cand; guard++) {
    const hit = liveOverlap(cand, cand + size);
    if (hit < 0) return cand;
    cand = alignUp(region(hit).hi, PLACEMENT_ALIGN);
  }
  return 0;
}

// malloc without `at` (docs/model.md §20): where the C library's allocator would put the block.
//   glibc  a thread arena: up to ARENA_BYTES (glibc's HEAP_MAX_SIZE) mapped below the lowest
//          thread stack that exists at the first such malloc (mmap works top-down, and pthread
//          stacks are mappings made earlier), blocks packed upward in it behind 16-byte chunk
//          headers, the first fit reused after free
//   musl   the brk heap at the bottom of the C area, packed upward the same way
// Blocks of MMAP_THRESHOLD bytes or more are mappings of their own in both libcs, as is a block
// with a guard page (mmap + mprotect): the runtime policy above places them (so does a full arena).
// @ts-ignore: decorator
@inline const ARENA_BYTES: u64 = 64 << 20;
// @ts-ignore: decorator
@inline const MMAP_THRESHOLD: u64 = 128 << 10;
// @ts-ignore: decorator
@inline const FIRST_FIT_TRIES: i32 = 64;
// @ts-ignore: decorator
@inline const CHUNK_HEADER: u64 = 16;
let arenaLo: u64 = 0;
let arenaHi: u64 = 0;

export function resetArena(): void { arenaLo = 0; arenaHi = 0; }

/** Where an unpinned block of `size` bytes goes under the run's policy; 0 when it does not fit. */
export function mallocPlace(size: u64, musl: bool): u64 {
  if (size >= MMAP_THRESHOLD) return place(size, false);
  if (arenaHi == 0) {
    if (musl) {
      arenaLo = cArenaLo;
      arenaHi = goArenaLo;
    } else {
      let top = windowBase + windowSize;
      for (let i = 0; i < regionCount; i++) {
        const r = region(i);
        if (r.state == RS_LIVE && (r.kind == RK_THREAD_STACK || r.kind == RK_M_STACK) && r.lo < top) top = r.lo;
      }
      top &= ~(PLACEMENT_ALIGN - 1);
      // At most half the room below: the rest stays for other mappings.
      const half = ((top - windowBase) / 2) & ~(PLACEMENT_ALIGN - 1);
      arenaHi = top;
      arenaLo = top - (half < ARENA_BYTES ? half : ARENA_BYTES);
    }
  }
  // First fit from the bottom: only live blocks are in the way (freed chunks are reused).
  debt(<u64>regionCount >> 3, WORK_REGIONS);
  let cand = arenaLo + CHUNK_HEADER;
  // A bounded first fit: past FIRST_FIT_TRIES blocks in the way, the arena counts as full.
  for (let tries = 0; tries < FIRST_FIT_TRIES && cand + size <= arenaHi && cand + size > cand; tries++) {
    debt(<u64>regionCount >> 3, WORK_REGIONS);
    const hit = liveOverlap(cand - CHUNK_HEADER, cand + size);
    if (hit < 0) return cand;
    cand = ((region(hit).hi + 15) & ~(<u64>15)) + CHUNK_HEADER;
  }
  return place(size, false);
}

/** Leaves [lo, hi) and the live region it collides with in the crash operands (for the host's message). */
export function reportOverlap(lo: u64, hi: u64, other: i32): void {
  const r = region(other);
  crashOperand(0, lo);
  crashOperand(1, hi);
  crashOperand(2, r.lo);
  crashOperand(3, r.hi);
  crashOperand(4, <u64>r.kind);
  crashOperand(5, <u64>r.owner);
}
