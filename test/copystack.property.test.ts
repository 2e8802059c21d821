// copystack in Wasm against the TypeScript reference (src/reference.ts), byte for byte, on random
// stacks: random functions and stack maps, random frames, pointer and scalar words holding stack,
// heap and C addresses; growth and shrink sizes. Every pointer slot (and saved BP) whose value was
// in the old stack moves by exactly delta; every other byte is unchanged.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCoreForTests } from '../src/core/instance.js';
import { buildStackImage, frameSPs, randomFuncs, refCopystack, refFuncPc, rng } from './reference/reference.js';
import * as abi from '../src/core/abi.js';
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

  // The walk's ways of ending the run: an invalid pointer word (0 < p < 4096) or a return PC of no
  // function (off the PC stride, past the last function, or one whose frame would run past the
  // stack's top), at a random frame. The new stack must be left exactly as the runtime's walk,
  // frame by frame and word by word, leaves it when it stops there, with the same operands.
  it(`stops at an invalid pointer or an unknown PC exactly where the reference does (${runs / 10} stacks)`, async () => {
    const core = await createCoreForTests(await wasmBytes(build));
    core.mapWindow(0n, 64 << 20);
    const seen = new Map<string, number>();
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 11, max: 13 }),
      fc.constantFrom('invalid-pointer', 'off-stride', 'past-last', 'overrun', 'invalid-and-pc'),
      fc.double({ min: 0, max: 0.999, noNaN: true }), fc.double({ min: 0.1, max: 0.6, noNaN: true }),
      (seed, log2, mode, where, density) => {
        const rand = rng(seed);
        const size = 1 << log2;
        const funcs = randomFuncs(rand, 1 + Math.floor(rand() * 12), rand() < 0.25 ? 150 : 40, density);
        const img = buildStackImage(rand, OLD_LO, size, funcs, 0.9);
        const frames = frameSPs(img, funcs);
        if (frames.length === 0) return;
        const dv = new DataView(img.bytes.buffer);
        const put = (addr: bigint, v: bigint) => dv.setBigUint64(Number(addr - img.lo), v, true);
        const frameAt = (x: number) => frames[Math.min(frames.length - 1, Math.floor(x * frames.length))]!;
        const breakPointer = (x: number): boolean => {
          const fr = frameAt(x);
          const ptrs = funcs.get(fr.k)!.ptr.flatMap((p, i) => (p ? [i] : []));
          if (ptrs.length === 0) return false;
          put(fr.sp + BigInt(ptrs[Math.floor(rand() * ptrs.length)]! * 8), BigInt(1 + Math.floor(rand() * 4095)));
          return true;
        };
        const breakPc = (x: number, pc: bigint) => {
          const fr = frameAt(x);
          put(fr.sp + BigInt(funcs.get(fr.k)!.frameSize), pc);
        };
        const nFuncs = core.writeFuncs(funcs);
        if (mode === 'invalid-pointer') {
          if (!breakPointer(where)) return;
        } else if (mode === 'off-stride') {
          breakPc(where, refFuncPc(16) + 8n);
        } else if (mode === 'past-last') {
          breakPc(where, refFuncPc(nFuncs + Math.floor(rand() * 3)));
        } else if (mode === 'overrun') {
          // The outermost frame returns into a function whose frame would not fit below stack.hi.
          const big = [...funcs.entries()].find(([, f]) => f.frameSize > 24);
          if (big === undefined) return;
          breakPc(0.9999, refFuncPc(big[0]));
        } else {
          // Both: the earlier one in the walk's order must win.
          if (!breakPointer(where)) return;
          breakPc(rand(), refFuncPc(16) + 1n);
        }
        core.writeWindow(img.lo, img.bytes);
        const newSize = size * 2;
        [nFuncs, img.lo, img.hi, img.sp, img.bp, img.pc, newSize, 0, 1].forEach((v, i) => core.setScratch(i, BigInt(v)));
        const ok = core.exports.testCopystack();
        const newHi = core.scratch(13);
        const want = refCopystack(img, newHi, funcs, true);
        const used = Number(img.hi - img.sp);
        expect(ok).toBe(want.stop === undefined ? 1 : 0);
        const got = core.readWindow(newHi - BigInt(used), used);
        expect(firstDifference(got, want.used), 'first differing byte offset from the new SP').toBe(-1);
        if (want.stop === undefined) return;
        const result = core.readResult();
        if (want.stop.kind === 'invalid-pointer') {
          expect(result.crashKind).toBe(abi.CRASH_INVALID_POINTER);
          expect(result.operands.slice(0, 3)).toEqual([BigInt(want.stop.k), want.stop.slot, want.stop.value]);
        } else {
          expect(result.crashKind).toBe(abi.CRASH_UNKNOWN_PC);
          expect(result.operands.slice(0, 2)).toEqual([want.stop.pc, want.stop.sp]);
        }
        seen.set(want.stop.kind, (seen.get(want.stop.kind) ?? 0) + 1);
      },
    ), { numRuns: runs / 10, seed: 4242 });
    // Both ways of stopping were exercised, each many times.
    expect(seen.get('invalid-pointer') ?? 0).toBeGreaterThan(runs / 100);
    expect(seen.get('unknown-pc') ?? 0).toBeGreaterThan(runs / 100);
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
