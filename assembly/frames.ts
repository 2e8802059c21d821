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
// Frame, FRAME_SIZE bytes. Every kind shares the header (kind, pc, body, op, m); what the rest holds
// depends on the kind, so code reads a frame through its kind's view (callbackFrame(f), ...), each
// a class over the same bytes with the fields named for what they hold. The views are checked
// against the header and FRAME_SIZE when the core compiles; the debug core asserts the kind on
// every conversion.

import { FRAME_SIZE, MAX_FRAMES, MAX_GS, MAX_THREADS } from './abi';
import { GDEPTHS_LOCATION, frameStackPtr } from './memory';
import { thread } from './records';
import { clearTouched } from './runtime';

// Frame, 64 bytes: the header every kind shares; the rest is read through the kind's view below
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 word0 u32          │ 28 word1 u32          │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 slot0 u64                                  │ 40 slot1 u64                                  │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 slot2 u64                                  │ 56 slot3 u64                                  │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class Frame {
  kind: u32;   // FK_*
  pc: u32;   // next op to run
  start: u32;   // the body: ops [start, end)
  end: u32;
  op: u32;   // the op that pushed it (events and crashes of its return half name it)
  m: u32;   // M + 1 it was entered on (callback, cgocall, signal, goroutine, call)
  word0: u32;   // kind-specific
  word1: u32;   // kind-specific
  slot0: u64;   // kind-specific
  slot1: u64;
  slot2: u64;
  slot3: u64;
}

// RepeatFrame, 64 bytes: FK_REPEAT: a `repeat` body
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 left u32           │ 28 unused0 u32        │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 unused1 u64                                │ 40 unused2 u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 unused3 u64                                │ 56 unused4 u64                                │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class RepeatFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  left: u32;   // iterations still to run, this one included
  unused0: u32;
  unused1: u64;
  unused2: u64;
  unused3: u64;
  unused4: u64;
}

// CallFrame, 64 bytes: FK_CALL: Go frames pushed by `call`, popped when its body ends
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 depth u32          │ 28 unused0 u32        │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 unused1 u64                                │ 40 unused2 u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 unused3 u64                                │ 56 unused4 u64                                │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class CallFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  depth: u32;   // how many frames it pushed
  unused0: u32;
  unused1: u64;
  unused2: u64;
  unused3: u64;
  unused4: u64;
}

// CallbackFrame, 64 bytes: FK_CALLBACK: a Go body entered from C (cgocallback)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 phase u32          │ 28 bits u32           │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 frameDepth u64                             │ 40 unused0 u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 savedG0Lo u64                              │ 56 savedG0Hi u64                              │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class CallbackFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  phase: u32;   // PH_*: where its way back to C is (cgocall.ts)
  bits: u32;   // CB_*
  frameDepth: u64;   // cgocallbackg's frame, as a depth below stack.hi (it holds savedsp/savedbp/savedpc; a depth survives a stack move)
  unused0: u64;
  savedG0Lo: u64;   // the caller's g0 bounds, restored on return (SAVE_RESTORE_G0)
  savedG0Hi: u64;
}

// CgocallFrame, 64 bytes: FK_CGOCALL: a C body entered from Go (cgocall)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 g u32              │ 28 cRegion u32        │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 cSp u64                                    │ 40 cLo u64                                    │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 cHi u64                                    │ 56 frameDepth u64                             │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class CgocallFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  g: u32;   // the calling goroutine + 1
  cRegion: u32;   // the C stack's region + 1 before the call
  cSp: u64;   // the C SP before the call
  cLo: u64;   // the C stack before the call
  cHi: u64;
  frameDepth: u64;   // the cgocall frame, as a depth below stack.hi (asmcgocall's trick)
}

// SignalFrame, 64 bytes: FK_SIGNAL: a signal handler's Go body
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 savedG u32         │ 28 bits u32           │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 savedG0SchedSp u64                         │ 40 signalSp u64                               │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 unused1 u64                                │ 56 unused2 u64                                │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class SignalFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  savedG: u32;   // the thread's g (+1) when the signal came, set aside while badsignal runs
  bits: u32;   // CB_NEEDM if the handler took an M with needm
  savedG0SchedSp: u64;   // g0.sched.sp before the handler
  signalSp: u64;   // the SP the signal arrived at
  unused1: u64;
  unused2: u64;
}

// GoroutineFrame, 64 bytes: FK_GOROUTINE: a `go` goroutine's body, or an iter.Pull coroutine's
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 g u32              │ 28 coro u32           │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 unused1 u64                                │ 40 unused2 u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 unused3 u64                                │ 56 unused4 u64                                │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class GoroutineFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  g: u32;   // the goroutine + 1
  coro: u32;   // a coroutine's iterator (sync.ts): its sync object + 1, and its body ends in coroexit; 0: a goroutine
  unused1: u64;
  unused2: u64;
  unused3: u64;
  unused4: u64;
}

// RecoverFrame, 64 bytes: FK_RECOVER: a `recover` step's function, whose deferred closure calls recover()
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 pc u32              │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 op u32             │ 20 m u32              │ 24 want u32           │ 28 recovered u32      │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 frameDepth u64                             │ 40 unused0 u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 unused1 u64                                │ 56 unused2 u64                                │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class RecoverFrame {
  kind: u32;
  pc: u32;
  start: u32;
  end: u32;
  op: u32;
  m: u32;
  want: u32;   // the panic value the program expects recover() to return + 1 (0: any, or none)
  recovered: u32;   // 1 once a panic was recovered there
  frameDepth: u64;   // the function's frame, as a depth below stack.hi (a depth survives a stack move)
  unused0: u64;
  unused1: u64;
  unused2: u64;
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
@inline export const FK_CALL: u32 = 7;       // Go frames pushed by `call`
// @ts-ignore: decorator
@inline export const FK_RECOVER: u32 = 8;    // a `recover` step's function (panic.ts)

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
  // m and the kind-specific fields are set by whoever pushes the frame, through its view.
  setDepth(ctx, d + 1);
  return f;
}

export function popFrame(ctx: i32): void { setDepth(ctx, depthOf(ctx) - 1); }

/** usedGs: the goroutine count the last run reached (only those depths can be non-zero). */
export function resetFrames(usedGs: i32): void {
  timelineDepth = 0;
  clearTouched(GDEPTHS_LOCATION, usedGs, 4, MAX_GS, 'goroutine frame depths');
}

if (offsetof<Frame>() != FRAME_SIZE || offsetof<RepeatFrame>() != FRAME_SIZE || offsetof<CallFrame>() != FRAME_SIZE ||
  offsetof<CallbackFrame>() != FRAME_SIZE || offsetof<CgocallFrame>() != FRAME_SIZE || offsetof<SignalFrame>() != FRAME_SIZE ||
  offsetof<GoroutineFrame>() != FRAME_SIZE || offsetof<RecoverFrame>() != FRAME_SIZE) ERROR('a frame view\'s size differs from FRAME_SIZE');
// The views share the header's layout (each declares it first, in the same order and types).
if (offsetof<CallbackFrame>('m') != offsetof<Frame>('m') || offsetof<CgocallFrame>('m') != offsetof<Frame>('m') ||
  offsetof<SignalFrame>('m') != offsetof<Frame>('m') || offsetof<GoroutineFrame>('m') != offsetof<Frame>('m') ||
  offsetof<CallFrame>('m') != offsetof<Frame>('m') || offsetof<RepeatFrame>('m') != offsetof<Frame>('m') ||
  offsetof<RecoverFrame>('m') != offsetof<Frame>('m')) {
  ERROR('a frame view\'s header differs from Frame\'s');
}

// The views. The kind is checked in the debug core; release compiles the checks away.
// @ts-ignore: decorator
@inline export function repeatFrame(f: Frame): RepeatFrame { assert(f.kind == FK_REPEAT, 'not a repeat frame'); return changetype<RepeatFrame>(f); }
// @ts-ignore: decorator
@inline export function callFrame(f: Frame): CallFrame { assert(f.kind == FK_CALL, 'not a call frame'); return changetype<CallFrame>(f); }
// @ts-ignore: decorator
@inline export function callbackFrame(f: Frame): CallbackFrame { assert(f.kind == FK_CALLBACK, 'not a callback frame'); return changetype<CallbackFrame>(f); }
// @ts-ignore: decorator
@inline export function cgocallFrame(f: Frame): CgocallFrame { assert(f.kind == FK_CGOCALL, 'not a cgocall frame'); return changetype<CgocallFrame>(f); }
// @ts-ignore: decorator
@inline export function signalFrame(f: Frame): SignalFrame { assert(f.kind == FK_SIGNAL, 'not a signal frame'); return changetype<SignalFrame>(f); }
// @ts-ignore: decorator
@inline export function goroutineFrame(f: Frame): GoroutineFrame { assert(f.kind == FK_GOROUTINE, 'not a goroutine frame'); return changetype<GoroutineFrame>(f); }
// @ts-ignore: decorator
@inline export function recoverFrame(f: Frame): RecoverFrame { assert(f.kind == FK_RECOVER, 'not a recover frame'); return changetype<RecoverFrame>(f); }
