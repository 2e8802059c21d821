// The scenario compiler: validates a scenario against format 1 (docs/scenario-format.md) and lays
// it out as the op stream the core runs. The pipeline:
//
//   1. the top level here (format, profile, flags, godebug, window, expectations);
//   2. the steps, against the op table (ops.ts), by validate.ts: every error names the path of the
//      offending field ("steps[4].fn[0].sp") and says what was expected;
//   3. ids: goroutines' goids, once every `go` is known;
//   4. the records, by encode.ts, which cannot fail.
//
// What only the running model can know (overlaps with stacks the runtime placed, a thread blocked
// in C) the core reports, and report/result.ts turns it into the same kind of message, with the
// path of the op and the field the op table names for it (`subjects`).

import { ScenarioError, describe, parseAddress, parseSize, MAX_U64 } from '../api/errors.js';
import {
  FLAG_NAMES, PLATFORMS, GODEBUG_NAMES, GODEBUG_NOT_MODELLED, PROFILE_NAMES, resolveProfile, CB_UPDATE_GROUP,
  type FlagName, type Platform,
} from '../model/profiles.js';
import type { CompiledScenario, Expectation, Scenario } from '../api/types.js';
import { AUTO_G0_CHECK_DEPTH, DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, MAX_WINDOW_SIZE } from './limits.js';
import { COUNTER_NAMES, GODEBUG_GCSHRINKSTACKOFF, GODEBUG_INVALIDPTR_OFF, GODEBUG_TRACECHECKSTACKOWNERSHIP, PHYS_NETPOLL, PHYS_MALLOC_MUSL, PHYS_MALLOC_GLIBC } from '../core/abi.js';
import { Validator, bool, fields, int, isObject, str } from './validate.js';
import { encodeOps } from './encode.js';

export * from './limits.js';
export { OP, WAIT_REASONS } from './ops.js';
export type { FuncDef } from './validate.js';
export type { OpSubjects } from './encode.js';

/** What compileScenario gives (declared with the public types, src/api/types.ts). */
export type { CompiledScenario };

/** The top-level keys of a scenario (schema.ts declares the same). */
export const TOP_KEYS = [
  '$schema', 'format', 'name', 'description', 'profile', 'flags', 'platform', 'godebug', 'g0CheckDepth', 'addressSpace',
  'seed', 'steps', 'expect', 'runtimeStarted', 'tracebackContext', 'strategy', 'gomaxprocs', 'netpoll', 'malloc', 'physical', 'goTest',
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
  const on = (v: string | undefined) => v !== undefined && v !== '0';
  return (on(godebug.gcshrinkstackoff) ? GODEBUG_GCSHRINKSTACKOFF : 0) | (godebug.invalidptr === '0' ? GODEBUG_INVALIDPTR_OFF : 0) |
    (on(godebug.tracecheckstackownership) ? GODEBUG_TRACECHECKSTACKOWNERSHIP : 0);
}

/** The verdicts a run can have (api/types.ts Verdict). */
export const VERDICT_NAMES: readonly string[] = ['ok', 'crash', 'uaf', 'failed', 'corrupt', 'invalid'];

function parseExpect(v: unknown): Record<string, Expectation> {
  if (!isObject(v)) throw new ScenarioError('expect', `must be an object of profile names to expectations, got ${describe(v)}`);
  for (const [k, e] of Object.entries(v)) {
    const path = `expect.${k}`;
    if (k !== '*' && !resolveProfile(k)) throw new ScenarioError(path, `unknown profile or release; profiles: ${PROFILE_NAMES.join(', ')}, or "*"`);
    if (typeof e === 'string') {
      if (!VERDICT_NAMES.includes(e)) throw new ScenarioError(path, `must be "ok", "crash", "uaf", "failed", "corrupt", "invalid" or an object, got ${describe(e)}`);
      continue;
    }
    const o = fields(e, path, ['verdict', 'fatal', 'exitCode', 'crash', 'output', 'note', 'counters'], []);
    if (o.verdict !== undefined && !VERDICT_NAMES.includes(o.verdict as string)) throw new ScenarioError(`${path}.verdict`, `must be "ok", "crash", "uaf", "failed", "corrupt" or "invalid"`);
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
  if (s.$schema !== undefined && typeof s.$schema !== 'string') throw new ScenarioError('$schema', `must be a string (the schema an editor should use), got ${describe(s.$schema)}`);
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
  // Unset: each g0 check at its real depth below g0.sched.sp (the core's AUTO value).
  const g0CheckDepth = s.g0CheckDepth === undefined ? AUTO_G0_CHECK_DEPTH : BigInt(int(s.g0CheckDepth, 'g0CheckDepth', 0, 1 << 20));
  const physical = s.physical === undefined ? false : bool(s.physical, 'physical');
  const netpoll = s.netpoll === undefined ? false : bool(s.netpoll, 'netpoll');
  // Where malloc without `at` puts blocks: unset, the core decides (the platform's C library under
  // the physical model, else the simulator's own arena placement).
  let mallocPolicy: 'glibc' | 'musl' | 'explicit' | undefined;
  if (s.malloc !== undefined) {
    if (s.malloc !== 'glibc' && s.malloc !== 'musl' && s.malloc !== 'explicit') throw new ScenarioError('malloc', `must be "glibc", "musl" or "explicit", got ${describe(s.malloc)}`);
    mallocPolicy = s.malloc;
  }
  let windowBase = 0n;
  let windowSize = DEFAULT_WINDOW_SIZE;
  if (s.addressSpace !== undefined) {
    const a = fields(s.addressSpace, 'addressSpace', ['base', 'size'], []);
    if (a.base !== undefined) windowBase = parseAddress(a.base, 'addressSpace.base');
    if (a.size !== undefined) windowSize = parseSize(a.size, 'addressSpace.size');
    if (windowSize < MIN_WINDOW_SIZE || windowSize > MAX_WINDOW_SIZE) throw new ScenarioError('addressSpace.size', `must be from ${MIN_WINDOW_SIZE >> 20n}MiB to ${MAX_WINDOW_SIZE >> 20n}MiB, got ${windowSize}`);
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
  if (s.goTest !== undefined) {
    const g = fields(s.goTest, 'goTest', ['test', 'program', 'expressed', 'notes', 'issue'], ['test', 'program', 'expressed']);
    str(g.test, 'goTest.test');
    str(g.program, 'goTest.program');
    if (g.expressed !== 'fully' && g.expressed !== 'partly') throw new ScenarioError('goTest.expressed', `must be "fully" or "partly", got ${describe(g.expressed)}`);
    if (g.notes !== undefined && typeof g.notes !== 'string') throw new ScenarioError('goTest.notes', `must be a string, got ${describe(g.notes)}`);
    if (g.issue !== undefined) str(g.issue, 'goTest.issue');
  }
  const expect = s.expect === undefined ? undefined : parseExpect(s.expect);

  const v = new Validator(windowBase, windowSize);
  v.mallocPolicy = mallocPolicy ?? 'default';
  const timeline = v.body(s.steps, 'steps', 'timeline');
  if (v.forward.size > 0) throw new ScenarioError('steps', `"at" waits for goroutine ${JSON.stringify([...v.forward][0])}, which no "go" starts`);
  // Goroutine ids like "G7" keep their number as goid (crash texts print it); others count on.
  const goroutines = [...v.goroutines.keys()];
  const named = goroutines.map((id) => /^G(\d+)$/.exec(id)).map((m) => (m ? BigInt(m[1]!) : undefined));
  const taken = new Set(named.filter((g): g is bigint => g !== undefined && g > 0n));
  let next = 2n;
  for (const g of taken) if (g >= next) next = g + 1n;
  const goids = named.map((g) => {
    if (g !== undefined && g > 0n && taken.has(g)) { taken.delete(g); return g; }
    return next++;
  });
  const enc = encodeOps(timeline, v.nOps, goids);
  return {
    name, profile, flags, platform, godebug, g0CheckDepth, windowBase, windowSize, seed, runtimeStarted, expect, tracebackContext, strategy,
    ops: enc.ops, nOps: enc.nOps, timelineEnd: enc.timelineEnd, paths: enc.paths, topStep: enc.topStep, subjects: enc.subjects,
    threads: [...v.threads.keys()], blocks: [...v.blocks.keys()], goroutines, goids, goMs: [...v.goMs.keys()],
    syncs: [...v.syncs.keys()], goidBase: next,
    funcs: v.funcs, bitmaps: Uint32Array.from(v.bitmapWords), values: v.values,
    godebugBits: godebugBits(godebug),
    physicalBits: (netpoll ? PHYS_NETPOLL : 0) | (mallocPolicy === 'musl' ? PHYS_MALLOC_MUSL : mallocPolicy === 'glibc' ? PHYS_MALLOC_GLIBC : 0),
    physical,
    panicValues: v.panicValues,
  };
}
