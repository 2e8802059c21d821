// #69085 (seed 002): savedbp kept as an integer across a stack move during a callback; and S12,
// why savedsp survives (#7978). Plus the S20 stack rows (a, h, i).

import { describe, expect, it } from 'vitest';
import type { GoStep, RunResult, Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';
import { names, parseCrash } from './crash-sections.js';

const S11 = 's11-stale-syscallbp-tracer-69085.json';
const S12 = 's12-savedsp-survives-gc-shrink-7978.json';

/** S11 cut after G7 blocks in C: the state the tracer finds. */
function s11Blocked(): Scenario {
  const s = scenario(S11);
  s.steps = s.steps.slice(0, 2);
  delete s.expect;
  return s;
}

function g7(r: RunResult) {
  const g = r.state?.goroutines.find((x) => x.id === 'G7');
  if (!g) throw new Error('no G7 in the state');
  return g;
}

const texts = (r: RunResult, kind: string) => r.events!.filter((e) => e.kind === kind).map((e) => e.text);

describe('S11: syscallbp after two stack moves', () => {
  it('G7\'s stack moves 2K -> 4K -> 8K to the addresses the scenario names, freeing each old one', async () => {
    const sim = await simulator();
    const r = sim.run(s11Blocked(), { profile: 'go1.23.1', events: true });
    expect(texts(r, 'copystack')).toEqual(['copystack → new stack [0x2020000, 0x2021000)', 'copystack → new stack [0x2030000, 0x2032000)']);
    expect(texts(r, 'stackfree')).toEqual(['stackfree [0x2010000, 0x2010800) (poisoned)', 'stackfree [0x2020000, 0x2021000) (poisoned)']);
    // savedsp 0x2010600 -> 0x2020e00 -> 0x2031e00; savedbp likewise from 0x2010628 on 1.23.1+.
    expect(texts(r, 'reentersyscall')).toEqual(['reentersyscall sp=0x2031e00 bp=0x2031e28']);
  });

  it.each([
    ['go1.22.5', '0x0'],
    ['go1.23.0', '0x2010628'],
    ['go1.23.1', '0x2031e28'],
    ['tip', '0x2031e28'],
  ])('%s leaves G7 in C with syscallbp %s', async (profile, bp) => {
    const sim = await simulator();
    const g = g7(sim.run(s11Blocked(), { profile, state: true }));
    expect(g.status).toBe('syscall');
    expect(g.stack).toEqual(['0x2030000', '0x2032000']);
    expect(g.syscallsp).toBe('0x2031e00');
    expect(g.syscallbp).toBe(bp);
  });

  it('go1.23.0 + BP_CHECK throws in reentersyscall with the stale bp', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s11-bp-check-mutation-69085.json'), { profile: 'go1.23.0' });
    expect(r.verdict).toBe('crash');
    // The throw, then reentersyscall's second systemstack closure under "runtime stack:".
    expect(r.output).toMatch(/^entersyscall inconsistent bp 0x2010628 \[0x2030000,0x2032000\]\nfatal error: entersyscall\n\nruntime stack:\nruntime\.throw\(\{\?, \?\}\)\n[^\n]+\nruntime\.reentersyscall\.func2\(\)\n/);
    expect(r.stepPath).toBe('steps[0].fn[0].fn[0]');
  });

  it('go1.23.0: traceAdvance walks G7\'s frame pointers from the stale syscallbp into freed memory', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S11), { profile: 'go1.23.0', events: true });
    expect(r.verdict).toBe('uaf');
    expect(r.step).toBe(2);
    expect(r.stepPath).toBe('steps[2]');
    expect(r.exitCode).toBeUndefined();
  });

  it('go1.23.1: the walk from the relocated syscallbp stays on the live stack', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S11), { profile: 'go1.23.1', events: true });
    expect(r.verdict).toBe('ok');
    expect(texts(r, 'trace-stack')).toContain('traceStack goroutine 7: fpTracebackPCs walked 2 frames');
  });

  it('go1.22.x: the v2 tracer takes no stacks of goroutines it does not run, so nothing is read', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S11), { profile: 'go1.22.5' });
    expect(r.verdict).toBe('ok');
    expect(r.counters.traceStacks).toBe(0);
  });

  it('the fix is the stack map: savedbp as a pointer (SAVEDBP_UNSAFE_POINTER) on go1.23.0 survives', async () => {
    const sim = await simulator();
    const r = sim.run(s11Blocked(), { profile: 'go1.23.0', flags: { SAVEDBP_UNSAFE_POINTER: true }, state: true });
    expect(g7(r).syscallbp).toBe('0x2031e28');
  });
});

describe('S12: savedsp survives growth and a GC shrink', () => {
  it('shrinks 8K -> 4K at [0x2040000, 0x2041000) and reenters with savedsp 0x2040e00', async () => {
    const sim = await simulator();
    for (const profile of ['go1.17', 'go1.22.0', 'go1.23.0', 'tip']) {
      const r = sim.run(scenario(S12), { profile, events: true });
      expect(r.verdict, profile).toBe('ok');
      expect(texts(r, 'copystack').at(-1)).toBe('copystack → new stack [0x2040000, 0x2041000)');
      expect(texts(r, 'reentersyscall')[0]).toMatch(/^reentersyscall sp=0x2040e00 /);
    }
  });

  it('with savedsp as a uintptr the check fires with the stale SP, in each profile\'s wording', async () => {
    const sim = await simulator();
    const m = scenario('s12-savedsp-as-uintptr-mutation.json');
    expect(sim.run(m, { profile: 'go1.23.0' }).output).toMatch(/^entersyscall inconsistent 0x2010600 \[0x2040000,0x2041000\]\nfatal error: entersyscall\n\nruntime stack:\n/);
    expect(sim.run(m, { profile: 'go1.23.1' }).output).toMatch(/^entersyscall inconsistent sp 0x2010600 \[0x2040000,0x2041000\]\nfatal error: entersyscall\n\nruntime stack:\n/);
  });
});

function oneGoroutine(stack: [string, string], fn: GoStep[], extra: Partial<Scenario> = {}): Scenario {
  return { format: 1, name: 'g', steps: [{ op: 'go', id: 'G1', stack, fn }], ...extra };
}

describe('S20 stack rows', () => {
  it('a: after exitsyscall, syscallsp == 0 (and a GC can shrink the stack again)', async () => {
    const sim = await simulator();
    const r = sim.run(oneGoroutine(['0x2010000', '0x2012000'], [{ op: 'cgocall', fn: [] }, { op: 'gc' }]), { state: true, events: true });
    expect(g7ish(r).syscallsp).toBe('0x0');
    expect(r.counters.stackShrinks).toBe(1);
  });

  it('h: shrink halves a stack using under a quarter; never below 2KiB; not at a quarter or more', async () => {
    const sim = await simulator();
    const shrink = sim.run(oneGoroutine(['0x2010000', '0x2012000'], [{ op: 'gc' }]), { events: true });
    expect(texts(shrink, 'copystack')).toEqual(['copystack → new stack [0x2020000, 0x2021000)']);
    const twice = sim.run(oneGoroutine(['0x2010000', '0x2012000'], [{ op: 'gc' }, { op: 'gc' }]), { events: true });
    expect(twice.counters.stackShrinks).toBe(1);
    expect(texts(twice, 'shrink-skipped')).toEqual(['goroutine 1: no shrink (uses a quarter or more)']);
    const small = sim.run(oneGoroutine(['0x2010000', '0x2010800'], [{ op: 'gc' }]), { events: true });
    expect(texts(small, 'shrink-skipped')).toEqual(['goroutine 1: no shrink (half would be below 2KiB)']);
    // 0x1c8 (entry frames) + a 1KiB frame + 800 >= 8192/4: kept.
    const busy = sim.run(oneGoroutine(['0x2010000', '0x2012000'], [{ op: 'call', frame: 1024, fn: [{ op: 'gc' }] }]), { events: true });
    expect(busy.counters.stackShrinks).toBe(0);
    const off = sim.run(oneGoroutine(['0x2010000', '0x2012000'], [{ op: 'gc' }], { godebug: 'gcshrinkstackoff=1' }), { events: true });
    expect(off.counters.stackShrinks).toBe(0);
    expect(texts(off, 'shrink-skipped')).toEqual(['goroutine 1: no shrink (GODEBUG=gcshrinkstackoff=1)']);
  });

  it('i: growth doubles until the frame fits with 928 bytes to spare', async () => {
    const sim = await simulator();
    // 2KiB stack, 0x1c8 in use; a 3000-byte frame needs 3008 + 8 + 928: 4KiB is short, 8KiB fits.
    const r = sim.run(oneGoroutine(['0x2010000', '0x2010800'], [{ op: 'call', frame: 3000 }]), { events: true });
    expect(r.counters.copystack).toBe(1);
    expect(texts(r, 'copystack')).toEqual(['copystack → new stack [0x2020000, 0x2022000)']);
  });

  it('i: past maxstacksize the runtime throws "stack overflow"', async () => {
    const sim = await simulator();
    const r = sim.run(oneGoroutine(['0x2010000', '0x2010800'], [{ op: 'setMaxStack', bytes: '64KiB' }, { op: 'grow', bytes: '100KiB' }]));
    expect(r.verdict).toBe('crash');
    expect(r.fatal).toBe('stack overflow');
    expect(r.output).toMatch(/^runtime: goroutine stack exceeds 65536-byte limit\nruntime: sp=0x[0-9a-f]+ stack=\[0x[0-9a-f]+, 0x[0-9a-f]+\]\nfatal error: stack overflow\n\nruntime stack:\n/);
    // g0 in newstack, then the goroutine from the grow function whose prologue failed.
    const c = parseCrash(r.output!);
    expect(names(c.sections[0])).toEqual(['runtime.throw', 'runtime.newstack', 'runtime.morestack']);
    expect(c.sections[1]!.header).toMatch(/^goroutine \d+ (gp=\? m=\d+ mp=\? )?\[running\]:$/);
    expect(names(c.sections[1]).slice(0, 2)).toEqual(['main.grow', 'main.grow']);
    expect(names(c.sections[1]).at(-1)).toBe('runtime.goexit');
    // 100 KiB of 256-byte grow frames: Go prints the innermost 50 and the outermost 50 (go1.21+).
    expect(c.sections[1]!.elided).toMatch(/^\.\.\.\d+ frames elided\.\.\.$/);
    expect(c.sections[1]!.frames).toHaveLength(100);
  });

  it('a GC while a goroutine sits in C defers its shrink (preemptShrink)', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'deferred-shrink',
      steps: [
        { op: 'go', id: 'G1', stack: ['0x2010000', '0x2012000'], fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] },
        { op: 'gc' },
      ],
    };
    const r = sim.run(s, { state: true });
    expect(r.counters.shrinksDeferred).toBeGreaterThanOrEqual(1);
    expect(r.counters.stackShrinks).toBe(0);
    expect(r.state!.goroutines.find((g) => g.id === 'G1')!.preemptShrink).toBe(true);
  });

  it('a pointer slot holding junk below 4096 is fatal when the stack moves, unless GODEBUG=invalidptr=0', async () => {
    const sim = await simulator();
    const fn: GoStep[] = [{ op: 'call', frame: 64, ptrs: [{ at: 8, value: 16 }], fn: [{ op: 'grow', bytes: '4KiB' }] }];
    const r = sim.run(oneGoroutine(['0x2010000', '0x2010800'], fn));
    expect(r.fatal).toBe('invalid pointer found on stack');
    expect(r.output).toMatch(/^runtime: bad pointer in frame main\.call0 at 0x[0-9a-f]+: 0x10\n/);
    expect(sim.run(oneGoroutine(['0x2010000', '0x2010800'], fn, { godebug: 'invalidptr=0' })).verdict).toBe('ok');
  });

  it('the GC\'s shrink moves the stack too: the same throw, under shrinkstack and scanstack', async () => {
    const sim = await simulator();
    // 16 KiB, a quarter of it not used: the GC's scan halves it (copystack), and adjustpointers meets the junk.
    const fn: GoStep[] = [{ op: 'call', frame: 64, ptrs: [{ at: 8, value: 16 }], fn: [{ op: 'gc' }] }];
    const r = sim.run(oneGoroutine(['0x2010000', '0x2014000'], fn), { profile: 'go1.21.0' });
    expect(r.fatal).toBe('invalid pointer found on stack');
    expect(r.counters.stackShrinks).toBe(1);
    const stack = r.output.slice(r.output.indexOf('runtime stack:'), r.output.indexOf('\n\ngoroutine'));
    expect([...stack.matchAll(/^(runtime\.\w+)\(/gm)].map((m) => m[1])).toEqual(
      ['runtime.throw', 'runtime.adjustpointers', 'runtime.adjustframe', 'runtime.copystack', 'runtime.shrinkstack', 'runtime.scanstack']);
  });
});

function g7ish(r: RunResult) {
  return r.state!.goroutines.find((g) => g.id === 'G1')!;
}
