// Issue 16, item 5: memory for long-lived embeddings. After a run whose window took Wasm memory past
// 256 MiB, the next run starts on a fresh instance: the memory goes back, results stay the same,
// and lazy results of the old instance replay. (The 10,000-run RSS figure: memory.node.test.ts.)

import { describe, expect, it } from 'vitest';
import { simulator, scenario } from './helpers.js';
import type { Scenario } from '../src/api/types.js';

const big: Scenario = {
  format: 1, name: 'big-window', addressSpace: { base: '0x0', size: '768MiB' },
  steps: [{ op: 'malloc', id: 'b', size: '1MiB', at: '0x2c000000' }, { op: 'free', id: 'b' }],
};

describe('a big window does not keep its memory', () => {
  it('the next run recycles the instance, with the same results', async () => {
    const sim = await simulator();
    const mem = sim as unknown as { memoryBytes: number; recycled: number };
    const small = scenario('s01-stack-switch-callback-62440.json');
    const before = sim.run(small, { profile: 'go1.21.0' });
    const lazyBefore = sim.prepare(small).run({ profile: 'go1.22.0' });
    expect(sim.run(big).verdict).toBe('ok');
    expect(mem.memoryBytes).toBeGreaterThan(768 << 20);
    const after = sim.run(small, { profile: 'go1.21.0' });
    expect(mem.recycled).toBe(1);
    expect(mem.memoryBytes).toBeLessThan(256 << 20);
    expect(after).toEqual(before);
    // A lazy result of the old instance replays on the new one.
    expect(lazyBefore.result().traceHash).toBe(sim.run(small, { profile: 'go1.22.0' }).traceHash);
  });
});
