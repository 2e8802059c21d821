// Validation of a scenario's steps against the op table (ops.ts), before a byte is encoded.
//
// A body is checked step by step, in document order: the op must be one its body may hold, its
// keys must be the op's fields (the message lists the ones expected), each field is parsed by its
// declared type when the op's validate asks for it (so the first error is the one a reader meets
// first), and then the op's own checks run: references to threads, blocks, goroutines and Ms made by
// earlier steps, sizes, the address space window. Every error is a ScenarioError naming the path of
// the offending field ("steps[4].fn[0].sp").
//
// The result is a tree of validated steps, with every name resolved to an index; encode.ts turns
// it into records. Function indices and stack maps are assigned here, in document order.

import { ScenarioError, describe, parseAddress, parseSize } from '../api/errors.js';
import { BODIES, NOT_YET, fieldsOf, opDef, type BodyKind, type FieldDef, type OpDef } from './ops.js';
import {
  BITMAP_WORDS, FIRST_USER_FUNC, MAX_BLOCKS, MAX_CALL_FRAME, MAX_FUNCS, MAX_HOST_GS, MAX_HOST_MS, MAX_HOST_THREADS,
  MAX_NESTING, MAX_OPS, MAX_VALUES, RUNTIME_BITMAP_WORDS, MAX_SYNC,
} from './limits.js';

type Json = Record<string, unknown>;

const SYNC_KIND = { chan: 'channel', wg: 'wait group', coro: 'iterator' } as const;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks an object's keys: every key allowed, every required one present. */
export function fields(v: unknown, path: string, allowed: readonly string[], required: readonly string[]): Json {
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

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ScenarioError(path, `must be a non-empty string, got ${describe(v)}`);
  return v;
}

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ScenarioError(path, `must be an integer from ${min} to ${max}, got ${describe(v)}`);
  }
  return v;
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ScenarioError(path, `must be true or false, got ${describe(v)}`);
  return v;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, `must be an array, got ${describe(v)}`);
  return v;
}

/** Parses one field's value by its declared type. Bodies and `ptrs` are left to the op. */
function parseField(def: FieldDef, v: unknown, path: string): unknown {
  const t = def.type;
  switch (t.t) {
    case 'id': case 'ref': return str(v, path);
    case 'address': return parseAddress(v, path);
    case 'size': return parseSize(v, path);
    case 'bool': return bool(v, path);
    case 'int': return int(v, path, t.min, t.max);
    case 'enum': {
      const s = str(v, path);
      if (!t.values().includes(s)) throw new ScenarioError(path, t.unknown(s));
      return s;
    }
    case 'range': {
      const a = arr(v, path);
      if (a.length !== 2) throw new ScenarioError(path, `must be [lo, hi], got ${a.length} elements`);
      return [parseAddress(a[0], `${path}[0]`), parseAddress(a[1], `${path}[1]`)];
    }
    case 'body': case 'ptrs': case 'object': return v;
  }
}

/** What checking an object against a list of field definitions needs, derived once per list. */
interface FieldShape { allowed: readonly string[]; required: readonly string[]; byName: ReadonlyMap<string, FieldDef> }
const shapes = new WeakMap<readonly FieldDef[], FieldShape>();

/** The shape of an op table field list (the lists are the table's own, so one per op and body). */
function shapeOf(defs: readonly FieldDef[]): FieldShape {
  let s = shapes.get(defs);
  if (!s) {
    s = { allowed: ['op', ...defs.map((d) => d.name)], required: defs.filter((d) => d.required).map((d) => d.name), byName: new Map(defs.map((d) => [d.name, d])) };
    shapes.set(defs, s);
  }
  return s;
}

/** One step's (or nested object's) fields, parsed on demand by the op table's types. */
export class StepReader {
  private readonly byName: ReadonlyMap<string, FieldDef>;

  constructor(private readonly doc: Json, readonly path: string, readonly kind: BodyKind, defs: readonly FieldDef[]) {
    this.byName = shapeOf(defs).byName;
  }

  /** The path of a field. */
  at(name: string): string { return `${this.path}.${name}`; }
  has(name: string): boolean { return this.doc[name] !== undefined; }
  /** The field's value as written (bodies, `ptrs`). */
  raw(name: string): unknown { return this.doc[name]; }

  /** The field parsed by its type; undefined when absent. */
  get<T>(name: string): T {
    const def = this.byName.get(name);
    if (!def) throw new Error(`op table: no field "${name}" at ${this.path}`);
    const v = this.doc[name];
    return (v === undefined ? undefined : parseField(def, v, this.at(name))) as T;
  }

  /** A nested object field, checked against its own fields. */
  object(name: string): StepReader | undefined {
    const def = this.byName.get(name);
    if (def?.type.t !== 'object') throw new Error(`op table: "${name}" is not an object field`);
    const v = this.doc[name];
    if (v === undefined) return undefined;
    const defs = def.type.fields;
    const shape = shapeOf(defs);
    const o = fields(v, this.at(name), shape.allowed.slice(1), shape.required);
    return new StepReader(o, this.at(name), this.kind, defs);
  }
}

export interface ValidatedStep {
  def: OpDef<any>;
  /** What the op's validate returned; its encode reads it. */
  value: unknown;
  path: string;
  /** The index of the top-level step it belongs to. */
  top: number;
}
export type ValidatedBody = readonly ValidatedStep[];

export interface FuncDef { name: string; frameSize: number; nWords: number; bitmapWord: number; valuesOff: number; nValues: number }

interface ThreadInfo { index: number; exited: boolean }

/** The validation pass over the steps: what earlier steps created, and the limits. */
export class Validator {
  readonly threads = new Map<string, ThreadInfo>();
  readonly blocks = new Map<string, number>();
  readonly goroutines = new Map<string, number>();
  readonly goMs = new Map<string, number>();
  /** Channels and wait groups, one index space (assembly/sync.ts). */
  readonly syncs = new Map<string, { index: number; kind: 'chan' | 'wg' | 'coro' }>();
  /** Goroutines an `at` named before their `go`. */
  readonly forward = new Set<string>();
  readonly funcs: FuncDef[] = [];
  readonly bitmapWords: number[] = [];
  readonly values: [number, number, bigint][] = [];
  /** Panic values (`panic`, `recover`), each once: the core knows them by index. */
  readonly panicValues: string[] = [];
  /** Ops counted so far (each step is one record). */
  nOps = 0;
  private mainThread: string | undefined;
  private repeatDepth = 0;
  private nesting = 0;
  private top = 0;

  /** The scenario's malloc policy: "explicit" needs `at` on every `malloc`. */
  mallocPolicy: 'glibc' | 'musl' | 'explicit' | 'default' = 'default';

  constructor(readonly windowBase: bigint, readonly windowSize: bigint) {}

  get inRepeat(): boolean { return this.repeatDepth > 0; }

  body(steps: unknown, path: string, kind: BodyKind): ValidatedBody {
    const list = arr(steps, path);
    if (++this.nesting > MAX_NESTING) throw new ScenarioError(path, `bodies nest more than ${MAX_NESTING} deep`);
    if (this.nOps + list.length > MAX_OPS) throw new ScenarioError(path, `the scenario compiles to more than ${MAX_OPS} ops; use "repeat" for long runs`);
    this.nOps += list.length;
    const out = list.map((step, i) => {
      if (kind === 'timeline' && path === 'steps') this.top = i;
      return this.step(step, `${path}[${i}]`, kind);
    });
    this.nesting--;
    return out;
  }

  repeatBody(steps: unknown, path: string, kind: BodyKind): ValidatedBody {
    this.repeatDepth++;
    const body = this.body(steps, path, kind);
    this.repeatDepth--;
    return body;
  }

  private step(raw: unknown, path: string, kind: BodyKind): ValidatedStep {
    if (!isObject(raw)) throw new ScenarioError(path, `must be an object with an "op", got ${describe(raw)}`);
    const name = raw.op;
    if (typeof name !== 'string') throw new ScenarioError(`${path}.op`, `missing or not a string`);
    const top = this.top;
    const body = BODIES[kind];
    const def = opDef(name);
    if (!def || !body.ops.includes(name)) {
      if (Object.hasOwn(NOT_YET, name) && (kind !== 'c')) {
        throw new ScenarioError(`${path}.op`, `"${name}" is part of scenario format 1, but this version of cgosim does not model ${NOT_YET[name]} yet, so it cannot run this scenario`);
      }
      throw new ScenarioError(`${path}.op`, `unknown op ${JSON.stringify(name)} in a ${body.name}; expected one of ${body.ops.map((o) => `"${o}"`).join(', ')}`);
    }
    const defs = fieldsOf(def, kind);
    const shape = shapeOf(defs);
    fields(raw, path, shape.allowed, shape.required);
    const value = def.validate(new StepReader(raw, path, kind, defs), this);
    return { def, value, path, top };
  }

  // ---- the window ----

  inWindow(lo: bigint, hi: bigint, path: string, what: string): void {
    const base = this.windowBase;
    const size = this.windowSize;
    if (lo < base || hi > base + size || hi < lo) {
      throw new ScenarioError(path, `${what} [0x${lo.toString(16)}, 0x${hi.toString(16)}) lies outside the address space window [0x${base.toString(16)}, 0x${(base + size).toString(16)}); set "addressSpace" to cover it`);
    }
  }

  /** A [lo, hi] stack parsed by StepReader: above zero size and inside the window. */
  stackRange(pair: [bigint, bigint], path: string): [bigint, bigint] {
    const [lo, hi] = pair;
    if (hi <= lo) throw new ScenarioError(path, `hi must be above lo, got [0x${lo.toString(16)}, 0x${hi.toString(16)}]`);
    this.inWindow(lo, hi, path, 'stack');
    return [lo, hi];
  }

  sp(sp: bigint, path: string): bigint {
    this.inWindow(sp, sp + 8n, path, 'stack pointer');
    return sp;
  }

  // ---- threads ----

  refuseDuplicate(kind: 'thread', id: string, path: string): void {
    if (this.threads.has(id)) throw new ScenarioError(path, `${kind} ${JSON.stringify(id)} already exists`);
  }

  /** How messages name the main thread's owner: a C `thread`, or a `go` step's M ("M name"). */
  private mainThreadName(): string {
    const m = this.mainThread!;
    return m.startsWith('M ') ? `the thread of ${m}` : `thread ${JSON.stringify(m)}`;
  }

  /** A `go` step's M declared as m0, on the main thread: once, for an M not named before. */
  defineMainM(name: string, path: string): void {
    if (this.mainThread === `M ${name}`) return;
    if (this.mainThread) throw new ScenarioError(path, `${this.mainThreadName()} is already the main thread`);
    if (this.goMs.has(name)) throw new ScenarioError(path, `M ${JSON.stringify(name)} was named by an earlier "go" step without "main": say it where the M is first named`);
    this.mainThread = `M ${name}`;
  }

  defineThread(id: string, isMain: boolean, s: StepReader): number {
    if (this.threads.size >= MAX_HOST_THREADS) throw new ScenarioError(s.path, `more than ${MAX_HOST_THREADS} threads`);
    if (isMain && this.mainThread) throw new ScenarioError(s.at('main'), `${this.mainThreadName()} is already the main thread`);
    if (isMain) this.mainThread = id;
    const index = this.threads.size;
    this.threads.set(id, { index, exited: false });
    return index;
  }

  threadRef(id: string, path: string): number {
    const t = this.threads.get(id);
    if (!t) throw new ScenarioError(path, `no thread ${JSON.stringify(id)} has been created by an earlier "thread" step`);
    if (t.exited && this.repeatDepth === 0) throw new ScenarioError(path, `thread ${JSON.stringify(id)} has already exited`);
    return t.index;
  }

  /** An `exit` outside `repeat`: later steps may not name the thread. */
  threadExits(id: string): void {
    if (this.repeatDepth === 0) this.threads.get(id)!.exited = true;
  }

  // ---- blocks ----

  /** A `malloc` id: a new block, or an earlier one allocated again. */
  defineBlock(id: string, path: string): number {
    let index = this.blocks.get(id);
    if (index === undefined) {
      if (this.blocks.size >= MAX_BLOCKS) throw new ScenarioError(path, `more than ${MAX_BLOCKS} blocks`);
      index = this.blocks.size;
      this.blocks.set(id, index);
    }
    return index;
  }

  blockRef(id: string, path: string): number {
    const index = this.blocks.get(id);
    if (index === undefined) throw new ScenarioError(path, `no block ${JSON.stringify(id)} was allocated by an earlier "malloc"`);
    return index;
  }

  /** A `switch` target: 0 for the thread's own stack, block index + 1 otherwise. */
  blockTarget(id: string, path: string): number {
    if (id === 'thread') return 0;
    const b = this.blocks.get(id);
    if (b === undefined) throw new ScenarioError(path, `must be "thread" or the id of a block from an earlier "malloc", got ${JSON.stringify(id)}`);
    return b + 1;
  }

  // ---- goroutines and Ms ----

  defineGoroutine(id: string, s: StepReader): number {
    if (this.forward.has(id)) {
      // Named earlier by an "at" that waits for it.
      this.forward.delete(id);
      return this.goroutines.get(id)!;
    }
    if (this.goroutines.has(id)) throw new ScenarioError(s.at('id'), `goroutine ${JSON.stringify(id)} already exists`);
    if (this.goroutines.size >= MAX_HOST_GS) throw new ScenarioError(s.path, `more than ${MAX_HOST_GS} goroutines`);
    const gi = this.goroutines.size;
    this.goroutines.set(id, gi);
    return gi;
  }

  /** A goroutine named by `go`; `ahead` allows one whose `go` comes later in the timeline. */
  goroutineRef(id: string, path: string, ahead = false): number {
    let g = this.goroutines.get(id);
    if (g === undefined && ahead) {
      g = this.goroutines.size;
      this.goroutines.set(id, g);
      this.forward.add(id);
    }
    if (g === undefined) throw new ScenarioError(path, `no goroutine ${JSON.stringify(id)} was started by an earlier "go"`);
    return g;
  }

  /** A Go M slot by name (the names `go` uses in "m": { "id" }). */
  mSlot(name: string): number {
    let slot = this.goMs.get(name);
    if (slot === undefined) {
      if (this.goMs.size >= MAX_HOST_MS) throw new ScenarioError('', `more than ${MAX_HOST_MS} Go Ms`);
      slot = this.goMs.size;
      this.goMs.set(name, slot);
    }
    return slot;
  }

  // ---- channels and wait groups ----

  private newSync(id: string, kind: 'chan' | 'wg' | 'coro', path: string): number {
    if (this.syncs.size >= MAX_SYNC) throw new ScenarioError(path, `more than ${MAX_SYNC} channels and wait groups`);
    const index = this.syncs.size;
    this.syncs.set(id, { index, kind });
    return index;
  }

  /** A `chan` id: a new channel, or an earlier one made again. */
  defineChan(id: string, path: string): number {
    const s = this.syncs.get(id);
    if (s && s.kind !== 'chan') throw new ScenarioError(path, `${JSON.stringify(id)} is already a wait group`);
    return s ? s.index : this.newSync(id, 'chan', path);
  }

  /** A `pull` id: a new iterator (coroutine). */
  defineCoro(id: string, path: string): number {
    if (this.syncs.has(id)) throw new ScenarioError(path, `${JSON.stringify(id)} already names a ${SYNC_KIND[this.syncs.get(id)!.kind]}`);
    return this.newSync(id, 'coro', path);
  }

  /**
   * A channel made by an earlier `chan`, an iterator made by an enclosing or earlier `pull`, or a wait
   * group (made by its first use, as Go's zero value).
   */
  syncRef(id: string, path: string, kind: 'chan' | 'wg' | 'coro'): number {
    const s = this.syncs.get(id);
    if (s && s.kind !== kind) throw new ScenarioError(path, `${JSON.stringify(id)} is a ${SYNC_KIND[s.kind]}, not a ${SYNC_KIND[kind]}`);
    if (s) return s.index;
    if (kind === 'chan') throw new ScenarioError(path, `no channel ${JSON.stringify(id)} was made by an earlier "chan"`);
    if (kind === 'coro') throw new ScenarioError(path, `no iterator ${JSON.stringify(id)} was made by an earlier or enclosing "pull"`);
    return this.newSync(id, 'wg', path);
  }

  // ---- functions ----

  /**
   * A `call` defines a function: frame size rounded up to words (at least 2: the saved BP and one
   * local), its stack map from `ptrs` (byte offsets from SP of pointer slots, or { at, value } to
   * put a chosen value there: a heap or C address, or junk).
   */
  /** The index of a panic value, added on first use. */
  panicValue(value: string): number {
    const i = this.panicValues.indexOf(value);
    if (i >= 0) return i;
    this.panicValues.push(value);
    return this.panicValues.length - 1;
  }

  defineFunc(s: StepReader): number {
    const path = s.path;
    if (this.funcs.length + FIRST_USER_FUNC >= MAX_FUNCS) throw new ScenarioError(path, `more than ${MAX_FUNCS - FIRST_USER_FUNC} call sites`);
    const frameBytes = s.get<bigint>('frame');
    if (frameBytes > BigInt(MAX_CALL_FRAME)) throw new ScenarioError(s.at('frame'), `must be at most 1MiB, got ${frameBytes}`);
    const frameSize = Math.max(16, Math.ceil(Number(frameBytes) / 8) * 8);
    const nWords = (frameSize - 8) / 8;
    const bitmapWord = RUNTIME_BITMAP_WORDS + this.bitmapWords.length;
    const nBitWords = Math.ceil(nWords / 32);
    if (bitmapWord + nBitWords > BITMAP_WORDS) throw new ScenarioError(s.at('frame'), 'the scenario\'s frames need more stack-map space than the simulator has');
    const bits = new Array<number>(nBitWords).fill(0);
    const k = FIRST_USER_FUNC + this.funcs.length;
    const valuesOff = this.values.length;
    const ptrs = s.has('ptrs') ? arr(s.raw('ptrs'), s.at('ptrs')) : [];
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
    const name = s.has('name') ? s.get<string>('name') : `main.call${k - FIRST_USER_FUNC}`;
    this.funcs.push({ name, frameSize, nWords, bitmapWord, valuesOff, nValues: this.values.length - valuesOff });
    return k;
  }
}
