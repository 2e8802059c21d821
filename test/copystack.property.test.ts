// copystack in Wasm against the TypeScript reference (src/reference.ts), byte for byte, on random
// stacks: random functions and stack maps, random frames, pointer and scalar words holding stack,
// heap and C addresses; growth and shrink sizes. Every pointer slot (and saved BP) whose value was
// in the old stack moves by exactly delta; every other byte is unchanged.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCoreForTests } from '../src/core/instance.js';
import { buildStackImage, randomFuncs, refCopystack, rng } from './reference/reference.js';
import { wasmBytes } from './helpers.js';

const OLD_LO = 0x2100000n;

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe.each(['release', 'debug'] as const)('copystack, Wasm (%s) vs TypeScript reference', (build) => {
  const runs = build === 'release' ? 10_000 : 1_000;

  it(`relocates ${runs} random stacks exactly like the reference`, async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    core.mapWindow(0n, 64 << 20);
    let moved = 0;
    let adjustedTotal = 0;
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 11, max: 14 }), fc.constantFrom(-1, 1, 2, 3),
      fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.double({ min: 0, max: 0.6, noNaN: true }),
      (seed, log2, scale, fill, density) => {
        const rand = rng(seed);
        const size = 1 << log2;
        // Some functions with more than 64 local words: the unwinder caches a map's first 64 bits
        // and reads the rest from the bitmap table.
        const funcs = randomFuncs(rand, 1 + Math.floor(rand() * 12), rand() < 0.25 ? 150 : 40, density);
        const img = buildStackImage(rand, OLD_LO, size, funcs, fill);
        const used = Number(img.hi - img.sp);
        const newSize = scale < 0 ? size / 2 : size << (scale - 1);
        if (newSize < used) return; // a shrink that would not fit is never asked for
        const nFuncs = core.writeFuncs(funcs);
        core.writeWindow(img.lo, img.bytes);
        [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, newSize, 0, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
        expect(core.exports.testCopystack()).toBe(1);
        const newLo = core.scratch(12);
        const newHi = core.scratch(13);
        expect(newHi - newLo).toBe(BigInt(newSize));
        const want = refCopystack(img, newHi, funcs);
        const got = core.readWindow(newHi - BigInt(used), used);
        expect(firstDifference(got, want.used), 'first differing byte offset from the new SP').toBe(-1);
        expect(core.scratch(19)).toBe(want.bp);
        expect(core.scratch(18)).toBe(newHi - BigInt(used));
        expect(Number(core.scratch(16))).toBe(want.adjusted);
        expect(Number(core.scratch(17))).toBe(img.frames);
        // The old stack is freed and poisoned with Go's 0xfc.
        expect(core.readWindow(img.lo, 16)).toEqual(new Uint8Array(16).fill(0xfc));
        moved++;
        adjustedTotal += want.adjusted;
      },
    ), { numRuns: runs, seed: 69085 });
    expect(moved).toBeGreaterThan(runs * 0.6);
    expect(adjustedTotal).toBeGreaterThan(runs);
  });

  it('refuses to move a stack while syscallsp != 0 (S20 a)', async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    core.mapWindow(0n, 64 << 20);
    const rand = rng(7);
    const funcs = randomFuncs(rand, 3, 8, 0.3);
    const img = buildStackImage(rand, OLD_LO, 4096, funcs, 0.3);
    const nFuncs = core.writeFuncs(funcs);
    core.writeWindow(img.lo, img.bytes);
    [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, 8192, img.sp, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
    expect(core.exports.testCopystack()).toBe(0);
    expect(core.scratch(14)).toBe(2n); // crash
    expect(core.scratch(15)).toBe(10n); // stack growth not allowed in system call
  });

  it('throws "invalid pointer found on stack" for a pointer word holding 0 < p < 4096', async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    core.mapWindow(0n, 64 << 20);
    const funcs = new Map([[16, { frameSize: 24, ptr: [true, false] }]]);
    const img = buildStackImage(rng(3), OLD_LO, 4096, funcs, 0.2);
    new DataView(img.bytes.buffer).setBigUint64(Number(img.sp - img.lo), 0x42n, true);
    const nFuncs = core.writeFuncs(funcs);
    core.writeWindow(img.lo, img.bytes);
    [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, 8192, 0, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
    expect(core.exports.testCopystack()).toBe(0);
    expect(core.scratch(15)).toBe(11n);
    // With GODEBUG=invalidptr=0 the same stack moves.
    core.writeWindow(img.lo, img.bytes);
    core.setScratch(8, 0n);
    expect(core.exports.testCopystack()).toBe(1);
  });
});
