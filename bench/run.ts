// Benchmarks (tinybench 6). `npm run -s bench -- --json` prints a JSON array of
// { name, unit, value } and writes the same with the environment to bench-results.json.
//
// callback/extra-m-bound      10,000,000 callbacks from a C thread whose extra M is bound, on tip,
//                             each running one systemstack: one `repeat` inside Wasm, one run() call.
// callback/extra-m-bound-ts   the same callback path through the pure-TypeScript reference
//                             (src/reference.ts), on 1,000,000 callbacks.
// copystack/relocate-1MiB     copystack of a 1 MiB goroutine stack whose frames have 25% pointer
//                             slots: copy, frame walk from the return PCs, relocation, free.
// memory.copy/1MiB            a plain memory.copy of the same bytes, in the same run.
// copystack/relocate-1MiB-ts  the TypeScript reference relocation of the same stack.

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { createSimulator, compileScenario } from '../src/api/node.js';
import { buildStackImage, randomFuncs, refBoundCallbacks, refCopystack, rng } from '../test/reference/reference.js';
import { createCoreForTests } from '../src/core/instance.js';
import { readFileSync } from 'node:fs';
import { wasmPath } from '../src/api/node.js';
import type { Scenario } from '../src/api/types.js';

const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const CALLBACKS = quick ? 1_000_000 : 10_000_000;
const TS_CALLBACKS = quick ? 100_000 : 1_000_000;

const boundCallbacks: Scenario = {
  format: 1,
  name: 'bench-extra-m-bound',
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
    // The first callback binds the extra M (needm + pthread key); the measured ones reuse it.
    { op: 'callback', thread: 'T1', fn: [] },
    { op: 'repeat', count: CALLBACKS, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] }] },
  ],
};

interface Row { name: string; unit: string; value: number }

async function main(): Promise<void> {
  const sim = await createSimulator();
  const compiled = compileScenario(boundCallbacks);
  const check = sim.run(compiled, { profile: 'tip', budget: 4 * CALLBACKS + 100 });
  if (check.verdict !== 'ok' || check.counters.callbacks !== CALLBACKS + 1 || check.counters.systemstack !== CALLBACKS) {
    throw new Error(`benchmark scenario did not run as intended: ${JSON.stringify(check)}`);
  }
  const bench = new Bench({ name: 'cgosim', time: 0, iterations: quick ? 3 : 7, warmup: true, warmupIterations: 1, warmupTime: 0 });
  bench.add('callback/extra-m-bound', () => {
    sim.run(compiled, { profile: 'tip', budget: 4 * CALLBACKS + 100 });
  });
  bench.add('callback/extra-m-bound-ts', () => {
    refBoundCallbacks(TS_CALLBACKS, 0x87fe00n, 0x800000n, 0x880000n);
  });
  // The relocation benchmarks: one deterministic 1 MiB stack, 25% of its local words pointers.
  const core = await createCoreForTests(readFileSync(wasmPath()));
  core.mapWindow(0n, 64 << 20);
  const STACK = 1 << 20;
  const funcs = randomFuncs(rng(2024), 24, 60, 0.25);
  const img = buildStackImage(rng(69085), 0x2100000n, STACK, funcs, 0.999);
  const used = Number(img.hi - img.sp);
  const nFuncs = core.writeFuncs(funcs);
  const MOVES = quick ? 20 : 100;
  const setup = () => {
    core.writeWindow(img.lo, img.bytes);
    [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, STACK, 0, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
  };
  setup();
  if (core.exports.benchCopystack(1) !== 1) throw new Error('relocation benchmark: copystack failed');
  bench.add('copystack/relocate-1MiB', () => {
    if (core.exports.benchCopystack(MOVES) !== 1) throw new Error('copystack failed');
  }, { beforeEach: setup });
  bench.add('memory.copy/1MiB', () => {
    core.exports.benchMemoryCopy(MOVES, used);
  });
  bench.add('copystack/relocate-1MiB-ts', () => {
    refCopystack(img, 0x2300000n, funcs);
  });
  await bench.run();
  const rows: Row[] = [];
  const bytesPerSecond = (name: string, n: number) => {
    const r = bench.getTask(name)?.result;
    if (!r || !('latency' in r)) throw new Error(`${name}: ${JSON.stringify(r)}`);
    return (used * n) / (r.latency.p50 / 1000);
  };
  const perSecond = (name: string, n: number) => {
    const r = bench.getTask(name)?.result;
    if (!r || !('latency' in r)) throw new Error(`${name}: ${JSON.stringify(r)}`);
    return n / (r.latency.p50 / 1000);
  };
  const wasm = perSecond('callback/extra-m-bound', CALLBACKS);
  const ts = perSecond('callback/extra-m-bound-ts', TS_CALLBACKS);
  rows.push({ name: 'callback/extra-m-bound', unit: 'callbacks/s', value: Math.round(wasm) });
  rows.push({ name: 'callback/extra-m-bound-ts', unit: 'callbacks/s', value: Math.round(ts) });
  rows.push({ name: 'callback/extra-m-bound-ns', unit: 'ns/callback', value: Number((1e9 / wasm).toFixed(2)) });
  rows.push({ name: 'callback/extra-m-bound-vs-ts', unit: 'ratio', value: Number((wasm / ts).toFixed(1)) });
  const relocate = bytesPerSecond('copystack/relocate-1MiB', MOVES);
  const plain = bytesPerSecond('memory.copy/1MiB', MOVES);
  const relocateTs = bytesPerSecond('copystack/relocate-1MiB-ts', 1);
  rows.push({ name: 'copystack/relocate-1MiB', unit: 'bytes/s', value: Math.round(relocate) });
  rows.push({ name: 'memory.copy/1MiB', unit: 'bytes/s', value: Math.round(plain) });
  rows.push({ name: 'copystack/relocate-1MiB-ts', unit: 'bytes/s', value: Math.round(relocateTs) });
  rows.push({ name: 'copystack/relocate-vs-memory.copy', unit: 'ratio', value: Number((relocate / plain).toFixed(3)) });
  rows.push({ name: 'copystack/relocate-vs-ts', unit: 'ratio', value: Number((relocate / relocateTs).toFixed(1)) });
  const env = { node: process.version, v8: process.versions.v8, arch: process.arch, cpu: cpus()[0]?.model ?? '?', callbacks: CALLBACKS, tsCallbacks: TS_CALLBACKS, stackBytesUsed: used, frames: img.frames };
  writeFileSync('bench-results.json', `${JSON.stringify({ env, results: rows }, null, 2)}\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
  } else {
    for (const r of rows) process.stdout.write(`${r.name.padEnd(32)} ${r.value.toLocaleString('en-US').padStart(16)} ${r.unit}\n`);
    process.stdout.write(`(${env.cpu}, node ${env.node}; p50 of ${quick ? 3 : 7} runs)\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
