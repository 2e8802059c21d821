// Limits the scenario compiler checks against. The core's capacities, the host's own limits within
// them and the record size come from the generated ABI (assembly/abi.ts, where their relations are
// asserted when the core compiles); the runtime minimums and defaults below are the host's alone.

import { MAX_CALL_FRAME_BYTES, DEFAULT_MAX_STACK_BYTES, MAX_WINDOW_BYTES, MIN_WINDOW_BYTES } from '../core/abi.js';

export {
  MAX_NESTING, FIRST_USER_FUNC, RUNTIME_BITMAP_WORDS, BITMAP_WORDS, MAX_FUNCS, MAX_VALUES, OP_SIZE, MAX_OPS,
  MAX_HOST_THREADS, MAX_HOST_GS, MAX_HOST_MS, MAX_BLOCKS, MAX_SYNC,
} from '../core/abi.js';

export const MIN_THREAD_STACK = 4096n;
export const MIN_GO_STACK = 2048n;
/** malloc's alignment on 64-bit glibc, musl and Windows: a pinned block address must have it. */
export const MALLOC_ALIGN = 16n;
export const MAX_CALL_FRAME = MAX_CALL_FRAME_BYTES;
export const DEFAULT_MAX_STACK = DEFAULT_MAX_STACK_BYTES;
export const DEFAULT_WINDOW_SIZE = 64n << 20n;
export const MIN_WINDOW_SIZE = MIN_WINDOW_BYTES;
export const MAX_WINDOW_SIZE = MAX_WINDOW_BYTES;
/** g0CheckDepth without the physical model when a scenario sets none (the scenario format's D). */
export const DEFAULT_G0_CHECK_DEPTH = 0x100;
/**
 * What the config holds when a scenario sets no g0CheckDepth: the core uses DEFAULT_G0_CHECK_DEPTH,
 * or under the physical model each check at its real depth (assembly/physical.ts).
 */
export const AUTO_G0_CHECK_DEPTH = 0xffffffffffffffffn;
