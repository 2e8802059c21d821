// The binary back-end: a generator tape (tape.ts) laid out as the op records the core runs,
// written straight into a byte array (the core's op buffer, in the explorer's loop) with the op
// table's own encoders (scenario/ops.ts), and the header the core's config block needs.
//
// It does for the generator's steps what the scenario compiler does for any scenario, without
// JSON, strings or validation: names are already numbers, and the generator only makes valid
// steps. What it must reproduce exactly is how the compiler numbers things, in document order:
//   - goroutines by first mention (a `go`, or an `at` that waits for one before its `go`),
//     goids from the names ("G7" keeps 7), the first free goid after the largest; an iterator's
//     goroutine (`pull`) by its pull, with the goids after every named one, in document order;
//   - channels, wait groups and iterators in one numbering, by first mention; panic values likewise;
//   - Go Ms by first mention (a `go`'s m.id, or one of its own; a preempt's resumeOn);
//   - functions (`call`) with their stack maps, in document order;
//   - records: a body's steps contiguous, the bodies nested in them after it (encode.ts).
// test/explore-backends.test.ts checks byte for byte, over many seeds, that this equals
// compileScenario(toScenario(tape)); the campaign also checks a sample of runs in production.

import { Tape, T, B, TAPE_OPS, N_FIELDS } from './tape.js';
import { ALL_POINTS, PARK_REASONS, PANIC_VALUES } from './generate.js';
import { opDef, WAIT_REASONS, type OpDef, type OpWriter } from '../scenario/ops.js';
import { BITMAP_WORDS, FIRST_USER_FUNC, MAX_FUNCS, MAX_HOST_GS, MAX_SYNC, RUNTIME_BITMAP_WORDS, OP_SIZE } from '../scenario/limits.js';
import { OPR_CODE, OPR_START, OPR_END, PREEMPT_HOOK_G } from '../core/abi.js';
import { pointId } from '../model/points.js';
import type { RawHeader } from '../core/instance.js';

const DEFS: readonly OpDef<any>[] = TAPE_OPS.map((name) => (name === 'timeline' ? undefined : opDef(name))) as OpDef<any>[];
for (let i = 1; i < TAPE_OPS.length; i++) if (!DEFS[i]) throw new Error(`explore: the generator's op ${TAPE_OPS[i]} is not in the op table`);
const POINT_IDS = ALL_POINTS.map((p) => {
  const id = pointId(p);
  if (id === undefined) throw new Error(`explore: the generator's point ${p} is not in the point catalogue`);
  return id;
});
const PARK_IDS = PARK_REASONS.map((r) => WAIT_REASONS[r]!);
/** M keys: a named M k is k; the M of its own that a `go` without m gets is UNNAMED_M + its goroutine. */
const UNNAMED_M = 16;

/**
 * Lays out tapes; one per explorer, reused for every run. After emit(), its fields are the header
 * (RawHeader) of what it wrote.
 */
export class BinaryEmitter implements OpWriter, RawHeader {
  nOps = 0;
  timelineEnd = 0;
  nThreads = 0;
  nGs = 0;
  nMs = 0;
  nBlocks = 0;
  goidBase = 2;
  nFuncs = 0;
  readonly funcFrame = new Int32Array(MAX_FUNCS);
  readonly funcWords = new Int32Array(MAX_FUNCS);
  readonly funcBitmapWord = new Int32Array(MAX_FUNCS);
  readonly bitmaps = new Uint32Array(BITMAP_WORDS);
  nBitmapWords = 0;
  tracebackContext = false;

  private u8!: Uint8Array;
  private dv!: DataView;
  private base = 0;
  private tape!: Tape;
  /** Byte offset of the record being written. */
  private at = 0;
  private n = 0;
  /** Generator goroutine number -> the compiler's goroutine index (-1: not mentioned yet). */
  private readonly gIndex = new Int32Array(MAX_HOST_GS).fill(-1);
  /** Goroutine index -> goid. */
  private readonly goids = new Float64Array(MAX_HOST_GS);
  /** M key -> the compiler's M slot (-1: not mentioned yet). */
  private readonly mSlots = new Int32Array(UNNAMED_M + MAX_HOST_GS).fill(-1);
  /** Generator sync number -> the compiler's sync index (-1: not mentioned yet). */
  private readonly syncs = new Int32Array(MAX_SYNC).fill(-1);
  private nSyncs = 0;
  /** Panic value (index into PANIC_VALUES) -> its index + 1 in the compiler's list (0: not mentioned yet). */
  private readonly panics = new Int32Array(PANIC_VALUES.length);
  private nPanics = 0;
  /** The goid of the next iterator's goroutine. */
  private iterGoid = 2;

  // The values the op table's encoders read, one object per op, refilled for each record. Numbers
  // stand where the compiler's values hold bigints: u64() below takes either.
  private readonly v = {
    thread: { index: 0, isMain: false, lo: 0, hi: 0 },
    malloc: { index: 0, size: 0, at: 0 as number | undefined },
    switch: { thread: 0, to: 0 },
    callback: { thread: 0, sp: 0 as number | undefined, fn: 0 },
    signal: { thread: 0, sp: 0, fn: 0 },
    go: { g: 0, stack: undefined as number[] | undefined, mStack: undefined, mSlot: 0, newproc: false, fn: 0 },
    goStack: [0, 0],
    resume: { index: 0, thread: false },
    repeat: { count: 0, steps: 0 },
    preempt: { g: undefined as number | undefined, resumeOn: undefined as number | undefined },
    at: { point: 0, g: undefined as number | undefined, steps: 0 },
    call: { func: 0, depth: 0, fn: 0 },
    cgocall: { fn: 0, nocallback: false },
    recover: { value: 0, fn: 0 },
    chan: { index: 0, cap: 0 },
    wgAdd: { index: 0, n: 0 },
    pull: { index: 0, g: 0, fn: 0 },
    carve: { thread: 0, index: 0, size: 0 },
    sigaltstack: { thread: 0, block: 0 },
    spawn: { spawn: true as const, size: 0, fn: 0 },
    goSignal: { thread: 0, sp: undefined, fn: undefined },
  };

  /** Writes the tape's records from byte `base` of `u8`. */
  emit(tape: Tape, u8: Uint8Array, base: number): void {
    this.tape = tape;
    if (this.u8 !== u8) {
      this.u8 = u8;
      this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    }
    this.base = base;
    this.n = 0;
    this.nThreads = this.nGs = this.nMs = this.nBlocks = this.nFuncs = this.nBitmapWords = 0;
    this.gIndex.fill(-1);
    this.mSlots.fill(-1);
    this.syncs.fill(-1);
    this.nSyncs = 0;
    this.panics.fill(0);
    this.nPanics = 0;
    // Unnamed goroutines (iterators') take the goids after the largest named one, "G{goroutines+1}".
    this.iterGoid = tape.goroutines + 2;
    this.tracebackContext = tape.tracebackContext;
    // Every node but the timeline is one record: clear them all at once.
    u8.fill(0, base, base + (tape.n - 1) * OP_SIZE);
    this.timelineEnd = this.layout(0) + tape.count[0]!;
    this.nOps = this.n;
    let next = 2;
    for (let g = 0; g < this.nGs; g++) if (this.goids[g]! >= next) next = this.goids[g]! + 1;
    this.goidBase = next;
  }

  // ---- OpWriter ----

  u32(offset: number, value: number): void { this.dv.setUint32(this.at + offset, value, true); }
  u64(offset: number, value: bigint | number): void {
    if (typeof value === 'bigint') { this.dv.setBigUint64(this.at + offset, value, true); return; }
    this.dv.setUint32(this.at + offset, value % 4294967296, true);
    this.dv.setUint32(this.at + offset + 4, Math.floor(value / 4294967296), true);
  }
  goid(g: number): bigint { return this.goids[g]! as unknown as bigint; }
  body(offset: number, node: unknown): void {
    const owner = this.at;
    // `go` and `pull` read their goroutine, `cgocall` its nocallback, after their body is laid out, and a body may hold
    // records of its own that refill the same value objects.
    const goG = this.v.go.g;
    const pullG = this.v.pull.g;
    const nocallback = this.v.cgocall.nocallback;
    const start = this.layout(node as number);
    this.v.go.g = goG;
    this.v.pull.g = pullG;
    this.v.cgocall.nocallback = nocallback;
    this.at = owner;
    this.u32(offset, start);
    this.u32(offset + (OPR_END - OPR_START), start + this.tape.count[node as number]!);
  }

  // ---- layout ----

  /** Lays out parent's children from the next free record; returns the first one's index. */
  private layout(parent: number): number {
    const tape = this.tape;
    const start = this.n;
    this.n += tape.count[parent]!;
    let i = start;
    for (let c = tape.first[parent]!; c >= 0; c = tape.next[c]!, i++) {
      this.at = this.base + i * OP_SIZE;
      this.record(c);
    }
    return start;
  }

  private goroutine(g: number): number {
    let i = this.gIndex[g]!;
    if (i < 0) {
      i = this.nGs++;
      this.gIndex[g] = i;
      this.goids[i] = g + 2;
    }
    return i;
  }

  private sync(s: number): number {
    let i = this.syncs[s]!;
    if (i < 0) i = this.syncs[s] = this.nSyncs++;
    return i;
  }

  private panicValue(p: number): number {
    let i = this.panics[p]!;
    if (i === 0) i = this.panics[p] = ++this.nPanics;
    return i;
  }

  private mSlot(key: number): number {
    let s = this.mSlots[key]!;
    if (s < 0) s = this.mSlots[key] = this.nMs++;
    return s;
  }

  private func(frame: number, ptr: number): number {
    const k = this.nFuncs++;
    const frameSize = Math.max(16, Math.ceil(frame / 8) * 8);
    const nWords = (frameSize - 8) / 8;
    const word = RUNTIME_BITMAP_WORDS + this.nBitmapWords;
    const nBitWords = Math.ceil(nWords / 32);
    for (let w = 0; w < nBitWords; w++) this.bitmaps[this.nBitmapWords + w] = 0;
    // Pointer slots: 0, and the one at byte `ptr` (when ptrs are given).
    if (ptr >= 0) {
      this.bitmaps[this.nBitmapWords] = (this.bitmaps[this.nBitmapWords]! | 1) >>> 0;
      const w = ptr / 8;
      this.bitmaps[this.nBitmapWords + (w >> 5)] = (this.bitmaps[this.nBitmapWords + (w >> 5)]! | (1 << (w & 31))) >>> 0;
    }
    this.nBitmapWords += nBitWords;
    this.funcFrame[k] = frameSize;
    this.funcWords[k] = nWords;
    this.funcBitmapWord[k] = word;
    return FIRST_USER_FUNC + k;
  }

  private record(i: number): void {
    const tape = this.tape;
    const op = tape.op[i]!;
    const def = DEFS[op]!;
    const fi = i * N_FIELDS;
    const f0 = tape.f[fi]!;
    const f1 = tape.f[fi + 1]!;
    const f2 = tape.f[fi + 2]!;
    const f3 = tape.f[fi + 3]!;
    const v = this.v;
    this.u32(OPR_CODE, def.code);
    let value: unknown = null;
    switch (op) {
      case T.thread:
        if (tape.kind[i] === B.c) {
          v.spawn.size = f0 >= 0 ? f0 : 256 * 1024; v.spawn.fn = i;
          value = v.spawn;
          break;
        }
        v.thread.index = f0; v.thread.lo = f1; v.thread.hi = f2;
        this.nThreads++;
        value = v.thread;
        break;
      case T.malloc:
        v.malloc.index = f0; v.malloc.size = f1; v.malloc.at = f2;
        if (f0 >= this.nBlocks) this.nBlocks = f0 + 1;
        value = v.malloc;
        break;
      case T.free: value = f0; break;
      case T.switch: v.switch.thread = f0; v.switch.to = f1 < 0 ? 0 : f1 + 1; value = v.switch; break;
      case T.callback:
        v.callback.thread = f0 < 0 ? 0 : f0; v.callback.sp = f1 < 0 ? undefined : f1; v.callback.fn = i;
        value = v.callback;
        break;
      case T.signal:
        if (tape.kind[i] === B.go) { value = v.goSignal; break; }
        v.signal.thread = f0; v.signal.sp = f1 < 0 ? undefined as unknown as number : f1; v.signal.fn = i; value = v.signal;
        break;
      case T.exit: value = f0; break;
      case T.go: {
        const g = this.goroutine(f0);
        v.go.g = g;
        if (f2 >= 0) { v.goStack[0] = f2; v.goStack[1] = f3; v.go.stack = v.goStack; } else v.go.stack = undefined;
        // In a Go body: newproc, with no M of its own.
        v.go.newproc = tape.kind[i] === B.go;
        v.go.mSlot = v.go.newproc ? 0 : this.mSlot(f1 >= 0 ? f1 : UNNAMED_M + f0);
        v.go.fn = i;
        value = v.go;
        break;
      }
      case T.resume: v.resume.index = this.goroutine(f0); v.resume.thread = false; value = v.resume; break;
      case T.repeat: v.repeat.count = f0; v.repeat.steps = i; value = v.repeat; break;
      case T.preempt:
        if (tape.kind[i] === 1 /* go body */) {
          v.preempt.g = undefined;
          v.preempt.resumeOn = undefined;
        } else {
          v.preempt.g = f0 >= 0 ? this.goroutine(f0) : PREEMPT_HOOK_G;
          v.preempt.resumeOn = f1 >= 0 ? this.mSlot(f1) + 1 : undefined;
        }
        value = v.preempt;
        break;
      case T.at:
        v.at.point = POINT_IDS[f0]!;
        v.at.g = f1 >= 0 ? this.goroutine(f1) + 1 : undefined;
        v.at.steps = i;
        value = v.at;
        break;
      case T.cgocall: v.cgocall.fn = i; v.cgocall.nocallback = f0 > 0; value = v.cgocall; break;
      case T.call: v.call.func = this.func(f0, f1); v.call.depth = f2 >= 0 ? f2 : 1; v.call.fn = i; value = v.call; break;
      case T.grow: value = f0; break;
      case T.park: value = PARK_IDS[f0]; break;
      case T.stack: value = f0; break;
      case T.recover: v.recover.value = f0 >= 0 ? this.panicValue(f0) : 0; v.recover.fn = i; value = v.recover; break;
      case T.panic: value = this.panicValue(f0); break;
      case T.chan: v.chan.index = this.sync(f0); v.chan.cap = f1; value = v.chan; break;
      case T.send: case T.recv: case T.close: case T.wgDone: case T.wgWait: case T.next: case T.yield: case T.stop:
        value = this.sync(f0);
        break;
      case T.wgAdd: v.wgAdd.index = this.sync(f0); v.wgAdd.n = f1; value = v.wgAdd; break;
      case T.sleep: value = f0 * 1000; break;
      case T.join: value = f0; break;
      case T.pull: {
        v.pull.index = this.sync(f0);
        const g = this.nGs++;
        this.goids[g] = this.iterGoid++;
        v.pull.g = g; v.pull.fn = i;
        value = v.pull;
        break;
      }
      case T.carve:
        v.carve.index = f0; v.carve.thread = f1; v.carve.size = f2;
        if (f0 >= this.nBlocks) this.nBlocks = f0 + 1;
        value = v.carve;
        break;
      case T.sigaltstack: v.sigaltstack.thread = f0; v.sigaltstack.block = f1 < 0 ? 0 : f1 + 1; value = v.sigaltstack; break;
      case T.atexit: value = i; break;
      case T.osExit: value = f0 > 0; break;
    }
    def.encode(this, value);
  }
}
