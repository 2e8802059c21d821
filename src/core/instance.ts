// The host side of the Wasm boundary: instantiation (generated raw bindings, or the
// @assemblyscript/loader as the alternate path), the memory views, and one run: write the op
// stream and config block, call run() once, read the result area back.

import { platformWord } from '../model/physical.js';
import { instantiate as instantiateRaw } from '../../build/release.js';
import { compileScenario, godebugBits, parseGodebug, DEFAULT_WINDOW_SIZE, type CompiledScenario } from '../scenario/compile.js';
import * as abi from './abi.js';
import { ScenarioError, OptionsError, describe } from '../api/errors.js';
import { boolean, checkOptions, flags, integer, oneOf, positiveMs, profile, string, type Checker } from '../api/options.js';
import {
  flagSet, resolveProfile, PLATFORM_IDS, PROFILE_NAMES, type FlagName, type ProfileName,
} from '../model/profiles.js';
import { mNames } from '../report/names.js';
import { baseResult, buildResult, nameRun, STOP, type RawResult, type RecordReader, type RunContext } from '../report/result.js';
import type { PreparedScenario, RunOptions, RunProgress, RunResult, Scenario, Simulator, SimulatorOptions, StateSnapshot } from '../api/types.js';
import { prepare, resolveFlags, trapResult, type ResolvedFlags } from './engine.js';

/**
 * Steps of work a run may spend unless told otherwise. A step is about the time of one `repeat`
 * turn; with this many, the slowest scenario we know (bench/adversarial.ts) ends within about a
 * second (README, "Budgets and deadlines"; measured with `npm run -s bench:budget`).
 */
export const DEFAULT_BUDGET = 20_000_000;
const RAW_WINDOW_SIZE = Number(DEFAULT_WINDOW_SIZE);

/** What Core.loadRaw needs besides the op records: the counts the compiler would have found. */
export interface RawHeader {
  nOps: number;
  timelineEnd: number;
  nThreads: number;
  nGs: number;
  nMs: number;
  nBlocks: number;
  goidBase: number;
  /** User functions (`call` sites), their records and stack-map words. */
  nFuncs: number;
  funcFrame: ArrayLike<number>;
  funcWords: ArrayLike<number>;
  funcBitmapWord: ArrayLike<number>;
  bitmaps: ArrayLike<number>;
  nBitmapWords: number;
  tracebackContext: boolean;
}

const cores = new WeakMap<object, () => Core>();
/** The core behind a simulator (for the explorer's loop, which writes op records itself). */
export function coreOf(sim: Simulator): Core {
  const get = cores.get(sim);
  if (!get) throw new Error('cgosim: not a simulator made by createSimulator()');
  return get();
}

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
  fusedStat(which: number): number;
  roundTripCount(): number;
  benchCopystack(n: number): number;
  benchMemoryCopy(n: number, bytes: number): void;
  configure(baseLo: number, baseHi: number, size: number): boolean;
  windowOffset(): number;
  flushPoison(): void;
  markWindow(offset: number, bytes: number): void;
}

/** Reads AssemblyScript's abort message (debug build) out of memory: UTF-16, length before it. */
function asString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new DataView(memory.buffer).getUint32(ptr - 4, true);
  return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, bytes >>> 1));
}

/**
 * What the core asks the host while it runs: whether the run's deadline has passed. The same call
 * gives a run's progress report its turn (`tick`, set only while such a run is running).
 */
export interface HostState { memory?: WebAssembly.Memory; deadlineAt: number; tick?: (() => void) | undefined }

function imports(memoryRef: HostState): WebAssembly.Imports {
  return {
    env: {
      // abi.ts: called every DEADLINE_CHECK_STEPS steps of a run that has a deadline, never per event.
      deadlinePassed(): number {
        memoryRef.tick?.();
        return performance.now() >= memoryRef.deadlineAt ? 1 : 0;
      },
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

type Loader = typeof import('@assemblyscript/loader');

/** The loader's exports as CoreExports: it wraps each export to set an argument count; call the originals. */
function loaderExports(e: Record<string, unknown>): CoreExports {
  const orig = (name: string) => {
    const f = e[name] as { original?: (...a: number[]) => number } & ((...a: number[]) => number);
    return (f.original ?? f) as () => number;
  };
  return {
    memory: e.memory as WebAssembly.Memory,
    layout: orig('layout'), counts: orig('counts'), run: orig('run'),
    testCallbackUpdate: orig('testCallbackUpdate'), testG0Check: orig('testG0Check'),
    testCopystack: orig('testCopystack'), testRngJump: orig('testRngJump') as unknown as (seed: bigint) => number,
    fusedCount: orig('fusedCount'), fusedStat: orig('fusedStat') as (w: number) => number, roundTripCount: orig('roundTripCount'),
    benchCopystack: orig('benchCopystack') as (n: number) => number,
    benchMemoryCopy: orig('benchMemoryCopy') as (n: number, b: number) => void,
    configure: ((lo: number, hi: number, size: number) => (orig('configure') as unknown as (a: number, b: number, c: number) => number)(lo, hi, size) !== 0) as never,
    windowOffset: orig('windowOffset'), flushPoison: orig('flushPoison') as () => void,
    markWindow: orig('markWindow') as (offset: number, bytes: number) => void,
  };
}

/** An instantiated core, and how to make a fresh one of the same module synchronously (recycling). */
interface Instantiated { exports: CoreExports; host: HostState; again(): { exports: CoreExports; host: HostState } }

async function instantiateCore(wasm: WebAssembly.Module | BufferSource, binding: 'raw' | 'loader'): Promise<Instantiated> {
  const module = await toModule(wasm);
  const ref: HostState = { deadlineAt: Infinity };
  let exports: CoreExports;
  let loader: Loader | undefined;
  if (binding === 'raw') {
    exports = (await instantiateRaw(module, imports(ref) as never)) as unknown as CoreExports;
  } else {
    loader = await import('@assemblyscript/loader');
    const inst = await loader.instantiate<Record<string, unknown>>(module, imports(ref) as never);
    exports = loaderExports(inst.exports as Record<string, unknown>);
  }
  ref.memory = exports.memory;
  const again = () => {
    const host: HostState = { deadlineAt: Infinity };
    let e: CoreExports;
    if (loader) {
      e = loaderExports(loader.instantiateSync<Record<string, unknown>>(module, imports(host) as never).exports as Record<string, unknown>);
    } else {
      // What the generated raw bindings do, synchronously: unsigned results, a bool for configure.
      const x = new WebAssembly.Instance(module, imports(host)).exports as Record<string, (...a: never[]) => number>;
      const u = (f: (...a: never[]) => number) => ((...a: never[]) => f(...a) >>> 0) as never;
      e = Object.setPrototypeOf({
        layout: u(x.layout!), windowOffset: u(x.windowOffset!), counts: u(x.counts!), run: u(x.run!),
        configure: ((lo: number, hi: number, size: number) => (x.configure as unknown as (a: number, b: number, c: number) => number)(lo, hi, size) !== 0) as never,
      }, x) as unknown as CoreExports;
    }
    host.memory = e.memory;
    return { exports: e, host };
  };
  return { exports, host: ref, again };
}

export class Core implements RecordReader {
  private buffer: ArrayBuffer;
  private dv: DataView;
  private u8: Uint8Array;

  constructor(readonly exports: CoreExports, private readonly host: HostState = { deadlineAt: Infinity }) {
    this.buffer = exports.memory.buffer;
    this.dv = new DataView(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
    // A core compiled from other sources than the host's copy of the numbers (a stale build) would
    // misread everything: the end of its memory map is the cheapest witness.
    if ((exports.layout() >>> 0) !== abi.MAP_END) {
      throw new Error('cgosim: the Wasm core and the host were built from different sources (memory map differs); run npm run build');
    }
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
    this.u8.set(c.ops, abi.OPS_LOCATION);
    const cfg = abi.CONFIG_LOCATION;
    const u32 = (off: number, v: number) => dv.setUint32(cfg + off, v, true);
    const u64 = (off: number, v: bigint) => dv.setBigUint64(cfg + off, v, true);
    u64(abi.CFG_WINDOW_BASE, c.windowBase);
    u64(abi.CFG_WINDOW_SIZE, c.windowSize);
    u64(abi.CFG_G0_CHECK_DEPTH, c.g0CheckDepth);
    u64(abi.CFG_GOID_BASE, c.goidBase);
    u32(abi.CFG_N_OPS, c.nOps);
    u32(abi.CFG_TIMELINE_END, c.timelineEnd);
    u32(abi.CFG_N_THREADS, c.threads.length);
    u32(abi.CFG_N_GS, c.goroutines.length);
    u32(abi.CFG_N_MS, c.goMs.length);
    u32(abi.CFG_N_BLOCKS, c.blocks.length);
    u32(abi.CFG_RUNTIME_STARTED, c.runtimeStarted ? 1 : 0);
    u32(abi.CFG_N_FUNCS, abi.FIRST_USER_FUNC + c.funcs.length);
    u32(abi.CFG_GODEBUG, c.godebugBits);
    u64(abi.CFG_MAX_STACK, abi.DEFAULT_MAX_STACK_BYTES);
    u32(abi.CFG_TRACEBACK_CONTEXT, c.tracebackContext ? 1 : 0);
    u32(abi.CFG_PHYSICAL, c.physicalBits);
    for (let i = 0; i < c.funcs.length; i++) {
      const f = c.funcs[i]!;
      const p = abi.FUNCS_LOCATION + (abi.FIRST_USER_FUNC + i) * abi.FUNC_SIZE;
      dv.setUint32(p + abi.FREC_FRAME_SIZE, f.frameSize, true);
      dv.setUint32(p + abi.FREC_N_WORDS, f.nWords, true);
      dv.setUint32(p + abi.FREC_BITMAP_WORD, f.bitmapWord, true);
      dv.setUint32(p + abi.FREC_FLAGS, 0, true);
      dv.setUint32(p + abi.FREC_VALUES_OFF, f.valuesOff, true);
      dv.setUint32(p + abi.FREC_N_VALUES, f.nValues, true);
    }
    if (c.bitmaps.length > 0) new Uint32Array(this.buffer, abi.BITMAPS_LOCATION + abi.RUNTIME_BITMAP_WORDS * 4, c.bitmaps.length).set(c.bitmaps);
    for (let i = 0; i < c.values.length; i++) {
      const [, word, value] = c.values[i]!;
      dv.setUint32(abi.VALUES_LOCATION + i * abi.VALUE_SIZE + abi.VREC_WORD, word, true);
      dv.setBigUint64(abi.VALUES_LOCATION + i * abi.VALUE_SIZE + abi.VREC_VALUE, value, true);
    }
    this.loaded = token;
  }

  /**
   * The explorer's load: op records already written at OPS_LOCATION (bytes()) by a back-end that
   * numbers things as the compiler does, and the header of what it wrote. Everything else is the
   * defaults of a scenario that sets nothing (window, g0 check depth, GODEBUG, max stack).
   */
  loadRaw(h: RawHeader): void {
    const dv = this.view();
    const cfg = abi.CONFIG_LOCATION;
    const u32 = (off: number, v: number) => dv.setUint32(cfg + off, v, true);
    u32(abi.CFG_WINDOW_BASE, 0); u32(abi.CFG_WINDOW_BASE + 4, 0);
    u32(abi.CFG_WINDOW_SIZE, RAW_WINDOW_SIZE); u32(abi.CFG_WINDOW_SIZE + 4, 0);
    // No g0CheckDepth (AUTO: the model's default) and nothing for the physical model.
    u32(abi.CFG_G0_CHECK_DEPTH, 0xffffffff); u32(abi.CFG_G0_CHECK_DEPTH + 4, 0xffffffff);
    u32(abi.CFG_PHYSICAL, 0);
    u32(abi.CFG_GOID_BASE, h.goidBase); u32(abi.CFG_GOID_BASE + 4, 0);
    u32(abi.CFG_N_OPS, h.nOps);
    u32(abi.CFG_TIMELINE_END, h.timelineEnd);
    u32(abi.CFG_N_THREADS, h.nThreads);
    u32(abi.CFG_N_GS, h.nGs);
    u32(abi.CFG_N_MS, h.nMs);
    u32(abi.CFG_N_BLOCKS, h.nBlocks);
    u32(abi.CFG_RUNTIME_STARTED, 1);
    u32(abi.CFG_N_FUNCS, abi.FIRST_USER_FUNC + h.nFuncs);
    u32(abi.CFG_GODEBUG, 0);
    dv.setBigUint64(cfg + abi.CFG_MAX_STACK, abi.DEFAULT_MAX_STACK_BYTES, true);
    u32(abi.CFG_TRACEBACK_CONTEXT, h.tracebackContext ? 1 : 0);
    for (let i = 0; i < h.nFuncs; i++) {
      const p = abi.FUNCS_LOCATION + (abi.FIRST_USER_FUNC + i) * abi.FUNC_SIZE;
      dv.setUint32(p + abi.FREC_FRAME_SIZE, h.funcFrame[i]!, true);
      dv.setUint32(p + abi.FREC_N_WORDS, h.funcWords[i]!, true);
      dv.setUint32(p + abi.FREC_BITMAP_WORD, h.funcBitmapWord[i]!, true);
      dv.setUint32(p + abi.FREC_FLAGS, 0, true);
      dv.setUint32(p + abi.FREC_VALUES_OFF, 0, true);
      dv.setUint32(p + abi.FREC_N_VALUES, 0, true);
    }
    const words = this.words();
    const at = (abi.BITMAPS_LOCATION >>> 2) + abi.RUNTIME_BITMAP_WORDS;
    for (let i = 0; i < h.nBitmapWords; i++) words[at + i] = h.bitmaps[i]!;
    this.loaded = null;
  }

  /**
   * One run of what load() put in memory: the per-run config fields, then run(). The flag mask
   * comes as two u32 halves so that the hot path makes no bigints. Returns the stop reason.
   */
  start(
    flagsLo: number, flagsHi: number, platform: number, budget: number, record: boolean, seed: number, strategy: 'random' | 'pct', deadlineMs?: number,
    progress?: (p: RunProgress) => void,
  ): number {
    const dv = this.view();
    const cfg = abi.CONFIG_LOCATION;
    // u64 fields as their two u32 halves (little-endian): no bigints on the hot path.
    dv.setUint32(cfg + abi.CFG_FLAGS, flagsLo, true);
    dv.setUint32(cfg + abi.CFG_FLAGS + 4, flagsHi, true);
    dv.setUint32(cfg + abi.CFG_BUDGET, budget % 4294967296, true);
    dv.setUint32(cfg + abi.CFG_BUDGET + 4, Math.floor(budget / 4294967296), true);
    dv.setUint32(cfg + abi.CFG_PLATFORM, platform, true);
    dv.setUint32(cfg + abi.CFG_RECORD_EVENTS, record ? 1 : 0, true);
    dv.setUint32(cfg + abi.CFG_SEED, seed, true);
    dv.setUint32(cfg + abi.CFG_SEED + 4, 0, true);
    dv.setUint32(cfg + abi.CFG_STRATEGY, strategy === 'pct' ? abi.STRATEGY_PCT : abi.STRATEGY_RANDOM, true);
    dv.setUint32(cfg + abi.CFG_INTERPRETER_ONLY, this.interpreterOnly ? 1 : 0, true);
    dv.setUint32(cfg + abi.CFG_DEADLINE_CHECK, deadlineMs === undefined && progress === undefined ? 0 : abi.DEADLINE_CHECK_STEPS, true);
    this.generation++;
    let stop: number;
    if (deadlineMs === undefined && progress === undefined) {
      stop = this.exports.run() >>> 0;
    } else {
      const started = performance.now();
      this.host.deadlineAt = deadlineMs === undefined ? Infinity : started + deadlineMs;
      if (progress) {
        // The core wrote the steps used so far to the result area just before it asked (abi.ts).
        this.host.tick = () => {
          const lo = this.view().getUint32(abi.RESULT_LOCATION + abi.RES_STEPS_USED, true);
          const hi = this.view().getUint32(abi.RESULT_LOCATION + abi.RES_STEPS_USED + 4, true);
          progress({ stepsUsed: hi * 4294967296 + lo, budget, elapsedMs: performance.now() - started });
        };
      }
      try {
        stop = this.exports.run() >>> 0;
      } finally {
        this.host.deadlineAt = Infinity;
        this.host.tick = undefined;
      }
    }
    if (stop === abi.RUN_NO_WINDOW) throw new Error('cgosim: the Wasm core could not map the address space window');
    return stop;
  }

  execute(c: CompiledScenario, flags: bigint, platform: number, budget: number, record: boolean, seed: number, strategy: 'random' | 'pct'): RawResult {
    this.load(c, null);
    this.start(Number(flags & 0xffffffffn), Number(flags >> 32n), platform, budget, record, seed, strategy);
    return this.readResult();
  }

  readResult(): RawResult {
    const dv = this.view();
    const r = abi.RESULT_LOCATION;
    // The operands explain a run that did not finish (a crash, a use-after-free, an input error):
    // a finished run has none to read, and makes no bigints for them.
    const stopReason = dv.getUint32(r + abi.RES_STOP_REASON, true);
    const operands: bigint[] = [];
    if (stopReason !== abi.STOP_DONE) {
      for (let i = 0; i < abi.N_CRASH_OPERANDS; i++) operands.push(dv.getBigUint64(r + abi.RES_CRASH_OPERANDS + i * 8, true));
    }
    // Counters as numbers straight from their u32 halves: no bigint per counter on the hot path.
    const counters: number[] = [];
    for (let i = 0, c = r + abi.RES_COUNTERS; i < abi.N_COUNTERS; i++, c += 8) counters.push(dv.getUint32(c, true) + dv.getUint32(c + 4, true) * 4294967296);
    return {
      stopReason, crashKind: dv.getUint32(r + abi.RES_CRASH_KIND, true),
      crashOp: dv.getUint32(r + abi.RES_CRASH_OP, true), crashThread: dv.getInt32(r + abi.RES_CRASH_THREAD, true),
      crashM: dv.getInt32(r + abi.RES_CRASH_M, true), crashG: dv.getInt32(r + abi.RES_CRASH_G, true),
      crashFn: dv.getUint32(r + abi.RES_CRASH_FN, true), eventsRecorded: dv.getUint32(r + abi.RES_EVENTS_RECORDED, true),
      eventsHead: abi.EVENTS_HEAD,
      eventsTotal: dv.getBigUint64(r + abi.RES_EVENTS_TOTAL, true), traceHash: dv.getBigUint64(r + abi.RES_TRACE_HASH, true),
      stepsUsed: dv.getBigUint64(r + abi.RES_STEPS_USED, true), operands, counters,
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
    if (bytes.length === 0) return;
    const offset = Number(addr - this.windowBase);
    // The core's zero fills skip pages it has not seen written: it is told of these bytes first.
    this.exports.markWindow(offset, bytes.length);
    this.bytes().set(bytes, (this.exports.windowOffset() >>> 0) + offset);
  }

  /** The window's bytes as the last run left them (freed ranges poisoned: the core writes that lazily). */
  readWindow(addr: bigint, n: number): Uint8Array {
    this.exports.flushPoison();
    const at = (this.exports.windowOffset() >>> 0) + Number(addr - this.windowBase);
    return this.bytes().slice(at, at + n);
  }

  setScratch(i: number, v: bigint): void { this.view().setBigUint64(abi.SCRATCH_LOCATION + i * 8, v, true); }
  scratch(i: number): bigint { return this.view().getBigUint64(abi.SCRATCH_LOCATION + i * 8, true); }

  /** Writes functions (index >= 16) with their stack maps; returns the function count to pass on. */
  writeFuncs(funcs: Map<number, { frameSize: number; ptr: boolean[] }>): number {
    const dv = this.view();
    let word = abi.RUNTIME_BITMAP_WORDS;
    let n = abi.FIRST_USER_FUNC;
    for (const [k, f] of [...funcs].sort((a, b) => a[0] - b[0])) {
      const nWords = (f.frameSize - 8) / 8;
      const p = abi.FUNCS_LOCATION + k * abi.FUNC_SIZE;
      dv.setUint32(p + abi.FREC_FRAME_SIZE, f.frameSize, true);
      dv.setUint32(p + abi.FREC_N_WORDS, nWords, true);
      dv.setUint32(p + abi.FREC_BITMAP_WORD, word, true);
      dv.setUint32(p + abi.FREC_FLAGS, 0, true);
      dv.setUint32(p + abi.FREC_VALUES_OFF, 0, true);
      dv.setUint32(p + abi.FREC_N_VALUES, 0, true);
      for (let w = 0; w < Math.ceil(nWords / 32); w++) {
        let bits = 0;
        for (let b = 0; b < 32 && w * 32 + b < nWords; b++) if (f.ptr[w * 32 + b]) bits |= 1 << b;
        dv.setUint32(abi.BITMAPS_LOCATION + (word + w) * 4, bits >>> 0, true);
      }
      word += Math.ceil(nWords / 32);
      n = Math.max(n, k + 1);
    }
    return n;
  }

  // ---- records (field offsets follow the @unmanaged declarations in assembly/records.ts) ----

  private m(i: number): number { return abi.MS_LOCATION + i * abi.M_SIZE; }
  private g(i: number): number { return abi.GS_LOCATION + i * abi.G_SIZE; }
  private t(i: number): number { return abi.THREADS_LOCATION + i * abi.THREAD_SIZE; }

  mId(i: number): number { return this.view().getInt32(this.m(i) + abi.MREC_ID, true); }
  mIsExtra(i: number): boolean { return this.view().getUint32(this.m(i) + abi.MREC_ISEXTRA, true) !== 0; }
  mCount(): number { return this.view().getUint32((this.exports.counts() >>> 0) + abi.CNT_MS, true); }
  curG(mIndex: number): { index: number; goid: bigint; status: number; locked: boolean } | undefined {
    if (mIndex < 0) return undefined;
    const dv = this.view();
    const curg = dv.getUint32(this.m(mIndex) + abi.MREC_CURG, true);
    if (curg === 0) return undefined;
    const g = this.g(curg - 1);
    return {
      index: curg - 1, goid: dv.getBigUint64(g + abi.GREC_GOID, true), status: dv.getUint32(g + abi.GREC_STATUS, true),
      locked: dv.getUint32(this.m(mIndex) + abi.MREC_LOCKEDG, true) === curg,
    };
  }
  threadTid(i: number): bigint { return this.view().getBigUint64(this.t(i) + abi.TREC_TID, true); }
  goid(i: number): bigint { return this.view().getBigUint64(this.g(i) + abi.GREC_GOID, true); }

  /**
   * Goroutine gIndex's modelled frames, innermost first, as the core's unwinder walks them
   * (assembly/stack.ts): function indices (RF_* or a scenario's function), from g.sched's PC and SP
   * through each frame's saved return PC, down to goexit. The walk stops at a PC of no function,
   * at a frame that runs past stack.hi, and after 100,000 frames, so a corrupt stack only shortens it.
   */
  gFrames(gIndex: number): number[] {
    if (gIndex < 0) return [];
    const dv = this.view();
    const g = this.g(gIndex);
    const hi = dv.getBigUint64(g + abi.GREC_STACK_HI, true);
    const base = dv.getBigUint64(abi.CONFIG_LOCATION + abi.CFG_WINDOW_BASE, true);
    const size = dv.getBigUint64(abi.CONFIG_LOCATION + abi.CFG_WINDOW_SIZE, true);
    const win = this.exports.windowOffset() >>> 0;
    let sp = dv.getBigUint64(g + abi.GREC_SCHED_SP, true);
    let pc = dv.getBigUint64(g + abi.GREC_SCHED_PC, true);
    const out: number[] = [];
    while (out.length < 100000) {
      if (pc < abi.FUNC_TEXT_BASE) break;
      const k = Number((pc - abi.FUNC_TEXT_BASE) / abi.FUNC_PC_STRIDE);
      const entry = abi.FUNC_TEXT_BASE + BigInt(k) * abi.FUNC_PC_STRIDE;
      if (pc !== entry + (k === abi.RF_GOEXIT ? abi.FUNC_PC_QUANTUM : abi.FUNC_CONT_OFFSET)) break;
      out.push(k);
      if (k === abi.RF_GOEXIT) break;
      const frameSize = BigInt(dv.getUint32(abi.FUNCS_LOCATION + k * abi.FUNC_SIZE + abi.FREC_FRAME_SIZE, true));
      const ret = sp + frameSize;
      if (frameSize === 0n || ret + 8n > hi || ret < base || ret + 8n > base + size) break;
      pc = dv.getBigUint64(win + Number(ret - base), true);
      sp = ret + 8n;
    }
    return out;
  }

  events(n: number): { kind: number; op: number; thread: number; m: number; a: bigint; b: bigint }[] {
    const dv = this.view();
    const out = [];
    for (let i = 0; i < n; i++) {
      const p = abi.EVENTS_LOCATION + i * abi.EVENT_SIZE;
      out.push({
        kind: dv.getUint32(p + abi.EVR_KIND, true), op: dv.getUint32(p + abi.EVR_OP, true),
        thread: dv.getInt32(p + abi.EVR_THREAD, true), m: dv.getInt32(p + abi.EVR_M, true),
        a: dv.getBigUint64(p + abi.EVR_A, true), b: dv.getBigUint64(p + abi.EVR_B, true),
      });
    }
    return out;
  }

  snapshot(c: CompiledScenario): StateSnapshot {
    const dv = this.view();
    const cp = this.exports.counts() >>> 0;
    const count = (off: number) => dv.getUint32(cp + off, true);
    const [nThreads, nMs, nGs] = [count(abi.CNT_THREADS), count(abi.CNT_MS), count(abi.CNT_GS)];
    const hx = (v: bigint) => `0x${v.toString(16)}`;
    const label = (ti: number) => (ti < c.threads.length ? c.threads[ti]! : `thread ${this.threadTid(ti)}`);
    const u32 = (p: number, off: number) => dv.getUint32(p + off, true);
    const i32 = (p: number, off: number) => dv.getInt32(p + off, true);
    const u64 = (p: number, off: number) => dv.getBigUint64(p + off, true);
    const ids: number[] = [];
    for (let i = 0; i < nMs; i++) ids.push(this.mId(i));
    const names = mNames(c.goMs, ids, (i) => this.mIsExtra(i));
    const ms: StateSnapshot['ms'] = [];
    for (let i = 0; i < nMs; i++) {
      const p = this.m(i);
      if (u32(p, abi.MREC_IN_USE) === 0) continue;
      const g0 = this.g(u32(p, abi.MREC_G0) - 1);
      const thread = u32(p, abi.MREC_THREAD);
      ms.push({
        name: names.byIndex[i]!, id: i32(p, abi.MREC_ID), isextra: u32(p, abi.MREC_ISEXTRA) !== 0,
        thread: thread === 0 ? null : label(thread - 1), procid: Number(u64(p, abi.MREC_PROCID)),
        g0: {
          lo: hx(u64(g0, abi.GREC_STACK_LO)), hi: hx(u64(g0, abi.GREC_STACK_HI)),
          stackguard0: hx(u64(g0, abi.GREC_STACKGUARD0)), stackguard1: hx(u64(g0, abi.GREC_STACKGUARD1)),
        },
        g0StackAccurate: u32(p, abi.MREC_G0_STACK_ACCURATE) !== 0, isExtraInC: u32(p, abi.MREC_IS_EXTRA_IN_C) !== 0,
        ncgo: i32(p, abi.MREC_NCGO), lockedInt: u32(p, abi.MREC_LOCKED_INT), lockedExt: u32(p, abi.MREC_LOCKED_EXT),
        onExtraList: u32(p, abi.MREC_ON_EXTRA_LIST) !== 0,
      });
    }
    const threads: StateSnapshot['threads'] = [];
    for (let i = 0; i < nThreads; i++) {
      const p = this.t(i);
      const state = u32(p, abi.TREC_STATE);
      if (state === abi.THREAD_UNUSED) continue;
      const bound = u32(p, abi.TREC_BOUND_G0);
      threads.push({
        id: label(i), tid: Number(u64(p, abi.TREC_TID)), state: state === abi.THREAD_EXITED ? 'exited' : 'live',
        boundM: bound === 0 ? null : names.byIndex[u32(this.g(bound - 1), abi.GREC_M) - 1] ?? null,
        sp: hx(u64(p, abi.TREC_SP)),
        stack: [hx(u64(p, abi.TREC_STACK_LO)), hx(u64(p, abi.TREC_STACK_HI))],
      });
    }
    const goroutines: StateSnapshot['goroutines'] = [];
    for (let i = 0; i < nGs; i++) {
      const p = this.g(i);
      if (u32(p, abi.GREC_IN_USE) === 0 || u32(p, abi.GREC_IS_G0) !== 0) continue;
      const mIndex = u32(p, abi.GREC_M);
      const instanceOf = u32(p, abi.GREC_INSTANCE_OF);
      const id = i < c.goroutines.length ? c.goroutines[i]!
        : instanceOf !== 0 ? c.goroutines[instanceOf - 1]! // a later run of a repeated `go`
        : `g of ${mIndex ? names.byIndex[mIndex - 1] : '?'}`;
      goroutines.push({
        id, goid: Number(u64(p, abi.GREC_GOID)), status: G_STATUS_NAMES[u32(p, abi.GREC_STATUS)] ?? '?',
        stack: [hx(u64(p, abi.GREC_STACK_LO)), hx(u64(p, abi.GREC_STACK_HI))],
        sched: { sp: hx(u64(p, abi.GREC_SCHED_SP)), bp: hx(u64(p, abi.GREC_SCHED_BP)), pc: hx(u64(p, abi.GREC_SCHED_PC)) },
        syscallsp: hx(u64(p, abi.GREC_SYSCALLSP)), syscallbp: hx(u64(p, abi.GREC_SYSCALLBP)),
        preemptShrink: u32(p, abi.GREC_PREEMPT_SHRINK) !== 0,
      });
    }
    const extraMList: string[] = [];
    for (let link = count(abi.CNT_EXTRA_M), guard = 0; link !== 0 && guard < nMs; guard++) {
      extraMList.push(names.byIndex[link - 1]!);
      link = u32(this.m(link - 1), abi.MREC_SCHEDLINK);
    }
    return { ms, goroutines, threads, extraMList };
  }
}

/** Go's goroutine status names, indexed by status value (runtime2.go; the snapshot's spelling). */
const G_STATUS_NAMES = ['idle', 'runnable', 'running', 'syscall', 'waiting', 'moribund', 'dead', 'enqueue', 'copystack', 'preempted'];

/** The checkers of run()'s options; runProfiles() takes the same but `profile`. */
const RUN_OPTIONS: Record<string, Checker> = {
  profile, flags, seed: integer(0, 0xffffffff), budget: integer(1, Number.MAX_SAFE_INTEGER), deadline: positiveMs,
  crashStack: boolean, events: boolean, state: boolean, strategy: oneOf('random', 'pct'), physical: boolean,
  progress: (call, name, v) => {
    if (typeof v !== 'function') throw new OptionsError(call, name, `must be a function, got ${describe(v)}`);
  },
  godebug: (call, name, v) => {
    string(call, name, v);
    try {
      parseGodebug(v as string, 'godebug');
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      throw new OptionsError(call, name, e.detail);
    }
  },
};
const RUN_PROFILES_OPTIONS: Record<string, Checker> = Object.fromEntries(Object.entries(RUN_OPTIONS).filter(([k]) => k !== 'profile'));

function checkRunOptions(options: unknown, call: string, checkers = RUN_OPTIONS): asserts options is RunOptions | undefined {
  checkOptions(call, options, checkers);
}

function withGodebug(c: CompiledScenario, settings: Record<string, string>): CompiledScenario {
  const godebug = { ...c.godebug, ...settings };
  return { ...c, godebug, godebugBits: godebugBits(godebug) };
}

function isCompiled(s: unknown): s is CompiledScenario {
  return typeof s === 'object' && s !== null && (s as CompiledScenario).ops instanceof Uint8Array;
}

/**
 * Wasm memory only grows. After a run whose address-space window took memory past this, the next
 * run starts on a fresh instance of the same module, so a long-lived embedding (a page, an
 * exploration worker) gives the memory back instead of holding the largest window it ever mapped.
 */
export const RECYCLE_ABOVE_BYTES = 256 << 20;

class SimulatorImpl implements Simulator {
  private core: Core | undefined;
  constructor(core: Core, readonly binding: 'raw' | 'loader', private readonly budget: number, private readonly deadline: number | undefined,
    private readonly again: Instantiated['again']) {
    this.core = core;
    cores.set(this, () => this.live());
  }

  /** The live core; `fresh`: a run is about to start, so a core holding a big window is replaced. */
  private live(fresh = false): Core {
    if (!this.core) throw new Error('cgosim: this simulator was disposed; create a new one with createSimulator()');
    if (fresh && this.core.exports.memory.buffer.byteLength > RECYCLE_ABOVE_BYTES) this.recycle();
    return this.core;
  }

  /** Drops the instance (and its memory) for a fresh one; lazy runs of the old one replay. */
  private recycle(): void {
    const { exports, host } = this.again();
    const next = new Core(exports, host);
    next.generation = this.core!.generation + 1;
    next.interpreterOnly = this.core!.interpreterOnly;
    this.core = next;
    this.recycled++;
  }

  /** How many times the instance was recycled (for tests and diagnostics). */
  recycled = 0;

  /** Memory the instance holds now, in bytes. */
  get memoryBytes(): number { return this.live().exports.memory.buffer.byteLength; }

  run(scenario: Scenario | string | CompiledScenario, options?: RunOptions): RunResult {
    const core = this.live(true);
    checkRunOptions(options, 'run()');
    options ??= {};
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
    const deadline = options.deadline ?? this.deadline;
    const ctx: RunContext = {
      compiled, profile: f.profile, release: f.release, flags: f.flags, platform: compiled.platform, seed: options.seed ?? compiled.seed, budget,
      strategy: options.strategy ?? compiled.strategy, physical: options.physical ?? compiled.physical, ...(deadline === undefined ? {} : { deadline }),
    };
    let raw: RawResult;
    try {
      core.load(compiled, null);
      core.start(f.lo, f.hi, platformWord(PLATFORM_IDS[compiled.platform], f.profile, ctx.physical), budget, options.events === true, ctx.seed, ctx.strategy, deadline, options.progress);
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
    return prepare((fresh?: boolean) => this.live(fresh), scenario, this.budget, isCompiled, this.deadline);
  }

  runProfiles(scenario: Scenario | string | CompiledScenario, profiles: readonly string[] | 'all', options?: Omit<RunOptions, 'profile'>): RunResult[] {
    this.live();
    if (profiles !== 'all') {
      if (!Array.isArray(profiles) || profiles.length === 0) {
        throw new OptionsError('runProfiles()', 'profiles', `must be "all" or a non-empty array of profiles or releases, got ${describe(profiles)}`);
      }
      profiles.forEach((p, i) => profile('runProfiles()', `profiles[${i}]`, p));
    }
    checkRunOptions(options, 'runProfiles()', RUN_PROFILES_OPTIONS);
    const list = profiles === 'all' ? PROFILE_NAMES : profiles;
    return list.map((p) => this.run(scenario, { ...options, profile: p }));
  }

  dispose(): void { this.core = undefined; }
}

/** The checkers of createSimulator()'s options (the platform entries add theirs). */
export const SIMULATOR_OPTIONS: Record<string, Checker> = {
  wasm: (call, name, v) => {
    if (!(v instanceof WebAssembly.Module || v instanceof ArrayBuffer || ArrayBuffer.isView(v))) {
      throw new OptionsError(call, name, `must be a WebAssembly.Module, an ArrayBuffer or a typed array of the core's bytes, got ${describe(v)}`);
    }
  },
  binding: oneOf('raw', 'loader'),
  budget: integer(1, Number.MAX_SAFE_INTEGER),
  deadline: positiveMs,
  interpreterOnly: boolean,
};

export async function createSimulatorFrom(wasm: WebAssembly.Module | BufferSource, options: SimulatorOptions = {}): Promise<Simulator> {
  SIMULATOR_OPTIONS.wasm!('createSimulator()', 'wasm', wasm);
  options ??= {};
  checkOptions('createSimulator()', options, SIMULATOR_OPTIONS);
  const binding = options.binding ?? 'raw';
  const budget = options.budget ?? DEFAULT_BUDGET;
  const deadline = options.deadline;
  const { exports, host, again } = await instantiateCore(wasm, binding);
  const core = new Core(exports, host);
  core.interpreterOnly = options.interpreterOnly === true;
  return new SimulatorImpl(core, binding, budget, deadline, again);
}

/** For the differential tests: the core's single-function entry points on a fresh instance. */
export async function createCoreForTests(wasm: WebAssembly.Module | BufferSource, binding: 'raw' | 'loader' = 'raw'): Promise<Core> {
  const { exports, host } = await instantiateCore(wasm, binding);
  return new Core(exports, host);
}

export { STOP };
