// Freed memory is poisoned lazily (assembly/regions.ts): freeing marks the region record, and the
// fill happens only where the bytes can be seen. These check that the window still reads exactly
// as if every free had filled at once: after the run (the host's read flushes what is pending), and
// when a later region is laid over freed memory during the run (its record is retired, so its
// poison must be written then or never).

import { describe, expect, it } from 'vitest';
import { simulator } from './helpers.js';
import { coreOf } from '../src/core/instance.js';
import type { Scenario } from '../src/api/types.js';

const AT = 0x500000n;
const KiB = 1024;

function bytesAt(sim: Awaited<ReturnType<typeof simulator>>, addr: bigint, n: number): Uint8Array {
  return coreOf(sim).readWindow(addr, n);
}

describe.each(['release', 'debug'] as const)('lazy poison (%s core)', (build) => {
  it('a freed block reads as 0xdd after the run', async () => {
    const sim = await simulator('raw', build);
    const s: Scenario = { format: 1, name: 'free', steps: [{ op: 'malloc', id: 'A', size: '64KiB', at: '0x500000' }, { op: 'free', id: 'A' }] };
    expect(sim.run(s).verdict).toBe('ok');
    expect(bytesAt(sim, AT, 64 * KiB)).toEqual(new Uint8Array(64 * KiB).fill(0xdd));
  });

  it('a block laid over freed memory: the rest of the freed block still reads as poison, the new one as zeros', async () => {
    const sim = await simulator('raw', build);
    // Dirty the place first, so that a missing fill would show as stale bytes, not as zeros.
    const first: Scenario = { format: 1, name: 'first', steps: [{ op: 'malloc', id: 'A', size: '64KiB', at: '0x500000' }, { op: 'free', id: 'A' }] };
    expect(sim.run(first).verdict).toBe('ok');
    bytesAt(sim, AT, 1);
    const s: Scenario = {
      format: 1, name: 'reuse',
      steps: [
        { op: 'malloc', id: 'A', size: '64KiB', at: '0x500000' },
        { op: 'free', id: 'A' },
        { op: 'malloc', id: 'B', size: '16KiB', at: '0x504000' },
        { op: 'free', id: 'B' },
        { op: 'malloc', id: 'C', size: '8KiB', at: '0x506000' },
      ],
    };
    expect(sim.run(s).verdict).toBe('ok');
    const got = bytesAt(sim, AT, 64 * KiB);
    const want = new Uint8Array(64 * KiB).fill(0xdd);
    want.fill(0, 0x6000, 0x8000); // C: calloc'd over B's poison, which lay over A's
    expect(got).toEqual(want);
  });
});
