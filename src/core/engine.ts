// The binary run entry for engines (explorers, fuzzers, benchmarks): a scenario is validated and
// compiled once (Simulator.prepare); each run writes only the config words that change (flags,
// budget, platform, seed, strategy) and calls the core's run(). What the host needs to decide what
// to do next (verdict, the raw failure signature, counters, trace hash) is read from a copy of the
// core's result area; the RunResult with its text, events and state is built only when asked.

import { compileScenario, type CompiledScenario } from '../scenario/compile.js';
import { OPS } from '../scenario/ops.js';
import {
  OP_SIZE, OPR_CODE, STOP, RESULT_LOCATION, RES_STOP_REASON, RES_CRASH_KIND, RES_CRASH_OP, RES_TRACE_HASH,
  RES_STEPS_USED, RES_EVENTS_TOTAL, RES_CRASH_OPERANDS, RES_COUNTERS, N_CRASH_OPERANDS,
} from './abi.js';
import { OptionsError, ScenarioError, describe } from '../api/errors.js';
import { checkOptions, boolean, flags as flagsChecker, isPlainObject, positiveMs, profile as profileChecker } from '../api/options.js';

const RESULT_OPTIONS = { events: boolean, state: boolean };
import { flagMask, flagSet, resolveProfile, FLAG_NAMES, PLATFORM_IDS, PROFILE_NAMES, type FlagName, type ProfileName } from '../model/profiles.js';
import { baseResult, buildResult, coverHash, hashCovers, nameRun, type RunContext } from '../report/result.js';
import { platformWord } from '../model/physical.js';
import { COUNTER_NAMES, type CounterName, type FailureSignature, type LazyRun, type PinStep, type PreparedScenario, type RunResult, type RunSpec, type Scenario, type Verdict } from '../api/types.js';
import type { Core } from './instance.js';

/** A profile and flag overrides, resolved once: the flag set and its mask as two u32 halves. */
export interface ResolvedFlags {
  profile: ProfileName;
  release: string | undefined;
  flags: Set<FlagName>;
  lo: number;
  hi: number;
}

export function resolveFlags(profileName: string, ...overrides: Partial<Record<FlagName, boolean>>[]): ResolvedFlags {
  const { profile, overrides: releaseOverrides } = resolveProfile(profileName)!;
  const flags = flagSet(profile, releaseOverrides, ...overrides);
  const mask = flagMask(flags);
  return { profile, release: profileName !== profile ? profileName : undefined, flags, lo: Number(mask & 0xffffffffn), hi: Number(mask >> 32n) };
}

const SPEC_KEYS = new Set(['profile', 'flags', 'seed', 'strategy', 'budget', 'deadline', 'crashStack', 'pins', 'events', 'physical']);
const VERDICTS: Record<number, Verdict> = {
  [STOP.RUNNING]: 'ok', [STOP.DONE]: 'ok', [STOP.CRASH]: 'crash', [STOP.UAF]: 'uaf', [STOP.CORRUPT]: 'corrupt', [STOP.FAILED]: 'failed', [STOP.BUDGET]: 'invalid', [STOP.INVALID]: 'invalid',
  [STOP.DEADLINE]: 'invalid',
};
/** The result area as u32 words (Core.words()): where each field's (low) word is. */
const W = {
  AREA: RESULT_LOCATION >>> 2, STOP: RES_STOP_REASON >>> 2, CRASH_KIND: RES_CRASH_KIND >>> 2, CRASH_OP: RES_CRASH_OP >>> 2,
  HASH: RES_TRACE_HASH >>> 2, EVENTS_TOTAL: RES_EVENTS_TOTAL >>> 2, STEPS: RES_STEPS_USED >>> 2, OPERANDS: RES_CRASH_OPERANDS >>> 2, COUNTERS: RES_COUNTERS >>> 2,
} as const;
const COUNTER_INDEX = new Map<string, number>(COUNTER_NAMES.map((n, i) => [n, i]));
const U32 = 4294967296;
/** The name a scenario gives each op code (for signatures), from the op table. */
const OP_NAMES: Record<number, string> = Object.fromEntries(OPS.map((d) => [d.code, d.name]));

function trapError(compiled: CompiledScenario, at: number, e: Error): { path: string; message: string } {
  const path = compiled.paths[at] ?? 'steps';
  return { path, message: `${path}: the Wasm core trapped (${e.message}); this is a cgosim bug, please report it with the scenario` };
}

/** The RunResult of a run whose core trapped (the core is rebuilt at the next run, so it stays usable). */
export function trapResult(ctx: RunContext, at: number, e: Error): RunResult {
  const r = baseResult({ name: ctx.compiled.name, profile: ctx.profile, flags: ctx.flags, platform: ctx.platform, seed: ctx.seed, strategy: ctx.strategy }, 'invalid');
  nameRun(r, { profile: ctx.profile, flags: ctx.flags, release: ctx.release, godebug: ctx.compiled.godebug });
  const { path, message } = trapError(ctx.compiled, at, e);
  r.error = { code: 'WASM_TRAP', path, message };
  r.stepPath = path;
  return r;
}

class Variant {
  constructor(readonly compiled: CompiledScenario) {}
}

class LazyRunImpl implements LazyRun {
  readonly stopReason: number;
  readonly crashKind: number;
  readonly crashOp: number;
  private readonly hashLo: number;
  private readonly hashHi: number;
  readonly stepsUsed: number;
  readonly eventsTotal: number;

  constructor(
    private readonly prepared: PreparedImpl,
    private readonly variant: Variant,
    private readonly ctx: RunContext,
    private generation: number,
    private recorded: boolean,
    private readonly trap: Error | undefined,
  ) {
    // The header words are copied now; counters and operands are read from memory while it still
    // holds this run (else the run is replayed first), so a run allocates nothing but this object.
    const core = prepared.core();
    const w = core.words();
    const r = W.AREA;
    this.crashOp = w[r + W.CRASH_OP]!;
    if (trap) {
      this.stopReason = STOP.INVALID;
      this.crashKind = 0;
      this.hashLo = this.hashHi = 0;
      this.stepsUsed = 0;
      this.eventsTotal = 0;
    } else {
      this.stopReason = w[r + W.STOP]!;
      // A spent budget or deadline leaves what the run was doing in the crash-kind word: not a crash kind.
      this.crashKind = this.stopReason === STOP.DONE || this.stopReason === STOP.BUDGET || this.stopReason === STOP.DEADLINE ? 0 : w[r + W.CRASH_KIND]!;
      this.hashLo = w[r + W.HASH]!;
      this.hashHi = w[r + W.HASH + 1]!;
      this.stepsUsed = w[r + W.STEPS]! + w[r + W.STEPS + 1]! * U32;
      this.eventsTotal = recorded ? w[r + W.EVENTS_TOTAL]! + w[r + W.EVENTS_TOTAL + 1]! * U32 : 0;
      // The wall clock cannot be replayed: a run its deadline stopped keeps its whole result now.
      if (this.stopReason === STOP.DEADLINE) {
        this.kept = this.build(recorded, true);
        this.keptOperands = Array.from({ length: N_CRASH_OPERANDS }, (_, i) => BigInt(w[r + W.OPERANDS + 2 * i]!) | (BigInt(w[r + W.OPERANDS + 1 + 2 * i]!) << 32n));
      }
    }
  }

  /** The result of a run stopped by its deadline (with events if it recorded them), and its state. */
  private kept: RunResult | undefined;
  private keptOperands: bigint[] | undefined;

  get verdict(): Verdict { return VERDICTS[this.stopReason] ?? 'invalid'; }
  get traceHash(): string {
    if (this.trap) return '';
    const core = this.hashHi.toString(16).padStart(8, '0') + this.hashLo.toString(16).padStart(8, '0');
    // Overrides and GODEBUG are mixed in as RunResult.traceHash has them (result.ts coverHash).
    if (!hashCovers(this.ctx)) return core;
    return coverHash(BigInt(`0x${core}`), this.ctx).toString(16).padStart(16, '0');
  }

  /** The result area's words, with memory made to hold this run (replaying it if needed). */
  private area(events: boolean): number {
    const core = this.prepared.core();
    if (core.generation !== this.generation || core.loaded !== this.variant || (events && !this.recorded)) {
      this.prepared.replay(this.variant, this.ctx, events);
      const w = core.words();
      const r = W.AREA;
      if (w[r + W.HASH] !== this.hashLo || w[r + W.HASH + 1] !== this.hashHi) {
        throw new Error(`cgosim: replaying ${this.ctx.compiled.name} gave another trace hash; this is a cgosim bug (non-determinism), please report it`);
      }
      this.generation = core.generation;
      this.recorded = events;
    }
    return W.AREA;
  }

  operand(i: number): bigint {
    if (!Number.isInteger(i) || i < 0 || i >= N_CRASH_OPERANDS) throw new RangeError(`operand: index must be 0 to ${N_CRASH_OPERANDS - 1}`);
    if (this.trap) return 0n;
    if (this.kept) return this.keptOperands![i]!;
    const r = this.area(false);
    const w = this.prepared.core().words();
    return BigInt(w[r + W.OPERANDS + 2 * i]!) | (BigInt(w[r + W.OPERANDS + 1 + 2 * i]!) << 32n);
  }

  counter(name: CounterName): number {
    const i = COUNTER_INDEX.get(name);
    if (i === undefined) throw new RangeError(`counter: no counter named ${JSON.stringify(name)}`);
    if (this.trap) return 0;
    if (this.kept) return this.kept.counters[name];
    const r = this.area(false);
    const w = this.prepared.core().words();
    return w[r + W.COUNTERS + 2 * i]! + w[r + W.COUNTERS + 1 + 2 * i]! * U32;
  }

  counters(): Record<CounterName, number> {
    const out = {} as Record<CounterName, number>;
    if (this.trap) {
      for (const name of COUNTER_NAMES) out[name] = 0;
      return out;
    }
    if (this.kept) return { ...this.kept.counters };
    const r = this.area(false);
    const w = this.prepared.core().words();
    for (let i = 0; i < COUNTER_NAMES.length; i++) out[COUNTER_NAMES[i]!] = w[r + W.COUNTERS + 2 * i]! + w[r + W.COUNTERS + 1 + 2 * i]! * U32;
    return out;
  }

  signature(): FailureSignature {
    const c = this.variant.compiled;
    const done = this.stopReason === STOP.DONE;
    const op = this.crashOp;
    const code = op < c.nOps ? new DataView(c.ops.buffer, c.ops.byteOffset).getUint32(op * OP_SIZE + OPR_CODE, true) : 0;
    const operands: bigint[] = [];
    if (!done && !this.trap) for (let i = 0; i < N_CRASH_OPERANDS; i++) operands.push(this.operand(i));
    return {
      verdict: this.verdict,
      crashKind: this.crashKind,
      site: done ? '' : c.paths[op] ?? 'steps',
      opKind: done ? '' : this.trap ? 'trap' : OP_NAMES[code] ?? String(code),
      operands,
    };
  }

  result(options: { events?: boolean; state?: boolean } = {}): RunResult {
    checkOptions('result()', options, RESULT_OPTIONS);
    if (this.trap) return trapResult(this.ctx, this.crashOp, this.trap);
    const events = options.events === true;
    if (this.kept) {
      if (events && !this.recorded) throw new OptionsError('result()', 'events', 'cannot be had for a run its deadline stopped unless it ran with events: true (a wall-clock stop cannot be replayed)');
      const r = { ...this.kept, counters: { ...this.kept.counters } };
      if (!events) delete r.events;
      if (!options.state) delete r.state;
      return r;
    }
    this.area(events);
    return this.build(events, options.state === true);
  }

  /** The RunResult from the core's memory, which holds this run. */
  private build(events: boolean, state: boolean): RunResult {
    const core = this.prepared.core();
    const r = buildResult(core.readResult(), this.ctx, core, events);
    if (state) r.state = core.snapshot(this.ctx.compiled);
    return r;
  }
}

export class PreparedImpl implements PreparedScenario {
  readonly name: string;
  private readonly base: Variant;
  private readonly variants = new Map<string, Variant>();
  private readonly resolved = new Map<string, ResolvedFlags>();
  private readonly platform: number;

  constructor(
    readonly core: (fresh?: boolean) => Core,
    readonly compiled: CompiledScenario,
    private readonly source: Scenario | undefined,
    private readonly defaultBudget: number,
    private readonly defaultDeadline?: number,
  ) {
    this.name = compiled.name;
    this.base = new Variant(compiled);
    this.platform = PLATFORM_IDS[compiled.platform];
  }

  withPins(pins: readonly PinStep[]): Scenario {
    if (!this.source) throw new OptionsError('withPins()', 'pins', 'need a scenario prepared from its object or JSON text, not from compileScenario()');
    if (!Array.isArray(pins)) throw new OptionsError('withPins()', 'pins', 'must be an array of "at" steps');
    return { ...this.source, steps: [...pins, ...this.source.steps] };
  }

  private variant(pins: readonly PinStep[] | undefined): Variant {
    if (pins === undefined || pins.length === 0) return this.base;
    const key = JSON.stringify(pins);
    let v = this.variants.get(key);
    if (!v) {
      if (!Array.isArray(pins)) throw new OptionsError('run()', 'pins', 'must be an array of "at" steps');
      pins.forEach((p, i) => {
        if (typeof p !== 'object' || p === null || (p as { op?: unknown }).op !== 'at') throw new OptionsError('run()', `pins[${i}]`, 'must be an "at" step');
      });
      let compiled: CompiledScenario;
      try {
        compiled = compileScenario(this.withPins(pins));
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        // The pins are the first steps: name them as pins in the message.
        const m = /^steps\[(\d+)\](.*)$/.exec(e.path);
        const path = m && Number(m[1]) < pins.length ? `pins[${m[1]}]${m[2]}` : e.path;
        throw new OptionsError('run()', path || 'pins', e.detail);
      }
      // Bounded: an exhaustive explorer may try many pin lists; the oldest are compiled again if needed.
      if (this.variants.size >= 1024) this.variants.delete(this.variants.keys().next().value!);
      v = new Variant(compiled);
      this.variants.set(key, v);
    }
    return v;
  }

  private flags(spec: RunSpec): ResolvedFlags {
    const profileName = spec.profile ?? this.compiled.profile ?? 'tip';
    const key = spec.flags === undefined && spec.crashStack !== true ? profileName : `${profileName}\u0000${JSON.stringify(spec.flags ?? {})}\u0000${spec.crashStack === true}`;
    let f = this.resolved.get(key);
    if (!f) {
      if (typeof profileName !== 'string' || !resolveProfile(profileName.trim().toLowerCase())) {
        throw new OptionsError('run()', 'profile', `must be a profile (${PROFILE_NAMES.join(', ')}) or a release such as go1.22.3, got ${JSON.stringify(profileName)}`);
      }
      if (spec.flags !== undefined) {
        if (typeof spec.flags !== 'object' || spec.flags === null) throw new OptionsError('run()', 'flags', 'must be an object');
        for (const [k, v] of Object.entries(spec.flags)) {
          if (!(FLAG_NAMES as readonly string[]).includes(k)) throw new OptionsError('run()', `flags.${k}`, `is not a flag; known flags: ${FLAG_NAMES.join(', ')}`);
          if (typeof v !== 'boolean') throw new OptionsError('run()', `flags.${k}`, 'must be a boolean');
        }
      }
      if (spec.crashStack !== undefined && typeof spec.crashStack !== 'boolean') throw new OptionsError('run()', 'crashStack', 'must be a boolean');
      const extra: Partial<Record<FlagName, boolean>> = spec.crashStack ? { CRASH_STACK_DIAG: true } : {};
      f = resolveFlags(profileName.trim().toLowerCase(), this.compiled.flags, spec.flags ?? {}, extra);
      if (this.resolved.size >= 4096) this.resolved.clear();
      this.resolved.set(key, f);
    }
    return f;
  }

  run(spec: RunSpec = {}): LazyRun {
    // Every field is checked on every run, before any cache is consulted: a wrong value is refused
    // the same way whether or not an earlier run with another value filled the caches.
    if (!isPlainObject(spec as unknown)) throw new OptionsError('run()', 'spec', `must be an object, got ${describe(spec)}`);
    for (const k in spec) if (!SPEC_KEYS.has(k)) throw new OptionsError('run()', k, `is not a run field; expected one of ${[...SPEC_KEYS].join(', ')}`);
    if (spec.profile !== undefined && typeof spec.profile !== 'string') profileChecker('run()', 'profile', spec.profile);
    if (spec.flags !== undefined) flagsChecker('run()', 'flags', spec.flags);
    if (spec.crashStack !== undefined && typeof spec.crashStack !== 'boolean') throw new OptionsError('run()', 'crashStack', `must be a boolean, got ${describe(spec.crashStack)}`);
    if (spec.pins !== undefined && !Array.isArray(spec.pins)) throw new OptionsError('run()', 'pins', `must be an array of "at" steps, got ${describe(spec.pins)}`);
    if (spec.deadline !== undefined) positiveMs('run()', 'deadline', spec.deadline);
    const seed = spec.seed === undefined ? this.compiled.seed : spec.seed;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new OptionsError('run()', 'seed', 'must be an integer from 0 to 4294967295');
    const budget = spec.budget === undefined ? this.defaultBudget : spec.budget;
    if (!Number.isSafeInteger(budget) || budget < 1) throw new OptionsError('run()', 'budget', 'must be a positive integer');
    const strategy = spec.strategy === undefined ? this.compiled.strategy : spec.strategy;
    if (strategy !== 'random' && strategy !== 'pct') throw new OptionsError('run()', 'strategy', 'must be "random" or "pct"');
    if (spec.events !== undefined && typeof spec.events !== 'boolean') throw new OptionsError('run()', 'events', 'must be a boolean');
    if (spec.physical !== undefined && typeof spec.physical !== 'boolean') throw new OptionsError('run()', 'physical', `must be a boolean, got ${describe(spec.physical)}`);
    const f = this.flags(spec);
    const v = this.variant(spec.pins);
    const core = this.core(true);
    const deadline = spec.deadline ?? this.defaultDeadline;
    const physical = spec.physical ?? v.compiled.physical;
    const ctx: RunContext = { compiled: v.compiled, profile: f.profile, release: f.release, flags: f.flags, platform: v.compiled.platform, seed, budget, strategy, physical };
    if (deadline !== undefined) ctx.deadline = deadline;
    const record = spec.events === true;
    if (core.loaded !== v) core.load(v.compiled, v);
    let trap: Error | undefined;
    try {
      core.start(f.lo, f.hi, platformWord(this.platform, f.profile, physical), budget, record, seed, strategy, deadline);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      trap = e;
    }
    return new LazyRunImpl(this, v, ctx, core.generation, record, trap);
  }

  /** Runs `variant` again with the same settings (for a LazyRun whose memory was overwritten). */
  replay(v: Variant, ctx: RunContext, record: boolean): void {
    const core = this.core();
    if (core.loaded !== v) core.load(v.compiled, v);
    const f = flagMask(ctx.flags);
    core.start(Number(f & 0xffffffffn), Number(f >> 32n), platformWord(this.platform, ctx.profile, ctx.physical), ctx.budget, record, ctx.seed, ctx.strategy);
  }
}

/** Simulator.prepare: the scenario as given (object, JSON text or compiled). */
export function prepare(core: (fresh?: boolean) => Core, scenario: Scenario | string | CompiledScenario, budget: number, isCompiled: (s: unknown) => s is CompiledScenario, deadline?: number): PreparedScenario {
  if (isCompiled(scenario)) return new PreparedImpl(core, scenario, undefined, budget, deadline);
  let source: unknown = scenario;
  if (typeof scenario === 'string') {
    try {
      source = JSON.parse(scenario);
    } catch (e) {
      throw new ScenarioError('', `malformed JSON: ${(e as Error).message}`);
    }
  }
  const compiled = compileScenario(source);
  return new PreparedImpl(core, compiled, structuredClone(source) as Scenario, budget, deadline);
}
