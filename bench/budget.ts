// How long the default budget can take: each scenario of bench/adversarial.ts, run under the default
// budget (or --budget N), timed. `npm run -s bench:budget -- [--json] [--budget N] [--only NAME]`.
// The README's "Budgets and deadlines" figure comes from this; the slowest row sets DEFAULT_BUDGET.

import { createSimulator } from '../src/api/node.js';
import { DEFAULT_BUDGET } from '../src/core/instance.js';
import { ADVERSARIES } from './adversarial.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const json = process.argv.includes('--json');
const budget = arg('--budget') === undefined ? undefined : Number(arg('--budget'));
const only = arg('--only');

const sim = await createSimulator();
const rows: { name: string; ms: number; steps: number; nsPerStep: number; verdict: string; error?: string }[] = [];
for (const a of ADVERSARIES) {
  if (only && a.name !== only) continue;
  const options = { ...a.options, ...(budget !== undefined && a.options?.budget === undefined ? { budget } : {}) };
  const t0 = performance.now();
  const r = sim.run(a.scenario, options);
  const ms = performance.now() - t0;
  const row = { name: a.name, ms: Math.round(ms), steps: r.stepsUsed, nsPerStep: +(ms * 1e6 / Math.max(1, r.stepsUsed)).toFixed(2), verdict: r.verdict, error: r.error?.message };
  rows.push(row);
  if (!json) process.stdout.write(`${a.name.padEnd(26)} ${String(row.ms).padStart(6)} ms ${String(row.steps).padStart(11)} steps ${row.nsPerStep.toFixed(2).padStart(7)} ns/step  ${r.verdict} ${r.error?.code ?? ''}\n`);
}
if (json) process.stdout.write(`${JSON.stringify({ budget: budget ?? DEFAULT_BUDGET, rows })}\n`);
else process.stdout.write(`budget ${budget ?? DEFAULT_BUDGET}; slowest ${Math.max(...rows.map((r) => r.ms))} ms\n`);
