// Coroutines (iter.Pull, runtime/coro.go; assembly/sync.ts, docs/model.md §8.5): switches on one M
// without the scheduler, 583675's OS-thread lock rule, and the profiles without coroutines.

import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/api/types.js';
import { simulator } from './helpers.js';

const sc = (fn: unknown[]): Scenario => ({ format: 1, name: 'coro', steps: [{ op: 'go', id: 'Gmain', fn }] } as Scenario);
const cb = (fn: unknown[]) => ({ op: 'cgocall', fn: [{ op: 'callback', fn }] });
const iter3 = { op: 'pull', id: 'it', fn: [{ op: 'repeat', count: 3, steps: [{ op: 'yield', it: 'it' }] }] };
const next = (n: number) => ({ op: 'repeat', count: n, steps: [{ op: 'next', it: 'it' }] });

describe('coroutines', () => {
  it('next and yield switch goroutines on the same M without the scheduler; the fourth next ends the iterator', async () => {
    const sim = await simulator();
    const r = sim.run(sc([iter3, next(5)]), { profile: 'go1.23.0', events: true });
    expect(r.verdict).toBe('ok');
    // M1 is the extra M the runtime made at start; the main goroutine's M is M2.
    const evs = r.events!.filter((e) => e.kind === 'coro');
    const m = evs[0]!.m;
    const coro = evs.map((e) => [e.args.goid, e.text.split(':')[0], e.m === m ? 'M2' : e.m]);
    expect(coro).toEqual([
      [3, 'newcoro', 'M2'],
      [3, 'coroswitch', 'M2'], [2, 'coroswitch', 'M2'], [3, 'coroswitch', 'M2'], [2, 'coroswitch', 'M2'],
      [3, 'coroswitch', 'M2'], [2, 'coroswitch', 'M2'], [3, 'coroswitch', 'M2'], [2, 'coroexit', 'M2'],
      [0, 'the iterator is done (stopped or finished)', 'M2'],
    ]);
    expect(r.counters.schedules).toBe(0);
    expect(r.counters.parks).toBe(0);
  });

  it('a coroutine made inside a callback holds the callback\'s lock count: switches there pass, the lock goes back and forth', async () => {
    const sim = await simulator();
    const r = sim.run(sc([cb([iter3, next(4)])]), { profile: 'tip', state: true });
    expect(r.verdict).toBe('ok');
  });

  it('a switch with other lock counts than at creation throws, with the got/want lines', async () => {
    const sim = await simulator();
    const r = sim.run(sc([cb([{ op: 'pull', id: 'it', fn: [cb([{ op: 'yield', it: 'it' }])] }, next(1)])]), { profile: 'go1.23.1' });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('coro-lock-mismatch');
    expect(r.fatal).toBe('coro: OS thread locking must match locking at coroutine creation');
    expect(r.output).toMatch(/coro: got lock internal 2, want 1\n/);
    expect(r.exitCode).toBe(2);
    // LockOSThread in plain Go after an unlocked Pull: the external count differs.
    const ext = sim.run(sc([iter3, { op: 'lockOSThread' }, next(1)]), { profile: 'go1.23.0' });
    expect(ext.crash).toBe('coro-lock-mismatch');
    expect(ext.output).toMatch(/got lock external 1, want 0/);
  });

  it('before go1.23 there are no coroutines: the run is invalid and says so at the pull', async () => {
    const sim = await simulator();
    const r = sim.run(sc([iter3, next(1)]), { profile: 'go1.22.5' });
    expect(r.verdict).toBe('invalid');
    expect(r.error!.message).toMatch(/^steps\[0\]\.fn\[0\]: this runtime has no coroutines/);
    const flagged = sim.run(sc([iter3, next(4)]), { profile: 'go1.22.5', flags: { COROUTINES: true } });
    expect(flagged.verdict).toBe('ok');
  });

  it('references name the field: unknown iterator, an id that is a channel, pull inside repeat', async () => {
    const sim = await simulator();
    expect(sim.run(sc([{ op: 'next', it: 'nope' }])).error!.message).toMatch(/^steps\[0\]\.fn\[0\]\.it: no iterator "nope"/);
    expect(sim.run(sc([{ op: 'chan', id: 'c' }, { op: 'stop', it: 'c' }])).error!.message).toMatch(/^steps\[0\]\.fn\[1\]\.it: "c" is a channel, not a iterator/);
    expect(sim.run(sc([{ op: 'repeat', count: 2, steps: [iter3] }])).error!.message).toMatch(/^steps\[0\]\.fn\[0\]\.steps\[0\]: "pull" cannot be inside "repeat"/);
  });
});
