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
// Address map of a generated scenario (the default 64 MiB window):
//   0x00100000 - 0x00700000  malloc'd blocks: coroutine/fiber stacks and signal stacks
//   0x00800000 - 0x00f00000  C thread stacks, one per 2 MiB slot
//   0x01000000 -             the simulator's own C arena (unpinned Go Ms, extra Ms)
//   0x02000000 -             the simulator's Go arena (unpinned goroutine stacks, copystack)
//   0x03000000 - 0x03f00000  pinned goroutine stacks, one per 256 KiB slot

import { Rng } from './rng.js';
import type { Scenario } from '../api/types.js';

/** Features a run's seed switches on or off (swarm), each with its own weight when on. */
export const FEATURES = [
  'cthread', 'coroutine', 'nested', 'signal', 'goroutine', 'grow', 'park', 'block', 'gc', 'preempt',
  'lock', 'tracer', 'pins', 'exit', 'repeat', 'platform',
] as const;
export type Feature = (typeof FEATURES)[number];

/** Interleaving points (src/model/points.ts) and the body ops that reach each. */
const POINTS_BY_OP: Record<string, readonly string[]> = {
  any: ['goroutine.prologue'],
  callback: [
    'cgocallbackg.entry', 'cgocallbackg.after-exitsyscall', 'cgocallbackg1.after-fn', 'cgocallbackg1.defer-ctxt-pop',
    'cgocallbackg1.deferreturn', 'cgocallbackg.after-unlock', 'cgocallbackg.before-reentersyscall',
  ],
  cgocall: ['cgocall.after-entersyscall'],
  park: ['park_m.after-status'],
  gosched: ['goschedImpl.after-status'],
  preempt: ['goschedImpl.after-status'],
  readMemStats: ['stopTheWorld.waiting'],
};
export const ALL_POINTS: readonly string[] = [...new Set(Object.values(POINTS_BY_OP).flat())];

/** Explicit SPs stay at least this far above the bottom of their stack (C frames live below). */
export const SP_FLOOR = 0x800;
const THREAD_BASE = 0x00800000;
const THREAD_SLOT = 0x00200000;
const MAX_THREADS = 3;
const BLOCK_AREA_LO = 0x00100000;
const BLOCK_AREA_HI = 0x00700000;
const GO_STACK_BASE = 0x03000000;
const GO_STACK_SLOT = 0x00040000;
const MAX_GOROUTINES = 6;
/** Ms that preempted goroutines are handed to (`resumeOn`); created idle when first named. */
const RESUME_MS = ['M7', 'M8'];
const BLOCK_SIZES = [0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x100000];
const THREAD_SIZES = [0x10000, 0x40000, 0x80000, 0x100000];
const GO_STACK_SIZES = [0x800, 0x1000, 0x2000, 0x4000, 0x8000, 0x10000];

export interface GenerateOptions {
  /** Number of `at` pins to place exactly (the pct strategy's depth − 1); default: swarm's choice. */
  pins?: number;
  /** Largest number of timeline steps drawn (before pins); default 10. */
  maxSteps?: number;
}

export interface Generated {
  scenario: Scenario;
  /** The features this seed switched on. */
  features: Feature[];
}

type Step = Record<string, unknown>;

interface Block { id: string; lo: number; hi: number; live: boolean; usedBy: number }
interface Thread { id: string; lo: number; hi: number; exited: boolean; on: Block | undefined; blocked: boolean; sps: number[] }
interface Goroutine { id: string; ops: Set<string>; blockedInC: boolean; parked: boolean; m: string | undefined; index: number }

const hex = (n: number) => `0x${n.toString(16)}`;

class Generator {
  readonly weights: Record<Feature, number>;
  readonly steps: Step[] = [];
  private threads: Thread[] = [];
  private blocks: Block[] = [];
  private goroutines: Goroutine[] = [];
  private nMs = 0;
  private tracing = false;
  private nBlocks = 0;
  private blockCursor = BLOCK_AREA_LO;
  readonly tracebackContext: boolean;
  readonly platform: string;

  constructor(private readonly rng: Rng, private readonly options: GenerateOptions) {
    const w = {} as Record<Feature, number>;
    for (const f of FEATURES) w[f] = rng.chance(0.5) ? rng.range(1, 4) : 0;
    // Something must call into Go.
    if (w.cthread === 0 && w.coroutine === 0 && w.goroutine === 0 && w.signal === 0) w[rng.pick(['cthread', 'coroutine', 'goroutine'] as const)] = 2;
    this.weights = w;
    this.tracebackContext = (w.nested > 0 || w.goroutine > 0) && rng.chance(0.4);
    this.platform = w.platform > 0 ? rng.pick(['glibc', 'musl', 'windows', 'nobounds']) : 'glibc';
  }

  // ---- timeline ----

  /** The actions possible now, with their weights. */
  private actions(): [string, number][] {
    const w = this.weights;
    const live = this.liveThreads();
    const free = live.filter((t) => !t.blocked);
    const out: [string, number][] = [];
    const add = (name: string, weight: number, ok: boolean) => { if (ok && weight > 0) out.push([name, weight]); };
    add('thread', Math.max(w.cthread, w.coroutine, w.signal), this.threads.length < MAX_THREADS);
    add('callback', w.cthread + w.coroutine + w.nested, free.length > 0);
    add('malloc', w.coroutine + (w.signal > 0 ? 1 : 0), this.nBlocks < 12);
    add('switch', w.coroutine * 2, free.length > 0 && this.liveBlocks().length > 0);
    add('switchBack', w.coroutine * 2, free.some((t) => t.on !== undefined));
    add('free', w.coroutine, this.liveBlocks().some((b) => b.usedBy === 0));
    add('signal', w.signal, free.length > 0);
    add('go', w.goroutine * 2, this.goroutines.length < MAX_GOROUTINES);
    add('resume', w.block * 3, this.goroutines.some((g) => g.blockedInC) || live.some((t) => t.blocked));
    add('gc', w.gc, true);
    add('preempt', w.preempt, this.goroutines.length > 0);
    add('traceStart', w.tracer * 2, !this.tracing);
    add('traceAdvance', w.tracer * 2, this.tracing);
    add('traceStop', w.tracer, this.tracing);
    add('exit', w.exit, free.some((t) => t.on === undefined));
    return out;
  }

  private liveThreads(): Thread[] { return this.threads.filter((t) => !t.exited); }
  private liveBlocks(): Block[] { return this.blocks.filter((b) => b.live); }

  timeline(): void {
    const rng = this.rng;
    const n = rng.range(2, this.options.maxSteps ?? 10);
    for (let i = 0; i < n; i++) {
      const acts = this.actions();
      const k = rng.weighted(acts.map((a) => a[1]));
      if (k < 0) break;
      const made = this.action(acts[k]![0]);
      if (made.length === 0) continue;
      if (this.weights.repeat > 0 && rng.chance(0.08) && made.every((s) => s.op === 'callback' || s.op === 'gc' || s.op === 'traceAdvance')) {
        this.steps.push({ op: 'repeat', count: rng.range(2, 3), steps: made });
      } else {
        this.steps.push(...made);
      }
    }
    this.pins();
  }

  private action(name: string): Step[] {
    const rng = this.rng;
    switch (name) {
      case 'thread': return [this.newThread()];
      case 'callback': {
        const t = rng.pick(this.liveThreads().filter((x) => !x.blocked));
        return [this.callback(t)];
      }
      case 'malloc': {
        const b = this.malloc();
        return b ? [b] : [];
      }
      case 'switch': {
        const t = rng.pick(this.liveThreads().filter((x) => !x.blocked));
        const b = rng.pick(this.liveBlocks());
        if (t.on) t.on.usedBy--;
        t.on = b;
        b.usedBy++;
        return [{ op: 'switch', thread: t.id, to: b.id }];
      }
      case 'switchBack': {
        const t = rng.pick(this.liveThreads().filter((x) => !x.blocked && x.on !== undefined));
        t.on!.usedBy--;
        t.on = undefined;
        return [{ op: 'switch', thread: t.id, to: 'thread' }];
      }
      case 'free': {
        const b = rng.pick(this.liveBlocks().filter((x) => x.usedBy === 0));
        b.live = false;
        return [{ op: 'free', id: b.id }];
      }
      case 'signal': return this.signal();
      case 'go': return [this.go()];
      case 'resume': {
        const gs = this.goroutines.filter((g) => g.blockedInC);
        const ts = this.liveThreads().filter((t) => t.blocked);
        if (gs.length > 0 && (ts.length === 0 || rng.chance(0.5))) {
          const g = rng.pick(gs);
          g.blockedInC = false;
          return [{ op: 'resume', g: g.id }];
        }
        const t = rng.pick(ts);
        t.blocked = false;
        return [{ op: 'resume', thread: t.id }];
      }
      case 'gc': return [{ op: 'gc' }];
      case 'preempt': {
        const g = rng.pick(this.goroutines);
        const s: Step = { op: 'preempt', g: g.id };
        if (rng.chance(0.5)) s.resumeOn = rng.pick(RESUME_MS);
        return [s];
      }
      case 'traceStart': this.tracing = true; return [{ op: 'traceStart' }];
      case 'traceAdvance': return [{ op: 'traceAdvance' }];
      case 'traceStop': this.tracing = false; return [{ op: 'traceStop' }];
      case 'exit': {
        const t = rng.pick(this.liveThreads().filter((x) => !x.blocked && x.on === undefined));
        t.exited = true;
        return [{ op: 'exit', thread: t.id }];
      }
    }
    return [];
  }

  private newThread(): Step {
    const i = this.threads.length;
    const lo = THREAD_BASE + i * THREAD_SLOT;
    const size = this.rng.pick(THREAD_SIZES);
    const t: Thread = { id: `T${i + 1}`, lo, hi: lo + size, exited: false, on: undefined, blocked: false, sps: [] };
    this.threads.push(t);
    return { op: 'thread', id: t.id, stack: [hex(t.lo), hex(t.hi)] };
  }

  /** The stack the thread runs on now: its own, or the block it switched to. */
  private current(t: Thread): { lo: number; hi: number } {
    return t.on ?? t;
  }

  private callback(t: Thread): Step {
    const rng = this.rng;
    const cur = this.current(t);
    const s: Step = { op: 'callback', thread: t.id };
    const size = cur.hi - cur.lo;
    const near = this.nearEarlierBounds(t).filter((sp) => sp >= cur.lo + SP_FLOOR && sp <= cur.hi - 0x200);
    if (near.length > 0 && rng.chance(0.3)) {
      s.sp = hex(rng.pick(near));
    } else if (size >= 0x2000 && rng.chance(0.35)) {
      // A callback deeper in the current stack: C code used part of it first.
      const room = Math.floor((size - 0x1000) / 0x100);
      s.sp = hex(cur.hi - 0x200 - 0x100 * rng.int(room));
    }
    const spNow = s.sp === undefined ? cur.hi - 0x200 : parseInt(s.sp as string, 16);
    t.sps.push(spNow);
    const body = this.body({ goroutine: undefined, depth: 0, cRoom: spNow - cur.lo - 0x800, thread: t });
    s.fn = body;
    return s;
  }

  /**
   * Stack pointers just inside the edges of the bounds an earlier callback on this thread may
   * have left on its M: the runtime's estimate around an SP is [sp-32KiB, sp+1KiB] (§3). Where
   * a new SP falls relative to stale bounds is what the callback-update versions disagree on.
   */
  private nearEarlierBounds(t: Thread): number[] {
    const out: number[] = [];
    for (const sp of t.sps.slice(-3)) {
      for (let k = 1; k <= 6; k++) out.push(sp - 0x8000 + 0x100 * k, sp + 0x400 - 0x100 * k);
    }
    return out;
  }

  /** Places a block: fresh, or below, above, adjacent to or overlapping a freed one. */
  private malloc(): Step | undefined {
    const rng = this.rng;
    const size = rng.chance(0.2) ? rng.range(0x10, 0x400) * 0x100 : rng.pick(BLOCK_SIZES);
    const freed = this.blocks.filter((b) => !b.live);
    let lo = -1;
    for (let attempt = 0; attempt < 4 && lo < 0; attempt++) {
      let cand: number;
      const near = this.threads.flatMap((t) => this.nearEarlierBounds(t));
      if (near.length > 0 && rng.chance(0.25)) {
        // A block whose first SP (0x200 below its top) lands near an earlier callback's bounds.
        cand = rng.pick(near) + 0x200 - size;
      } else if (freed.length > 0 && rng.chance(0.75)) {
        const f = rng.pick(freed);
        const gap = rng.chance(0.5) ? 0 : 0x100 * rng.range(1, 0x40);
        switch (rng.int(4)) {
          case 0: cand = f.lo - size - gap; break;                      // below
          case 1: cand = f.hi + gap; break;                             // above
          case 2: cand = rng.chance(0.5) ? f.lo - size : f.hi; break;   // adjacent
          default: {                                                    // overlapping
            const span = Math.floor((f.hi - f.lo + size) / 0x100);
            cand = f.lo - size + 0x100 * rng.range(1, Math.max(1, span - 1));
          }
        }
      } else {
        cand = this.blockCursor + 0x100 * rng.int(0x100);
      }
      if (cand >= BLOCK_AREA_LO && cand + size <= BLOCK_AREA_HI && !this.liveBlocks().some((b) => cand < b.hi && b.lo < cand + size)) lo = cand;
    }
    if (lo < 0) return undefined;
    const b: Block = { id: `B${++this.nBlocks}`, lo, hi: lo + size, live: true, usedBy: 0 };
    this.blocks.push(b);
    this.blockCursor = Math.max(this.blockCursor, Math.ceil((b.hi + 1) / 0x10000) * 0x10000);
    return { op: 'malloc', id: b.id, size: size % 1024 === 0 ? `${size / 1024}KiB` : size, at: hex(lo) };
  }

  private signal(): Step[] {
    const rng = this.rng;
    const t = rng.pick(this.liveThreads().filter((x) => !x.blocked));
    const out: Step[] = [];
    let stacks = this.liveBlocks().filter((b) => b.usedBy === 0 && b.hi - b.lo >= 0x2000);
    if (stacks.length === 0) {
      const m = this.malloc();
      if (!m) return [];
      out.push(m);
      stacks = this.liveBlocks().filter((b) => b.usedBy === 0 && b.hi - b.lo >= 0x2000);
      if (stacks.length === 0) return out;
    }
    const b = rng.pick(stacks);
    const fn: Step[] = [];
    for (let i = rng.int(3); i > 0; i--) fn.push({ op: 'systemstack' });
    out.push({ op: 'signal', thread: t.id, sp: hex(b.hi - 0x100 - 0x100 * rng.int(8)), fn });
    return out;
  }

  private go(): Step {
    const rng = this.rng;
    const index = this.goroutines.length;
    const g: Goroutine = { id: `G${index + 2}`, ops: new Set(), blockedInC: false, parked: false, m: undefined, index };
    this.goroutines.push(g);
    const s: Step = { op: 'go', id: g.id };
    // A named M is never named again by a later `go`: the goroutine that ran on it may still
    // hold it (blocked in C, or handed back to it after a preemption).
    if (rng.chance(0.7)) {
      g.m = `M${++this.nMs}`;
      s.m = { id: g.m };
    }
    if (rng.chance(0.6)) {
      const size = rng.pick(GO_STACK_SIZES);
      const lo = GO_STACK_BASE + index * GO_STACK_SLOT;
      s.stack = [hex(lo), hex(lo + size)];
    }
    s.fn = this.body({ goroutine: g, depth: 0, cRoom: 0x10000, thread: undefined });
    return s;
  }

  // ---- bodies ----

  private body(ctx: BodyContext): Step[] {
    const rng = this.rng;
    const w = this.weights;
    const out: Step[] = [];
    const n = ctx.depth === 0 ? rng.range(0, 4) : rng.range(0, 2);
    const inGo = ctx.goroutine !== undefined;
    let locked = 0;
    for (let i = 0; i < n; i++) {
      const choices: [string, number][] = [
        ['systemstack', 2],
        ['call', w.grow],
        ['grow', w.grow],
        ['cgocall', (w.nested + w.block) * (ctx.depth < 3 ? 1 : 0)],
        ['gc', w.gc],
        ['preempt', w.preempt],
        ['lock', w.lock],
        ['park', inGo && ctx.depth === 0 ? w.park : 0],
        ['gosched', inGo ? w.park : 0],
        ['readMemStats', inGo ? w.park : 0],
      ];
      const k = rng.weighted(choices.map((c) => c[1]));
      const name = choices[k]![0];
      ctx.goroutine?.ops.add(name);
      switch (name) {
        case 'systemstack': out.push({ op: 'systemstack' }); break;
        case 'call': {
          const frame = rng.pick([32, 64, 128, 256, 512, 1024, 4096]);
          const s: Step = { op: 'call', frame };
          const words = frame / 8 - 1;
          if (rng.chance(0.5)) s.ptrs = [...new Set([0, 8 * rng.int(words)])];
          if (rng.chance(0.3)) s.depth = rng.range(2, 8);
          if (ctx.depth < 3 && rng.chance(0.5)) s.fn = this.body({ ...ctx, depth: ctx.depth + 1 });
          out.push(s);
          break;
        }
        case 'grow': out.push({ op: 'grow', bytes: rng.pick([512, '1KiB', '3KiB', '5KiB', '12KiB', '40KiB']) }); break;
        case 'cgocall': out.push(this.cgocall(ctx)); break;
        case 'gc': out.push({ op: 'gc' }); break;
        case 'preempt': out.push({ op: 'preempt' }); break;
        case 'lock': {
          // Balanced: a body that locks unlocks before it ends (an unbalanced unlock is a user bug
          // every runtime throws on, which would hide the runtime's own bugs).
          out.push({ op: 'lockOSThread' });
          locked++;
          break;
        }
        case 'park': out.push({ op: 'park', reason: rng.pick(['sync.Mutex.Lock', 'chan receive', 'select', 'sleep', 'semacquire']) }); ctx.goroutine!.parked = true; i = n; break;
        case 'gosched': out.push({ op: 'gosched' }); break;
        case 'readMemStats': out.push({ op: 'readMemStats' }); break;
      }
    }
    for (; locked > 0; locked--) {
      const at = out.length > 0 && out[out.length - 1]!.op === 'park' ? out.length - 1 : out.length;
      out.splice(at, 0, { op: 'unlockOSThread' });
    }
    if (w.repeat > 0 && out.length > 0 && rng.chance(0.1)) {
      const i = rng.int(out.length);
      const op = out[i]!.op;
      if (op === 'systemstack' || op === 'call' || op === 'grow') out[i] = { op: 'repeat', count: rng.range(2, 4), steps: [out[i]!] };
    }
    return out;
  }

  private cgocall(ctx: BodyContext): Step {
    const rng = this.rng;
    const w = this.weights;
    const fn: Step[] = [];
    let room = ctx.cRoom;
    if (rng.chance(0.3) && room > 0x2000) {
      const bytes = 0x100 * rng.range(1, Math.min(0x40, Math.floor(room / 0x200)));
      fn.push({ op: 'stack', bytes });
      room -= bytes;
    }
    if (w.nested > 0 || rng.chance(0.3)) {
      const cb: Step = { op: 'callback', fn: this.body({ ...ctx, depth: ctx.depth + 1, cRoom: room - 0x800 }) };
      fn.push(cb);
    }
    // Only a goroutine's own top-level C call blocks: the timeline resumes it by name.
    if (w.block > 0 && ctx.depth === 0 && ctx.goroutine && !ctx.goroutine.blockedInC && rng.chance(0.6)) {
      fn.push({ op: 'block' });
      ctx.goroutine.blockedInC = true;
    }
    ctx.goroutine?.ops.add('cgocall');
    if (fn.some((s) => s.op === 'callback')) ctx.goroutine?.ops.add('callback');
    return { op: 'cgocall', fn };
  }

  // ---- pins ----

  /** `at` pins over the interleaving points, placed before the goroutine they wait for starts. */
  private pins(): void {
    const rng = this.rng;
    const w = this.weights;
    let n = this.options.pins ?? (w.pins > 0 ? rng.range(1, w.pins) : 0);
    while (n-- > 0) {
      const g = this.goroutines.length > 0 && rng.chance(0.85) ? rng.pick(this.goroutines) : undefined;
      let point: string;
      if (g && rng.chance(0.75)) {
        const reach = ['any', ...g.ops].flatMap((op) => POINTS_BY_OP[op] ?? []);
        point = rng.pick(reach.length > 0 ? reach : ALL_POINTS);
      } else {
        point = rng.pick(ALL_POINTS);
      }
      const steps: Step[] = [];
      const kinds: [string, number][] = [['gc', 3], ['preempt', 3], ['traceAdvance', this.tracing || w.tracer > 0 ? 1 : 0]];
      for (let i = rng.range(1, 2); i > 0; i--) {
        const kind = kinds[rng.weighted(kinds.map((x) => x[1]))]![0];
        if (kind === 'preempt') {
          const p: Step = { op: 'preempt' };
          if (g && rng.chance(0.5)) p.g = g.id;
          if (rng.chance(0.6)) p.resumeOn = rng.pick(RESUME_MS);
          steps.push(p);
        } else if (kind === 'traceAdvance') {
          steps.push({ op: 'traceAdvance' });
        } else {
          steps.push({ op: 'gc' });
        }
      }
      const pin: Step = { op: 'at', point };
      if (g) pin.g = g.id;
      pin.steps = steps;
      // Before the goroutine's `go` step (or anywhere, for a pin on any goroutine).
      const goAt = g ? this.steps.findIndex((s) => s.op === 'go' && s.id === g.id) : this.steps.length;
      this.steps.splice(rng.int(Math.max(0, goAt) + 1), 0, pin);
    }
  }
}

interface BodyContext {
  goroutine: Goroutine | undefined;
  depth: number;
  /** C stack left for C bodies below this point. */
  cRoom: number;
  thread: Thread | undefined;
}

/** Makes the scenario of one seed. */
export function generate(seed: number, options: GenerateOptions = {}): Generated {
  const rng = new Rng(seed);
  const gen = new Generator(rng, options);
  gen.timeline();
  const scenario: Scenario = { format: 1, name: `explore-${seed >>> 0}`, steps: gen.steps as unknown as Scenario['steps'] };
  if (gen.platform !== 'glibc') scenario.platform = gen.platform as Scenario['platform'];
  if (gen.tracebackContext) scenario.tracebackContext = true;
  scenario.seed = rng.next() >>> 1;
  return { scenario, features: FEATURES.filter((f) => gen.weights[f] > 0) };
}
