// Limits the scenario compiler checks against: the core's table sizes and the runtime's minimums.
// The core's own copies are in assembly/ (interp.ts, stack.ts, memory.ts); the ABI module will
// make this file a generated one.

/** Bodies nest at most this deep (the interpreter keeps 64 frames per context). */
export const MAX_NESTING = 48;
export const MIN_THREAD_STACK = 4096n;
export const MIN_GO_STACK = 2048n;
/** malloc's alignment on 64-bit glibc, musl and Windows: a pinned block address must have it. */
export const MALLOC_ALIGN = 16n;
/** Function indices below this are the runtime's own (assembly/stack.ts). */
export const FIRST_USER_FUNC = 16;
/** Stack-map words the runtime's functions use; the scenario's start after them. */
export const RUNTIME_BITMAP_WORDS = 64;
export const BITMAP_WORDS = 262144;
export const MAX_FUNCS = 4096;
export const MAX_VALUES = 16384;
export const MAX_CALL_FRAME = 1 << 20;
export const DEFAULT_MAX_STACK = 1_000_000_000n;
export const OP_SIZE = 64;
export const MAX_OPS = 131072;
export const MAX_HOST_THREADS = 256;
export const MAX_HOST_GS = 1024;
export const MAX_HOST_MS = 128;
export const MAX_BLOCKS = 4096;

export const DEFAULT_WINDOW_SIZE = 64n << 20n;
export const MAX_WINDOW_SIZE = 768n << 20n;
export const DEFAULT_G0_CHECK_DEPTH = 0x100;
