// `go` inside `repeat` (issue 10 item 9, "Scale"): each run of the step starts a goroutine of its
// own, as a Go loop around `go f()` does; records of dead ones are reused (gfget), goids are fresh,
// the id names the latest goroutine, the budget is charged, and a full goroutine table is an input
// error about the step.

import { describe, expect, it } from 'vitest';
import type { Scenario } from '../src/api/types.js';
import { compileScenario } from '../src/scenario/compile.js';
import { simulator } from './helpers.js';

const PROFILES = ['go1.17rc1', 'go1.17', 'go1.21.0', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'go1.23.1', 'tip'];

/** main starts `n` goroutines in a loop, each running `body` and then sending on done; main receives n times. */
function fanOut(n: number, body: unknown[], extra: Partial<Scenario> = {}): Scenario {
  return {
    format: 1, name: 'fan-out', ...extra,
    steps: [
      { op: 'chan', id: 'done' },
      { op: 'go', id: 'Gmain', fn: [
        { op: 'repeat', count: n, steps: [{ op: 'go', id: 'Gworker', fn: [...body, { op: 'send', ch: 'done' }] }] },
        { op: 'repeat', count: n, steps: [{ op: 'recv', ch: 'done' }] },
      ] },
    ],
  } as Scenario;
}

describe('go inside repeat', () => {
  it('the validator accepts it in Go bodies and on the timeline', () => {
    expect(compileScenario(fanOut(3, [])).goroutines).toEqual(['Gmain', 'Gworker']);
    const timeline = { format: 1, name: 't', steps: [{ op: 'repeat', count: 2, steps: [{ op: 'go', id: 'G', fn: [] }] }] } as Scenario;
    expect(compileScenario(timeline).goroutines).toEqual(['G']);
  });

  it.each(PROFILES)('%s: 100 goroutines that each make a C thread call back into Go (TestCgoCallbackGC\'s shape)', async (profile) => {
    const sim = await simulator();
    const body = [{ op: 'cgocall', fn: [{ op: 'thread', stack: '256KiB', fn: [{ op: 'gc' }, { op: 'grow', bytes: '64KiB' }, { op: 'gc' }] }] }];
    const r = sim.run(fanOut(100, body), { profile, events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.callbacks).toBe(100);
    expect(r.counters.threadsSpawned).toBe(100);
    // Gmain plus one goroutine per run.
    expect(r.counters.goroutines).toBe(101);
    const started = r.events!.filter((e) => e.kind === 'newproc').map((e) => e.args.goid as number);
    expect(started).toHaveLength(100);
    expect(new Set(started).size).toBe(100);
    // Every one of them ran to its end.
    const exited = new Set(r.events!.filter((e) => e.kind === 'goexit').map((e) => e.args.goid as number));
    for (const g of started) expect(exited.has(g), `goroutine ${g}`).toBe(true);
  });

  it('all 100 are runnable before any runs: NumGoroutine counts them, then they go', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'live',
      steps: [
        { op: 'chan', id: 'done' },
        { op: 'go', id: 'Gmain', fn: [
          { op: 'repeat', count: 100, steps: [{ op: 'go', id: 'Gw', fn: [{ op: 'send', ch: 'done' }] }] },
          { op: 'assert', numGoroutine: 102 },
          { op: 'repeat', count: 100, steps: [{ op: 'recv', ch: 'done' }] },
        ] },
      ],
    } as Scenario;
    const r = sim.run(s);
    expect(r.verdict).toBe('ok');
    expect(r.counters.asserts).toBe(1);
  });

  it('dead goroutines give their records back: 5,000 runs one after another fit the 2,048-record table', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'sequential',
      steps: [
        { op: 'chan', id: 'c' },
        { op: 'go', id: 'Gmain', fn: [
          { op: 'repeat', count: 5000, steps: [{ op: 'go', id: 'G', fn: [{ op: 'send', ch: 'c' }] }, { op: 'recv', ch: 'c' }] },
        ] },
      ],
    } as Scenario;
    const a = sim.run(s, { events: true });
    expect(a.verdict).toBe('ok');
    expect(a.counters.goroutines).toBe(5001);
    // Fresh goids (Go never reuses one), and the same run twice is the same run.
    const goids = a.events!.filter((e) => e.kind === 'newproc').map((e) => e.args.goid as number);
    expect(goids.slice(0, 3)).toEqual([3, 5, 6]);
    expect(sim.run(s).traceHash).toBe(a.traceHash);
  });

  it('too many alive at once: an input error that names the step\'s id and the table size', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'too-many', addressSpace: { base: 0, size: '768MiB' },
      steps: [
        { op: 'chan', id: 'c' },
        { op: 'go', id: 'Gmain', fn: [{ op: 'repeat', count: 3000, steps: [{ op: 'go', id: 'G', fn: [{ op: 'recv', ch: 'c' }] }] }] },
      ],
    } as Scenario;
    const r = sim.run(s);
    expect(r.verdict).toBe('invalid');
        expect(r.error?.message).toMatch(/^steps\[1\]\.fn\[0\]\.steps\[0\]\.id: .*table of 2048 goroutines is full/);
  });

  it('the budget is charged for every run', async () => {
    const sim = await simulator();
    const s = fanOut(4_000_000_000, []);
    const r = sim.run(s, { budget: 200_000 });
    expect(r.verdict).toBe('invalid');
    expect(r.error?.code).toBe('BUDGET_EXHAUSTED');
    expect(r.stepsUsed).toBe(200_000);
  });

  it('on the timeline the id names the latest goroutine: resume reaches it, each run on the freed M', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'timeline',
      steps: [
        { op: 'repeat', count: 3, steps: [
          { op: 'go', id: 'G', fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] },
          { op: 'resume', g: 'G' },
        ] },
      ],
    } as Scenario;
    const r = sim.run(s, { events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.resumes).toBe(3);
    expect(r.events!.filter((e) => e.kind === 'goexit')).toHaveLength(3);
  });

  it('on the timeline, a run whose M still runs the previous goroutine is M_BUSY, about the step\'s id', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'busy',
      steps: [{ op: 'repeat', count: 2, steps: [{ op: 'go', id: 'G', fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] }] }],
    } as Scenario;
    const r = sim.run(s);
    expect(r.verdict).toBe('invalid');
    expect(r.error?.message).toMatch(/^steps\[0\]\.steps\[0\]\.id: that M is still running another goroutine/);
  });

  it('a goroutine still parked keeps its record: the next run gets another (no overwrite)', async () => {
    const sim = await simulator();
    const s = {
      format: 1, name: 'parked',
      steps: [
        { op: 'chan', id: 'c' },
        { op: 'repeat', count: 2, steps: [{ op: 'go', id: 'G', fn: [{ op: 'recv', ch: 'c' }] }] },
        { op: 'assert', numGoroutine: 3 },
      ],
    } as Scenario;
    expect(sim.run(s).verdict).toBe('ok');
  });
});
