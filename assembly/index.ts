// The Wasm core's exports: the boundary with the host. Everything crosses as numbers: the host
// writes the op stream and the config block into linear memory, calls run() once, and reads the
// result area, the event log and the records back. Where each of those is, and every code and
// offset in them, is in abi.ts and memory.ts; the host reads a generated copy (src/core/abi.ts).
// See README.md, "The Wasm boundary".

import { CNT_EXTRA_M, CNT_GS, CNT_MS, CNT_REGIONS, CNT_THREADS } from './abi';
import { COUNTS_LOCATION, MAP_END, configureWindow, markWindowBytes, windowLocation } from './memory';
import { regionCount } from './regions';

export { flushPoison } from './regions';
import { threadCount, mCount, gCount, extraM } from './runtime';

export { run, fusedCount, fusedStat } from './interp';
export { roundTripCount } from './roundtrip';
export { testRngJump } from './sched';
export { testCallbackUpdate, testG0Check, testCopystack, benchCopystack, benchMemoryCopy } from './selftest';

/**
 * The end of the memory map. The host compares it with its own copy of MAP_END, so a core and a
 * host built from different sources refuse each other instead of misreading memory.
 */
export function layout(): usize { return MAP_END; }

/** Where the window starts in linear memory (valid after a run or configure()). */
export function windowOffset(): usize { return windowLocation; }
export function configure(baseLo: u32, baseHi: u32, size: u32): bool {
  return configureWindow((<u64>baseHi << 32) | <u64>baseLo, <u64>size);
}
/** The host is about to write `bytes` bytes `offset` bytes into the window (memory.ts, zeroFill). */
export function markWindow(offset: u32, bytes: u32): void { markWindowBytes(<usize>offset, <usize>bytes); }
/** Record counts after a run, at COUNTS_LOCATION (CNT_* offsets). */
export function counts(): usize {
  const p = COUNTS_LOCATION;
  store<u32>(p + CNT_THREADS, <u32>threadCount);
  store<u32>(p + CNT_MS, <u32>mCount);
  store<u32>(p + CNT_GS, <u32>gCount);
  store<u32>(p + CNT_REGIONS, <u32>regionCount);
  store<u32>(p + CNT_EXTRA_M, extraM);
  return p;
}
