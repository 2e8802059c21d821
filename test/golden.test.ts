// Node and the browser must give the same trace hash for every scenario and profile, and the same
// event log for a few key runs. Both projects compare with one golden table and the event texts
// beside it (test/golden/events/, readable diffs when the model changes); after a deliberate model
// change, regenerate both under Node with `npm run golden`.

import { expect, it } from 'vitest';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import type { RunResult } from '../src/api/types.js';
import golden from './golden/trace-hashes.json';
import { SCENARIOS, simulator } from './helpers.js';

/** Key runs whose whole event log is kept as text: [scenario file, profile]. */
const EVENT_RUNS: [string, string][] = [
  ['s01-stack-switch-callback-62440.json', 'go1.21.0'],
  ['s03-partial-overlap-g1-62440.json', 'go1.22.0'],
  ['s08-traceback-context-preemption-47441.json', 'go1.17rc1'],
  ['s11-stale-syscallbp-tracer-69085.json', 'go1.23.0'],
  ['s16-tracer-park-order-573155.json', 'go1.22.0'],
];

const EVENT_TEXTS = import.meta.glob('./golden/events/*.txt', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>;

/** A run's event log as golden text: a header, then one event a line, tab-separated. */
export function eventText(r: RunResult): string {
  const head = `# ${r.scenario} [${r.profile}] ${r.verdict}${r.crash ? ` ${r.crash}` : ''} trace ${r.traceHash}\n` +
    '# index\tstep\tthread\tm\tkind\ttext\targs\n';
  return head + r.events!.map((e) => [e.index, e.step, e.thread, e.m, e.kind, e.text, JSON.stringify(e.args)].join('\t')).join('\n') + '\n';
}

async function nodeFs(): Promise<typeof import('node:fs') | undefined> {
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (!env?.UPDATE_GOLDEN) return undefined;
  const fsName = 'node:fs';
  return (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
}

it('trace hashes match the golden table (same in Node and Chromium)', async () => {
  const sim = await simulator();
  const table: Record<string, string> = {};
  for (const file of Object.keys(SCENARIOS).sort()) {
    for (const profile of PROFILE_NAMES) table[`${file} ${profile}`] = sim.run(SCENARIOS[file]!, { profile }).traceHash;
  }
  const fs = await nodeFs();
  if (fs) {
    fs.writeFileSync(new URL('./golden/trace-hashes.json', import.meta.url), `${JSON.stringify(table, null, 2)}\n`);
    expect(Object.keys(table).length).toBeGreaterThan(0);
    return;
  }
  expect(table).toEqual(golden);
});

it('key runs give the golden event text (same in Node and Chromium)', async () => {
  const sim = await simulator();
  const fs = await nodeFs();
  for (const [file, profile] of EVENT_RUNS) {
    const r = sim.run(SCENARIOS[file]!, { profile, events: true });
    expect(r.traceHash).toBe((golden as Record<string, string>)[`${file} ${profile}`]);
    const name = `${file.replace(/\.json$/, '')}.${profile}.txt`;
    const text = eventText(r);
    if (fs) {
      fs.mkdirSync(new URL('./golden/events/', import.meta.url), { recursive: true });
      fs.writeFileSync(new URL(`./golden/events/${name}`, import.meta.url), text);
      continue;
    }
    expect(EVENT_TEXTS[`./golden/events/${name}`], `test/golden/events/${name} (npm run golden writes it)`).toBe(text);
  }
});
