// Benchmarks (tinybench 6). `npm run -s bench -- --json` prints a JSON array of
// { name, unit, value } and writes the same with the environment to bench-results.json.
//
// callback/extra-m-bound      10,000,000 callbacks from a C thread whose extra M is bound, on tip,
//                             each running one systemstack: one `repeat` inside Wasm, one run() call.
// callback/extra-m-bound-ts   the same callback path through the pure-TypeScript reference
//                             (src/reference.ts), on 1,000,000 callbacks.

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Bench } from 'tinybench';
import { createSimulator, compileScenario } from '../src/node.js';
import { refBoundCallbacks } from '../src/reference.js';
import type { Scenario } from '../src/types.js';

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
  await bench.run();
  const rows: Row[] = [];
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
  const env = { node: process.version, v8: process.versions.v8, arch: process.arch, cpu: cpus()[0]?.model ?? '?', callbacks: CALLBACKS, tsCallbacks: TS_CALLBACKS };
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
