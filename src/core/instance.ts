// The host side of the Wasm boundary: instantiation (generated raw bindings, or the
// @assemblyscript/loader as the alternate path), the memory views, and one run: write the op
// stream and config block, call run() once, read the result area back.

import { instantiate as instantiateRaw } from '../../build/release.js';
import { compileScenario, godebugBits, parseGodebug, DEFAULT_MAX_STACK, FIRST_USER_FUNC, RUNTIME_BITMAP_WORDS, type CompiledScenario } from '../scenario/compile.js';
import { ScenarioError, OptionsError } from '../api/errors.js';
import {
  flagSet, resolveProfile, PLATFORMS, PROFILE_NAMES, FLAG_NAMES, type FlagName, type ProfileName,
} from '../model/profiles.js';
import { mNames } from '../report/names.js';
import { baseResult, buildResult, nameRun, STOP, type RawResult, type RecordReader, type RunContext } from '../report/result.js';
import type { PreparedScenario, RunOptions, RunResult, Scenario, Simulator, SimulatorOptions, StateSnapshot } from '../api/types.js';
import { prepare, resolveFlags, trapResult, type ResolvedFlags } from './engine.js';

export const DEFAULT_BUDGET = 200_000_000;

/** The exports the core has (assembly/index.ts), whichever path instantiated it. */
interface CoreExports {
  memory: WebAssembly.Memory;
  layout(): number;
  counts(): number;
  run(): number;
  testCallbackUpdate(): number;
  testG0Check(): number;
  testCopystack(): number;
  testRngJump(seed: bigint): number;
  fusedCount(): number;
  benchCopystack(n: number): number;
  benchMemoryCopy(n: number, bytes: number): void;
  configure(baseLo: number, baseHi: number, size: number): boolean;
  windowOffset(): number;
}

interface Layout {
  threads: number; ms: number; gs: number; regions: number; ops: number; events: number; result: number;
  config: number; scratch: number; maxOps: number; maxEvents: number; eventsHead: number; nCounters: number;
  funcs: number; bitmaps: number; values: number;
  threadSize: number; mSize: number; gSize: number; regionSize: number; opSize: number; eventSize: number;
}

/** Reads AssemblyScript's abort message (debug build) out of memory: UTF-16, length before it. */
function asString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new DataView(memory.buffer).getUint32(ptr - 4, true);
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

function imports(memoryRef: { memory?: WebAssembly.Memory }): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, col: number): never {
        const m = memoryRef.memory;
        const text = m ? `${asString(m, msg)} at ${asString(m, file)}:${line}:${col}` : 'abort';
        throw new WebAssembly.RuntimeError(`assertion failed in the Wasm core: ${text}`);
      },
    },
  };
}

async function toModule(wasm: WebAssembly.Module | BufferSource): Promise<WebAssembly.Module> {
  return wasm instanceof WebAssembly.Module ? wasm : WebAssembly.compile(wasm);
}

async function instantiateCore(wasm: WebAssembly.Module | BufferSource, binding: 'raw' | 'loader'): Promise<CoreExports> {
  const module = await toModule(wasm);
  const ref: { memory?: WebAssembly.Memory } = {};
  let exports: CoreExports;
  if (binding === 'raw') {
    exports = (await instantiateRaw(module, imports(ref) as never)) as unknown as CoreExports;
  } else {
    const loader = await import('@assemblyscript/loader');
    const inst = await loader.instantiate<Record<string, unknown>>(module, imports(ref) as never);
    const e = inst.exports as Record<string, unknown>;
    // The loader wraps each export to set an argument count; call the originals (no optional args).
    const orig = (name: string) => {
      const f = e[name] as { original?: (...a: number[]) => number } & ((...a: number[]) => number);
      return (f.original ?? f) as () => number;
    };
    exports = {
      memory: e.memory as WebAssembly.Memory,
      layout: orig('layout'), counts: orig('counts'), run: orig('run'),
      testCallbackUpdate: orig('testCallbackUpdate'), testG0Check: orig('testG0Check'),
      testCopystack: orig('testCopystack'), testRngJump: orig('testRngJump') as unknown as (seed: bigint) => number,
      fusedCount: orig('fusedCount'),
      benchCopystack: orig('benchCopystack') as (n: number) => number,
      benchMemoryCopy: orig('benchMemoryCopy') as (n: number, b: number) => void,
      configure: ((lo: number, hi: number, size: number) => (orig('configure') as unknown as (a: number, b: number, c: number) => number)(lo, hi, size) !== 0) as never,
      windowOffset: orig('windowOffset'),
    };
  }
  ref.memory = exports.memory;
  return exports;
}

export class Core implements RecordReader {
  readonly layout: Layout;
  private buffer: ArrayBuffer;
  private dv: DataView;
  private u8: Uint8Array;

  constructor(readonly exports: CoreExports) {
    this.buffer = exports.memory.buffer;
    this.dv = new DataView(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
    const p = exports.layout() >>> 0;
    const w = (i: number) => this.dv.getUint32(p + i * 4, true);
    this.layout = {
      threads: w(0), ms: w(1), gs: w(2), regions: w(3), ops: w(4), events: w(5), result: w(6), config: w(7),
      scratch: w(8), maxOps: w(13), maxEvents: w(14), eventsHead: w(28), nCounters: w(16), threadSize: w(17), mSize: w(18),
      gSize: w(19), regionSize: w(20), opSize: w(21), eventSize: w(22),
      funcs: w(25), bitmaps: w(26), values: w(27),
    };
    if (w(24) !== 1) throw new Error('cgosim: the Wasm core\'s record layouts do not match their declared sizes');
  }

  /** Views are refreshed once per batch: run() may grow memory for a larger window. */
  view(): DataView {
    if (this.exports.memory.buffer !== this.buffer) {
      this.buffer = this.exports.memory.buffer;
      this.dv = new DataView(this.buffer);
      this.u8 = new Uint8Array(this.buffer);
    }
    return this.dv;
  }

  bytes(): Uint8Array { this.view(); return this.u8; }

  private u32: Uint32Array | undefined;
  /** Memory as u32 words (for the engine's reads of the result area). */
  words(): Uint32Array {
    this.view();
    if (!this.u32 || this.u32.buffer !== this.buffer) this.u32 = new Uint32Array(this.buffer);
    return this.u32;
  }

  /** What load() last put in memory (an engine's token): a run of the same scenario skips reloading. */
  loaded: object | null = null;
  /** Bumped by every run: a lazy result knows whether memory still holds its run. */
  generation = 0;
  /** Runs go through the reference interpreter only (the fused handlers off): config word 120. */
  interpreterOnly = false;

  /**
   * Writes a compiled scenario's op stream, functions, stack maps, slot values and the config
   * fields that depend only on it. `token` marks what is loaded (null: reload next time).
   */
  load(c: CompiledScenario, token: object | null): void {
    const dv = this.view();
    const L = this.layout;
    this.u8.set(c.ops, L.ops);
    const cfg = L.config;
    dv.setBigUint64(cfg + 0, c.windowBase, true);
    dv.setBigUint64(cfg + 8, c.windowSize, true);
    dv.setBigUint64(cfg + 32, c.g0CheckDepth, true);
    dv.setBigUint64(cfg + 40, c.goidBase, true);
    dv.setUint32(cfg + 48, c.nOps, true);
    dv.setUint32(cfg + 52, c.timelineEnd, true);
    dv.setUint32(cfg + 56, c.threads.length, true);
    dv.setUint32(cfg + 60, c.goroutines.length, true);
    dv.setUint32(cfg + 64, c.goMs.length, true);
    dv.setUint32(cfg + 68, c.blocks.length, true);
    dv.setUint32(cfg + 76, c.runtimeStarted ? 1 : 0, true);
    dv.setUint32(cfg + 84, FIRST_USER_FUNC + c.funcs.length, true);
    dv.setUint32(cfg + 88, c.godebugBits, true);
    dv.setBigUint64(cfg + 96, DEFAULT_MAX_STACK, true);
    dv.setUint32(cfg + 116, c.tracebackContext ? 1 : 0, true);
    for (let i = 0; i < c.funcs.length; i++) {
      const f = c.funcs[i]!;
      const p = L.funcs + (FIRST_USER_FUNC + i) * 32;
      dv.setUint32(p, f.frameSize, true);
      dv.setUint32(p + 4, f.nWords, true);
      dv.setUint32(p + 8, f.bitmapWord, true);
      dv.setUint32(p + 12, 0, true);
      dv.setUint32(p + 16, f.valuesOff, true);
      dv.setUint32(p + 20, f.nValues, true);
    }
    if (c.bitmaps.length > 0) new Uint32Array(this.buffer, L.bitmaps + RUNTIME_BITMAP_WORDS * 4, c.bitmaps.length).set(c.bitmaps);
    for (let i = 0; i < c.values.length; i++) {
      const [, word, value] = c.values[i]!;
      dv.setUint32(L.values + i * 16, word, true);
      dv.setBigUint64(L.values + i * 16 + 8, value, true);
    }
    this.loaded = token;
  }

  /**
   * One run of what load() put in memory: the per-run config fields, then run(). The flag mask
   * comes as two u32 halves so that the hot path makes no bigints. Returns the stop reason.
   */
  start(flagsLo: number, flagsHi: number, platform: number, budget: number, record: boolean, seed: number, strategy: 'random' | 'pct'): number {
    const dv = this.view();
    const cfg = this.layout.config;
    dv.setUint32(cfg + 16, flagsLo, true);
    dv.setUint32(cfg + 20, flagsHi, true);
    dv.setUint32(cfg + 24, budget % 4294967296, true);
    dv.setUint32(cfg + 28, Math.floor(budget / 4294967296), true);
    dv.setUint32(cfg + 72, platform, true);
    dv.setUint32(cfg + 80, record ? 1 : 0, true);
    dv.setUint32(cfg + 104, seed, true);
    dv.setUint32(cfg + 108, 0, true);
    dv.setUint32(cfg + 112, strategy === 'pct' ? 1 : 0, true);
    dv.setUint32(cfg + 120, this.interpreterOnly ? 1 : 0, true);
    this.generation++;
    const stop = this.exports.run() >>> 0;
    if (stop === 0xffffffff) throw new Error('cgosim: the Wasm core could not map the address space window');
    return stop;
  }

  execute(c: CompiledScenario, flags: bigint, platform: number, budget: number, record: boolean, seed: number, strategy: 'random' | 'pct'): RawResult {
    this.load(c, null);
    this.start(Number(flags & 0xffffffffn), Number(flags >> 32n), platform, budget, record, seed, strategy);
    return this.readResult();
  }

  readResult(): RawResult {
    const dv = this.view();
    const r = this.layout.result;
    const operands: bigint[] = [];
    for (let i = 0; i < 8; i++) operands.push(dv.getBigUint64(r + 56 + i * 8, true));
    // Counters as numbers straight from their u32 halves: no bigint per counter on the hot path.
    const counters: number[] = [];
    for (let i = 0; i < this.layout.nCounters; i++) counters.push(dv.getUint32(r + 128 + i * 8, true) + dv.getUint32(r + 132 + i * 8, true) * 4294967296);
    return {
      stopReason: dv.getUint32(r, true), crashKind: dv.getUint32(r + 4, true), crashOp: dv.getUint32(r + 8, true),
      crashThread: dv.getInt32(r + 12, true), crashM: dv.getInt32(r + 16, true), crashG: dv.getInt32(r + 20, true),
      crashFn: dv.getUint32(r + 24, true), eventsRecorded: dv.getUint32(r + 28, true), eventsHead: this.layout.eventsHead,
      eventsTotal: dv.getBigUint64(r + 32, true), traceHash: dv.getBigUint64(r + 40, true),
      stepsUsed: dv.getBigUint64(r + 48, true), operands, counters,
    };
  }

  // ---- direct access for the differential tests and benchmarks ----

  private windowBase = 0n;

  /** Maps [base, base+size) of simulated memory; later runs remap as their scenarios need. */
  mapWindow(base: bigint, size: number): void {
    if (!this.exports.configure(Number(base & 0xffffffffn), Number(base >> 32n), size)) throw new Error('cgosim: cannot map the window');
    this.windowBase = base;
  }

  writeWindow(addr: bigint, bytes: Uint8Array): void {
    this.bytes().set(bytes, (this.exports.windowOffset() >>> 0) + Number(addr - this.windowBase));
  }

  readWindow(addr: bigint, n: number): Uint8Array {
    const at = (this.exports.windowOffset() >>> 0) + Number(addr - this.windowBase);
    return this.bytes().slice(at, at + n);
  }

  setScratch(i: number, v: bigint): void { this.view().setBigUint64(this.layout.scratch + i * 8, v, true); }
  scratch(i: number): bigint { return this.view().getBigUint64(this.layout.scratch + i * 8, true); }

  /** Writes functions (index >= 16) with their stack maps; returns the function count to pass on. */
  writeFuncs(funcs: Map<number, { frameSize: number; ptr: boolean[] }>): number {
    const dv = this.view();
    let word = RUNTIME_BITMAP_WORDS;
    let n = FIRST_USER_FUNC;
    for (const [k, f] of [...funcs].sort((a, b) => a[0] - b[0])) {
      const nWords = (f.frameSize - 8) / 8;
      const p = this.layout.funcs + k * 32;
      dv.setUint32(p, f.frameSize, true);
      dv.setUint32(p + 4, nWords, true);
      dv.setUint32(p + 8, word, true);
      dv.setUint32(p + 12, 0, true);
      dv.setUint32(p + 16, 0, true);
      dv.setUint32(p + 20, 0, true);
      for (let w = 0; w < Math.ceil(nWords / 32); w++) {
        let bits = 0;
        for (let b = 0; b < 32 && w * 32 + b < nWords; b++) if (f.ptr[w * 32 + b]) bits |= 1 << b;
        dv.setUint32(this.layout.bitmaps + (word + w) * 4, bits >>> 0, true);
      }
      word += Math.ceil(nWords / 32);
      n = Math.max(n, k + 1);
    }
    return n;
  }

  // ---- records (field offsets follow the @unmanaged declarations in assembly/records.ts) ----

  private m(i: number): number { return this.layout.ms + i * this.layout.mSize; }
  private g(i: number): number { return this.layout.gs + i * this.layout.gSize; }
  private t(i: number): number { return this.layout.threads + i * this.layout.threadSize; }

  mId(i: number): number { return this.view().getInt32(this.m(i) + 16, true); }
  mCount(): number { return this.view().getUint32((this.exports.counts() >>> 0) + 4, true); }
  threadTid(i: number): bigint { return this.view().getBigUint64(this.t(i) + 40, true); }
  goid(i: number): bigint { return this.view().getBigUint64(this.g(i) + 80, true); }

  events(n: number): { kind: number; op: number; thread: number; m: number; a: bigint; b: bigint }[] {
    const dv = this.view();
    const out = [];
    for (let i = 0; i < n; i++) {
      const p = this.layout.events + i * this.layout.eventSize;
      out.push({
        kind: dv.getUint32(p, true), op: dv.getUint32(p + 4, true), thread: dv.getInt32(p + 8, true),
        m: dv.getInt32(p + 12, true), a: dv.getBigUint64(p + 16, true), b: dv.getBigUint64(p + 24, true),
      });
    }
    return out;
  }

  snapshot(c: CompiledScenario): StateSnapshot {
    const dv = this.view();
    const cp = this.exports.counts() >>> 0;
    const [nThreads, nMs] = [dv.getUint32(cp, true), dv.getUint32(cp + 4, true)];
    const hx = (v: bigint) => `0x${v.toString(16)}`;
    const label = (ti: number) => (ti < c.threads.length ? c.threads[ti]! : `thread ${this.threadTid(ti)}`);
    const ids: number[] = [];
    for (let i = 0; i < nMs; i++) ids.push(this.mId(i));
    const names = mNames(c.goMs, ids);
    const ms: StateSnapshot['ms'] = [];
    for (let i = 0; i < nMs; i++) {
      const p = this.m(i);
      if (dv.getUint32(p + 80, true) === 0) continue;
      const g0 = this.g(dv.getUint32(p + 20, true) - 1);
      const thread = dv.getUint32(p + 28, true);
      ms.push({
        name: names.byIndex[i]!, id: dv.getInt32(p + 16, true), isextra: dv.getUint32(p + 40, true) !== 0,
        thread: thread === 0 ? null : label(thread - 1), procid: Number(dv.getBigUint64(p, true)),
        g0: {
          lo: hx(dv.getBigUint64(g0, true)), hi: hx(dv.getBigUint64(g0 + 8, true)),
          stackguard0: hx(dv.getBigUint64(g0 + 16, true)), stackguard1: hx(dv.getBigUint64(g0 + 24, true)),
        },
        g0StackAccurate: dv.getUint32(p + 68, true) !== 0, isExtraInC: dv.getUint32(p + 44, true) !== 0, ncgo: dv.getInt32(p + 32, true),
        lockedInt: dv.getUint32(p + 56, true), lockedExt: dv.getUint32(p + 60, true),
        onExtraList: dv.getUint32(p + 76, true) !== 0,
      });
    }
    const threads: StateSnapshot['threads'] = [];
    for (let i = 0; i < nThreads; i++) {
      const p = this.t(i);
      const state = dv.getUint32(p + 56, true);
      if (state === 0) continue;
      const bound = dv.getUint32(p + 52, true);
      threads.push({
        id: label(i), tid: Number(dv.getBigUint64(p + 40, true)), state: state === 2 ? 'exited' : 'live',
        boundM: bound === 0 ? null : names.byIndex[dv.getUint32(this.g(bound - 1) + 88, true) - 1] ?? null,
        sp: hx(dv.getBigUint64(p + 32, true)),
        stack: [hx(dv.getBigUint64(p, true)), hx(dv.getBigUint64(p + 8, true))],
      });
    }
    const goroutines: StateSnapshot['goroutines'] = [];
    const nGs = dv.getUint32(cp + 8, true);
    const STATUS = ['idle', 'runnable', 'running', 'syscall', 'waiting', 'moribund', 'dead', 'enqueue', 'copystack', 'preempted'];
    for (let i = 0; i < nGs; i++) {
      const p = this.g(i);
      if (dv.getUint32(p + 112, true) === 0 || dv.getUint32(p + 104, true) !== 0) continue;
      const mIndex = dv.getUint32(p + 88, true);
      const id = i < c.goroutines.length ? c.goroutines[i]! : `g of ${mIndex ? names.byIndex[mIndex - 1] : '?'}`;
      goroutines.push({
        id, goid: Number(dv.getBigUint64(p + 80, true)), status: STATUS[dv.getUint32(p + 92, true)] ?? '?',
        stack: [hx(dv.getBigUint64(p, true)), hx(dv.getBigUint64(p + 8, true))],
        sched: { sp: hx(dv.getBigUint64(p + 32, true)), bp: hx(dv.getBigUint64(p + 48, true)), pc: hx(dv.getBigUint64(p + 40, true)) },
        syscallsp: hx(dv.getBigUint64(p + 56, true)), syscallbp: hx(dv.getBigUint64(p + 72, true)),
        preemptShrink: dv.getUint32(p + 116, true) !== 0,
      });
    }
    const extraMList: string[] = [];
    for (let link = dv.getUint32(cp + 16, true), guard = 0; link !== 0 && guard < nMs; guard++) {
      extraMList.push(names.byIndex[link - 1]!);
      link = dv.getUint32(this.m(link - 1) + 72, true);
    }
    return { ms, goroutines, threads, extraMList };
  }
}

const RUN_OPTION_KEYS = ['profile', 'flags', 'seed', 'budget', 'crashStack', 'events', 'state', 'strategy', 'godebug'];

function checkRunOptions(options: RunOptions, call: string): void {
  if (typeof options !== 'object' || options === null) throw new OptionsError(call, 'options', 'must be an object');
  for (const k of Object.keys(options)) {
    if (!RUN_OPTION_KEYS.includes(k)) throw new OptionsError(call, k, `is not an option; expected one of ${RUN_OPTION_KEYS.join(', ')}`);
  }
  if (options.profile !== undefined && (typeof options.profile !== 'string' || !resolveProfile(options.profile))) {
    throw new OptionsError(call, 'profile', `must be a profile (${PROFILE_NAMES.join(', ')}) or a release such as go1.22.3, got ${JSON.stringify(options.profile)}`);
  }
  if (options.budget !== undefined && (!Number.isSafeInteger(options.budget) || options.budget < 1)) {
    throw new OptionsError(call, 'budget', 'must be a positive integer');
  }
  if (options.seed !== undefined && (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff)) {
    throw new OptionsError(call, 'seed', 'must be an integer from 0 to 4294967295');
  }
  if (options.strategy !== undefined && options.strategy !== 'random' && options.strategy !== 'pct') {
    throw new OptionsError(call, 'strategy', 'must be "random" or "pct"');
  }
  if (options.godebug !== undefined) {
    try {
      parseGodebug(options.godebug, 'godebug');
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      throw new OptionsError(call, 'godebug', e.detail);
    }
  }
  for (const k of ['crashStack', 'events', 'state'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new OptionsError(call, k, 'must be a boolean');
  }
  if (options.flags !== undefined) {
    for (const [k, v] of Object.entries(options.flags)) {
      if (!(FLAG_NAMES as readonly string[]).includes(k)) throw new OptionsError(call, `flags.${k}`, `is not a flag; known flags: ${FLAG_NAMES.join(', ')}`);
      if (typeof v !== 'boolean') throw new OptionsError(call, `flags.${k}`, 'must be a boolean');
    }
  }
}

function withGodebug(c: CompiledScenario, settings: Record<string, string>): CompiledScenario {
  const godebug = { ...c.godebug, ...settings };
  return { ...c, godebug, godebugBits: godebugBits(godebug) };
}

function isCompiled(s: unknown): s is CompiledScenario {
  return typeof s === 'object' && s !== null && (s as CompiledScenario).ops instanceof Uint8Array;
}

class SimulatorImpl implements Simulator {
  private core: Core | undefined;
  constructor(core: Core, readonly binding: 'raw' | 'loader', private readonly budget: number) {
    this.core = core;
  }

  private live(): Core {
    if (!this.core) throw new Error('cgosim: this simulator was disposed; create a new one with createSimulator()');
    return this.core;
  }

  run(scenario: Scenario | string | CompiledScenario, options: RunOptions = {}): RunResult {
    const core = this.live();
    checkRunOptions(options, 'run()');
    let compiled: CompiledScenario;
    if (isCompiled(scenario)) return this.runCompiled(core, scenario, options);
    const resolved = resolveProfile(options.profile ?? (typeof scenario === 'object' && scenario !== null && typeof scenario.profile === 'string' ? scenario.profile : 'tip'));
    const fallback = resolved ?? { profile: 'tip' as ProfileName, overrides: {} };
    try {
      compiled = compileScenario(scenario);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const name = typeof scenario === 'object' && scenario !== null && typeof scenario.name === 'string' ? scenario.name : '?';
      const r = baseResult({ name, profile: fallback.profile, flags: flagSet(fallback.profile), platform: 'glibc', seed: options.seed ?? 1 }, 'invalid');
      const asked = (options.profile ?? (typeof scenario === 'object' && scenario !== null && typeof scenario.profile === 'string' ? scenario.profile : 'tip')).trim().toLowerCase();
      if (resolved && asked !== fallback.profile) r.release = asked;
      nameRun(r, { profile: fallback.profile, flags: flagSet(fallback.profile), release: r.release, godebug: {} });
      r.error = { code: e.code, message: e.message, path: e.path };
      return r;
    }
    return this.runCompiled(core, compiled, options);
  }

  private runCompiled(core: Core, scenario: CompiledScenario, options: RunOptions): RunResult {
    // GODEBUG from the run options overrides the scenario's settings, as the environment variable
    // overrides a program's //go:debug lines.
    const compiled = options.godebug === undefined ? scenario : withGodebug(scenario, parseGodebug(options.godebug, 'godebug'));
    const profileName = (options.profile ?? compiled.profile ?? 'tip').trim().toLowerCase();
    const f = this.flagsFor(profileName, compiled.flags, options);
    const budget = options.budget ?? this.budget;
    const ctx: RunContext = {
      compiled, profile: f.profile, release: f.release, flags: f.flags, platform: compiled.platform, seed: options.seed ?? compiled.seed, budget,
      strategy: options.strategy ?? compiled.strategy,
    };
    let raw: RawResult;
    try {
      core.load(compiled, null);
      core.start(f.lo, f.hi, PLATFORMS.indexOf(compiled.platform), budget, options.events === true, ctx.seed, ctx.strategy);
      raw = core.readResult();
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      // The core's state is rebuilt at the start of every run, so a trap leaves it usable.
      return trapResult(ctx, core.readResult().crashOp, e);
    }
    const result = buildResult(raw, ctx, core, options.events === true);
    if (options.state) result.state = core.snapshot(compiled);
    return result;
  }

  /** Flag sets by profile and overrides: resolving them is a large part of a small run's host time. */
  private readonly flagCache = new Map<string, ResolvedFlags>();

  private flagsFor(profileName: string, scenarioFlags: CompiledScenario['flags'], options: RunOptions): ResolvedFlags {
    const key = `${profileName}\u0000${JSON.stringify(scenarioFlags)}\u0000${options.flags === undefined ? '' : JSON.stringify(options.flags)}\u0000${options.crashStack === true}`;
    let f = this.flagCache.get(key);
    if (!f) {
      const extra: Partial<Record<FlagName, boolean>> = options.crashStack ? { CRASH_STACK_DIAG: true } : {};
      f = resolveFlags(profileName, scenarioFlags, options.flags ?? {}, extra);
      if (this.flagCache.size >= 4096) this.flagCache.clear();
      this.flagCache.set(key, f);
    }
    return f;
  }

  prepare(scenario: Scenario | string | CompiledScenario): PreparedScenario {
    this.live();
    return prepare(() => this.live(), scenario, this.budget, isCompiled);
  }

  runProfiles(scenario: Scenario | string | CompiledScenario, profiles: readonly string[] | 'all', options: Omit<RunOptions, 'profile'> = {}): RunResult[] {
    const list = profiles === 'all' ? PROFILE_NAMES : profiles;
    return list.map((profile) => this.run(scenario, { ...options, profile }));
  }

  dispose(): void { this.core = undefined; }
}

export async function createSimulatorFrom(wasm: WebAssembly.Module | BufferSource, options: SimulatorOptions = {}): Promise<Simulator> {
  for (const k of Object.keys(options)) {
    if (!['wasm', 'binding', 'budget', 'interpreterOnly'].includes(k)) throw new OptionsError('createSimulator()', k, 'is not an option; expected wasm, binding, budget or interpreterOnly');
  }
  const binding = options.binding ?? 'raw';
  if (binding !== 'raw' && binding !== 'loader') throw new OptionsError('createSimulator()', 'binding', 'must be "raw" or "loader"');
  const budget = options.budget ?? DEFAULT_BUDGET;
  if (!Number.isSafeInteger(budget) || budget < 1) throw new OptionsError('createSimulator()', 'budget', 'must be a positive integer');
  if (options.interpreterOnly !== undefined && typeof options.interpreterOnly !== 'boolean') throw new OptionsError('createSimulator()', 'interpreterOnly', 'must be a boolean');
  const exports = await instantiateCore(wasm, binding);
  const core = new Core(exports);
  core.interpreterOnly = options.interpreterOnly === true;
  return new SimulatorImpl(core, binding, budget);
}

/** For the differential tests: the core's single-function entry points on a fresh instance. */
export async function createCoreForTests(wasm: WebAssembly.Module | BufferSource, binding: 'raw' | 'loader' = 'raw'): Promise<Core> {
  return new Core(await instantiateCore(wasm, binding));
}

export { STOP };
