// Memory of a long-lived embedding: 10,000 mixed runs in one simulator (the bundled scenarios under
// every profile, and every 500th run a scenario that maps the largest window, 768 MiB, and fills a
// 32 MiB block at its top). Prints JSON: runs, peak and final RSS in MiB, how often the instance was
// recycled and the Wasm memory it holds at the end. test/memory.node.test.ts checks the figures.
// `node dist/bench/memory.js [--runs N]`

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, PROFILE_NAMES } from '../src/api/node.js';
import type { Scenario } from '../src/api/types.js';

const i = process.argv.indexOf('--runs');
const RUNS = i < 0 ? 10_000 : Number(process.argv[i + 1]);

function scenarios(dir: string): Scenario[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Scenario);
}

const root = fileURLToPath(new URL(existsUp('scenarios'), import.meta.url));
function existsUp(name: string): string {
  for (const rel of [`../${name}`, `../../${name}`]) {
    try {
      statSync(fileURLToPath(new URL(rel, import.meta.url)));
      return rel;
    } catch { /* next */ }
  }
  return `../${name}`;
}

const big: Scenario = {
  format: 1, name: 'big-window', addressSpace: { base: '0x0', size: '768MiB' },
  steps: [{ op: 'malloc', id: 'b', size: '32MiB', at: '0x2c000000' }, { op: 'free', id: 'b' }],
};
const bundled = scenarios(root);
const sim = await createSimulator();
let peak = 0;
for (let n = 0; n < RUNS; n++) {
  const r = n % 500 === 250 ? sim.run(big) : sim.run(bundled[n % bundled.length]!, { profile: PROFILE_NAMES[n % PROFILE_NAMES.length] });
  if (r.verdict === 'invalid' && r.error?.code !== 'STATE_INVALID') throw new Error(`run ${n}: ${r.error?.message}`);
  if (n % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const s = sim as unknown as { recycled: number; memoryBytes: number };
const mib = (x: number) => Math.round(x / 2 ** 20);
process.stdout.write(`${JSON.stringify({ runs: RUNS, peakRssMiB: mib(Math.max(peak, process.memoryUsage().rss)), finalRssMiB: mib(process.memoryUsage().rss), recycled: s.recycled, memoryMiB: mib(s.memoryBytes) })}\n`);
