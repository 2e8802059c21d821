// Differential tests: the Wasm core's callbackUpdateSystemStack (V1/V2/V3) and g0 split check,
// run through the core's single-function entry points, against the pure-TypeScript reference in
// src/reference.ts, on random bounds, SPs and flags (fast-check). Both builds of the core.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCoreForTests, type Core } from '../src/core/instance.js';
import { refCallbackUpdateSystemStack, refG0Check, STACK_GUARD, STACK_GUARD_WINDOWS, type RefInput, type RefPlatform } from './reference/reference.js';
import { wasmBytes } from './helpers.js';
import { F, SCRATCH_LOCATION } from '../src/core/abi.js';
import { PLATFORM_IDS } from '../src/model/profiles.js';

const U64 = (1n << 64n) - 1n;
const PLATFORMS: RefPlatform[] = ['glibc', 'musl', 'windows', 'nobounds'];

/** Addresses that cluster the way stacks do, plus the edges of the 64-bit space. */
const address = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt({ min: 0x100000n, max: 0x7fffffffffffn }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 0x10000n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: U64 - 0x10000n, max: U64 }) },
);
const near = (base: bigint, spread: bigint) => fc.bigInt({ min: -spread, max: spread }).map((d) => (base + d) & U64);

const inputArb: fc.Arbitrary<RefInput> = address.chain((base) => fc.record({
  version: fc.constantFrom(1 as const, 2 as const, 3 as const),
  lo: near(base, 0x10000n),
  hi: near(base + 0x8000n, 0x10000n),
  sp: near(base + 0x4000n, 0x20000n),
  ncgo: fc.integer({ min: 0, max: 2 }),
  isextra: fc.boolean(),
  accurate: fc.boolean(),
  signal: fc.boolean(),
  platform: fc.constantFrom(...PLATFORMS),
  threadLo: near(base, 0x40000n),
  threadHi: near(base + 0x80000n, 0x40000n),
  g0Stackguard1: fc.boolean(),
  muslZeroBounds: fc.boolean(),
  stackguard0: fc.bigInt({ min: 0n, max: U64 }),
  stackguard1: fc.constant(0n),
}));

function wasmCallbackUpdate(core: Core, i: RefInput) {
  const dv = core.view();
  const s = SCRATCH_LOCATION;
  let flags = i.version === 1 ? F.CB_UPDATE_V1 : i.version === 2 ? F.CB_UPDATE_V2 : F.CB_UPDATE_V3;
  if (i.g0Stackguard1) flags |= F.G0_STACKGUARD1;
  if (i.muslZeroBounds) flags |= F.MUSL_ZERO_BOUNDS;
  const words = [flags, i.lo, i.hi, i.sp, BigInt(i.ncgo), i.isextra ? 1n : 0n, i.accurate ? 1n : 0n, i.signal ? 1n : 0n,
    BigInt(PLATFORM_IDS[i.platform]), i.threadLo, i.threadHi, i.stackguard0];
  words.forEach((w, k) => dv.setBigUint64(s + k * 8, w, true));
  core.exports.testCallbackUpdate();
  const out = (k: number) => core.view().getBigUint64(s + k * 8, true);
  return {
    outcome: Number(out(17)), lo: out(12), hi: out(13), stackguard0: out(14), stackguard1: out(15),
    accurate: out(16) !== 0n, getstackboundCalls: Number(out(18)),
  };
}

describe.each(['release', 'debug'] as const)('bounds functions, Wasm (%s) vs TypeScript reference', (build) => {
  const runs = build === 'release' ? 10_000 : 2_000;

  it(`callbackUpdateSystemStack V1/V2/V3 agree on ${runs} random cases`, async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    let throws = 0;
    let updates = 0;
    fc.assert(fc.property(inputArb, (i) => {
      const want = refCallbackUpdateSystemStack(i, i.platform === 'windows' ? STACK_GUARD_WINDOWS : STACK_GUARD);
      const got = wasmCallbackUpdate(core, i);
      if (want.outcome === 2) throws++;
      if (want.outcome === 1) updates++;
      expect(got).toEqual(want);
    }), { numRuns: runs, seed: 62440 });
    // The generator must reach every branch, or the agreement says little.
    expect(throws).toBeGreaterThan(runs / 50);
    expect(updates).toBeGreaterThan(runs / 10);
  });

  it(`the g0 split check agrees on ${runs} random (stackguard0, sp) pairs`, async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    const s = SCRATCH_LOCATION;
    fc.assert(fc.property(address, fc.bigInt({ min: -2000n, max: 2000n }), (guard, d) => {
      const sp = (guard + d) & U64;
      const dv = core.view();
      dv.setBigUint64(s, 0n, true);
      dv.setBigUint64(s + 3 * 8, sp, true);
      dv.setBigUint64(s + 11 * 8, guard, true);
      const passed = core.exports.testG0Check() === 1;
      expect(passed).toBe(refG0Check(guard, sp));
    }), { numRuns: runs, seed: 928 });
  });
});
