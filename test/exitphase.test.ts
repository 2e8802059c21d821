// The process-exit phase and the locked goroutine that exits (issue 10 item 8): C destructors
// that call Go after main returns (racefini, #59711), and mexit, which ends a locked thread but
// wedges the main thread (m0) instead.

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import type { RunResult, Scenario } from '../src/api/types.js';
import { simulator } from './helpers.js';
import { names, parseCrash } from './crash-sections.js';

const PROFILES = ['go1.17rc1', 'go1.17', 'go1.21.0', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'go1.23.1', 'tip'];
const kinds = (r: RunResult) => r.events!.map((e) => e.kind);

/** main registers `n` destructors that each call back into Go, then returns (race: a -race build). */
function destructors(race: boolean, n = 1, after: unknown[] = []): Scenario {
  return {
    format: 1, name: 'destructors',
    steps: [
      { op: 'go', id: 'Gmain', m: { id: 'm0', main: true }, fn: [
        { op: 'cgocall', fn: Array.from({ length: n }, () => ({ op: 'atexit', fn: [{ op: 'stack', bytes: 64 }, { op: 'callback', fn: [{ op: 'systemstack' }] }] })) },
        { op: 'osExit', race },
        ...after,
      ] },
    ],
  } as Scenario;
}

describe('C destructors after main returns', () => {
  it.each(PROFILES)('%s: exit_group never runs them: no callback, exit 0', async (profile) => {
    const sim = await simulator();
    const r = sim.run(destructors(false, 2), { profile, events: true });
    expect(r.verdict).toBe('ok');
    expect(r.exitCode).toBe(0);
    expect(r.counters.callbacks).toBe(0);
    const exit = r.events!.find((e) => e.kind === 'process-exit')!;
    expect(exit.args).toEqual({ code: 0, destructorsSkipped: 2 });
  });

  it.each(['go1.17rc1', 'go1.17'])('%s: under -race racefini runs them without entering a syscall: exitsyscall throws (#59711)', async (profile) => {
    const sim = await simulator();
    const r = sim.run(destructors(true), { profile, events: true });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('exitsyscall-frame');
    // A throw on the goroutine itself (exitsyscall is nosplit): its section, from throw down.
    const c = parseCrash(r.output!);
    expect(c.head).toEqual(['fatal error: exitsyscall: syscall frame is no longer valid']);
    expect(c.sections.map((x) => x.header)).toEqual([expect.stringMatching(/^goroutine \d+ \[/)]);
    expect(names(c.sections[0]).slice(0, 3)).toEqual(['runtime.throw', 'runtime.exitsyscall', 'runtime.cgocallbackg']);
    expect(names(c.sections[0]).at(-1)).toBe('runtime.goexit');
    expect(r.exitCode).toBe(2);
    const k = kinds(r);
    expect(k.indexOf('racefini')).toBeLessThan(k.indexOf('callback'));
  });

  it.each(PROFILES.slice(2))('%s: racefini enters a syscall first: each destructor\'s callback runs on the main thread\'s M, then exit', async (profile) => {
    const sim = await simulator();
    const r = sim.run(destructors(true, 3), { profile, events: true });
    expect(r.verdict).toBe('ok');
    expect(r.exitCode).toBe(0);
    expect(r.counters.callbacks).toBe(3);
    expect(r.counters.needm).toBe(0); // the thread has its M: no extra M
    const k = kinds(r);
    expect(k.filter((x) => x === 'atexit').length).toBe(3);
    expect(k.indexOf('racefini')).toBeLessThan(k.indexOf('callback'));
    expect(k[k.length - 1]).toBe('process-exit');
    expect(r.events!.find((e) => e.kind === 'racefini')!.args).toEqual({ entersyscall: 1, destructors: 3 });
    // The flag alone decides it.
    const off = sim.run(destructors(true), { profile, flags: { RACEFINI_ENTERSYSCALL: false } });
    expect(off.crash).toBe('exitsyscall-frame');
  });

  it('nothing runs after the process exits', async () => {
    const sim = await simulator();
    const r = sim.run(destructors(false, 0, [{ op: 'lockOSThread' }, { op: 'cgocall', fn: [] }]), { profile: 'tip' });
    expect(r.verdict).toBe('ok');
    expect(r.counters.cgocalls).toBe(1);
    expect(r.counters.lockOSThread ?? 0).toBe(0);
  });
});

describe('a goroutine that exits locked to its thread', () => {
  const lockedExit = (main: boolean): Scenario => ({
    format: 1, name: 'locked-exit',
    steps: [
      { op: 'go', id: 'G1', m: { id: 'M0', ...(main ? { main: true } : {}) }, fn: [{ op: 'lockOSThread' }] },
      { op: 'go', id: 'G2', m: { id: 'M2' }, fn: [{ op: 'cgocall', fn: [] }] },
    ],
  } as Scenario);

  it.each(PROFILES)('%s: a Go-created thread exits; the main thread is wedged instead, and neither M runs Go again', async (profile) => {
    const sim = await simulator();
    const other = sim.run(lockedExit(false), { profile, events: true, state: true });
    expect(other.verdict).toBe('ok');
    expect(kinds(other)).toContain('thread-exit');
    expect(kinds(other)).not.toContain('m0-wedged');
    const main = sim.run(lockedExit(true), { profile, events: true, state: true });
    expect(main.verdict).toBe('ok');
    expect(kinds(main)).not.toContain('thread-exit');
    const wedged = main.events!.find((e) => e.kind === 'm0-wedged')!;
    expect(wedged.args.tid).toBe(1000); // the process id: the main thread
    for (const s of [lockedExit(false), lockedExit(true)]) {
      s.steps.push({ op: 'go', id: 'G3', m: { id: 'M0' }, fn: [] } as never);
      const r = sim.run(s, { profile });
      expect(r.verdict).toBe('invalid');
      expect(r.stepPath).toBe('steps[2]');
    }
  });
});

describe('input errors', () => {
  const bad = (steps: unknown[]): unknown => ({ format: 1, name: 'bad', steps });
  it.each([
    [[{ op: 'go', id: 'G1', fn: [{ op: 'osExit', race: 'yes' }] }], /^steps\[0\]\.fn\[0\]\.race: /],
    [[{ op: 'go', id: 'G1', fn: [{ op: 'osExit', code: 1 }] }], /^steps\[0\]\.fn\[0\]: unknown key "code"/],
    [[{ op: 'go', id: 'G1', fn: [{ op: 'cgocall', fn: [{ op: 'atexit' }] }] }], /^steps\[0\]\.fn\[0\]\.fn\[0\]: missing required field "fn"/],
    [[{ op: 'go', id: 'G1', fn: [{ op: 'atexit', fn: [] }] }], /^steps\[0\]\.fn\[0\]\.op: unknown op "atexit" in a Go body/],
    [[{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'], main: true }, { op: 'go', id: 'G1', m: { id: 'M0', main: true }, fn: [] }],
      /^steps\[1\]\.m\.main: thread "T1" is already the main thread/],
    [[{ op: 'go', id: 'G1', m: { id: 'M0' }, fn: [] }, { op: 'go', id: 'G2', m: { id: 'M0', main: true }, fn: [] }],
      /^steps\[1\]\.m\.main: M "M0" was named by an earlier "go" step without "main"/],
    [[{ op: 'go', id: 'G1', m: { id: 'M0', main: true }, fn: [] }, { op: 'go', id: 'G2', m: { id: 'M1', main: true }, fn: [] }],
      /^steps\[1\]\.m\.main: the thread of M M0 is already the main thread/],
  ])('%j', (steps, message) => {
    expect(() => compileScenario(bad(steps) as Scenario)).toThrow(message);
  });
});
