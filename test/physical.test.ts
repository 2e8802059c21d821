// The physical model (docs/model.md §20): entry and crossing costs, g0 frames as real frames, what
// happens when they leave their stack (SIGSEGV on a guard page, verdict corrupt otherwise), malloc
// placement, carved stacks, and the split of 527715's two call sites.

import { describe, expect, it } from 'vitest';
import { FLAG_DOC, flagSet } from '../src/model/profiles.js';
import { FN } from '../src/core/abi.js';
import type { Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';

const sim = await simulator();

function coroutine(size: number, fn: unknown[], opts: { guard?: boolean; below?: unknown[]; netpoll?: boolean } = {}): Scenario {
  const lo = 0x900000;
  return {
    format: 1, name: 'physical', physical: true, ...(opts.netpoll ? { netpoll: true } : {}),
    steps: [
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      { op: 'callback', thread: 'T1', fn: [] },
      ...(opts.below ?? []),
      { op: 'malloc', id: 'co', size, at: `0x${lo.toString(16)}`, ...(opts.guard ? { guard: true } : {}) },
      { op: 'switch', thread: 'T1', to: 'co' },
      { op: 'callback', thread: 'T1', sp: `0x${(lo + size - 0xc0).toString(16)}`, fn },
    ],
  } as Scenario;
}

describe('CB_UPDATE_IN_NEEDM / CB_UPDATE_IN_CGOCALLBACKG', () => {
  it('every profile with a bounds update has both call sites; a V* flag turned on sets both', () => {
    for (const p of ['go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'tip'] as const) {
      const f = flagSet(p);
      expect(f.has('CB_UPDATE_IN_NEEDM') && f.has('CB_UPDATE_IN_CGOCALLBACKG'), p).toBe(true);
    }
    const old = flagSet('go1.17', { CB_UPDATE_V2: true });
    expect(old.has('CB_UPDATE_IN_NEEDM') && old.has('CB_UPDATE_IN_CGOCALLBACKG')).toBe(true);
  });

  it('one site turned off stays off whatever order the overrides come in', () => {
    for (const o of [{ CB_UPDATE_V1: true, CB_UPDATE_IN_CGOCALLBACKG: false }, { CB_UPDATE_IN_CGOCALLBACKG: false, CB_UPDATE_V1: true }]) {
      const f = flagSet('go1.22.5', o);
      expect([...f].filter((x) => x.startsWith('CB_UPDATE')).sort()).toEqual(['CB_UPDATE_IN_NEEDM', 'CB_UPDATE_V1']);
    }
  });

  it('527715 reverted in cgocallbackg alone: a coroutine below the thread stack keeps the stale bounds', () => {
    const s = scenario('glibc-coroutine-below-527715-reverted.json');
    expect(sim.run(s, { profile: 'go1.22.12' }).fatal).toBe('morestack on g0');
    // With the update in cgocallbackg the bounds are re-estimated and nothing fails.
    expect(sim.run({ ...s, flags: {} }, { profile: 'go1.22.12' }).verdict).toBe('ok');
    // needm still updated (pthread bounds, SP inside): the first callback got accurate bounds.
    const r = sim.run(s, { profile: 'go1.22.12', events: true });
    expect(r.events!.some((e) => e.kind === 'bounds' && e.args.lo === '0x800000')).toBe(true);
  });
});

describe('C stack costs', () => {
  it('a callback without sp puts SP_cb below the C SP by the entry frames of its release', () => {
    const s: Scenario = { format: 1, name: 'entry', physical: true, steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }, { op: 'callback', thread: 'T1', fn: [] }] };
    const cSp = 0x880000 - 0x200;
    for (const [p, cost] of [['go1.17', 168], ['go1.21.7', 168], ['go1.22.0', 176], ['tip', 176]] as const) {
      const r = sim.run(s, { profile: p, events: true });
      const cb = r.events!.find((e) => e.kind === 'callback')!;
      expect(cb.args.sp, p).toBe(`0x${(cSp - cost).toString(16)}`);
      expect(r.events!.find((e) => e.kind === 'c-frames')!.args.bytes, p).toBe(cost);
    }
  });

  it('g0 work shows as g0-frames events with the bytes it used', () => {
    const r = sim.run(coroutine(0x10000, [{ op: 'gc' }], { netpoll: true }), { profile: 'go1.22.5', events: true });
    expect(r.verdict).toBe('ok');
    const frames = r.events!.filter((e) => e.kind === 'g0-frames').map((e) => [e.args.fn, e.args.bytes]);
    expect(frames).toContainEqual(['runtime/internal/syscall.EpollWait', 1928]);
    expect(frames).toContainEqual(['runtime.exitsyscallfast.func1', 208]);
    // netpoll's own split check, deep below SP_cb.
    const checks = r.events!.filter((e) => e.kind === 'g0-check').map((e) => e.args.fn);
    expect(checks).toContain('runtime.netpoll');
  });
});

describe('frames that leave their stack', () => {
  it('onto a guard page: SIGSEGV with the release\'s header lines', () => {
    const s = coroutine(2048, [{ op: 'gc' }], { guard: true, netpoll: true });
    const r122 = sim.run(s, { profile: 'go1.22.5' });
    expect(r122.crash).toBe('sigsegv');
    expect(r122.exitCode).toBe(2);
    expect(r122.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=1 sigcode=2 addr=0x8ffff8\n\ngoroutine 0 gp=/);
    expect(r122.output).toMatch(/runtime\/internal\/syscall\.EpollWait/);
    const r121 = sim.run(s, { profile: 'go1.21.7' });
    expect(r121.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=1 sigcode=2\n\ngoroutine 0 \[idle\]:/);
    expect(sim.run(s, { profile: 'tip' }).output).toMatch(/internal\/runtime\/syscall\.EpollWait/);
    // go1.19's frames are smaller: they stay inside.
    expect(sim.run(s, { profile: 'go1.17' }).verdict).toBe('ok');
  });

  it('onto another block: verdict corrupt, naming the block', () => {
    const s = coroutine(2048, [{ op: 'gc' }], { netpoll: true, below: [{ op: 'malloc', id: 'victim', size: '4KiB', at: '0x8ff000' }] });
    const r = sim.run(s, { profile: 'go1.23.5' });
    expect(r.verdict).toBe('corrupt');
    expect(r.crash).toBe('g0-frames-corrupt');
    expect(r.note).toMatch(/overwrite malloc block "victim" \[0x8ff000, 0x900000\)/);
    expect(r.exitCode).toBeUndefined();
  });

  it('onto heap memory outside any block: corrupt too', () => {
    const r = sim.run(coroutine(2048, [{ op: 'gc' }], { netpoll: true }), { profile: 'go1.23.5' });
    expect(r.verdict).toBe('corrupt');
    expect(r.note).toMatch(/C heap memory outside any block/);
  });

  it('a thread stack has a guard page: frames off its bottom fault', () => {
    const s: Scenario = {
      format: 1, name: 'tiny-thread', physical: true,
      steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x801000'] }, { op: 'callback', thread: 'T1', sp: '0x800800', fn: [] }],
    } as Scenario;
    // needm's first-callback work (3.3 KiB on go1.22+) does not fit the 2 KiB left below SP_cb.
    const r = sim.run(s, { profile: 'go1.22.5' });
    expect(r.crash).toBe('sigsegv');
    expect(r.note).toMatch(/into its 4096-byte guard page/);
  });

  it('a carved stack overflows into its thread\'s live frames', () => {
    const s: Scenario = {
      format: 1, name: 'carve', physical: true, netpoll: true,
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'carve', id: 'co', thread: 'T1', size: '2KiB' },
        { op: 'switch', thread: 'T1', to: 'co' },
        { op: 'callback', thread: 'T1', fn: [{ op: 'gc' }] },
      ],
    } as Scenario;
    const r = sim.run(s, { profile: 'go1.22.5' });
    expect(r.verdict).toBe('corrupt');
    expect(r.note).toMatch(/overwrite the stack of thread "T1"/);
    // Without the GC the callback fits its 2 KiB.
    const ok = sim.run({ ...s, steps: [...s.steps.slice(0, 4), { op: 'callback', thread: 'T1', fn: [] }] }, { profile: 'go1.22.5' });
    expect(ok.verdict).toBe('ok');
  });
});

describe('malloc placement', () => {
  const steps = [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
    { op: 'malloc', id: 'a', size: '64KiB' },
    { op: 'malloc', id: 'b', size: '64KiB' },
    { op: 'free', id: 'a' },
    { op: 'malloc', id: 'c', size: '4KiB' },
  ];
  const blocks = (s: Scenario) => sim.run(s, { events: true }).events!.filter((e) => e.kind === 'malloc').map((e) => BigInt(e.args.lo as string));

  it('glibc: an arena below the thread stacks, packed upward, the first fit reused after free', () => {
    const [a, b, c] = blocks({ format: 1, name: 'glibc', physical: true, steps } as Scenario);
    expect(a! < 0x800000n && b! < 0x800000n).toBe(true);
    expect(b! - a!).toBe(0x10000n + 16n);
    expect(c).toBe(a);
  });

  it('musl: the brk heap low in the C area', () => {
    const [a] = blocks({ format: 1, name: 'musl', physical: true, platform: 'musl', steps } as Scenario);
    expect(a! > 0x880000n).toBe(true);
  });

  it('explicit: every malloc needs at', () => {
    const r = sim.run({ format: 1, name: 'explicit', physical: true, malloc: 'explicit', steps } as Scenario);
    expect(r.verdict).toBe('invalid');
    expect(r.error?.path).toBe('steps[1]');
    expect(r.error?.message).toMatch(/needs "at"/);
  });
});

describe('the physical model is opt-in', () => {
  const plain: Scenario = {
    format: 1, name: 'plain',
    steps: [
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      { op: 'malloc', id: 'co', size: '64KiB' },
      { op: 'switch', thread: 'T1', to: 'co' },
      { op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }, { op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] },
    ],
  };

  it('off (the default): SP_cb is the C SP, checks 0x100 below it, no frames, the simulator\'s arena', () => {
    const r = sim.run(plain, { profile: 'go1.22.5', events: true });
    expect(r.physical).toBeUndefined();
    const ev = r.events!;
    expect(ev.some((e) => e.kind === 'c-frames' || e.kind === 'g0-frames')).toBe(false);
    const block = ev.find((e) => e.kind === 'malloc')!;
    // The simulator's C arena at window base + 16 MiB, as before the model.
    expect(block.args.lo).toBe('0x1000000');
    const cb = ev.find((e) => e.kind === 'callback')!;
    expect(cb.args.sp).toBe(`0x${(0x1000000 + 0x10000 - 0x200).toString(16)}`);
    const check = ev.find((e) => e.kind === 'g0-check')!;
    expect(BigInt(check.args.sp as string)).toBe(BigInt(cb.args.sp as string) - 0x100n);
  });

  it('on by the scenario, by the run option, and off by the run option over the scenario', () => {
    const on = sim.run({ ...plain, physical: true }, { profile: 'go1.22.5', events: true });
    const opt = sim.run(plain, { profile: 'go1.22.5', events: true, physical: true });
    expect(on.physical).toBe(true);
    expect(opt.traceHash).toBe(on.traceHash);
    expect(on.events!.some((e) => e.kind === 'c-frames')).toBe(true);
    // glibc's arena below the thread stack.
    expect(BigInt(on.events!.find((e) => e.kind === 'malloc')!.args.lo as string) < 0x800000n).toBe(true);
    const off = sim.run({ ...plain, physical: true }, { profile: 'go1.22.5', physical: false });
    expect(off.traceHash).toBe(sim.run(plain, { profile: 'go1.22.5' }).traceHash);
    expect(on.traceHash).not.toBe(off.traceHash);
  });

  it('prepare().run takes physical too, and refuses a non-boolean', () => {
    const p = sim.prepare(plain);
    expect(p.run({ profile: 'go1.22.5', physical: true }).result().traceHash).toBe(sim.run(plain, { profile: 'go1.22.5', physical: true }).traceHash);
    expect(p.run({ profile: 'go1.22.5' }).result().traceHash).toBe(sim.run(plain, { profile: 'go1.22.5' }).traceHash);
    expect(() => p.run({ physical: 1 as unknown as boolean })).toThrow(/physical/);
    expect(() => sim.run(plain, { physical: 'yes' as unknown as boolean })).toThrow(/physical/);
  });

  it('a scenario field that is not a boolean is refused with its path', () => {
    const r = sim.run({ ...plain, physical: 'yes' } as unknown as Scenario);
    expect(r.verdict).toBe('invalid');
    expect(r.error?.path).toBe('physical');
  });

  it('a CB_UPDATE_V* override still reads as one override (the sites it implies are not listed)', () => {
    const r = sim.run(plain, { profile: 'go1.17', flags: { CB_UPDATE_V2: true } });
    expect(r.overrides).toEqual({ CB_UPDATE_V2: true });
    const one = sim.run(plain, { profile: 'go1.22.5', flags: { CB_UPDATE_IN_CGOCALLBACKG: false } });
    expect(one.overrides).toEqual({ CB_UPDATE_IN_CGOCALLBACKG: false });
  });
});

describe('nesting limits on a 2 KiB coroutine stack (physical model)', () => {
  // Real limits (oracle/measure/nest): go1.19.8 and go1.21.13 pass 5 levels, go1.22.12 and
  // go1.23.5 pass 6; one more dies with SIGSEGV when the callback goroutine's stack grows and
  // copystack's g0 frames reach the guard page.
  it('the last level that passes per release, and copystack is what faults', () => {
    const limit: Record<string, number> = { 'go1.17': 5, 'go1.21.7': 5, 'go1.22.5': 6, 'go1.23.1': 6, tip: 6 };
    for (const [profile, n] of Object.entries(limit)) {
      expect(sim.run(scenario('nest-5-levels-2k.json'), { profile }).verdict, profile).toBe('ok');
      const six = sim.run(scenario('nest-6-levels-2k.json'), { profile });
      const seven = sim.run(scenario('nest-7-levels-2k.json'), { profile });
      expect(six.verdict, profile).toBe(n >= 6 ? 'ok' : 'crash');
      expect(seven.crash, profile).toBe('sigsegv');
      expect((n >= 6 ? seven : six).output, profile).toMatch(/runtime\.copystack/);
    }
  });

  // Deeper nestings are built here from the bundled 5-level file.
  function nested(levels: number, size: number): Scenario {
    const s = structuredClone(scenario('nest-5-levels-2k.json'));
    let body: unknown[] = [];
    for (let i = 0; i < levels - 1; i++) body = [{ op: 'cgocall', fn: [{ op: 'stack', bytes: 8 }, { op: 'callback', fn: body }] }];
    const steps = s.steps as unknown as Record<string, unknown>[];
    steps[2]!.size = size;
    steps[4]!.fn = body;
    steps[4]!.sp = `0x${(0x900000 + size - 0xc0).toString(16)}`;
    delete (s as { expect?: unknown }).expect;
    return s;
  }

  it('eight levels on 2 KiB die on every release; 24 levels on 8 KiB pass on every release', () => {
    for (const profile of ['go1.17', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.1', 'tip']) {
      expect(sim.run(nested(8, 2048), { profile }).crash, profile).toBe('sigsegv');
      expect(sim.run(nested(24, 8192), { profile }).verdict, profile).toBe('ok');
    }
  });

  it('without the physical model the same nesting passes: the bytes are not spent', () => {
    const r = sim.run(nested(8, 2048), { profile: 'go1.22.5', physical: false });
    expect(r.verdict).toBe('ok');
  });
});

describe('nesting limits on an 8 KiB coroutine stack (physical model)', () => {
  // Real limits (oracle/measure/nest, rechecked on go1.21.13 and go1.22.12): 27 levels on go1.19
  // and go1.21, 37 on go1.22 and go1.23 (584597's re-estimate on every level); go1.22.0-1.22.4
  // skip getstackbound while SP is in bounds, which gives them one level more (from the source).
  const limit: Record<string, number> = { 'go1.17': 27, 'go1.21.7': 27, 'go1.22.0': 38, 'go1.22.5': 37, 'go1.23.1': 37, tip: 37 };
  const file = (n: number) => scenario(`nest-${n}-levels-8k.json`);

  it('each release passes its last level and dies one level deeper', () => {
    for (const [profile, n] of Object.entries(limit)) {
      for (const levels of [27, 28, 37, 38, 39]) {
        const r = sim.run(file(levels), { profile });
        expect(r.verdict, `${profile} ${levels}`).toBe(levels <= n ? 'ok' : 'crash');
        if (levels === n + 1) expect(r.crash, `${profile} ${levels}`).toBe('sigsegv');
      }
    }
  });

  it('what faults: copystack on go1.21; _cgo_getstackbound on go1.22+ (the deepest g0 frames named)', () => {
    const old = sim.run(file(28), { profile: 'go1.21.7' });
    expect(old.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=1 sigcode=2\n/);
    expect(old.output).toMatch(/runtime\.copystack\(/);
    const r = sim.run(file(38), { profile: 'go1.22.5', events: true });
    expect(r.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=1 sigcode=2 addr=0x8ffff8\n/);
    const last = r.events!.filter((e) => e.kind === 'g0-frames').at(-1)!;
    expect(last.args).toEqual({ fn: 'x_cgo_getstackbound', bytes: 504, lowest: '0x8fff38' });
    // go1.22.0 survives 38 and dies at 39 on the entry frames.
    expect(sim.run(file(39), { profile: 'go1.22.0' }).crash).toBe('sigsegv');
  });
});

describe('profiles --flags', () => {
  it('names the real CL of each call-site flag', () => {
    expect(FLAG_DOC.CB_UPDATE_IN_NEEDM).toMatch(/^527715:/);
    expect(FLAG_DOC.CB_UPDATE_IN_CGOCALLBACKG).toMatch(/^527715:/);
  });
});

describe('explore with the physical model', () => {
  it('generated scenarios say physical: true, the binary loop and the objects agree, and findings replay', async () => {
    const { explore } = await import('../src/explore/index.js');
    const { judge } = await import('../src/explore/campaign.js');
    const { sideOf } = await import('../src/explore/runner.js');
    const r = explore(sim, { profile: 'go1.22.5', seed: 3, runs: 400, physical: true });
    expect(r.summary.runs).toBe(400);
    expect(r.invalid).toEqual([]);
    for (const f of r.findings) {
      expect(f.scenario.physical).toBe(true);
      expect(judge(sim, f.scenario, [sideOf('go1.22.5')]).signature).toBe(f.signature);
    }
    expect(() => explore(sim, { profile: 'go1.22.5', runs: 1, physical: 1 as unknown as boolean })).toThrow(/physical/);
  });

});

describe('the tracer\'s g0 work from a callback (physical model)', () => {
  const frames = (r: { events?: { kind: string; args: Record<string, unknown> }[] }) =>
    r.events!.filter((e) => e.kind === 'g0-frames').map((e) => [e.args.fn, e.args.bytes]);
  const TRACE_FNS = ['runtime.stopTheWorld.func1', 'runtime.pcvalue', 'x_cgo_munmap', 'runtime/internal/syscall.EpollWait', 'internal/runtime/syscall.EpollWait'];
  const tracerFrames = (r: Parameters<typeof frames>[0]) => frames(r).filter(([fn]) => TRACE_FNS.includes(fn as string));

  it('trace.Start and trace.Stop put their frames below SP_cb, the deepest function named, per release', () => {
    const s = scenario('trace-callback-coroutine-3840.json');
    // v1 (go1.19/go1.21): Start's stack walk under traceGomaxprocs is the deepest; Stop only stops the world.
    expect(tracerFrames(sim.run(s, { profile: 'go1.17', events: true }))).toEqual([['runtime.pcvalue', 2032], ['runtime.stopTheWorld.func1', 176]]);
    expect(tracerFrames(sim.run(s, { profile: 'go1.21.7', events: true }))).toEqual([['runtime.pcvalue', 1848], ['runtime.stopTheWorld.func1', 176]]);
    // v2 (go1.22+): Start stops the world; Stop's table dump frees through x_cgo_munmap.
    expect(tracerFrames(sim.run(s, { profile: 'go1.22.5', events: true }))).toEqual([['runtime.stopTheWorld.func1', 224], ['x_cgo_munmap', 3560]]);
    expect(tracerFrames(sim.run(s, { profile: 'go1.23.1', events: true }))).toEqual([['runtime.stopTheWorld.func1', 248], ['x_cgo_munmap', 3240]]);
  });

  it('where the frames leave the stack: SIGSEGV with the PC in C ("unknown pc") or in pcvalue', () => {
    const r = sim.run(scenario('trace-callback-coroutine-3712.json'), { profile: 'go1.22.5' });
    expect(r.output).toMatch(/^SIGSEGV: segmentation violation\nPC=0x[0-9a-f]+ m=1 sigcode=2 addr=0x8ffff8\n\ngoroutine 0 gp=0xc000006540 m=1 mp=0xc000048008 \[idle\]:\nruntime: g 0 gp=0xc000006540: unknown pc 0x[0-9a-f]+\n/);
    expect(sim.run(scenario('trace-callback-coroutine-3712.json'), { profile: 'go1.23.1' }).verdict).toBe('ok');
    const old = sim.run(scenario('trace-callback-coroutine-1920.json'), { profile: 'go1.21.7' });
    expect(old.output).toMatch(/goroutine 0 \[idle\]:\nruntime: g 0: unknown pc|goroutine 0 \[idle\]:\nruntime\.pcvalue\(/);
    expect(old.output).toMatch(/runtime\.pcvalue/);
  });

  it('munmap is bound once per process: a second trace.Stop stops in libc, far shallower', () => {
    const s = structuredClone(scenario('trace-callback-coroutine-3840.json'));
    (s.steps[4] as { fn: unknown[] }).fn = [{ op: 'traceStart' }, { op: 'traceStop' }, { op: 'traceStart' }, { op: 'traceStop' }];
    expect(tracerFrames(sim.run(s, { profile: 'go1.22.5', events: true })).filter(([fn]) => fn === 'x_cgo_munmap')).toEqual([['x_cgo_munmap', 3560], ['x_cgo_munmap', 424]]);
    expect(tracerFrames(sim.run(s, { profile: 'go1.23.1', events: true })).filter(([fn]) => fn === 'x_cgo_munmap')).toEqual([['x_cgo_munmap', 3240], ['x_cgo_munmap', 384]]);
  });

  it('with a live netpoller trace.Start polls in startTheWorldWithSema, as the GC does', () => {
    const s = { ...structuredClone(scenario('trace-callback-coroutine-3840.json')), netpoll: true };
    const r = sim.run(s, { profile: 'go1.22.5', events: true });
    expect(tracerFrames(r)[0]).toEqual(['runtime/internal/syscall.EpollWait', 1928]);
    expect(r.events!.some((e) => e.kind === 'g0-check' && e.args.fn === 'runtime.netpoll')).toBe(true);
  });

  it('a second traceStart while tracing and a traceStop while not do nothing on g0', () => {
    const s = structuredClone(scenario('trace-callback-coroutine-3840.json'));
    (s.steps[4] as { fn: unknown[] }).fn = [{ op: 'traceStop' }, { op: 'traceAdvance' }, { op: 'traceStart' }, { op: 'traceStart' }];
    expect(tracerFrames(sim.run(s, { profile: 'go1.22.5', events: true }))).toEqual([['runtime.stopTheWorld.func1', 224]]);
  });

  it('from the timeline the tracer runs on another M: nothing on the callback\'s stack; without the model nothing on g0 at all', () => {
    const s = structuredClone(scenario('trace-callback-coroutine-1920.json'));
    (s.steps[4] as { fn: unknown[] }).fn = [];
    s.steps.splice(4, 0, { op: 'traceStart' });
    s.steps.splice(6, 0, { op: 'traceStop' });
    delete (s as { expect?: unknown }).expect;
    const r = sim.run(s, { profile: 'go1.22.5', events: true });
    expect(r.verdict).toBe('ok');
    expect(tracerFrames(r)).toEqual([]);
    const off = sim.run(scenario('trace-callback-coroutine-1920.json'), { profile: 'go1.22.5', physical: false, events: true });
    expect(off.verdict).toBe('ok');
    expect(frames(off)).toEqual([]);
    expect(off.events!.filter((e) => e.kind === 'trace-advance').length).toBeGreaterThan(0);
  });
});

describe('the C→Go entry frames\' saved words (physical model)', () => {
  const s: Scenario = { format: 1, name: 'entry', physical: true, steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] }, { op: 'callback', thread: 'T1', fn: [] }] };
  const cSp = 0x880000 - 0x200;
  const pc = (fn: number) => 0x401000 + fn * 0x200 + 0x20;
  const hex = (v: number) => `0x${v.toString(16)}`;
  // The frames as cgo's export wrapper, crosscall2 (runtime/cgo/asm_amd64.s, abi_amd64.h SysV) and
  // cgocallback (runtime/asm_amd64.s) lay them out, from the C caller's SP down.
  function layout(bpPush: boolean): [string, string, string, string][] {
    const r = cSp - 56 - (bpPush ? 8 : 0) - 48;
    const a = r - 24;
    return [
      ['the cgo export wrapper', 'return address', hex(cSp - 8), hex(pc(FN.C_CALLER))],
      ['the cgo export wrapper', 'saved frame pointer', hex(cSp - 16), hex(cSp)],
      ['runtime.crosscall2', 'return address', hex(cSp - 56), hex(pc(FN.CGO_EXPORT))],
      ...(bpPush ? [['runtime.crosscall2', 'saved frame pointer', hex(cSp - 64), hex(cSp - 16)] as [string, string, string, string]] : []),
      ['runtime.crosscall2', 'saved frame pointer', hex(r + 40), hex(cSp - 16)],
      ['runtime.crosscall2', 'argument to cgocallback', hex(a), hex(pc(FN.CGO_EXPORT))],
      ['runtime.crosscall2', 'argument to cgocallback', hex(a + 8), hex(cSp - 48)],
      ['runtime.crosscall2', 'argument to cgocallback', hex(a + 16), '0x0'],
      ['runtime.cgocallback', 'return address', hex(a - 8), hex(pc(FN.CROSSCALL2))],
      ['runtime.cgocallback', 'saved frame pointer', hex(a - 16), hex(r + 40)],
    ];
  }

  it('are written as the assembly lays them out, per release, and --events lists them', () => {
    for (const [p, push] of [['go1.21.7', false], ['go1.22.5', true], ['tip', true]] as const) {
      const r = sim.run(s, { profile: p, events: true });
      // The word's role is in the text: "<frame>: <role> <at> := <value>".
      const words = r.events!.filter((e) => e.kind === 'c-word').map((e) => [e.args.fn, e.text.slice(`${e.args.fn}: `.length).replace(/ 0x.*$/, ''), e.args.at, e.args.value]);
      expect(words, p).toEqual(layout(push));
      // The last frame ends at SP_cb, where cgocallback saves the old g0.sched.sp.
      const cb = r.events!.find((e) => e.kind === 'callback')!;
      expect(cb.args.sp, p).toBe(hex(cSp - (push ? 176 : 168)));
    }
  });

  it('a g0 frame running off a carved stack overwrites the live entry words below it: verdict corrupt over their addresses', () => {
    const carve: Scenario = {
      format: 1, name: 'carve-entry', physical: true, netpoll: true,
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'callback', thread: 'T1', fn: [] },
        { op: 'carve', id: 'co', thread: 'T1', size: '2KiB' },
        { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'switch', to: 'co' }, { op: 'callback', fn: [{ op: 'gc' }] }] }] },
      ],
    } as Scenario;
    const r = sim.run(carve, { profile: 'go1.22.5', events: true });
    expect(r.verdict).toBe('corrupt');
    expect(r.note).toMatch(/overwrite the stack of thread "T1"/);
    const lowest = BigInt(r.note!.match(/reach (0x[0-9a-f]+)/)![1]!);
    const lo = BigInt(r.note!.match(/carved stack "co" \[(0x[0-9a-f]+)/)![1]!);
    // The outer callback's entry words (steps[3]) lie in the overwritten range.
    const outer = r.events!.filter((e) => e.kind === 'c-word' && e.step === 'steps[3]').map((e) => BigInt(e.args.at as string));
    expect(outer.length).toBeGreaterThan(5);
    for (const at of outer) expect(at >= lowest && at < lo).toBe(true);
  });

  it('without the physical model no entry words are written', () => {
    expect(sim.run({ ...s, physical: false }, { profile: 'go1.22.5', events: true }).events!.some((e) => e.kind === 'c-word')).toBe(false);
  });
});
