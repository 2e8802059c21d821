// Every crash kind's output in Go's layout (issue 12 item 5; docs/model.md §21): the check's own
// lines, then the sections GOTRACEBACK=single prints for it, in Go's order, frames as `name(args)`
// then `\t/usr/local/go/src/FILE[:LINE] [+0x…]` (never an invented `+0x…`). First every entry of the crash
// table through formatCrash with a goroutine whose modelled frames are given, then real runs.
// Offsets print only for a release whose build was measured (GO_OFFSETS, with its GO_LINES).

import { describe, expect, it } from 'vitest';
import { CRASHES, formatCrash, type CrashView } from '../src/report/crashes.js';
import { compileScenario } from '../src/scenario/compile.js';
import { flagSet, PROFILE_NAMES, type ProfileName } from '../src/model/profiles.js';
import { physClassOf } from '../src/model/physical.js';
import { FN, RF } from '../src/core/abi.js';
import { names, parseCrash } from './crash-sections.js';
import { scenario, simulator } from './helpers.js';
import type { GoStep, Scenario } from '../src/api/types.js';

/** What each kind prints after its own lines: section headers (`runtime stack:` or `goroutine`) and each section's first frames. */
const LAYOUT: Record<string, { sections: string[]; first: string[][] } | 'none'> = {
  'morestack-g0': { sections: ['goroutine 0', 'goroutine'], first: [['runtime.abort', 'runtime.morestack'], ['runtime.systemstack_switch', 'runtime.exitsyscallfast', 'runtime.exitsyscall']] },
  'morestack-g0@crashstack': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.badmorestackg0.func1', 'runtime.switchToCrashStack0'], ['runtime.systemstack_switch', 'runtime.exitsyscallfast', 'runtime.exitsyscall']] },
  'stack-split-at-bad-time#8': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.newstack', 'runtime.morestack'], ['main.grow', 'runtime.cgocallbackg']] },
  'stack-split-at-bad-time': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.newstack', 'runtime.morestack'], ['runtime.printlock', 'runtime.callbackUpdateSystemStack', 'runtime.cgocallbackg']] },
  'cgocallback-out-of-bounds': 'none',
  'cgo-callback-before-cgo-call': 'none',
  'entersyscall-inconsistent-sp': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.reentersyscall.func1', 'runtime.systemstack'], ['runtime.systemstack_switch', 'runtime.reentersyscall', 'runtime.cgocallbackg']] },
  'entersyscall-inconsistent-bp': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.reentersyscall.func2', 'runtime.systemstack'], ['runtime.systemstack_switch', 'runtime.reentersyscall', 'runtime.cgocallbackg']] },
  'uaf-c-stack': 'none',
  'lockosthread-misuse': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.badunlockosthread', 'runtime.systemstack'], ['runtime.systemstack_switch', 'runtime.unlockOSThread', 'runtime.cgocallbackg']] },
  'stack-overflow': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.newstack', 'runtime.morestack'], ['main.grow', 'runtime.cgocallbackg']] },
  'stack-growth-in-syscall': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.copystack', 'runtime.newstack', 'runtime.morestack'], ['main.grow', 'runtime.cgocallbackg']] },
  'invalid-pointer': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.adjustpointers', 'runtime.adjustframe', 'runtime.copystack', 'runtime.newstack', 'runtime.morestack'], ['main.grow', 'runtime.cgocallbackg']] },
  'shrinkstack-at-bad-time': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.shrinkstack', 'runtime.newstack', 'runtime.morestack'], ['runtime.cgocallbackg']] },
  'unknown-caller-pc': 'none',
  'uaf-stack': 'none',
  'split-stack-overflow': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.newstack', 'runtime.morestack'], ['main.grow', 'runtime.cgocallbackg']] },
  'sigsegv#16': { sections: ['goroutine 0'], first: [['runtime.fpTracebackPCs', 'runtime.traceStack', 'runtime.traceAdvance.func1.1', 'runtime.systemstack']] },
  'sigsegv#19': { sections: ['goroutine'], first: [['runtime.cgocallbackg', 'runtime.cgocallback', 'runtime.goexit']] },
  'sigsegv#45': { sections: ['goroutine 0'], first: [['crosscall2']] },
  'schedule-in-cgo': { sections: ['runtime stack:'], first: [['runtime.throw', 'runtime.schedule', 'runtime.park_m', 'runtime.mcall']] },
  'm-changed': { sections: ['goroutine'], first: [['runtime.throw', 'runtime.cgocallbackg', 'runtime.cgocallback']] },
  'morestack-gsignal': { sections: ['goroutine 0'], first: [['runtime.abort', 'runtime.morestack']] },
  'trace-stack-ownership': 'none',
  'assertion-failed': 'none',
  'panic': { sections: ['goroutine'], first: [['main.grow']] },
  'goexit-locked': { sections: ['runtime stack:'], first: [['runtime.throw', 'runtime.goexit0', 'runtime.mcall']] },
  'send-on-closed-channel': { sections: ['goroutine'], first: [['main.grow']] },
  'close-of-closed-channel': { sections: ['goroutine'], first: [['main.grow']] },
  'negative-waitgroup-counter': { sections: ['goroutine'], first: [['sync.(*WaitGroup).Add', 'main.grow']] },
  'coro-lock-mismatch': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.coroswitch_m', 'runtime.mcall'], ['runtime.coroswitch', 'runtime.cgocallbackg']] },
  'coroswitch-on-exited-coro': { sections: ['runtime stack:', 'goroutine'], first: [['runtime.throw', 'runtime.coroswitch_m', 'runtime.mcall'], ['runtime.coroswitch', 'runtime.cgocallbackg']] },
  'hang': 'none',
  'sigstack-fault': 'none',
  'no-signal-stack': 'none',
  'signal-not-on-stack': 'none',
  'exitsyscall-frame': { sections: ['goroutine'], first: [['runtime.throw', 'runtime.exitsyscall', 'runtime.cgocallbackg']] },
  'needm-deadlock': 'none',
  'g0-frames-corrupt': 'none',
};

/** A goroutine in a callback on an extra M (its innermost modelled frames as the core leaves them). */
const CALLBACK_G = [RF.CGOCALLBACKG, RF.CGOCALLBACK, RF.GOEXIT];

function view(profile: ProfileName, kindName: string): Omit<CrashView, 'o'> {
  const c = compileScenario({ format: 1, name: 'v', steps: [] });
  // The goroutine as the core would leave it: newstack's checks fail calling main.grow (their
  // callee PC operand) from a callback; the panics happen inside main.grow.
  const panics = ['panic', 'send-on-closed-channel', 'close-of-closed-channel', 'negative-waitgroup-counter'];
  const frames = panics.includes(kindName) ? [RF.GROW, ...CALLBACK_G] : CALLBACK_G;
  const fn = kindName === 'morestack-g0' ? FN.EXITSYSCALLFAST_FUNC1
    : kindName === 'schedule-in-cgo' ? FN.PARK_M
      : ['stack-overflow', 'stack-growth-in-syscall', 'invalid-pointer', 'shrinkstack-at-bad-time', 'split-stack-overflow', 'stack-split-at-bad-time'].includes(kindName) ? FN.COPYSTACK : 0;
  // schedule() and goexit0 run after dropg: the M has no goroutine then.
  const dropped = kindName === 'schedule-in-cgo' || kindName === 'goexit-locked';
  return {
    fn, compiled: c, flags: flagSet(profile), platform: 'linux', thread: 'T1', physClass: physClassOf(profile),
    go121: PROFILE_NAMES.indexOf(profile) >= PROFILE_NAMES.indexOf('go1.21.0'),
    go122: PROFILE_NAMES.indexOf(profile) >= PROFILE_NAMES.indexOf('go1.22.0'),
    ...(dropped ? {} : { g: { goid: 7n, status: 'running', locked: true, mId: 2, frames } }),
  };
}

/** Operands that make a kind's own lines well formed (a callee PC for newstack's checks: main.grow). */
function operands(names: readonly string[]): bigint[] {
  return names.map((n) => (n === 'calleePc' ? 0x460000n + BigInt(RF.GROW) * 0x100n + 0x40n : n === 'value' ? 1n : n === 'goid' ? 7n : n === 'underShrink' ? 0n : 0x1000n));
}

describe('every crash kind prints Go\'s sections in Go\'s order', () => {
  for (const profile of ['go1.17', 'go1.21.0', 'go1.22.0', 'go1.23.0'] as const) {
    for (const e of CRASHES) {
      it(`${profile} ${e.name} (kind ${e.kind})`, () => {
        const v = view(profile, e.name);
        const k = formatCrash(e.kind, operands(e.operands), v);
        // go1.22+ badmorestackg0 prints on a crash stack and throws (the variant).
        const variant = k.output.startsWith('runtime: morestack on g0') ? '@crashstack' : '';
        const layout = (variant ? LAYOUT[`${k.crash}${variant}`] : undefined) ?? LAYOUT[`${k.crash}#${e.kind}`] ?? LAYOUT[k.crash];
        expect(layout, `LAYOUT has no row for ${k.crash}`).toBeDefined();
        // What result.ts moves to `note`: the simulator's own lines.
        const parsed = parseCrash(k.output.split('\n').filter((l) => !l.startsWith('cgosim: ')).join('\n'));
        // No frame offset is invented; `(...)` only on the inlined fpTracebackPCs.
        for (const s of parsed.sections) {
          for (const f of s.frames) {
            expect(f.offset, `${f.name}`).toBeUndefined();
            if (f.args === '...') expect(f.name).toBe('runtime.fpTracebackPCs');
          }
        }
        if (layout === 'none') {
          expect(parsed.sections).toEqual([]);
          return;
        }
        if (k.fatal !== undefined && !/^(fatal: |SIGSEGV|panic: )/.test(k.output)) {
          expect(parsed.head.at(-1)).toBe(`fatal error: ${k.fatal}`);
        }
        expect(parsed.sections.map((s) => (s.header === 'runtime stack:' ? s.header : s.header.startsWith('goroutine 0 ') ? 'goroutine 0' : 'goroutine'))).toEqual(layout.sections);
        const want = k.crash === 'goexit-locked' && v.go122 ? [['runtime.throw', 'runtime.gdestroy', 'runtime.goexit0', 'runtime.mcall']] : layout.first;
        want.forEach((first, i) => expect(names(parsed.sections[i]).slice(0, first.length), `section ${i}`).toEqual(first));
        for (const s of parsed.sections) {
          if (s.header.startsWith('goroutine') && !s.header.startsWith('goroutine 0 ')) {
            // go1.22+ add gp=, m=, mp= for a runtime throw (level 2), not for a panic (level 1).
            expect(s.header).toMatch(v.go122 && !k.output.startsWith('panic: ') ? /^goroutine 7 gp=\? m=2 mp=\? \[running, locked to thread\]:$/ : /^goroutine 7 \[running, locked to thread\]:$/);
          }
        }
        // A runtime throw's goroutine ends at goexit (level 2); a panic's hides runtime frames (level 1).
        const last = parsed.sections.at(-1)!;
        if (last.header.startsWith('goroutine') && !last.header.startsWith('goroutine 0 ')) {
          expect(names(last).at(-1)).toBe(k.output.startsWith('panic: ') ? 'main.grow' : 'runtime.goexit');
        }
      });
    }
  }
});

const grow = (fn: GoStep[]): Scenario => ({ format: 1, name: 'g', steps: [{ op: 'go', id: 'G1', stack: ['0x2010000', '0x2010800'], fn }] }) as Scenario;

describe('real runs', () => {
  it('the channel panics name the goroutine that panicked (not "goroutine ?")', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'ch', steps: [
        { op: 'go', id: 'G0', fn: [] },
        { op: 'go', id: 'G1', fn: [{ op: 'chan', id: 'c', cap: 1 }, { op: 'close', ch: 'c' }, { op: 'send', ch: 'c' }] },
      ],
    } as Scenario;
    const r = sim.run(s, { state: true });
    expect(r.crash).toBe('send-on-closed-channel');
    const goid = r.state!.goroutines.find((g) => g.id === 'G1')!.goid;
    const c = parseCrash(r.output!);
    expect(c.head).toEqual(['panic: send on closed channel']);
    expect(c.sections.map((x) => x.header)).toEqual([`goroutine ${goid} [running]:`]);
    expect(names(c.sections[0])).toEqual(['main.goroutine']);
    expect(r.note).toBe('channel "c"');
  });

  it('a panic in a callback shows the scenario\'s frames only (level 1)', async () => {
    const sim = await simulator();
    const r = sim.run({ format: 1, name: 'p', steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }, { op: 'callback', thread: 'T1', fn: [{ op: 'call', frame: 64, fn: [{ op: 'panic', value: 'boom' }] }] }] } as Scenario, { profile: 'go1.21.0' });
    const c = parseCrash(r.output!);
    expect(c.head).toEqual(['panic: boom']);
    expect(c.sections[0]!.header).toMatch(/^goroutine \d+ \[running, locked to thread\]:$/);
    expect(names(c.sections[0])).toEqual(['main.call0']);
    expect(c.sections[0]!.frames[0]!.file).toBe('?');
  });

  it('invalid pointer: g0 in copystack under newstack, then the goroutine from the callee', async () => {
    const sim = await simulator();
    const r = sim.run(grow([{ op: 'call', frame: 64, ptrs: [{ at: 8, value: 16 }], fn: [{ op: 'grow', bytes: '4KiB' }] }]));
    const c = parseCrash(r.output!);
    expect(c.head.at(-1)).toBe('fatal error: invalid pointer found on stack');
    expect(names(c.sections[0])).toEqual(['runtime.throw', 'runtime.adjustpointers', 'runtime.adjustframe', 'runtime.copystack', 'runtime.newstack', 'runtime.morestack']);
    expect(names(c.sections[1]).slice(0, 2)).toEqual(['main.grow', 'main.grow']);
    expect(names(c.sections[1]).slice(-3)).toEqual(['main.call0', 'main.goroutine', 'runtime.goexit']);
  });

  it.each([
    ['scenarios/mutations/s20e-double-unlock-mutation.json', 'go1.17', 'lockosthread-misuse'],
    ['scenarios/mutations/s12-savedsp-as-uintptr-mutation.json', 'go1.17', 'entersyscall-inconsistent-sp'],
    ['scenarios/mutations/s11-bp-check-mutation-69085.json', 'go1.23.0', 'entersyscall-inconsistent-bp'],
    ['scenarios/go-tests/TestCoroCgoCallback-CoroCgoCallbackAfterPull.json', 'go1.23.0', 'coro-lock-mismatch'],
    ['scenarios/go-tests/TestDestructorCallback-Race.json', 'go1.17', 'exitsyscall-frame'],
    ['scenarios/regressions/s08-non-open-coded-defers-62102.json', 'go1.17', 'm-changed'],
    ['scenarios/regressions/s01-stack-switch-callback-62440.json', 'go1.21.0', 'morestack-g0'],
    ['scenarios/demos/go-thread-fiber-callback.json', 'go1.22.0', 'stack-split-at-bad-time'],
  ])('%s under %s: %s with the goroutine\'s modelled frames down to goexit', async (file, profile, crash) => {
    const sim = await simulator();
    const r = sim.run(scenario(file.replace(/^scenarios\/[^/]+\//, '')), { profile });
    expect(r.crash).toBe(crash);
    const c = parseCrash(r.output!);
    const layout = LAYOUT[crash] as { sections: string[]; first: string[][] };
    expect(c.sections.map((s) => (s.header === 'runtime stack:' ? s.header : s.header.startsWith('goroutine 0 ') ? 'goroutine 0' : 'goroutine'))).toEqual(layout.sections);
    expect(names(c.sections.at(-1)).at(-1)).toBe('runtime.goexit');
    for (const s of c.sections) for (const f of s.frames) expect(f.offset).toBeUndefined();
  });
});

describe('golden texts derived from the source', () => {
  it('go1.22.12 (source read: real lines, offsets measured in its build): the callback that splits its stack at a bad time', async () => {
    const sim = await simulator();
    const r = sim.run({
      format: 1, name: 'split', platform: 'nobounds',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x810000'] },
        { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'stack', bytes: 12288 }, { op: 'callback', fn: [] }] }, { op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] },
      ],
    } as Scenario, { profile: 'go1.22.12' });
    const cb = 'runtime.cgocallback(?, ?, ?)\n\t/usr/local/go/src/runtime/asm_amd64.s:1079 +0xcc\n';
    const callbackFrames = 'runtime.callbackUpdateSystemStack(?, ?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\n' +
      `runtime.cgocallbackg(?, ?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\n${cb}` +
      'runtime.cgocall(?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\n' +
      'runtime.cgocallbackg1(?, ?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\n' +
      `runtime.cgocallbackg(?, ?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\n${cb}` +
      'runtime.goexit({})\n\t/usr/local/go/src/runtime/asm_amd64.s:1695 +0x1\n';
    expect(r.output).toBe(
      'runtime: newstack at runtime.printlock+0x55 sp=0x2000e28 stack=[0x2000000, 0x2001000]\n' +
      '\tmorebuf={pc:0x402e94 sp:0x2000e30 lr:0x0}\n\tsched={pc:0x401855 sp:0x2000e28 lr:0x0 ctxt:0x0}\n' +
      callbackFrames +
      'fatal error: runtime: stack split at bad time\n\n' +
      'runtime stack:\nruntime.throw({?, ?})\n\t/usr/local/go/src/runtime/panic.go:1023 +0x5c\n' +
      'runtime.newstack()\n\t/usr/local/go/src/runtime/stack.go:995 +0xa36\nruntime.morestack()\n\t/usr/local/go/src/runtime/asm_amd64.s:616 +0x7a\n\n' +
      'goroutine 2 gp=? m=1 mp=? [syscall, locked to thread]:\nruntime.printlock()\n\t/usr/local/go/src/runtime/print.go\n' +
      callbackFrames,
    );
  });

  it('go1.17rc1 #47441: SIGSEGV on the wrong M, then the goroutine from its syscall SP (no addr= before go1.22)', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s08-traceback-context-preemption-47441.json'), { profile: 'go1.17rc1' });
    expect(r.output).toBe(
      'SIGSEGV: segmentation violation\nPC=0x40249a m=3 sigcode=128\nsignal arrived during cgo execution\n\n' +
      'goroutine 5 [syscall]:\nruntime.cgocall(?, ?)\n\t/usr/local/go/src/runtime/cgocall.go\nmain.goroutine()\n\t?\n' +
      'runtime.goexit({})\n\t/usr/local/go/src/runtime/asm_amd64.s\n',
    );
  });

  it('go1.23.0: goexit0 → gdestroy throws on g0 after dropg (TestCgoToGoCallGoexit)', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('TestCgoToGoCallGoexit.json'), { profile: 'go1.23.0' });
    expect(r.output).toBe(
      'runtime: mp.lockedInt = 1\nfatal error: exited a goroutine internally locked to the OS thread\n\n' +
      'runtime stack:\nruntime.throw({?, ?})\n\t/usr/local/go/src/runtime/panic.go\nruntime.gdestroy(?)\n\t/usr/local/go/src/runtime/proc.go\n' +
      'runtime.goexit0(?)\n\t/usr/local/go/src/runtime/proc.go\nruntime.mcall(?)\n\t/usr/local/go/src/runtime/asm_amd64.s\n',
    );
  });
  it('the tracer\'s SIGSEGV: the kernel\'s code by the address, and the M that ran the walk', () => {
    const e = CRASHES.find((c) => c.name === 'sigsegv' && c.operands.includes('fp'))!;
    const at = (fp: bigint) => formatCrash(e.kind, [fp, 7n, 9n], view('go1.23.0', e.name)).output.split('\n').slice(0, 4);
    // An unmapped canonical address: SEGV_MAPERR with the address.
    expect(at(0x7f0012345678n)).toEqual(['SIGSEGV: segmentation violation', 'PC=0x4a1d20 m=9 sigcode=1 addr=0x7f0012345678', '', 'goroutine 0 gp=? m=9 mp=? [idle]:']);
    // A non-canonical one (a frame word holding data): a general-protection fault, as #69085 printed.
    expect(at(0x4141414141414141n)[1]).toBe('PC=0x4a1d20 m=9 sigcode=128 addr=0x0');
    expect(at(0xffff800000001000n)[1]).toBe('PC=0x4a1d20 m=9 sigcode=1 addr=0xffff800000001000');
  });
  it('split stack overflow: newstack\'s state lines first, as stack.go prints them', () => {
    const e = CRASHES.find((c) => c.name === 'split-stack-overflow')!;
    const ops = [0x2000ff0n, 0x2001000n, 0x2002000n, 0x460a40n, 0x2001000n, 0n, 0n, 0x460540n];
    const out = formatCrash(e.kind, ops, { ...view('go1.21.0', e.name), goid: 7n }).output.split('\n').slice(0, 6);
    expect(out).toEqual([
      'runtime: newstack sp=0x2000ff0 stack=[0x2001000, 0x2002000]',
      '\tmorebuf={pc:0x460a40 sp:0x2001000 lr:0x0}',
      '\tsched={pc:0x460540 sp:0x2000ff8 lr:0x0 ctxt:0x0}',
      'runtime: gp=?, goid=7, gp->status=0x2',
      ' runtime: split stack overflow: 0x2000ff0 < 0x2001000',
      'fatal error: runtime: split stack overflow',
    ]);
  });
  it('sigNotOnStack: go1.21 added the gsignal and g0 stacks and the SP (#60007); before, the first line only', () => {
    const e = CRASHES.find((c) => c.name === 'signal-not-on-stack')!;
    const ops = [0xb04000n, 0xa00000n, 0xa08000n, 3n, 0x800000n, 0x880000n];
    expect(formatCrash(e.kind, ops, view('go1.23.0', e.name)).output).toBe(
      'signal ? received but handler not on signal stack\n' +
      'mp.gsignal stack [0xa00000 0xa08000], mp.g0 stack [0x800000 0x880000], sp=0xb04000\n' +
      'fatal error: non-Go code set up signal handler without SA_ONSTACK flag\n');
    expect(formatCrash(e.kind, ops, view('go1.17', e.name)).output).toBe(
      'signal ? received but handler not on signal stack\nfatal error: non-Go code set up signal handler without SA_ONSTACK flag\n');
  });
});
