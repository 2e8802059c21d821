// The binary run entry (Simulator.prepare): the same runs as run(), with lazy results. Every field
// it reads straight from the core must agree with the RunResult that run() builds, for every
// bundled scenario on every profile, across seeds, flags and pins; a LazyRun stays right after
// later runs (it replays itself).

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import { OP_SIZE } from '../src/core/abi.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { OptionsError, ScenarioError } from '../src/api/errors.js';
import { SCENARIOS, scenario, simulator } from './helpers.js';
import type { PinStep, RunResult } from '../src/api/types.js';

function lazyAgrees(lazy: { verdict: string; traceHash: string; stepsUsed: number; counters(): object; stopReason: number }, full: RunResult): void {
  expect(lazy.verdict).toBe(full.verdict);
  expect(lazy.traceHash).toBe(full.traceHash);
  expect(lazy.stepsUsed).toBe(full.stepsUsed);
  expect(lazy.counters()).toEqual(full.counters);
}

describe('prepare(): the binary run entry', () => {
  it('gives run()\'s result for every bundled scenario on every profile', async () => {
    const sim = await simulator();
    for (const [file, sc] of Object.entries(SCENARIOS)) {
      const prepared = sim.prepare(sc);
      for (const profile of PROFILE_NAMES) {
        const expected = sim.run(sc, { profile, events: true, state: true });
        const lazy = prepared.run({ profile, events: true });
        lazyAgrees(lazy, expected);
        expect(lazy.result({ events: true, state: true }), `${file} ${profile}`).toEqual(expected);
        const sig = lazy.signature();
        expect(sig.verdict).toBe(expected.verdict);
        if (expected.verdict === 'ok') {
          expect(sig.site).toBe('');
        } else {
          expect(sig.site, `${file} ${profile}`).toBe(expected.stepPath);
          expect(sig.opKind).toMatch(/^[a-zA-Z]+$/);
          if (expected.verdict !== 'invalid') expect(sig.crashKind).toBeGreaterThan(0);
        }
      }
    }
  }, 300_000); // every bundled scenario, scenarios/go-tests included: minutes on a loaded machine

  it('varies the seed, strategy, flags and budget per run', async () => {
    const sim = await simulator();
    const sc = scenario('s08-seeded-scheduler-47441.json');
    const prepared = sim.prepare(JSON.stringify(sc));
    const verdicts = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      for (const strategy of ['random', 'pct'] as const) {
        const lazy = prepared.run({ profile: 'go1.17rc1', seed, strategy });
        lazyAgrees(lazy, sim.run(sc, { profile: 'go1.17rc1', seed, strategy }));
        verdicts.add(lazy.verdict);
      }
    }
    // The seeded choice of M decides the verdict on go1.17rc1: both happen.
    expect([...verdicts].sort()).toEqual(['crash', 'ok']);
    const flags = { M_CHANGED_CHECK: false };
    lazyAgrees(prepared.run({ profile: 'go1.17rc1', seed: 3, flags }), sim.run(sc, { profile: 'go1.17rc1', seed: 3, flags }));
    const diag = sim.prepare(scenario('nested-fiber-crash-stack-diag.json'));
    expect(diag.run({ crashStack: true }).result()).toEqual(sim.run(scenario('nested-fiber-crash-stack-diag.json'), { crashStack: true }));
    const short = prepared.run({ budget: 2 });
    expect(short.verdict).toBe('invalid');
    expect(short.result().error?.code).toBe('BUDGET_EXHAUSTED');
  });

  it('runs pins as the scenario with those "at" steps first', async () => {
    const sim = await simulator();
    const sc = scenario('s08-c-created-thread.json');
    sc.steps = sc.steps.filter((s) => s.op !== 'at');
    const prepared = sim.prepare(sc);
    const pin: PinStep = { op: 'at', point: 'cgocallbackg1.after-fn', steps: [{ op: 'preempt', resumeOn: 'M2' } as never] };
    const pinned = prepared.run({ pins: [pin], events: true });
    const expected = sim.run(prepared.withPins([pin]), { events: true });
    expect(pinned.result({ events: true })).toEqual(expected);
    expect(pinned.counter('preemptions')).toBe(1);
    expect(prepared.run().counter('preemptions')).toBe(0);
    expect(() => prepared.run({ pins: [{ op: 'at', point: 'no.such.point', steps: [] }] })).toThrow(/pins\[0\]\.point/);
    expect(() => prepared.run({ pins: [{ op: 'gc' } as never] })).toThrow(OptionsError);
  });

  it('a LazyRun replays itself once later runs have overwritten memory', async () => {
    const sim = await simulator();
    const a = sim.prepare(scenario('s11-stale-syscallbp-tracer-69085.json'));
    const b = sim.prepare(scenario('s05-main-thread-callbacks-68587.json'));
    const first = a.run({ profile: 'go1.23.0' });
    const other = b.run();
    sim.run(scenario('s01-stack-switch-callback-62440.json'));
    expect(first.result({ events: true, state: true })).toEqual(sim.run(scenario('s11-stale-syscallbp-tracer-69085.json'), { profile: 'go1.23.0', events: true, state: true }));
    expect(first.operand(0)).toBe(first.signature().operands[0]);
    expect(other.counters()).toEqual(sim.run(scenario('s05-main-thread-callbacks-68587.json')).counters);
  });

  it('reports bad specs and scenarios clearly, and a trap as an invalid run', async () => {
    const sim = await simulator();
    const prepared = sim.prepare(scenario('s05-main-thread-callbacks-68587.json'));
    expect(() => prepared.run({ seed: -1 })).toThrow(/"seed" must be an integer/);
    expect(() => prepared.run({ profile: 'go1.5' })).toThrow(/"profile" must be a profile/);
    expect(() => prepared.run({ flags: { NOPE: true } as never })).toThrow(/"flags.NOPE" is not a flag/);
    expect(() => prepared.run({ sede: 1 } as never)).toThrow(/"sede" is not a run field/);
    expect(() => sim.prepare('{"format":1,"name":"x","steps":[{"op":"nope"}]}')).toThrow(ScenarioError);
    expect(() => sim.prepare('{')).toThrow(/malformed JSON/);
    const good = compileScenario(scenario('s05-main-thread-callbacks-68587.json'));
    const bad = { ...good, ops: good.ops.slice() };
    new DataView(bad.ops.buffer).setUint32(2 * OP_SIZE, 0xdead, true);
    const trapped = sim.prepare(bad).run();
    expect(trapped.verdict).toBe('invalid');
    expect(trapped.result().error?.code).toBe('WASM_TRAP');
    expect(trapped.signature().opKind).toBe('trap');
    expect(prepared.run().result()).toEqual(sim.run(good));
  });
});
