// Zero fills that skip pages known to be zero (assembly/memory.ts, zeroFill and the DIRTY map)
// change no result: the same generated and bundled scenarios run on one reused instance (lazy
// fills, over whatever earlier runs left), on one reused instance whose every page is marked
// before each run (so every zero fill writes its whole range: the eager fill it replaces), and on
// fresh instances, give the same results (verdict, counters, trace hash, events, state), and the
// lazy and eager instances' windows hold the same bytes after each run. In Node and in Chromium.

import { describe, expect, it } from 'vitest';
import { generate } from '../src/explore/generate.js';
import { runSeed } from '../src/explore/rng.js';
import { coreOf } from '../src/core/instance.js';
import { MAX_WINDOW_BYTES } from '../src/core/abi.js';
import { SCENARIOS, simulator } from './helpers.js';
import type { RunResult, Scenario, Simulator } from '../src/api/types.js';

const GENERATED = 240;
const PROFILES = ['tip', 'go1.21.0', 'go1.22.0', 'go1.17rc1'];

function scenarios(): [string, Scenario][] {
  const out: [string, Scenario][] = [];
  for (let i = 0; i < GENERATED; i++) {
    const seed = runSeed(29, i);
    // Every fifth under the physical model, every seventh with two pins (pct's generator).
    const { scenario } = generate(seed, { ...(i % 5 === 0 ? { physical: true } : {}), ...(i % 7 === 0 ? { pins: 2 } : {}) });
    out.push([`generated ${seed}`, scenario]);
  }
  // Bundled scenarios (every fourth: the reset test runs them all), with their big stacks and windows.
  Object.entries(SCENARIOS).forEach(([file, s], i) => { if (i % 4 === 0) out.push([file, s]); });
  return out;
}

/** Marks every page of the map: the next run's zero fills write all they cover. */
function markAll(sim: Simulator): void {
  coreOf(sim).exports.markWindow(0, Number(MAX_WINDOW_BYTES));
}

/** The window's bytes (freed ranges' poison written), as 64-bit words. */
function windowWords(sim: Simulator): BigUint64Array {
  const core = coreOf(sim);
  core.exports.flushPoison();
  const at = core.exports.windowOffset() >>> 0;
  const buffer = core.exports.memory.buffer;
  return new BigUint64Array(buffer, at, Math.floor((buffer.byteLength - at) / 8));
}

function firstDifference(a: BigUint64Array, b: BigUint64Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i * 8;
  return a.length === b.length ? -1 : n * 8;
}

describe('zero fills that skip clean pages', () => {
  it(`change no result: ${GENERATED} generated and a quarter of the bundled scenarios, lazy vs eager vs fresh`, async () => {
    const lazy = await simulator();
    const eager = await simulator();
    const list = scenarios();
    let compared = 0;
    let windows = 0;
    for (let i = 0; i < list.length; i++) {
      const [name, scenario] = list[i]!;
      const profile = PROFILES[i % PROFILES.length]!;
      const options = { profile, events: true, state: true, budget: 5_000_000 };
      const a: RunResult = lazy.run(scenario, options);
      markAll(eager);
      const b: RunResult = eager.run(scenario, options);
      expect(a, `${name} on ${profile}: lazy vs eager`).toEqual(b);
      if (i % 8 === 0) {
        const fresh = await simulator();
        expect(fresh.run(scenario, options), `${name} on ${profile}: fresh vs reused`).toEqual(a);
      }
      if (i % 6 === 0) {
        // Same memory, byte for byte, wherever the run wrote, filled, freed or left alone.
        expect(firstDifference(windowWords(lazy), windowWords(eager)), `${name} on ${profile}: first window byte that differs`).toBe(-1);
        windows++;
      }
      compared++;
    }
    expect(compared).toBe(list.length);
    expect(windows).toBeGreaterThan(40);
  }, 300_000);

  it('a block laid where an earlier run wrote reads as on a fresh instance', async () => {
    // Run 1 runs a goroutine on a stack pinned at 0x200000 (its frames: return PCs, saved BPs,
    // pointers) and grows others in the Go arena; run 2 mallocs a block over the same range, calls
    // back on it and grows a goroutine into the arena again. Only the zero fills stand between
    // run 2 and run 1's bytes.
    const dirty: Scenario = {
      format: 1, name: 'dirty-first',
      steps: [
        { op: 'go', id: 'G2', stack: ['0x200000', '0x210000'], fn: [{ op: 'call', frame: 4096, ptrs: [0, 8, 16], depth: 3, fn: [{ op: 'gosched' }] }] },
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'repeat', count: 3, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }, { op: 'grow', bytes: 40960 }] }] },
      ],
    };
    const probe: Scenario = {
      format: 1, name: 'probe',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'malloc', id: 'fiber', size: '1MiB', at: '0x200000' },
        { op: 'switch', thread: 'T1', to: 'fiber' },
        { op: 'callback', thread: 'T1', fn: [{ op: 'call', frame: 512, ptrs: [0] }, { op: 'grow', bytes: 12288 }] },
      ],
    };
    const reused = await simulator();
    expect(reused.run(dirty).verdict).toBe('ok');
    // Run 1 did leave bytes where the probe's block goes (else the probe would prove nothing).
    let written = 0;
    const before = windowWords(reused);
    for (let w = 0x200000 / 8; w < 0x210000 / 8; w++) if (before[w] !== 0n) written++;
    expect(written).toBeGreaterThan(8);
    const after = reused.run(probe, { events: true, state: true });
    const fresh = await simulator();
    expect(after).toEqual(fresh.run(probe, { events: true, state: true }));
    // The block's bytes are the fresh instance's (outside run 2's regions, run 1's leftovers stay:
    // no run reads them).
    const block = (sim: Simulator) => windowWords(sim).subarray(0x200000 / 8, 0x300000 / 8);
    expect(firstDifference(block(reused), block(fresh)), 'first byte of the block that differs').toBe(-1);
  });
});
