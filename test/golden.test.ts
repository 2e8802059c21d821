// Node and the browser must give the same trace hash for every scenario and profile. Both projects
// compare with one golden table; after a deliberate model change, regenerate it under Node with
// UPDATE_GOLDEN=1 npx vitest run --project node test/golden.test.ts.

import { expect, it } from 'vitest';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import golden from './golden/trace-hashes.json';
import { SCENARIOS, simulator } from './helpers.js';

it('trace hashes match the golden table (same in Node and Chromium)', async () => {
  const sim = await simulator();
  const table: Record<string, string> = {};
  for (const file of Object.keys(SCENARIOS).sort()) {
    for (const profile of PROFILE_NAMES) table[`${file} ${profile}`] = sim.run(SCENARIOS[file]!, { profile }).traceHash;
  }
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env?.UPDATE_GOLDEN) {
    const fsName = 'node:fs';
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs');
    fs.writeFileSync(new URL('./golden/trace-hashes.json', import.meta.url), `${JSON.stringify(table, null, 2)}\n`);
    expect(Object.keys(table).length).toBeGreaterThan(0);
    return;
  }
  expect(table).toEqual(golden);
});
