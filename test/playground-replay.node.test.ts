// The playground draws each step from the event log (web/src/replay.ts). At the last event the
// derived picture must agree with the core's own final records: every M's g0 bounds (where the
// core changed them without an event, the replay says so and takes the records), and the threads. Checked on every bundled scenario under every profile.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulator, PROFILE_NAMES } from '../src/api/node.js';
import { Replay } from '../web/src/replay.js';

const dirs = ['regressions', 'mutations', 'demos'];
const files = dirs.flatMap((d) => readdirSync(new URL(`../scenarios/${d}/`, import.meta.url)).filter((f) => f.endsWith('.json')).map((f) => `${d}/${f}`));

describe('playground replay of the event log', () => {
  it('ends where the core ends: g0 bounds of every M, live threads', async () => {
    const sim = await createSimulator();
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(new URL(`../scenarios/${file}`, import.meta.url), 'utf8');
      const doc = JSON.parse(text);
      for (const profile of PROFILE_NAMES) {
        const r = sim.run(text, { profile, events: true, state: true });
        if (!r.events?.length || r.eventsTruncated || !r.state) continue;
        const replay = new Replay(r, doc);
        const last = replay.frame(r.events.length - 1)!;
        // Only the nested callback's dummy bounds, set right before its out-of-bounds check, have no event.
        if (replay.fromFinalRecords.length) expect(['cgocallback-out-of-bounds', 'stack-split-at-bad-time'], `${file} ${profile}`).toContain(r.crash);
        for (const m of r.state.ms) {
          const derived = last.bounds.get(m.name);
          const core = BigInt(m.g0.hi) === 0n ? undefined : [BigInt(m.g0.lo), BigInt(m.g0.hi)];
          expect(derived ? [derived.lo, derived.hi] : undefined, `${file} ${profile} ${m.name}`).toEqual(core);
          compared++;
        }
        for (const t of r.state.threads) {
          const region = last.regions.find((x) => x.key === `t:${t.id}`);
          expect(region, `${file} ${profile} thread ${t.id}`).toBeDefined();
          expect([region!.lo, region!.hi]).toEqual([BigInt(t.stack[0]), BigInt(t.stack[1])]);
          expect(region!.freed, `${file} ${profile} thread ${t.id} exited`).toBe(t.state === 'exited');
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  }, 120_000);
});
