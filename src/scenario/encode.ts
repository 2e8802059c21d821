// Encoding validated steps (validate.ts) as the op stream the core runs: 64-byte records, the op
// code at offset 0 and the fields each op's encode writes (assembly/interp.ts has the diagram).
//
// A body is laid out contiguously, and the bodies nested in its steps go after it, in document
// order: an op that has a body stores its [start, end) record indices. Encoding cannot fail: every
// check happened in validation, and every id (goids, function indices) was assigned before.

import { DEFAULT_SUBJECTS, type InvalidName, type OpDef, type OpWriter } from './ops.js';
import { MAX_OPS, OP_SIZE } from './limits.js';
import { OPR_CODE, OPR_START, OPR_END } from '../core/abi.js';
import type { ValidatedBody } from './validate.js';


/** Per op: where it is in the scenario, and which of its fields each run-time input error is about. */
export interface OpSubjects {
  /** "steps[4].fn[0]" */
  path: string;
  /** The op's name. */
  op: string;
  /** Field paths below `path`, by input error. */
  fields: Readonly<Partial<Record<InvalidName, string>>>;
}

const subjectMaps = new Map<OpDef<any>, Readonly<Partial<Record<InvalidName, string>>>>();
function subjectsOf(def: OpDef<any>): Readonly<Partial<Record<InvalidName, string>>> {
  let m = subjectMaps.get(def);
  if (!m) {
    m = Object.freeze({ ...DEFAULT_SUBJECTS, ...def.subjects });
    subjectMaps.set(def, m);
  }
  return m;
}

/** The encoded ops of a scenario, and per op where it came from (CompiledScenario extends this). */
export interface EncodedOps {
  ops: Uint8Array;
  nOps: number;
  /** Records of the top-level timeline: [0, timelineEnd). */
  timelineEnd: number;
  /** Per op: its path in the scenario ("steps[4].fn[0]"). */
  paths: string[];
  /** Per op: the index of the top-level step it belongs to. */
  topStep: number[];
  /** Per op: its path, its op name, and the field each run-time input error is about. */
  subjects: OpSubjects[];
}

class Encoder implements OpWriter {
  private buf: DataView;
  private n = 0;
  private op = 0;
  readonly paths: string[] = [];
  readonly topStep: number[] = [];
  readonly subjects: OpSubjects[] = [];

  constructor(nOps: number, private readonly goids: readonly bigint[]) {
    if (nOps > MAX_OPS) throw new Error(`encode: ${nOps} ops passed validation (at most ${MAX_OPS})`);
    this.buf = new DataView(new ArrayBuffer(Math.max(1, nOps) * OP_SIZE));
  }

  get count(): number { return this.n; }
  bytes(): Uint8Array { return new Uint8Array(this.buf.buffer, 0, this.n * OP_SIZE); }

  u32(offset: number, value: number): void { this.buf.setUint32(this.op * OP_SIZE + offset, value, true); }
  u64(offset: number, value: bigint): void { this.buf.setBigUint64(this.op * OP_SIZE + offset, value, true); }
  goid(g: number): bigint { return this.goids[g]!; }

  body(offset: number, body: ValidatedBody): void {
    const owner = this.op;
    const [start, end] = this.layout(body);
    this.op = owner;
    // A body is the pair start, end (OPR_START, OPR_END).
    this.u32(offset, start);
    this.u32(offset + (OPR_END - OPR_START), end);
  }

  /** Reserves a body's records, then fills each (its nested bodies land after it). */
  layout(body: ValidatedBody): [number, number] {
    const start = this.n;
    this.n += body.length;
    body.forEach((step, i) => {
      const op = start + i;
      this.paths[op] = step.path;
      this.topStep[op] = step.top;
      this.subjects[op] = { path: step.path, op: step.def.name, fields: subjectsOf(step.def) };
      this.op = op;
      this.u32(OPR_CODE, step.def.code);
      step.def.encode(this, step.value);
    });
    return [start, start + body.length];
  }
}

/** Encodes the validated timeline; `goids` gives each goroutine index its goid. */
export function encodeOps(timeline: ValidatedBody, nOps: number, goids: readonly bigint[]): EncodedOps {
  const e = new Encoder(nOps, goids);
  const [, timelineEnd] = e.layout(timeline);
  return { ops: e.bytes(), nOps: e.count, timelineEnd, paths: e.paths, topStep: e.topStep, subjects: e.subjects };
}
