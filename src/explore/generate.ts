// The scenario generator: one 32-bit seed makes one valid scenario, swarm style.
//
// Swarm testing (Groce et al.; TigerBeetle's VOPR does the same with its whole configuration): a
// run's seed first decides which features are on at all and how often each appears, then draws
// the steps. A scenario with few features switched on reaches deep into those few (a coroutine
// switched, freed and reallocated over itself; a goroutine that grows, parks and is shrunk under a
// pinned GC) far more often than an even mix of everything would.
//
// The generator keeps the state a scenario author keeps in their head (which threads are live and
// on which stack, which blocks are live or freed, which goroutines are blocked in C, whether the
// tracer runs) so that every scenario it makes is valid. A scenario the simulator rejects as
// invalid is a generator bug: the campaign counts and reports it.
//
// It writes its decisions to a Tape (tape.ts): numbers in preallocated arrays, nothing allocated
// per run. The explorer's loop lays the tape out as op records for the core (binary.ts); only a
// finding is turned into a scenario object (object.ts). Adding an op to the generator: a tape
// number and fields (tape.ts), where the generator draws it (here), and one line in each back-end.
//
// Address map of a generated scenario (the default 64 MiB window):
//   0x00100000 - 0x00700000  malloc'd blocks: coroutine/fiber stacks and signal stacks
//   0x00800000 - 0x00f00000  C thread stacks, one per 2 MiB slot
//   0x01000000 -             the simulator's own C arena (unpinned Go Ms, extra Ms)
//   0x02000000 -             the simulator's Go arena (unpinned goroutine stacks, copystack)
//   0x03000000 - 0x03f00000  pinned goroutine stacks, one per 256 KiB slot

import { Rng } from './rng.js';
import { Tape, T, B } from './tape.js';
import { toScenario } from './object.js';
import type { Scenario } from '../api/types.js';

/** Features a run's seed switches on or off (swarm), each with its own weight when on. */
export const FEATURES = [
  'cthread', 'coroutine', 'nested', 'signal', 'goroutine', 'grow', 'park', 'block', 'gc', 'preempt',
  'lock', 'tracer', 'pins', 'exit', 'repeat', 'platform',
] as const;
export type Feature = (typeof FEATURES)[number];
/** Feature numbers (indices into FEATURES), as constants for the generator's hot loop. */
const F = {
  cthread: 0, coroutine: 1, nested: 2, signal: 3, goroutine: 4, grow: 5, park: 6, block: 7, gc: 8, preempt: 9,
  lock: 10, tracer: 11, pins: 12, exit: 13, repeat: 14, platform: 15,
} as const satisfies Record<Feature, number>;
FEATURES.forEach((f, i) => { if (F[f] !== i) throw new Error(`explore: feature ${f} is numbered ${F[f]}, not ${i}`); });

/** Interleaving points (src/model/points.ts) and the body ops that reach each. */
const POINTS_BY_OP: readonly [string, readonly string[]][] = [
  ['any', ['goroutine.prologue']],
  ['callback', [
    'cgocallbackg.entry', 'cgocallbackg.after-exitsyscall', 'cgocallbackg1.after-fn', 'cgocallbackg1.defer-ctxt-pop',
    'cgocallbackg1.deferreturn', 'cgocallbackg.after-unlock', 'cgocallbackg.before-reentersyscall',
  ]],
  ['cgocall', ['cgocall.after-entersyscall']],
  ['park', ['park_m.after-status']],
  ['gosched', ['goschedImpl.after-status']],
  ['preempt', ['goschedImpl.after-status']],
  ['readMemStats', ['stopTheWorld.waiting']],
];
/** Every point the generator pins; a tape's `at` names one by its index here. */
export const ALL_POINTS: readonly string[] = [...new Set(POINTS_BY_OP.flatMap(([, p]) => p))];
/** Per op group (bit k of a goroutine's ops = group k), the indices in ALL_POINTS it reaches. */
const REACH: readonly (readonly number[])[] = POINTS_BY_OP.map(([, ps]) => ps.map((p) => ALL_POINTS.indexOf(p)));
const OPBIT = { callback: 1 << 1, cgocall: 1 << 2, park: 1 << 3, gosched: 1 << 4, preempt: 1 << 5, readMemStats: 1 << 6 } as const;

/** Explicit SPs stay at least this far above the bottom of their stack (C frames live below). */
export const SP_FLOOR = 0x800;
const THREAD_BASE = 0x00800000;
const THREAD_SLOT = 0x00200000;
const MAX_THREADS = 3;
const BLOCK_AREA_LO = 0x00100000;
const BLOCK_AREA_HI = 0x00700000;
const MAX_GEN_BLOCKS = 12;
const GO_STACK_BASE = 0x03000000;
const GO_STACK_SLOT = 0x00040000;
const MAX_GOROUTINES = 6;
/** Ms that preempted goroutines are handed to (`resumeOn`); created idle when first named. */
export const RESUME_MS = [7, 8];
const BLOCK_SIZES = [0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x100000];
const THREAD_SIZES = [0x10000, 0x40000, 0x80000, 0x100000];
const GO_STACK_SIZES = [0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000];
const FRAMES = [32, 64, 128, 256, 512, 1024, 4096];
export const GROW_BYTES = [512, 1024, 3072, 5120, 12288, 40960];
export const PARK_REASONS = ['sync.Mutex.Lock', 'chan receive', 'select', 'sleep', 'semacquire'];
export const PLATFORMS = ['glibc', 'musl', 'windows', 'nobounds'];

export interface GenerateOptions {
  /** Number of `at` pins to place exactly (the pct strategy's depth − 1); default: swarm's choice. */
  pins?: number;
  /** Largest number of timeline steps drawn (before pins); default 10. */
  maxSteps?: number;
  /** Every scenario says `"physical": true` (explore --physical). Draws nothing: the same seeds make the same steps. */
  physical?: boolean;
}

export interface Generated {
  scenario: Scenario;
  /** The features this seed switched on. */
  features: Feature[];
}

// Timeline actions, in the order their weights are listed.
const A = {
  thread: 0, callback: 1, malloc: 2, switch: 3, switchBack: 4, free: 5, signal: 6, go: 7, resume: 8, gc: 9,
  preempt: 10, traceStart: 11, traceAdvance: 12, traceStop: 13, exit: 14,
} as const;
const N_ACTIONS = 15;
// Go body choices, in the order their weights are listed.
const C = { systemstack: 0, call: 1, grow: 2, cgocall: 3, gc: 4, preempt: 5, lock: 6, park: 7, gosched: 8, readMemStats: 9 } as const;
const N_CHOICES = 10;
const MAX_NEAR = 3 * 12 * MAX_THREADS;
/** Weights of a pin's steps: gc, preempt, traceAdvance (only where the tracer is in play). */
const HOOK_KINDS = [3, 3, 0];
const HOOK_KINDS_TRACER = [3, 3, 1];

/**
 * The generator, reusable: generate(tape, seed) overwrites its state and the tape. Everything it
 * keeps is in preallocated arrays, so a run of the explorer's loop allocates nothing here.
 */
export class Generator {
  private rng = new Rng(0);
  private options: GenerateOptions = {};
  readonly weights = new Float64Array(FEATURES.length);
  private tape!: Tape;
  private tracing = false;
  // threads
  private nThreads = 0;
  private readonly tLo = new Float64Array(MAX_THREADS);
  private readonly tHi = new Float64Array(MAX_THREADS);
  private readonly tExited = new Uint8Array(MAX_THREADS);
  /** The block a thread runs on (-1: its own stack). */
  private readonly tOn = new Int32Array(MAX_THREADS);
  /** The last three callback SPs per thread. */
  private readonly tSps = new Float64Array(MAX_THREADS * 3);
  private readonly tNSps = new Int32Array(MAX_THREADS);
  // blocks
  private nBlocks = 0;
  private readonly bLo = new Float64Array(64);
  private readonly bHi = new Float64Array(64);
  private readonly bLive = new Uint8Array(64);
  private readonly bUsed = new Int32Array(64);
  private blockCursor = BLOCK_AREA_LO;
  // goroutines
  private nGs = 0;
  private readonly gOps = new Int32Array(MAX_GOROUTINES);
  private readonly gBlocked = new Uint8Array(MAX_GOROUTINES);
  private readonly gNode = new Int32Array(MAX_GOROUTINES);
  private nMs = 0;
  // scratch
  private readonly actionW = new Float64Array(N_ACTIONS);
  private readonly choiceW = new Float64Array(N_CHOICES);
  private readonly near = new Float64Array(MAX_NEAR);
  private readonly reach = new Int32Array(64);

  /** Writes the scenario of `seed` to `tape`. */
  generate(tape: Tape, seed: number, options: GenerateOptions = {}): Tape {
    this.rng.seed(seed);
    this.options = options;
    this.tape = tape;
    tape.reset();
    this.tracing = false;
    this.nThreads = this.nBlocks = this.nGs = this.nMs = 0;
    this.blockCursor = BLOCK_AREA_LO;
    const rng = this.rng;
    const w = this.weights;
    for (let i = 0; i < FEATURES.length; i++) w[i] = rng.chance(0.5) ? rng.range(1, 4) : 0;
    // Something must call into Go.
    if (w[F.cthread] === 0 && w[F.coroutine] === 0 && w[F.goroutine] === 0 && w[F.signal] === 0) {
      w[[F.cthread, F.coroutine, F.goroutine][rng.int(3)]!] = 2;
    }
    tape.tracebackContext = (w[F.nested]! > 0 || w[F.goroutine]! > 0) && rng.chance(0.4);
    tape.platform = w[F.platform]! > 0 ? rng.pick(PLATFORMS) : 'glibc';
    tape.physical = this.options.physical === true;
    this.timeline();
    tape.generatorSeed = seed >>> 0;
    tape.seed = rng.next() >>> 1;
    return tape;
  }

  /** The features the last seed switched on. */
  features(): Feature[] { return FEATURES.filter((_, i) => this.weights[i]! > 0); }

  // ---- timeline ----

  private freeThreads(): number {
    let n = 0;
    for (let t = 0; t < this.nThreads; t++) if (!this.tExited[t]) n++;
    return n;
  }

  /** The k-th live thread (among those that pass `onOwnStack` when asked). */
  private pickThread(onOwnStack: boolean | undefined): number {
    let n = 0;
    for (let t = 0; t < this.nThreads; t++) if (!this.tExited[t] && (onOwnStack === undefined || (this.tOn[t]! < 0) === onOwnStack)) n++;
    let k = this.rng.int(n);
    for (let t = 0; t < this.nThreads; t++) {
      if (!this.tExited[t] && (onOwnStack === undefined || (this.tOn[t]! < 0) === onOwnStack) && k-- === 0) return t;
    }
    return -1;
  }

  private countBlocks(live: boolean, unused: boolean): number {
    let n = 0;
    for (let b = 0; b < this.nBlocks; b++) if (this.bLive[b] === (live ? 1 : 0) && (!unused || this.bUsed[b] === 0)) n++;
    return n;
  }

  private pickBlock(live: boolean, unused: boolean, minSize = 0): number {
    let n = 0;
    for (let b = 0; b < this.nBlocks; b++) if (this.bLive[b] === (live ? 1 : 0) && (!unused || this.bUsed[b] === 0) && this.bHi[b]! - this.bLo[b]! >= minSize) n++;
    if (n === 0) return -1;
    let k = this.rng.int(n);
    for (let b = 0; b < this.nBlocks; b++) {
      if (this.bLive[b] === (live ? 1 : 0) && (!unused || this.bUsed[b] === 0) && this.bHi[b]! - this.bLo[b]! >= minSize && k-- === 0) return b;
    }
    return -1;
  }

  /** The weights of the actions possible now. */
  private actions(): void {
    const a = this.actionW;
    const w = this.weights;
    const free = this.freeThreads();
    const liveBlocks = this.countBlocks(true, false);
    let onBlock = false;
    let onOwn = false;
    for (let t = 0; t < this.nThreads; t++) {
      if (this.tExited[t]) continue;
      if (this.tOn[t]! >= 0) onBlock = true;
      else onOwn = true;
    }
    let blockedG = false;
    for (let g = 0; g < this.nGs; g++) if (this.gBlocked[g]) blockedG = true;
    a[A.thread] = this.nThreads < MAX_THREADS ? Math.max(w[F.cthread]!, w[F.coroutine]!, w[F.signal]!) : 0;
    a[A.callback] = free > 0 ? w[F.cthread]! + w[F.coroutine]! + w[F.nested]! : 0;
    a[A.malloc] = this.nBlocks < MAX_GEN_BLOCKS ? w[F.coroutine]! + (w[F.signal]! > 0 ? 1 : 0) : 0;
    a[A.switch] = free > 0 && liveBlocks > 0 ? w[F.coroutine]! * 2 : 0;
    a[A.switchBack] = onBlock ? w[F.coroutine]! * 2 : 0;
    a[A.free] = this.countBlocks(true, true) > 0 ? w[F.coroutine]! : 0;
    a[A.signal] = free > 0 ? w[F.signal]! : 0;
    a[A.go] = this.nGs < MAX_GOROUTINES ? w[F.goroutine]! * 2 : 0;
    a[A.resume] = blockedG ? w[F.block]! * 3 : 0;
    a[A.gc] = w[F.gc]!;
    a[A.preempt] = this.nGs > 0 ? w[F.preempt]! : 0;
    a[A.traceStart] = !this.tracing ? w[F.tracer]! * 2 : 0;
    a[A.traceAdvance] = this.tracing ? w[F.tracer]! * 2 : 0;
    a[A.traceStop] = this.tracing ? w[F.tracer]! : 0;
    a[A.exit] = onOwn ? w[F.exit]! : 0;
  }

  private timeline(): void {
    const rng = this.rng;
    const tape = this.tape;
    const n = rng.range(2, this.options.maxSteps ?? 10);
    for (let i = 0; i < n; i++) {
      this.actions();
      const k = rng.weighted(this.actionW, N_ACTIONS);
      if (k < 0) break;
      const made = this.action(k);
      if (made < 0) continue;
      const op = tape.op[made]!;
      if (this.weights[F.repeat]! > 0 && rng.chance(0.08) && (op === T.callback || op === T.gc || op === T.traceAdvance) && tape.last[0] === made) {
        tape.wrap(0, made, tape.node(T.repeat, B.timeline, rng.range(2, 3)));
      }
    }
    this.pins();
  }

  /** Appends the steps of one action to the timeline; returns the last one (-1: none). */
  private action(k: number): number {
    const rng = this.rng;
    const tape = this.tape;
    switch (k) {
      case A.thread: return this.add(this.newThread());
      case A.callback: return this.add(this.callback(this.pickThread(undefined)));
      case A.malloc: {
        const b = this.malloc();
        return b < 0 ? -1 : this.add(b);
      }
      case A.switch: {
        const t = this.pickThread(undefined);
        const b = this.pickBlock(true, false);
        if (this.tOn[t]! >= 0) this.bUsed[this.tOn[t]!]!--;
        this.tOn[t] = b;
        this.bUsed[b]!++;
        return this.add(tape.node(T.switch, B.timeline, t, b));
      }
      case A.switchBack: {
        const t = this.pickThread(false);
        this.bUsed[this.tOn[t]!]!--;
        this.tOn[t] = -1;
        return this.add(tape.node(T.switch, B.timeline, t, -1));
      }
      case A.free: {
        const b = this.pickBlock(true, true);
        this.bLive[b] = 0;
        return this.add(tape.node(T.free, B.timeline, b));
      }
      case A.signal: return this.signal();
      case A.go: return this.add(this.go());
      case A.resume: {
        let n = 0;
        for (let g = 0; g < this.nGs; g++) if (this.gBlocked[g]) n++;
        let j = rng.int(n);
        let g = 0;
        for (; g < this.nGs; g++) if (this.gBlocked[g] && j-- === 0) break;
        this.gBlocked[g] = 0;
        return this.add(tape.node(T.resume, B.timeline, g));
      }
      case A.gc: return this.add(tape.node(T.gc, B.timeline));
      case A.preempt: {
        const g = rng.int(this.nGs);
        return this.add(tape.node(T.preempt, B.timeline, g, rng.chance(0.5) ? rng.pick(RESUME_MS) : -1));
      }
      case A.traceStart: this.tracing = true; return this.add(tape.node(T.traceStart, B.timeline));
      case A.traceAdvance: return this.add(tape.node(T.traceAdvance, B.timeline));
      case A.traceStop: this.tracing = false; return this.add(tape.node(T.traceStop, B.timeline));
      case A.exit: {
        const t = this.pickThread(true);
        this.tExited[t] = 1;
        return this.add(tape.node(T.exit, B.timeline, t));
      }
    }
    return -1;
  }

  /** Appends node to the timeline; returns it. */
  private add(node: number): number {
    this.tape.append(0, node);
    return node;
  }

  private newThread(): number {
    const t = this.nThreads++;
    const lo = THREAD_BASE + t * THREAD_SLOT;
    const size = this.rng.pick(THREAD_SIZES);
    this.tLo[t] = lo;
    this.tHi[t] = lo + size;
    this.tExited[t] = 0;
    this.tOn[t] = -1;
    this.tNSps[t] = 0;
    return this.tape.node(T.thread, B.timeline, t, lo, lo + size);
  }

  /**
   * Stack pointers just inside the edges of the bounds an earlier callback on thread t may have
   * left on its M: the runtime's estimate around an SP is [sp-32KiB, sp+1KiB] (§3). Where a new SP
   * falls relative to stale bounds is what the callback-update versions disagree on. Appends them
   * to `near` from `at` (with `inside`, only those in [lo, hi]); returns the new end.
   */
  private nearEarlierBounds(t: number, at: number, inside: boolean, lo: number, hi: number): number {
    const near = this.near;
    const n = this.tNSps[t]!;
    for (let s = Math.max(0, n - 3); s < n; s++) {
      const sp = this.tSps[t * 3 + (s % 3)]!;
      for (let k = 1; k <= 6; k++) {
        const a = sp - 0x8000 + 0x100 * k;
        const b = sp + 0x400 - 0x100 * k;
        if (!inside || (a >= lo && a <= hi)) near[at++] = a;
        if (!inside || (b >= lo && b <= hi)) near[at++] = b;
      }
    }
    return at;
  }

  private callback(t: number): number {
    const rng = this.rng;
    const b = this.tOn[t]!;
    const lo = b >= 0 ? this.bLo[b]! : this.tLo[t]!;
    const hi = b >= 0 ? this.bHi[b]! : this.tHi[t]!;
    const size = hi - lo;
    const nNear = this.nearEarlierBounds(t, 0, true, lo + SP_FLOOR, hi - 0x200);
    let sp = -1;
    if (nNear > 0 && rng.chance(0.3)) {
      sp = this.near[rng.int(nNear)]!;
    } else if (size >= 0x2000 && rng.chance(0.35)) {
      // A callback deeper in the current stack: C code used part of it first.
      const room = Math.floor((size - 0x1000) / 0x100);
      sp = hi - 0x200 - 0x100 * rng.int(room);
    }
    const spNow = sp < 0 ? hi - 0x200 : sp;
    this.tSps[t * 3 + (this.tNSps[t]! % 3)] = spNow;
    this.tNSps[t]!++;
    const node = this.tape.node(T.callback, B.timeline, t, sp);
    this.body(node, -1, 0, spNow - lo - 0x800);
    return node;
  }

  /** Places a block: fresh, or below, above, adjacent to or overlapping a freed one. Returns its node or -1. */
  private malloc(): number {
    const rng = this.rng;
    const size = rng.chance(0.2) ? rng.range(0x10, 0x400) * 0x100 : rng.pick(BLOCK_SIZES);
    const nFreed = this.countBlocks(false, false);
    let lo = -1;
    // The SPs near earlier callbacks' bounds: the same for every attempt.
    let nNear = 0;
    for (let t = 0; t < this.nThreads; t++) nNear = this.nearEarlierBounds(t, nNear, false, 0, 0);
    for (let attempt = 0; attempt < 4 && lo < 0; attempt++) {
      let cand: number;
      if (nNear > 0 && rng.chance(0.25)) {
        // A block whose first SP (0x200 below its top) lands near an earlier callback's bounds.
        cand = this.near[rng.int(nNear)]! + 0x200 - size;
      } else if (nFreed > 0 && rng.chance(0.75)) {
        const f = this.pickBlock(false, false);
        const fLo = this.bLo[f]!;
        const fHi = this.bHi[f]!;
        const gap = rng.chance(0.5) ? 0 : 0x100 * rng.range(1, 0x40);
        switch (rng.int(4)) {
          case 0: cand = fLo - size - gap; break;                      // below
          case 1: cand = fHi + gap; break;                             // above
          case 2: cand = rng.chance(0.5) ? fLo - size : fHi; break;    // adjacent
          default: {                                                   // overlapping
            const span = Math.floor((fHi - fLo + size) / 0x100);
            cand = fLo - size + 0x100 * rng.range(1, Math.max(1, span - 1));
          }
        }
      } else {
        cand = this.blockCursor + 0x100 * rng.int(0x100);
      }
      if (cand >= BLOCK_AREA_LO && cand + size <= BLOCK_AREA_HI && !this.overlapsLive(cand, cand + size)) lo = cand;
    }
    if (lo < 0) return -1;
    const b = this.nBlocks++;
    this.bLo[b] = lo;
    this.bHi[b] = lo + size;
    this.bLive[b] = 1;
    this.bUsed[b] = 0;
    this.blockCursor = Math.max(this.blockCursor, Math.ceil((lo + size + 1) / 0x10000) * 0x10000);
    return this.tape.node(T.malloc, B.timeline, b, size, lo);
  }

  private overlapsLive(lo: number, hi: number): boolean {
    for (let b = 0; b < this.nBlocks; b++) if (this.bLive[b] && lo < this.bHi[b]! && this.bLo[b]! < hi) return true;
    return false;
  }

  private signal(): number {
    const rng = this.rng;
    const tape = this.tape;
    const t = this.pickThread(undefined);
    let b = -1;
    if (this.pickableSignalStacks() === 0) {
      const m = this.malloc();
      if (m < 0) return -1;
      tape.append(0, m);
      if (this.pickableSignalStacks() === 0) return m;
    }
    b = this.pickBlock(true, true, 0x2000);
    const sp = this.bHi[b]! - 0x100 - 0x100 * rng.int(8);
    const node = tape.node(T.signal, B.timeline, t, sp);
    for (let i = rng.int(3); i > 0; i--) tape.append(node, tape.node(T.systemstack, B.signal));
    tape.append(0, node);
    return node;
  }

  private pickableSignalStacks(): number {
    let n = 0;
    for (let b = 0; b < this.nBlocks; b++) if (this.bLive[b] && this.bUsed[b] === 0 && this.bHi[b]! - this.bLo[b]! >= 0x2000) n++;
    return n;
  }

  private go(): number {
    const rng = this.rng;
    const g = this.nGs++;
    this.gOps[g] = 0;
    this.gBlocked[g] = 0;
    // A named M is never named again by a later `go`: the goroutine that ran on it may still
    // hold it (blocked in C, or handed back to it after a preemption).
    const m = rng.chance(0.7) ? ++this.nMs : -1;
    let lo = -1;
    let hi = -1;
    if (rng.chance(0.6)) {
      const size = rng.pick(GO_STACK_SIZES);
      lo = GO_STACK_BASE + g * GO_STACK_SLOT;
      hi = lo + size;
    }
    const node = this.tape.node(T.go, B.timeline, g, m, lo, hi);
    this.gNode[g] = node;
    this.body(node, g, 0, 0x10000);
    return node;
  }

  // ---- bodies ----

  /** Appends a Go body's steps to `parent`: the goroutine g's (-1: a callback's), at depth, with cRoom bytes of C stack left below. */
  private body(parent: number, g: number, depth: number, cRoom: number): void {
    const rng = this.rng;
    const tape = this.tape;
    const cw = this.choiceW;
    const inGo = g >= 0;
    const n = depth === 0 ? rng.range(0, 4) : rng.range(0, 2);
    let locked = 0;
    for (let i = 0; i < n; i++) {
      // Set each time: a nested body (call, cgocall) overwrites them.
      cw[C.systemstack] = 2;
      cw[C.call] = this.weights[F.grow]!;
      cw[C.grow] = this.weights[F.grow]!;
      cw[C.cgocall] = (this.weights[F.nested]! + this.weights[F.block]!) * (depth < 3 ? 1 : 0);
      cw[C.gc] = this.weights[F.gc]!;
      cw[C.preempt] = this.weights[F.preempt]!;
      cw[C.lock] = this.weights[F.lock]!;
      cw[C.park] = inGo && depth === 0 ? this.weights[F.park]! : 0;
      cw[C.gosched] = inGo ? this.weights[F.park]! : 0;
      cw[C.readMemStats] = inGo ? this.weights[F.park]! : 0;
      const k = rng.weighted(cw, N_CHOICES);
      switch (k) {
        case C.systemstack: tape.append(parent, tape.node(T.systemstack, B.go)); break;
        case C.call: {
          const frame = rng.pick(FRAMES);
          const words = frame / 8 - 1;
          const ptr = rng.chance(0.5) ? 8 * rng.int(words) : -1;
          const callDepth = rng.chance(0.3) ? rng.range(2, 8) : -1;
          const node = tape.node(T.call, B.go, frame, ptr, callDepth);
          if (depth < 3 && rng.chance(0.5)) this.body(node, g, depth + 1, cRoom);
          tape.append(parent, node);
          break;
        }
        case C.grow: tape.append(parent, tape.node(T.grow, B.go, rng.pick(GROW_BYTES))); break;
        case C.cgocall: tape.append(parent, this.cgocall(g, depth, cRoom)); break;
        case C.gc: tape.append(parent, tape.node(T.gc, B.go)); break;
        case C.preempt:
          if (inGo) this.gOps[g] |= OPBIT.preempt;
          tape.append(parent, tape.node(T.preempt, B.go));
          break;
        case C.lock:
          // Balanced: a body that locks unlocks before it ends (an unbalanced unlock is a user bug
          // every runtime throws on, which would hide the runtime's own bugs).
          tape.append(parent, tape.node(T.lockOSThread, B.go));
          locked++;
          break;
        case C.park:
          this.gOps[g] |= OPBIT.park;
          tape.append(parent, tape.node(T.park, B.go, rng.int(PARK_REASONS.length)));
          i = n;
          break;
        case C.gosched:
          this.gOps[g] |= OPBIT.gosched;
          tape.append(parent, tape.node(T.gosched, B.go));
          break;
        case C.readMemStats:
          this.gOps[g] |= OPBIT.readMemStats;
          tape.append(parent, tape.node(T.readMemStats, B.go));
          break;
      }
    }
    for (; locked > 0; locked--) {
      const last = tape.last[parent]!;
      const count = tape.count[parent]!;
      tape.insert(parent, last >= 0 && tape.op[last] === T.park ? count - 1 : count, tape.node(T.unlockOSThread, B.go));
    }
    const count = tape.count[parent]!;
    if (this.weights[F.repeat]! > 0 && count > 0 && rng.chance(0.1)) {
      const c = tape.child(parent, rng.int(count));
      const op = tape.op[c];
      if (op === T.systemstack || op === T.call || op === T.grow) tape.wrap(parent, c, tape.node(T.repeat, B.go, rng.range(2, 4)));
    }
  }

  private cgocall(g: number, depth: number, cRoom: number): number {
    const rng = this.rng;
    const tape = this.tape;
    const node = tape.node(T.cgocall, B.go);
    let room = cRoom;
    if (rng.chance(0.3) && room > 0x2000) {
      const bytes = 0x100 * rng.range(1, Math.min(0x40, Math.floor(room / 0x200)));
      tape.append(node, tape.node(T.stack, B.c, bytes));
      room -= bytes;
    }
    if (this.weights[F.nested]! > 0 || rng.chance(0.3)) {
      const cb = tape.node(T.callback, B.c, -1, -1);
      this.body(cb, g, depth + 1, room - 0x800);
      tape.append(node, cb);
      if (g >= 0) this.gOps[g] |= OPBIT.callback;
    }
    // Only a goroutine's own top-level C call blocks: the timeline resumes it by name.
    if (this.weights[F.block]! > 0 && depth === 0 && g >= 0 && !this.gBlocked[g] && rng.chance(0.6)) {
      tape.append(node, tape.node(T.block, B.c));
      this.gBlocked[g] = 1;
    }
    if (g >= 0) this.gOps[g] |= OPBIT.cgocall;
    return node;
  }

  // ---- pins ----

  /** `at` pins over the interleaving points, placed before the goroutine they wait for starts. */
  private pins(): void {
    const rng = this.rng;
    const tape = this.tape;
    let n = this.options.pins ?? (this.weights[F.pins]! > 0 ? rng.range(1, this.weights[F.pins]!) : 0);
    while (n-- > 0) {
      const g = this.nGs > 0 && rng.chance(0.85) ? rng.int(this.nGs) : -1;
      let point: number;
      if (g >= 0 && rng.chance(0.75)) {
        let nReach = 0;
        const ops = this.gOps[g]! | 1;
        for (let k = 0; k < REACH.length; k++) if (ops & (1 << k)) for (const p of REACH[k]!) this.reach[nReach++] = p;
        point = this.reach[rng.int(nReach)]!;
      } else {
        point = rng.int(ALL_POINTS.length);
      }
      const pin = tape.node(T.at, B.timeline, point, g);
      const tracer = this.tracing || this.weights[F.tracer]! > 0;
      for (let i = rng.range(1, 2); i > 0; i--) {
        const kind = rng.weighted(tracer ? HOOK_KINDS_TRACER : HOOK_KINDS);
        if (kind === 1) {
          const pg = g >= 0 && rng.chance(0.5) ? g : -1;
          tape.append(pin, tape.node(T.preempt, B.hook, pg, rng.chance(0.6) ? rng.pick(RESUME_MS) : -1));
        } else if (kind === 2) {
          tape.append(pin, tape.node(T.traceAdvance, B.hook));
        } else {
          tape.append(pin, tape.node(T.gc, B.hook));
        }
      }
      // Before the goroutine's `go` step (or anywhere, for a pin on any goroutine).
      const goAt = g >= 0 ? tape.indexOf(0, this.gNode[g]!) : tape.count[0]!;
      tape.insert(0, rng.int(Math.max(0, goAt) + 1), pin);
    }
  }
}

/** Makes the scenario of one seed (as an object: for tests, findings and the API). */
export function generate(seed: number, options: GenerateOptions = {}): Generated {
  const gen = new Generator();
  const tape = gen.generate(new Tape(), seed, options);
  return { scenario: toScenario(tape), features: gen.features() };
}
