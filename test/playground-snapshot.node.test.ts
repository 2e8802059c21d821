// The playground's state tables at a chosen event (web/src/snapshot.ts): the core's records right
// after the op that emitted it. A long run's event list keeps only its first and last events, so a
// position in the list is not the event's index in the run; the snapshot must find the op by the
// event's own index. A thread that exists only at the end of a long run shows which one it found.

import { describe, expect, it } from 'vitest';
import { createSimulator } from '../src/api/node.js';
import { snapshot } from '../web/src/snapshot.js';

const scenario = JSON.stringify({
  format: 1,
  name: 'late-thread',
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
    { op: 'repeat', count: 30000, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] }] },
    { op: 'thread', id: 'T2', stack: ['0x00a00000', '0x00a80000'] },
    { op: 'callback', thread: 'T2', fn: [{ op: 'systemstack' }] },
  ],
});

describe('playground state snapshots', () => {
  it('find the op of an event past the cut in a long log', async () => {
    const sim = await createSimulator();
    const rt = { profile: 'go1.22.5' as const };
    const full = sim.run(scenario, { ...rt, events: true });
    expect(full.eventsTruncated).toBe(true);
    const events = full.events!;
    const firstT2 = events.findIndex((e) => e.thread === 'T2');
    expect(firstT2).toBeGreaterThan(40_000);
    expect(events[firstT2]!.index).toBeGreaterThan(70_000);

    const at = snapshot(sim, scenario, rt, undefined, firstT2);
    expect(at.opPath).toBe(events[firstT2]!.step);
    expect(at.events).toBeGreaterThan(events[firstT2]!.index);
    expect(at.state!.threads.map((t) => t.id)).toContain('T2');

    const before = snapshot(sim, scenario, rt, undefined, firstT2 - 1);
    expect(before.events).toBeLessThanOrEqual(events[firstT2]!.index);
    expect(before.state!.threads.map((t) => t.id)).not.toContain('T2');
    expect(before.state!.threads.map((t) => t.id)).toContain('T1');
  });
});
