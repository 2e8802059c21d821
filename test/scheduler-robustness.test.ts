// Regression tests for scheduler defects a review found: a request dropped at cgocallbackg1's
// prologue, timeline ops on a thread stuck in Go, goexit on the wrong M, silent pins and points.

import { describe, expect, it } from 'vitest';
import type { Scenario, TimelineStep } from '../src/api/types.js';
import { simulator } from './helpers.js';

const sc = (steps: TimelineStep[], extra: Partial<Scenario> = {}): Scenario => ({ format: 1, name: 's', steps, ...extra });

describe('scheduler robustness', () => {
  it('a request posted after exitsyscall preempts at cgocallbackg1\'s prologue, while the goroutine is still locked', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'at', point: 'cgocallbackg.after-exitsyscall', g: 'G5', steps: [{ op: 'preempt', g: 'G5', resumeOn: 'M2' }] },
      { op: 'go', id: 'G5', m: { id: 'M1' }, fn: [{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'cgocall', fn: [] }] }] }] },
    ], { tracebackContext: true });
    for (const profile of ['go1.17rc1', 'go1.17', 'tip']) {
      const r = sim.run(s, { profile });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.preemptions, profile).toBe(1);
      expect(r.counters.handoffs, profile).toBe(1);
    }
  });

  it('a thread whose goroutine parked inside a callback is still in Go: timeline ops on it are refused', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      { op: 'callback', thread: 'T1', fn: [{ op: 'park', reason: 'sync.Mutex.Lock' }] },
      { op: 'callback', thread: 'T1', fn: [] },
    ]);
    const r = sim.run(s);
    expect(r.verdict).toBe('invalid');
    expect(r.error?.message).toBe('steps[2].thread: thread "T1" is still in Go: its goroutine is parked or waiting to run again, so it is not back in C');
  });

  it('a goroutine that moved to M2 exits there: M2 is free for the next goroutine', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'at', point: 'goroutine.prologue', g: 'G7', steps: [{ op: 'preempt', g: 'G7', resumeOn: 'M2' }] },
      { op: 'go', id: 'G7', m: { id: 'M1' }, fn: [{ op: 'systemstack' }] },
      { op: 'go', id: 'G8', m: { id: 'M2' }, fn: [] },
    ]);
    const r = sim.run(s, { events: true });
    expect(r.verdict).toBe('ok');
    expect(r.events!.find((e) => e.kind === 'goexit' && e.text === 'goroutine 7 exits')!.m).toBe('M2');
  });

  it('a goroutine exiting while locked takes its M\'s thread with it; naming that M again is refused', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'go', id: 'G1', m: { id: 'M1' }, fn: [{ op: 'lockOSThread' }] },
      { op: 'go', id: 'G2', m: { id: 'M1' }, fn: [] },
    ]);
    expect(sim.run(s).error?.message).toMatch(/^steps\[1\]\.m\.id: that M's thread exited when its goroutine ended while locked/);
  });

  it('a resumeOn naming a busy M is reported, not silent', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'go', id: 'G2', m: { id: 'M2' }, fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] },
      { op: 'at', point: 'cgocallbackg1.after-fn', g: 'G5', steps: [{ op: 'preempt', g: 'G5', resumeOn: 'M2' }] },
      { op: 'go', id: 'G5', m: { id: 'M1' }, fn: [{ op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] },
    ], { tracebackContext: true });
    const r = sim.run(s, { profile: 'go1.17rc1', events: true });
    expect(r.counters.pinsIgnored).toBe(1);
    expect(r.events!.some((e) => e.kind === 'pin-ignored')).toBe(true);
  });

  it('cgocallbackg.after-unlock is a point on every go1.22+ profile; an "at" that never fires is counted', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'at', point: 'cgocallbackg.after-unlock', g: 'G5', steps: [{ op: 'gc' }] },
      { op: 'go', id: 'G5', fn: [{ op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] },
    ]);
    expect(sim.run(s, { profile: 'tip' }).counters.pointsHit).toBe(1);
    const old = sim.run(s, { profile: 'go1.21.0' });
    expect(old.counters.pointsHit).toBe(0);
    expect(old.counters.atUnfired).toBe(1);
  });
});
