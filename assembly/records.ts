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

import {
  GREC_GOID, GREC_IN_USE, GREC_INSTANCE_OF, GREC_IS_G0, GREC_M, GREC_PREEMPT_SHRINK, GREC_SCHED_BP, GREC_SCHED_PC,
  GREC_SCHED_SP, GREC_STACKGUARD0, GREC_STACKGUARD1, GREC_STACK_HI, GREC_STACK_LO, GREC_STATUS,
  GREC_SYSCALLBP, GREC_SYSCALLSP, G_SIZE, MREC_CURG, MREC_LOCKEDG, MREC_G0, MREC_G0_STACK_ACCURATE, MREC_ID, MREC_IN_USE,
  MREC_ISEXTRA, MREC_IS_EXTRA_IN_C, MREC_LOCKED_EXT, MREC_LOCKED_INT, MREC_NCGO, MREC_ON_EXTRA_LIST,
  MREC_PROCID, MREC_SCHEDLINK, MREC_THREAD, M_SIZE, REGION_SIZE, THREAD_SIZE, TREC_BOUND_G0, TREC_SP,
  TREC_STACK_HI, TREC_STACK_LO, TREC_STATE, TREC_TID,
} from './abi';
import { gPtr, mPtr, regionPtr, threadPtr } from './memory';

// CThread (THREAD_SIZE), 128 bytes
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 stackLo u64                                 │ 8 stackHi u64                                 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 curLo u64                                  │ 24 curHi u64                                  │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 sp u64                                     │ 40 tid u64                                    │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 tlsG u32           │ 52 boundG0 u32        │ 56 state u32          │ 60 flags u32          │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 64 curRegion u32      │ 68 m u32              │ 72 depth u32          │ 76 region u32         │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 80 ownStackSp u64                             │ 88 gsignalLo u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 96 gsignalHi u64                              │ 104 gsignalSp u64                             │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 112 altLo u64                                 │ 120 altHi u64                                 │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
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
  ownStackSp: u64;   // its SP on its own stack, saved while it runs on a coroutine block (swapcontext)
  gsignalLo: u64;    // while TF_ON_GSIGNAL: the signal stack its handler runs on
  gsignalHi: u64;
  gsignalSp: u64;    // while TF_ON_GSIGNAL: the handler's SP
  altLo: u64;        // sigaltstack(2) of this thread: [altLo, altHi); altHi == 0: SS_DISABLE
  altHi: u64;        //   (with TF_ALT_GSIGNAL and altHi == 0: its M's gsignal, not placed yet)
}

// M (M_SIZE), 128 bytes: g0 bounds live in the g0's G record
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 procid u64                                  │ 8 ncgocall u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 id i32             │ 20 g0 u32             │ 24 curg u32           │ 28 thread u32         │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 ncgo i32           │ 36 incgo u32          │ 40 isextra u32        │ 44 isExtraInC u32     │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 isExtraInSig u32   │ 52 needextram u32     │ 56 lockedInt u32      │ 60 lockedExt u32      │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 64 lockedg u32        │ 68 g0StackAccurate u32│ 72 schedlink u32      │ 76 onExtraList u32    │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 80 inUse u32          │ 84 newSigstack u32    │ 88 gsignalLo u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 96 gsignalHi u64                              │ 104 goSigLo u64                               │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 112 goSigHi u64                               │ 120 pad5 u64                                  │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
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
  newSigstack: u32;     // minit installed gsignal as the thread's sigaltstack (unminit disables it)
  gsignalLo: u64;       // gsignal.stack: malg(32 KiB), placed the first time a signal runs on it
  gsignalHi: u64;       //   (0: not placed yet); a sigaltstack non-Go code set, while adopted
  goSigLo: u64;         // goSigStack: gsignal's own stack, saved while it uses one non-Go code set
  goSigHi: u64;
  pad5: u64;
}

// G (G_SIZE), 168 bytes: a goroutine, or an M's g0 (then only the stack fields and sched.sp matter)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 stackLo u64                                 │ 8 stackHi u64                                 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 stackguard0 u64                            │ 24 stackguard1 u64                            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 schedSp u64                                │ 40 schedPc u64                                │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 schedBp u64                                │ 56 syscallsp u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 64 syscallpc u64                              │ 72 syscallbp u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 80 goid u64                                   │ 88 m u32              │ 92 status u32         │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 96 throwsplit u32     │ 100 lockedm u32       │ 104 isG0 u32          │ 108 region u32        │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 112 inUse u32         │ 116 preemptShrink u32 │ 120 stktopsp u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 128 preempt u32       │ 132 waitreason u32    │ 136 waitOn u32        │ 140 waitSeq u32       │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 144 wakeAt u64                                │ 152 lastSameTid u32   │ 156 noCallback u32    │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 160 instanceOf u32    │ 164 latest u32        │
//  └───────────────────────────────────────────────┘
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
  waitOn: u32;       // what it is parked on (sync.ts: object + 1 | direction << 16), 0: nothing
  waitSeq: u32;      // when it started waiting: wait queues are FIFO
  wakeAt: u64;       // time.Sleep: the simulated time its timer fires (ns)
  lastSameTid: u32;  // assert sameThread: the tid it ran on at its previous check (tids start at PID_BASE; 0: none yet)
  noCallback: u32;   // in a call of a C function marked #cgo nocallback (runtime.cgoNoCallback)
  instanceOf: u32;   // +1: the `go` step's goroutine (host index) this record runs for, when the step is repeated
  latest: u32;       // +1, on a host goroutine's own record: the record of its latest run (0: this one)
}

// Thread states and flags, Go's status values and region kinds are in abi.ts (the host reads them).

// Region (REGION_SIZE), 32 bytes
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 lo u64                                      │ 8 hi u64                                      │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 kind u32           │ 20 state u32          │ 24 owner u32          │ 28 poison u32         │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
@unmanaged
export class Region {
  lo: u64;
  hi: u64;
  kind: u32;     // RK_*
  state: u32;    // RS_*
  owner: u32;    // the thread/block/G it belongs to (host's index), kind-dependent
  poison: u32;   // freed, poison not written yet: POISON_PENDING | the byte (regions.ts); else 0
}

// @ts-ignore: decorator
@inline export function thread(i: i32): CThread { return changetype<CThread>(threadPtr(i)); }
// @ts-ignore: decorator
@inline export function mrec(i: i32): M { return changetype<M>(mPtr(i)); }
// @ts-ignore: decorator
@inline export function grec(i: i32): G { return changetype<G>(gPtr(i)); }
// @ts-ignore: decorator
@inline export function region(i: i32): Region { return changetype<Region>(regionPtr(i)); }

// The records' sizes and the offsets the host reads (abi.ts) are checked when the core compiles.
if (offsetof<CThread>() != THREAD_SIZE || offsetof<M>() != M_SIZE || offsetof<G>() != G_SIZE ||
  offsetof<Region>() != REGION_SIZE) ERROR('a record\'s size differs from abi.ts');
if (offsetof<CThread>('stackLo') != TREC_STACK_LO || offsetof<CThread>('stackHi') != TREC_STACK_HI ||
  offsetof<CThread>('sp') != TREC_SP || offsetof<CThread>('tid') != TREC_TID ||
  offsetof<CThread>('boundG0') != TREC_BOUND_G0 || offsetof<CThread>('state') != TREC_STATE) {
  ERROR('CThread\'s fields differ from the TREC_* offsets in abi.ts');
}
if (offsetof<M>('procid') != MREC_PROCID || offsetof<M>('id') != MREC_ID || offsetof<M>('g0') != MREC_G0 ||
  offsetof<M>('thread') != MREC_THREAD || offsetof<M>('ncgo') != MREC_NCGO || offsetof<M>('isextra') != MREC_ISEXTRA ||
  offsetof<M>('isExtraInC') != MREC_IS_EXTRA_IN_C || offsetof<M>('lockedInt') != MREC_LOCKED_INT ||
  offsetof<M>('lockedExt') != MREC_LOCKED_EXT || offsetof<M>('g0StackAccurate') != MREC_G0_STACK_ACCURATE ||
  offsetof<M>('schedlink') != MREC_SCHEDLINK || offsetof<M>('onExtraList') != MREC_ON_EXTRA_LIST ||
  offsetof<M>('inUse') != MREC_IN_USE || offsetof<M>('curg') != MREC_CURG || offsetof<M>('lockedg') != MREC_LOCKEDG) {
  ERROR('M\'s fields differ from the MREC_* offsets in abi.ts');
}
if (offsetof<G>('stackLo') != GREC_STACK_LO || offsetof<G>('stackHi') != GREC_STACK_HI ||
  offsetof<G>('stackguard0') != GREC_STACKGUARD0 || offsetof<G>('stackguard1') != GREC_STACKGUARD1 ||
  offsetof<G>('schedSp') != GREC_SCHED_SP || offsetof<G>('schedPc') != GREC_SCHED_PC ||
  offsetof<G>('schedBp') != GREC_SCHED_BP || offsetof<G>('syscallsp') != GREC_SYSCALLSP ||
  offsetof<G>('syscallbp') != GREC_SYSCALLBP || offsetof<G>('goid') != GREC_GOID || offsetof<G>('m') != GREC_M ||
  offsetof<G>('status') != GREC_STATUS || offsetof<G>('isG0') != GREC_IS_G0 || offsetof<G>('inUse') != GREC_IN_USE ||
  offsetof<G>('preemptShrink') != GREC_PREEMPT_SHRINK || offsetof<G>('instanceOf') != GREC_INSTANCE_OF) {
  ERROR('G\'s fields differ from the GREC_* offsets in abi.ts');
}
