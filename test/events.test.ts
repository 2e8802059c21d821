// The event log keeps the first and the last events of a long run, marks the gap, and its last
// event says how the run ended (the fatal text and the check's name).

import { describe, expect, it } from 'vitest';
import { lateCrash, simulator } from './helpers.js';

describe('event log', () => {
  it('a crash after 100,000 callbacks is the last event kept, after a marked gap', async () => {
    const sim = await simulator();
    const r = sim.run(lateCrash(), { events: true });
    expect(r.verdict).toBe('crash');
    const events = r.events!;
    expect(r.eventsTruncated).toBe(true);
    expect(r.eventsTotal).toBeGreaterThan(800_000);
    const gaps = events.filter((e) => e.kind === 'events-omitted');
    expect(gaps).toHaveLength(1);
    const kept = events.filter((e) => e.kind !== 'events-omitted');
    expect(kept).toHaveLength(65536);
    // The first half in order from 0, the last half ending at the run's last event.
    expect(kept.slice(0, 32768).every((e, i) => e.index === i)).toBe(true);
    expect(kept.at(-1)!.index).toBe(r.eventsTotal! - 1);
    expect(kept.slice(32768).every((e, i, a) => i === 0 || e.index === a[i - 1]!.index + 1)).toBe(true);
    expect(gaps[0]!.omitted).toBe(r.eventsTotal! - 65536);
    const last = kept.at(-1)!;
    expect(last).toMatchObject({ kind: 'crash', crash: 'morestack-g0', fatal: 'morestack on g0', step: 'steps[4]' });
    expect(last.text).toBe('crash: morestack on g0 (check morestack-g0)');
    // The events just before it explain it: the g0 check that failed.
    expect(kept.at(-2)!.text).toMatch(/g0 split check sp=0x50fd00 guard=0x8003a0: FAILS/);
  });

  it('a short run keeps every event, with no gap, and the same trace hash as without events', async () => {
    const sim = await simulator();
    const r = sim.run(lateCrash(10), { events: true });
    expect(r.eventsTruncated).toBe(false);
    expect(r.events!.map((e) => e.index)).toEqual(r.events!.map((_, i) => i));
    expect(r.events!.length).toBe(r.eventsTotal);
    expect(sim.run(lateCrash(10)).traceHash).toBe(r.traceHash);
  });

  it('an input error found while running ends the log with its message', async () => {
    const sim = await simulator();
    const r = sim.run({
      format: 1, name: 'exited', steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'malloc', id: 'A', size: '64KiB', at: '0x870000' },
      ],
    }, { events: true });
    expect(r.verdict).toBe('invalid');
    expect(r.events!.at(-1)!.text).toBe(`input error: ${r.error!.message}`);
  });
});
