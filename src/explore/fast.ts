// The explorer's loop, per run: the generator writes a seed's decisions to a tape, the binary
// back-end lays the tape out as op records straight into the core's memory, and the core runs
// them under each side (one run() call each), with no scenario object, no JSON, no validation and
// no result built. What comes back is the stop reason and the raw failure fields of the result
// area: enough to tell ok from not ok.
//
// Signatures (signature.ts) are made of the run's text, which only the full result has. A run
// that fails gets a raw key instead: its side, stop reason, check kind, the runtime function the
// check ran in, the op kind, the thread, M and goroutine the crash names and its small operands
// (kinds, not addresses). The first run with a new raw key is judged again the slow way (the
// scenario object, compiled, run, its result built), and the signature it gives is remembered for
// the key. The key holds everything the text is made of except addresses and numbers, which the
// signature masks anyway, so a key has one signature.

import { Tape } from './tape.js';
import { Generator, type GenerateOptions } from './generate.js';
import { BinaryEmitter } from './binary.js';
import { toScenario } from './object.js';
import { resolveFlags, type ResolvedFlags } from '../core/engine.js';
import { coreOf, type Core } from '../core/instance.js';
import {
  OPS_LOCATION, OP_SIZE, OPR_CODE, RESULT_LOCATION, RES_CRASH_KIND, RES_CRASH_OP, RES_CRASH_THREAD,
  RES_CRASH_M, RES_CRASH_G, RES_CRASH_FN, RES_CRASH_OPERANDS, N_CRASH_OPERANDS, STOP_DONE, STOP_RUNNING, STOP_CRASH, STOP_UAF, STOP_CORRUPT, STOP_FAILED,
} from '../core/abi.js';
import { platformWord } from '../model/physical.js';
import { compileScenario } from '../scenario/compile.js';
import { ScenarioError } from '../api/errors.js';
import { PLATFORM_IDS, type Platform } from '../model/profiles.js';
import { EXPLORE_BUDGET, type Side } from './runner.js';
import type { Scenario, Simulator } from '../api/types.js';

/** A run's verdict class per side: ok, a failure (crash, uaf, corrupt, or a failed check of the program's own), or invalid (budget or input error). */
export const OK = 0;
export const FAIL = 1;
export const INVALID = 2;

const W_KIND = (RESULT_LOCATION + RES_CRASH_KIND) >>> 2;
const W_OP = (RESULT_LOCATION + RES_CRASH_OP) >>> 2;
const W_THREAD = (RESULT_LOCATION + RES_CRASH_THREAD) >>> 2;
const W_M = (RESULT_LOCATION + RES_CRASH_M) >>> 2;
const W_G = (RESULT_LOCATION + RES_CRASH_G) >>> 2;
const W_FN = (RESULT_LOCATION + RES_CRASH_FN) >>> 2;
const W_OPERANDS = (RESULT_LOCATION + RES_CRASH_OPERANDS) >>> 2;
/** Operands below this are kinds (of region, of read, of function), kept in the raw key; larger ones are addresses. */
const SMALL_OPERAND = 64;

/** Generates, lays out and runs scenarios on one simulator's core. */
export class FastRunner {
  readonly tape = new Tape();
  readonly generator = new Generator();
  readonly emitter = new BinaryEmitter();
  /** The simulator's core, taken again at every load(): a simulator may replace its instance. */
  private core: Core;
  private readonly flags: { lo: number; hi: number; profile: ResolvedFlags['profile'] }[];
  /** Per side after run(): OK, FAIL or INVALID. */
  readonly verdicts: Int32Array;
  /** Per side after run(): the raw key of a failure ('' when ok). */
  readonly keys: string[];

  constructor(private readonly sim: Simulator, readonly sides: readonly Side[], private options: GenerateOptions, private readonly strategy: 'random' | 'pct') {
    this.core = coreOf(sim);
    let coroutines = true;
    let nocallback = true;
    this.flags = sides.map((s) => {
      const f = resolveFlags(s.profile.trim().toLowerCase(), s.flags);
      if (!f.flags.has('COROUTINES')) coroutines = false;
      if (!f.flags.has('NOCALLBACK_DIRECTIVE')) nocallback = false;
      return { lo: f.lo, hi: f.hi, profile: f.profile };
    });
    // Iterators (`pull`) and #cgo nocallback where every side builds them, unless the options say.
    if (options.coroutines === undefined && coroutines) this.options = { ...this.options, coroutines };
    if (options.nocallback === undefined && nocallback) this.options = { ...this.options, nocallback };
    this.verdicts = new Int32Array(sides.length);
    this.keys = sides.map(() => '');
  }

  /** Writes the scenario of `seed` to the tape and its records to the core. */
  load(seed: number): void {
    this.generator.generate(this.tape, seed, this.options);
    this.tape.strategy = this.strategy;
    this.core = coreOf(this.sim);
    this.emitter.emit(this.tape, this.core.bytes(), OPS_LOCATION);
    this.core.loadRaw(this.emitter);
  }

  /** Runs what load() wrote under every side; true when any side did not end ok. */
  run(): boolean {
    const core = this.core;
    const tape = this.tape;
    const platform = PLATFORM_IDS[tape.platform as Platform];
    let bad = false;
    for (let s = 0; s < this.sides.length; s++) {
      const f = this.flags[s]!;
      // The platform word also carries the physical switch and the profile's frame-size class.
      const word = tape.physical ? platformWord(platform, f.profile, true) : platform;
      const stop = core.start(f.lo, f.hi, word, EXPLORE_BUDGET, false, tape.seed, tape.strategy);
      if (stop === STOP_DONE || stop === STOP_RUNNING) {
        this.verdicts[s] = OK;
        this.keys[s] = '';
        continue;
      }
      bad = true;
      this.verdicts[s] = stop === STOP_CRASH || stop === STOP_UAF || stop === STOP_CORRUPT || stop === STOP_FAILED ? FAIL : INVALID;
      this.keys[s] = this.rawKey(s, stop);
    }
    return bad;
  }

  private rawKey(side: number, stop: number): string {
    const w = this.core.words();
    const op = w[W_OP]!;
    const code = op < this.emitter.nOps ? w[(OPS_LOCATION + op * OP_SIZE + OPR_CODE) >>> 2]! : -1;
    let key = `${side}|${stop}|${w[W_KIND]}|${w[W_FN]}|${code}|${w[W_THREAD]}|${w[W_M]}|${w[W_G]}`;
    for (let i = 0; i < N_CRASH_OPERANDS; i++) {
      const lo = w[W_OPERANDS + 2 * i]!;
      key += w[W_OPERANDS + 2 * i + 1] === 0 && lo < SMALL_OPERAND ? `|${lo}` : '|a';
    }
    return key;
  }

  /** The scenario on the tape, as an object (for a finding, or a check). */
  scenario(): Scenario { return toScenario(this.tape); }

  /**
   * The generator's self-check on one run: the scenario object must compile, and the compiler's
   * records and counts must equal what the binary back-end wrote. Returns what is wrong, or
   * undefined. Call it after load() and before run().
   */
  check(): string | undefined {
    let compiled;
    try {
      compiled = compileScenario(this.scenario());
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return `generator: the scenario is invalid: ${e.message}`;
    }
    if (compiled.seed !== this.tape.seed || compiled.platform !== this.tape.platform || compiled.strategy !== this.tape.strategy || compiled.physical !== this.tape.physical) {
      return 'generator: the back-ends disagree on the seed, platform, strategy or physical';
    }
    return compareCompiled(compiled, this.emitter, this.core.bytes(), OPS_LOCATION);
  }
}

/** How the compiler's output differs from what the binary back-end wrote at `base` of `bytes`; undefined when equal. */
export function compareCompiled(c: ReturnType<typeof compileScenario>, e: BinaryEmitter, bytes: Uint8Array, base: number): string | undefined {
  const counts: [string, number, number][] = [
    ['ops', c.nOps, e.nOps], ['timeline end', c.timelineEnd, e.timelineEnd], ['threads', c.threads.length, e.nThreads],
    ['goroutines', c.goroutines.length, e.nGs], ['Ms', c.goMs.length, e.nMs], ['blocks', c.blocks.length, e.nBlocks],
    ['goid base', Number(c.goidBase), e.goidBase], ['functions', c.funcs.length, e.nFuncs], ['stack-map words', c.bitmaps.length, e.nBitmapWords],
  ];
  for (const [what, want, got] of counts) if (want !== got) return `generator: the back-ends disagree on ${what}: compiler ${want}, binary ${got}`;
  if (c.tracebackContext !== e.tracebackContext) return 'generator: the back-ends disagree on tracebackContext';
  for (let i = 0; i < c.ops.length; i++) {
    if (c.ops[i] !== bytes[base + i]) {
      const rec = Math.floor(i / OP_SIZE);
      return `generator: the back-ends disagree on record ${rec} (${c.paths[rec]}) at byte ${i % OP_SIZE}: compiler ${c.ops[i]}, binary ${bytes[base + i]}`;
    }
  }
  for (let k = 0; k < c.funcs.length; k++) {
    const f = c.funcs[k]!;
    if (f.frameSize !== e.funcFrame[k] || f.nWords !== e.funcWords[k] || f.bitmapWord !== e.funcBitmapWord[k] || f.nValues !== 0) {
      return `generator: the back-ends disagree on function ${k}`;
    }
  }
  for (let i = 0; i < c.bitmaps.length; i++) if (c.bitmaps[i] !== e.bitmaps[i]) return `generator: the back-ends disagree on stack-map word ${i}`;
  return undefined;
}
