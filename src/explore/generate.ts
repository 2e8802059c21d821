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
  'panic', 'iterator', 'sync', 'sigstack', 'carve', 'exitphase', 'spawn',
] as const;
export type Feature = (typeof FEATURES)[number];
/** Feature numbers (indices into FEATURES), as constants for the generator's hot loop. */
const F = {
  cthread: 0, coroutine: 1, nested: 2, signal: 3, goroutine: 4, grow: 5, park: 6, block: 7, gc: 8, preempt: 9,
  lock: 10, tracer: 11, pins: 12, exit: 13, repeat: 14, platform: 15,
  panic: 16, iterator: 17, sync: 18, sigstack: 19, carve: 20, exitphase: 21, spawn: 22,
} as const satisfies Record<Feature, number>;
/** The features added in the second wave: their on/off and weights come from a stream of their own (see generate()). */
const FIRST_NEW_FEATURE = F.panic;
/** How often each of those is on: less than the first wave's 1/2, so that they do not crowd it out. */
const NEW_FEATURE_CHANCE = 0.25;
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
/** Panic values (one: a user panic is one signature whatever it says). */
export const PANIC_VALUES = ['boom'];
const CHAN_CAPS = [0, 0, 1, 2];
const SLEEP_US = [1, 10, 100];
const CARVE_SIZES = [0x800, 0x1000, 0x2000, 0x4000];
/** The stack a C-created thread (a C body's `thread`) asks for; -1: the default 256KiB. */
const SPAWN_STACKS = [-1, 0x10000, 0x40000];
/** Channels, wait groups and iterators one scenario makes at most. */
const MAX_GEN_SYNCS = 24;
/** atexit registrations at most (the core holds 32). */
const MAX_GEN_ATEXIT = 4;

export interface GenerateOptions {
  /** Number of `at` pins to place exactly (the pct strategy's depth − 1); default: swarm's choice. */
  pins?: number;
  /** Largest number of timeline steps drawn (before pins); default 10. */
  maxSteps?: number;
  /** Every scenario says `"physical": true` (explore --physical). Draws nothing: the same seeds make the same steps. */
  physical?: boolean;
  /**
   * Whether `pull` may be made: iter.Pull builds from go1.23 (flag COROUTINES); an older profile
   * refuses it (the run is invalid). Campaigns set it when every side has coroutines. Default
   * false: without it every generated scenario is valid on every profile.
   */
  coroutines?: boolean;
  /**
   * Whether a `cgocall` may say `nocallback` (`#cgo nocallback`: cgo accepts it from go1.24, flag
   * NOCALLBACK_DIRECTIVE; before, the program does not build). Campaigns set it when every side
   * has the directive. Default false.
   */
  nocallback?: boolean;
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
// The second wave's timeline actions: inserted between the first wave's (see timeline()).
const A2 = { chan: 0, sleep: 1, join: 2, carve: 3, sigaltstack: 4 } as const;
const N_ACTIONS2 = 5;
// Go body choices, in the order their weights are listed.
const C = { systemstack: 0, call: 1, grow: 2, cgocall: 3, gc: 4, preempt: 5, lock: 6, park: 7, gosched: 8, readMemStats: 9 } as const;
const N_CHOICES = 10;
// The second wave's Go body ops: inserted between the first wave's (see body()).
const C2 = { recover: 0, goexit: 1, go: 2, chan: 3, send: 4, recv: 5, close: 6, wg: 7, sleep: 8, pull: 9, next: 10, signal: 11 } as const;
const N_CHOICES2 = 12;
/** How often a slot between two first-wave steps (timeline) or ops (bodies) gets a second-wave one, when any is on. */
const NEW_ACTION_CHANCE = 0.15;
const NEW_OP_CHANCE = 0.12;
const MAX_NEAR = 3 * 12 * MAX_THREADS;
/** Weights of a pin's steps: gc, preempt, traceAdvance (only where the tracer is in play). */
const HOOK_KINDS = [3, 3, 0];
const HOOK_KINDS_TRACER = [3, 3, 1];

// What the body being drawn may hold (Generator.ctx bits).
/** An iterator's body (`pull`): no parking, no goroutines, no panics; `yield` at its top level only. */
const X_ITER = 1;
/** Nothing that parks: C threads' start routines and destructors (C waits for them to return). */
const X_NOPARK = 2;
/** The body runs on a C thread's callback goroutine (locked to an extra M): Goexit there throws, parking leaves the thread in Go. */
const X_CTHREAD = 4;
/** A goroutine `go` started from a Go body: it may not have run when the timeline says `resume`, so it never blocks in C. */
const X_NOBLOCK = 8;

// Sync kinds (Generator.sKind).
const S_CHAN = 0;
const S_WG = 1;
const S_ITER = 2;

/**
 * The generator, reusable: generate(tape, seed) overwrites its state and the tape. Everything it
 * keeps is in preallocated arrays, so a run of the explorer's loop allocates nothing here.
 */
export class Generator {
  /** The stream the first wave's choices draw from. */
  private readonly main = new Rng(0);
  /**
   * The second wave's features (FIRST_NEW_FEATURE on) draw everything from a stream of their own:
   * whether each is on, whether a slot gets one of their steps, and all of that step (its body
   * included). The first wave's choices still draw from `main` as they did, so a seed makes the
   * scenario it made before the second wave, with the new steps inserted into it (and where those
   * change what is possible, such as a thread left in Go, the choices that follow differ).
   */
  private readonly frng = new Rng(0);
  /** The stream in use: `main`, or `frng` inside a second-wave step. */
  private rng = this.main;
  private options: GenerateOptions = {};
  readonly weights = new Float64Array(FEATURES.length);
  private tape!: Tape;
  private tracing = false;
  // threads
  private nThreads = 0;
  private readonly tLo = new Float64Array(MAX_THREADS);
  private readonly tHi = new Float64Array(MAX_THREADS);
  private readonly tExited = new Uint8Array(MAX_THREADS);
  /** A callback on the thread may have parked: the thread may still be in Go, so only `join` names it. */
  private readonly tStuck = new Uint8Array(MAX_THREADS);
  /** The thread's SP on its own stack (below what `carve` took). */
  private readonly tSpOwn = new Float64Array(MAX_THREADS);
  /** The block the thread's sigaltstack is (-1: none). */
  private readonly tAlt = new Int32Array(MAX_THREADS);
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
  /** The timeline step that starts goroutine g (its `go`, or the step whose body starts it). */
  private readonly gTop = new Int32Array(MAX_GOROUTINES);
  private nMs = 0;
  // channels, wait groups, iterators
  private nSyncs = 0;
  private readonly sKind = new Uint8Array(MAX_GEN_SYNCS);
  /** A channel that is closed once and never sent on (a send on a closed channel panics). */
  private readonly sClosable = new Uint8Array(MAX_GEN_SYNCS);
  private readonly sClosed = new Uint8Array(MAX_GEN_SYNCS);
  /** An iterator's callback level and lockOSThread depth at its `pull` (a `next` with other locking throws). */
  private readonly sLevel = new Int32Array(MAX_GEN_SYNCS);
  private readonly sLock = new Int32Array(MAX_GEN_SYNCS);
  /** The goroutine context an iterator was pulled in (Generator.gctx). */
  private readonly sCtx = new Int32Array(MAX_GEN_SYNCS);
  /** Channels and iterators the body being drawn may name: made before it, on its goroutine or an ancestor. */
  private readonly scope = new Int32Array(MAX_GEN_SYNCS);
  private nScope = 0;
  /** Scope entries below this are not the body's iterators: a thread C creates runs on another M. */
  private iterFloor = 0;
  /** Iterators later timeline steps may name: pulled by a timeline goroutine before it could block or park. */
  private readonly shared = new Int32Array(MAX_GEN_SYNCS);
  private nShared = 0;
  private nAtexit = 0;
  // the body being drawn
  private ctx = 0;
  /** Callbacks around the body being drawn, on its goroutine. */
  private cbLevel = 0;
  /** Something on the goroutine being drawn may have parked (or ended it) since it started. */
  private parked = false;
  /** Something on it may have let another goroutine run first (a preemption, Gosched, a stop of the world, a park). */
  private yielded = false;
  /** lockOSThread calls not yet undone on the goroutine being drawn. */
  private lockDepth = 0;
  /** Which goroutine the body being drawn runs on: a number per goroutine context (save() makes a new one). */
  private gctx = 0;
  private nGctx = 0;
  private readonly gctxStack = new Int32Array(64);
  private gctxDepth = 0;
  /** Counts ops that must not run twice (a `repeat` around them would change the scenario's meaning or make it invalid). */
  private marks = 0;
  /** Per call or callback node: its body holds such an op. */
  private readonly noRepeat: Uint8Array;
  /** The top-level step being drawn. */
  private top = -1;
  // scratch
  private readonly actionW = new Float64Array(N_ACTIONS);
  private readonly actionW2 = new Float64Array(N_ACTIONS2);
  private readonly choiceW = new Float64Array(N_CHOICES);
  private readonly choiceW2 = new Float64Array(N_CHOICES2);
  private readonly near = new Float64Array(MAX_NEAR);
  private readonly reach = new Int32Array(64);

  constructor(capacity = 2048) {
    this.noRepeat = new Uint8Array(capacity);
  }

  /** Writes the scenario of `seed` to `tape`. */
  generate(tape: Tape, seed: number, options: GenerateOptions = {}): Tape {
    this.main.seed(seed);
    this.rng = this.main;
    this.options = options;
    this.tape = tape;
    tape.reset();
    this.tracing = false;
    this.nThreads = this.nBlocks = this.nGs = this.nMs = 0;
    this.nSyncs = this.nScope = this.nShared = this.nAtexit = this.iterFloor = 0;
    this.ctx = this.cbLevel = this.marks = this.lockDepth = this.gctx = this.nGctx = this.gctxDepth = 0;
    this.parked = this.yielded = false;
    this.blockCursor = BLOCK_AREA_LO;
    const rng = this.rng;
    const w = this.weights;
    for (let i = 0; i < FIRST_NEW_FEATURE; i++) w[i] = rng.chance(0.5) ? rng.range(1, 4) : 0;
    const frng = this.frng;
    frng.seed((seed ^ 0x5bd1e995) >>> 0);
    for (let i = FIRST_NEW_FEATURE; i < FEATURES.length; i++) w[i] = frng.chance(NEW_FEATURE_CHANCE) ? frng.range(1, 4) : 0;
    if (options.coroutines !== true) w[F.iterator] = 0;
    // Something must call into Go.
    if (w[F.cthread] === 0 && w[F.coroutine] === 0 && w[F.goroutine] === 0 && w[F.signal] === 0) {
      w[[F.cthread, F.coroutine, F.goroutine][rng.int(3)]!] = 2;
    }
    tape.tracebackContext = (w[F.nested]! > 0 || w[F.goroutine]! > 0) && rng.chance(0.4);
    tape.platform = w[F.platform]! > 0 ? rng.pick(PLATFORMS) : 'glibc';
    tape.physical = this.options.physical === true;
    this.timeline();
    tape.generatorSeed = seed >>> 0;
    tape.goroutines = this.nGs;
    tape.seed = rng.next() >>> 1;
    return tape;
  }

  /** The features the last seed switched on. */
  features(): Feature[] { return FEATURES.filter((_, i) => this.weights[i]! > 0); }

  // ---- timeline ----

  /** Whether the timeline may name thread t (live, and not possibly still in Go). */
  private usable(t: number): boolean { return !this.tExited[t] && !this.tStuck[t]; }

  private freeThreads(): number {
    let n = 0;
    for (let t = 0; t < this.nThreads; t++) if (this.usable(t)) n++;
    return n;
  }

  /** The k-th usable thread (among those that pass `onOwnStack` when asked). */
  private pickThread(onOwnStack: boolean | undefined): number {
    let n = 0;
    for (let t = 0; t < this.nThreads; t++) if (this.usable(t) && (onOwnStack === undefined || (this.tOn[t]! < 0) === onOwnStack)) n++;
    let k = this.rng.int(n);
    for (let t = 0; t < this.nThreads; t++) {
      if (this.usable(t) && (onOwnStack === undefined || (this.tOn[t]! < 0) === onOwnStack) && k-- === 0) return t;
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

  /** Room `carve` has on thread t's own stack: what lies below its SP, less what its callbacks need. */
  private carveRoom(t: number): number {
    return this.tSpOwn[t]! - this.tLo[t]! - 0x4000;
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
      if (!this.usable(t)) continue;
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

  /** The weights of the second-wave timeline actions possible now. */
  private actions2(): void {
    const w = this.weights;
    const free = this.freeThreads();
    let stuck = false;
    let carvable = false;
    for (let t = 0; t < this.nThreads; t++) {
      if (this.tExited[t]) continue;
      if (this.tStuck[t]) stuck = true;
      else if (this.tOn[t]! < 0 && this.carveRoom(t) >= CARVE_SIZES[0]!) carvable = true;
    }
    const a2 = this.actionW2;
    a2[A2.chan] = this.nSyncs < MAX_GEN_SYNCS ? w[F.sync]! * 0.5 : 0;
    a2[A2.sleep] = w[F.sync]! * 0.3;
    // It hangs (crash "hang", a deadlock the program made) when nothing wakes the thread's callback: not often.
    a2[A2.join] = stuck ? w[F.sync]! * 0.15 : 0;
    a2[A2.carve] = carvable && this.nBlocks < MAX_GEN_BLOCKS ? w[F.carve]! * 2 : 0;
    a2[A2.sigaltstack] = free > 0 ? w[F.sigstack]! : 0;
  }

  private timeline(): void {
    const rng = this.rng;
    const tape = this.tape;
    const n = rng.range(2, this.options.maxSteps ?? 10);
    const w = this.weights;
    const second = w[F.sync]! + w[F.carve]! + w[F.sigstack]! > 0;
    for (let i = 0; i < n; i++) {
      if (second && this.frng.chance(NEW_ACTION_CHANCE)) {
        this.actions2();
        this.rng = this.frng;
        const k2 = this.frng.weighted(this.actionW2, N_ACTIONS2);
        if (k2 >= 0) this.action2(k2);
        this.rng = this.main;
      }
      this.actions();
      const k = rng.weighted(this.actionW, N_ACTIONS);
      if (k < 0) break;
      const made = this.action(k);
      if (made < 0) continue;
      const op = tape.op[made]!;
      if (this.weights[F.repeat]! > 0 && rng.chance(0.08) && (op === T.callback || op === T.gc || op === T.traceAdvance) && tape.last[0] === made && !(op === T.callback && this.noRepeat[made])) {
        tape.wrap(0, made, tape.node(T.repeat, B.timeline, rng.range(2, 3)));
      }
    }
    if (w[F.exitphase]! > 0 && this.frng.chance(0.5)) {
      this.rng = this.frng;
      this.osExit();
      this.rng = this.main;
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

  /** Appends a second-wave timeline step (drawn from frng). */
  private action2(k: number): number {
    const rng = this.rng;
    const tape = this.tape;
    switch (k) {
      case A2.chan: {
        // A timeline channel: every later step's bodies may name it.
        const s = this.newSync(S_CHAN);
        this.sClosable[s] = rng.chance(0.3) ? 1 : 0;
        this.scope[this.nScope++] = s;
        return this.add(tape.node(T.chan, B.timeline, s, rng.pick(CHAN_CAPS)));
      }
      case A2.sleep: return this.add(tape.node(T.sleep, B.timeline, rng.pick(SLEEP_US)));
      case A2.join: {
        // Waits until the thread is back in C: it hangs (crash "hang") if nothing wakes its callback.
        let n = 0;
        for (let t = 0; t < this.nThreads; t++) if (!this.tExited[t] && this.tStuck[t]) n++;
        let j = rng.int(n);
        let t = 0;
        for (; t < this.nThreads; t++) if (!this.tExited[t] && this.tStuck[t] && j-- === 0) break;
        this.tStuck[t] = 0;
        return this.add(tape.node(T.join, B.timeline, t));
      }
      case A2.carve: return this.carve();
      case A2.sigaltstack: {
        const t = this.pickThread(undefined);
        const old = this.tAlt[t]!;
        let b = -1;
        if (old < 0 || rng.chance(0.7)) b = this.pickBlock(true, true, 0x2000);
        if (b < 0 && old < 0) return -1;
        if (old >= 0) this.bUsed[old]!--;
        if (b >= 0) this.bUsed[b]!++;
        this.tAlt[t] = b;
        return this.add(tape.node(T.sigaltstack, B.timeline, t, b));
      }
    }
    return -1;
  }

  /** Appends node to the timeline; returns it. */
  private add(node: number): number {
    this.tape.append(0, node);
    return node;
  }

  private newSync(kind: number): number {
    const s = this.nSyncs++;
    this.sKind[s] = kind;
    this.sClosable[s] = 0;
    this.sClosed[s] = 0;
    this.sLevel[s] = this.cbLevel;
    this.sLock[s] = this.lockDepth;
    this.sCtx[s] = this.gctx;
    return s;
  }

  private newThread(): number {
    const t = this.nThreads++;
    const lo = THREAD_BASE + t * THREAD_SLOT;
    const size = this.rng.pick(THREAD_SIZES);
    this.tLo[t] = lo;
    this.tHi[t] = lo + size;
    this.tExited[t] = 0;
    this.tStuck[t] = 0;
    this.tSpOwn[t] = lo + size - 0x200;
    this.tAlt[t] = -1;
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
    // On its own stack the thread's SP is below what `carve` took.
    const hi = b >= 0 ? this.bHi[b]! : this.tSpOwn[t]! + 0x200;
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
    const marks = this.marks;
    this.enter(node, X_CTHREAD, 1);
    this.body(node, -1, 0, spNow - lo - 0x800);
    // A callback that may have parked leaves its thread in Go until something wakes it.
    if (this.parked) this.tStuck[t] = 1;
    this.noRepeat[node] = this.parked || this.marks !== marks ? 1 : 0;
    this.leave();
    return node;
  }

  /** Starts drawing a top-level step's Go body: a fresh goroutine context, the timeline's scope. */
  private enter(node: number, ctx: number, cbLevel: number): void {
    this.top = node;
    this.ctx = ctx;
    this.cbLevel = cbLevel;
    this.parked = this.yielded = false;
    this.lockDepth = 0;
    this.gctx = ++this.nGctx;
    this.topScope = this.nScope;
  }

  private topScope = 0;

  /** Ends a top-level step's body: what its bodies made is not the later steps'. */
  private leave(): void {
    this.nScope = this.topScope;
    this.ctx = 0;
    this.cbLevel = 0;
    this.parked = this.yielded = false;
    this.lockDepth = 0;
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

  /** A coroutine stack cut out of a thread's own stack, just below its SP (`carve`); the thread's SP moves below it. */
  private carve(): number {
    const rng = this.rng;
    let n = 0;
    for (let t = 0; t < this.nThreads; t++) if (this.usable(t) && this.tOn[t]! < 0 && this.carveRoom(t) >= CARVE_SIZES[0]!) n++;
    let k = rng.int(n);
    let t = 0;
    for (; t < this.nThreads; t++) if (this.usable(t) && this.tOn[t]! < 0 && this.carveRoom(t) >= CARVE_SIZES[0]! && k-- === 0) break;
    let size = rng.pick(CARVE_SIZES);
    while (size > this.carveRoom(t)) size /= 2;
    const hi = Math.floor(this.tSpOwn[t]! / 16) * 16;
    const b = this.nBlocks++;
    this.bLo[b] = hi - size;
    this.bHi[b] = hi;
    this.bLive[b] = 1;
    this.bUsed[b] = 0;
    // The carving frame calls swapcontext from below it (CARVE_CALL_BYTES).
    this.tSpOwn[t] = hi - size - 16;
    return this.add(this.tape.node(T.carve, B.timeline, b, t, size));
  }

  private signal(): number {
    const rng = this.rng;
    const tape = this.tape;
    const t = this.pickThread(undefined);
    let b = -1;
    // Where the kernel chooses: the thread's sigaltstack, or below its SP on its own stack.
    if (this.weights[F.sigstack]! > 0 && (this.tAlt[t]! >= 0 || this.tOn[t]! < 0) && this.frng.chance(0.5)) {
      const node = tape.node(T.signal, B.timeline, t, -1);
      for (let i = this.frng.int(3); i > 0; i--) tape.append(node, tape.node(T.systemstack, B.signal));
      tape.append(0, node);
      return node;
    }
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

  /** A new goroutine number, its stack pinned or not; `node` is its `go`. */
  private newG(kind: number, mSlot: number): number {
    const rng = this.rng;
    const g = this.nGs++;
    this.gOps[g] = 0;
    this.gBlocked[g] = 0;
    this.gTop[g] = this.top;
    let lo = -1;
    let hi = -1;
    if (rng.chance(0.6)) {
      const size = rng.pick(GO_STACK_SIZES);
      lo = GO_STACK_BASE + g * GO_STACK_SLOT;
      hi = lo + size;
    }
    return this.tape.node(T.go, kind, g, mSlot, lo, hi);
  }

  private go(): number {
    // A named M is never named again by a later `go`: the goroutine that ran on it may still
    // hold it (blocked in C, or handed back to it after a preemption).
    const m = this.rng.chance(0.7) ? ++this.nMs : -1;
    // newG draws the stack after the M, as before the second wave.
    const g = this.nGs;
    this.top = -1;
    const node = this.newG(B.timeline, m);
    this.gTop[g] = node;
    this.enter(node, 0, 0);
    this.body(node, g, 0, 0x10000);
    this.leave();
    return node;
  }

  /** A goroutine started from a Go body (newproc): its body, drawn in a context of its own, then op `then` on sync `s` (-1: none). */
  private goChild(then: number, s: number): number {
    const tape = this.tape;
    const node = this.newG(B.go, -1);
    const g = tape.field(node, 0);
    const saved = this.save(X_NOBLOCK, 0);
    this.body(node, g, 0, 0x10000);
    if (then >= 0) tape.append(node, tape.node(then, B.go, s));
    this.restore(saved);
    this.marks++;
    return node;
  }

  /** The last timeline step: main returns (os.Exit), on a goroutine or in a callback. */
  private osExit(): void {
    const rng = this.rng;
    const tape = this.tape;
    const race = rng.chance(0.7) ? 1 : 0;
    if (this.nGs < MAX_GOROUTINES && rng.chance(0.5)) {
      this.top = -1;
      const node = this.newG(B.timeline, -1);
      this.gTop[tape.field(node, 0)] = node;
      tape.append(node, tape.node(T.osExit, B.go, race));
      this.add(node);
      return;
    }
    if (this.freeThreads() === 0) return;
    const t = this.pickThread(undefined);
    const node = tape.node(T.callback, B.timeline, t, -1);
    tape.append(node, tape.node(T.osExit, B.go, race));
    this.add(node);
  }

  // ---- bodies ----

  /** Appends a Go body's steps to `parent`: the goroutine g's (-1: a callback's), at depth, with cRoom bytes of C stack left below. */
  private body(parent: number, g: number, depth: number, cRoom: number): void {
    const rng = this.rng;
    const tape = this.tape;
    const cw = this.choiceW;
    const w = this.weights;
    const inGo = g >= 0;
    // Bodies the second wave draws (a goroutine's, an iterator's, a panic's path) are short: the
    // explorer's rate is per run, and what they are for is where they stand, not their length.
    const n = depth === 0 && rng === this.main ? rng.range(0, 4) : rng.range(0, 2);
    const second = w[F.panic]! + w[F.iterator]! + w[F.sync]! + w[F.sigstack]! > 0;
    let locked = 0;
    let ended = false;
    // n first-wave ops; before each, and after the last, maybe a second-wave op (from frng).
    for (let i = 0; i <= n; i++) {
      if (second && this.frng.chance(NEW_OP_CHANCE)) locked = this.op2(parent, g, depth, cRoom, locked);
      if (i === n) break;
      // Set each time: a nested body (call, cgocall) overwrites them.
      const canPark = (this.ctx & (X_ITER | X_NOPARK)) === 0;
      cw[C.systemstack] = 2;
      cw[C.call] = w[F.grow]!;
      cw[C.grow] = w[F.grow]!;
      cw[C.cgocall] = (w[F.nested]! + w[F.block]!) * (depth < 3 ? 1 : 0);
      cw[C.gc] = w[F.gc]!;
      // Not in an iterator (another goroutine could switch to it meanwhile), nor where C waits for
      // the Go function to return: the model lets C go on past a callback preempted there, which
      // real Go never does (README "Exploring": what the generator leaves out).
      cw[C.preempt] = canPark ? w[F.preempt]! : 0;
      cw[C.lock] = w[F.lock]!;
      cw[C.park] = inGo && depth === 0 && canPark ? w[F.park]! : 0;
      cw[C.gosched] = inGo && canPark ? w[F.park]! : 0;
      cw[C.readMemStats] = inGo && canPark ? w[F.park]! : 0;
      const k = rng.weighted(cw, N_CHOICES);
      switch (k) {
        case C.systemstack: tape.append(parent, tape.node(T.systemstack, B.go)); break;
        case C.call: {
          const frame = rng.pick(FRAMES);
          const words = frame / 8 - 1;
          const ptr = rng.chance(0.5) ? 8 * rng.int(words) : -1;
          const callDepth = rng.chance(0.3) ? rng.range(2, 8) : -1;
          const node = tape.node(T.call, B.go, frame, ptr, callDepth);
          const marks = this.marks;
          if (depth < 3 && rng.chance(0.5)) this.body(node, g, depth + 1, cRoom);
          this.noRepeat[node] = this.marks !== marks ? 1 : 0;
          tape.append(parent, node);
          break;
        }
        case C.grow: tape.append(parent, tape.node(T.grow, B.go, rng.pick(GROW_BYTES))); break;
        case C.cgocall: tape.append(parent, this.cgocall(g, depth, cRoom)); break;
        case C.gc: tape.append(parent, tape.node(T.gc, B.go)); break;
        case C.preempt:
          this.yielded = true;
          if (inGo) this.gOps[g] |= OPBIT.preempt;
          tape.append(parent, tape.node(T.preempt, B.go));
          break;
        case C.lock:
          // Balanced: a body that locks unlocks before it ends (an unbalanced unlock is a user bug
          // every runtime throws on, which would hide the runtime's own bugs).
          tape.append(parent, tape.node(T.lockOSThread, B.go));
          locked++;
          this.lockDepth++;
          break;
        case C.park:
          this.gOps[g] |= OPBIT.park;
          this.parked = this.yielded = true;
          tape.append(parent, tape.node(T.park, B.go, rng.int(PARK_REASONS.length)));
          ended = true;
          i = n;
          break;
        case C.gosched:
          this.gOps[g] |= OPBIT.gosched;
          this.yielded = true;
          tape.append(parent, tape.node(T.gosched, B.go));
          break;
        case C.readMemStats:
          this.gOps[g] |= OPBIT.readMemStats;
          this.yielded = true;
          tape.append(parent, tape.node(T.readMemStats, B.go));
          break;
      }
    }
    this.lockDepth -= locked;
    for (; locked > 0; locked--) {
      const last = tape.last[parent]!;
      const count = tape.count[parent]!;
      tape.insert(parent, last >= 0 && ended && tape.op[last] === T.park ? count - 1 : count, tape.node(T.unlockOSThread, B.go));
    }
    const count = tape.count[parent]!;
    if (w[F.repeat]! > 0 && count > 0 && rng.chance(0.1)) {
      const c = tape.child(parent, rng.int(count));
      const op = tape.op[c];
      if (op === T.systemstack || (op === T.call && !this.noRepeat[c]) || op === T.grow) tape.wrap(parent, c, tape.node(T.repeat, B.go, rng.range(2, 4)));
    }
  }

  /**
   * A second-wave op appended to `parent` (everything drawn from frng), in a body whose own
   * lockOSThread calls not yet undone are `locked`; returns how many remain (a Goexit undoes them
   * first: the deferred calls it runs are not what is being tested, a thread lock leaking past the
   * goroutine's end is a different story).
   */
  private op2(parent: number, g: number, depth: number, cRoom: number, locked: number): number {
    const prev = this.rng;
    const rng = this.rng = this.frng;
    const tape = this.tape;
    const w = this.weights;
    const nw = this.choiceW2;
    const ctx = this.ctx;
    const iter = (ctx & X_ITER) !== 0;
    const canPark = (ctx & (X_ITER | X_NOPARK)) === 0;
    // Parking in a C thread's callback leaves the thread in Go until something wakes it: less often there.
    const syncW = canPark ? ((ctx & X_CTHREAD) !== 0 ? w[F.sync]! * 0.3 : w[F.sync]!) : 0;
    const gRoom = this.nGs < MAX_GOROUTINES;
    const sRoom = this.nSyncs < MAX_GEN_SYNCS;
    nw[C2.recover] = iter ? 0 : w[F.panic]!;
    // Goexit on a C thread's callback throws on every release (a user bug): rare there.
    nw[C2.goexit] = iter ? 0 : (ctx & X_CTHREAD) !== 0 ? w[F.panic]! * 0.002 : w[F.panic]! * 0.3;
    nw[C2.go] = !iter && gRoom ? w[F.sync]! * 0.7 : 0;
    nw[C2.chan] = !iter && sRoom ? w[F.sync]! * 0.8 : 0;
    nw[C2.send] = this.inScope(S_CHAN, 1) > 0 ? syncW : 0;
    nw[C2.recv] = this.inScope(S_CHAN, 0) > 0 ? syncW : 0;
    nw[C2.close] = !iter && this.inScope(S_CHAN, 2) > 0 ? w[F.sync]! * 0.3 : 0;
    nw[C2.wg] = gRoom && sRoom ? syncW * 0.4 : 0;
    nw[C2.sleep] = syncW * 0.2;
    nw[C2.pull] = !iter && sRoom ? w[F.iterator]! : 0;
    nw[C2.next] = !iter && this.inScope(S_ITER, 0) > 0 ? w[F.iterator]! * 1.5 : 0;
    nw[C2.signal] = iter ? 0 : w[F.sigstack]! * 0.5;
    switch (rng.weighted(nw, N_CHOICES2)) {
      case C2.recover: this.recover(parent, g, depth, cRoom); break;
      case C2.goexit:
        // Runs the deferred calls (through callbacks) and ends the goroutine: what follows is dead code.
        for (; locked > 0; locked--, this.lockDepth--) tape.append(parent, tape.node(T.unlockOSThread, B.go));
        this.parked = this.yielded = true;
        tape.append(parent, tape.node(T.goexit, B.go));
        break;
      case C2.go: tape.append(parent, this.goChild(-1, -1)); break;
      case C2.chan: this.chanPair(parent); break;
      case C2.send: this.syncOp(parent, T.send, this.pickScope(S_CHAN, 1)); break;
      case C2.recv: this.syncOp(parent, T.recv, this.pickScope(S_CHAN, 0)); break;
      case C2.close: {
        const s = this.pickScope(S_CHAN, 2);
        this.sClosed[s] = 1;
        this.marks++;
        tape.append(parent, tape.node(T.close, B.go, s));
        break;
      }
      case C2.wg: this.waitGroup(parent); break;
      case C2.sleep:
        this.parked = this.yielded = true;
        this.marks++;
        tape.append(parent, tape.node(T.sleep, B.go, rng.pick(SLEEP_US)));
        break;
      case C2.pull: this.pull(parent, g, depth, cRoom); break;
      case C2.next: tape.append(parent, tape.node(T.next, B.go, this.pickScope(S_ITER, 0))); break;
      case C2.signal: tape.append(parent, tape.node(T.signal, B.go)); break;
    }
    this.rng = prev;
    return locked;
  }

  /**
   * A channel, and mostly a goroutine at its other end: it sends (or closes it, for a channel that
   * is closed) after its body while this goroutine receives, or receives while this one sends.
   * Whoever comes first parks and the other readies it: on a callback's goroutine that is a locked
   * M waiting for its goroutine (stoplockedm, startlockedm) while its C thread stays in Go.
   */
  private chanPair(parent: number): void {
    const rng = this.rng;
    const tape = this.tape;
    const s = this.newSync(S_CHAN);
    const closable = rng.chance(0.3);
    this.sClosable[s] = closable ? 1 : 0;
    this.scope[this.nScope++] = s;
    tape.append(parent, tape.node(T.chan, B.go, s, rng.pick(CHAN_CAPS)));
    if (this.nGs >= MAX_GOROUTINES || (this.ctx & (X_ITER | X_NOPARK)) !== 0 || !rng.chance(0.75)) return;
    if (closable || rng.chance(0.5)) {
      if (closable) this.sClosed[s] = 1;
      tape.append(parent, this.goChild(closable ? T.close : T.send, s));
      this.syncOp(parent, T.recv, s);
    } else {
      tape.append(parent, this.goChild(T.recv, s));
      this.syncOp(parent, T.send, s);
    }
  }

  /** A send or receive: it may park (no partner, no buffer room), and must not run twice. */
  private syncOp(parent: number, op: number, s: number): void {
    this.parked = this.yielded = true;
    this.marks++;
    this.tape.append(parent, this.tape.node(op, B.go, s));
  }

  /**
   * How many channels or iterators in scope: kind S_CHAN with want 0 any channel, 1 one that is
   * never closed (sends), 2 one to close (not yet closed); S_ITER the iterators pulled at this
   * callback level (a `next` from another switches with other locking, which throws).
   */
  private inScope(kind: number, want: number): number {
    let n = 0;
    for (let i = kind === S_ITER ? this.iterFloor : 0; i < this.nScope; i++) if (this.fits(this.scope[i]!, kind, want)) n++;
    if (kind === S_ITER && (this.ctx & X_CTHREAD) === 0 && this.cbLevel === 0 && this.lockDepth === 0) n += this.nShared;
    return n;
  }

  private fits(s: number, kind: number, want: number): boolean {
    if (this.sKind[s] !== kind) return false;
    // An iterator pulled inside a callback or under lockOSThread records its M: only that goroutine
    // (same callback level, same locks) may switch to it. One pulled unlocked, by any goroutine
    // that is unlocked too.
    if (kind === S_ITER) {
      if (this.sLevel[s] !== this.cbLevel || this.sLock[s] !== this.lockDepth) return false;
      return (this.sLevel[s] === 0 && this.sLock[s] === 0) || this.sCtx[s] === this.gctx;
    }
    return want === 0 || (want === 1 ? this.sClosable[s] === 0 : this.sClosable[s] === 1 && this.sClosed[s] === 0);
  }

  private pickScope(kind: number, want: number): number {
    let k = this.rng.int(this.inScope(kind, want));
    for (let i = kind === S_ITER ? this.iterFloor : 0; i < this.nScope; i++) if (this.fits(this.scope[i]!, kind, want) && k-- === 0) return this.scope[i]!;
    return this.shared[k]!;
  }

  /** wg.Add(n); n goroutines that each end with wg.Done(); wg.Wait(). */
  private waitGroup(parent: number): void {
    const rng = this.rng;
    const tape = this.tape;
    const s = this.newSync(S_WG);
    const want = rng.range(1, 2);
    this.marks++;
    const add = tape.node(T.wgAdd, B.go, s, want);
    tape.append(parent, add);
    // A child's body may start goroutines of its own: as many children as there is room for, and Add(that many).
    let n = 0;
    for (; n < want && this.nGs < MAX_GOROUTINES; n++) tape.append(parent, this.goChild(T.wgDone, s));
    tape.setField(add, 1, n);
    this.parked = this.yielded = true;
    tape.append(parent, tape.node(T.wgWait, B.go, s));
  }

  /**
   * A function with a deferred recover() around a path that panics: directly, in deeper frames, or
   * in a callback below C frames (the panic unwinds past them: unwindm). Rarely the panic is not
   * recovered (a user bug: real Go dies of it too, and it is one signature).
   */
  private recover(parent: number, g: number, depth: number, cRoom: number): void {
    const rng = this.rng;
    const tape = this.tape;
    if (rng.chance(0.005)) {
      tape.append(parent, tape.node(T.panic, B.go, 0));
      return;
    }
    const node = tape.node(T.recover, B.go, -1);
    const parked = this.parked;
    const panics = this.panicPath(node, g, depth + 1, cRoom, rng.chance(0.9));
    // recover() must return the value: only where the path surely reaches its panic or parks
    // for good (a Goexit passes every recover, which then returns nil).
    if (panics && !(this.parked && !parked) && rng.chance(0.5)) tape.setField(node, 0, 0);
    tape.append(parent, node);
  }

  /** Draws ops, then the panic (when `panics`) at the end of a chain of calls and callbacks; returns whether it panics for sure. */
  private panicPath(parent: number, g: number, depth: number, cRoom: number, panics: boolean): boolean {
    const rng = this.rng;
    const tape = this.tape;
    const parked = this.parked;
    if (rng.chance(0.5)) this.body(parent, g, depth, cRoom);
    // Whatever came before may have parked or ended the goroutine: the panic might not come.
    const sure = !(this.parked && !parked);
    const r = rng.int(4);
    if (depth < 4 && r === 0) {
      const node = tape.node(T.call, B.go, rng.pick(FRAMES), -1, -1);
      const p = this.panicPath(node, g, depth + 1, cRoom, panics);
      this.noRepeat[node] = 1;
      tape.append(parent, node);
      return sure && p;
    }
    if (depth < 4 && r === 1 && cRoom > 0x2000) {
      // Through C: the callback's Go frames are left by moving SP, the C frames abandoned.
      const cg = tape.node(T.cgocall, B.go);
      let room = cRoom;
      if (rng.chance(0.3)) {
        const bytes = 0x100 * rng.range(1, Math.min(0x20, Math.floor(room / 0x200)));
        tape.append(cg, tape.node(T.stack, B.c, bytes));
        room -= bytes;
      }
      const cb = tape.node(T.callback, B.c, -1, -1);
      if (g >= 0) this.gOps[g] |= OPBIT.callback | OPBIT.cgocall;
      this.cbLevel++;
      const p = this.panicPath(cb, g, depth + 1, room - 0x800, panics);
      this.cbLevel--;
      tape.append(cg, cb);
      tape.append(parent, cg);
      return sure && p;
    }
    if (panics) tape.append(parent, tape.node(T.panic, B.go, 0));
    return sure && panics;
  }

  /**
   * iter.Pull: an iterator whose body yields between stretches of ops that do not park, then
   * `next` it a few times (and maybe `stop` it). Its goroutine runs on the caller's M.
   */
  private pull(parent: number, g: number, depth: number, cRoom: number): void {
    const rng = this.rng;
    const tape = this.tape;
    const s = this.newSync(S_ITER);
    const node = tape.node(T.pull, B.go, s);
    const ctx = this.ctx;
    const saved = this.save(X_ITER | X_NOPARK, 0);
    const yields = rng.range(0, 3);
    for (let y = 0; y <= yields; y++) {
      this.body(node, -1, depth + 1, Math.min(cRoom, 0x8000));
      if (y === yields) break;
      if (rng.chance(0.005) && depth < 3) {
        // A yield from a callback inside the iterator: its locking differs from the pull's (CL 583675).
        const cg = tape.node(T.cgocall, B.go);
        const cb = tape.node(T.callback, B.c, -1, -1);
        tape.append(cb, tape.node(T.yield, B.go, s));
        tape.append(cg, cb);
        tape.append(node, cg);
      } else {
        tape.append(node, tape.node(T.yield, B.go, s));
      }
    }
    this.restore(saved);
    this.marks++;
    tape.append(parent, node);
    // The caller drives it now; later ops at this level (or later timeline goroutines) may too.
    this.scope[this.nScope++] = s;
    if (depth === 0 && g >= 0 && (ctx & (X_CTHREAD | X_NOBLOCK)) === 0 && this.cbLevel === 0 && this.lockDepth === 0 && !this.parked && !this.yielded && !this.gBlocked[g] && tape.kind[parent] === B.timeline) {
      // Pulled by a timeline goroutine before it could block or park: it has run by the next step.
      this.shared[this.nShared++] = s;
      this.nScope--;
    }
    for (let j = rng.int(yields + 2); j > 0; j--) tape.append(parent, tape.node(T.next, B.go, s));
    if (rng.chance(0.3)) tape.append(parent, tape.node(T.stop, B.go, s));
  }

  private cgocall(g: number, depth: number, cRoom: number): number {
    const rng = this.rng;
    const tape = this.tape;
    const w = this.weights;
    const node = tape.node(T.cgocall, B.go);
    let room = cRoom;
    if (rng.chance(0.3) && room > 0x2000) {
      const bytes = 0x100 * rng.range(1, Math.min(0x40, Math.floor(room / 0x200)));
      tape.append(node, tape.node(T.stack, B.c, bytes));
      room -= bytes;
    }
    const callsBack = w[F.nested]! > 0 || rng.chance(0.3);
    if (callsBack) {
      const cb = tape.node(T.callback, B.c, -1, -1);
      this.cbLevel++;
      this.body(cb, g, depth + 1, room - 0x800);
      this.cbLevel--;
      tape.append(node, cb);
      if (g >= 0) this.gOps[g] |= OPBIT.callback;
    }
    // The second wave's C ops (drawn from frng): usleep, a thread C creates and joins, a destructor C registers.
    const frng = this.frng;
    // #cgo nocallback on a C function that does not call back. (One that does panics at the
    // callback's entry, and cgo's wrapper then never clears g.nocgocallback: every later callback
    // of the goroutine panics too, a user bug that would crowd out the rest.)
    if (this.options.nocallback === true && !callsBack && w[F.panic]! > 0 && frng.chance(0.3)) tape.setField(node, 0, 1);
    if (w[F.sync]! > 0 && frng.chance(0.05)) tape.append(node, tape.node(T.sleep, B.c, frng.pick(SLEEP_US)));
    if (w[F.spawn]! > 0 && depth < 3 && frng.chance(0.25)) {
      const stack = frng.pick(SPAWN_STACKS);
      const th = tape.node(T.thread, B.c, stack);
      this.cRestricted(th, depth, (stack < 0 ? 0x40000 : stack) - 0x2000);
      tape.append(node, th);
    }
    if (w[F.exitphase]! > 0 && this.nAtexit < MAX_GEN_ATEXIT && frng.chance(0.25)) {
      this.nAtexit++;
      this.marks++;
      const ax = tape.node(T.atexit, B.c);
      const cb = tape.node(T.callback, B.c, -1, -1);
      // It runs on whatever stack calls exit() (the g0 stack of the M that returns from main): no
      // C calls of its own, which could run off a small coroutine stack.
      this.cRestricted(cb, 2, 0);
      tape.append(ax, cb);
      tape.append(node, ax);
    }
    // Only a goroutine's own top-level C call blocks: the timeline resumes it by name.
    // (The draw comes first, as before the second wave: its conditions only make it not happen.)
    if (w[F.block]! > 0 && depth === 0 && g >= 0 && !this.gBlocked[g] && rng.chance(0.6) && (this.ctx & X_NOBLOCK) === 0 && !this.parked) {
      tape.append(node, tape.node(T.block, B.c));
      this.gBlocked[g] = 1;
    }
    if (g >= 0) this.gOps[g] |= OPBIT.cgocall;
    return node;
  }

  /** The Go function of a thread C creates and joins, or of a destructor: it must not park (C waits for it). */
  private cRestricted(node: number, depth: number, cRoom: number): void {
    const saved = this.save(X_NOPARK | X_CTHREAD | X_NOBLOCK, 1);
    const prev = this.rng;
    const floor = this.iterFloor;
    this.rng = this.frng;
    this.iterFloor = this.nScope;
    this.body(node, -1, depth + 1, cRoom);
    this.iterFloor = floor;
    this.rng = prev;
    this.restore(saved);
  }

  /**
   * Enters the body of another goroutine (a `go`, an iterator, a thread C creates): its context,
   * with nothing parked, yielded or locked yet. Returns what restore() puts back (packed in one
   * number: no object per call).
   */
  private save(ctx: number, cbLevel: number): number {
    const saved = this.ctx | (this.cbLevel << 4) | (this.lockDepth << 10) | (this.nScope << 16) | (this.parked ? 1 << 24 : 0) | (this.yielded ? 1 << 25 : 0);
    this.gctxStack[this.gctxDepth++] = this.gctx;
    this.gctx = ++this.nGctx;
    this.ctx = ctx;
    this.cbLevel = cbLevel;
    this.lockDepth = 0;
    this.parked = this.yielded = false;
    return saved;
  }

  private restore(saved: number): void {
    this.gctx = this.gctxStack[--this.gctxDepth]!;
    this.ctx = saved & 15;
    this.cbLevel = (saved >> 4) & 63;
    this.lockDepth = (saved >> 10) & 63;
    this.nScope = (saved >> 16) & 255;
    this.parked = (saved & (1 << 24)) !== 0;
    this.yielded = (saved & (1 << 25)) !== 0;
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
      // Before the step that starts the goroutine (or anywhere, for a pin on any goroutine).
      const goAt = g >= 0 ? tape.indexOf(0, this.gTop[g]!) : tape.count[0]!;
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
