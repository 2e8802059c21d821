// Regression tests for defects a review found: each input below once ran silently wrong (a check
// against the wrong stack, an SP that wrapped around, writes outside the window, a host crash).

import { describe, expect, it } from 'vitest';
import { expectationFor } from '../src/scenario/expect.js';
import type { Scenario, TimelineStep } from '../src/api/types.js';
import { simulator } from './helpers.js';
import { MAX_NESTING } from '../src/scenario/limits.js';

const T1: TimelineStep = { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] };
const sc = (steps: TimelineStep[], extra: Partial<Scenario> = {}): Scenario => ({ format: 1, name: 'r', steps, ...extra });

describe('model fixes', () => {
  it('a signal on a thread that has an M runs on gsignal: its checks are against the signal stack, not g0', async () => {
    const sim = await simulator();
    const steps: TimelineStep[] = [T1, { op: 'callback', thread: 'T1', fn: [] }, { op: 'malloc', id: 'alt', size: '32KiB', at: '0x100000' },
      { op: 'signal', thread: 'T1', sp: '0x107f00', fn: [{ op: 'systemstack' }] }];
    expect(sim.run(sc(steps), { profile: 'tip' }).verdict).toBe('ok');
    // A signal stack too small for the handler's frames: morestack on gsignal.
    const tiny: TimelineStep[] = [T1, { op: 'callback', thread: 'T1', fn: [] }, { op: 'malloc', id: 'alt', size: '1KiB', at: '0x100000' },
      { op: 'signal', thread: 'T1', sp: '0x100300', fn: [{ op: 'systemstack' }] }];
    const r = sim.run(sc(tiny), { profile: 'tip' });
    expect(r.fatal).toBe('morestack on gsignal');
    expect(r.output).toMatch(/^fatal: morestack on gsignal\n/);
  });

  it('a check SP does not wrap around below address 0', async () => {
    const sim = await simulator();
    const steps: TimelineStep[] = [{ op: 'thread', id: 'T0', stack: ['0x0', '0x10000'] }, { op: 'callback', thread: 'T0', fn: [] },
      { op: 'callback', thread: 'T0', sp: '0x10', fn: [{ op: 'systemstack' }] }];
    expect(sim.run(sc(steps), { profile: 'go1.21.0' }).fatal).toBe('morestack on g0');
  });

  it('windows goroutine stacks are 8KiB (stackSystem), so a new goroutine does not grow at once', async () => {
    const sim = await simulator();
    const r = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'call', frame: 64 }] }], { platform: 'windows' }), { state: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.copystack).toBe(0);
  });

  it('switching to a block whose malloc never ran, or one too small to run on, is refused', async () => {
    const sim = await simulator();
    const ghost = sc([T1, { op: 'repeat', count: 0, steps: [{ op: 'malloc', id: 'A', size: '64KiB' }] }, { op: 'switch', thread: 'T1', to: 'A' }]);
    expect(sim.run(ghost).error?.message).toBe('steps[2].to: that block is not allocated now, or too small to run on');
    const small = sc([T1, { op: 'malloc', id: 'A', size: 256 }, { op: 'switch', thread: 'T1', to: 'A' }]);
    expect(sim.run(small).error?.path).toBe('steps[2].to');
  });

  it('tiny thread and goroutine stacks, and deep nesting, are input errors, not silent writes or host crashes', async () => {
    const sim = await simulator();
    expect(sim.run(sc([{ op: 'thread', id: 'T', stack: ['0x0', '0x100'] }])).error?.message).toMatch(/^steps\[0\]\.stack: must be at least 4KiB/);
    expect(sim.run(sc([{ op: 'go', id: 'G', stack: ['0x100000', '0x100040'], fn: [] }])).error?.message).toMatch(/^steps\[0\]\.stack: must be at least 2KiB/);
    let fn: unknown[] = [];
    for (let i = 0; i < 200; i++) fn = [{ op: 'repeat', count: 1, steps: fn }];
    const r = sim.run(sc([{ op: 'go', id: 'G', fn: fn as never }]));
    expect(r.verdict).toBe('invalid');
    expect(r.error?.message).toMatch(new RegExp(`bodies nest more than ${MAX_NESTING} deep`));
  });

  it('malloc/free loops run the same in a small and a large window (freed records are reused)', async () => {
    const sim = await simulator();
    const steps: TimelineStep[] = [{ op: 'repeat', count: 20000, steps: [{ op: 'malloc', id: 'A', size: 16 }, { op: 'free', id: 'A' }] }];
    expect(sim.run(sc(steps)).verdict).toBe('ok');
    // 20,000 fresh pages of a large window cost more than the default budget allows (about a second).
    expect(sim.run(sc(steps, { addressSpace: { size: '768MiB' } }), { budget: 100_000_000 }).verdict).toBe('ok');
  });

  it('a later "go" naming an existing M with another stack is refused', async () => {
    const sim = await simulator();
    const steps: TimelineStep[] = [
      { op: 'go', id: 'G1', m: { id: 'M1', stack: ['0x1000000', '0x1080000'] }, fn: [] },
      { op: 'go', id: 'G2', m: { id: 'M1', stack: ['0x1100000', '0x1180000'] }, fn: [] },
    ];
    expect(sim.run(sc(steps)).error?.message).toBe('steps[1].m.stack: the M already runs on [0x1000000, 0x1080000), not [0x1100000, 0x1180000)');
  });

  it('releases that stand for a profile with other flags keep their own expect keys', () => {
    const expect_ = { 'go1.21.12': 'ok' as const, 'go1.21.9': 'crash' as const };
    expect(expectationFor(expect_, 'go1.21.7')).toBe('crash');
    expect(expectationFor(expect_, 'go1.21.7', 'go1.21.12')).toBe('ok');
  });
});
