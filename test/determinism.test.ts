// Same scenario + profile + seed: same result and trace hash, in every instance and binding. A trap
// in the core is caught, reported, and leaves the simulator usable.

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import { OP_SIZE } from '../src/core/abi.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { SCENARIOS, simulator } from './helpers.js';

describe('determinism', () => {
  it('every bundled scenario gives identical results twice, across instances and bindings', async () => {
    const a = await simulator('raw');
    const b = await simulator('raw');
    const c = await simulator('loader');
    for (const [file, sc] of Object.entries(SCENARIOS)) {
      for (const profile of PROFILE_NAMES) {
        const r1 = a.run(sc, { profile, events: true });
        const r2 = a.run(sc, { profile, events: true });
        expect(r2, `${file} ${profile}`).toEqual(r1);
        expect(b.run(sc, { profile, events: true }), `${file} ${profile}`).toEqual(r1);
        expect(c.run(sc, { profile, events: true }), `${file} ${profile}`).toEqual(r1);
        expect(r1.traceHash).toMatch(/^[0-9a-f]{16}$/);
      }
    }
  }, 900_000); // every bundled scenario, scenarios/go-tests and the deep nestings included: 350 s at a load average of 14

  it('the trace hash tells different paths apart', async () => {
    const sim = await simulator();
    const sc = SCENARIOS['s01-stack-switch-callback-62440.json']!;
    const hashes = new Set(PROFILE_NAMES.map((profile) => sim.run(sc, { profile }).traceHash));
    // rc1 and go1.17 take the same path here, and so do 1.22.5, 1.23.0 and 1.23.1.
    expect(hashes.size).toBeGreaterThanOrEqual(5);
  });

  it('a compiled scenario runs many times with the same result', async () => {
    const sim = await simulator();
    const compiled = compileScenario(SCENARIOS['s03-partial-overlap-g1-62440.json']!);
    const first = sim.run(compiled, { profile: 'go1.22.0' });
    for (let i = 0; i < 5; i++) expect(sim.run(compiled, { profile: 'go1.22.0' })).toEqual(first);
  });
});

describe('traps', () => {
  it.each(['raw', 'loader'] as const)('a trap in the core is reported and the simulator stays usable (%s)', async (binding) => {
    const sim = await simulator(binding);
    const good = compileScenario(SCENARIOS['s05-main-thread-callbacks-68587.json']!);
    const expected = sim.run(good, { profile: 'tip' });
    // Corrupt the op code of the callback inside the repeat: the interpreter's dispatch traps.
    const bad = { ...good, ops: good.ops.slice() };
    new DataView(bad.ops.buffer).setUint32(2 * OP_SIZE, 0xdead, true);
    const r = sim.run(bad, { profile: 'tip' });
    expect(r.verdict).toBe('invalid');
    expect(r.error?.code).toBe('WASM_TRAP');
    expect(r.error?.message).toMatch(/^steps\[1\]\.steps\[0\]: the Wasm core trapped/);
    expect(sim.run(good, { profile: 'tip' })).toEqual(expected);
  });
});
