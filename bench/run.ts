// Benchmarks. `npm run -s bench -- --json` prints a JSON array of rows
// { name, unit, value, best, median, rounds, ... } and writes the same with the environment to
// bench-results.json. `--quick` runs short samples (CI's smoke test); `--only NAME[,NAME]` runs
// only the groups of rows named (a group's name, or a prefix of one of its rows' names);
// `--help` lists the groups.
//
// Tasks that are compared run interleaved, A, B, A, B, …, one sample of each per round, so that
// load on a shared machine hits both alike; every row reports the median of its rounds (value,
// median) and the best round (best), and each ratio row is the median of the ratios taken within
// each round, not a ratio of separately measured figures.
//
// callback/extra-m-bound      10,000,000 callbacks from a C thread whose extra M is bound, on tip,
//                             each running one systemstack: one `repeat` inside Wasm, one run() call.
// callback/extra-m-bound-ts   the same callback path through the TypeScript reference
//                             (test/reference), on 1,000,000 callbacks.
// callback/extra-m-bound-interpreter  the same Wasm run with the fused handlers off
//                             (interpreterOnly), and callback/fused-vs-interpreter: the ratio.
// callback/call-body          2,000,000 such callbacks whose body is a `call` of depth 2 (64-byte
//                             frames, no growth), with callback/call-body-interpreter (fused
//                             handlers off) and callback/call-body-vs-interpreter, in the same rounds.
// callback/go-c-go            2,000,000 such callbacks whose body is a Go→C→Go round trip: `cgocall`
//                             whose C body is one `callback` running one `systemstack`; with
//                             callback/go-c-go-interpreter and callback/go-c-go-vs-interpreter.
// copystack/relocate-1MiB     copystack of a 1 MiB goroutine stack whose frames have 25% pointer
//                             slots: copy, frame walk from the return PCs, relocation, free.
// memory.copy/1MiB            a plain memory.copy of the same bytes, in the same rounds.
// copystack/relocate-1MiB-ts  the TypeScript reference relocation of the same stack.
// copystack/scaling/<size>    relocation at 8 KiB … 64 MiB in GB/s and ns/frame, memory.copy beside.
// run/small-compiled          runs/s of the bundled S08 scenario through Simulator.prepare().
// run/small-text              runs/s of the same scenario from its JSON text through run().
// run/small-compiled-2-workers  the prepared runs on two worker threads at once (total runs/s),
//                             and run/two-worker-scaling: that over one worker, in the same rounds.
// explore/runs                generated scenarios judged per second by one campaign worker thread
//                             (tip, seed 1; warmed up): generate, lay out, run, oracle, over the
//                             same fixed chunks of the campaign in every round and on every worker;
//                             explore/ns-per-run is its inverse.
// explore/runs-2-workers      two such workers at once, each on those same chunks (total runs/s), in
//                             the same rounds; explore/workers-2-vs-1 is the median in-round ratio.
// explore/campaign-*          whole campaigns as `cgosim explore --workers 1|2 --runs R` runs them
//                             (start-up and journal included) and their ratio.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { createSimulator, compileScenario, wasmPath } from '../src/api/node.js';
import { buildStackImage, randomFuncs, refBoundCallbacks, refCopystack, rng } from '../test/reference/reference.js';
import { createCoreForTests, type Core } from '../src/core/instance.js';
import type { GoStep, Scenario } from '../src/api/types.js';
import { runNodeCampaign } from '../src/explore/node.js';
import { sideOf } from '../src/explore/runner.js';
import { CHUNK_RUNS } from '../src/explore/campaign.js';

const USAGE = `usage: node dist/bench/run.js [--json] [--quick] [--only NAME[,NAME]...]

  --json        print the rows as one JSON array on stdout (bench-results.json gets them either way)
  --quick       short samples and stack sizes up to 1 MiB (CI's smoke run)
  --only NAME   run only these groups (repeatable, or comma-separated); NAME is a group's name or a
                prefix of one of its rows' names, e.g. --only explore, --only copystack/scaling
  --in-process  run every group in this process, one after another; by default each group runs in
                a fresh Node process of its own, so no group's heap, memories or JIT state weigh on
                the next one's figures
  --help        this text

groups and their rows:
`;

/** The groups of rows, in the order they run; a group runs as a whole (its rows share rounds). */
const GROUPS: { name: string; rows: string[] }[] = [
  { name: 'callback', rows: ['callback/extra-m-bound', 'callback/extra-m-bound-ts', 'callback/extra-m-bound-interpreter', 'callback/fused-vs-interpreter', 'callback/extra-m-bound-ns', 'callback/extra-m-bound-vs-ts'] },
  { name: 'callback-shapes', rows: ['callback/call-body', 'callback/call-body-interpreter', 'callback/call-body-vs-interpreter', 'callback/go-c-go', 'callback/go-c-go-interpreter', 'callback/go-c-go-vs-interpreter'] },
  { name: 'relocation', rows: ['copystack/relocate-1MiB', 'memory.copy/1MiB', 'copystack/relocate-1MiB-ts', 'copystack/relocate-vs-memory.copy', 'copystack/relocate-vs-ts'] },
  { name: 'scaling', rows: ['copystack/scaling/8KiB', 'copystack/scaling/64KiB', 'copystack/scaling/1MiB', 'copystack/scaling/8MiB', 'copystack/scaling/64MiB'] },
  { name: 'run', rows: ['run/small-compiled', 'run/small-text'] },
  { name: 'run-workers', rows: ['run/small-compiled-1-worker', 'run/small-compiled-2-workers', 'run/two-worker-scaling'] },
  { name: 'explore', rows: ['explore/runs', 'explore/runs-2-workers', 'explore/workers-2-vs-1', 'explore/ns-per-run'] },
  { name: 'campaign', rows: ['explore/campaign-1-worker', 'explore/campaign-2-workers', 'explore/campaign-2-vs-1'] },
];

function usageText(): string {
  return USAGE + GROUPS.map((g) => `  ${g.name.padEnd(12)} ${g.rows.join(', ')}`).join('\n') + '\n';
}

let args;
try {
  args = parseArgs({
    args: process.argv.slice(2), strict: true, allowPositionals: false,
    options: { json: { type: 'boolean' }, quick: { type: 'boolean' }, only: { type: 'string', multiple: true }, 'in-process': { type: 'boolean' }, group: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }).values;
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n${usageText()}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(usageText());
  process.exit(0);
}
const json = args.json === true;
const quick = args.quick === true;
const inProcess = args['in-process'] === true;
const filters = (args.only ?? []).flatMap((o) => o.split(',')).map((o) => o.trim()).filter((o) => o !== '');
for (const f of filters) {
  if (!GROUPS.some((g) => g.name === f || g.rows.some((r) => r.startsWith(f)))) {
    process.stderr.write(`bench: --only ${f}: no group or row of that name\n${usageText()}`);
    process.exit(2);
  }
}
/** Whether group `name` runs under --only. */
// (--group NAME, the isolated runner's own: exactly that group.)
const onlyGroup = args.group;
if (onlyGroup !== undefined && !GROUPS.some((g) => g.name === onlyGroup)) {
  process.stderr.write(`bench: --group ${onlyGroup}: no group of that name\n${usageText()}`);
  process.exit(2);
}
const wanted = (name: string) => (onlyGroup !== undefined ? name === onlyGroup : filters.length === 0 || filters.some((f) => name === f || GROUPS.find((g) => g.name === name)!.rows.some((r) => r.startsWith(f))));
const ROUNDS = quick ? 3 : 7;
/**
 * Rounds of the relocation rows: a round is a few milliseconds (100 moves of 1 MiB; memory.copy's
 * side about 2 ms), so a preemption or a frequency change in one round moves its ratio by 10-20%;
 * more rounds keep the median's spread from run to run small.
 */
const RELOC_ROUNDS = quick ? 3 : 31;
const CALLBACKS = quick ? 1_000_000 : 10_000_000;
const TS_CALLBACKS = quick ? 100_000 : 1_000_000;
const SHAPE_CALLBACKS = quick ? 200_000 : 2_000_000;
const SMALL_RUNS = quick ? 2_000 : 20_000;
const TEXT_RUNS = quick ? 500 : 5_000;
const S08 = fileURLToPath(new URL('../../scenarios/regressions/s08-c-created-thread.json', import.meta.url));

interface Row { name: string; unit: string; value: number; best: number; median: number; rounds: number; [k: string]: number | string }

/** Samples of one task: seconds per round. */
type Samples = number[];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the tasks interleaved for `rounds` rounds (after one warm-up round); seconds per call. */
function interleave(tasks: (() => void)[], rounds: number, prepare: ((() => void) | undefined)[] = []): Samples[] {
  tasks.forEach((t, i) => { prepare[i]?.(); t(); });
  const out: Samples[] = tasks.map(() => []);
  for (let r = 0; r < rounds; r++) {
    tasks.forEach((t, i) => {
      // What a task needs in place before it runs (a stack image written from JS), not timed.
      prepare[i]?.();
      const start = performance.now();
      t();
      out[i]!.push((performance.now() - start) / 1000);
    });
  }
  return out;
}

/** A rate row: `work` units per sample; value is the median round, best the fastest. */
function rate(name: string, unit: string, work: number, s: Samples, extra: Record<string, number | string> = {}): Row {
  const med = work / median(s);
  const best = work / Math.min(...s);
  return { name, unit, value: Math.round(med), best: Math.round(best), median: Math.round(med), rounds: s.length, ...extra };
}

/** A ratio row from the same rounds: median of the in-round ratios of rates a/b. */
function ratio(name: string, a: Samples, aWork: number, b: Samples, bWork: number, digits: number): Row {
  const rs = a.map((t, i) => (aWork / t) / (bWork / b[i]!));
  const f = (x: number) => Number(x.toFixed(digits));
  return { name, unit: 'ratio', value: f(median(rs)), best: f(Math.max(...rs)), median: f(median(rs)), rounds: rs.length, worst: f(Math.min(...rs)) };
}

/** `count` callbacks with Go body `fn` on a thread whose extra M stays bound. */
function boundLoop(name: string, count: number, fn: GoStep[]): Scenario {
  return {
    format: 1,
    name,
    steps: [
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      // The first callback binds the extra M (needm + pthread key); the measured ones reuse it.
      { op: 'callback', thread: 'T1', fn: [] },
      { op: 'repeat', count, steps: [{ op: 'callback', thread: 'T1', fn }] },
    ],
  };
}
const boundCallbacks = boundLoop('bench-extra-m-bound', CALLBACKS, [{ op: 'systemstack' }]);

const callBodyCallbacks = boundLoop('bench-call-body', SHAPE_CALLBACKS, [{ op: 'call', frame: 64, depth: 2 }]);
const goCGoCallbacks = boundLoop('bench-go-c-go', SHAPE_CALLBACKS, [{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'systemstack' }] }] }]);

/** A stack image of `size` bytes in a fresh core, ready for benchCopystack/benchMemoryCopy. */
async function relocationSetup(size: number, window: number): Promise<{ core: Core; setup: () => void; used: number; frames: number; img: ReturnType<typeof buildStackImage>; funcs: ReturnType<typeof randomFuncs> }> {
  const core = await createCoreForTests(readFileSync(wasmPath()));
  core.mapWindow(0n, window);
  const funcs = randomFuncs(rng(2024), 24, 60, 0.25);
  const img = buildStackImage(rng(69085), 0x2100000n, size, funcs, 0.999);
  const nFuncs = core.writeFuncs(funcs);
  const setup = () => {
    core.writeWindow(img.lo, img.bytes);
    [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, size, 0, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
  };
  setup();
  if (core.exports.benchCopystack(1) !== 1) throw new Error(`relocation benchmark (${size} bytes): copystack failed`);
  setup();
  return { core, setup, used: Number(img.hi - img.sp), frames: img.frames, img, funcs };
}

/** Workers that each run the prepared S08 scenario n times on their own simulator. */
function startWorkers(n: number): Promise<Worker[]> {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { createSimulator } = await import(workerData.api);
      const { readFileSync } = require('node:fs');
      const sim = await createSimulator();
      const prepared = sim.prepare(readFileSync(workerData.s08, 'utf8'));
      parentPort.on('message', (runs) => {
        const start = performance.now();
        let ok = 0;
        for (let i = 0; i < runs; i++) if (prepared.run().verdict === 'ok') ok++;
        parentPort.postMessage({ seconds: (performance.now() - start) / 1000, ok });
      });
      parentPort.postMessage('ready');
    })();`;
  const api = new URL('../src/api/node.js', import.meta.url).href;
  return Promise.all(Array.from({ length: n }, () => new Promise<Worker>((resolve, reject) => {
    const w = new Worker(src, { eval: true, workerData: { api, s08: S08 } });
    w.once('message', () => resolve(w));
    w.once('error', reject);
  })));
}

function runOn(workers: Worker[], runs: number): Promise<number> {
  const start = performance.now();
  return Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
    w.once('message', (m: { ok: number }) => (m.ok === runs ? resolve() : reject(new Error('worker: a run was not ok'))));
    w.postMessage(runs);
  }))).then(() => (performance.now() - start) / 1000);
}

/** Chunks per explore round: each is CHUNK_RUNS runs, about 40 ms of one worker at 100K runs/s. */
const EXPLORE_CHUNKS = quick ? 2 : 16;
/** The explore rows' chunks: the same ones in every round and on every worker. */
const EXPLORE_FIRST_CHUNK = 3;
const CAMPAIGN_RUNS = (quick ? 8 : 64) * CHUNK_RUNS;
const nsPerRun = (seconds: number) => Number(((seconds * 1e9) / (EXPLORE_CHUNKS * CHUNK_RUNS)).toFixed(0));

/**
 * Two campaign workers (src/explore/worker.ts, as `cgosim explore --workers` starts them), each
 * given the same fixed chunks of one campaign (tip, seed 1), so that every sample runs the same
 * generated scenarios: chunk content varies a lot in cost, and a ratio of two samples must measure
 * scaling, not content. A warm-up pass over those chunks on both workers tiers the JIT and the core
 * up and leaves every signature the chunks find known to both (what they find is shrunk then, not
 * in a timed round). Then in each round: the chunks on one worker alone, then on both at once.
 * Seconds per round.
 */
async function exploreWorkers(chunks: number, rounds: number): Promise<{ one: Samples; two: Samples }> {
  const module = await WebAssembly.compile(readFileSync(wasmPath()));
  const options = { sides: [sideOf('tip')], strategy: 'random', seed: 1 };
  const workers = [0, 1].map(() => new Worker(new URL('../src/explore/worker.js', import.meta.url), { workerData: { options, module } }));
  // One error listener per worker for its whole life: it fails whatever batch is running on it.
  const failed: (((e: unknown) => void) | undefined)[] = [undefined, undefined];
  workers.forEach((w, i) => w.on('error', (e) => failed[i]?.(e)));
  const runChunks = (wi: number) => new Promise<void>((resolve, reject) => {
    const w = workers[wi]!;
    let c = EXPLORE_FIRST_CHUNK;
    const give = () => w.postMessage({ chunk: c++, limit: CHUNK_RUNS, known: [], deadline: Infinity, start: 0, runsSoFar: 0 });
    const done = (e?: unknown) => {
      w.off('message', onMessage);
      failed[wi] = undefined;
      if (e === undefined) resolve(); else reject(e);
    };
    const onMessage = (m: { result: { runs: number; invalid: unknown[] } }) => {
      if (m.result.runs !== CHUNK_RUNS || m.result.invalid.length > 0) done(new Error(`explore benchmark: ${JSON.stringify(m.result).slice(0, 500)}`));
      else if (c === EXPLORE_FIRST_CHUNK + chunks) done();
      else give();
    };
    w.on('message', onMessage);
    failed[wi] = done;
    give();
  });
  const timed = async (f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); return (performance.now() - t0) / 1000; };
  try {
    await Promise.all([runChunks(0), runChunks(1)]);
    const one: Samples = [];
    const two: Samples = [];
    for (let r = 0; r < rounds; r++) {
      // The lone worker alternates, so neither worker's own state favours one side of the ratio.
      one.push(await timed(() => runChunks(r & 1)));
      two.push(await timed(() => Promise.all([runChunks(0), runChunks(1)])));
    }
    return { one, two };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Each wanted group in a fresh process (`--group GROUP --in-process`), one after another: the rows
 * of one group no longer depend on what ran before it in the same process. (Measured before this:
 * a full in-process run gave run/small-text 56K and explore/runs 80K where the same build gave 85K
 * and 114K with the group alone, after the scaling group's 256 MiB memories.)
 */
function runIsolated(): void {
  const rows: Row[] = [];
  let env: Record<string, unknown> = {};
  for (const g of GROUPS.filter((x) => wanted(x.name))) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--group', g.name, '--in-process', '--json', ...(quick ? ['--quick'] : [])],
      { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`group ${g.name} failed (exit ${r.status ?? r.signal})`);
    const out = JSON.parse(readFileSync('bench-results.json', 'utf8')) as { env: Record<string, unknown>; results: Row[] };
    rows.push(...out.results);
    const { only: _only, ...rest } = out.env;
    env = { ...env, ...rest };
  }
  report(rows, { ...env, isolated: true, ...(filters.length > 0 ? { only: filters.join(',') } : {}) });
}

function report(rows: Row[], env: Record<string, unknown>): void {
  writeFileSync('bench-results.json', `${JSON.stringify({ env, results: rows }, null, 2)}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  } else {
    for (const r of rows) {
      process.stdout.write(`${r.name.padEnd(36)} ${r.value.toLocaleString('en-US').padStart(16)} ${r.unit.padEnd(12)} best ${r.best.toLocaleString('en-US')}\n`);
    }
    process.stdout.write(`(${env['cpu']} x${env['cpus']}, node ${env['node']}; median and best of ${ROUNDS} interleaved rounds, ${RELOC_ROUNDS} for relocation${env['isolated'] ? '; each group in its own process' : ''})\n`);
  }
}

async function main(): Promise<void> {
  if (!inProcess && GROUPS.filter((g) => wanted(g.name)).length > 1) {
    runIsolated();
    return;
  }
  const rows: Row[] = [];
  const sim = await createSimulator();

  // ---- callbacks: Wasm and the TS reference, interleaved ----
  if (wanted('callback')) {
    const compiled = compileScenario(boundCallbacks);
    const budget = 32 * CALLBACKS + 100; // a callback of this loop costs about 25 steps
    const check = sim.run(compiled, { profile: 'tip', budget });
    if (check.verdict !== 'ok' || check.counters.callbacks !== CALLBACKS + 1 || check.counters.systemstack !== CALLBACKS) {
      throw new Error(`benchmark scenario did not run as intended: ${JSON.stringify(check)}`);
    }
    const interp = await createSimulator({ interpreterOnly: true });
    const [cbWasm, cbTs, cbInterp] = interleave([
      () => { sim.run(compiled, { profile: 'tip', budget }); },
      () => { refBoundCallbacks(TS_CALLBACKS, 0x87fe00n, 0x800000n, 0x880000n); },
      () => { interp.run(compiled, { profile: 'tip', budget }); },
    ], ROUNDS);
    const wasmRow = rate('callback/extra-m-bound', 'callbacks/s', CALLBACKS, cbWasm!);
    rows.push(wasmRow);
    rows.push(rate('callback/extra-m-bound-ts', 'callbacks/s', TS_CALLBACKS, cbTs!));
    rows.push(rate('callback/extra-m-bound-interpreter', 'callbacks/s', CALLBACKS, cbInterp!));
    rows.push(ratio('callback/fused-vs-interpreter', cbWasm!, CALLBACKS, cbInterp!, CALLBACKS, 3));
    rows.push({ name: 'callback/extra-m-bound-ns', unit: 'ns/callback', value: Number((1e9 / wasmRow.median).toFixed(2)), best: Number((1e9 / wasmRow.best).toFixed(2)), median: Number((1e9 / wasmRow.median).toFixed(2)), rounds: ROUNDS });
    rows.push(ratio('callback/extra-m-bound-vs-ts', cbWasm!, CALLBACKS, cbTs!, TS_CALLBACKS, 1));
  }

  // ---- callbacks with a call body and with a Go→C→Go body: fused and interpreter, interleaved ----
  if (wanted('callback-shapes')) {
    const interp = await createSimulator({ interpreterOnly: true });
    const budget = 100 * SHAPE_CALLBACKS + 100; // at most about 70 steps a callback (go-c-go)
    const callBody = compileScenario(callBodyCallbacks);
    const goCGo = compileScenario(goCGoCallbacks);
    for (const [c, what] of [[callBody, 'call-body'], [goCGo, 'go-c-go']] as const) {
      for (const s of [sim, interp]) {
        const r = s.run(c, { profile: 'tip', budget });
        const ok = r.verdict === 'ok' && (what === 'call-body'
          ? r.counters.callbacks === SHAPE_CALLBACKS + 1
          : r.counters.callbacks === 2 * SHAPE_CALLBACKS + 1 && r.counters.cgocalls === SHAPE_CALLBACKS && r.counters.systemstack === SHAPE_CALLBACKS);
        if (!ok) throw new Error(`benchmark scenario ${what} did not run as intended: ${JSON.stringify(r)}`);
      }
    }
    const [cb, cbI, gcg, gcgI] = interleave([
      () => { sim.run(callBody, { profile: 'tip', budget }); },
      () => { interp.run(callBody, { profile: 'tip', budget }); },
      () => { sim.run(goCGo, { profile: 'tip', budget }); },
      () => { interp.run(goCGo, { profile: 'tip', budget }); },
    ], ROUNDS);
    rows.push(rate('callback/call-body', 'callbacks/s', SHAPE_CALLBACKS, cb!));
    rows.push(rate('callback/call-body-interpreter', 'callbacks/s', SHAPE_CALLBACKS, cbI!));
    rows.push(ratio('callback/call-body-vs-interpreter', cb!, SHAPE_CALLBACKS, cbI!, SHAPE_CALLBACKS, 3));
    rows.push(rate('callback/go-c-go', 'callbacks/s', SHAPE_CALLBACKS, gcg!));
    rows.push(rate('callback/go-c-go-interpreter', 'callbacks/s', SHAPE_CALLBACKS, gcgI!));
    rows.push(ratio('callback/go-c-go-vs-interpreter', gcg!, SHAPE_CALLBACKS, gcgI!, SHAPE_CALLBACKS, 3));
  }

  // ---- relocation at 1 MiB: Wasm, memory.copy and the TS reference, interleaved ----
  const MOVES = quick ? 20 : 100;
  let stack: { stackBytesUsed: number; frames: number } | undefined;
  if (wanted('relocation')) {
    const r1 = await relocationSetup(1 << 20, 64 << 20);
    const [reloc, copy, relocTs] = interleave([
      () => { if (r1.core.exports.benchCopystack(MOVES) !== 1) throw new Error('copystack failed'); },
      () => { r1.core.exports.benchMemoryCopy(MOVES, r1.used); },
      () => { refCopystack(r1.img, 0x2300000n, r1.funcs); },
    ], RELOC_ROUNDS, [r1.setup]);
    rows.push(rate('copystack/relocate-1MiB', 'bytes/s', r1.used * MOVES, reloc!));
    rows.push(rate('memory.copy/1MiB', 'bytes/s', r1.used * MOVES, copy!));
    rows.push(rate('copystack/relocate-1MiB-ts', 'bytes/s', r1.used, relocTs!));
    rows.push(ratio('copystack/relocate-vs-memory.copy', reloc!, r1.used * MOVES, copy!, r1.used * MOVES, 3));
    rows.push(ratio('copystack/relocate-vs-ts', reloc!, r1.used * MOVES, relocTs!, r1.used, 1));
    stack = { stackBytesUsed: r1.used, frames: r1.frames };
  }

  // ---- relocation scaling: each size against memory.copy of its bytes, interleaved ----
  if (wanted('scaling')) {
    const sizes: [string, number, number][] = [['8KiB', 8 << 10, 4000], ['64KiB', 64 << 10, 800], ['1MiB', 1 << 20, 50], ['8MiB', 8 << 20, 6], ['64MiB', 64 << 20, 1]];
    for (const [label, size, moves] of quick ? sizes.slice(0, 3) : sizes) {
      const n = quick ? Math.max(1, Math.floor(moves / 10)) : moves;
      const s = await relocationSetup(size, size >= 8 << 20 ? 256 << 20 : 64 << 20);
      const [rs, cs] = interleave([
        () => { if (s.core.exports.benchCopystack(n) !== 1) throw new Error('copystack failed'); },
        () => { s.core.exports.benchMemoryCopy(n, s.used); },
      ], RELOC_ROUNDS, [s.setup]);
      const bytes = s.used * n;
      const gb = (t: number) => Number((bytes / t / 1e9).toFixed(3));
      rows.push({
        name: `copystack/scaling/${label}`, unit: 'GB/s', value: gb(median(rs!)), best: gb(Math.min(...rs!)), median: gb(median(rs!)), rounds: RELOC_ROUNDS,
        nsPerFrame: Number((median(rs!) / n / s.frames * 1e9).toFixed(2)), frames: s.frames, bytesUsed: s.used,
        memoryCopyGBs: gb(median(cs!)), memoryCopyBestGBs: gb(Math.min(...cs!)),
        vsMemoryCopy: Number(median(rs!.map((t, i) => cs![i]! / t)).toFixed(3)),
      });
    }
  }

  // ---- small runs: prepared (binary entry) and JSON text, interleaved ----
  if (wanted('run')) {
    const text = readFileSync(S08, 'utf8');
    const prepared = sim.prepare(text);
    if (prepared.run().verdict !== 'ok' || sim.run(text).verdict !== 'ok') throw new Error('run benchmarks: S08 did not run ok');
    const [small, smallText] = interleave([
      () => { for (let i = 0; i < SMALL_RUNS; i++) if (prepared.run().verdict !== 'ok') throw new Error('S08 failed'); },
      () => { for (let i = 0; i < TEXT_RUNS; i++) if (sim.run(text).verdict !== 'ok') throw new Error('S08 failed'); },
    ], ROUNDS);
    rows.push(rate('run/small-compiled', 'runs/s', SMALL_RUNS, small!, { scenario: 'scenarios/regressions/s08-c-created-thread.json' }));
    rows.push(rate('run/small-text', 'runs/s', TEXT_RUNS, smallText!, { scenario: 'scenarios/regressions/s08-c-created-thread.json' }));
  }

  // ---- two workers against one, interleaved ----
  if (wanted('run-workers')) {
    const workers = await startWorkers(2);
    try {
      const one: Samples = [];
      const two: Samples = [];
      await runOn(workers.slice(0, 1), SMALL_RUNS);
      await runOn(workers, SMALL_RUNS);
      for (let r = 0; r < ROUNDS; r++) {
        one.push(await runOn(workers.slice(0, 1), SMALL_RUNS));
        two.push(await runOn(workers, SMALL_RUNS));
      }
      rows.push(rate('run/small-compiled-1-worker', 'runs/s', SMALL_RUNS, one));
      rows.push(rate('run/small-compiled-2-workers', 'runs/s', 2 * SMALL_RUNS, two));
      rows.push(ratio('run/two-worker-scaling', two, 2 * SMALL_RUNS, one, SMALL_RUNS, 2));
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }

  // ---- exploration: the explorer's loop on one worker thread and on two, interleaved ----
  if (wanted('explore')) {
    const exploreRounds = await exploreWorkers(EXPLORE_CHUNKS, ROUNDS);
    rows.push(rate('explore/runs', 'runs/s', EXPLORE_CHUNKS * CHUNK_RUNS, exploreRounds.one, { profile: 'tip', perWorker: 1 }));
    rows.push(rate('explore/runs-2-workers', 'runs/s', 2 * EXPLORE_CHUNKS * CHUNK_RUNS, exploreRounds.two, { profile: 'tip' }));
    rows.push(ratio('explore/workers-2-vs-1', exploreRounds.two, 2 * EXPLORE_CHUNKS * CHUNK_RUNS, exploreRounds.one, EXPLORE_CHUNKS * CHUNK_RUNS, 2));
    rows.push({ ...rate('explore/ns-per-run', 'ns/run', EXPLORE_CHUNKS * CHUNK_RUNS, exploreRounds.one), value: nsPerRun(median(exploreRounds.one)), best: nsPerRun(Math.min(...exploreRounds.one)), median: nsPerRun(median(exploreRounds.one)) });
  }
  // Whole campaigns as `cgosim explore --workers N --runs R` runs them (start-up, journal and all).
  if (wanted('campaign')) {
    const campaign = async (n: number) => {
      const c = await runNodeCampaign({ sides: [sideOf('tip')], strategy: 'random', seed: 1, runs: CAMPAIGN_RUNS, workers: n });
      if (c.runs !== CAMPAIGN_RUNS || c.invalid !== 0) throw new Error(`explore benchmark: ${JSON.stringify(c)}`);
      return c.elapsedMs / 1000;
    };
    const campaigns: [Samples, Samples] = [[], []];
    for (let r = 0; r < (quick ? 1 : 3); r++) {
      campaigns[0].push(await campaign(1));
      campaigns[1].push(await campaign(2));
    }
    rows.push(rate('explore/campaign-1-worker', 'runs/s', CAMPAIGN_RUNS, campaigns[0], { runs: CAMPAIGN_RUNS }));
    rows.push(rate('explore/campaign-2-workers', 'runs/s', CAMPAIGN_RUNS, campaigns[1], { runs: CAMPAIGN_RUNS }));
    rows.push(ratio('explore/campaign-2-vs-1', campaigns[1], CAMPAIGN_RUNS, campaigns[0], CAMPAIGN_RUNS, 2));
  }

  const unknown = rows.filter((r) => !GROUPS.some((g) => g.rows.includes(r.name)));
  if (unknown.length > 0) throw new Error(`rows missing from GROUPS (--help and --only): ${unknown.map((r) => r.name).join(', ')}`);
  const env = {
    node: process.version, v8: process.versions.v8, arch: process.arch, cpu: cpus()[0]?.model ?? '?', cpus: cpus().length,
    rounds: ROUNDS, interleaved: true, callbacks: CALLBACKS, tsCallbacks: TS_CALLBACKS, ...stack,
    exploreChunks: EXPLORE_CHUNKS, chunkRuns: CHUNK_RUNS, ...(filters.length > 0 ? { only: filters.join(',') } : {}),
  };
  report(rows, env);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
