// The Wasm boundary: every number the host and the core must agree on, declared once, by name.
//
// The host never types one of these numbers itself. `npm run build` runs scripts/gen-abi.mjs,
// which reads this file and memory.ts (the memory map) and writes src/core/abi.ts, the host's
// copy; the host imports from there. So a change here reaches both sides in the same build, and a
// host built from other sources than the core refuses the core (instance.ts compares MAP_END).
//
// Rules the generator enforces: each top-level constant is a literal, or arithmetic on literals
// and constants above it; it has a type (u64/i64 become bigints on the host, the rest numbers).
// A line `// abi-group: NAME = PREFIX_` also gives the host an object of that prefix's constants.
//
// What is here: stop codes, op codes and the op record, the config block, the result area, crash,
// input-error and counter indices, event kinds and the event record, limits and record sizes, the
// offsets of record fields the host reads, profile flag bits, platforms and GODEBUG bits, and the
// ids the host names (runtime functions, interleaving points, wait reasons, statuses, region kinds).
// Relations between these numbers are asserted at compile time at the end of this file.

// abi-group: STOP = STOP_
// Why a run stopped.
// @ts-ignore: decorator
@inline export const STOP_RUNNING: u32 = 0;
// @ts-ignore: decorator
@inline export const STOP_DONE: u32 = 1;
// @ts-ignore: decorator
@inline export const STOP_CRASH: u32 = 2;
// @ts-ignore: decorator
@inline export const STOP_UAF: u32 = 3;
// @ts-ignore: decorator
@inline export const STOP_BUDGET: u32 = 4;
// @ts-ignore: decorator
@inline export const STOP_INVALID: u32 = 5;
// @ts-ignore: decorator
@inline export const STOP_DEADLINE: u32 = 6;   // the host's wall-clock deadline passed
// @ts-ignore: decorator
@inline export const STOP_FAILED: u32 = 7;   // the program's own check failed (an `assert` step)

// abi-group: WORK = WORK_
// What a run was doing when its budget or deadline ran out (results.ts; the host words the message).
// The core stores it at RES_CRASH_KIND and the op at RES_CRASH_OP when it stops with STOP_BUDGET or
// STOP_DEADLINE.
export const WORK_OPS: u32 = 1;         // running ops
export const WORK_REPEAT: u32 = 2;      // turning a `repeat` loop
export const WORK_PUSH: u32 = 3;        // pushing frames (calls, `grow`)
export const WORK_RETURN: u32 = 4;      // returning from frames
export const WORK_WALK: u32 = 5;        // walking a goroutine's frames (GC scan, relocation)
export const WORK_MEMORY: u32 = 6;      // filling or copying simulated memory
export const WORK_REGIONS: u32 = 7;     // searching the region table
export const WORK_TRACE: u32 = 8;       // the tracer's frame-pointer walks
export const WORK_GOROUTINES: u32 = 10; // visiting every goroutine (GC, tracer)
export const WORK_WAIT: u32 = 11;       // waiting in a `join` (running what is runnable, firing timers)

// The one function the core imports from the host besides abort: the module `env`, the name
// `deadlinePassed`, no arguments, an i32 (non-zero: the run's deadline has passed). The core calls it
// every CFG_DEADLINE_CHECK steps of a run that has a deadline or a progress report, never per event,
// right after writing the steps used so far to the result area's stepsUsed (the host's progress
// report reads them there). (The declaration is in results.ts; i32, not bool, because asc's raw
// bindings would wrap a bool import.)
// @ts-ignore: decorator
@inline export const DEADLINE_CHECK_STEPS: u32 = 1 << 17;   // what the host writes there (a few ms)
@inline export const STOP_CORRUPT: u32 = 8;  // g0 frames ran off their stack onto another live region

// ---- ops ----
//
// Op record, OP_SIZE bytes (the host's compiler writes it, the interpreter decodes it)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 code u32            │ 4 a u32               │ 8 start u32           │ 12 end u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 d u32              │ 20 e u32              │ 24 x u64                                      │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 y u64                                      │ 40 z u64                                      │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 w u64                                      │ 56 v u64                                      │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
// start and end bound the op's body: the ops [start, end) of the stream.
//
//  code            a              d                e               x, y, z, w, v
//  THREAD          thread         TF_MAIN bit      -               stack lo, hi
//  MALLOC          block          MALLOC_* bits    -               size, at
//  FREE            block
//  CARVE           thread         block            -               size
//  SWITCH          thread         block+1 (0: own stack)
//  CALLBACK        thread         1 if sp given    1: a signal arrives during its needm   sp
//  SIGNAL          thread         1 if sp given    -               sp  (Go body: no thread, no sp)
//  SIGALTSTACK     thread         block+1 (0: SS_DISABLE)
//  OS_EXIT (Go body)  -           1: race build (racefini runs the C destructors)
//  ATEXIT (C body) ; body: the destructor, run by exit() under racefini
//  EXIT            thread
//  GO              goroutine      M slot           GO_M_MAIN: m0, GO_REPEATED   g lo, g hi, m lo, m hi, goid
//  RESUME          goroutine/thread               1: a is a thread
//  REPEAT          count (in a)
//  SYSTEMSTACK, CGOCALL (body), LOCK, UNLOCK, C_STACK (x = bytes), C_BLOCK
//  CALL            function       depth (frames)                   ; body: runs inside them
//  GROW            -              -                -               bytes in use to reach
//  GC              (timeline or Go body)
//  SETMAXSTACK     -              -                -               bytes
//  TRACE_START, TRACE_ADVANCE, TRACE_STOP (timeline)
//  PREEMPT         goroutine (timeline; Go body: itself)  resumeOn M slot + 1
//  GOSCHED (Go body)
//  PARK            wait reason
//  READMEMSTATS (Go body)
//  AT              point          goroutine + 1 (0: any)          ; body: the steps to run there
//  ASSERT          check (ASSERT_*)  1: a value to compare is given  expected (0/1 for bools)  x = value
//  RECOVER         panic value + 1 (0: any)                        ; body: runs in the function
//  PANIC           panic value + 1
//  GOEXIT (Go body)
//  CGOCALL         -              1: #cgo nocallback
//  THREAD in a C body: x = stack size; body: the Go function its start routine calls
//  GO in a Go body goroutine      -                1 (newproc) | GO_REPEATED   g lo, g hi, -, -, goid
//  MAKECHAN        sync object    -                -               capacity
//  SEND, RECV, CLOSE, WG_WAIT     sync object
//  WG_ADD          sync object    -                -               delta (i64)
//  SLEEP           -              -                -               nanoseconds
//  JOIN            thread
//  PULL            sync object    goroutine (the coroutine's)  -  x: -  v: goid   ; body: the iterator
//  NEXT, YIELD, STOP  sync object (a coroutine)
//
// Timeline ops name their thread in `a`; the same ops inside a C body act on the running thread.

// @ts-ignore: decorator
@inline export const OP_SIZE: i32 = 64;
// @ts-ignore: decorator
@inline export const OPR_CODE: i32 = 0;
// @ts-ignore: decorator
@inline export const OPR_A: i32 = 4;
// @ts-ignore: decorator
@inline export const OPR_START: i32 = 8;
// @ts-ignore: decorator
@inline export const OPR_END: i32 = 12;
// @ts-ignore: decorator
@inline export const OPR_D: i32 = 16;
// @ts-ignore: decorator
@inline export const OPR_E: i32 = 20;
// @ts-ignore: decorator
@inline export const OPR_X: i32 = 24;
// @ts-ignore: decorator
@inline export const OPR_Y: i32 = 32;
// @ts-ignore: decorator
@inline export const OPR_Z: i32 = 40;
// @ts-ignore: decorator
@inline export const OPR_W: i32 = 48;
// @ts-ignore: decorator
@inline export const OPR_V: i32 = 56;

// abi-group: OP = OP_
export const OP_THREAD: u32 = 1;
export const OP_MALLOC: u32 = 2;
export const OP_FREE: u32 = 3;
export const OP_SWITCH: u32 = 4;
export const OP_CALLBACK: u32 = 5;
export const OP_SIGNAL: u32 = 6;
export const OP_EXIT: u32 = 7;
export const OP_GO: u32 = 8;
export const OP_RESUME: u32 = 9;
export const OP_REPEAT: u32 = 10;
export const OP_SYSTEMSTACK: u32 = 20;
export const OP_CGOCALL: u32 = 21;
export const OP_LOCK: u32 = 22;
export const OP_UNLOCK: u32 = 23;
export const OP_CALL: u32 = 24;
export const OP_GROW: u32 = 25;
export const OP_GC: u32 = 26;
export const OP_SETMAXSTACK: u32 = 27;
export const OP_C_STACK: u32 = 30;
export const OP_C_BLOCK: u32 = 33;
export const OP_TRACE_START: u32 = 34;
export const OP_TRACE_ADVANCE: u32 = 35;
export const OP_TRACE_STOP: u32 = 36;
export const OP_PREEMPT: u32 = 37;
export const OP_GOSCHED: u32 = 38;
export const OP_AT: u32 = 39;
export const OP_PARK: u32 = 40;
export const OP_READMEMSTATS: u32 = 41;
export const OP_ASSERT: u32 = 42;
export const OP_RECOVER: u32 = 43;
export const OP_PANIC: u32 = 44;
export const OP_GOEXIT: u32 = 45;
export const OP_MAKECHAN: u32 = 46;
export const OP_SEND: u32 = 47;
export const OP_RECV: u32 = 48;
export const OP_CLOSE: u32 = 49;
export const OP_SLEEP: u32 = 50;
export const OP_WG_ADD: u32 = 51;
export const OP_WG_WAIT: u32 = 52;
export const OP_JOIN: u32 = 53;
export const OP_PULL: u32 = 54;
export const OP_NEXT: u32 = 55;
export const OP_YIELD: u32 = 56;
export const OP_STOP: u32 = 57;
export const OP_SIGALTSTACK: u32 = 70;
export const OP_OS_EXIT: u32 = 71;
export const OP_ATEXIT: u32 = 72;
export const OP_CARVE: u32 = 73;
// The largest op code: the interpreter's decode bound.
// @ts-ignore: decorator
@inline export const MAX_OP_CODE: u32 = 73;

// A `go` op's e bit: its M is m0, on the process's main thread.
// @ts-ignore: decorator
@inline export const GO_M_MAIN: u32 = 2;
// A `go` op's e bit: the step stands inside a `repeat`, so each run of it starts a goroutine of its
// own (a record of its own while the previous one lives; cgocall.ts goInstance).
// @ts-ignore: decorator
@inline export const GO_REPEATED: u32 = 4;

// What an `assert` step checks (OP_ASSERT's a): the program's own checks, as Go's cgo tests make them.
// abi-group: ASSERT = ASSERT_
export const ASSERT_SAME_M: u32 = 1;           // getm() is the M this thread had at its last sameM check
export const ASSERT_SAME_THREAD: u32 = 2;      // gettid() is the thread this goroutine had at its last check
export const ASSERT_NUM_GOROUTINE: u32 = 3;    // runtime.NumGoroutine() == x
export const ASSERT_EXTRA_M_IN_USE: u32 = 4;   // extraMInUse == x
export const ASSERT_TRACEBACK_CONTEXTS: u32 = 5; // cgo traceback contexts not yet released == x
export const ASSERT_LOCKED: u32 = 6;           // lockedOSThread() == x (0 or 1)
export const ASSERT_RECOVERED: u32 = 7;        // a `recover` step's value: got/want are panic values + 1 (0: none)
export const ASSERT_SAVED_M: u32 = 8;          // getm() is the M the process's first savedM check saved (any thread)

// A `preempt` in an `at` step list without a goroutine: the one at the point.
// @ts-ignore: decorator
@inline export const PREEMPT_HOOK_G: u32 = 0xffffffff;

// ---- config block (the host writes it before each run) ----
//
// Config, CONFIG_SIZE bytes (godebug: GODEBUG_* bits; strategy: STRATEGY_*; deadlineCheck: steps
// between the host's clock checks, 0: no deadline)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 windowBase u64                              │ 8 windowSize u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 flags u64                                  │ 24 budget u64                                 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 g0CheckDepth u64                           │ 40 goidBase u64                               │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 nOps u32           │ 52 timelineEnd u32    │ 56 nThreads u32       │ 60 nGs u32            │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 64 nMs u32            │ 68 nBlocks u32        │ 72 platform u32       │ 76 runtimeStarted u32 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 80 recordEvents u32   │ 84 nFuncs u32         │ 88 godebug u32        │ 92 -                  │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 96 maxStack u64                               │ 104 seed u64                                  │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 112 strategy u32      │ 116 tracebackContext u32 │ 120 interpreterOnly u32 │ 124 deadlineCheck u32 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 128 physical u32      │ 132 - (to 192: the map keeps tables 64-byte aligned)                  │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
// physical: PHYS_* bits, what the scenario says for the physical model (a live netpoller, the
// malloc policy); whether the model is on for a run is the platform word's PLATFORM_WORD_PHYSICAL.
// The platform word (72) carries the platform id in bits 0-7, the frame-size class of the
// release (PHYS_CLASS_*, physical.ts) in bits 8-15 and PLATFORM_WORD_PHYSICAL (bit 16).

// @ts-ignore: decorator
@inline export const CONFIG_SIZE: i32 = 192;  // a multiple of 64 (memory.ts)
// @ts-ignore: decorator
@inline export const CFG_WINDOW_BASE: i32 = 0;
// @ts-ignore: decorator
@inline export const CFG_WINDOW_SIZE: i32 = 8;
// @ts-ignore: decorator
@inline export const CFG_FLAGS: i32 = 16;
// @ts-ignore: decorator
@inline export const CFG_BUDGET: i32 = 24;
// @ts-ignore: decorator
@inline export const CFG_G0_CHECK_DEPTH: i32 = 32;
// @ts-ignore: decorator
@inline export const CFG_GOID_BASE: i32 = 40;
// @ts-ignore: decorator
@inline export const CFG_N_OPS: i32 = 48;
// @ts-ignore: decorator
@inline export const CFG_TIMELINE_END: i32 = 52;
// @ts-ignore: decorator
@inline export const CFG_N_THREADS: i32 = 56;
// @ts-ignore: decorator
@inline export const CFG_N_GS: i32 = 60;
// @ts-ignore: decorator
@inline export const CFG_N_MS: i32 = 64;
// @ts-ignore: decorator
@inline export const CFG_N_BLOCKS: i32 = 68;
// @ts-ignore: decorator
@inline export const CFG_PLATFORM: i32 = 72;
// @ts-ignore: decorator
@inline export const CFG_RUNTIME_STARTED: i32 = 76;
// @ts-ignore: decorator
@inline export const CFG_RECORD_EVENTS: i32 = 80;
// @ts-ignore: decorator
@inline export const CFG_N_FUNCS: i32 = 84;
// @ts-ignore: decorator
@inline export const CFG_GODEBUG: i32 = 88;
// @ts-ignore: decorator
@inline export const CFG_MAX_STACK: i32 = 96;
// @ts-ignore: decorator
@inline export const CFG_SEED: i32 = 104;
// @ts-ignore: decorator
@inline export const CFG_STRATEGY: i32 = 112;
// @ts-ignore: decorator
@inline export const CFG_TRACEBACK_CONTEXT: i32 = 116;
// @ts-ignore: decorator
@inline export const CFG_INTERPRETER_ONLY: i32 = 120;  // 1: no fused fast paths (the reference switch)
// @ts-ignore: decorator
@inline export const CFG_DEADLINE_CHECK: i32 = 124;    // steps between deadline checks; 0: no deadline
@inline export const CFG_PHYSICAL: i32 = 128;
// Bits of the physical word.
// @ts-ignore: decorator
@inline export const PHYS_NETPOLL: u32 = 1;     // the network poller is initialized (timers, files, sockets)
// @ts-ignore: decorator
@inline export const PHYS_MALLOC_MUSL: u32 = 2; // malloc without `at` places blocks as musl does
// @ts-ignore: decorator
@inline export const PHYS_MALLOC_GLIBC: u32 = 4; // malloc without `at` places blocks in glibc's arena
// (Neither malloc bit: the platform's C library under the physical model, else the simulator's own
// arena placement, as before the physical model.)
// Frame-size classes: which release's measured frames the physical model uses (physical.ts).
// abi-group: PHYS_CLASS = PHYS_CLASS_
// @ts-ignore: decorator
@inline export const PHYS_CLASS_GO119: u32 = 0;  // go1.17 - go1.20 (measured on go1.19.8)
// @ts-ignore: decorator
@inline export const PHYS_CLASS_GO121: u32 = 1;  // go1.21 (measured on go1.21.13)
// @ts-ignore: decorator
@inline export const PHYS_CLASS_GO122: u32 = 2;  // go1.22 (measured on go1.22.12)
// @ts-ignore: decorator
@inline export const PHYS_CLASS_GO123: u32 = 3;  // go1.23+ (measured on go1.23.5)
// @ts-ignore: decorator
@inline export const PLATFORM_WORD_CLASS_SHIFT: u32 = 8;
// The platform word's bit 16: the physical model is on for this run (opt-in: the scenario's
// `physical`, or the run option). Off, nothing of physical.ts spends bytes and every SP, check
// depth and placement is what it was before the model existed.
// @ts-ignore: decorator
@inline export const PLATFORM_WORD_PHYSICAL: u32 = 1 << 16;

// GODEBUG settings the core reads, as bits of the config's godebug word.
// @ts-ignore: decorator
@inline export const GODEBUG_GCSHRINKSTACKOFF: u32 = 1;
// @ts-ignore: decorator
@inline export const GODEBUG_INVALIDPTR_OFF: u32 = 2;        // invalidptr=0
// @ts-ignore: decorator
@inline export const GODEBUG_TRACECHECKSTACKOWNERSHIP: u32 = 4;

// How the scheduler picks an M (sched.ts).
// @ts-ignore: decorator
@inline export const STRATEGY_RANDOM: u32 = 0;
// @ts-ignore: decorator
@inline export const STRATEGY_PCT: u32 = 1;

// run() returns this instead of a stop code when the window cannot be mapped.
// @ts-ignore: decorator
@inline export const RUN_NO_WINDOW: u32 = 0xffffffff;

// ---- result area (the core writes it; the host reads it after run() returns) ----
//
// Result, RESULT_SIZE bytes (eventsTotal is counted only while recording)
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 stopReason u32      │ 4 crashKind u32       │ 8 crashOp u32         │ 12 crashThread i32    │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 crashM i32         │ 20 crashG i32         │ 24 crashFn u32        │ 28 eventsRecorded u32 │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 32 eventsTotal u64                            │ 40 traceHash u64                              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 48 stepsUsed u64                              │ 56 crashOperands u64[N_CRASH_OPERANDS]        │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 128 counters u64[N_COUNTERS]                                                                  │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘

// @ts-ignore: decorator
@inline export const RESULT_SIZE: i32 = 1024;
// @ts-ignore: decorator
@inline export const RES_STOP_REASON: i32 = 0;
// @ts-ignore: decorator
@inline export const RES_CRASH_KIND: i32 = 4;
// @ts-ignore: decorator
@inline export const RES_CRASH_OP: i32 = 8;
// @ts-ignore: decorator
@inline export const RES_CRASH_THREAD: i32 = 12;
// @ts-ignore: decorator
@inline export const RES_CRASH_M: i32 = 16;
// @ts-ignore: decorator
@inline export const RES_CRASH_G: i32 = 20;
// @ts-ignore: decorator
@inline export const RES_CRASH_FN: i32 = 24;
// @ts-ignore: decorator
@inline export const RES_EVENTS_RECORDED: i32 = 28;
// @ts-ignore: decorator
@inline export const RES_EVENTS_TOTAL: i32 = 32;
// @ts-ignore: decorator
@inline export const RES_TRACE_HASH: i32 = 40;
// @ts-ignore: decorator
@inline export const RES_STEPS_USED: i32 = 48;
// @ts-ignore: decorator
@inline export const RES_CRASH_OPERANDS: i32 = 56;
// @ts-ignore: decorator
@inline export const N_CRASH_OPERANDS: i32 = 8;
// @ts-ignore: decorator
@inline export const RES_COUNTERS: i32 = 128;
// @ts-ignore: decorator
@inline export const N_COUNTERS: i32 = 64;

// Record counts after a run, as counts() leaves them at COUNTS_LOCATION (u32 each).
// @ts-ignore: decorator
@inline export const CNT_THREADS: i32 = 0;
// @ts-ignore: decorator
@inline export const CNT_MS: i32 = 4;
// @ts-ignore: decorator
@inline export const CNT_GS: i32 = 8;
// @ts-ignore: decorator
@inline export const CNT_REGIONS: i32 = 12;
// @ts-ignore: decorator
@inline export const CNT_EXTRA_M: i32 = 16;     // head of the extra-M list, M index + 1

// An event's kind word: the kind in the low bits; a g0 check (EV_G0_CHECK) carries the id of the
// function whose prologue made it (FN_*) above them.
// @ts-ignore: decorator
@inline export const EVENT_KIND_MASK: u32 = 0xff;
// @ts-ignore: decorator
@inline export const EVENT_FN_SHIFT: u32 = 8;

// abi-group: CRASH = CRASH_
// Crash kinds: one per check of the modelled runtime that can end the process.
export const CRASH_MORESTACK_G0: u32 = 1;          // g0 split check failed (§4.2)
export const CRASH_CALLBACK_OOB: u32 = 2;          // callbackUpdateSystemStack, ncgo > 0, SP out of bounds (§10)
export const CRASH_CGO_CALLBACK_BEFORE_CGO: u32 = 3;
export const CRASH_ENTERSYSCALL_SP: u32 = 4;       // reentersyscall: syscallsp outside the goroutine stack
export const CRASH_ENTERSYSCALL_BP: u32 = 5;
export const CRASH_UAF_C_STACK: u32 = 6;           // cgocallback touched a freed C stack block
export const CRASH_LOCK_MISUSE: u32 = 7;           // unlockOSThread with lockedInt == 0
export const CRASH_SPLIT_BAD_TIME: u32 = 8;        // newstack with throwsplit set
export const CRASH_STACK_OVERFLOW: u32 = 9;        // newstack: new size over maxstacksize
export const CRASH_GROWTH_IN_SYSCALL: u32 = 10;    // copystack with syscallsp != 0
export const CRASH_INVALID_POINTER: u32 = 11;      // adjustpointers: 0 < p < minLegalPointer
export const CRASH_SHRINK_BAD_TIME: u32 = 12;      // shrinkstack when !isShrinkStackSafe
export const CRASH_UNKNOWN_PC: u32 = 13;           // the unwinder met a return PC of no function
export const CRASH_UAF_STACK: u32 = 14;            // a read of a freed goroutine stack span
export const CRASH_SPLIT_OVERFLOW: u32 = 15;       // newstack: sched.sp below stack.lo
export const CRASH_SIGSEGV_TRACE: u32 = 16;        // fpTracebackPCs followed a frame pointer off the map
export const CRASH_SCHEDULE_IN_CGO: u32 = 17;      // schedule() on an M with incgo set
export const CRASH_M_CHANGED: u32 = 18;           // cgocallbackg returned on another M
export const CRASH_SIGSEGV_WRONG_M: u32 = 19;     // cgocallback returned into C on an M without its C frames
export const CRASH_MORESTACK_GSIGNAL: u32 = 20;   // split check failed on gsignal
export const CRASH_TRACE_OWNERSHIP: u32 = 21;     // tracecheckstackownership: a stack this thread does not own
export const CRASH_ASSERT: u32 = 22;              // an `assert` step failed: the program's own failure (STOP_FAILED)
export const CRASH_PANIC: u32 = 23;               // a panic nothing recovered: "panic: value", exit 2
export const CRASH_GOEXIT_LOCKED: u32 = 24;       // gdestroy: a goroutine exited while internally locked to its thread
export const CRASH_SEND_CLOSED: u32 = 25;         // chansend on a closed channel (panic)
export const CRASH_CLOSE_CLOSED: u32 = 26;        // closechan on a closed channel (panic)
export const CRASH_WG_NEGATIVE: u32 = 27;         // sync.WaitGroup counter below zero (panic)
export const CRASH_HANG: u32 = 28;                // a join that can never return: nothing left to run or wake
export const CRASH_CORO_LOCK: u32 = 29;           // coroswitch: OS-thread locking differs from the coroutine's creation
export const CRASH_CORO_EXITED: u32 = 30;         // coroswitch on a coroutine that has exited
export const CRASH_SIGSTACK_FAULT: u32 = 40;      // the kernel cannot write the signal frame on the alternate stack: SIGSEGV kills the process
export const CRASH_NO_SIGNAL_STACK: u32 = 41;     // adjustSignalStack → noSignalStack: "non-Go code disabled sigaltstack"
export const CRASH_SIGNAL_NOT_ON_STACK: u32 = 42; // adjustSignalStack → sigNotOnStack: handler without SA_ONSTACK
export const CRASH_EXITSYSCALL_FRAME: u32 = 44;   // exitsyscall: the goroutine is not in a syscall (syscallsp below the caller's SP, or 0)
export const CRASH_NEEDM_DEADLOCK: u32 = 43;      // a signal handler's needm waits for an extra M only the interrupted needm's callback would make
export const CRASH_SIGSEGV_G0_STACK: u32 = 45;    // g0 frames ran off their C stack onto a guard page (physical model)
export const CRASH_CORRUPT: u32 = 46;             // g0 frames ran off their C stack onto another live region (verdict corrupt)

// abi-group: INVALID = INVALID_
// Input errors found while running (state the host cannot see statically).
export const INVALID_THREAD_EXITED: u32 = 100;
export const INVALID_THREAD_BLOCKED: u32 = 101;
export const INVALID_REGION_OVERLAP: u32 = 102;
export const INVALID_NO_SPACE: u32 = 103;
export const INVALID_NOT_BLOCKED: u32 = 104;
export const INVALID_FREED_TWICE: u32 = 105;
export const INVALID_TOO_DEEP: u32 = 106;
export const INVALID_M_BUSY: u32 = 107;
export const INVALID_TOO_MANY: u32 = 108;
export const INVALID_OUTSIDE_WINDOW: u32 = 109;
export const INVALID_NOT_IN_GO: u32 = 110;
export const INVALID_BLOCK_LIVE: u32 = 111;
export const INVALID_C_STACK_OVERFLOW: u32 = 112;
export const INVALID_BAD_SWITCH: u32 = 113;
export const INVALID_M_STACK: u32 = 114;
export const INVALID_THREAD_IN_GO: u32 = 115;
export const INVALID_M_EXITED: u32 = 116;
export const INVALID_SP_OUTSIDE: u32 = 117;   // a callback's sp is not on the stack the thread runs on
export const INVALID_NOCALLBACK_UNSUPPORTED: u32 = 118; // #cgo nocallback: cgo of this release refuses it
export const INVALID_NO_COROUTINES: u32 = 119;  // iter.Pull on a runtime without coroutines (before go1.23)
export const INVALID_BAD_CARVE: u32 = 120;        // carve: the thread is not on its own stack, or it has no room
export const INVALID_TOO_MANY_GS: u32 = 121;      // a repeated `go`: more goroutines alive at once than the goroutine table holds

// abi-names: COUNTER_NAMES = C_
// Counters (index into the counter array). The host's COUNTER_NAMES is generated from these: each
// name is the constant's in camelCase, or the `name:` in its comment.
export const C_CALLBACKS: i32 = 0;
export const C_NEEDM: i32 = 1;
export const C_DROPM: i32 = 2;
export const C_GETSTACKBOUND: i32 = 3;
export const C_BOUNDS_UPDATES: i32 = 4;
export const C_G0_CHECKS: i32 = 5;
export const C_SYSTEMSTACK: i32 = 6;
export const C_CGOCALLS: i32 = 7;
export const C_EXTRA_M_CREATED: i32 = 8;
export const C_BINDM: i32 = 9;
export const C_SIGNALS: i32 = 10;
export const C_THREADS: i32 = 11;
export const C_MALLOCS: i32 = 12;
export const C_FREES: i32 = 13;
export const C_SWITCHES: i32 = 14;
export const C_GOROUTINES: i32 = 15;
export const C_BOUNDS_RESTORES: i32 = 16;
export const C_BOUNDS_FAST_PATH: i32 = 17;
export const C_GETSTACKBOUND_MAIN_THREAD: i32 = 18;
export const C_LOCKOSTHREAD: i32 = 19; // name: lockOSThread
export const C_UNLOCKOSTHREAD: i32 = 20; // name: unlockOSThread
export const C_EXITSYSCALL: i32 = 21;
export const C_REENTERSYSCALL: i32 = 22;
export const C_NESTED_CALLBACKS: i32 = 23;
export const C_BLOCKS: i32 = 24;
export const C_RESUMES: i32 = 25;
export const C_THREAD_EXITS: i32 = 26;
export const C_COPYSTACK: i32 = 27;
export const C_STACK_GROWTHS: i32 = 28;
export const C_STACK_SHRINKS: i32 = 29;
export const C_GC_CYCLES: i32 = 30;
export const C_SHRINKS_DEFERRED: i32 = 31;
export const C_FRAMES_PUSHED: i32 = 32;
export const C_POINTERS_ADJUSTED: i32 = 33;
export const C_FRAMES_ADJUSTED: i32 = 34;
export const C_BYTES_COPIED: i32 = 35;
export const C_TRACE_ADVANCES: i32 = 36;
export const C_TRACE_STACKS: i32 = 37;
export const C_TRACE_FRAMES: i32 = 38;
export const C_PREEMPT_REQUESTS: i32 = 39;
export const C_PREEMPTIONS: i32 = 40;
export const C_SCHEDULES: i32 = 41;
export const C_HANDOFFS: i32 = 42;
export const C_POINTS_HIT: i32 = 43;
export const C_PARKS: i32 = 44;
export const C_PINS_IGNORED: i32 = 45;
export const C_AT_UNFIRED: i32 = 46;
export const C_SIGALTSTACK_INSTALLS: i32 = 47;  // name: sigaltstackInstalls
export const C_SIGNALS_DEFERRED: i32 = 48;
export const C_ASSERTS: i32 = 49;
export const C_PANICS: i32 = 50;
export const C_RECOVERS: i32 = 51;
export const C_GOEXITS: i32 = 52;
export const C_THREADS_SPAWNED: i32 = 53;  // name: threadsSpawned
export const C_READIES: i32 = 54;
export const C_TIMERS_FIRED: i32 = 55;
export const C_CHAN_OPS: i32 = 56;

// abi-group: EV = EV_
// Event kinds (the host names them and renders their operands).
export const EV_THREAD: u32 = 1;          // a = stack lo, b = hi
export const EV_MALLOC: u32 = 2;          // a = lo, b = hi
export const EV_FREE: u32 = 3;            // a = lo, b = hi
export const EV_SWITCH: u32 = 4;          // a = new stack lo, b = hi
export const EV_CALLBACK: u32 = 5;        // a = SP_cb, b = ncgo
export const EV_NEEDM: u32 = 6;           // a = M id, b = signal
export const EV_BINDM: u32 = 7;           // a = M id
export const EV_EXTRA_M_NEW: u32 = 8;     // a = M id
export const EV_GETSTACKBOUND: u32 = 9;   // a = lo, b = hi returned
export const EV_BOUNDS_SET: u32 = 10;     // a = lo, b = hi
export const EV_BOUNDS_KEPT: u32 = 11;    // fast path: a = lo, b = hi
export const EV_BOUNDS_RESTORED: u32 = 12;// a = lo, b = hi
export const EV_G0_CHECK: u32 = 13;       // a = SP checked, b = stackguard0
export const EV_EXITSYSCALL: u32 = 14;    // a = goid
export const EV_REENTERSYSCALL: u32 = 15; // a = syscallsp, b = syscallbp
export const EV_CALLBACK_RETURN: u32 = 16;// a = SP_cb, b = restored g0.sched.sp
export const EV_DROPM: u32 = 17;          // a = M id
export const EV_CGOCALL: u32 = 18;        // a = C SP, b = ncgo
export const EV_CGOCALL_RETURN: u32 = 19; // a = C SP
export const EV_SYSTEMSTACK: u32 = 20;    // a = SP, b = stackguard0
export const EV_SIGNAL: u32 = 21;         // a = sp
export const EV_THREAD_EXIT: u32 = 22;
export const EV_GO: u32 = 23;             // a = goid, b = stack lo
export const EV_GOEXIT: u32 = 24;         // a = goid
export const EV_BLOCK: u32 = 25;
export const EV_RESUME: u32 = 26;
export const EV_LOCKOSTHREAD: u32 = 27;   // a = lockedInt after, b = lockedExt
export const EV_UNLOCKOSTHREAD: u32 = 28; // a = lockedInt after, b = lockedExt
export const EV_STACK_USE: u32 = 29;      // a = C SP after
export const EV_CRASH: u32 = 30;          // a = crash kind
export const EV_BOUNDS_CLEARED: u32 = 31; // dropm cleared g0 bounds
export const EV_MORESTACK: u32 = 32;      // a = SP at the prologue, b = stackguard0
export const EV_COPYSTACK: u32 = 33;      // a = new lo, b = new hi
export const EV_STACKFREE: u32 = 34;      // a = old lo, b = old hi
export const EV_GC: u32 = 35;             // a = goroutines scanned
export const EV_SHRINK_DEFERRED: u32 = 36;// a = goid (preemptShrink set)
export const EV_SHRINK_SKIPPED: u32 = 37; // a = goid, b = why (1 too small, 2 too used, 3 gcshrinkstackoff)
export const EV_CALL: u32 = 38;           // a = SP after the push, b = function pc
export const EV_RETURN: u32 = 39;         // a = SP after the pop, b = restored BP
export const EV_TRACE_ADVANCE: u32 = 40;  // a = new generation
export const EV_TRACE_STACK: u32 = 41;    // a = goid, b = frames walked + 1 (0: slow path)
export const EV_PREEMPT_REQUEST: u32 = 42;// a = goid
export const EV_PREEMPTED: u32 = 43;      // a = goid, b = M id it left
export const EV_SCHEDULE: u32 = 44;       // a = M id, b = 1 if it waits for its locked goroutine
export const EV_EXECUTE: u32 = 45;        // a = goid, b = M id that runs it now
export const EV_HANDOFF: u32 = 46;        // a = goid, b = M id that found it (startlockedm)
export const EV_POINT: u32 = 47;          // a = point id, b = goid: an `at` hook runs
export const EV_DEFER: u32 = 48;          // a = which deferred call (1 unwindm, 2 ctxt pop, 3 unlockOSThread)
export const EV_PARK: u32 = 49;           // a = goid, b = wait reason
export const EV_TRACE_PARK: u32 = 50;     // a = goid, b = frames walked + 1 (GoBlock's stack)
export const EV_PIN_IGNORED: u32 = 51;    // a = goid, b = id of the busy M that resumeOn named
export const EV_ASSERT: u32 = 52;         // a = check (ASSERT_*), b = the value found; the check held
export const EV_PANIC: u32 = 53;          // a = goid, b = panic value + 1 (0: the runtime's own; 0xffffffff: Goexit)
export const EV_RECOVER: u32 = 54;        // a = goid, b = SP of the function that recovered
export const EV_UNWINDM: u32 = 55;        // a = g0.sched.sp restored from the C stack, b = ncgo after
export const EV_C_ABANDONED: u32 = 56;    // a = C SP the thread is back at (its cgocall's caller)
export const EV_READY: u32 = 57;          // a = goid made runnable (goready), b = wait reason it left
export const EV_CHAN: u32 = 58;           // a = sync object, b = CHAN_* (what the op did)
export const EV_TIMER: u32 = 59;          // a = goid woken, b = simulated time (ns)
export const EV_NEWPROC: u32 = 60;        // a = goid, b = stack lo (runnable, no M yet)
export const EV_CLOCK: u32 = 61;          // a = simulated time after, b = nanoseconds slept
export const EV_JOIN: u32 = 62;           // a = thread's tid
export const EV_CORO: u32 = 63;           // a = goid switched to (or created), b = CORO_*
// Signal stacks (signalstack.ts). EV_SIGALTSTACK and EV_GSIGNAL_STACK made by needm and dropm are
// recorded but not mixed into the trace hash (noted, not emitted), so that the hashes of runs from
// before the model had them stand; what they change reaches the hash through the signal events.
export const EV_SIGALTSTACK: u32 = 80;    // the thread's sigaltstack: a = lo, b = hi (0, 0: SS_DISABLE)
export const EV_GSIGNAL_STACK: u32 = 81;  // the M's gsignal stack from now on: a = lo, b = hi
export const EV_SIGNAL_DEFERRED: u32 = 82;// a signal blocked by needm's sigblock, delivered when minit unblocks it
export const EV_SIGNAL_HANDLER: u32 = 83; // sigtrampgo: a = handler SP, b = how (SIGH_*)
export const EV_M_WEDGED: u32 = 85;       // mexit on m0: the main thread parks for ever instead of exiting; a = tid
export const EV_PROCESS_EXIT: u32 = 86;   // the process exits: a = exit code, b = C destructors run (exit) or skipped (exit_group)
export const EV_RACEFINI: u32 = 87;       // racefini: a = 1 if it entersyscalls first (go1.21+), b = destructors registered
export const EV_ATEXIT: u32 = 88;         // C registers a destructor: a = how many now
export const EV_SIGALTSTACK_GO: u32 = 84; // minit: the thread's sigaltstack is its M's gsignal stack: a = lo, b = hi (0, 0: not placed yet)
export const EV_G0_FRAMES: u32 = 89;     // a = lowest address the frames reach, b = bytes below their base (fn in the upper bits)
export const EV_C_FRAMES: u32 = 90;      // a = SP after, b = bytes: the C->Go entry (wrapper, crosscall2, cgocallback)
export const EV_C_WORD: u32 = 91;        // a saved word of a C->Go entry frame: a = address, b = value (the frame's fn in the upper bits)

// Event record, EVENT_SIZE bytes
//  ┌───────────────────────────────────────────────────────────────────────────────────────────────┐
//  │ 0 kind u32            │ 4 op u32              │ 8 thread i32          │ 12 m i32              │
//  ├───────────────────────────────────────────────────────────────────────────────────────────────┤
//  │ 16 a u64                                      │ 24 b u64                                      │
//  └───────────────────────────────────────────────────────────────────────────────────────────────┘
// @ts-ignore: decorator
@inline export const EVENT_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const EVR_KIND: i32 = 0;
// @ts-ignore: decorator
@inline export const EVR_OP: i32 = 4;
// @ts-ignore: decorator
@inline export const EVR_THREAD: i32 = 8;
// @ts-ignore: decorator
@inline export const EVR_M: i32 = 12;
// @ts-ignore: decorator
@inline export const EVR_A: i32 = 16;
// @ts-ignore: decorator
@inline export const EVR_B: i32 = 24;

// ---- capacities (each limit is a guard against runaway scenarios, not a model constant) ----

// @ts-ignore: decorator
@inline export const MAX_THREADS: i32 = 512;      // OS threads: C-created and Go-created (per M)
// @ts-ignore: decorator
@inline export const MAX_MS: i32 = 512;
// @ts-ignore: decorator
@inline export const MAX_GS: i32 = 2048;
// @ts-ignore: decorator
@inline export const MAX_REGIONS: i32 = 8192;
// @ts-ignore: decorator
@inline export const MAX_FRAMES: i32 = 128;       // interpreter frames per context: bounds nesting depth
// @ts-ignore: decorator
@inline export const MAX_OPS: i32 = 131072;
// @ts-ignore: decorator
@inline export const MAX_EVENTS: i32 = 65536;     // recorded events; the trace hash covers all of them
// @ts-ignore: decorator
@inline export const EVENTS_HEAD: i32 = 32768;    // the first events are kept; the rest of the area is a ring of the last ones
// @ts-ignore: decorator
@inline export const MAX_FUNCS: i32 = 4096;      // functions with stack maps (runtime + scenario `call`s)
// @ts-ignore: decorator
@inline export const BITMAP_WORDS: i32 = 262144; // u32 words of stack-map bits (8 Mi slots in all)
// @ts-ignore: decorator
@inline export const MAX_VALUES: i32 = 16384;    // explicit slot values given by scenarios
// @ts-ignore: decorator
@inline export const MAX_BLOCKS: i32 = 4096;     // malloc'd blocks a scenario names
// @ts-ignore: decorator
@inline export const MAX_HOOKS: i32 = 256;       // `at` hooks in one run
// The largest window: linear memory is capped at 1 GiB (asconfig maximumMemory = 16384 pages), and
// the static tables (memory.ts) take the rest.
// @ts-ignore: decorator
@inline export const MAX_WINDOW_BYTES: u64 = 768 << 20;
// @ts-ignore: decorator
@inline export const MAX_MEMORY_BYTES: u64 = 16384 << 16;

// What the host lets a scenario ask for (src/scenario/compile.ts): within the core's capacities
// above, with room for what the runtime creates on its own (extra Ms, their threads and g0s).
// @ts-ignore: decorator
@inline export const MAX_HOST_THREADS: i32 = 256;
// @ts-ignore: decorator
@inline export const MAX_HOST_GS: i32 = 1024;
// @ts-ignore: decorator
@inline export const MAX_HOST_MS: i32 = 128;
// Bodies nest at most this deep: below MAX_FRAMES, which also holds the frames the runtime pushes
// around a body (a callback's, a cgocall's) and `at` step lists run on the timeline.
// @ts-ignore: decorator
@inline export const MAX_NESTING: i32 = 112;
// The largest frame a scenario's `call` may declare.
// @ts-ignore: decorator
@inline export const MAX_CALL_FRAME_BYTES: i32 = 1 << 20;
// @ts-ignore: decorator
@inline export const MIN_WINDOW_BYTES: u64 = 1 << 20;

// ---- records the host reads (layouts and diagrams in records.ts, stack.ts) ----

// @ts-ignore: decorator
@inline export const THREAD_SIZE: i32 = 128;
// @ts-ignore: decorator
@inline export const M_SIZE: i32 = 128;
// @ts-ignore: decorator
@inline export const G_SIZE: i32 = 168;
// @ts-ignore: decorator
@inline export const REGION_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const FRAME_SIZE: i32 = 64;
// @ts-ignore: decorator
@inline export const FUNC_SIZE: i32 = 32;
// @ts-ignore: decorator
@inline export const VALUE_SIZE: i32 = 16;
// @ts-ignore: decorator
@inline export const HOOK_SIZE: i32 = 16;

// Field offsets the host reads (records.ts asserts each against offsetof at compile time).
// @ts-ignore: decorator
@inline export const TREC_STACK_LO: i32 = 0;
// @ts-ignore: decorator
@inline export const TREC_STACK_HI: i32 = 8;
// @ts-ignore: decorator
@inline export const TREC_SP: i32 = 32;
// @ts-ignore: decorator
@inline export const TREC_TID: i32 = 40;
// @ts-ignore: decorator
@inline export const TREC_BOUND_G0: i32 = 52;
// @ts-ignore: decorator
@inline export const TREC_STATE: i32 = 56;
// @ts-ignore: decorator
@inline export const MREC_PROCID: i32 = 0;
// @ts-ignore: decorator
@inline export const MREC_ID: i32 = 16;
// @ts-ignore: decorator
@inline export const MREC_G0: i32 = 20;
// @ts-ignore: decorator
@inline export const MREC_THREAD: i32 = 28;
// @ts-ignore: decorator
@inline export const MREC_NCGO: i32 = 32;
// @ts-ignore: decorator
@inline export const MREC_ISEXTRA: i32 = 40;
// @ts-ignore: decorator
@inline export const MREC_IS_EXTRA_IN_C: i32 = 44;
// @ts-ignore: decorator
@inline export const MREC_LOCKED_INT: i32 = 56;
// @ts-ignore: decorator
@inline export const MREC_LOCKED_EXT: i32 = 60;
// @ts-ignore: decorator
@inline export const MREC_G0_STACK_ACCURATE: i32 = 68;
// @ts-ignore: decorator
@inline export const MREC_SCHEDLINK: i32 = 72;
// @ts-ignore: decorator
@inline export const MREC_ON_EXTRA_LIST: i32 = 76;
// @ts-ignore: decorator
@inline export const MREC_IN_USE: i32 = 80;
// @ts-ignore: decorator
@inline export const MREC_CURG: i32 = 24;
// @ts-ignore: decorator
@inline export const MREC_LOCKEDG: i32 = 64;
// @ts-ignore: decorator
@inline export const GREC_STACK_LO: i32 = 0;
// @ts-ignore: decorator
@inline export const GREC_STACK_HI: i32 = 8;
// @ts-ignore: decorator
@inline export const GREC_STACKGUARD0: i32 = 16;
// @ts-ignore: decorator
@inline export const GREC_STACKGUARD1: i32 = 24;
// @ts-ignore: decorator
@inline export const GREC_SCHED_SP: i32 = 32;
// @ts-ignore: decorator
@inline export const GREC_SCHED_PC: i32 = 40;
// @ts-ignore: decorator
@inline export const GREC_SCHED_BP: i32 = 48;
// @ts-ignore: decorator
@inline export const GREC_SYSCALLSP: i32 = 56;
// @ts-ignore: decorator
@inline export const GREC_SYSCALLBP: i32 = 72;
// @ts-ignore: decorator
@inline export const GREC_GOID: i32 = 80;
// @ts-ignore: decorator
@inline export const GREC_M: i32 = 88;
// @ts-ignore: decorator
@inline export const GREC_STATUS: i32 = 92;
// @ts-ignore: decorator
@inline export const GREC_IS_G0: i32 = 104;
// @ts-ignore: decorator
@inline export const GREC_IN_USE: i32 = 112;
// @ts-ignore: decorator
@inline export const GREC_PREEMPT_SHRINK: i32 = 116;
// @ts-ignore: decorator
@inline export const GREC_INSTANCE_OF: i32 = 160;
// Func, FUNC_SIZE bytes: a function with a stack map (stack.ts); the host writes the scenario's.
// @ts-ignore: decorator
@inline export const FREC_FRAME_SIZE: i32 = 0;
// @ts-ignore: decorator
@inline export const FREC_N_WORDS: i32 = 4;
// @ts-ignore: decorator
@inline export const FREC_BITMAP_WORD: i32 = 8;
// @ts-ignore: decorator
@inline export const FREC_FLAGS: i32 = 12;
// @ts-ignore: decorator
@inline export const FREC_VALUES_OFF: i32 = 16;
// @ts-ignore: decorator
@inline export const FREC_N_VALUES: i32 = 20;
// Value, VALUE_SIZE bytes: an explicit slot value, 0 word u32, 8 value u64.
// @ts-ignore: decorator
@inline export const VREC_WORD: i32 = 0;
// @ts-ignore: decorator
@inline export const VREC_VALUE: i32 = 8;

// Thread states and flags.
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
@inline export const TF_ON_GSIGNAL: u32 = 8; // running a signal handler on its M's gsignal (gsignalLo/Hi/Sp)
// @ts-ignore: decorator
@inline export const TF_SPAWNED: u32 = 16;   // created by a C body's `thread` (its record is reused once it exits)
// @ts-ignore: decorator
@inline export const TF_ALT_GSIGNAL: u32 = 32; // its sigaltstack is its M's gsignal stack (Go installed it)
// @ts-ignore: decorator
@inline export const TF_WEDGED: u32 = 64;     // the main thread, wedged by mexit on m0 (parked for ever)

// Go's goroutine status values (src/runtime/runtime2.go).
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

// Region kinds and states.
// @ts-ignore: decorator
@inline export const RK_THREAD_STACK: u32 = 1;  // a C thread's pthread stack
// @ts-ignore: decorator
@inline export const RK_MALLOC: u32 = 2;        // a malloc'd block (coroutine stacks)
// @ts-ignore: decorator
@inline export const RK_GO_STACK: u32 = 3;      // a goroutine stack
// @ts-ignore: decorator
@inline export const RK_M_STACK: u32 = 4;       // the thread stack of a Go-created M
// @ts-ignore: decorator
@inline export const RK_GUARD: u32 = 5;         // a PROT_NONE page below a block (`malloc` with `guard: true`)
// @ts-ignore: decorator
@inline export const RK_CARVED: u32 = 6;        // a coroutine stack carved out of a live thread stack (`carve`)
// MALLOC op, d bits
// @ts-ignore: decorator
@inline export const MALLOC_AT: u32 = 1;        // x = size, y = address given
// @ts-ignore: decorator
@inline export const MALLOC_GUARD: u32 = 2;     // map a guard page below the block
// @ts-ignore: decorator
@inline export const GUARD_PAGE_BYTES: u64 = 4096;
// @ts-ignore: decorator
@inline export const RS_FREE_SLOT: u32 = 0;
// @ts-ignore: decorator
@inline export const RS_LIVE: u32 = 1;
// @ts-ignore: decorator
@inline export const RS_FREED: u32 = 2;

// ---- profiles ----
//
// A runtime version is a set of feature flags. The host resolves a profile name plus per-flag
// overrides into this mask (src/model/profiles.ts names the bits from the F group); the core only
// ever tests bits, so a flag means the same thing in every mechanism that reads it.

// abi-group: F = F_
// @ts-ignore: decorator
@inline export const F_DEFER_UNLOCK_FIRST: u64 = 1 << 0;          // 338197: defer unlockOSThread registered first
// @ts-ignore: decorator
@inline export const F_M_CHANGED_CHECK: u64 = 1 << 1;             // 338197: throw if the M changed in cgocallbackg
// @ts-ignore: decorator
@inline export const F_UNLOCK_IN_CGOCALLBACKG: u64 = 1 << 2;      // 532615: unlock after incgo = true, no defer
// @ts-ignore: decorator
@inline export const F_M_CACHE_PTHREAD_KEY: u64 = 1 << 3;         // 495855: extra M stays bound to its C thread
// @ts-ignore: decorator
@inline export const F_NEEDM_PTHREAD_BOUNDS_UNCHECKED: u64 = 1 << 4; // 479915: needm trusts pthread bounds
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V1: u64 = 1 << 5;                // 527715
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V2: u64 = 1 << 6;                // 584597
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_V3: u64 = 1 << 7;                // 600296
// @ts-ignore: decorator
@inline export const F_SAVE_RESTORE_G0: u64 = 1 << 8;             // 600296: cgocallbackg restores g0 bounds
// @ts-ignore: decorator
@inline export const F_MUSL_ZERO_BOUNDS: u64 = 1 << 9;            // 600296: musl getstackbound returns zeros
// @ts-ignore: decorator
@inline export const F_DROPM_CLEARS_BOUNDS: u64 = 1 << 10;        // 537695
// @ts-ignore: decorator
@inline export const F_DROPM_NOSPLIT: u64 = 1 << 11;              // 527715
// @ts-ignore: decorator
@inline export const F_G0_STACKGUARD1: u64 = 1 << 12;             // 527716
// @ts-ignore: decorator
@inline export const F_CRASHSTACK_MORESTACK_G0: u64 = 1 << 13;    // go1.22: badmorestackg0 on a crash stack
// @ts-ignore: decorator
@inline export const F_TRACER_V2: u64 = 1 << 14;
// @ts-ignore: decorator
@inline export const F_TRACE_EMIT_BEFORE_CAS: u64 = 1 << 15;      // 573155
// @ts-ignore: decorator
@inline export const F_OWNERSHIP_GODEBUG: u64 = 1 << 16;          // 573155
// @ts-ignore: decorator
@inline export const F_SHRINK_TRACE_CHECK: u64 = 1 << 17;         // 573155
// @ts-ignore: decorator
@inline export const F_CAS_TO_WAITING_FOR_GC: u64 = 1 << 18;      // 573155
// @ts-ignore: decorator
@inline export const F_TRACE_OTHER_G_STACKS: u64 = 1 << 19;       // 567076
// @ts-ignore: decorator
@inline export const F_SYSCALLBP: u64 = 1 << 20;                  // 580255
// @ts-ignore: decorator
@inline export const F_SAVEDBP_UNSAFE_POINTER: u64 = 1 << 21;     // 608775
// @ts-ignore: decorator
@inline export const F_BP_CHECK: u64 = 1 << 22;                   // 608775
// @ts-ignore: decorator
@inline export const F_ISEXTRAINC_ONLY_NCGO0: u64 = 1 << 23;      // 658035
// @ts-ignore: decorator
@inline export const F_SHRINK_GATE_WITHOUT_TRACE: u64 = 1 << 24;  // 692716
// @ts-ignore: decorator
@inline export const F_SAVEDSP_AS_UINTPTR: u64 = 1 << 25;         // mutation: savedsp held as uintptr
// @ts-ignore: decorator
@inline export const F_NCGO_BEFORE_ENTERSYSCALL: u64 = 1 << 26;   // go1.17–1.20: ncgo++ before entersyscall
// @ts-ignore: decorator
@inline export const F_ENTERSYSCALL_SP_WORDING: u64 = 1 << 27;    // 608835: "entersyscall inconsistent sp "
// @ts-ignore: decorator
@inline export const F_CRASH_STACK_DIAG: u64 = 1 << 28;           // diagnostic: print the intended OOB line
// @ts-ignore: decorator
@inline export const F_NON_OPEN_CODED_DEFERS: u64 = 1 << 29;      // knob: deferreturn preemption point (#62102)
// @ts-ignore: decorator
@inline export const F_PREEMPT_AFTER_UNLOCK: u64 = 1 << 30;       // mutation: 1.22's unlock in splittable code
// @ts-ignore: decorator
@inline export const F_UNWINDM_UNLOCKS: u64 = 1 << 31;            // mutation: unwindm keeps rc1's unlockOSThread
// @ts-ignore: decorator
@inline export const F_NEEDM_NO_SIGBLOCK: u64 = 1 << 32;          // mutation: needm without 42207's sigblock (before go1.16)
// @ts-ignore: decorator
@inline export const F_UNMINIT_KEEPS_GSIGNAL: u64 = 1 << 33;
// @ts-ignore: decorator
@inline export const F_RACEFINI_ENTERSYSCALL: u64 = 1 << 34;      // 59711 (go1.21): racefini enters a syscall before __tsan_fini runs C destructors
// @ts-ignore: decorator
@inline export const F_GOEXIT_LOCKED_TEXT: u64 = 1 << 35;          // go1.23: gdestroy's "exited a goroutine internally locked to the OS thread"
// @ts-ignore: decorator
@inline export const F_GOEXIT_EXTRA_M_TEXT: u64 = 1 << 36;         // go1.24: "runtime.Goexit called in a thread that was not created by the Go runtime"
// @ts-ignore: decorator
@inline export const F_NOCALLBACK_DIRECTIVE: u64 = 1 << 37;        // go1.24: cgo accepts #cgo nocallback (the runtime's check is there from go1.22)
// @ts-ignore: decorator
@inline export const F_COROUTINES: u64 = 1 << 38;           // go1.23: iter.Pull's coroutines, with 583675's OS-thread lock check
// The most destructors (atexit, __attribute__((destructor))) a run registers.
// @ts-ignore: decorator
@inline export const MAX_ATEXIT: i32 = 32;      // mutation: unminit without 22930's restoreGsignalStack (before go1.10)
// Where callbackUpdateSystemStack (the CB_UPDATE_V* variant) runs: each call site is its own flag, so
// a runtime with one site reverted can be described; every CB_UPDATE_V* profile has both.
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_IN_NEEDM: u64 = <u64>1 << 39;    // 527715: needm calls it (V1+; else needm's own bounds)
// @ts-ignore: decorator
@inline export const F_CB_UPDATE_IN_CGOCALLBACKG: u64 = <u64>1 << 40; // 527715: cgocallbackg calls it on every callback

// Platforms (§10.1): what _cgo_getstackbound returns and whether a pthread key caches the M.
// @ts-ignore: decorator
@inline export const PLATFORM_GLIBC: i32 = 0;
// @ts-ignore: decorator
@inline export const PLATFORM_MUSL: i32 = 1;
// @ts-ignore: decorator
@inline export const PLATFORM_WINDOWS: i32 = 2;
// @ts-ignore: decorator
@inline export const PLATFORM_NOBOUNDS: i32 = 3;

// ---- functions, PCs and ids the host names ----

// Runtime function ids (fns.ts): which runtime function a crash happened in. The host maps each
// to the Go name it prints and to a simulated PC, TEXT_BASE + id * FN_PC_STRIDE.
// abi-group: FN = FN_
export const FN_NONE: u32 = 0;
export const FN_EXITSYSCALLFAST_FUNC1: u32 = 1; // exitsyscall's systemstack closure: first g0 check of a callback
export const FN_SETGCPERCENT_FUNC1: u32 = 2;    // a `systemstack` op: debug.SetGCPercent's closure on g0
export const FN_DROPM: u32 = 3;
export const FN_PRINTLOCK: u32 = 4;             // first splittable call of the out-of-bounds print
export const FN_CGOCALLBACKG: u32 = 5;
export const FN_CGOCALL: u32 = 6;
export const FN_GOEXIT: u32 = 7;
export const FN_REENTERSYSCALL: u32 = 8;
export const FN_EXITSYSCALL: u32 = 9;
export const FN_CGOCALLBACK: u32 = 10;
export const FN_NEEDM: u32 = 11;
// Ids 12-31 are the host's own frames (src/report/symbols.ts, from FN_HOST_BASE): the core's later
// functions start at 32, so adding one never moves a PC that existing crash texts print.
export const FN_HOST_BASE: u32 = 12;
// crosscall2 is one of the host's frames; the core needs its PC for the return address cgocallback's
// frame holds (physical.ts), so its id is declared here and symbols.ts takes it from here.
export const FN_CROSSCALL2: u32 = FN_HOST_BASE + 5;
export const FN_GCSTART_FUNC1: u32 = 32;        // runtime.GC's first g0 closure (the stop-the-world systemstack)
export const FN_NETPOLL: u32 = 33;              // startTheWorldWithSema's netpoll(0): a 1.6 KiB frame
export const FN_EPOLLWAIT: u32 = 34;            // the deepest g0 frame of a GC with a live netpoller
export const FN_GETSTACKBOUND: u32 = 35;        // _cgo_getstackbound (C, via asmcgocall on g0)
export const FN_TRACE_G0: u32 = 36;             // the tracer's work on g0 (traceAdvance and friends)
export const FN_STOPTHEWORLD: u32 = 37;         // stopTheWorld's g0 closure (ReadMemStats)
export const FN_COPYSTACK: u32 = 38;            // newstack → copystack on g0 (a goroutine stack grows)
export const FN_SCANSTACK: u32 = 39;           // the GC's scanstack of a goroutine (a stack check under it: crash fn)
export const FN_PARK_M: u32 = 40;              // gopark's mcall closure, schedule()'s caller (crash fn of schedule's throw)
export const FN_GOPREEMPT_M: u32 = 41;         // a preemption's goschedImpl, schedule()'s other caller
export const FN_X_CGO_MUNMAP: u32 = 42;         // x_cgo_munmap (C on g0): trace.Stop's deepest frames (the tracer frees its tables)
export const FN_PCVALUE: u32 = 43;              // runtime.pcvalue: the v1 tracer's stack walk in startTheWorld (traceGomaxprocs)
export const FN_CGO_EXPORT: u32 = 44;           // the cgo export wrapper (C): the first frame of a C->Go entry
export const FN_C_CALLER: u32 = 45;             // the C function that calls an exported Go function
// Simulated text segment of those runtime functions.
// @ts-ignore: decorator
@inline export const TEXT_BASE: u64 = 0x401000;
// @ts-ignore: decorator
@inline export const TEXT_PC_STRIDE: u64 = 0x200;
// The first tid handed out: the process's main thread is PID_BASE, other threads count up.
// @ts-ignore: decorator
@inline export const PID_BASE: u64 = 1000;

// Functions with frames and stack maps (stack.ts): the runtime's at fixed indices, the scenario's
// `call` functions from FIRST_USER_FUNC. Their PCs are FUNC_TEXT_BASE + index * FUNC_PC_STRIDE.
// abi-group: RF = RF_
export const RF_GOEXIT: i32 = 0;          // root: unwinding stops here
export const RF_GOBODY: i32 = 1;          // the function a `go` goroutine runs
export const RF_CGOCALL: i32 = 2;         // runtime.cgocall: entersyscall records its SP/BP
export const RF_CGOCALLBACK: i32 = 3;     // asmcgocall + cgocallback, asm: no stack map
export const RF_CGOCALLBACKG: i32 = 4;    // holds savedsp, savedbp, savedpc
export const RF_CGOCALLBACKG1: i32 = 5;
export const RF_GROW: i32 = 6;            // the `grow` op's recursive function
export const RF_RECOVER: i32 = 7;         // a `recover` step's function (it defers a closure that recovers)
export const FIRST_USER_FUNC: i32 = 16;
// Stack-map words the runtime's functions use; the scenario's start after them.
// @ts-ignore: decorator
@inline export const RUNTIME_BITMAP_WORDS: i32 = 64;
// @ts-ignore: decorator
@inline export const FUNC_TEXT_BASE: u64 = 0x460000;
// A power of two: the unwinder finds a function with a shift (stack.ts funcOf).
// @ts-ignore: decorator
@inline export const FUNC_PC_STRIDE_LOG2: u64 = 8;
// @ts-ignore: decorator
@inline export const FUNC_PC_STRIDE: u64 = 1 << FUNC_PC_STRIDE_LOG2;
// A function's continuation PC (where it calls on, whose stack map is its frame's) is this far into
// its slot; goexit's frame is entered at goexit+PCQuantum, as oneNewExtraM and newproc arrange.
// The host's traceback walks frames by the same numbers (src/core/instance.ts gFrames).
// @ts-ignore: decorator
@inline export const FUNC_CONT_OFFSET: u64 = 0x40;
// @ts-ignore: decorator
@inline export const FUNC_PC_QUANTUM: u64 = 1;
// The default runtime/debug.SetMaxStack (the host writes it into the config).
// @ts-ignore: decorator
@inline export const DEFAULT_MAX_STACK_BYTES: u64 = 1000000000;

// What a checked read of goroutine-stack memory was after (the host words use-after-free with it).
// abi-group: READ = READ_
export const READ_SAVED_BP: u32 = 1;
export const READ_RETURN_PC: u32 = 2;
export const READ_FP_CHAIN: u32 = 3;

// Why a stack was not shrunk (EV_SHRINK_SKIPPED's b).
// abi-group: SHRINK_SKIP = SHRINK_SKIP_
export const SHRINK_SKIP_TOO_SMALL: u32 = 1;
export const SHRINK_SKIP_TOO_USED: u32 = 2;
export const SHRINK_SKIP_GODEBUG_OFF: u32 = 3;

// How sigtrampgo ran a handler (EV_SIGNAL_HANDLER's b).
// abi-group: SIGH = SIGH_
export const SIGH_GSIGNAL: u32 = 1;        // on the M's gsignal stack
export const SIGH_ADOPTED: u32 = 2;        // on a sigaltstack non-Go code set: gsignal adjusted for the handler
export const SIGH_G0: u32 = 3;             // on the g0 stack (a signal delivered there by hand)
export const SIGH_BADSIGNAL: u32 = 4;      // no g (or an extra M in C): badsignal's needm(signal=true)

// Which deferred call of cgocallbackg1 ran (EV_DEFER's a).
// abi-group: DEFER = DEFER_
export const DEFER_UNWINDM: u32 = 1;
export const DEFER_CTXT_POP: u32 = 2;
export const DEFER_UNLOCK: u32 = 3;

// Interleaving points (points.ts); the host names them (src/model/points.ts).
// abi-group: POINT = POINT_
export const POINT_PROLOGUE: u32 = 1;          // goroutine.prologue
export const POINT_CB_ENTRY: u32 = 2;          // cgocallbackg.entry
export const POINT_AFTER_EXITSYSCALL: u32 = 3; // cgocallbackg.after-exitsyscall
export const POINT_AFTER_FN: u32 = 4;          // cgocallbackg1.after-fn
export const POINT_CTXT_POP: u32 = 5;          // cgocallbackg1.defer-ctxt-pop
export const POINT_DEFERRETURN: u32 = 6;       // cgocallbackg1.deferreturn
export const POINT_AFTER_UNLOCK: u32 = 7;      // cgocallbackg.after-unlock
export const POINT_BEFORE_REENTER: u32 = 8;    // cgocallbackg.before-reentersyscall
export const POINT_AFTER_ENTERSYSCALL: u32 = 9;// cgocall.after-entersyscall
export const POINT_PARK_AFTER_STATUS: u32 = 10; // park_m.after-status
export const POINT_GOSCHED_AFTER_STATUS: u32 = 11; // goschedImpl.after-status
export const POINT_STW_WAITING: u32 = 12;       // stopTheWorld.waiting

// Goroutine wait reasons (waitReasonStrings order); the host maps the names. 1–10 are the
// isWaitingForGC set (gstatus.ts), the rest are reasons a `park` can give.
// abi-group: WR = WR_
export const WR_GC_ASSIST_MARKING: u32 = 1;
export const WR_GARBAGE_COLLECTION: u32 = 2;
export const WR_GC_SCAN: u32 = 3;
export const WR_GC_WORKER_ACTIVE: u32 = 4;
export const WR_GC_MARK_TERMINATION: u32 = 5;
export const WR_STOPPING_THE_WORLD: u32 = 6;
export const WR_FLUSHING_PROC_CACHES: u32 = 7;
export const WR_TRACE_GOROUTINE_STATUS: u32 = 8;
export const WR_TRACE_PROC_STATUS: u32 = 9;
export const WR_PAGE_TRACE_FLUSH: u32 = 10;
export const WR_SYNC_MUTEX_LOCK: u32 = 11;
export const WR_CHAN_RECEIVE: u32 = 12;
export const WR_SEMACQUIRE: u32 = 13;
export const WR_SLEEP: u32 = 14;
export const WR_SELECT: u32 = 15;
export const WR_CHAN_SEND: u32 = 16;
export const WR_COROUTINE: u32 = 17;

// What a channel or wait-group op did (EV_CHAN's b).
// abi-group: CHAN = CHAN_
export const CHAN_MADE: u32 = 1;
export const CHAN_SEND_HANDOFF: u32 = 2;   // a receiver was waiting: the value goes to it
export const CHAN_SEND_BUFFERED: u32 = 3;
export const CHAN_SEND_BLOCKS: u32 = 4;
export const CHAN_RECV_BUFFERED: u32 = 5;
export const CHAN_RECV_FROM_SENDER: u32 = 6; // a sender was waiting: it goes on
export const CHAN_RECV_CLOSED: u32 = 7;    // closed and empty: the zero value
export const CHAN_RECV_BLOCKS: u32 = 8;
export const CHAN_CLOSED: u32 = 9;
export const CHAN_WG_ADD: u32 = 10;
export const CHAN_WG_WAIT_DONE: u32 = 11;  // counter zero: Wait returns at once
export const CHAN_WG_WAIT_BLOCKS: u32 = 12;

// What a coroutine op did (EV_CORO's b).
// abi-group: CORO = CORO_
export const CORO_NEW: u32 = 1;          // newcoro: a goroutine waiting to run the iterator
export const CORO_SWITCH: u32 = 2;       // coroswitch: the caller waits in c, the goroutine that waited runs
export const CORO_EXIT: u32 = 3;         // coroexit: the iterator's goroutine ends, the one waiting in c runs
export const CORO_DONE: u32 = 4;         // next or yield on a finished iterator: returns at once

// Sync objects (channels, wait groups) a scenario names.
// @ts-ignore: decorator
@inline export const MAX_SYNC: i32 = 256;
// @ts-ignore: decorator
@inline export const SYNC_SIZE: i32 = 32;

// ---- relations, checked when the core compiles ----

if (MAX_NESTING >= MAX_FRAMES) ERROR('MAX_NESTING must stay below MAX_FRAMES (runtime frames and `at` lists need room)');
if (MAX_HOST_THREADS > MAX_THREADS) ERROR('MAX_HOST_THREADS exceeds the core\'s MAX_THREADS');
if (MAX_HOST_MS > MAX_MS) ERROR('MAX_HOST_MS exceeds the core\'s MAX_MS');
if (MAX_HOST_GS > MAX_GS) ERROR('MAX_HOST_GS exceeds the core\'s MAX_GS');
// Every scenario goroutine and every M's g0 (and an extra M's goroutine) is a G record.
if (MAX_HOST_GS + 2 * MAX_MS > MAX_GS) ERROR('MAX_GS cannot hold the scenario goroutines plus a g0 and a goroutine per M');
// A Go-created M runs on a thread of its own, besides the scenario's threads.
if (MAX_HOST_THREADS + MAX_HOST_MS > MAX_THREADS) ERROR('MAX_THREADS cannot hold the scenario threads plus a thread per Go M');
if (FIRST_USER_FUNC <= RF_RECOVER) ERROR('FIRST_USER_FUNC must leave room for every runtime function');
if (MAX_FUNCS <= FIRST_USER_FUNC) ERROR('MAX_FUNCS leaves no room for a scenario function');
if (RUNTIME_BITMAP_WORDS >= BITMAP_WORDS) ERROR('RUNTIME_BITMAP_WORDS leaves no stack-map room for the scenario');
if (MAX_CALL_FRAME_BYTES / 8 > BITMAP_WORDS * 32) ERROR('a largest `call` frame needs more stack-map bits than there are');
// The tail of the event area is a ring indexed with a mask.
if (EVENTS_HEAD >= MAX_EVENTS || ((MAX_EVENTS - EVENTS_HEAD) & (MAX_EVENTS - EVENTS_HEAD - 1)) != 0) {
  ERROR('MAX_EVENTS - EVENTS_HEAD must be a power of two');
}
if (MAX_OP_CODE < OP_CARVE || MAX_OP_CODE < OP_ATEXIT || MAX_OP_CODE < OP_STOP) ERROR('MAX_OP_CODE is below an op code');
if (RES_CRASH_OPERANDS + N_CRASH_OPERANDS * 8 > RES_COUNTERS) ERROR('crash operands overlap the counters');
if (RES_COUNTERS + N_COUNTERS * 8 > RESULT_SIZE) ERROR('the counters run past the result area');
if (EV_C_FRAMES > EVENT_KIND_MASK || EV_ATEXIT > EVENT_KIND_MASK || EVENT_KIND_MASK >= (<u32>1 << EVENT_FN_SHIFT)) ERROR('event kinds do not fit below EVENT_FN_SHIFT');
if (C_CHAN_OPS >= N_COUNTERS || C_SIGNALS_DEFERRED >= N_COUNTERS) ERROR('a counter index is not below N_COUNTERS');
if (CFG_PHYSICAL + 4 > CONFIG_SIZE || CFG_DEADLINE_CHECK + 4 > CONFIG_SIZE) ERROR('the config block runs past CONFIG_SIZE');
if (EVR_B + 8 != EVENT_SIZE) ERROR('the event record\'s fields do not fill EVENT_SIZE');
if (OPR_V + 8 != OP_SIZE) ERROR('the op record\'s fields do not fill OP_SIZE');
if (MIN_WINDOW_BYTES > MAX_WINDOW_BYTES) ERROR('MIN_WINDOW_BYTES exceeds MAX_WINDOW_BYTES');
if (MAX_WINDOW_BYTES >= MAX_MEMORY_BYTES) ERROR('the largest window does not fit in the maximum memory');
if (F_UNWINDM_UNLOCKS != (<u64>1 << 31) || F_CB_UPDATE_IN_CGOCALLBACKG != (<u64>1 << 40)) ERROR('the flag bits are not numbered 0 to 40 in order');
