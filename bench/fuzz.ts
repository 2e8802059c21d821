// Our own fuzz campaign (issue 16, item 6). Three kinds of case go through the public API:
//   mutated   a bundled scenario with a few random edits (a value replaced by any JSON value, a key
//             dropped, a step duplicated, a count or size pushed to its limits);
//   generated a scenario built from the op vocabulary with plausible and implausible fields;
//   bytes     random bytes (and random JSON text) given to run() and compileScenario();
//   prepared  a mutated or generated scenario through the binary entry (prepare().run(spec), with
//             random pins, flags and seeds): its LazyRun's result must equal run()'s for the same
//             scenario and options, read both from memory and by replay;
//   explorer  explore, shrink, diff and generate with random (valid and invalid) options.
// Every case may end only in a documented outcome: a result whose verdict is ok, crash, uaf or
// invalid with one of the documented error codes (a WASM_TRAP is a cgosim bug: a finding), or an
// OptionsError/ScenarioError where those are documented. Each case runs under a budget and a
// deadline far above what that budget takes, so a case that hits the deadline is a finding too
// (the budget failed to bound its time). A control scenario's full result must never change.
//
// test/fuzz.test.ts runs a bounded campaign in CI (fixed seed). `npm run fuzz -- --time SECONDS
// [--seed N]` runs a long one and saves a reproducer of every finding under fuzz-findings/.

import fc from 'fast-check';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  compileScenario, OptionsError, ScenarioError, PROFILE_NAMES, FLAG_NAMES, POINTS, explore, shrink, diff, generate,
} from '../src/api/index.js';
import type { PinStep, RunOptions, RunResult, RunSpec, Scenario, Simulator } from '../src/api/types.js';

export const CASE_BUDGET = 2_000_000;
export const CASE_DEADLINE_MS = 5_000;
const CODES = new Set(['SCENARIO_INVALID', 'BUDGET_EXHAUSTED', 'STATE_INVALID']);

export interface FuzzCase { kind: 'mutated' | 'generated' | 'bytes' | 'prepared' | 'explorer'; input: unknown; options: RunOptions; spec?: unknown; call?: ExplorerCall }
/** One call of the explorer's API: which, and its options (valid-looking or any value). */
export interface ExplorerCall { fn: 'explore' | 'shrink' | 'diff' | 'generate'; options: unknown; seed: unknown }
/** An explorer call may take this long at most (its runs have budgets; this is the bound on them). */
export const EXPLORER_CALL_MS = 30_000;
export interface Finding { kind: string; input: unknown; options: RunOptions; spec?: unknown; call?: ExplorerCall; outcome: string }

// ---- the arbitraries ----

const anyJson = fc.jsonValue({ maxDepth: 2 });
const extremes = fc.constantFrom(0, 1, -1, 4294967295, 4294967296, 2 ** 53, 1e308, -0, 0.5, '0x0', '0xffffffffffffffff', '768MiB', '1TiB', '', 'tip');
const value = fc.oneof({ weight: 3, arbitrary: anyJson }, { weight: 2, arbitrary: extremes });

const ADDR = fc.oneof(fc.constantFrom('0x800000', '0x880000', '0x87fe00', '0x500000', '0x2000000'), fc.integer({ min: 0, max: 0x4000000 }).map((n) => `0x${(n & ~0xf).toString(16)}`));
const SIZE = fc.oneof(fc.constantFrom('64KiB', '8KiB', '1MiB', 4096, 64, 0, '8MiB'), fc.integer({ min: 0, max: 1 << 22 }));
const COUNT = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(4294967295, 100000, 65536));

const goStep: fc.Memo<unknown> = fc.memo((d) => fc.oneof(
  fc.constantFrom({ op: 'systemstack' }, { op: 'gc' }, { op: 'gosched' }, { op: 'lockOSThread' }, { op: 'unlockOSThread' },
    { op: 'preempt' }, { op: 'readMemStats' }, { op: 'traceStart' }, { op: 'traceAdvance' }, { op: 'park', reason: 'chan receive' }),
  fc.record({ op: fc.constant('grow'), bytes: SIZE }),
  fc.record({ op: fc.constant('setMaxStack'), bytes: SIZE }),
  d > 1 ? fc.record({ op: fc.constant('cgocall'), fn: fc.array(cStep(d - 1), { maxLength: 3 }) }) : fc.constant({ op: 'systemstack' }),
  d > 1 ? fc.record({ op: fc.constant('call'), frame: fc.oneof(fc.constantFrom(64, 256, '4KiB'), SIZE), depth: fc.integer({ min: 0, max: 3000 }), fn: fc.array(goStep(d - 1), { maxLength: 3 }) }) : fc.constant({ op: 'gc' }),
  d > 1 ? fc.record({ op: fc.constant('repeat'), count: COUNT, steps: fc.array(goStep(d - 1), { maxLength: 3 }) }) : fc.constant({ op: 'gc' }),
));
const cStep: fc.Memo<unknown> = fc.memo((d) => fc.oneof(
  fc.record({ op: fc.constant('stack'), bytes: SIZE }),
  fc.constantFrom({ op: 'block' }, { op: 'switch', to: 'B1' }, { op: 'switch', to: 'thread' }),
  d > 1 ? fc.record({ op: fc.constant('callback'), fn: fc.array(goStep(d - 1), { maxLength: 3 }) }) : fc.constant({ op: 'block' }),
  d > 1 ? fc.record({ op: fc.constant('repeat'), count: COUNT, steps: fc.array(cStep(d - 1), { maxLength: 2 }) }) : fc.constant({ op: 'block' }),
));
const timelineStep: fc.Memo<unknown> = fc.memo((d) => fc.oneof(
  fc.record({ op: fc.constant('callback'), thread: fc.constantFrom('T1', 'T2'), fn: fc.array(goStep(3), { maxLength: 4 }) }),
  fc.record({ op: fc.constant('go'), id: fc.constantFrom('G1', 'G2', 'G3'), fn: fc.array(goStep(3), { maxLength: 3 }) }),
  fc.record({ op: fc.constant('malloc'), id: fc.constantFrom('B1', 'B2'), size: SIZE }),
  fc.record({ op: fc.constant('free'), id: fc.constantFrom('B1', 'B2') }),
  fc.record({ op: fc.constant('switch'), thread: fc.constantFrom('T1', 'T2'), to: fc.constantFrom('B1', 'thread') }),
  fc.record({ op: fc.constant('signal'), thread: fc.constantFrom('T1', 'T2'), sp: ADDR }),
  fc.record({ op: fc.constant('exit'), thread: fc.constantFrom('T1', 'T2') }),
  fc.record({ op: fc.constant('resume'), thread: fc.constantFrom('T1', 'T2') }),
  fc.constantFrom({ op: 'gc' }, { op: 'traceStart' }, { op: 'traceAdvance' }, { op: 'traceStop' }),
  d > 1 ? fc.record({ op: fc.constant('repeat'), count: COUNT, steps: fc.array(timelineStep(d - 1), { maxLength: 3 }) }) : fc.constant({ op: 'gc' }),
));

const generated: fc.Arbitrary<unknown> = fc.record({
  format: fc.constant(1),
  name: fc.constant('fuzz'),
  profile: fc.constantFrom(...PROFILE_NAMES),
  steps: fc.tuple(
    fc.constant({ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }),
    fc.constant({ op: 'thread', id: 'T2', stack: ['0x900000', '0x980000'] }),
    fc.array(timelineStep(3), { minLength: 1, maxLength: 6 }),
  ).map(([a, b, rest]) => [a, b, ...rest]),
}, { requiredKeys: ['format', 'name', 'steps'] });

/** Every path to a value inside a document, for the mutator. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function mutate(doc: unknown, edits: [number, number, unknown][]): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  for (const [which, how, v] of edits) {
    const ps = paths(copy).filter((p) => p.length > 0);
    if (ps.length === 0) break;
    const p = ps[which % ps.length]!;
    let parent: unknown = copy;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
    const last = p.at(-1)!;
    const obj = parent as Record<string | number, unknown>;
    if (how === 0) obj[last] = v;
    else if (how === 1 && !Array.isArray(parent)) delete obj[last];
    else if (how === 2 && Array.isArray(parent)) parent.splice(Number(last), 0, structuredClone(parent[Number(last)]));
    else if (how === 3 && typeof obj[last] === 'number') obj[last] = [4294967295, 0, 100000, -1][which % 4];
    else obj[last] = v;
  }
  return copy;
}

export function bundledScenarios(): Scenario[] {
  let dir = fileURLToPath(new URL('../scenarios', import.meta.url));
  try { statSync(dir); } catch { dir = fileURLToPath(new URL('../../scenarios', import.meta.url)); }
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Scenario);
}

const runOptions: fc.Arbitrary<RunOptions> = fc.record({
  profile: fc.constantFrom(...PROFILE_NAMES, 'go1.22.3', 'go1.21.12'),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  strategy: fc.constantFrom('random', 'pct'),
  events: fc.boolean(),
}, { requiredKeys: [] }) as fc.Arbitrary<RunOptions>;

const flagOverrides = fc.dictionary(fc.constantFrom(...FLAG_NAMES), fc.boolean(), { maxKeys: 3 });
const pin: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    op: fc.constant('at'), point: fc.constantFrom(...POINTS.map((p) => p.name)), g: fc.constantFrom('G1', 'G2', undefined),
    steps: fc.array(fc.constantFrom({ op: 'gc' }, { op: 'preempt' }, { op: 'traceAdvance' }), { minLength: 1, maxLength: 2 }),
  }, { requiredKeys: ['op', 'point', 'steps'] }) },
  { weight: 1, arbitrary: value },
);
/** A RunSpec: real fields with plausible values, now and then a wrong one. */
const runSpec: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({
    profile: fc.constantFrom(...PROFILE_NAMES, 'go1.22.3'), seed: fc.integer({ min: 0, max: 0xffffffff }), strategy: fc.constantFrom('random', 'pct'),
    events: fc.boolean(), crashStack: fc.boolean(), flags: flagOverrides, pins: fc.array(pin, { maxLength: 2 }),
  }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('profile', 'seed', 'strategy', 'events', 'crashStack', 'flags', 'pins', 'budget', 'deadline', 'bogus'), value, { maxKeys: 3 }) },
);
const explorerOptions = (fn: ExplorerCall['fn']): fc.Arbitrary<unknown> => {
  const valid = {
    explore: fc.record({
      profile: fc.constantFrom(...PROFILE_NAMES), diff: fc.constantFrom(...PROFILE_NAMES), flags: flagOverrides,
      strategy: fc.constantFrom('random', 'pct'), depth: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: 0, max: 0xffffffff }),
      runs: fc.integer({ min: 0, max: 4 }), shard: fc.constantFrom<[number, number]>([1, 1], [1, 2], [2, 2]),
    }, { requiredKeys: ['profile', 'runs'] }),
    shrink: fc.record({ profile: fc.constantFrom(...PROFILE_NAMES), diff: fc.constantFrom(...PROFILE_NAMES), flags: flagOverrides, maxChecks: fc.integer({ min: 1, max: 8 }) }, { requiredKeys: ['profile', 'maxChecks'] }),
    diff: fc.record({ profiles: fc.tuple(fc.constantFrom(...PROFILE_NAMES), fc.constantFrom(...PROFILE_NAMES)), flags: flagOverrides }, { requiredKeys: ['profiles'] }),
    generate: fc.record({ pins: fc.integer({ min: 0, max: 4 }), maxSteps: fc.integer({ min: 1, max: 12 }) }, { requiredKeys: [] }),
  }[fn];
  // Wrong values too, but never an unbounded amount of work: a huge `runs` with a valid rest is kept small.
  const wrong = fc.dictionary(fc.constantFrom('profile', 'diff', 'flags', 'strategy', 'depth', 'seed', 'shard', 'timeMs', 'bound', 'profiles', 'maxChecks', 'pins', 'maxSteps', 'bogus'), value, { maxKeys: 4 })
    .map((o) => (fn === 'explore' ? { runs: 2, ...o } : fn === 'shrink' ? { maxChecks: 4, ...o } : o));
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: wrong }, { weight: 1, arbitrary: value });
};
const explorerCall: fc.Arbitrary<ExplorerCall> = fc.constantFrom<ExplorerCall['fn']>('explore', 'shrink', 'diff', 'generate')
  .chain((fn) => fc.record({ fn: fc.constant(fn), options: explorerOptions(fn), seed: fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), value) }));

export function fuzzCases(bundled: Scenario[]): fc.Arbitrary<FuzzCase> {
  const mutated = fc.tuple(fc.integer({ min: 0, max: bundled.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 }), value), { minLength: 1, maxLength: 4 }))
    .map(([i, edits]) => mutate(bundled[i], edits));
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b)),
    fc.json({ maxDepth: 3 }),
    fc.uint8Array({ maxLength: 60 }).map((b) => `{"format":1,"name":"x","steps":[${new TextDecoder().decode(b)}]}`),
  );
  const scenario = fc.oneof(mutated, generated);
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('mutated' as const), input: mutated, options: runOptions }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('generated' as const), input: generated, options: runOptions }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), input: bytes, options: runOptions }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('prepared' as const), input: scenario, options: fc.constant({}), spec: runSpec }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('explorer' as const), input: scenario, options: fc.constant({}), call: explorerCall }) },
  );
}

// ---- one case ----

function undocumentedResult(r: RunResult): string | undefined {
  if (!['ok', 'crash', 'uaf', 'corrupt', 'invalid'].includes(r.verdict)) return `verdict ${String(r.verdict)}`;
  if (r.verdict === 'invalid' && !CODES.has(r.error?.code ?? '')) return `${r.error?.code}: ${r.error?.message}`;
  if (r.verdict !== 'invalid' && r.error) return `error on a ${r.verdict} result: ${r.error.message}`;
  if (!/^[0-9a-f]{16}$/.test(r.traceHash) && r.verdict !== 'invalid') return `trace hash ${r.traceHash}`;
  return undefined;
}

/** Calls f; undefined if it returned or threw a documented error, else what it threw. */
function documented(what: string, f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    if (e instanceof OptionsError || e instanceof ScenarioError) return undefined;
    return `${what} threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
  }
}

/**
 * The binary entry against run(): prepare(input).run(spec) must give, through result(), exactly what
 * run() gives for the same scenario (with the pins as its first steps) and options, read from memory
 * at once and again by replay after other runs.
 */
function runPrepared(sim: Simulator, c: FuzzCase): string | undefined {
  let prepared;
  try {
    prepared = sim.prepare(c.input as Scenario);
  } catch (e) {
    return e instanceof ScenarioError ? undefined : `prepare threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
  }
  const spec = (typeof c.spec === 'object' && c.spec !== null && !Array.isArray(c.spec) ? { ...c.spec } : c.spec) as RunSpec;
  let lazy;
  try {
    lazy = prepared.run(typeof spec === 'object' && spec !== null ? { ...spec, budget: CASE_BUDGET, deadline: CASE_DEADLINE_MS } : spec);
  } catch (e) {
    return e instanceof OptionsError ? undefined : `prepared.run threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
  }
  const events = spec.events === true;
  const fromMemory = lazy.result({ events });
  if (fromMemory.error?.code === 'DEADLINE_EXCEEDED') return `the budget did not bound the time of prepare().run: ${fromMemory.error.message}`;
  const bad = undocumentedResult(fromMemory);
  if (bad) return `prepare().run: ${bad}`;
  const source = spec.pins && spec.pins.length > 0 ? prepared.withPins(spec.pins as PinStep[]) : c.input as Scenario;
  const options: RunOptions = { budget: CASE_BUDGET, events };
  for (const k of ['profile', 'seed', 'strategy', 'flags', 'crashStack'] as const) if (spec[k] !== undefined) (options as Record<string, unknown>)[k] = spec[k];
  let direct: RunResult;
  try {
    direct = sim.run(source, options);
  } catch (e) {
    if (e instanceof OptionsError) return `prepare().run accepted a spec that run() refuses: ${e.message}`;
    return `run threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
  }
  const replayed = lazy.result({ events });
  if (JSON.stringify(direct) !== JSON.stringify(fromMemory)) return `prepare().run and run() differ:\n${JSON.stringify(fromMemory).slice(0, 2000)}\n${JSON.stringify(direct).slice(0, 2000)}`;
  if (JSON.stringify(replayed) !== JSON.stringify(fromMemory)) return 'a LazyRun\'s replayed result differs from its first';
  return undefined;
}

/** The explorer's calls: only results or documented errors, within EXPLORER_CALL_MS. */
function runExplorer(sim: Simulator, c: FuzzCase): string | undefined {
  const call = c.call!;
  const t0 = performance.now();
  const o = call.options as never;
  const out = documented(call.fn, () => {
    switch (call.fn) {
      case 'explore': return explore(sim, o);
      case 'shrink': return shrink(sim, c.input as Scenario, o);
      case 'diff': return diff(sim, c.input as Scenario, o);
      case 'generate': {
        const g = generate(call.seed as number, o);
        // A generated scenario is valid by construction: it must run, and not as "invalid" input.
        const r = sim.run(g.scenario, { budget: CASE_BUDGET });
        if (r.error?.code === 'SCENARIO_INVALID') throw new Error(`generate(${String(call.seed)}) made an invalid scenario: ${r.error.message}`);
        return r;
      }
    }
  });
  if (out) return out;
  const ms = performance.now() - t0;
  if (ms > EXPLORER_CALL_MS) return `${call.fn} took ${Math.round(ms)} ms: its runs' budgets did not bound it`;
  return undefined;
}

/** Runs one case; returns what was undocumented about its outcome, or undefined. */
export function runCase(sim: Simulator, c: FuzzCase): string | undefined {
  if (c.kind === 'prepared') return runPrepared(sim, c);
  if (c.kind === 'explorer') return runExplorer(sim, c);
  const options = { ...c.options, budget: CASE_BUDGET, deadline: CASE_DEADLINE_MS };
  try {
    if (c.kind === 'bytes') {
      try {
        compileScenario(c.input);
      } catch (e) {
        if (!(e instanceof ScenarioError)) return `compileScenario threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
      }
    }
    const r = sim.run(c.input as Scenario, options);
    if (r.error?.code === 'DEADLINE_EXCEEDED') return `the budget did not bound the time: ${CASE_DEADLINE_MS} ms passed (${r.error.message})`;
    return undocumentedResult(r);
  } catch (e) {
    if (e instanceof OptionsError) return undefined;
    return `run threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
  }
}

// ---- the control ----

export function controlCheck(sim: Simulator, bundled: Scenario[]): () => string | undefined {
  const control = bundled.find((s) => s.name.startsWith('S03')) ?? bundled[0]!;
  const want = JSON.stringify(sim.run(control, { profile: 'go1.22.0', events: true }));
  return () => {
    const got = JSON.stringify(sim.run(control, { profile: 'go1.22.0', events: true }));
    return got === want ? undefined : 'the control scenario\'s result changed';
  };
}

// ---- the long campaign ----

const FUZZ_HELP = `Usage: npm run fuzz -- [--time SECONDS] [--seed N] [--out DIR]

A fuzz campaign against the API: mutated bundled scenarios, generated ones, explorer scenarios,
prepared runs and random bytes, each asserting only documented outcomes, with a control scenario
checked after every 200 cases. Prints one JSON line at the end: seed, seconds, cases, cases by
kind, findings. Every finding is saved as a reproducer (JSON) in DIR (default: fuzz-findings/).
  --time SECONDS  how long to run (default 60)
  --seed N        the first fast-check seed (default: from the clock; the result line says which,
                  and the same seed and time replay the campaign's cases)
  --out DIR       where reproducers go
Exit status: 0 when nothing undocumented happened, 1 when something did, 2 on bad arguments.
`;

async function main(): Promise<void> {
  let values: { time?: string; seed?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ options: { time: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${FUZZ_HELP}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    process.stdout.write(FUZZ_HELP);
    return;
  }
  const seconds = Number(values.time ?? 60);
  let seed = Number(values.seed ?? Date.now() % 0x7fffffff);
  if (!(seconds > 0) || !Number.isInteger(seed) || seed < 0) {
    process.stderr.write(`fuzz: --time must be a positive number of seconds and --seed a non-negative integer\n${FUZZ_HELP}`);
    process.exitCode = 2;
    return;
  }
  const outDir = values.out !== undefined ? `${values.out.replace(/\/$/, '')}/` : fileURLToPath(new URL('../../fuzz-findings/', import.meta.url));
  const { createSimulator } = await import('../src/api/node.js');
  const sim = await createSimulator();
  const bundled = bundledScenarios();
  const control = controlCheck(sim, bundled);
  const arb = fuzzCases(bundled);
  const firstSeed = seed;
  const t0 = Date.now();
  let cases = 0;
  const findings: Finding[] = [];
  const byKind: Record<string, number> = {};
  while (Date.now() - t0 < seconds * 1000) {
    for (const c of fc.sample(arb, { seed: seed++, numRuns: 200 })) {
      let outcome: string | undefined;
      try {
        outcome = runCase(sim, c);
      } catch (e) {
        // A throw the case's own checks did not expect is a finding too, never the end of the campaign.
        outcome = `the case threw ${(e as Error)?.name}: ${(e as Error)?.stack ?? String(e)}`;
      }
      cases++;
      byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
      if (outcome) {
        findings.push({ kind: c.kind, input: c.input, options: c.options, ...(c.spec !== undefined ? { spec: c.spec } : {}), ...(c.call ? { call: c.call } : {}), outcome });
        mkdirSync(outDir, { recursive: true });
        writeFileSync(join(outDir, `finding-${Date.now()}-${findings.length}.json`), JSON.stringify(findings.at(-1), null, 2));
      }
    }
    const changed = control();
    if (changed) findings.push({ kind: 'control', input: null, options: {}, outcome: changed });
    if (process.stderr.isTTY) process.stderr.write(`\r${cases} cases, ${findings.length} findings, ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  process.stdout.write(`${JSON.stringify({ seed: firstSeed, seconds: Math.round((Date.now() - t0) / 1000), cases, byKind, findings: findings.length, savedIn: findings.length ? outDir : undefined })}\n`);
  process.exitCode = findings.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
