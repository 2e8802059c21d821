// Interpreter frames: where each thread is in the scenario's op stream.
//
// A context is the timeline (context 0), one thread's C code (context = thread index + 1), or one
// goroutine's Go code (gctx(g)). Each has a stack of frames, and each frame runs a body: a
// contiguous range [start, end) of the op stream. A thread runs its goroutine's context while
// TLS.g is that goroutine, and its own (C) context while TLS.g is g0 or nil: crossing between C
// and Go is just a change of TLS.g, as in the runtime. Because Go frames belong to the goroutine,
// a goroutine could continue on another M while the C frames it would return to stay behind.
// What a frame does when its body ends is its kind: a callback frame runs the return half of
// cgocallback (reentersyscall, dropm…), a cgocall frame the return half of cgocall, a repeat frame
// loops. Because the stack is data, a thread can stop in the middle of a body (a C `block`) and be
// continued later (`resume`) without the interpreter recursing.
//
// Frame, 64 bytes
//  0 kind u32   4 pc u32   8 start u32   12 end u32   16 count u32   20 op u32   24 m u32   28 bits u32
// 32 a u64     40 b u64   48 c u64      56 d u64     (kind-specific saved state, see cgocall.ts)

import { FRAME_SIZE, MAX_FRAMES, MAX_GS, MAX_THREADS } from './abi';
import { GDEPTHS_LOCATION, frameStackPtr } from './memory';
import { thread } from './records';
import { clearTouched } from './runtime';

@unmanaged
export class Frame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  count: u32;
  op: u32;
  m: u32;
  bits: u32;
  a: u64;
  b: u64;
  c: u64;
  d: u64;
}

// @ts-ignore: decorator
@inline export const FK_SEQ: u32 = 1;        // the timeline
// @ts-ignore: decorator
@inline export const FK_REPEAT: u32 = 2;
// @ts-ignore: decorator
@inline export const FK_CALLBACK: u32 = 3;   // a Go body entered from C (cgocallback)
// @ts-ignore: decorator
@inline export const FK_CGOCALL: u32 = 4;    // a C body entered from Go (cgocall)
// @ts-ignore: decorator
@inline export const FK_GOROUTINE: u32 = 5;  // a `go` goroutine's body
// @ts-ignore: decorator
@inline export const FK_SIGNAL: u32 = 6;     // a signal handler's Go body
// @ts-ignore: decorator
@inline export const FK_CALL: u32 = 7;       // Go frames pushed by `call`: count = how many to pop

let timelineDepth: u32 = 0;

/** The context of goroutine gi's Go code. */
// @ts-ignore: decorator
@inline export function gctx(gi: i32): i32 { return MAX_THREADS + 1 + gi; }

// @ts-ignore: decorator
@inline export function depthOf(ctx: i32): u32 {
  if (ctx == 0) return timelineDepth;
  if (ctx <= MAX_THREADS) return thread(ctx - 1).depth;
  return load<u32>(GDEPTHS_LOCATION + (<usize>(ctx - MAX_THREADS - 1) << 2));
}

// @ts-ignore: decorator
@inline function setDepth(ctx: i32, d: u32): void {
  if (ctx == 0) timelineDepth = d;
  else if (ctx <= MAX_THREADS) thread(ctx - 1).depth = d;
  else store<u32>(GDEPTHS_LOCATION + (<usize>(ctx - MAX_THREADS - 1) << 2), d);
}

// @ts-ignore: decorator
@inline export function frameAt(ctx: i32, i: u32): Frame {
  return changetype<Frame>(frameStackPtr(ctx) + <usize>i * FRAME_SIZE);
}

/** Pushes a frame; null when the context is MAX_FRAMES deep (the caller reports it). */
export function pushFrame(ctx: i32, kind: u32, start: u32, end: u32, op: u32): Frame | null {
  const d = depthOf(ctx);
  if (d >= <u32>MAX_FRAMES) return null;
  const f = frameAt(ctx, d);
  f.kind = kind;
  f.pc = start;
  f.start = start;
  f.end = end;
  f.op = op;
  // The kind-specific fields (count, m, bits, a–d) are set by whoever pushes the frame.
  setDepth(ctx, d + 1);
  return f;
}

export function popFrame(ctx: i32): void { setDepth(ctx, depthOf(ctx) - 1); }

/** usedGs: the goroutine count the last run reached (only those depths can be non-zero). */
export function resetFrames(usedGs: i32): void {
  timelineDepth = 0;
  clearTouched(GDEPTHS_LOCATION, usedGs, 4, MAX_GS, 'goroutine frame depths');
}

if (offsetof<Frame>() != FRAME_SIZE) ERROR('Frame\'s size differs from FRAME_SIZE');
