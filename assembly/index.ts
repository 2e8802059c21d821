// The Wasm core's exports: the boundary with the host. Everything crosses as numbers: the host
// writes the op stream and the config block into linear memory, calls run() once, and reads the
// result area, the event log and the records back. See README.md, "The Wasm boundary".

import {
  THREADS_LOCATION, MS_LOCATION, GS_LOCATION, REGIONS_LOCATION, OPS_LOCATION, EVENTS_LOCATION,
  RESULT_LOCATION, SCRATCH_LOCATION, MAX_THREADS, MAX_MS, MAX_GS, MAX_REGIONS, MAX_OPS, MAX_EVENTS, EVENTS_HEAD,
  MAX_FRAMES, N_COUNTERS, THREAD_SIZE, M_SIZE, G_SIZE, REGION_SIZE, OP_SIZE, EVENT_SIZE,
  windowLocation, configureWindow, MAX_WINDOW_BYTES, FUNCS_LOCATION, BITMAPS_LOCATION, VALUES_LOCATION,
} from './memory';
import { checkFuncLayout } from './stack';
import { checkRecordLayouts } from './records';
import { checkFrameLayout } from './frames';
import { CONFIG_LOCATION } from './interp';
import { regionCount } from './regions';
import { threadCount, mCount, gCount, extraM } from './runtime';

export { run, fusedCount } from './interp';
export { testRngJump } from './sched';
export { testCallbackUpdate, testG0Check, testCopystack, benchCopystack, benchMemoryCopy } from './selftest';

/** The memory map, as a table the host reads once: [key, value] pairs of u32. */
const LAYOUT: usize = memory.data(256, 8);
export function layout(): usize {
  const p = LAYOUT;
  store<u32>(p, <u32>THREADS_LOCATION, 0);
  store<u32>(p, <u32>MS_LOCATION, 4);
  store<u32>(p, <u32>GS_LOCATION, 8);
  store<u32>(p, <u32>REGIONS_LOCATION, 12);
  store<u32>(p, <u32>OPS_LOCATION, 16);
  store<u32>(p, <u32>EVENTS_LOCATION, 20);
  store<u32>(p, <u32>RESULT_LOCATION, 24);
  store<u32>(p, <u32>CONFIG_LOCATION, 28);
  store<u32>(p, <u32>SCRATCH_LOCATION, 32);
  store<u32>(p, <u32>MAX_THREADS, 36);
  store<u32>(p, <u32>MAX_MS, 40);
  store<u32>(p, <u32>MAX_GS, 44);
  store<u32>(p, <u32>MAX_REGIONS, 48);
  store<u32>(p, <u32>MAX_OPS, 52);
  store<u32>(p, <u32>MAX_EVENTS, 56);
  store<u32>(p, <u32>MAX_FRAMES, 60);
  store<u32>(p, <u32>N_COUNTERS, 64);
  store<u32>(p, <u32>THREAD_SIZE, 68);
  store<u32>(p, <u32>M_SIZE, 72);
  store<u32>(p, <u32>G_SIZE, 76);
  store<u32>(p, <u32>REGION_SIZE, 80);
  store<u32>(p, <u32>OP_SIZE, 84);
  store<u32>(p, <u32>EVENT_SIZE, 88);
  store<u32>(p, <u32>(MAX_WINDOW_BYTES >> 20), 92);
  store<u32>(p, checkRecordLayouts() && checkFrameLayout() && checkFuncLayout() ? 1 : 0, 96);
  store<u32>(p, <u32>FUNCS_LOCATION, 100);
  store<u32>(p, <u32>BITMAPS_LOCATION, 104);
  store<u32>(p, <u32>VALUES_LOCATION, 108);
  store<u32>(p, <u32>EVENTS_HEAD, 112);
  return p;
}

/** Where the window starts in linear memory (valid after a run or configure()). */
export function windowOffset(): usize { return windowLocation; }
export function configure(baseLo: u32, baseHi: u32, size: u32): bool {
  return configureWindow((<u64>baseHi << 32) | <u64>baseLo, <u64>size);
}
/** Record counts after a run: threads, Ms, Gs, regions, extra-M list head (+1). */
export function counts(): usize {
  const p = LAYOUT + 128;
  store<u32>(p, <u32>threadCount, 0);
  store<u32>(p, <u32>mCount, 4);
  store<u32>(p, <u32>gCount, 8);
  store<u32>(p, <u32>regionCount, 12);
  store<u32>(p, extraM, 16);
  return p;
}
