// The `assert` op (docs/model.md §16): each check holds where the modelled runtime is in the state
// the program expects, fails with verdict "failed" (exit 1, the program's message) where it is not,
// and is refused where it cannot mean anything.

import { describe, expect, it } from 'vitest';
import type { GoStep, Scenario, TimelineStep } from '../src/api/types.js';
import { compileScenario } from '../src/scenario/compile.js';
import { simulator } from './helpers.js';
import * as api from '../src/api/index.js';

const T1: TimelineStep = { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] };
const T2: TimelineStep = { op: 'thread', id: 'T2', stack: ['0x900000', '0x980000'] };
const sc = (steps: TimelineStep[], extra: Partial<Scenario> = {}): Scenario => ({ format: 1, name: 'assert', steps, ...extra });
const cb = (thread: string, fn: GoStep[]): TimelineStep => ({ op: 'callback', thread, fn });

describe('assert', () => {
  it('sameM: a C thread keeps its extra M between callbacks from go1.21 (pthread key), not before', async () => {
    const sim = await simulator();
    // T2's callback in between takes the M that T1 returned before go1.21 (LIFO extra list) and,
    // keeping it across T1's next callback by a block in C, forces T1 onto another M.
    const s = sc([T1, T2,
      cb('T1', [{ op: 'assert', sameM: true }]),
      cb('T2', [{ op: 'cgocall', fn: [{ op: 'block' }] }]),
      cb('T1', [{ op: 'assert', sameM: true }]),
    ]);
    const old = sim.run(s, { profile: 'go1.17' });
    expect(old.verdict).toBe('failed');
    expect(old.crash).toBe('assertion-failed');
    expect(old.exitCode).toBe(1);
    expect(old.output).toMatch(/getm\(\) is M\d+, but this thread ran on M\d+ at its previous sameM check/);
    expect(old.stepPath).toBe('steps[4].fn[0]');
    for (const profile of ['go1.21.0', 'go1.22.5', 'tip'] as const) expect(sim.run(s, { profile }).verdict, profile).toBe('ok');
    // sameM: false asserts the opposite.
    const differs = structuredClone(s);
    (differs.steps[4] as { fn: GoStep[] }).fn = [{ op: 'assert', sameM: false }];
    expect(sim.run(differs, { profile: 'go1.17' }).verdict).toBe('ok');
    expect(sim.run(differs, { profile: 'tip' }).verdict).toBe('failed');
  });

  it('savedM compares with the M the first check saved, across threads (TestEnsureDropM, #13881)', async () => {
    const sim = await simulator();
    // T1's callback saves its M; T2's callback comes while T1 is still alive. Before go1.21 T1's
    // dropm gave the M back and T2's needm takes it again; from go1.21 T1 keeps it (pthread key),
    // so T2 gets another M and the check fails.
    const s = sc([T1, T2, cb('T1', [{ op: 'assert', savedM: true }]), cb('T2', [{ op: 'assert', savedM: true }])]);
    expect(sim.run(s, { profile: 'go1.17' }).verdict).toBe('ok');
    const bound = sim.run(s, { profile: 'go1.22.0' });
    expect(bound.verdict).toBe('failed');
    expect(bound.output).toMatch(/m == M\d+ want M\d+ \(the M the first savedM check saved\)/);
    // false asks for a different M: the inverse holds.
    const differ = sc([T1, T2, cb('T1', [{ op: 'assert', savedM: true }]), cb('T2', [{ op: 'assert', savedM: false }])]);
    expect(sim.run(differ, { profile: 'go1.22.0' }).verdict).toBe('ok');
  });

  it('numGoroutine counts main and a callback\'s goroutine, not the idle extra M\'s', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'assert', numGoroutine: 1 }, T1,
      cb('T1', [{ op: 'assert', numGoroutine: 2 }]),
      { op: 'exit', thread: 'T1' },
      { op: 'assert', numGoroutine: 1 },
      { op: 'go', id: 'G9', fn: [{ op: 'park', reason: 'chan receive' }] },
      { op: 'assert', numGoroutine: 2 },
    ]);
    for (const profile of ['go1.17', 'go1.21.0', 'tip'] as const) {
      const r = sim.run(s, { profile, events: true });
      expect(r.verdict, profile).toBe('ok');
      expect(r.counters.asserts).toBe(4);
      expect(r.events!.filter((e) => e.kind === 'assert').map((e) => e.args.value)).toEqual([1, 2, 1, 2]);
    }
    // Without the exit, go1.21+ keeps the M bound and its goroutine in _Gsyscall: it still counts.
    const noExit = sc([T1, cb('T1', []), { op: 'assert', numGoroutine: 1 }]);
    expect(sim.run(noExit, { profile: 'go1.17' }).verdict).toBe('ok');
    const r = sim.run(noExit, { profile: 'tip' });
    expect(r.verdict).toBe('failed');
    expect(r.output).toBe('goroutine 1: NumGoroutine: want 1; got 2\n');
  });

  it('extraMInUse and tracebackContexts', async () => {
    const sim = await simulator();
    const s = sc([T1, T2,
      { op: 'assert', extraMInUse: 0 },
      cb('T1', [{ op: 'assert', extraMInUse: 1 }, { op: 'assert', tracebackContexts: 1 },
        { op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'assert', tracebackContexts: 2 }] }] }]),
      { op: 'assert', tracebackContexts: 0 },
    ], { tracebackContext: true });
    expect(sim.run(s, { profile: 'go1.17' }).verdict).toBe('ok');
    expect(sim.run(s, { profile: 'tip' }).verdict).toBe('ok');
    const off = { ...s, tracebackContext: false };
    const r = sim.run(off, { profile: 'tip' });
    expect(r.verdict).toBe('failed');
    expect(r.output).toMatch(/contextCount == 0, expected 1/);
  });

  it('locked and sameThread follow LockOSThread on a Go-created goroutine', async () => {
    const sim = await simulator();
    const s = sc([
      { op: 'go', id: 'G5', fn: [
        { op: 'assert', locked: false }, { op: 'lockOSThread' }, { op: 'assert', locked: true },
        { op: 'assert', sameThread: true }, { op: 'gosched' }, { op: 'assert', sameThread: true },
        { op: 'unlockOSThread' }, { op: 'assert', locked: false },
      ] },
    ]);
    for (const profile of ['go1.17rc1', 'go1.21.0', 'tip'] as const) expect(sim.run(s, { profile }).verdict, profile).toBe('ok');
    const wrong = sc([{ op: 'go', id: 'G5', fn: [{ op: 'lockOSThread' }, { op: 'assert', locked: false }] }]);
    const r = sim.run(wrong, { profile: 'tip' });
    expect(r.verdict).toBe('failed');
    expect(r.output).toBe('goroutine 5: lockedOSThread() = true, want false\n');
  });

  it('is refused without exactly one check, and with a goroutine check on the timeline', () => {
    expect(() => compileScenario(sc([{ op: 'assert' } as unknown as TimelineStep]))).toThrow(/steps\[0\]: needs exactly one check of "numGoroutine", "extraMInUse", "tracebackContexts"$/);
    expect(() => compileScenario(sc([T1, cb('T1', [{ op: 'assert', sameM: true, locked: true } as unknown as GoStep])])))
      .toThrow(/steps\[1\]\.fn\[0\]: needs exactly one check .* got "sameM" and "locked"/);
    expect(() => compileScenario(sc([{ op: 'assert', sameM: true } as unknown as TimelineStep]))).toThrow(/steps\[0\]: unknown key "sameM"/);
    expect(() => compileScenario(sc([{ op: 'assert', numGoroutine: -1 }]))).toThrow(/steps\[0\]\.numGoroutine: must be an integer/);
    expect(() => compileScenario({ ...sc([]), expect: { tip: 'failing' } })).toThrow(/"failed"/);
  });

  it('a failed run is a result the public helpers take, and "failed" an expectation they check', async () => {
    const sim = await simulator();
    const r = sim.run(sc([{ op: 'assert', numGoroutine: 5 }]), { profile: 'tip' });
    expect(r.verdict).toBe('failed');
    expect(r.output).toBe('goroutine 1: NumGoroutine: want 5; got 1\n');
    expect(api.checkExpectation(r, 'failed')).toEqual([]);
    expect(api.checkExpectation(r, { verdict: 'failed', crash: 'assertion-failed', exitCode: 1 })).toEqual([]);
    expect(api.checkExpectation(r, 'ok').length).toBe(1);
  });
});
