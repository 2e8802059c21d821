// Process-wide runtime state and record allocation.
//
// Index spaces are split between host and core: the host numbers what a scenario names (C threads,
// malloc blocks, goroutines from `go`, Go Ms named by `go`'s `m`), and tells the core how many
// there are; the core allocates everything the runtime creates by itself (extra Ms, g0s, extra-M
// goroutines, the threads of Go-created Ms) above those.

import {
  G_SIZE, MAX_GS, MAX_MS, MAX_THREADS, M_SIZE, PID_BASE, TF_GO, TF_SPAWNED, THREAD_EXITED, THREAD_LIVE, THREAD_SIZE,
} from './abi';
import { thread, mrec, grec } from './records';
import { gPtr, mPtr, threadPtr } from './memory';

export let hostThreads: i32 = 0;
export let hostGs: i32 = 0;
export let hostMs: i32 = 0;
export let threadCount: i32 = 0;
export let mCount: i32 = 0;
export let gCount: i32 = 0;
export let nextTid: u64 = PID_BASE + 1;
export let nextMId: i32 = 1;       // m0 is id 0 and runs Go's main; not a record here
export let nextGoid: u64 = 2;
export let cgoHasExtraM: bool = false;
export let extraM: u32 = 0;        // head of the extra-M list (M index + 1)
export let extraMLength: i32 = 0;
export let extraMWaiters: i32 = 0;
// cgo traceback contexts handed out by the context function and not yet released (assert.ts).
export let liveContexts: i32 = 0;

/**
 * Zeroes records [0, used) of a table of `max` records of `size` bytes. The debug build also checks
 * that the rest of the table is still zero, so a write past the high-water mark cannot go unnoticed.
 */
export function clearTouched(base: usize, used: i32, size: i32, max: i32, table: string): void {
  const n = used < 0 ? 0 : used > max ? max : used;
  memory.fill(base, 0, <usize>n * <usize>size);
  if (!ASC_NO_ASSERT) {
    for (let p = base + <usize>n * <usize>size, end = base + <usize>max * <usize>size; p < end; p++) {
      if (load<u8>(p) != 0) abort(table, 'reset: written above the high-water mark', <u32>((p - base) / <usize>size), 0);
    }
  }
}

export function resetRuntime(nThreads: i32, nGs: i32, nMs: i32, goidBase: u64): void {
  const prevThreads = threadCount;
  const prevMs = mCount;
  const prevGs = gCount;
  hostThreads = nThreads;
  hostGs = nGs;
  hostMs = nMs;
  threadCount = nThreads;
  gCount = nGs;
  mCount = nMs;
  // High-water marks: a run writes records only below the counts (every allocation bumps the count
  // before it writes, and the host names only indices below its own counts), so clearing up to the
  // counts the last run reached (prev*, read before they are reset; right even after a trap)
  // restores all-zero tables.
  clearTouched(threadPtr(0), prevThreads, THREAD_SIZE, MAX_THREADS, 'threads');
  clearTouched(mPtr(0), prevMs, M_SIZE, MAX_MS, 'Ms');
  clearTouched(gPtr(0), prevGs, G_SIZE, MAX_GS, 'Gs');
  nextTid = PID_BASE + 1;
  nextMId = 1;
  nextGoid = goidBase;
  cgoHasExtraM = false;
  extraM = 0;
  extraMLength = 0;
  extraMWaiters = 0;
  liveContexts = 0;
}

export function addLiveContexts(n: i32): void { liveContexts += n; }

export function setCgoHasExtraM(v: bool): void { cgoHasExtraM = v; }
export function setExtraM(head: u32, length: i32): void { extraM = head; extraMLength = length; }
export function addExtraMWaiter(): void { extraMWaiters++; }

/** A tid for a new thread; the main thread always has the process id. */
export function newTid(isMain: bool): u64 {
  if (isMain) return PID_BASE;
  return nextTid++;
}

/**
 * A thread record for a C body's `thread`: one such thread that has exited (zeroed again), else a
 * fresh one; -1 when the table is full. Reuse keeps loops of pthread_create/join within the table.
 */
export function allocSpawnedThread(): i32 {
  for (let i = hostThreads; i < threadCount; i++) {
    const t = thread(i);
    if ((t.flags & TF_SPAWNED) != 0 && t.state == THREAD_EXITED) {
      memory.fill(threadPtr(i), 0, THREAD_SIZE);
      return i;
    }
  }
  if (threadCount >= MAX_THREADS) return -1;
  return threadCount++;
}

/** A fresh thread record for a Go-created M; -1 when the table is full. */
export function allocGoThread(): i32 {
  if (threadCount >= MAX_THREADS) return -1;
  const i = threadCount++;
  const t = thread(i);
  t.state = THREAD_LIVE;
  t.flags = TF_GO;
  t.tid = newTid(false);
  return i;
}

/** A fresh M record with its g0 (no stack yet); -1 when a table is full. */
export function allocM(slot: i32): i32 {
  if (gCount >= MAX_GS) return -1;
  let i = slot;
  if (i < 0) {
    if (mCount >= MAX_MS) return -1;
    i = mCount++;
  }
  const m = mrec(i);
  m.inUse = 1;
  m.id = nextMId++;
  const g0i = gCount++;
  const g0 = grec(g0i);
  g0.inUse = 1;
  g0.isG0 = 1;
  g0.m = <u32>i + 1;
  m.g0 = <u32>g0i + 1;
  return i;
}

/** A fresh goroutine record; -1 when the table is full. */
export function allocG(): i32 {
  if (gCount >= MAX_GS) return -1;
  const i = gCount++;
  grec(i).inUse = 1;
  return i;
}

export function newGoid(): u64 { return nextGoid++; }

/** The record of host goroutine `host`'s latest goroutine (its own unless a repeated `go` made others). */
// @ts-ignore: decorator
@inline export function latestG(host: i32): i32 {
  const l = grec(host).latest;
  return l == 0 ? host : <i32>l - 1;
}

