// Signals while Go runs on an extra M (issue 10 item 5): the sigaltstack needm installs and dropm
// removes, the one C set (gsignal adopts it, dropm gives gsignal its own back: #22930), the kernel's
// choice of stack and sigtrampgo's checks, and a signal during needm (blocked until minit: #42207).

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import type { RunResult, Scenario } from '../src/api/types.js';
import { simulator } from './helpers.js';

const PROFILES = ['go1.17rc1', 'go1.17', 'go1.21.0', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'go1.23.1', 'tip'];

/** Go calls C, which runs a thread that calls back into Go, where a signal (a fault) arrives. */
function swapping(withCStack: boolean, flags: Record<string, boolean> = {}): Scenario {
  const own = (t: string, lo: string, hi: string) => [
    { op: 'thread', id: t, stack: [lo, hi] },
    { op: 'callback', thread: t, fn: [{ op: 'signal' }] },
    { op: 'exit', thread: t },
  ];
  return {
    format: 1, name: 'sigstack', flags,
    steps: [
      { op: 'go', id: 'Gmain', fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] },
      ...own('T1', '0x00800000', '0x00880000'),
      { op: 'thread', id: 'T2', stack: ['0x00900000', '0x00980000'] },
      { op: 'malloc', id: 'ss', size: '32KiB', at: '0x00A00000' },
      ...(withCStack ? [{ op: 'sigaltstack', thread: 'T2', stack: 'ss' }] : []),
      { op: 'callback', thread: 'T2', fn: [{ op: 'signal' }] },
      { op: 'sigaltstack', thread: 'T2', stack: 'none' },
      { op: 'free', id: 'ss' },
      { op: 'exit', thread: 'T2' },
      ...own('T3', '0x00B00000', '0x00B80000'),
      { op: 'resume', g: 'Gmain' },
    ],
  } as Scenario;
}

const named = (r: RunResult, name: string) => r.events!.filter((e) => e.kind === name);

describe('the sigaltstack of an extra M', () => {
  it.each(PROFILES)('%s: needm installs the M\'s gsignal stack when C has none, dropm disables it; a fault runs its handler there', async (profile) => {
    const sim = await simulator();
    const r = sim.run(swapping(true), { profile, events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.signals).toBe(3);
    // T1 and T3 had none: two installs, two removals; T2's own is adopted and given back.
    expect(r.counters.sigaltstackInstalls).toBe(2);
    const handlers = named(r, 'signal-handler');
    expect(handlers.map((e) => e.args.how)).toEqual([1, 1, 1]);
    const t2 = handlers[1]!;
    expect(BigInt(t2.args.sp as string)).toBeGreaterThanOrEqual(0xa00000n);
    expect(BigInt(t2.args.sp as string)).toBeLessThan(0xa08000n);
    // T1's and T3's handlers run on the same M's own gsignal stack, outside C's block.
    expect(handlers[0]!.args.sp).toBe(handlers[2]!.args.sp);
    // T2's needm: gsignal adopts C's block; its dropm: gsignal back on its own stack, where T1's ran.
    const gsig = named(r, 'gsignal-stack');
    expect(gsig.map((e) => e.args.lo)).toEqual(['0xa00000', expect.any(String)]);
    const own = BigInt(gsig[1]!.args.lo as string);
    expect(BigInt(handlers[0]!.args.sp as string) - own).toBe(0x8000n - 0x400n);
    expect(named(r, 'sigaltstack-gsignal').length).toBe(2);
    expect(named(r, 'sigaltstack').filter((e) => e.args.hi === '0x0').length).toBe(2 + 1); // two dropm, one C disable
  });

  it('mutation UNMINIT_KEEPS_GSIGNAL (#22930, before go1.10): the next thread installs the freed block and dies of SIGSEGV', async () => {
    const sim = await simulator();
    for (const profile of ['go1.17', 'go1.22.0', 'tip']) {
      const r = sim.run(swapping(true, { UNMINIT_KEEPS_GSIGNAL: true }), { profile });
      expect(r.verdict).toBe('crash');
      expect(r.crash).toBe('sigstack-fault');
      expect(r.exitCode).toBe(139);
      expect(r.stepPath).toBe('steps[12].fn[0]'); // T3's fault
      expect(r.note).toContain('[0xa00000, 0xa08000)');
      // Without a C signal stack the mutation has nothing to keep.
      expect(sim.run(swapping(false, { UNMINIT_KEEPS_GSIGNAL: true }), { profile }).verdict).toBe('ok');
    }
  });

  it('a timeline signal without sp goes to the thread\'s sigaltstack; one C freed kills the process', async () => {
    const sim = await simulator();
    const s = (free: boolean): Scenario => ({
      format: 1, name: 'c-sigstack',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
        { op: 'malloc', id: 'ss', size: '32KiB', at: '0x00A00000' },
        { op: 'sigaltstack', thread: 'T1', stack: 'ss' },
        ...(free ? [{ op: 'free', id: 'ss' }] : []),
        { op: 'signal', thread: 'T1', fn: [{ op: 'systemstack' }] },
      ],
    } as Scenario);
    const ok = sim.run(s(false), { profile: 'tip', events: true });
    expect(ok.verdict).toBe('ok');
    expect(named(ok, 'signal')[0]!.args.sp).toBe('0xa07c00');
    expect(named(ok, 'signal-handler')[0]!.args.how).toBe(4); // no g: badsignal's needm
    const dead = sim.run(s(true), { profile: 'tip' });
    expect(dead.crash).toBe('sigstack-fault');
  });

  it('go1.21+: a signal on a thread whose bound extra M is in C goes through badsignal with another M, and the binding stays', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'bound',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'signal', thread: 'T1' },
        { op: 'callback', thread: 'T1', fn: [] },
      ],
    } as Scenario;
    const bound = sim.run(s, { profile: 'go1.22.0', events: true });
    expect(bound.verdict).toBe('ok');
    expect(bound.counters.needm).toBe(2); // the first callback's, and badsignal's
    expect(bound.counters.bindm).toBe(1);
    expect(named(bound, 'signal-handler')[0]!.args.how).toBe(4);
    // Before go1.21 dropm ended the first callback: no M, badsignal as well, and needm per callback.
    const per = sim.run(s, { profile: 'go1.17', events: true });
    expect(per.counters.needm).toBe(3);
  });

  it('a thread running Go without any signal stack: "non-Go code disabled sigaltstack"', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'disabled',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
        { op: 'malloc', id: 'ss', size: '32KiB', at: '0x00A00000' },
        { op: 'sigaltstack', thread: 'T1', stack: 'ss' },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'sigaltstack', thread: 'T1', stack: 'none' },
        { op: 'callback', thread: 'T1', fn: [{ op: 'signal' }] },
      ],
    } as Scenario;
    // go1.21+: the M stays bound with gsignal on C's block; C then disables the sigaltstack, and
    // the fault lands on the goroutine stack: neither gsignal's, nor g0's, nor a sigaltstack.
    const r = sim.run(s, { profile: 'tip' });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('no-signal-stack');
    expect(r.fatal).toBe('non-Go code disabled sigaltstack');
    // Before go1.21 each callback has its own needm, whose minit installs gsignal's stack again.
    expect(sim.run(s, { profile: 'go1.17' }).verdict).toBe('ok');
  });
});

describe('a signal during needm', () => {
  const s = (extraSpare: boolean): Scenario => ({
    format: 1, name: 'needm-signal',
    steps: [
      ...(extraSpare ? [{ op: 'thread', id: 'T0', stack: ['0x00600000', '0x00680000'] }, { op: 'callback', thread: 'T0', fn: [] }, { op: 'exit', thread: 'T0' }] : []),
      { op: 'thread', id: 'T1', stack: ['0x00800000', '0x00880000'] },
      { op: 'callback', thread: 'T1', signalInNeedm: true, fn: [] },
      { op: 'exit', thread: 'T1' },
    ],
  } as Scenario);

  it.each(PROFILES)('%s: blocked by needm\'s sigblock and delivered when minit unblocks it, on the M, on the stack minit set', async (profile) => {
    const sim = await simulator();
    const r = sim.run(s(false), { profile, events: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.signalsDeferred).toBe(1);
    expect(r.counters.needm).toBe(1);
    const k = r.events!.map((e) => e.kind);
    expect(k.indexOf('sigaltstack-gsignal')).toBeLessThan(k.indexOf('signal-deferred'));
    expect(k.indexOf('signal-deferred')).toBeLessThan(k.indexOf('callback'));
    expect(named(r, 'signal-handler')[0]!.args.how).toBe(1);
  });

  it('mutation NEEDM_NO_SIGBLOCK (before go1.16, #42207): badsignal\'s needm waits for the M the interrupted callback would make: a hang', async () => {
    const sim = await simulator();
    const r = sim.run(s(false), { profile: 'tip', flags: { NEEDM_NO_SIGBLOCK: true } });
    expect(r.verdict).toBe('crash');
    expect(r.crash).toBe('needm-deadlock');
    expect(r.stepPath).toBe('steps[1]');
    // With a spare extra M on the list the handler takes that one and gives it back.
    const spare = sim.run(s(true), { profile: 'tip', flags: { NEEDM_NO_SIGBLOCK: true } });
    expect(spare.verdict).toBe('ok');
    expect(spare.counters.needm).toBe(3);
    expect(spare.counters.signalsDeferred).toBe(0);
  });
});

describe('input errors', () => {
  const bad = (step: unknown): unknown => ({
    format: 1, name: 'bad',
    steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }, step],
  });
  it.each([
    [{ op: 'sigaltstack', thread: 'T1', stack: 'nope' }, /^steps\[1\]\.stack: no block "nope"/],
    [{ op: 'sigaltstack', thread: 'T1' }, /^steps\[1\]: missing required field "stack"/],
    [{ op: 'sigaltstack', thread: 'T9', stack: 'none' }, /^steps\[1\]\.thread: no thread "T9"/],
    [{ op: 'callback', thread: 'T1', signalInNeedm: 'yes', fn: [] }, /^steps\[1\]\.signalInNeedm: /],
    [{ op: 'callback', thread: 'T1', fn: [{ op: 'signal', thread: 'T1' }] }, /^steps\[1\]\.fn\[0\]: unknown key "thread"/],
    [{ op: 'callback', thread: 'T1', fn: [{ op: 'signal', fn: [] }] }, /^steps\[1\]\.fn\[0\]: unknown key "fn"/],
  ])('%j', (step, message) => {
    expect(() => compileScenario(bad(step) as Scenario)).toThrow(message);
  });
});
