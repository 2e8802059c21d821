// Panics, recover and Goexit through callbacks; #cgo nocallback; threads a C body creates; deep
// nesting (docs/model.md §17, issue 10 items 1, 2, 7, 9).

import { describe, expect, it } from 'vitest';
import type { CStep, GoStep, Scenario, TimelineStep } from '../src/api/types.js';
import { compileScenario } from '../src/scenario/compile.js';
import { PROFILE_NAMES } from '../src/model/profiles.js';
import { simulator } from './helpers.js';
import { names, parseCrash } from './crash-sections.js';

const sc = (steps: TimelineStep[], extra: Partial<Scenario> = {}): Scenario => ({ format: 1, name: 'panic', steps, ...extra });
const nested = (fn: GoStep[]): GoStep => ({ op: 'cgocall', fn: [{ op: 'stack', bytes: '64KiB' }, { op: 'callback', fn }] });
const panicThroughC = (value = 'callback panic'): GoStep[] => [
  { op: 'recover', value, fn: [nested([{ op: 'call', frame: 96, fn: [{ op: 'panic', value }] }]), { op: 'panic', value: 'nestedCall returned' }] },
];

describe('panic and recover through a callback', () => {
  it('unwinds past the C frames: unwindm restores g0.sched.sp, the cgocall is abandoned, the goroutine is unlocked', async () => {
    const sim = await simulator();
    const s = sc([{ op: 'go', id: 'G1', fn: [...panicThroughC(), { op: 'assert', locked: false }, nested([])] }]);
    for (const profile of PROFILE_NAMES) {
      const r = sim.run(s, { profile, events: true });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.panics).toBe(1);
      expect(r.counters.recovers).toBe(1);
      const kinds = r.events!.map((e) => e.kind);
      expect(kinds.indexOf('unwindm')).toBeLessThan(kinds.indexOf('c-abandoned'));
      expect(kinds.indexOf('c-abandoned')).toBeLessThan(kinds.indexOf('recover'));
      // g0.sched.sp is back to what it was before the callback: the next cgocall runs C at the same SP.
      const cSp = r.events!.filter((e) => e.kind === 'cgocall').map((e) => e.args.sp);
      expect(cSp).toHaveLength(2);
      expect(cSp[1]).toBe(cSp[0]);
      const unwind = r.events!.find((e) => e.kind === 'unwindm')!;
      expect(unwind.args.ncgo).toBe(0);
      // The unlock is unwindm's from go1.22 (532615), the deferred one's before.
      const defers = r.events!.filter((e) => e.kind === 'defer').map((e) => e.text);
      expect(defers.includes('deferred unlockOSThread'), profile).toBe(['go1.17', 'go1.21.0', 'go1.21.7'].includes(profile));
    }
  });

  it('100,000 times: g0 does not run out, and the g0 checks stay at the same SP', async () => {
    const sim = await simulator();
    const s = sc([{ op: 'go', id: 'G1', fn: [{ op: 'repeat', count: 100_000, steps: panicThroughC() }] }]);
    const r = sim.run(s, { profile: 'go1.22.0' });
    expect(r.verdict).toBe('ok');
    expect(r.counters.recovers).toBe(100_000);
    const few = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'repeat', count: 3, steps: panicThroughC() }] }]), { profile: 'tip', events: true });
    const checks = few.events!.filter((e) => e.kind === 'g0-check').map((e) => e.args.sp);
    expect(new Set(checks).size).toBe(1);
  });

  it('keeps LockOSThread across the panic; the traceback context the C wrapper took is never released', async () => {
    const sim = await simulator();
    const s = sc([{ op: 'go', id: 'G1', fn: [{ op: 'lockOSThread' }, ...panicThroughC(), { op: 'assert', locked: true }, { op: 'assert', tracebackContexts: 1 }] }], { tracebackContext: true });
    for (const profile of PROFILE_NAMES) expect(sim.run(s, { profile }).verdict, profile).toBe('ok');
  });

  it('a wrong value, or no panic, fails the program; nothing to recover is a fatal panic', async () => {
    const sim = await simulator();
    const wrong = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'recover', value: 'callback panic', fn: [nested([{ op: 'panic', value: 'other' }])] }] }]), { profile: 'tip' });
    expect(wrong.verdict).toBe('failed');
    expect(wrong.output).toBe('goroutine 1: wrong panic: "other", want "callback panic"\n');
    const none = sim.run(sc([{ op: 'go', id: 'G1', fn: [{ op: 'recover', value: 'callback panic', fn: [nested([])] }] }]), { profile: 'tip' });
    expect(none.verdict).toBe('failed');
    expect(none.output).toMatch(/did not panic/);
    const fatal = sim.run(sc([{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }, { op: 'callback', thread: 'T1', fn: [{ op: 'panic', value: 'boom' }] }]), { profile: 'go1.21.0' });
    expect(fatal.verdict).toBe('crash');
    expect(fatal.crash).toBe('panic');
    expect(fatal.exitCode).toBe(2);
    expect(fatal.output).toMatch(/^panic: boom\n\ngoroutine \d+ \[running, locked to thread\]:\n/);
    expect(fatal.stepPath).toBe('steps[1].fn[0]');
  });
});

describe('Goexit', () => {
  const onCThread = sc([{ op: 'thread', id: 'T1', stack: ['0x800000', '0x840000'] }, { op: 'callback', thread: 'T1', fn: [{ op: 'goexit' }] }]);

  it('in a callback on a C thread throws, with the text of each version', async () => {
    const sim = await simulator();
    const want: Record<string, [string, string]> = {
      'go1.17': ['invalid m->lockedInt = 1', 'internal lockOSThread error'],
      'go1.22.5': ['invalid m->lockedInt = 1', 'internal lockOSThread error'],
      'go1.23.0': ['runtime: mp.lockedInt = 1', 'exited a goroutine internally locked to the OS thread'],
      'go1.23.1': ['runtime: mp.lockedInt = 1', 'exited a goroutine internally locked to the OS thread'],
      'tip': ['runtime: mp.lockedInt = 1', 'runtime.Goexit called in a thread that was not created by the Go runtime'],
    };
    for (const [profile, [line, fatal]] of Object.entries(want)) {
      const r = sim.run(onCThread, { profile });
      expect(r.verdict, profile).toBe('crash');
      expect(r.crash).toBe('goexit-locked');
      expect(r.fatal, profile).toBe(fatal);
      // goexit0 (go1.22+: gdestroy) throws on g0 after dropg: only the runtime stack follows.
      expect(r.output!.startsWith(`${line}\nfatal error: ${fatal}\n\nruntime stack:\n`), profile).toBe(true);
      expect(names(parseCrash(r.output!).sections[0]), profile).toEqual(['runtime.throw', ...(profile === 'go1.17' ? [] : ['runtime.gdestroy']), 'runtime.goexit0', 'runtime.mcall']);
    }
    // go1.23.5 runs as tip but has go1.23's text; go1.24.0 has the extra-M one.
    expect(sim.run(onCThread, { profile: 'go1.23.5' }).fatal).toBe('exited a goroutine internally locked to the OS thread');
    expect(sim.run(onCThread, { profile: 'go1.24.0' }).fatal).toBe('runtime.Goexit called in a thread that was not created by the Go runtime');
  });

  it('in a Go-created goroutine ends it after its deferred calls, through a callback too', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'go', id: 'G1', fn: [{ op: 'recover', fn: [{ op: 'goexit' }] }, { op: 'assert', numGoroutine: 99 }] },
      { op: 'assert', numGoroutine: 1 },
      { op: 'go', id: 'G2', fn: [nested([{ op: 'goexit' }])] },
      { op: 'assert', numGoroutine: 1 },
    ]);
    for (const profile of PROFILE_NAMES) {
      const r = sim.run(s, { profile });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.goexits).toBe(2);
    }
  });
});

describe('#cgo nocallback', () => {
  const s = sc([{ op: 'go', id: 'G1', fn: [{ op: 'cgocall', nocallback: true, fn: [{ op: 'callback', fn: [] }] }] }]);
  it('a callback from a marked function panics (go1.24+); earlier cgo refuses the directive', async () => {
    const sim = await simulator();
    const r = sim.run(s, { profile: 'tip' });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('panic');
    expect(r.output).toMatch(/^panic: runtime: function marked with #cgo nocallback called back into Go\n/);
    for (const profile of ['go1.17', 'go1.22.5', 'go1.23.1', 'go1.23.5'] as const) {
      const old = sim.run(s, { profile });
      expect(old.verdict, profile).toBe('invalid');
      expect(old.error!.message).toMatch(/^steps\[0\]\.fn\[0\]\.nocallback: cgo of this release refuses "#cgo nocallback"/);
    }
    const unmarked = sc([{ op: 'go', id: 'G1', fn: [{ op: 'cgocall', nocallback: true, fn: [] }, { op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] }]);
    expect(sim.run(unmarked, { profile: 'tip' }).verdict).toBe('ok');
  });
});

describe('threads a C body creates', () => {
  it('100 rounds of pthread_create/join from Go: a fresh thread, an extra M, dropm at exit; records reused', async () => {
    const sim = await simulator();
    const round: CStep = { op: 'thread', stack: '256KiB', fn: [{ op: 'assert', extraMInUse: 1 }, { op: 'gc' }, { op: 'grow', bytes: '64KiB' }, { op: 'gc' }] };
    const s = sc([
      { op: 'assert', extraMInUse: 0 },
      { op: 'go', id: 'G1', fn: [{ op: 'repeat', count: 100, steps: [{ op: 'cgocall', fn: [round] }] }] },
      { op: 'assert', extraMInUse: 0 },
    ]);
    for (const profile of PROFILE_NAMES) {
      const r = sim.run(s, { profile });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.threadsSpawned).toBe(100);
      expect(r.counters.needm).toBe(100);
      expect(r.counters.dropm).toBe(100);
      expect(r.counters.threadExits).toBe(100);
    }
  });
});

describe('nesting', () => {
  const deep = (levels: number): GoStep[] => {
    let body: GoStep[] = [{ op: 'systemstack' }];
    for (let i = 0; i < levels; i++) body = [{ op: 'cgocall', fn: [{ op: 'callback', fn: body }] }];
    return body;
  };
  it('bodies nest 101 levels deep (50 callbacks inside a callback), more than 112 are refused', async () => {
    const sim = await simulator();
    const s = sc([{ op: 'thread', id: 'T1', stack: ['0x800000', '0x1000000'] }, { op: 'callback', thread: 'T1', fn: deep(50) }]);
    for (const profile of PROFILE_NAMES) {
      const r = sim.run(s, { profile });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.nestedCallbacks).toBe(50);
    }
    expect(() => compileScenario(sc([{ op: 'thread', id: 'T1', stack: ['0x800000', '0x1000000'] }, { op: 'callback', thread: 'T1', fn: deep(60) }])))
      .toThrow(/bodies nest more than 112 deep/);
  });
});
