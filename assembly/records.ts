// Records: the model's entities as raw structs in linear memory.
//
// Glossary (Go runtime vocabulary, src/runtime/runtime2.go):
//   CThread  an OS thread. C-created (pthread_create in the scenario) or Go-created (the thread of
//            a Go M). It knows its pthread stack, the stack it runs on now (a coroutine block after
//            swapcontext), its C stack pointer, and what Go keeps in its TLS.
//   M        a Go machine. Extra Ms serve C-created threads; normal Ms are created by Go.
//   G        a goroutine, or an M's g0 (the system stack: bounds only, no Go frames).
//   Region   a range of simulated memory with an owner and a state (live or freed).
//
// Indices, not pointers, link the records: an index + 1 in a u32 field, so 0 means nil.

import { threadPtr, mPtr, gPtr, regionPtr, THREAD_SIZE, M_SIZE, G_SIZE, REGION_SIZE } from './memory';

// CThread, 128 bytes
//  ┌────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────┐
//  │ 0 stackLo│8 stackHi│16 curLo  │24 curHi  │32 sp     │40 tid  │48 …u32 │
//  └────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────┘
//  48 tlsG  52 boundG0  56 state  60 flags  64 curRegion  68 m  72 depth  76 region
//  80 spBeforeCall (scratch, unused)
@unmanaged
export class CThread {
  stackLo: u64;      // pthread stack as created: what pthread_getattr_np reports
  stackHi: u64;
  curLo: u64;        // the stack it runs on now
  curHi: u64;
  sp: u64;           // current C stack pointer
  tid: u64;          // procid of an M running on this thread
  tlsG: u32;         // Go's g in TLS (G index + 1); nil while not bound
  boundG0: u32;      // pthread_getspecific(pthread_g): the bound g0 (G index + 1), go1.21+
  state: u32;        // THREAD_*
  flags: u32;        // TF_*
  curRegion: u32;    // region of the current stack (+1)
  m: u32;            // M running Go on this thread now, or owning it (Go-created) (+1)
  depth: u32;        // interpreter frame-stack depth
  region: u32;       // region of the pthread stack (+1)
  pad0: u64;
  pad1: u64;
  pad2: u64;
  pad3: u64;
  pad4: u64;
  pad5: u64;
}

// @ts-ignore: decorator
@inline export const THREAD_UNUSED: u32 = 0;
// @ts-ignore: decorator
@inline export const THREAD_LIVE: u32 = 1;
// @ts-ignore: decorator
@inline export const THREAD_EXITED: u32 = 2;

// @ts-ignore: decorator
@inline export const TF_MAIN: u32 = 1;       // the process's main thread
// @ts-ignore: decorator
@inline export const TF_GO: u32 = 2;         // created by Go for an M
// @ts-ignore: decorator
@inline export const TF_BLOCKED: u32 = 4;    // blocked in C (a `block` op), waiting for `resume`
// @ts-ignore: decorator
@inline export const TF_ON_GSIGNAL: u32 = 8; // running a signal handler on its M's gsignal (pad1..pad3: its bounds, SP)

// M, 128 bytes
//  0 procid  8 schedlink(u32)… see fields; g0 bounds live in the g0's G record.
@unmanaged
export class M {
  procid: u64;          // tid of the thread it runs on
  ncgocall: u64;
  id: i32;
  g0: u32;              // +1
  curg: u32;            // +1
  thread: u32;          // +1: the thread it is running on (0 while on the extra list)
  ncgo: i32;            // cgo calls in progress on this M (Go frames above C on its stack)
  incgo: u32;           // bool
  isextra: u32;
  isExtraInC: u32;
  isExtraInSig: u32;
  needextram: u32;
  lockedInt: u32;
  lockedExt: u32;
  lockedg: u32;         // +1
  g0StackAccurate: u32; // go1.23.5+ / tip
  schedlink: u32;       // +1: next on the extra-M list
  onExtraList: u32;
  inUse: u32;           // record allocated
  pad0: u32;
  pad1: u64;
  pad2: u64;
  pad3: u64;
  pad4: u64;
  pad5: u64;
}

// G, 128 bytes: a goroutine, or an M's g0 (then only the stack fields and sched.sp matter).
@unmanaged
export class G {
  stackLo: u64;
  stackHi: u64;
  stackguard0: u64;
  stackguard1: u64;
  schedSp: u64;
  schedPc: u64;
  schedBp: u64;
  syscallsp: u64;
  syscallpc: u64;
  syscallbp: u64;
  goid: u64;
  m: u32;            // +1
  status: u32;       // G_* (Go's _G* values)
  throwsplit: u32;
  lockedm: u32;      // +1
  isG0: u32;
  region: u32;       // +1: region of its stack
  inUse: u32;
  preemptShrink: u32;
  stktopsp: u64;
  preempt: u32;      // duplicates stackguard0 == stackPreempt, and survives a syscall
  waitreason: u32;   // WR_* while _Gwaiting
  gpad1: u64;
  gpad2: u64;
  gpad3: u64;
}

// Go's status values (src/runtime/runtime2.go).
// @ts-ignore: decorator
@inline export const G_IDLE: u32 = 0;
// @ts-ignore: decorator
@inline export const G_RUNNABLE: u32 = 1;
// @ts-ignore: decorator
@inline export const G_RUNNING: u32 = 2;
// @ts-ignore: decorator
@inline export const G_SYSCALL: u32 = 3;
// @ts-ignore: decorator
@inline export const G_WAITING: u32 = 4;
// @ts-ignore: decorator
@inline export const G_DEAD: u32 = 6;

// Region, 32 bytes
//  ┌──────────┬──────────┬────────┬────────┬────────┬────────┐
//  │ 0 lo     │ 8 hi     │16 kind │20 state│24 owner│28 pad  │
//  └──────────┴──────────┴────────┴────────┴────────┴────────┘
@unmanaged
export class Region {
  lo: u64;
  hi: u64;
  kind: u32;     // RK_*
  state: u32;    // RS_*
  owner: u32;    // the thread/block/G it belongs to (host's index), kind-dependent
  pad: u32;
}

// @ts-ignore: decorator
@inline export const RK_THREAD_STACK: u32 = 1;  // a C thread's pthread stack
// @ts-ignore: decorator
@inline export const RK_MALLOC: u32 = 2;        // a malloc'd block (coroutine stacks)
// @ts-ignore: decorator
@inline export const RK_GO_STACK: u32 = 3;      // a goroutine stack
// @ts-ignore: decorator
@inline export const RK_M_STACK: u32 = 4;       // the thread stack of a Go-created M

// @ts-ignore: decorator
@inline export const RS_FREE_SLOT: u32 = 0;
// @ts-ignore: decorator
@inline export const RS_LIVE: u32 = 1;
// @ts-ignore: decorator
@inline export const RS_FREED: u32 = 2;

// @ts-ignore: decorator
@inline export function thread(i: i32): CThread { return changetype<CThread>(threadPtr(i)); }
// @ts-ignore: decorator
@inline export function mrec(i: i32): M { return changetype<M>(mPtr(i)); }
// @ts-ignore: decorator
@inline export function grec(i: i32): G { return changetype<G>(gPtr(i)); }
// @ts-ignore: decorator
@inline export function region(i: i32): Region { return changetype<Region>(regionPtr(i)); }

export function checkRecordLayouts(): bool {
  // The host reads these fields at fixed offsets (src/core.ts): keep both in step.
  return offsetof<CThread>() == THREAD_SIZE && offsetof<M>() == M_SIZE && offsetof<G>() == G_SIZE &&
    offsetof<Region>() == REGION_SIZE &&
    offsetof<CThread>('sp') == 32 && offsetof<CThread>('tid') == 40 && offsetof<CThread>('boundG0') == 52 &&
    offsetof<CThread>('state') == 56 &&
    offsetof<M>('id') == 16 && offsetof<M>('g0') == 20 && offsetof<M>('thread') == 28 && offsetof<M>('ncgo') == 32 &&
    offsetof<M>('isextra') == 40 && offsetof<M>('lockedInt') == 56 && offsetof<M>('lockedExt') == 60 &&
    offsetof<M>('g0StackAccurate') == 68 && offsetof<M>('schedlink') == 72 && offsetof<M>('onExtraList') == 76 &&
    offsetof<M>('inUse') == 80 &&
    offsetof<G>('stackguard0') == 16 && offsetof<G>('stackguard1') == 24 && offsetof<G>('goid') == 80 &&
    offsetof<G>('m') == 88 && offsetof<G>('schedSp') == 32 && offsetof<G>('schedPc') == 40 &&
    offsetof<G>('schedBp') == 48 && offsetof<G>('syscallsp') == 56 && offsetof<G>('syscallbp') == 72 &&
    offsetof<G>('status') == 92 && offsetof<G>('isG0') == 104 && offsetof<G>('inUse') == 112 &&
    offsetof<G>('preemptShrink') == 116;
}
