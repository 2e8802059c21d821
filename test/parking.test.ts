// Parking and waking (assembly/sync.ts, docs/model.md §8.4): channels, wait groups, the simulated
// clock, `join`, and `go` inside Go bodies, in Node and Chromium.

import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/api/types.js';
import { simulator } from './helpers.js';

const T1 = { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] };
const sc = (steps: unknown[], extra: Record<string, unknown> = {}): Scenario => ({ format: 1, name: 'parking', steps, ...extra } as Scenario);

describe('channels', () => {
  it('a buffered channel takes cap values without parking, the next send parks until a receive', async () => {
    const sim = await simulator();
    const r = sim.run(sc([
      { op: 'go', id: 'G1', fn: [
        { op: 'chan', id: 'c', cap: 2 },
        { op: 'go', id: 'G2', fn: [{ op: 'recv', ch: 'c' }] },
        { op: 'send', ch: 'c' }, { op: 'send', ch: 'c' }, { op: 'send', ch: 'c' },
      ] },
    ]), { profile: 'go1.22.0', events: true });
    expect(r.verdict).toBe('ok');
    const chans = r.events!.filter((e) => e.kind === 'chan').map((e) => e.text.replace(/ \(object.*/, ''));
    expect(chans).toEqual([
      'make(chan)', 'send: buffered', 'send: buffered', 'send: no receiver, buffer full: blocks',
      'receive: from a waiting sender, which goes on',
    ]);
    expect(r.counters.parks).toBe(1);
    expect(r.counters.readies).toBe(1);
  });

  it('receivers wake in the order they parked (FIFO), and close wakes every receiver', async () => {
    const sim = await simulator();
    const r = sim.run(sc([
      { op: 'go', id: 'G1', fn: [
        { op: 'chan', id: 'c' },
        { op: 'go', id: 'G5', fn: [{ op: 'recv', ch: 'c' }] },
        { op: 'go', id: 'G6', fn: [{ op: 'recv', ch: 'c' }] },
        { op: 'go', id: 'G7', fn: [{ op: 'recv', ch: 'c' }] },
        { op: 'gosched' },
        { op: 'send', ch: 'c' },
        { op: 'close', ch: 'c' },
      ] },
    ]), { profile: 'tip', events: true });
    expect(r.verdict).toBe('ok');
    const readied = r.events!.filter((e) => e.kind === 'ready' && e.args.reason === 12).map((e) => e.args.goid);
    expect(readied).toEqual([5, 6, 7]);
  });

  it('a send on a closed channel panics; closing twice panics', async () => {
    const sim = await simulator();
    const send = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'chan', id: 'c', cap: 1 }, { op: 'close', ch: 'c' }, { op: 'send', ch: 'c' }] }]));
    expect(send.verdict).toBe('crash');
    expect(send.crash).toBe('send-on-closed-channel');
    expect(send.fatal).toBe('send on closed channel');
    expect(send.stepPath).toBe('steps[0].fn[2]');
    const twice = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'chan', id: 'c' }, { op: 'close', ch: 'c' }, { op: 'close', ch: 'c' }] }]));
    expect(twice.crash).toBe('close-of-closed-channel');
  });

  it('bad references are input errors that name the step and the field', async () => {
    const sim = await simulator();
    const r = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'recv', ch: 'nope' }] }]));
    expect(r.verdict).toBe('invalid');
    expect(r.error!.message).toMatch(/^steps\[0\]\.fn\[0\]\.ch: no channel "nope"/);
    const mixed = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'chan', id: 'x' }, { op: 'wgWait', wg: 'x' }] }]));
    expect(mixed.error!.message).toMatch(/^steps\[0\]\.fn\[1\]\.wg: "x" is a channel, not a wait group/);
    // A `go` inside `repeat` starts a goroutine per run (test/repeat-go.test.ts).
    const rep = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'repeat', count: 2, steps: [{ op: 'go', id: 'G2', fn: [] }] }] }]));
    expect(rep.verdict).toBe('ok');
    expect(rep.counters.goroutines).toBe(3);
    const us = sim.run(sc([{ op: 'sleep', us: -1 }]));
    expect(us.error!.message).toMatch(/^steps\[0\]\.us: must be an integer/);
  });
});

describe('wait groups', () => {
  it('Wait returns when the counter reaches zero; below zero panics', async () => {
    const sim = await simulator();
    const ok = sim.run(sc([{ op: 'go', id: 'G1', fn: [
      { op: 'wgAdd', wg: 'wg', n: 2 },
      { op: 'go', id: 'G2', fn: [{ op: 'wgDone', wg: 'wg' }] },
      { op: 'go', id: 'G3', fn: [{ op: 'wgDone', wg: 'wg' }] },
      { op: 'wgWait', wg: 'wg' },
      { op: 'wgWait', wg: 'wg' },
    ] }]), { events: true });
    expect(ok.verdict).toBe('ok');
    expect(ok.counters.parks).toBe(1);
    expect(ok.events!.filter((e) => e.kind === 'goexit').length).toBe(3);
    const neg = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'wgDone', wg: 'wg' }] }]));
    expect(neg.crash).toBe('negative-waitgroup-counter');
  });
});

describe('the simulated clock', () => {
  it('timers fire in wake-time order when time passes, not before', async () => {
    const sim = await simulator();
    const r = sim.run(sc([
      { op: 'go', id: 'G5', fn: [{ op: 'sleep', us: 300 }] },
      { op: 'go', id: 'G6', fn: [{ op: 'sleep', us: 100 }] },
      { op: 'go', id: 'G7', fn: [{ op: 'sleep', us: 200 }] },
      { op: 'sleep', us: 150 },
      { op: 'sleep', us: 1000 },
    ]), { events: true });
    expect(r.verdict).toBe('ok');
    const timers = r.events!.filter((e) => e.kind === 'timer').map((e) => [e.args.goid, e.args.nowNs, e.step]);
    expect(timers).toEqual([[6, 100000, 'steps[3]'], [7, 200000, 'steps[4]'], [5, 300000, 'steps[4]']]);
    expect(r.counters.timersFired).toBe(3);
  });

  it('join waits for a thread whose callback sleeps: the timer fires, the callback returns to C', async () => {
    const sim = await simulator();
    const r = sim.run(sc([T1, { op: 'callback', thread: 'T1', fn: [{ op: 'sleep', us: 1000 }] }, { op: 'join', thread: 'T1' }, { op: 'exit', thread: 'T1' }]), { events: true });
    expect(r.verdict).toBe('ok');
    const kinds = r.events!.map((e) => e.kind);
    expect(kinds.indexOf('timer')).toBeLessThan(kinds.indexOf('callback-return'));
    expect(kinds.indexOf('callback-return')).toBeLessThan(kinds.indexOf('join'));
  });

  it('without join, naming a thread still inside a parked callback is an input error', async () => {
    const sim = await simulator();
    const r = sim.run(sc([T1, { op: 'callback', thread: 'T1', fn: [{ op: 'sleep', us: 1000 }] }, { op: 'exit', thread: 'T1' }]));
    expect(r.verdict).toBe('invalid');
    expect(r.error!.message).toMatch(/^steps\[2\]\.thread/);
  });

  it('join on a thread nothing can wake ends the run with crash hang', async () => {
    const sim = await simulator();
    const r = sim.run(sc([T1, { op: 'callback', thread: 'T1', fn: [{ op: 'chan', id: 'c' }, { op: 'recv', ch: 'c' }] }, { op: 'join', thread: 'T1' }]));
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('hang');
    expect(r.stepPath).toBe('steps[2]');
  });
});

describe('go inside Go bodies', () => {
  it('a callback on a C thread starts a goroutine; a Go M runs it after the callback returns', async () => {
    const sim = await simulator();
    const r = sim.run(sc([T1, { op: 'callback', thread: 'T1', fn: [{ op: 'go', id: 'G9', fn: [{ op: 'systemstack' }] }] }]), { events: true, profile: 'go1.21.7' });
    expect(r.verdict).toBe('ok');
    const kinds = r.events!.map((e) => e.kind);
    expect(kinds).toContain('newproc');
    expect(kinds.indexOf('callback-return')).toBeLessThan(kinds.indexOf('execute'));
    expect(r.events!.find((e) => e.kind === 'goexit')?.args.goid).toBe(9);
  });
});
