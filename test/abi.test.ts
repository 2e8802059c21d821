// The Wasm boundary: the host's copy of the core's numbers (src/core/abi.ts, generated from
// assembly/abi.ts and assembly/memory.ts) against the host's own name tables, which are indexed by
// those numbers.

import { describe, expect, it } from 'vitest';
import * as abi from '../src/core/abi.js';
import { COUNTER_NAMES } from '../src/api/types.js';
import { FLAG_NAMES } from '../src/model/profiles.js';

describe('host tables against the core\'s indices', () => {
  it('every counter the core counts has its public name at its index (generated, so this guards the generator)', () => {
    const counters = Object.entries(abi).filter(([k]) => k.startsWith('C_')) as [string, number][];
    expect(counters.length).toBe(COUNTER_NAMES.length);
    expect(COUNTER_NAMES.length).toBeLessThanOrEqual(abi.N_COUNTERS);
    const squash = (s: string) => s.replace(/_/g, '').toLowerCase();
    for (const [name, index] of counters) expect(squash(COUNTER_NAMES[index]!)).toBe(squash(name.slice(2)));
  });

  it('flags are named in bit order, one bit each', () => {
    FLAG_NAMES.forEach((name, bit) => expect(abi.F[name]).toBe(1n << BigInt(bit)));
  });

  it('the memory map\'s tables are distinct, in [MAP_BASE, MAP_END), and 64-byte aligned', () => {
    // (A module namespace lists its names alphabetically in the browser: sort by address.)
    const chain = Object.entries(abi).filter(([k]) => k.endsWith('_LOCATION')).map(([, v]) => v as number).sort((x, y) => x - y);
    expect(chain.length).toBeGreaterThan(10);
    expect(chain[0]).toBe(abi.MAP_BASE);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!).toBeGreaterThan(chain[i - 1]!);
    for (const at of chain) expect(at % 64).toBe(0);
    expect(chain.at(-1)!).toBeLessThan(abi.MAP_END);
  });
});
