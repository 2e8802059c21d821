// #47441 (seed 003): a goroutine preempted on its way back to C continues on another M. S08 and
// its variants; the seeded scheduler; S20 f; locked goroutines and LockOSThread nesting.

import { describe, expect, it } from 'vitest';
import type { RunResult, Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';
import { names, parseCrash } from './crash-sections.js';

const S08 = 's08-traceback-context-preemption-47441.json';
const kinds = (r: RunResult) => r.events!.map((e) => e.kind);

describe('S08 TracebackContextPreemption', () => {
  it('go1.17rc1: unlocked by unwindm, preempted at the context-pop wrapper, resumed on M2: SIGSEGV naming both Ms', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S08), { profile: 'go1.17rc1', events: true });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('sigsegv');
    expect(r.exitCode).toBe(2);
    // No addr= before go1.22; the fault is on g0 with incgo set: sighandler traces curg instead.
    expect(r.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=3 sigcode=128\nsignal arrived during cgo execution\n\ngoroutine 5 \[syscall\]:\n/);
    const c = parseCrash(r.output!);
    expect(c.sections).toHaveLength(1);
    expect(names(c.sections[0])[0]).toBe('runtime.cgocall');
    expect(names(c.sections[0]).at(-1)).toBe('runtime.goexit');
    expect(r.note).toContain('on M2, but the C frames it returns to are on M1\'s stack');
    expect(r.output).not.toContain('cgosim');
    const order = kinds(r).filter((k) => ['defer', 'unlockOSThread', 'preempted', 'schedule', 'execute'].includes(k));
    expect(order).toEqual(['defer', 'unlockOSThread', 'defer', 'preempted', 'schedule', 'execute']);
  });

  it.each(['go1.17', 'go1.21.7', 'go1.22.0', 'tip'])('%s: still locked at the preemption point, handed back to M1 (startlockedm)', async (profile) => {
    const sim = await simulator();
    const r = sim.run(scenario(S08), { profile, events: true, state: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.handoffs).toBe(1);
    expect(r.events!.find((e) => e.kind === 'execute')!.text).toBe('goroutine 5 runs on M1');
    // The unlock comes after the preemption: last deferred call (1.17-1.21) or after incgo (1.22+).
    const k = kinds(r);
    expect(k.lastIndexOf('unlockOSThread')).toBeGreaterThan(k.indexOf('preempted'));
  });

  it('#62102: with non-open-coded defers go1.17-1.21 throw "m changed unexpectedly in cgocallbackg"', async () => {
    const sim = await simulator();
    const s = scenario('s08-non-open-coded-defers-62102.json');
    const r = sim.run(s, { profile: 'go1.21.0' });
    const c = parseCrash(r.output!);
    expect(c.head).toEqual(['fatal error: m changed unexpectedly in cgocallbackg']);
    expect(c.sections.map((x) => x.header)).toEqual([expect.stringMatching(/^goroutine \d+ \[running/)]);
    expect(names(c.sections[0]).slice(0, 2)).toEqual(['runtime.throw', 'runtime.cgocallbackg']);
    expect(sim.run(s, { profile: 'go1.22.0' }).verdict).toBe('ok');
    // The knob off: no preemption point there, nothing happens.
    expect(sim.run(s, { profile: 'go1.21.0', flags: { NON_OPEN_CODED_DEFERS: false } }).verdict).toBe('ok');
  });

  it('S20 f: rescheduling an M with incgo set throws "schedule: in cgo"', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s20f-schedule-in-cgo-mutation.json'), { profile: 'go1.22.0' });
    expect(r.fatal).toBe('schedule: in cgo');
    // schedule runs on g0 (here after a preemption in newstack); the goroutine was dropped before.
    const c = parseCrash(r.output!);
    expect(c.head).toEqual(['fatal error: schedule: in cgo']);
    expect(c.sections.map((x) => x.header)).toEqual(['runtime stack:']);
    expect(names(c.sections[0])).toEqual(['runtime.throw', 'runtime.schedule', 'runtime.goschedImpl', 'runtime.gopreempt_m', 'runtime.newstack', 'runtime.morestack']);
  });
});

describe('seeded scheduler', () => {
  const seeded = () => {
    const s = scenario('s08-seeded-scheduler-47441.json');
    delete s.expect;
    return s;
  };

  it.each(['random', 'pct'] as const)('%s: seeds split between M1 (ok) and M2 (crash) on go1.17rc1, and each seed replays exactly', async (strategy) => {
    const sim = await simulator();
    const verdicts = new Set<string>();
    for (let seed = 1; seed <= 24; seed++) {
      const a = sim.run(seeded(), { profile: 'go1.17rc1', seed, strategy, events: true });
      const b = sim.run(seeded(), { profile: 'go1.17rc1', seed, strategy, events: true });
      expect(b).toEqual(a);
      verdicts.add(a.verdict);
    }
    expect([...verdicts].sort()).toEqual(['crash', 'ok']);
  });

  it('whatever the seed, go1.17+ returns on M1', async () => {
    const sim = await simulator();
    for (let seed = 1; seed <= 16; seed++) {
      for (const profile of ['go1.17', 'go1.22.0', 'tip']) expect(sim.run(seeded(), { profile, seed }).verdict).toBe('ok');
    }
  });
});

describe('locking', () => {
  it('LockOSThread nesting: two locks and one unlock keep the goroutine locked through the preemption', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s08-locked-goroutine.json'), { profile: 'go1.17rc1', events: true });
    expect(r.verdict).toBe('ok');
    const locks = r.events!.filter((e) => e.kind === 'lockOSThread' || e.kind === 'unlockOSThread').map((e) => e.text);
    expect(locks.slice(0, 3)).toEqual(['lockOSThread: lockedInt=0 lockedExt=1', 'lockOSThread: lockedInt=0 lockedExt=2', 'unlockOSThread: lockedInt=0 lockedExt=1']);
  });

  it('a C-created thread\'s goroutine stays locked (lockedInt starts at 1), so it always returns on its own M', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s08-c-created-thread.json'), { profile: 'go1.17rc1', events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.handoffs).toBe(1);
  });

  it('a preemption request in a plain goroutine takes effect at its next prologue', async () => {
    const sim = await simulator();
    const s: Scenario = { format: 1, name: 'p', steps: [{ op: 'go', id: 'G1', fn: [{ op: 'preempt' }, { op: 'systemstack' }, { op: 'gosched' }, { op: 'systemstack' }] }] };
    const r = sim.run(s, { events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.preemptions).toBe(2);
    expect(r.counters.systemstack).toBe(2);
  });
});

describe('interleaving points', () => {
  it('refuses unknown points and steps that are not actors', async () => {
    const sim = await simulator();
    const bad: Scenario = { format: 1, name: 'b', steps: [{ op: 'at', point: 'cgocallbackg.nowhere', steps: [] }] };
    expect(sim.run(bad).error?.message).toMatch(/^steps\[0\]\.point: unknown point "cgocallbackg\.nowhere"; "cgosim points" lists them/);
    const notActor = { format: 1, name: 'b', steps: [{ op: 'thread', id: 'T', stack: ['0x800000', '0x880000'] }, { op: 'at', point: 'cgocallbackg.entry', steps: [{ op: 'callback', thread: 'T', fn: [] }] }] };
    expect(sim.run(notActor as Scenario).error?.message).toMatch(/^steps\[1\]\.steps\[0\]\.op: unknown op "callback" in a "at" step list/);
    const never = { format: 1, name: 'b', steps: [{ op: 'at', point: 'cgocallbackg.entry', g: 'G9', steps: [] }] };
    expect(sim.run(never as Scenario).error?.message).toMatch(/"at" waits for goroutine "G9", which no "go" starts/);
  });

  it('a GC pinned at cgocall.after-entersyscall finds the goroutine in C and defers its shrink', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'gc-at-point',
      steps: [
        { op: 'at', point: 'cgocall.after-entersyscall', g: 'G1', steps: [{ op: 'gc' }] },
        { op: 'go', id: 'G1', stack: ['0x2010000', '0x2012000'], fn: [{ op: 'cgocall', fn: [] }] },
      ],
    };
    const r = sim.run(s, { events: true });
    expect(r.counters.pointsHit).toBe(1);
    expect(r.counters.shrinksDeferred).toBeGreaterThanOrEqual(1);
  });
});
