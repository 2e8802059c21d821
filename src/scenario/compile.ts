// The scenario compiler: validates a scenario against format 1 (scenario-format.md) and lays it
// out as the op stream the core runs (assembly/interp.ts has the record layout).
//
// Validation happens here, once, at the boundary: every error names the path of the offending
// field ("steps[4].fn[0].sp") and says what was expected. What only the running model can know
// (overlaps with stacks the runtime placed, a thread blocked in C) the core reports, and
// result.ts turns it into the same kind of message, with the path of the op that found it.

import { ScenarioError, describe, parseAddress, parseSize, MAX_U64 } from '../api/errors.js';
import {
  FLAG_NAMES, PLATFORMS, GODEBUG_NAMES, GODEBUG_NOT_MODELLED, PROFILE_NAMES, resolveProfile, CB_UPDATE_GROUP,
  type FlagName, type Platform,
} from '../model/profiles.js';
import { COUNTER_NAMES, type Expectation, type Scenario } from '../api/types.js';
import { POINTS, pointId } from '../model/points.js';

// Op codes and record size: the same numbers as assembly/interp.ts.
export const OP = {
  THREAD: 1, MALLOC: 2, FREE: 3, SWITCH: 4, CALLBACK: 5, SIGNAL: 6, EXIT: 7, GO: 8, RESUME: 9, REPEAT: 10,
  SYSTEMSTACK: 20, CGOCALL: 21, LOCK: 22, UNLOCK: 23, CALL: 24, GROW: 25, GC: 26, SETMAXSTACK: 27,
  C_STACK: 30, C_BLOCK: 33, TRACE_START: 34, TRACE_ADVANCE: 35, TRACE_STOP: 36, PREEMPT: 37, GOSCHED: 38, AT: 39,
  PARK: 40, READMEMSTATS: 41,
} as const;

/** Wait reasons by name (waitReasonStrings), with the ids the core uses (assembly/gstatus.ts). */
export const WAIT_REASONS: Record<string, number> = {
  'GC assist marking': 1, 'garbage collection': 2, 'garbage collection scan': 3, 'GC worker (active)': 4,
  'GC mark termination': 5, 'stopping the world': 6, 'flushing proc caches': 7, 'trace goroutine status': 8,
  'trace proc status': 9, 'page trace flush': 10, 'sync.Mutex.Lock': 11, 'chan receive': 12, 'semacquire': 13,
  'sleep': 14, 'select': 15,
};
/** Bodies nest at most this deep (the interpreter keeps 64 frames per context). */
export const MAX_NESTING = 48;
export const MIN_THREAD_STACK = 4096n;
export const MIN_GO_STACK = 2048n;
/** malloc's alignment on 64-bit glibc, musl and Windows: a pinned block address must have it. */
export const MALLOC_ALIGN = 16n;
/** Function indices below this are the runtime's own (assembly/stack.ts). */
export const FIRST_USER_FUNC = 16;
/** Stack-map words the runtime's functions use; the scenario's start after them. */
export const RUNTIME_BITMAP_WORDS = 64;
export const BITMAP_WORDS = 262144;
export const MAX_FUNCS = 4096;
export const MAX_VALUES = 16384;
export const MAX_CALL_FRAME = 1 << 20;
export const DEFAULT_MAX_STACK = 1_000_000_000n;
export const OP_SIZE = 64;
export const MAX_OPS = 131072;
export const MAX_HOST_THREADS = 256;
export const MAX_HOST_GS = 1024;
export const MAX_HOST_MS = 128;
export const MAX_BLOCKS = 4096;

export const DEFAULT_WINDOW_SIZE = 64n << 20n;
export const MAX_WINDOW_SIZE = 768n << 20n;
export const DEFAULT_G0_CHECK_DEPTH = 0x100;

/** Ops of format 1 this version does not model yet, with the mechanism they need. */
const NOT_YET: Record<string, string> = {
  traceStart: 'the execution tracer started from Go',
  traceAdvance: 'the execution tracer advanced from Go',
};

export interface CompiledScenario {
  name: string;
  profile: string | undefined;
  flags: Partial<Record<FlagName, boolean>>;
  platform: Platform;
  godebug: Record<string, string>;
  g0CheckDepth: bigint;
  windowBase: bigint;
  windowSize: bigint;
  seed: number;
  runtimeStarted: boolean;
  tracebackContext: boolean;
  strategy: 'random' | 'pct';
  expect: Record<string, Expectation> | undefined;
  ops: Uint8Array;
  nOps: number;
  timelineEnd: number;
  /** Per op: its path in the scenario, and the field that names its subject. */
  paths: string[];
  /** Per op: the index of the top-level step it belongs to. */
  topStep: number[];
  threads: string[];
  blocks: string[];
  goroutines: string[];
  goids: bigint[];
  goMs: string[];
  goidBase: bigint;
  /** Functions of the scenario's `call`s, from index FIRST_USER_FUNC, with their stack maps. */
  funcs: FuncDef[];
  bitmaps: Uint32Array;
  /** Explicit slot values: [function index, word, value]. */
  values: [number, number, bigint][];
  godebugBits: number;
}

export interface FuncDef { name: string; frameSize: number; nWords: number; bitmapWord: number; valuesOff: number; nValues: number }

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fields(v: unknown, path: string, allowed: readonly string[], required: readonly string[]): Json {
  if (!isObject(v)) throw new ScenarioError(path, `must be an object, got ${describe(v)}`);
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) {
      throw new ScenarioError(path, `unknown key ${JSON.stringify(k)}; expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  for (const k of required) {
    if (v[k] === undefined) throw new ScenarioError(path, `missing required field "${k}"`);
  }
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ScenarioError(path, `must be a non-empty string, got ${describe(v)}`);
  return v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ScenarioError(path, `must be an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ScenarioError(path, `must be true or false, got ${describe(v)}`);
  return v;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, `must be an array, got ${describe(v)}`);
  return v;
}

/** Which ops a body may hold. */
export type BodyKind = 'timeline' | 'go' | 'c' | 'signal' | 'hook';
/** The ops each kind of body accepts (docs/scenario-format.md has a section for each). */
export const BODY_OPS: Record<BodyKind, readonly string[]> = {
  timeline: ['thread', 'malloc', 'free', 'switch', 'callback', 'signal', 'exit', 'go', 'resume', 'repeat', 'gc', 'traceStart', 'traceAdvance', 'traceStop', 'preempt', 'at'],
  go: ['systemstack', 'cgocall', 'lockOSThread', 'unlockOSThread', 'repeat', 'call', 'grow', 'gc', 'setMaxStack', 'preempt', 'gosched', 'park', 'readMemStats'],
  hook: ['preempt', 'gc', 'traceStart', 'traceAdvance', 'traceStop'],
  c: ['stack', 'switch', 'callback', 'block', 'repeat'],
  signal: ['systemstack', 'repeat'],
};
const BODY_NAME: Record<BodyKind, string> = { timeline: 'timeline', go: 'Go body', c: 'C body', signal: 'signal handler body', hook: '"at" step list' };

interface ThreadInfo { index: number; exited: boolean }

class Compiler {
  private buf = new DataView(new ArrayBuffer(OP_SIZE * 256));
  private n = 0;
  readonly paths: string[] = [];
  readonly topStep: number[] = [];
  readonly threads = new Map<string, ThreadInfo>();
  readonly blocks = new Map<string, number>();
  readonly goroutines = new Map<string, number>();
  readonly goMs = new Map<string, number>();
  private mainThread: string | undefined;
  readonly funcs: FuncDef[] = [];
  private bitmapWords: number[] = [];
  readonly values: [number, number, bigint][] = [];
  private repeatDepth = 0;
  private top = 0;

  constructor(private readonly base: bigint, private readonly size: bigint) {}

  get count(): number { return this.n; }
  bytes(): Uint8Array { return new Uint8Array(this.buf.buffer, 0, this.n * OP_SIZE); }

  private reserve(k: number, path: string): number {
    if (this.n + k > MAX_OPS) throw new ScenarioError(path, `the scenario compiles to more than ${MAX_OPS} ops; use "repeat" for long runs`);
    while ((this.n + k) * OP_SIZE > this.buf.byteLength) {
      const bigger = new DataView(new ArrayBuffer(this.buf.byteLength * 2));
      new Uint8Array(bigger.buffer).set(new Uint8Array(this.buf.buffer));
      this.buf = bigger;
    }
    const start = this.n;
    this.n += k;
    return start;
  }

  private u32(op: number, off: number, v: number): void { this.buf.setUint32(op * OP_SIZE + off, v, true); }
  private u64(op: number, off: number, v: bigint): void { this.buf.setBigUint64(op * OP_SIZE + off, v, true); }

  private inWindow(lo: bigint, hi: bigint, path: string, what: string): void {
    if (lo < this.base || hi > this.base + this.size || hi < lo) {
      throw new ScenarioError(path, `${what} [0x${lo.toString(16)}, 0x${hi.toString(16)}) lies outside the address space window [0x${this.base.toString(16)}, 0x${(this.base + this.size).toString(16)}); set "addressSpace" to cover it`);
    }
  }

  private stackPair(v: unknown, path: string): [bigint, bigint] {
    const a = arr(v, path);
    if (a.length !== 2) throw new ScenarioError(path, `must be [lo, hi], got ${a.length} elements`);
    const lo = parseAddress(a[0], `${path}[0]`);
    const hi = parseAddress(a[1], `${path}[1]`);
    if (hi <= lo) throw new ScenarioError(path, `hi must be above lo, got [0x${lo.toString(16)}, 0x${hi.toString(16)}]`);
    this.inWindow(lo, hi, path, 'stack');
    return [lo, hi];
  }

  private sp(v: unknown, path: string): bigint {
    const sp = parseAddress(v, path);
    this.inWindow(sp, sp + 8n, path, 'stack pointer');
    return sp;
  }

  private threadRef(v: unknown, path: string): number {
    const id = str(v, path);
    const t = this.threads.get(id);
    if (!t) throw new ScenarioError(path, `no thread ${JSON.stringify(id)} has been created by an earlier "thread" step`);
    if (t.exited && this.repeatDepth === 0) throw new ScenarioError(path, `thread ${JSON.stringify(id)} has already exited`);
    return t.index;
  }

  private blockTarget(v: unknown, path: string): number {
    const id = str(v, path);
    if (id === 'thread') return 0;
    const b = this.blocks.get(id);
    if (b === undefined) throw new ScenarioError(path, `must be "thread" or the id of a block from an earlier "malloc", got ${JSON.stringify(id)}`);
    return b + 1;
  }

  /** Lays out a body contiguously and returns [start, end). Nested bodies go after it. */
  private nesting = 0;

  body(steps: unknown, path: string, kind: BodyKind): [number, number] {
    const list = arr(steps, path);
    if (++this.nesting > MAX_NESTING) throw new ScenarioError(path, `bodies nest more than ${MAX_NESTING} deep`);
    const start = this.reserve(list.length, path);
    list.forEach((step, i) => {
      if (kind === 'timeline' && path === 'steps') this.top = i;
      this.step(start + i, step, `${path}[${i}]`, kind);
    });
    this.nesting--;
    return [start, start + list.length];
  }

  private step(op: number, raw: unknown, path: string, kind: BodyKind): void {
    if (!isObject(raw)) throw new ScenarioError(path, `must be an object with an "op", got ${describe(raw)}`);
    const name = raw.op;
    if (typeof name !== 'string') throw new ScenarioError(`${path}.op`, `missing or not a string`);
    this.paths[op] = path;
    this.topStep[op] = this.top;
    if (!BODY_OPS[kind].includes(name)) {
      if (NOT_YET[name] && (kind !== 'c')) {
        throw new ScenarioError(`${path}.op`, `"${name}" is part of scenario format 1, but this version of cgosim does not model ${NOT_YET[name]} yet, so it cannot run this scenario`);
      }
      throw new ScenarioError(`${path}.op`, `unknown op ${JSON.stringify(name)} in a ${BODY_NAME[kind]}; expected one of ${BODY_OPS[kind].map((o) => `"${o}"`).join(', ')}`);
    }
    const u32 = (off: number, v: number) => this.u32(op, off, v);
    const u64 = (off: number, v: bigint) => this.u64(op, off, v);
    switch (name) {
      case 'thread': {
        const s = fields(raw, path, ['op', 'id', 'stack', 'main'], ['id', 'stack']);
        const id = str(s.id, `${path}.id`);
        if (this.threads.has(id)) throw new ScenarioError(`${path}.id`, `thread ${JSON.stringify(id)} already exists`);
        if (this.repeatDepth > 0) throw new ScenarioError(path, `"thread" cannot be inside "repeat": thread ids are created once`);
        if (this.threads.size >= MAX_HOST_THREADS) throw new ScenarioError(path, `more than ${MAX_HOST_THREADS} threads`);
        const [lo, hi] = this.stackPair(s.stack, `${path}.stack`);
        if (hi - lo < MIN_THREAD_STACK) throw new ScenarioError(`${path}.stack`, `must be at least 4KiB: a thread starts 0x200 below the top of its stack`);
        const isMain = s.main === undefined ? false : bool(s.main, `${path}.main`);
        if (isMain && this.mainThread) throw new ScenarioError(`${path}.main`, `thread ${JSON.stringify(this.mainThread)} is already the main thread`);
        if (isMain) this.mainThread = id;
        const index = this.threads.size;
        this.threads.set(id, { index, exited: false });
        u32(0, OP.THREAD); u32(4, index); u32(16, isMain ? 1 : 0); u64(24, lo); u64(32, hi);
        return;
      }
      case 'malloc': {
        const s = fields(raw, path, ['op', 'id', 'size', 'at'], ['id', 'size']);
        const id = str(s.id, `${path}.id`);
        const size = parseSize(s.size, `${path}.size`);
        if (size === 0n || size > this.size) throw new ScenarioError(`${path}.size`, `must be from 1 byte to the window size, got ${size}`);
        let index = this.blocks.get(id);
        if (index === undefined) {
          if (this.blocks.size >= MAX_BLOCKS) throw new ScenarioError(path, `more than ${MAX_BLOCKS} blocks`);
          index = this.blocks.size;
          this.blocks.set(id, index);
        }
        u32(0, OP.MALLOC); u32(4, index); u64(24, size);
        if (s.at !== undefined) {
          const at = parseAddress(s.at, `${path}.at`);
          if (at % MALLOC_ALIGN !== 0n) throw new ScenarioError(`${path}.at`, `must be ${MALLOC_ALIGN}-byte aligned, as malloc returns blocks on 64-bit platforms, got 0x${at.toString(16)}`);
          this.inWindow(at, at + size, `${path}.at`, 'block');
          u32(16, 1); u64(32, at);
        }
        return;
      }
      case 'free': {
        const s = fields(raw, path, ['op', 'id'], ['id']);
        const id = str(s.id, `${path}.id`);
        const index = this.blocks.get(id);
        if (index === undefined) throw new ScenarioError(`${path}.id`, `no block ${JSON.stringify(id)} was allocated by an earlier "malloc"`);
        u32(0, OP.FREE); u32(4, index);
        return;
      }
      case 'switch': {
        if (kind === 'c') {
          const s = fields(raw, path, ['op', 'to'], ['to']);
          u32(0, OP.SWITCH); u32(16, this.blockTarget(s.to, `${path}.to`));
        } else {
          const s = fields(raw, path, ['op', 'thread', 'to'], ['thread', 'to']);
          u32(0, OP.SWITCH); u32(4, this.threadRef(s.thread, `${path}.thread`)); u32(16, this.blockTarget(s.to, `${path}.to`));
        }
        return;
      }
      case 'callback': {
        const s = kind === 'c'
          ? fields(raw, path, ['op', 'fn', 'sp'], ['fn'])
          : fields(raw, path, ['op', 'thread', 'sp', 'fn'], ['thread', 'fn']);
        u32(0, OP.CALLBACK);
        if (kind !== 'c') u32(4, this.threadRef(s.thread, `${path}.thread`));
        if (s.sp !== undefined) { u32(16, 1); u64(24, this.sp(s.sp, `${path}.sp`)); }
        const [b, e] = this.body(s.fn, `${path}.fn`, 'go');
        u32(8, b); u32(12, e);
        return;
      }
      case 'signal': {
        const s = fields(raw, path, ['op', 'thread', 'sp', 'fn'], ['thread', 'sp']);
        u32(0, OP.SIGNAL); u32(4, this.threadRef(s.thread, `${path}.thread`)); u64(24, this.sp(s.sp, `${path}.sp`));
        const [b, e] = this.body(s.fn ?? [], `${path}.fn`, 'signal');
        u32(8, b); u32(12, e);
        return;
      }
      case 'exit': {
        const s = fields(raw, path, ['op', 'thread'], ['thread']);
        const index = this.threadRef(s.thread, `${path}.thread`);
        if (this.repeatDepth === 0) this.threads.get(s.thread as string)!.exited = true;
        u32(0, OP.EXIT); u32(4, index);
        return;
      }
      case 'go': {
        const s = fields(raw, path, ['op', 'id', 'fn', 'stack', 'm'], ['id', 'fn']);
        const id = str(s.id, `${path}.id`);
        let gi: number;
        if (this.forward.has(id)) {
          // Named earlier by an "at" that waits for it.
          this.forward.delete(id);
          gi = this.goroutines.get(id)!;
        } else {
          if (this.goroutines.has(id)) throw new ScenarioError(`${path}.id`, `goroutine ${JSON.stringify(id)} already exists`);
          if (this.goroutines.size >= MAX_HOST_GS) throw new ScenarioError(path, `more than ${MAX_HOST_GS} goroutines`);
          gi = this.goroutines.size;
          this.goroutines.set(id, gi);
        }
        u32(0, OP.GO); u32(4, gi);
        if (s.stack !== undefined) {
          const [lo, hi] = this.stackPair(s.stack, `${path}.stack`);
          if (hi - lo < MIN_GO_STACK) throw new ScenarioError(`${path}.stack`, 'must be at least 2KiB (stackMin)');
          u64(24, lo); u64(32, hi);
        }
        let mName = `(M for ${id})`;
        if (s.m !== undefined) {
          const m = fields(s.m, `${path}.m`, ['id', 'stack'], ['id']);
          mName = str(m.id, `${path}.m.id`);
          if (m.stack !== undefined) {
            const [lo, hi] = this.stackPair(m.stack, `${path}.m.stack`);
            if (hi - lo < MIN_THREAD_STACK) throw new ScenarioError(`${path}.m.stack`, 'must be at least 4KiB');
            u64(40, lo); u64(48, hi);
          }
        }
        u32(16, this.mSlot(mName));
        const [b, e] = this.body(s.fn, `${path}.fn`, 'go');
        u32(8, b); u32(12, e);
        return;
      }
      case 'resume': {
        const s = fields(raw, path, ['op', 'g', 'thread'], []);
        u32(0, OP.RESUME);
        if (s.g !== undefined && s.thread === undefined) {
          const g = this.goroutines.get(str(s.g, `${path}.g`));
          if (g === undefined) throw new ScenarioError(`${path}.g`, `no goroutine ${JSON.stringify(s.g)} was started by an earlier "go"`);
          u32(4, g);
        } else if (s.thread !== undefined && s.g === undefined) {
          u32(4, this.threadRef(s.thread, `${path}.thread`)); u32(20, 1);
        } else {
          throw new ScenarioError(path, `needs exactly one of "g" (a goroutine blocked in C) or "thread" (a C thread blocked in C)`);
        }
        return;
      }
      case 'repeat': {
        const s = fields(raw, path, ['op', 'count', 'steps'], ['count', 'steps']);
        const n = int(s.count, `${path}.count`, 0, 0xffffffff);
        u32(0, OP.REPEAT); u32(4, n);
        this.repeatDepth++;
        const [b, e] = this.body(s.steps, `${path}.steps`, kind);
        this.repeatDepth--;
        u32(8, b); u32(12, e);
        return;
      }
      case 'systemstack': fields(raw, path, ['op'], []); u32(0, OP.SYSTEMSTACK); return;
      case 'lockOSThread': fields(raw, path, ['op'], []); u32(0, OP.LOCK); return;
      case 'unlockOSThread': fields(raw, path, ['op'], []); u32(0, OP.UNLOCK); return;
      case 'cgocall': {
        const s = fields(raw, path, ['op', 'fn'], ['fn']);
        u32(0, OP.CGOCALL);
        const [b, e] = this.body(s.fn, `${path}.fn`, 'c');
        u32(8, b); u32(12, e);
        return;
      }
      case 'stack': {
        const s = fields(raw, path, ['op', 'bytes'], ['bytes']);
        u32(0, OP.C_STACK); u64(24, parseSize(s.bytes, `${path}.bytes`));
        return;
      }
      case 'block': fields(raw, path, ['op'], []); u32(0, OP.C_BLOCK); return;
      case 'gc': fields(raw, path, ['op'], []); u32(0, OP.GC); return;
      case 'traceStart': fields(raw, path, ['op'], []); u32(0, OP.TRACE_START); return;
      case 'traceAdvance': fields(raw, path, ['op'], []); u32(0, OP.TRACE_ADVANCE); return;
      case 'traceStop': fields(raw, path, ['op'], []); u32(0, OP.TRACE_STOP); return;
      case 'gosched': fields(raw, path, ['op'], []); u32(0, OP.GOSCHED); return;
      case 'readMemStats': fields(raw, path, ['op'], []); u32(0, OP.READMEMSTATS); return;
      case 'park': {
        const s = fields(raw, path, ['op', 'reason'], ['reason']);
        const reason = WAIT_REASONS[str(s.reason, `${path}.reason`)];
        if (reason === undefined) throw new ScenarioError(`${path}.reason`, `unknown wait reason ${JSON.stringify(s.reason)}; known: ${Object.keys(WAIT_REASONS).map((r) => JSON.stringify(r)).join(', ')}`);
        u32(0, OP.PARK); u32(4, reason);
        return;
      }
      case 'preempt': {
        u32(0, OP.PREEMPT);
        if (kind === 'go') { fields(raw, path, ['op'], []); return; }
        const s = fields(raw, path, ['op', 'g', 'resumeOn'], kind === 'hook' ? [] : ['g']);
        u32(4, s.g === undefined ? 0xffffffff : this.goroutineRef(s.g, `${path}.g`));
        if (s.resumeOn !== undefined) u32(16, this.mSlot(str(s.resumeOn, `${path}.resumeOn`)) + 1);
        return;
      }
      case 'at': {
        const s = fields(raw, path, ['op', 'point', 'g', 'steps'], ['point', 'steps']);
        const point = pointId(str(s.point, `${path}.point`));
        if (point === undefined) throw new ScenarioError(`${path}.point`, `unknown point ${JSON.stringify(s.point)}; "cgosim points" lists them: ${POINTS.map((p) => p.name).join(', ')}`);
        u32(0, OP.AT); u32(4, point);
        if (s.g !== undefined) u32(16, this.goroutineRef(s.g, `${path}.g`, true) + 1);
        const [b, e] = this.body(s.steps, `${path}.steps`, 'hook');
        u32(8, b); u32(12, e);
        return;
      }
      case 'grow': {
        const s = fields(raw, path, ['op', 'bytes'], ['bytes']);
        u32(0, OP.GROW); u64(24, parseSize(s.bytes, `${path}.bytes`));
        return;
      }
      case 'setMaxStack': {
        const s = fields(raw, path, ['op', 'bytes'], ['bytes']);
        const n = parseSize(s.bytes, `${path}.bytes`);
        if (n < 4096n) throw new ScenarioError(`${path}.bytes`, `must be at least 4KiB, got ${n}`);
        u32(0, OP.SETMAXSTACK); u64(24, n);
        return;
      }
      case 'call': {
        const s = fields(raw, path, ['op', 'frame', 'ptrs', 'depth', 'fn', 'name'], ['frame']);
        const k = this.defineFunc(s, path);
        const depth = s.depth === undefined ? 1 : int(s.depth, `${path}.depth`, 0, 100000);
        u32(0, OP.CALL); u32(4, k); u32(16, depth);
        const [b, e] = this.body(s.fn ?? [], `${path}.fn`, 'go');
        u32(8, b); u32(12, e);
        return;
      }
    }
  }

  /**
   * A `call` defines a function: frame size rounded up to words (at least 2: the saved BP and one
   * local), its stack map from `ptrs` (byte offsets from SP of pointer slots, or { at, value } to
   * put a chosen value there: a heap or C address, or junk).
   */
  private defineFunc(s: Json, path: string): number {
    if (this.funcs.length + FIRST_USER_FUNC >= MAX_FUNCS) throw new ScenarioError(path, `more than ${MAX_FUNCS - FIRST_USER_FUNC} call sites`);
    const frameBytes = parseSize(s.frame, `${path}.frame`);
    if (frameBytes > BigInt(MAX_CALL_FRAME)) throw new ScenarioError(`${path}.frame`, `must be at most 1MiB, got ${frameBytes}`);
    const frameSize = Math.max(16, Math.ceil(Number(frameBytes) / 8) * 8);
    const nWords = (frameSize - 8) / 8;
    const bitmapWord = RUNTIME_BITMAP_WORDS + this.bitmapWords.length;
    const nBitWords = Math.ceil(nWords / 32);
    if (bitmapWord + nBitWords > BITMAP_WORDS) throw new ScenarioError(`${path}.frame`, 'the scenario\'s frames need more stack-map space than the simulator has');
    const bits = new Array<number>(nBitWords).fill(0);
    const k = FIRST_USER_FUNC + this.funcs.length;
    const valuesOff = this.values.length;
    const ptrs = s.ptrs === undefined ? [] : arr(s.ptrs, `${path}.ptrs`);
    ptrs.forEach((p, i) => {
      const at = `${path}.ptrs[${i}]`;
      let offset: number;
      if (typeof p === 'number') {
        offset = p;
      } else {
        const o = fields(p, at, ['at', 'value'], ['at', 'value']);
        offset = int(o.at, `${at}.at`, 0, MAX_CALL_FRAME);
        if (this.values.length >= MAX_VALUES) throw new ScenarioError(at, `more than ${MAX_VALUES} explicit slot values`);
        this.values.push([k, offset / 8, parseAddress(o.value, `${at}.value`)]);
      }
      if (!Number.isInteger(offset) || offset < 0 || offset % 8 !== 0 || offset / 8 >= nWords) {
        throw new ScenarioError(at, `must be a word-aligned byte offset from SP inside the frame's locals [0, ${nWords * 8}), got ${describe(p)}`);
      }
      const w = offset / 8;
      bits[w >> 5] = (bits[w >> 5]! | (1 << (w & 31))) >>> 0;
    });
    this.bitmapWords.push(...bits);
    const name = s.name === undefined ? `main.call${k - FIRST_USER_FUNC}` : str(s.name, `${path}.name`);
    this.funcs.push({ name, frameSize, nWords, bitmapWord, valuesOff, nValues: this.values.length - valuesOff });
    return k;
  }

  bitmaps(): Uint32Array { return Uint32Array.from(this.bitmapWords); }

  /** A goroutine named by `go`; `ahead` allows one whose `go` comes later in the timeline. */
  private goroutineRef(v: unknown, path: string, ahead = false): number {
    const id = str(v, path);
    let g = this.goroutines.get(id);
    if (g === undefined && ahead) {
      g = this.goroutines.size;
      this.goroutines.set(id, g);
      this.forward.add(id);
    }
    if (g === undefined) throw new ScenarioError(path, `no goroutine ${JSON.stringify(id)} was started by an earlier "go"`);
    return g;
  }

  readonly forward = new Set<string>();

  /** A Go M slot by name (the names `go` uses in "m": { "id" }). */
  private mSlot(name: string): number {
    let slot = this.goMs.get(name);
    if (slot === undefined) {
      if (this.goMs.size >= MAX_HOST_MS) throw new ScenarioError('', `more than ${MAX_HOST_MS} Go Ms`);
      slot = this.goMs.size;
      this.goMs.set(name, slot);
    }
    return slot;
  }
}

export const TOP_KEYS = [
  'format', 'name', 'description', 'profile', 'flags', 'platform', 'godebug', 'g0CheckDepth', 'addressSpace',
  'seed', 'steps', 'expect', 'runtimeStarted', 'tracebackContext', 'strategy', 'gomaxprocs',
] as const;

function parseFlags(v: unknown): Partial<Record<FlagName, boolean>> {
  const out: Partial<Record<FlagName, boolean>> = {};
  if (!isObject(v)) throw new ScenarioError('flags', `must be an object of flag names to true/false, got ${describe(v)}`);
  for (const [k, val] of Object.entries(v)) {
    if (k === 'CB_UPDATE') {
      if (val !== 'V0' && val !== 'V1' && val !== 'V2' && val !== 'V3') throw new ScenarioError('flags.CB_UPDATE', `must be "V0", "V1", "V2" or "V3", got ${describe(val)}`);
      for (const g of CB_UPDATE_GROUP) out[g] = false;
      if (val !== 'V0') out[`CB_UPDATE_${val}` as FlagName] = true;
      continue;
    }
    if (!(FLAG_NAMES as readonly string[]).includes(k)) throw new ScenarioError(`flags.${k}`, `unknown flag; known flags: ${FLAG_NAMES.join(', ')}, CB_UPDATE`);
    out[k as FlagName] = bool(val, `flags.${k}`);
  }
  return out;
}

/**
 * Parses GODEBUG text ("name=value,name=value") into settings. Every name must be one the model
 * acts on (GODEBUG_NAMES); a real setting it does not model, or a typo, is an error at `path`.
 */
export function parseGodebug(v: unknown, path = 'godebug'): Record<string, string> {
  const s = typeof v === 'string' ? v : undefined;
  if (s === undefined) throw new ScenarioError(path, `must be a string like "tracecheckstackownership=1", got ${describe(v)}`);
  const out: Record<string, string> = {};
  for (const part of s.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z0-9]+)=([^=]*)$/.exec(part);
    if (!m) throw new ScenarioError(path, `"${part}" is not name=value`);
    if (!(GODEBUG_NAMES as readonly string[]).includes(m[1]!)) {
      const real = (GODEBUG_NOT_MODELLED as readonly string[]).includes(m[1]!);
      throw new ScenarioError(path, `${real ? 'setting' : 'unknown setting'} "${m[1]}"${real ? ' is a real GODEBUG setting the model does not act on' : ''}; the model acts on: ${GODEBUG_NAMES.join(', ')}`);
    }
    if (!/^\d+$/.test(m[2]!)) throw new ScenarioError(path, `"${part}": the value must be a number (GODEBUG settings the model acts on take 0 or 1)`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

/** The GODEBUG settings the core acts on, as the config block's bits. */
export function godebugBits(godebug: Record<string, string>): number {
  return (godebug.gcshrinkstackoff !== undefined && godebug.gcshrinkstackoff !== '0' ? 1 : 0) |
    (godebug.invalidptr === '0' ? 2 : 0) | (godebug.tracecheckstackownership !== undefined && godebug.tracecheckstackownership !== '0' ? 4 : 0);
}

function parseExpect(v: unknown): Record<string, Expectation> {
  if (!isObject(v)) throw new ScenarioError('expect', `must be an object of profile names to expectations, got ${describe(v)}`);
  for (const [k, e] of Object.entries(v)) {
    const path = `expect.${k}`;
    if (k !== '*' && !resolveProfile(k)) throw new ScenarioError(path, `unknown profile or release; profiles: ${PROFILE_NAMES.join(', ')}, or "*"`);
    if (typeof e === 'string') {
      if (!['ok', 'crash', 'uaf', 'invalid'].includes(e)) throw new ScenarioError(path, `must be "ok", "crash", "uaf", "invalid" or an object, got ${describe(e)}`);
      continue;
    }
    const o = fields(e, path, ['verdict', 'fatal', 'exitCode', 'crash', 'output', 'note', 'counters'], []);
    if (o.verdict !== undefined && !['ok', 'crash', 'uaf', 'invalid'].includes(o.verdict as string)) throw new ScenarioError(`${path}.verdict`, `must be "ok", "crash", "uaf" or "invalid"`);
    if (o.fatal !== undefined) str(o.fatal, `${path}.fatal`);
    if (o.crash !== undefined) str(o.crash, `${path}.crash`);
    if (o.output !== undefined) str(o.output, `${path}.output`);
    if (o.note !== undefined) str(o.note, `${path}.note`);
    if (o.exitCode !== undefined) int(o.exitCode, `${path}.exitCode`, 0, 255);
    if (o.counters !== undefined) {
      const c = fields(o.counters, `${path}.counters`, COUNTER_NAMES, []);
      for (const [name, n] of Object.entries(c)) int(n, `${path}.counters.${name}`, 0, Number.MAX_SAFE_INTEGER);
    }
  }
  return v as Record<string, Expectation>;
}

/** Parses JSON text or takes an object, validates it, and compiles it. Throws ScenarioError. */
export function compileScenario(input: Scenario | string | unknown): CompiledScenario {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      throw new ScenarioError('', `malformed JSON: ${(e as Error).message}`);
    }
  }
  const s = fields(doc, '', TOP_KEYS, ['format', 'name', 'steps']);
  if (s.format !== 1) throw new ScenarioError('format', `must be 1 (this is scenario format 1), got ${describe(s.format)}`);
  const name = str(s.name, 'name');
  if (s.description !== undefined && typeof s.description !== 'string') throw new ScenarioError('description', 'must be a string');
  let profile: string | undefined;
  if (s.profile !== undefined) {
    profile = str(s.profile, 'profile');
    if (!resolveProfile(profile)) throw new ScenarioError('profile', `unknown profile or release ${JSON.stringify(profile)}; profiles: ${PROFILE_NAMES.join(', ')} (or a release such as go1.22.3)`);
  }
  const flags = s.flags === undefined ? {} : parseFlags(s.flags);
  let platform: Platform = 'glibc';
  if (s.platform !== undefined) {
    if (!(PLATFORMS as readonly unknown[]).includes(s.platform)) throw new ScenarioError('platform', `must be one of ${PLATFORMS.join(', ')}, got ${describe(s.platform)}`);
    platform = s.platform as Platform;
  }
  const godebug = s.godebug === undefined ? {} : parseGodebug(s.godebug);
  const g0CheckDepth = BigInt(s.g0CheckDepth === undefined ? DEFAULT_G0_CHECK_DEPTH : int(s.g0CheckDepth, 'g0CheckDepth', 0, 1 << 20));
  let windowBase = 0n;
  let windowSize = DEFAULT_WINDOW_SIZE;
  if (s.addressSpace !== undefined) {
    const a = fields(s.addressSpace, 'addressSpace', ['base', 'size'], []);
    if (a.base !== undefined) windowBase = parseAddress(a.base, 'addressSpace.base');
    if (a.size !== undefined) windowSize = parseSize(a.size, 'addressSpace.size');
    if (windowSize < 1n << 20n || windowSize > MAX_WINDOW_SIZE) throw new ScenarioError('addressSpace.size', `must be from 1MiB to ${MAX_WINDOW_SIZE >> 20n}MiB, got ${windowSize}`);
    if (windowBase % 65536n !== 0n) throw new ScenarioError('addressSpace.base', 'must be a multiple of 64KiB');
    if (windowBase + windowSize > MAX_U64) throw new ScenarioError('addressSpace', 'window runs past the end of the 64-bit address space');
  }
  const seed = s.seed === undefined ? 1 : int(s.seed, 'seed', 0, 0xffffffff);
  const runtimeStarted = s.runtimeStarted === undefined ? true : bool(s.runtimeStarted, 'runtimeStarted');
  const tracebackContext = s.tracebackContext === undefined ? false : bool(s.tracebackContext, 'tracebackContext');
  let strategy: 'random' | 'pct' = 'random';
  if (s.strategy !== undefined) {
    if (s.strategy !== 'random' && s.strategy !== 'pct') throw new ScenarioError('strategy', `must be "random" or "pct", got ${describe(s.strategy)}`);
    strategy = s.strategy;
  }
  if (s.gomaxprocs !== undefined) int(s.gomaxprocs, 'gomaxprocs', 1, 256);
  const expect = s.expect === undefined ? undefined : parseExpect(s.expect);

  const c = new Compiler(windowBase, windowSize);
  const [, timelineEnd] = c.body(s.steps, 'steps', 'timeline');
  if (c.forward.size > 0) throw new ScenarioError('steps', `"at" waits for goroutine ${JSON.stringify([...c.forward][0])}, which no "go" starts`);
  // Goroutine ids like "G7" keep their number as goid (crash texts print it); others count on.
  const goroutines = [...c.goroutines.keys()];
  const named = goroutines.map((id) => /^G(\d+)$/.exec(id)).map((m) => (m ? BigInt(m[1]!) : undefined));
  const taken = new Set(named.filter((g): g is bigint => g !== undefined && g > 0n));
  let next = 2n;
  for (const g of taken) if (g >= next) next = g + 1n;
  const goids = named.map((g) => {
    if (g !== undefined && g > 0n && taken.has(g)) { taken.delete(g); return g; }
    return next++;
  });
  const opsBuf = c.bytes();
  for (let i = 0; i < goroutines.length; i++) patchGoids(opsBuf, c.count, i, goids[i]!);
  return {
    name, profile, flags, platform, godebug, g0CheckDepth, windowBase, windowSize, seed, runtimeStarted, expect, tracebackContext, strategy,
    ops: opsBuf, nOps: c.count, timelineEnd, paths: c.paths, topStep: c.topStep,
    threads: [...c.threads.keys()], blocks: [...c.blocks.keys()], goroutines, goids, goMs: [...c.goMs.keys()],
    goidBase: next,
    funcs: c.funcs, bitmaps: c.bitmaps(), values: c.values,
    godebugBits: godebugBits(godebug),
  };
}

/** Writes goroutine gi's goid into every GO op that starts it (field v, offset 56). */
function patchGoids(ops: Uint8Array, n: number, gi: number, goid: bigint): void {
  const dv = new DataView(ops.buffer, ops.byteOffset, ops.byteLength);
  for (let op = 0; op < n; op++) {
    if (dv.getUint32(op * OP_SIZE, true) === OP.GO && dv.getUint32(op * OP_SIZE + 4, true) === gi) {
      dv.setBigUint64(op * OP_SIZE + 56, goid, true);
    }
  }
}
