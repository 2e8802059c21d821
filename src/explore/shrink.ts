// Shrinking: the smallest scenario that still ends with the same signature(s).
//
// A greedy reducer over the scenario's own structure, run to a fixed point: drop a step (alone,
// or with every later step that names the same thread, block or goroutine), drop a body op,
// unwrap a `repeat`/`call`/`cgocall` into its body or reduce its count/depth, replace a C call
// that calls back (or a call's frames) by a `grow` to a round size, move sizes and
// addresses to round values, drop optional fields (explicit SPs, pinned stacks, named Ms, pointer
// slots) and optional top-level settings. Every candidate is checked by compiling and running it;
// a candidate that is invalid simply fails the check.
//
// Why not fast-check's integrated shrinking: its shrink trees follow the arbitraries that built a
// value, but a scenario's steps refer to each other by id (a `switch` names a `malloc`, an `at`
// names a `go`), so tree shrinking mostly yields invalid scenarios, and a chained swarm arbitrary
// shrinks poorly. Its per-value bookkeeping also costs more than the whole generated run.

import type { Scenario } from '../api/types.js';
import { SP_FLOOR } from './generate.js';

type Node = Record<string, unknown>;

/** Counts every op: timeline steps and the ops of every nested body. */
export function countSteps(steps: readonly unknown[]): number {
  let n = 0;
  for (const s of steps) {
    n++;
    const o = s as Node;
    for (const k of ['fn', 'steps']) if (Array.isArray(o[k])) n += countSteps(o[k] as unknown[]);
  }
  return n;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Every array of ops in the scenario, outermost first (the timeline, then bodies). */
function bodies(s: Scenario): unknown[][] {
  const out: unknown[][] = [];
  const walk = (list: unknown[]) => {
    out.push(list);
    for (const op of list) for (const k of ['fn', 'steps']) { const b = (op as Node)[k]; if (Array.isArray(b)) walk(b); }
  };
  walk(s.steps as unknown[]);
  return out;
}

/** Ids a step introduces or names. */
function idsOf(step: Node): string[] {
  const out: string[] = [];
  for (const k of ['id', 'thread', 'to', 'g']) if (typeof step[k] === 'string' && step[k] !== 'thread') out.push(step[k] as string);
  return out;
}

function mentions(step: unknown, id: string): boolean {
  const o = step as Node;
  if (idsOf(o).includes(id)) return true;
  for (const k of ['fn', 'steps']) if (Array.isArray(o[k]) && (o[k] as unknown[]).some((x) => mentions(x, id))) return true;
  return false;
}

const ROUNDINGS = [0x100000, 0x10000, 0x1000, 0x100];
/** Stack use a nested C call or a call's frames may be replaced by (bytes in use to reach). */
const GROW_TO = ['1KiB', '5KiB', '12KiB'];

function roundedValues(v: unknown): unknown[] {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? parseInt(v, 16) : NaN;
  if (!Number.isFinite(n) || n === 0) return [];
  const out: unknown[] = [];
  for (const r of ROUNDINGS) {
    for (const m of [Math.round(n / r) * r, Math.floor(n / r) * r, Math.ceil(n / r) * r]) {
      if (m !== n && m > 0 && m <= 2 * n) out.push(typeof v === 'string' ? `0x${m.toString(16)}` : m);
    }
  }
  return [...new Set(out.map((x) => JSON.stringify(x)))].map((x) => JSON.parse(x) as unknown);
}

/** Candidates from one scenario, most reducing first. */
function* candidates(s: Scenario): Generator<Scenario> {
  const top = s.steps as unknown as Node[];
  // 1. Drop a timeline step with everything that later names what it made, then alone.
  for (let i = top.length - 1; i >= 0; i--) {
    const made = typeof top[i]!.id === 'string' ? (top[i]!.id as string) : undefined;
    if (made !== undefined) {
      const c = clone(s);
      c.steps = (c.steps as unknown as Node[]).filter((x, j) => j !== i && !(j > i && mentions(x, made)) && !(x.op === 'at' && x.g === made)) as unknown as Scenario['steps'];
      yield c;
    }
    const c = clone(s);
    (c.steps as unknown[]).splice(i, 1);
    yield c;
  }
  // 2. Drop an op from a body; unwrap or reduce a wrapper.
  const nb = bodies(s).length;
  for (let b = nb - 1; b >= 0; b--) {
    const len = bodies(s)[b]!.length;
    for (let i = len - 1; i >= 0; i--) {
      if (b > 0) {
        const c = clone(s);
        bodies(c)[b]!.splice(i, 1);
        yield c;
      }
      const op = bodies(s)[b]![i] as Node;
      const inner = (op.op === 'repeat' ? op.steps : op.op === 'call' || op.op === 'cgocall' ? op.fn : undefined) as unknown[] | undefined;
      if (inner !== undefined && (op.op !== 'cgocall' || b > 0)) {
        const c = clone(s);
        bodies(c)[b]!.splice(i, 1, ...clone(inner));
        yield c;
      }
      // A Go body's C call whose only job is to call back: the callback's Go ops, inline.
      if (op.op === 'cgocall' && b > 0 && Array.isArray(op.fn)) {
        const cb = (op.fn as Node[]).find((x) => x.op === 'callback');
        if (cb && Array.isArray(cb.fn)) {
          const c = clone(s);
          bodies(c)[b]!.splice(i, 1, ...clone(cb.fn as unknown[]));
          yield c;
        }
      }
      // A C call with callbacks, or Go frames, whose part in the finding is the stack they use:
      // a `grow` to a round size says the same in one op.
      if ((op.op === 'cgocall' && Array.isArray(op.fn) && (op.fn as Node[]).some((x) => x.op === 'callback')) || (op.op === 'call' && (op.fn !== undefined || op.depth !== undefined))) {
        for (const bytes of GROW_TO) {
          const c = clone(s);
          bodies(c)[b]!.splice(i, 1, { op: 'grow', bytes });
          yield c;
        }
      }
      if (op.op === 'repeat' && typeof op.count === 'number' && op.count > 2) {
        const c = clone(s);
        (bodies(c)[b]![i] as Node).count = 2;
        yield c;
      }
      if (typeof op.depth === 'number' && op.depth > 1) {
        for (const d of [undefined, Math.floor(op.depth / 2)]) {
          const c = clone(s);
          if (d === undefined || d <= 1) delete (bodies(c)[b]![i] as Node).depth; else (bodies(c)[b]![i] as Node).depth = d;
          yield c;
        }
      }
      // Optional fields: the simulator's defaults are simpler than any explicit value.
      for (const k of ['sp', 'stack', 'm', 'ptrs', 'resumeOn', 'g', 'at', 'fn']) {
        if (op[k] !== undefined && !(k === 'fn' && op.op !== 'call' && op.op !== 'signal') && !(k === 'g' && op.op !== 'at')) {
          const c = clone(s);
          delete (bodies(c)[b]![i] as Node)[k];
          yield c;
        }
      }
      // Round sizes and addresses.
      for (const k of ['sp', 'at', 'size', 'bytes', 'frame']) {
        for (const v of roundedValues(op[k])) {
          const c = clone(s);
          (bodies(c)[b]![i] as Node)[k] = v;
          yield c;
        }
      }
      // A stack [lo, hi): round lo keeping the size, then round the size toward a power of two.
      if (Array.isArray(op.stack)) {
        const lo = num((op.stack as unknown[])[0]);
        const hi = num((op.stack as unknown[])[1]);
        if (lo !== undefined && hi !== undefined) {
          const size = hi - lo;
          const pairs: [number, number][] = [];
          for (const v of roundedValues(lo)) if (typeof v === 'number' && v <= lo) pairs.push([v, v + size]);
          for (const p2 of [2 ** Math.floor(Math.log2(size)), 2 ** Math.ceil(Math.log2(size))]) if (p2 !== size && p2 >= 0x800) pairs.push([lo, lo + p2]);
          for (const [l, h] of pairs) {
            const c = clone(s);
            (bodies(c)[b]![i] as Node).stack = [`0x${l.toString(16)}`, `0x${h.toString(16)}`];
            yield c;
          }
        }
      }
    }
  }
  // 3. Optional top-level settings.
  for (const k of ['platform', 'tracebackContext', 'godebug', 'seed', 'strategy'] as const) {
    if (s[k] !== undefined) {
      const c = clone(s);
      delete c[k];
      yield c;
    }
  }
}

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^(0x[0-9a-f]+|\d+)(KiB|MiB)?$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'KiB' ? 1024 : m[2] === 'MiB' ? 1 << 20 : 1);
};

/**
 * Whether every explicit SP of a timeline callback or signal lies on a stack it could be on: a
 * callback's inside the thread's current stack, a signal's inside a live block or thread stack.
 * Shrinking moves addresses toward round values; this keeps it from moving an SP off its stack,
 * which would make a different (and uninteresting) scenario.
 */
export function spsOnTheirStacks(s: Scenario): boolean {
  const threads = new Map<string, [number, number]>();
  const current = new Map<string, [number, number] | undefined>();
  const blocks = new Map<string, [number, number] | undefined>();
  const inside = (sp: number, r: [number, number] | undefined) => r === undefined || (sp >= r[0] + SP_FLOOR && sp < r[1]);
  const walk = (steps: unknown[]): boolean => {
    for (const x of steps as Node[]) {
      if (x.op === 'thread' && Array.isArray(x.stack)) {
        const r = [num(x.stack[0]), num(x.stack[1])];
        const range = r[0] !== undefined && r[1] !== undefined ? [r[0], r[1]] as [number, number] : undefined;
        if (range) threads.set(x.id as string, range);
        current.set(x.id as string, range);
      } else if (x.op === 'malloc') {
        const at = num(x.at);
        const size = num(x.size);
        blocks.set(x.id as string, at !== undefined && size !== undefined ? [at, at + size] : undefined);
      } else if (x.op === 'free') {
        blocks.delete(x.id as string);
      } else if (x.op === 'switch') {
        current.set(x.thread as string, x.to === 'thread' ? threads.get(x.thread as string) : blocks.get(x.to as string));
      } else if (x.op === 'callback' && x.sp !== undefined) {
        const sp = num(x.sp);
        if (sp === undefined || !inside(sp, current.get(x.thread as string))) return false;
      } else if (x.op === 'signal') {
        const sp = num(x.sp);
        if (sp === undefined) return false;
        const all = [...blocks.values(), ...threads.values()];
        if (!all.some((r) => r === undefined || inside(sp, r))) return false;
      } else if (x.op === 'repeat' && Array.isArray(x.steps)) {
        if (!walk(x.steps as unknown[])) return false;
      }
    }
    return true;
  };
  return walk(s.steps as unknown[]);
}

export interface ShrinkOptions {
  /** Stop after this many candidate checks. */
  maxChecks?: number;
}

/**
 * Shrinks `scenario` while `keeps(candidate)` holds (it must hold for the scenario itself).
 * Returns the smallest scenario found and the number of checks made.
 */
export function shrinkScenario(scenario: Scenario, keeps: (s: Scenario) => boolean, options: ShrinkOptions = {}): { scenario: Scenario; checks: number } {
  const maxChecks = options.maxChecks ?? 5000;
  let best = clone(scenario);
  let checks = 0;
  let progress = true;
  while (progress && checks < maxChecks) {
    progress = false;
    for (const c of candidates(best)) {
      if (!spsOnTheirStacks(c)) continue;
      if (++checks > maxChecks) break;
      if (keeps(c)) {
        best = c;
        progress = true;
        break;
      }
    }
  }
  return { scenario: best, checks };
}
