// The generator's tape: the steps one seed decided, as numbered nodes in preallocated typed
// arrays, with no strings and no objects. The generator (generate.ts) writes it; two back-ends read
// it back: binary.ts lays it out as the core's op records (the explorer's loop, every run) and
// object.ts builds the scenario object (only for a finding, to print and shrink it). Both read the
// same nodes, so they describe the same scenario; test/explore-backends.test.ts checks that the
// records equal what the scenario compiler makes of the object.
//
// A node is one step: its op (an index into TAPE_OPS), the kind of body it stands in, up to
// N_FIELDS numeric fields whose meaning each op defines (see the table below) and its children,
// in order: the steps of its body (`fn`, `steps`). Node 0 is the timeline.

import type { BodyKind } from '../scenario/ops.js';

/** The ops the generator makes, in tape numbering. */
export const TAPE_OPS = [
  'timeline', 'thread', 'malloc', 'free', 'switch', 'callback', 'signal', 'exit', 'go', 'resume', 'repeat',
  'gc', 'traceStart', 'traceAdvance', 'traceStop', 'preempt', 'at', 'systemstack', 'cgocall', 'lockOSThread',
  'unlockOSThread', 'call', 'grow', 'gosched', 'park', 'readMemStats', 'stack', 'block',
  'recover', 'panic', 'goexit', 'chan', 'send', 'recv', 'close', 'wgAdd', 'wgDone', 'wgWait', 'sleep', 'join',
  'pull', 'next', 'yield', 'stop', 'carve', 'sigaltstack', 'atexit', 'osExit',
] as const;
export type TapeOp = (typeof TAPE_OPS)[number];
/** Tape op numbers (indices into TAPE_OPS), as constants for the hot loops. */
export const T = {
  timeline: 0, thread: 1, malloc: 2, free: 3, switch: 4, callback: 5, signal: 6, exit: 7, go: 8, resume: 9, repeat: 10,
  gc: 11, traceStart: 12, traceAdvance: 13, traceStop: 14, preempt: 15, at: 16, systemstack: 17, cgocall: 18, lockOSThread: 19,
  unlockOSThread: 20, call: 21, grow: 22, gosched: 23, park: 24, readMemStats: 25, stack: 26, block: 27,
  recover: 28, panic: 29, goexit: 30, chan: 31, send: 32, recv: 33, close: 34, wgAdd: 35, wgDone: 36, wgWait: 37, sleep: 38, join: 39,
  pull: 40, next: 41, yield: 42, stop: 43, carve: 44, sigaltstack: 45, atexit: 46, osExit: 47,
} as const satisfies Record<TapeOp, number>;
TAPE_OPS.forEach((op, i) => { if (T[op] !== i) throw new Error(`explore: tape op ${op} is numbered ${T[op]}, not ${i}`); });

/** Body kinds in tape numbering. */
export const BODY_KINDS: readonly BodyKind[] = ['timeline', 'go', 'c', 'signal', 'hook'];
export const B = { timeline: 0, go: 1, c: 2, signal: 3, hook: 4 } as const;

/**
 * Fields by op (-1: absent). Threads, blocks, goroutines and Ms are numbered by the generator:
 * thread t is "T{t+1}", block b is "B{b+1}", goroutine g is "G{g+2}", M k is "M{k}".
 *   thread    0 thread, 1 lo, 2 hi            malloc   0 block, 1 size, 2 at
 *   free      0 block                         switch   0 thread, 1 block or -1 for "thread"
 *   callback  0 thread (-1 in a C body), 1 sp signal   0 thread, 1 sp
 *   exit      0 thread                        go       0 goroutine, 1 M, 2 stack lo, 3 stack hi
 *   resume    0 goroutine                     repeat   0 count
 *   preempt   0 goroutine, 1 resumeOn M       at       0 point (index into the point names), 1 goroutine
 *   call      0 frame, 1 second pointer slot (0: only slot 0; -1: no ptrs), 2 depth
 *   grow      0 bytes                         park     0 wait reason (index into the reasons)
 *   stack     0 bytes
 * Go bodies also hold `go` (newproc: kind go; 0 goroutine, 2 stack lo, 3 stack hi), `signal` (kind
 * go: no fields) and C bodies `thread` (kind c: 0 stack size or -1, its body the Go function).
 * Channels, wait groups and iterators share one numbering: sync s is "c{s+1}", "wg{s+1}" or "it{s+1}".
 *   recover   0 value (-1: any)              panic    0 value (index into the panic values)
 *   chan      0 sync, 1 cap                  send, recv, close, wgDone, wgWait, next, yield, stop: 0 sync
 *   wgAdd     0 sync, 1 n                    sleep    0 microseconds
 *   join      0 thread                       pull     0 sync (its body: the iterator)
 *   carve     0 block, 1 thread, 2 size      sigaltstack 0 thread, 1 block or -1 for "none"
 *   osExit    0 race (0 or 1)                atexit   its body: the destructor (a C body)
 *   cgocall   0 nocallback (1) or -1
 */
export const N_FIELDS = 4;

export class Tape {
  /** Nodes in use; node 0 is the timeline. */
  n = 1;
  readonly op: Uint8Array;
  readonly kind: Uint8Array;
  readonly f: Float64Array;
  readonly first: Int32Array;
  readonly last: Int32Array;
  readonly next: Int32Array;
  readonly count: Int32Array;
  /** Scenario-level choices. */
  platform = 'glibc';
  /** The scenario's `physical` (explore --physical). */
  physical = false;
  tracebackContext = false;
  strategy: 'random' | 'pct' = 'random';
  seed = 1;
  /** The seed the generator made this tape from (the scenario is named after it). */
  generatorSeed = 0;
  /** Goroutines the generator numbered ("G2" ...): every one is started by a `go` on the tape. */
  goroutines = 0;

  constructor(readonly capacity = 2048) {
    this.op = new Uint8Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.f = new Float64Array(capacity * N_FIELDS);
    this.first = new Int32Array(capacity);
    this.last = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.count = new Int32Array(capacity);
    this.reset();
  }

  reset(): void {
    this.n = 1;
    this.op[0] = T.timeline;
    this.kind[0] = B.timeline;
    this.first[0] = this.last[0] = this.next[0] = -1;
    this.count[0] = 0;
    this.platform = 'glibc';
    this.physical = false;
    this.tracebackContext = false;
    this.strategy = 'random';
    this.goroutines = 0;
  }

  /** A new node, not yet in any body. */
  node(op: number, kind: number, f0 = -1, f1 = -1, f2 = -1, f3 = -1): number {
    const i = this.n++;
    if (i >= this.capacity) throw new Error(`explore: the generator made more than ${this.capacity} steps`);
    this.op[i] = op;
    this.kind[i] = kind;
    const f = i * N_FIELDS;
    this.f[f] = f0;
    this.f[f + 1] = f1;
    this.f[f + 2] = f2;
    this.f[f + 3] = f3;
    this.first[i] = this.last[i] = this.next[i] = -1;
    this.count[i] = 0;
    return i;
  }

  field(i: number, k: number): number { return this.f[i * N_FIELDS + k]!; }
  setField(i: number, k: number, v: number): void { this.f[i * N_FIELDS + k] = v; }

  append(parent: number, child: number): void {
    this.next[child] = -1;
    if (this.last[parent] < 0) this.first[parent] = child;
    else this.next[this.last[parent]!] = child;
    this.last[parent] = child;
    this.count[parent]++;
  }

  /** Inserts child so that it becomes the at-th of parent's children. */
  insert(parent: number, at: number, child: number): void {
    if (at >= this.count[parent]!) { this.append(parent, child); return; }
    this.count[parent]++;
    if (at === 0) {
      this.next[child] = this.first[parent]!;
      this.first[parent] = child;
      return;
    }
    let prev = this.first[parent]!;
    for (let k = 1; k < at; k++) prev = this.next[prev]!;
    this.next[child] = this.next[prev]!;
    this.next[prev] = child;
  }

  /** The at-th child of parent. */
  child(parent: number, at: number): number {
    let c = this.first[parent]!;
    for (let k = 0; k < at; k++) c = this.next[c]!;
    return c;
  }

  /** Where child stands among parent's children, or -1. */
  indexOf(parent: number, child: number): number {
    let k = 0;
    for (let c = this.first[parent]!; c >= 0; c = this.next[c]!, k++) if (c === child) return k;
    return -1;
  }

  /** Puts `wrapper` where `child` stands, with `child` as its only child. */
  wrap(parent: number, child: number, wrapper: number): void {
    const at = this.indexOf(parent, child);
    this.next[wrapper] = this.next[child]!;
    if (at === 0) this.first[parent] = wrapper;
    else this.next[this.child(parent, at - 1)] = wrapper;
    if (this.last[parent] === child) this.last[parent] = wrapper;
    this.next[child] = -1;
    this.first[wrapper] = this.last[wrapper] = child;
    this.count[wrapper] = 1;
  }

  /** Steps in all, nested ones included (as countSteps counts a scenario's). */
  steps(): number { return this.n - 1; }
}
