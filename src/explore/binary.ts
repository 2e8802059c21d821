// The binary back-end: a generator tape (tape.ts) laid out as the op records the core runs,
// written straight into a byte array (the core's op buffer, in the explorer's loop) with the op
// table's own encoders (scenario/ops.ts), and the header the core's config block needs.
//
// It does for the generator's steps what the scenario compiler does for any scenario, without
// JSON, strings or validation: names are already numbers, and the generator only makes valid
// steps. What it must reproduce exactly is how the compiler numbers things, in document order:
//   - goroutines by first mention (a `go`, or an `at` that waits for one before its `go`),
//     goids from the names ("G7" keeps 7), the first free goid after the largest;
//   - Go Ms by first mention (a `go`'s m.id, or one of its own; a preempt's resumeOn);
//   - functions (`call`) with their stack maps, in document order;
//   - records: a body's steps contiguous, the bodies nested in them after it (encode.ts).
// test/explore-backends.test.ts checks byte for byte, over many seeds, that this equals
// compileScenario(toScenario(tape)); the campaign also checks a sample of runs in production.

import { Tape, T, TAPE_OPS, N_FIELDS } from './tape.js';
import { ALL_POINTS, PARK_REASONS } from './generate.js';
import { opDef, WAIT_REASONS, type OpDef, type OpWriter } from '../scenario/ops.js';
import { BITMAP_WORDS, FIRST_USER_FUNC, MAX_FUNCS, MAX_HOST_GS, RUNTIME_BITMAP_WORDS, OP_SIZE } from '../scenario/limits.js';
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
    const start = this.layout(node as number);
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
      case T.signal: v.signal.thread = f0; v.signal.sp = f1; v.signal.fn = i; value = v.signal; break;
      case T.exit: value = f0; break;
      case T.go: {
        const g = this.goroutine(f0);
        v.go.g = g;
        if (f2 >= 0) { v.goStack[0] = f2; v.goStack[1] = f3; v.go.stack = v.goStack; } else v.go.stack = undefined;
        v.go.mSlot = this.mSlot(f1 >= 0 ? f1 : UNNAMED_M + f0);
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
      case T.cgocall: v.cgocall.fn = i; value = v.cgocall; break;
      case T.call: v.call.func = this.func(f0, f1); v.call.depth = f2 >= 0 ? f2 : 1; v.call.fn = i; value = v.call; break;
      case T.grow: value = f0; break;
      case T.park: value = PARK_IDS[f0]; break;
      case T.stack: value = f0; break;
    }
    def.encode(this, value);
  }
}
