// The fused handlers against the reference interpreter: the same scenario, profile and seed must
// give the same result (verdict, text, counters, steps, trace hash, events and final records)
// with the fused handlers on (the default) and off (SimulatorOptions.interpreterOnly), for every
// bundled scenario on every profile and for generated ones (fast-check), including runs cut short
// by the budget in the middle of a fused callback. The round-trip loop (assembly/roundtrip.ts) gets
// its own generator, which varies everything its plan looks at, and the explorer's generator adds
// scenarios nobody wrote with the fast path in mind.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSimulatorFrom } from '../src/core/instance.js';
import * as abi from '../src/core/abi.js';
import { FLAG_NAMES, PLATFORMS, PROFILE_NAMES, type FlagName } from '../src/model/profiles.js';
import { generate } from '../src/explore/generate.js';
import { SCENARIOS, wasmBytes } from './helpers.js';
import type { GoStep, Scenario, Simulator, TimelineStep } from '../src/api/types.js';

async function pair(): Promise<{ fast: Simulator; ref: Simulator }> {
  const wasm = await wasmBytes('release');
  return { fast: await createSimulatorFrom(wasm), ref: await createSimulatorFrom(wasm, { interpreterOnly: true }) };
}

// `call` steps: frames small and large (some need the stack to grow, some do not), depths 0-4,
// pointer slots (plain and with values), and bodies of systemstack, calls and Go→C→Go round trips.
const frameSize = fc.constantFrom(16, 64, 120, 136, 256, 1024, 4000, 4096, 9000);
const callOf = (fn: fc.Arbitrary<GoStep[]>): fc.Arbitrary<GoStep> => fc.record({
  frame: frameSize,
  depth: fc.integer({ min: 0, max: 4 }),
  ptrs: fc.constantFrom<'none' | 'plain' | 'value'>('none', 'plain', 'value'),
  fn,
}).map(({ frame, depth, ptrs, fn: body }): GoStep => ({
  op: 'call', frame, depth, fn: body,
  ...(ptrs === 'none' || frame < 32 ? {} : { ptrs: ptrs === 'plain' ? [0, 8] : [0, { at: 8, value: '0xc000010000' }] }),
} as GoStep));
const goCGoOf = (fn: fc.Arbitrary<GoStep[]>): fc.Arbitrary<GoStep> => fc.array(fn, { minLength: 1, maxLength: 2 })
  .map((bodies): GoStep => ({ op: 'cgocall', fn: bodies.map((b) => ({ op: 'callback', fn: b })) } as GoStep));
const { nested } = fc.letrec<{ nested: GoStep[]; nestedStep: GoStep }>((tie) => ({
  nestedStep: fc.oneof(
    { depthSize: 'small', maxDepth: 3, depthIdentifier: 'goBody' },
    { weight: 4, arbitrary: fc.constant<GoStep>({ op: 'systemstack' }) },
    { weight: 2, arbitrary: callOf(tie('nested')) },
    { weight: 1, arbitrary: goCGoOf(tie('nested')) },
  ),
  nested: fc.array(tie('nestedStep'), { maxLength: 3, depthIdentifier: 'goBody' }),
}));
const goStep: fc.Arbitrary<GoStep> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<GoStep>({ op: 'systemstack' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'lockOSThread' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'unlockOSThread' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'gc' }) },
  { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'systemstack' }] }] }) },
  { weight: 3, arbitrary: callOf(nested) },
  { weight: 2, arbitrary: goCGoOf(nested) },
);
const body = fc.array(goStep, { maxLength: 4 });
const thread = fc.constantFrom('T1', 'T2');
const callback = fc.record({ thread, fn: body }).map(({ thread: t, fn }): TimelineStep => ({ op: 'callback', thread: t, fn }));
const step: fc.Arbitrary<TimelineStep> = fc.oneof(
  { weight: 3, arbitrary: callback },
  { weight: 3, arbitrary: fc.record({ count: fc.integer({ min: 1, max: 6 }), steps: fc.array(callback, { minLength: 1, maxLength: 2 }) }).map(({ count, steps }): TimelineStep => ({ op: 'repeat', count, steps })) },
  { weight: 1, arbitrary: fc.constant<TimelineStep>({ op: 'gc' }) },
  { weight: 1, arbitrary: fc.constantFrom<TimelineStep>(
    { op: 'at', point: 'goroutine.prologue', steps: [{ op: 'gc' }] },
    { op: 'at', point: 'cgocallbackg.entry', steps: [{ op: 'traceAdvance' }] },
    { op: 'at', point: 'cgocallbackg1.after-fn', steps: [{ op: 'gc' }] },
  ) },
);
const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 6 }),
  traced: fc.boolean(),
  tracebackContext: fc.boolean(),
}).map(({ steps, traced, tracebackContext }) => ({
  format: 1, name: 'generated', tracebackContext,
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
    { op: 'thread', id: 'T2', stack: ['0x900000', '0x980000'] },
    ...(traced ? [{ op: 'traceStart' } as TimelineStep] : []),
    ...steps,
  ],
}));

// Scenarios for the round-trip loop: a `repeat` of one callback, on threads that may be the main
// thread, with SPs anywhere on (or near the bottom of) the thread stack, bodies that are covered or
// not, on every platform, with g0 check depths that pass or fail, flag mutations of the callback
// path, a traceback context, `at` hooks, GCs and goroutines in between, and budgets that run out.
const T1: [number, number] = [0x800000, 0x880000];
const T2: [number, number] = [0x900000, 0x940000];
const hex = (n: number) => `0x${n.toString(16)}`;
const spIn = ([lo, hi]: [number, number]) => fc.integer({ min: 0, max: (hi - lo) / 16 - 1 }).map((i) => hex(lo + 16 * i));
const { smallCall, smallBody } = fc.letrec<{ smallCall: GoStep; smallBody: GoStep[] }>((tie) => ({
  smallCall: fc.record({
    frame: fc.constantFrom(16, 64, 120, 136, 256), depth: fc.integer({ min: 0, max: 3 }), ptrs: fc.boolean(), fn: tie('smallBody'),
  }).map(({ frame, depth, ptrs, fn }): GoStep => ({ op: 'call', frame, depth, fn, ...(ptrs && frame >= 32 ? { ptrs: [8, { at: 0, value: '0x1234000' }] } : {}) } as GoStep)),
  smallBody: fc.array(fc.oneof(
    { depthSize: 'small', maxDepth: 3, depthIdentifier: 'small' },
    fc.constant<GoStep>({ op: 'systemstack' }), tie('smallCall'),
  ), { maxLength: 2, depthIdentifier: 'small' }),
}));
const rtBody = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.constant<GoStep>({ op: 'systemstack' }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant<GoStep[]>([{ op: 'systemstack' }, { op: 'lockOSThread' }]) },
  { weight: 1, arbitrary: fc.constant<GoStep[]>([{ op: 'call', frame: 64, depth: 2, fn: [{ op: 'systemstack' }] } as GoStep]) },
  // Call bodies for the loop's program: small frames that fit the goroutine stack (nested calls,
  // depth 0 included), and any frames, some of which need it to grow.
  { weight: 6, arbitrary: fc.array(fc.oneof(fc.constant<GoStep>({ op: 'systemstack' }), smallCall), { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constant<GoStep>({ op: 'systemstack' }), callOf(nested)), { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.array(goCGoOf(nested), { minLength: 1, maxLength: 2 }) },
  // Go→C→Go bodies for the loop: nested callbacks (their SP_cb given or not) with small bodies.
  { weight: 4, arbitrary: fc.array(fc.oneof(
    { weight: 1, arbitrary: fc.constant<GoStep>({ op: 'systemstack' }) },
    { weight: 1, arbitrary: smallCall },
    { weight: 3, arbitrary: fc.record({
      callbacks: fc.array(fc.record({
        sp: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(spIn(T1), spIn(T2)) }),
        fn: smallBody,
      }), { minLength: 1, maxLength: 2 }),
    }).map(({ callbacks }): GoStep => ({ op: 'cgocall', fn: callbacks.map(({ sp, fn }) => ({ op: 'callback', ...(sp === undefined ? {} : { sp }), fn })) } as GoStep)) },
  ), { minLength: 1, maxLength: 3 }) },
);
const rtCallback = fc.record({
  thread: fc.constantFrom('T1', 'T2'),
  sp: fc.option(fc.oneof(spIn(T1), spIn(T2)), { nil: undefined, freq: 3 }),
  fn: rtBody,
}).map(({ thread: t, sp, fn }): TimelineStep => ({ op: 'callback', thread: t, ...(sp === undefined ? {} : { sp }), fn }));
const rtStep: fc.Arbitrary<TimelineStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ count: fc.integer({ min: 1, max: 40 }), cb: rtCallback }).map(({ count, cb }): TimelineStep => ({ op: 'repeat', count, steps: [cb] })) },
  { weight: 2, arbitrary: rtCallback },
  { weight: 1, arbitrary: fc.constant<TimelineStep>({ op: 'gc' }) },
  { weight: 1, arbitrary: fc.constantFrom<TimelineStep>(
    { op: 'at', point: 'cgocallbackg.entry', steps: [{ op: 'gc' }] },
    { op: 'at', point: 'cgocallbackg1.after-fn', steps: [{ op: 'traceAdvance' }] },
  ) },
);
const CALLBACK_FLAGS = FLAG_NAMES.filter((n) => /UNLOCK|DEFER|CB_UPDATE|SAVE_RESTORE|STACKGUARD1|M_CHANGED|ISEXTRA|SYSCALLBP|BP_CHECK|M_CACHE|MUSL/.test(n));
const rtScenario: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(rtStep, { minLength: 1, maxLength: 5 }),
  main: fc.boolean(),
  platform: fc.option(fc.constantFrom(...PLATFORMS), { nil: undefined }),
  g0CheckDepth: fc.option(fc.constantFrom(0x100, 0x7000, 0x20000, 0x7e000), { nil: undefined }),
  tracebackContext: fc.boolean(),
  flags: fc.option(fc.dictionary(fc.constantFrom(...CALLBACK_FLAGS), fc.boolean(), { maxKeys: 2 }), { nil: undefined, freq: 2 }),
}).map(({ steps, main, platform, g0CheckDepth, tracebackContext, flags }) => ({
  format: 1, name: 'round trips', tracebackContext,
  ...(platform === undefined ? {} : { platform }),
  ...(g0CheckDepth === undefined ? {} : { g0CheckDepth }),
  ...(flags === undefined ? {} : { flags: flags as Partial<Record<FlagName, boolean>> }),
  steps: [
    { op: 'thread', id: 'T1', stack: [hex(T1[0]), hex(T1[1])], ...(main ? { main: true } : {}) },
    { op: 'thread', id: 'T2', stack: [hex(T2[0]), hex(T2[1])] },
    ...steps,
  ],
} as Scenario));

describe('fused handlers against the interpreter', () => {
  it('every bundled scenario on every profile: identical results, counters, hashes, events and state', async () => {
    const { fast, ref } = await pair();
    for (const [file, sc] of Object.entries(SCENARIOS)) {
      for (const profile of PROFILE_NAMES) {
        const opts = { profile, events: true, state: true };
        expect(fast.run(sc, opts), `${file} ${profile}`).toEqual(ref.run(sc, opts));
      }
    }
  }, 300_000); // every bundled scenario, scenarios/go-tests included: minutes on a loaded machine

  it('generated scenarios on random profiles, seeds and budgets: identical', async () => {
    const { fast, ref } = await pair();
    const core = (fast as unknown as { core: { exports: { fusedStat(w: number): number } } }).core;
    const calls = core.exports.fusedStat(2);
    const cgocalls = core.exports.fusedStat(3);
    fc.assert(fc.property(
      scenarioArb, fc.constantFrom(...PROFILE_NAMES), fc.integer({ min: 0, max: 1000 }), fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
      (sc, profile, seed, budget) => {
        const opts = { profile, seed, events: true, state: true, ...(budget === undefined ? {} : { budget }) };
        expect(fast.run(sc, opts)).toEqual(ref.run(sc, opts));
      },
    ), { numRuns: 300, seed: 9 });
    // The generator's call and Go→C→Go bodies reach the fused handlers.
    expect(core.exports.fusedStat(2) - calls).toBeGreaterThan(100);
    expect(core.exports.fusedStat(3) - cgocalls).toBeGreaterThan(50);
  });

  it('round trips: repeats of one callback on random profiles, platforms, SPs, flags and budgets: identical', async () => {
    const { fast, ref } = await pair();
    const core = (fast as unknown as { core: { exports: { roundTripCount(): number; fusedStat(w: number): number } } }).core;
    const before = core.exports.roundTripCount();
    const callsBefore = core.exports.fusedStat(2);
    const loopCallsBefore = core.exports.fusedStat(4);
    const loopCgocallsBefore = core.exports.fusedStat(5);
    let valid = 0;
    fc.assert(fc.property(
      rtScenario, fc.constantFrom(...PROFILE_NAMES), fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined, freq: 3 }),
      (sc, profile, budget) => {
        const opts = { profile, events: true, state: true, ...(budget === undefined ? {} : { budget }) };
        const a = fast.run(sc, opts);
        if (a.error?.code !== 'SCENARIO_INVALID') valid++;
        expect(a).toEqual(ref.run(sc, opts));
      },
    ), { numRuns: 500, seed: 11 });
    // The generator is for the loop: most of its scenarios must really run round trips through it.
    expect(valid).toBeGreaterThan(375);
    expect(core.exports.roundTripCount() - before).toBeGreaterThan(1000);
    // Call bodies run in the loop too (its program), and in fusedCallback where the loop steps aside.
    expect(core.exports.fusedStat(2) - callsBefore).toBeGreaterThan(500);
    expect(core.exports.fusedStat(4) - loopCallsBefore).toBeGreaterThan(400);
    // And Go→C→Go bodies.
    expect(core.exports.fusedStat(5) - loopCgocallsBefore).toBeGreaterThan(200);
  });

  it('scenarios from the explorer\'s generator (600 seeds) on every profile in turn: identical', async () => {
    const { fast, ref } = await pair();
    for (let seed = 1; seed <= 600; seed++) {
      const { scenario } = generate(seed);
      const profile = PROFILE_NAMES[seed % PROFILE_NAMES.length]!;
      const opts = { profile, seed, events: true, state: true };
      expect(fast.run(scenario, opts), `seed ${seed} ${profile}`).toEqual(ref.run(scenario, opts));
    }
  });

  it('the physical model: the fused handlers step aside and the results equal the interpreter\'s', async () => {
    // The round-trip loop and the fused systemstack callback spend no entry or g0 frames, so a
    // physical run must take the interpreter all the way; the same scenarios, physical, must give
    // the interpreter's results (and runs without physical still use the loop).
    const { fast, ref } = await pair();
    const core = (fast as unknown as { core: { exports: { roundTripCount(): number; fusedCount(): number } } }).core;
    let physicalRuns = 0;
    fc.assert(fc.property(
      rtScenario, fc.constantFrom(...PROFILE_NAMES), fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined, freq: 3 }),
      (sc, profile, budget) => {
        const opts = { profile, events: true, state: true, physical: true, ...(budget === undefined ? {} : { budget }) };
        const rt = core.exports.roundTripCount();
        const fused = core.exports.fusedCount();
        const a = fast.run(sc, opts);
        expect(core.exports.roundTripCount()).toBe(rt);
        expect(core.exports.fusedCount()).toBe(fused);
        if (a.physical) physicalRuns++;
        expect(a).toEqual(ref.run(sc, opts));
      },
    ), { numRuns: 200, seed: 13 });
    expect(physicalRuns).toBeGreaterThan(150);
    const plain = core.exports.roundTripCount();
    fast.run({ format: 1, name: 'loop', steps: [
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      { op: 'repeat', count: 20, steps: [{ op: 'callback', thread: 'T1', fn: [] }] },
    ] });
    expect(core.exports.roundTripCount() - plain).toBeGreaterThan(0);
  });

  it('the fused handler really runs (and never with interpreterOnly)', async () => {
    const wasm = await wasmBytes('release');
    // The first callback binds the extra M (needm, pthread key); the repeat's are round trips whose
    // body frames land where no earlier callback wrote.
    const loop = (fn: GoStep[]): Scenario => ({
      format: 1, name: 'bound callbacks',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'repeat', count: 50, steps: [{ op: 'callback', thread: 'T1', fn }] },
      ],
    });
    // [body, callbacks the fused handlers complete, call ops they run, cgocalls they run, of those
    // in the round-trip loop]
    const shapes: [GoStep[], number, number, number, number][] = [
      [[{ op: 'systemstack' }], 51, 0, 0, 0],
      // The bench's call body.
      [[{ op: 'call', frame: 64, depth: 2 } as GoStep], 51, 50, 0, 0],
      [[{ op: 'call', frame: 256, depth: 3, ptrs: [0, 8], fn: [{ op: 'systemstack' }, { op: 'call', frame: 64, depth: 1 } as GoStep] } as GoStep], 51, 100, 0, 0],
      // Frames that need the stack to grow: the loop steps aside, fusedCallback runs the growth.
      [[{ op: 'call', frame: 4096, depth: 2 } as GoStep], 51, 50, 0, 0],
      // Go→C→Go (the bench's body), and with a call inside the nested callback.
      [[{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'systemstack' }] }] } as GoStep], 51, 0, 50, 50],
      [[{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'call', frame: 64, depth: 2 } as GoStep] }] } as GoStep], 51, 50, 50, 50],
      // A cgocall inside a nested callback: fusedCallback's (the loop covers one level).
      [[{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'cgocall', fn: [{ op: 'callback', fn: [] }] } as GoStep] }] } as GoStep], 51, 0, 100, 0],
    ];
    for (const [fn, callbacks, calls, cgocalls, loopCgocalls] of shapes) {
      const stacks: Uint8Array[][] = [];
      const results: unknown[] = [];
      for (const interpreterOnly of [false, true]) {
        const sim = await createSimulatorFrom(wasm, { interpreterOnly });
        const core = (sim as unknown as { core: { exports: { memory: WebAssembly.Memory; windowOffset(): number; fusedCount(): number; fusedStat(w: number): number } } }).core;
        const stat = () => [core.exports.fusedCount(), core.exports.fusedStat(2), core.exports.fusedStat(3), core.exports.fusedStat(5)];
        const before = stat();
        const r = sim.run(loop(fn), { state: true, events: true });
        results.push(r);
        expect(r.verdict, JSON.stringify(fn)).toBe('ok');
        expect(r.counters.callbacks).toBe(1 + 50 + cgocalls);
        const after = stat();
        expect(after.map((v, i) => v - before[i]!), JSON.stringify(fn)).toEqual(interpreterOnly ? [0, 0, 0, 0] : [callbacks, calls, cgocalls, loopCgocalls]);
        // The bytes of every goroutine and thread stack (where the frames and saved words go).
        const buf = core.exports.memory.buffer;
        const base = new DataView(buf).getBigUint64(abi.CONFIG_LOCATION + abi.CFG_WINDOW_BASE, true);
        const ranges = [...r.state!.goroutines.map((g) => g.stack), ...r.state!.threads.map((t) => t.stack)];
        stacks.push(ranges.filter(([lo]) => BigInt(lo) !== 0n).map(([lo, hi]) => {
          const at = core.exports.windowOffset() + Number(BigInt(lo) - base);
          return new Uint8Array(buf.slice(at, at + Number(BigInt(hi) - BigInt(lo))));
        }));
      }
      // Every store the interpreter makes to simulated memory (frames, saved words) the fused
      // handlers make too: the stacks hold the same bytes afterwards.
      expect(results[0], JSON.stringify(fn)).toEqual(results[1]);
      expect(stacks[0]!.length).toBeGreaterThan(0);
      expect(stacks[0]!.map((b) => b.length)).toEqual(stacks[1]!.map((b) => b.length));
      stacks[0]!.forEach((a, i) => {
        const b = stacks[1]![i]!;
        const at = a.findIndex((v, j) => v !== b[j]);
        expect(at, `${JSON.stringify(fn)}: stack ${i} differs at byte ${at}`).toBe(-1);
      });
    }
  });
});
