// #62440 (seeds 000 and 001): stale system-stack bounds after a C thread switches stacks.
// S01 (TestStackSwitchCallback) and S03 (partial overlap) from regression-scenarios.md, and the
// S20 smoke rows about bounds (b, c, d).

import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';

const S01 = 's01-stack-switch-callback-62440.json';
const G1 = 's03-partial-overlap-g1-62440.json';
const G4 = 's03-partial-overlap-g4-62440.json';

/** The scenario cut after step `last` (so the final state shows the bounds at that point). */
function upTo(file: string, last: number): Scenario {
  const s = scenario(file);
  s.steps = s.steps.slice(0, last + 1);
  delete s.expect;
  return s;
}

function extraM1(r: { state?: { ms: { id: number; g0: { lo: string; hi: string; stackguard0: string; stackguard1: string } }[] } }) {
  const m = r.state?.ms.find((x) => x.id === 1);
  if (!m) throw new Error('no M1 in the state snapshot');
  return m;
}

describe('S01 StackSwitchCallback', () => {
  it('go1.21.0 keeps the first call\'s pthread bounds and dies at the first coroutine callback, old format', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S01), { profile: 'go1.21.0' });
    expect(r.verdict).toBe('crash');
    expect(r.fatal).toBe('morestack on g0');
    expect(r.exitCode).toBe(2);
    expect(r.step).toBe(5);
    expect(r.stepPath).toBe('steps[5]');
    expect(r.output).toMatch(/^fatal: morestack on g0\nSIGTRAP: trace trap\nPC=0x[0-9a-f]+ m=1 sigcode=128\n/);
    expect(r.counters.getstackbound).toBe(1);
  });

  it('real release names resolve to their profile (go1.21.3 behaves as go1.21.0)', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S01), { profile: 'go1.21.3' });
    expect(r.profile).toBe('go1.21.0');
    expect(r.fatal).toBe('morestack on g0');
  });

  it.each([
    ['go1.21.7', '0x527e00', '0x530200'],
    ['go1.22.0', '0x527e00', '0x530200'],
    ['go1.22.5', '0x527e00', '0x530200'],
    ['go1.23.1', '0x527e00', '0x530200'],
    ['tip', '0x800000', '0x880000'],
  ])('%s: g0 bounds after the stack2 callback are [%s, %s]', async (profile, lo, hi) => {
    const sim = await simulator();
    const r = sim.run(upTo(S01, 8), { profile, state: true });
    expect(r.verdict).toBe('ok');
    expect(extraM1(r).g0.lo).toBe(lo);
    expect(extraM1(r).g0.hi).toBe(hi);
  });

  it('the coroutine callbacks get dummy bounds [sp-0x8000, sp+0x400] on V1', async () => {
    const sim = await simulator();
    const r = sim.run(upTo(S01, 8), { profile: 'go1.22.0', events: true });
    const bounds = r.events!.filter((e) => e.kind === 'bounds').map((e) => e.text);
    expect(bounds).toEqual(['g0 bounds := [0x800000, 0x880000]', 'g0 bounds := [0x507e00, 0x510200]', 'g0 bounds := [0x527e00, 0x530200]']);
  });
});

describe('S03 partial overlap', () => {
  it('G1 on go1.22.0: V1 keeps A\'s dummy bounds and the crash-stack report prints them', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(G1), { profile: 'go1.22.0' });
    expect(r.verdict).toBe('crash');
    expect(r.exitCode).toBe(2);
    expect(r.stepPath).toBe('steps[9]');
    expect(r.output!.split('\n')[0]).toBe('runtime: morestack on g0, stack [0x407f00 0x410300], sp=0x408000, called from');
    // The throw, then the crash stack's frames under "runtime stack:" (Go's layout).
    expect(r.output).toMatch(/\n\nfatal error: morestack on g0\n\nruntime stack:\nruntime\.throw\(/);
  });

  it.each([
    [G1, '0x400100', '0x408500'],
    [G4, '0x404000', '0x40c400'],
  ])('%s on go1.22.5 re-estimates B to [%s, %s]', async (file, lo, hi) => {
    const sim = await simulator();
    const r = sim.run(upTo(file, 9), { profile: 'go1.22.5', state: true });
    expect(r.verdict).toBe('ok');
    expect(extraM1(r).g0.lo).toBe(lo);
    expect(extraM1(r).g0.hi).toBe(hi);
  });

  it('G4 on go1.22.0 keeps the stale bounds and survives', async () => {
    const sim = await simulator();
    const r = sim.run(upTo(G4, 9), { profile: 'go1.22.0', state: true });
    expect(r.verdict).toBe('ok');
    expect(extraM1(r).g0.lo).toBe('0x407f00');
  });

  it('tip restores T1\'s accurate bounds after A, so B is simply out of bounds', async () => {
    const sim = await simulator();
    const r = sim.run(upTo(G1, 5), { profile: 'tip', state: true });
    expect(extraM1(r).g0.lo).toBe('0x800000');
    const r2 = sim.run(upTo(G1, 9), { profile: 'tip', events: true });
    expect(r2.verdict).toBe('ok');
    expect(r2.events!.filter((e) => e.step === 'steps[9]' && e.kind === 'bounds').map((e) => e.text)).toEqual(['g0 bounds := [0x400100, 0x408500]']);
  });

  it('the g0 check fails exactly at SP <= lo + 928 (one compare, no upper bound)', async () => {
    const sim = await simulator();
    const s = scenario(G1);
    s.g0CheckDepth = 0;
    delete s.expect;
    // With depth 0 the check runs at SP_cb itself; guard = 0x407f00 + 928 = 0x4082a0.
    const at = (sp: string): Scenario => ({ ...s, steps: s.steps.map((st) => (st.op === 'callback' && st.sp === '0x00408100' ? { ...st, sp } : st)) });
    expect(sim.run(at('0x00408100'), { profile: 'go1.22.0' }).verdict).toBe('crash');
    expect(sim.run(at('0x004082a0'), { profile: 'go1.22.0' }).verdict).toBe('crash');
    expect(sim.run(at('0x004082a8'), { profile: 'go1.22.0' }).verdict).toBe('ok');
    // Without any update (go1.21.0) a coroutine far above the recorded bounds passes: one-sided.
    const above: Scenario = {
      format: 1, name: 'coroutine-above',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'malloc', id: 'co', size: '64KiB', at: '0x900000' },
        { op: 'switch', thread: 'T1', to: 'co' },
        { op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] },
      ],
    };
    expect(sim.run(above, { profile: 'go1.21.0' }).verdict).toBe('ok');
    const below = { ...above, steps: above.steps.map((st) => (st.op === 'malloc' ? { ...st, at: '0x700000' } : st)) };
    expect(sim.run(below, { profile: 'go1.21.0' }).verdict).toBe('crash');
  });
});

describe('S20 bounds rows', () => {
  it('b: dropm leaves g0.stack = {0,0} and both guards 0 on go1.21.7+, not before', async () => {
    const sim = await simulator();
    for (const profile of ['go1.21.7', 'go1.22.0', 'go1.23.1', 'tip']) {
      const m = extraM1(sim.run(scenario(S01), { profile, state: true }));
      expect(m.g0, profile).toEqual({ lo: '0x0', hi: '0x0', stackguard0: '0x0', stackguard1: '0x0' });
    }
    const old = extraM1(sim.run(scenario(S01), { profile: 'go1.17', state: true }));
    expect(old.g0.lo).not.toBe('0x0');
  });

  it('c: extra-M g0.stackguard1 == stackguard0 after an update on go1.22.0+, not on go1.21.x', async () => {
    const sim = await simulator();
    for (const profile of ['go1.22.0', 'go1.22.5', 'tip']) {
      const m = extraM1(sim.run(upTo(S01, 1), { profile, state: true }));
      expect(m.g0.stackguard1, profile).toBe(m.g0.stackguard0);
    }
    const m = extraM1(sim.run(upTo(S01, 1), { profile: 'go1.21.7', state: true }));
    expect(m.g0.stackguard0).toBe('0x8003a0');
    expect(m.g0.stackguard1).toBe('0x0');
  });

  it('d: needm on go1.21.0 accepts pthread bounds that do not contain SP; go1.21.7+ rejects them', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'needm-unchecked-pthread-bounds',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'malloc', id: 'co', size: '64KiB', at: '0x500000' },
        { op: 'switch', thread: 'T1', to: 'co' },
        { op: 'callback', thread: 'T1', fn: [] },
      ],
    };
    const old = sim.run(s, { profile: 'go1.21.0', state: true });
    expect(old.verdict).toBe('crash');
    expect(extraM1(old).g0.lo).toBe('0x800000');
    const fixed = sim.run(s, { profile: 'go1.21.7', state: true });
    expect(fixed.verdict).toBe('ok');
    expect(extraM1(fixed).g0.lo).toBe('0x507e00');
  });
});
