// The explorer's host API (explore, shrink, diff) and its generator, in Node and in Chromium.

import { describe, expect, it } from 'vitest';
import { compileScenario, checkExpectation, expectationFor } from '../src/api/index.js';
import { diff, explore, generate, shrink, countSteps } from '../src/explore/index.js';
import { judge } from '../src/explore/campaign.js';
import { sideOf } from '../src/explore/runner.js';
import { maskText } from '../src/explore/signature.js';
import type { Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';

describe('generator', () => {
  it('makes the same scenario from the same seed, and different ones from different seeds', () => {
    expect(generate(42).scenario).toEqual(generate(42).scenario);
    expect(JSON.stringify(generate(42).scenario)).not.toBe(JSON.stringify(generate(43).scenario));
  });

  it('makes only valid scenarios: 400 seeds compile and none is judged invalid on three profiles', async () => {
    const sim = await simulator();
    const bad: string[] = [];
    const ops = new Set<string>();
    for (let seed = 0; seed < 400; seed++) {
      const { scenario: s } = generate(seed);
      compileScenario(s);
      JSON.stringify(s.steps).replace(/"op":"(\w+)"/g, (_, op: string) => { ops.add(op); return ''; });
      for (const p of ['go1.17rc1', 'go1.22.0', 'tip']) {
        const v = judge(sim, s, [sideOf(p)]);
        if (v.invalid) bad.push(`seed ${seed}: ${v.invalid}`);
      }
    }
    expect(bad).toEqual([]);
    // Swarm over every feature the issue lists: these ops all appear somewhere in 400 seeds.
    for (const op of ['thread', 'malloc', 'free', 'switch', 'callback', 'signal', 'exit', 'go', 'resume', 'gc', 'preempt', 'at',
      'traceStart', 'traceAdvance', 'traceStop', 'repeat', 'systemstack', 'call', 'grow', 'cgocall', 'park', 'gosched',
      'lockOSThread', 'unlockOSThread', 'readMemStats', 'stack', 'block']) {
      expect(ops, op).toContain(op);
    }
  });

  it('pct places exactly depth - 1 pins', () => {
    for (let seed = 0; seed < 20; seed++) {
      const s = generate(seed, { pins: 2 }).scenario;
      expect((s.steps as { op: string }[]).filter((x) => x.op === 'at')).toHaveLength(2);
    }
  });
});

describe('signatures', () => {
  it('mask addresses and numbers', () => {
    expect(maskText('read at 0x2010628, inside the freed stack [0x2010000, 0x2010800) of goroutine 7'))
      .toBe('read at 0x_, inside the freed stack [0x_, 0x_) of goroutine N');
  });

  it('are equal for the same failure at other addresses', async () => {
    const sim = await simulator();
    const a = scenario('s01-stack-switch-callback-62440.json');
    const b = JSON.parse(JSON.stringify(a).replaceAll('0x0050', '0x0060')) as Scenario;
    const sa = judge(sim, a, [sideOf('go1.21.0')]).signature;
    expect(sa).toBe('crash|morestack-g0|callback|morestack on g0');
    expect(judge(sim, b, [sideOf('go1.21.0')]).signature).toBe(sa);
  });
});

describe('shrink()', () => {
  it('shrinks S01 on go1.21.0 to the switch that matters, keeping the signature, with expect filled', async () => {
    const sim = await simulator();
    const r = shrink(sim, scenario('s01-stack-switch-callback-62440.json'), { profile: 'go1.21.0' });
    expect(r.originalSteps).toBe(19);
    expect(r.shrunkSteps).toBeLessThanOrEqual(4);
    expect((r.scenario.steps as { op: string }[]).map((s) => s.op)).toEqual(['thread', 'malloc', 'switch', 'callback']);
    expect(judge(sim, r.scenario, [sideOf('go1.21.0')]).signature).toBe(r.signature);
    const replay = sim.run(r.scenario, { profile: 'go1.21.0' });
    expect(checkExpectation(replay, expectationFor(r.scenario.expect, 'go1.21.0')!)).toEqual([]);
  });

  it('keeps both sides of a difference', async () => {
    const sim = await simulator();
    const r = shrink(sim, scenario('s03-partial-overlap-g1-62440.json'), { profile: 'go1.22.0', diff: 'go1.22.5' });
    expect(r.signature).toBe('go1.22.0: crash|morestack-g0|callback|morestack on g0 <> go1.22.5: ok');
    expect(r.shrunkSteps).toBeLessThan(r.originalSteps);
    expect(r.scenario.expect).toEqual({ 'go1.22.0': { verdict: 'crash', fatal: 'morestack on g0', crash: 'morestack-g0' }, 'go1.22.5': 'ok' });
  });

  it('refuses a scenario that does not fail', async () => {
    const sim = await simulator();
    expect(() => shrink(sim, scenario('s01-stack-switch-callback-62440.json'), { profile: 'tip' })).toThrow(/does not fail under tip/);
  });
});

describe('diff()', () => {
  it('finds where go1.22.0 and go1.22.5 part ways on S03 G1: V1 keeps in-bounds bounds, V2 asks again', async () => {
    const sim = await simulator();
    const d = diff(sim, scenario('s03-partial-overlap-g1-62440.json'), { profiles: ['go1.22.0', 'go1.22.5'] });
    expect(d.same).toBe(false);
    expect(d.sides[0].event?.step).toBe('steps[1]');
    expect(d.sides[0].event?.text).toMatch(/g0 bounds kept \[0x800000, 0x880000\]/);
    expect(d.sides[1].event?.text).toMatch(/_cgo_getstackbound/);
    expect(d.sides[0].sp).toMatch(/cgocallback sp=0x87fe00/);
    expect(d.before.at(-1)?.text).toMatch(/cgocallback sp=0x87fe00/);
    expect(d.sides[0].verdict).toBe('crash');
    expect(d.sides[1].verdict).toBe('ok');
  });

  it('a flag override as the second side: go1.22.0 with CB_UPDATE_V2 parts ways at the same event', async () => {
    const sim = await simulator();
    const d = diff(sim, scenario('s03-partial-overlap-g1-62440.json'), { profiles: ['go1.22.0', 'go1.22.0'], flags: { CB_UPDATE_V1: false, CB_UPDATE_V2: true } });
    expect(d.same).toBe(false);
    expect(d.sides[1].label).toBe('go1.22.0+CB_UPDATE_V1=off+CB_UPDATE_V2=on');
    expect(d.sides[1].verdict).toBe('ok');
  });

  it('reports the same run as the same', async () => {
    const sim = await simulator();
    expect(diff(sim, scenario('s01-stack-switch-callback-62440.json'), { profiles: ['go1.22.5', 'go1.23.0'] }).same).toBe(true);
  });
});

describe('explore()', () => {
  it('random: runs exactly the runs asked for, and every finding replays to its signature', async () => {
    const sim = await simulator();
    const r = explore(sim, { profile: 'go1.21.0', seed: 5, runs: 300 });
    expect(r.summary.runs).toBe(300);
    expect(r.invalid).toEqual([]);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      expect(judge(sim, f.scenario, [sideOf('go1.21.0')]).signature).toBe(f.signature);
      expect(f.shrunkSteps).toBe(countSteps(f.scenario.steps));
      expect(f.shrunkSteps).toBeLessThanOrEqual(f.originalSteps);
    }
  });

  it('exhaustive: S08 without its pin, on go1.17rc1, finds the wrong-M return and reports coverage', async () => {
    const sim = await simulator();
    const s = scenario('s08-traceback-context-preemption-47441.json');
    s.steps = s.steps.filter((x) => x.op !== 'at');
    delete s.expect;
    const r = explore(sim, { profile: 'go1.17rc1', strategy: 'exhaustive', scenario: s, bound: 1 });
    expect(r.findings.map((f) => f.crash)).toContain('sigsegv');
    expect(r.summary.pointsPossible).toBe(12);
    expect(r.summary.pointsReached).toBeGreaterThan(3);
    expect(r.summary.reached).toContain('cgocallbackg1.defer-ctxt-pop');
  });

  it('rejects bad options with the option named', async () => {
    const sim = await simulator();
    expect(() => explore(sim, { profile: 'go9' })).toThrow(/"profile" must be a profile/);
    expect(() => explore(sim, { profile: 'go1.22.0', diff: 'go1.22.0' })).toThrow(/nothing could differ/);
    expect(() => explore(sim, { profile: 'go1.22.0', strategy: 'exhaustive' })).toThrow(/"scenario" is required/);
  });
});
