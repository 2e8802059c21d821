// Bad input gets a clear error that names the step and the field, and the simulator stays usable.

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import { OptionsError } from '../src/api/errors.js';
import type { Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';

const base = (): Scenario => ({
  format: 1,
  name: 'bad-input',
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
    { op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] },
  ],
});

function withStep(i: number, step: unknown): unknown {
  const s = base() as unknown as { steps: unknown[] };
  s.steps[i] = step;
  return s;
}

const CASES: [string, unknown, RegExp, string?][] = [
  ['malformed JSON', '{"format": 1, "name": "x", "steps": [', /malformed JSON/],
  ['unknown op', withStep(1, { op: 'callbak', thread: 'T1', fn: [] }), /^steps\[1\]\.op: unknown op "callbak"/, 'steps[1].op'],
  ['unknown key', withStep(1, { op: 'callback', thread: 'T1', fn: [], stak: 1 }), /^steps\[1\]: unknown key "stak"/, 'steps[1]'],
  ['unknown nested op', withStep(1, { op: 'callback', thread: 'T1', fn: [{ op: 'systemstak' }] }), /^steps\[1\]\.fn\[0\]\.op: unknown op "systemstak" in a Go body/, 'steps[1].fn[0].op'],
  ['missing field', withStep(1, { op: 'callback', thread: 'T1' }), /^steps\[1\]: missing required field "fn"/, 'steps[1]'],
  ['address outside the window', withStep(1, { op: 'callback', thread: 'T1', sp: '0x7f53071ba828', fn: [] }), /^steps\[1\]\.sp: stack pointer \[0x7f53071ba828, .*outside the address space window/, 'steps[1].sp'],
  ['bad address', withStep(1, { op: 'callback', thread: 'T1', sp: 'zero', fn: [] }), /^steps\[1\]\.sp: must be an address/, 'steps[1].sp'],
  ['bad size', withStep(1, { op: 'malloc', id: 'A', size: '64KB' }), /^steps\[1\]\.size: must be a size/, 'steps[1].size'],
  ['unknown thread', withStep(1, { op: 'callback', thread: 'T9', fn: [] }), /^steps\[1\]\.thread: no thread "T9"/, 'steps[1].thread'],
  ['unknown profile', { ...base(), profile: 'go1.99.1' }, /^profile: unknown profile or release "go1.99.1"/, 'profile'],
  ['unknown flag', { ...base(), flags: { BP_CHEK: true } }, /^flags\.BP_CHEK: unknown flag/, 'flags.BP_CHEK'],
  ['wrong format', { ...base(), format: 2 }, /^format: must be 1/, 'format'],
  ['unknown top-level key', { ...base(), stepz: [] }, /unknown key "stepz"/, ''],
  ['$schema that is not a string', { ...base(), $schema: 1 }, /^\$schema: must be a string/, '$schema'],
  ['op named like an Object.prototype member', withStep(1, { op: 'callback', thread: 'T1', fn: [{ op: 'constructor' }] }), /^steps\[1\]\.fn\[0\]\.op: unknown op "constructor"/, 'steps[1].fn[0].op'],
  ['op of another body', withStep(1, { op: 'callback', thread: 'T1', fn: [{ op: 'stack', bytes: 8 }] }), /^steps\[1\]\.fn\[0\]\.op: unknown op "stack" in a Go body; expected one of .*"traceStart", "traceAdvance", "traceStop"$/, 'steps[1].fn[0].op'],
  ['bad expect', { ...base(), expect: { 'go1.22.0': 'crashed' } }, /^expect\.go1\.22\.0: must be "ok"/, 'expect.go1.22.0'],
  ['unknown godebug setting', { ...base(), godebug: 'tracecheckstackownrship=1' }, /^godebug: unknown setting "tracecheckstackownrship"/, 'godebug'],
  ['godebug setting the model does not act on', { ...base(), godebug: 'asyncpreemptoff=1' }, /^godebug: setting "asyncpreemptoff" is a real GODEBUG setting the model does not act on/, 'godebug'],
];

describe('input errors', () => {
  it('accepts and ignores a "$schema" key, so editors can find the schema', async () => {
    const sim = await simulator();
    const r = sim.run({ $schema: './node_modules/cgosim/schema/scenario.schema.json', ...base() } as Scenario);
    expect(r.verdict).toBe('ok');
    expect(r.traceHash).toBe(sim.run(base()).traceHash);
  });

  it.each(CASES)('%s', async (_, input, message, path) => {
    const sim = await simulator();
    const r = sim.run(input as Scenario);
    expect(r.verdict).toBe('invalid');
    expect(r.error?.code).toBe('SCENARIO_INVALID');
    expect(r.error?.message).toMatch(message);
    if (path !== undefined) expect(r.error?.path).toBe(path);
    // The simulator is still usable afterwards.
    expect(sim.run(base()).verdict).toBe('ok');
    // compileScenario throws the same error for callers that validate up front.
    expect(() => compileScenario(input)).toThrow(message);
  });

  it('overlapping malloc is refused while running, naming the step and field', async () => {
    const sim = await simulator();
    const s = base();
    s.steps.push({ op: 'malloc', id: 'A', size: '64KiB', at: '0x500000' }, { op: 'malloc', id: 'B', size: '64KiB', at: '0x508000' });
    const r = sim.run(s);
    expect(r.verdict).toBe('invalid');
    expect(r.error).toMatchObject({ code: 'STATE_INVALID', path: 'steps[3].at' });
    expect(r.error?.message).toBe('steps[3].at: [0x508000, 0x518000) overlaps the live malloc block [0x500000, 0x510000)');
    expect(sim.run(base()).verdict).toBe('ok');
  });

  it('a block over a C thread stack is refused too', async () => {
    const sim = await simulator();
    const s = base();
    s.steps.push({ op: 'malloc', id: 'A', size: 4096, at: '0x87f000' });
    expect(sim.run(s).error?.message).toBe('steps[2].at: [0x87f000, 0x880000) overlaps the live thread stack [0x800000, 0x880000)');
  });

  it('an exhausted step budget is reported with the step where it ran out', async () => {
    const sim = await simulator();
    const s: Scenario = { ...base(), steps: [base().steps[0]!, { op: 'repeat', count: 1000, steps: [base().steps[1]!] }] };
    const r = sim.run(s, { budget: 100 });
    expect(r.verdict).toBe('invalid');
    expect(r.error?.code).toBe('BUDGET_EXHAUSTED');
    expect(r.error?.message).toMatch(/^steps\[1\]\.steps\[0\](\.fn\[0\])? \(\w+\): the budget of 100 steps ran out while /);
    expect(r.stepsUsed).toBe(100);
    expect(sim.run(s).verdict).toBe('ok');
  });

  it('using an exited thread, double free and C stack overruns are refused while running', async () => {
    const sim = await simulator();
    const exited: Scenario = { ...base(), steps: [...base().steps, { op: 'repeat', count: 2, steps: [{ op: 'exit', thread: 'T1' }] }] };
    expect(sim.run(exited).error?.message).toBe('steps[2].steps[0].thread: thread "T1" has exited');
    const twice: Scenario = { ...base(), steps: [{ op: 'malloc', id: 'A', size: 4096 }, { op: 'repeat', count: 2, steps: [{ op: 'free', id: 'A' }] }] };
    expect(sim.run(twice).error?.message).toBe('steps[1].steps[0].id: the block is not allocated (freed twice?)');
    const overrun = base();
    overrun.steps[1] = { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'stack', bytes: '1MiB' }] }] };
    expect(sim.run(overrun).error?.message).toMatch(/^steps\[1\]\.fn\[0\]\.fn\[0\]\.bytes: using 1048576 more bytes at sp=0x87fdf0 runs off the current stack \[0x800000, 0x880000\)/);
  });

  it('a thread blocked in C cannot take another callback until resumed', async () => {
    const sim = await simulator();
    const s = base();
    s.steps[1] = { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'block' }] }] };
    s.steps.push({ op: 'callback', thread: 'T1', fn: [] });
    expect(sim.run(s).error?.message).toBe('steps[2].thread: thread "T1" is blocked in C; "resume" it first');
    s.steps.splice(2, 0, { op: 'resume', thread: 'T1' });
    const r = sim.run(s);
    expect(r.verdict).toBe('ok');
    expect(r.counters.callbacks).toBe(2);
    expect(r.counters.resumes).toBe(1);
  });

  it('bad run options throw an OptionsError naming the option', async () => {
    const sim = await simulator();
    expect(() => sim.run(base(), { profile: 'go1.99' })).toThrow(OptionsError);
    expect(() => sim.run(base(), { profile: 'go1.99' })).toThrow(/Invalid option in run\(\) call: "profile" must be a profile/);
    expect(() => sim.run(base(), { budget: 0 })).toThrow(/"budget" must be a positive integer/);
    expect(() => sim.run(base(), { colour: true } as never)).toThrow(/"colour" is not an option/);
    expect(() => sim.run(base(), { godebug: 'gcshrinkstackof=1' })).toThrow(/"godebug" unknown setting "gcshrinkstackof"/);
    expect(sim.run(base()).verdict).toBe('ok');
  });

  it('a disposed simulator says so', async () => {
    const sim = await simulator();
    sim.dispose();
    expect(() => sim.run(scenario('s05-main-thread-callbacks-68587.json'))).toThrow(/disposed/);
  });
});

describe('input the simulator used to accept silently', () => {
  it('a callback sp below the stack its thread runs on is refused, naming sp', async () => {
    const sim = await simulator();
    for (const sp of ['0x7ff000', '0x10']) {
      const r = sim.run(withStep(1, { op: 'callback', thread: 'T1', sp, fn: [{ op: 'systemstack' }] }) as Scenario, { events: true });
      expect(r.verdict, sp).toBe('invalid');
      expect(r.error!.path).toBe('steps[1].sp');
      expect(r.error!.message).toMatch(new RegExp(`^steps\\[1\\]\\.sp: sp=${sp} is below the stack thread "T1" runs on now, \\[0x800000, 0x880000\\)`));
      // No bounds were derived from it.
      expect(r.events!.some((e) => /0xffff/.test(e.text))).toBe(false);
    }
    expect(sim.run(withStep(1, { op: 'callback', thread: 'T1', sp: '0x870000', fn: [] }) as Scenario).verdict).toBe('ok');
  });

  it('a malloc address that malloc could not return (not 16-byte aligned) is refused', () => {
    expect(() => compileScenario(withStep(1, { op: 'malloc', id: 'A', size: '64KiB', at: '0x3f8208' }))).toThrow(/^steps\[1\]\.at: must be 16-byte aligned, as malloc returns blocks on 64-bit platforms, got 0x3f8208/);
    expect(() => compileScenario(withStep(1, { op: 'malloc', id: 'A', size: '64KiB', at: '0x3f8210' }))).not.toThrow();
  });
});
