// Structured results: every event carries its kind, the op that was running and its operands by
// name (report/events.ts); the compiled scenario names each op's path and the fields run-time
// errors are about; the trace export builds its slices from that structure, not from the text.

import { describe, expect, it } from 'vitest';
import { compileScenario } from '../src/scenario/compile.js';
import { EVENTS, decodeEvent } from '../src/report/events.js';
import { toChromeTrace } from '../src/report/traceexport.js';
import { SCENARIOS, simulator } from './helpers.js';

const BY_KIND = new Map(EVENTS.map((e) => [e.kind, e]));

describe('structured results', () => {
  it('every event of every bundled scenario has a known kind, its op, and its operands by name', async () => {
    const sim = await simulator();
    let events = 0;
    for (const [file, doc] of Object.entries(SCENARIOS)) {
      const compiled = compileScenario(doc);
      for (const profile of ['go1.22.0']) {
        const r = sim.run(compiled, { profile, events: true });
        for (const e of r.events!) {
          if (e.kind === 'events-omitted') continue;
          events++;
          const def = BY_KIND.get(e.code);
          expect(def, `${file} ${profile} #${e.index}`).toBeDefined();
          expect(e.kind).toBe(def!.name);
          const names = Object.keys(e.args).filter((k) => k !== 'fn');
          const forms = [def!.operands, ...(def!.operandsFor ? [def!.operandsFor(0n, 0n), def!.operandsFor(0n, 0x460000n)] : [])];
          expect(forms.map((f) => f.map(([n]) => n))).toContainEqual(names);
          if (e.op >= 0) expect(compiled.subjects[e.op]!.path).toBe(e.step);
          else expect(e.step).toBe('');
        }
      }
    }
    expect(events).toBeGreaterThan(1000);
  });

  it('decodes operands by the table: addresses as hex, counts as numbers, the g0 check\'s function from the packed kind', () => {
    expect(decodeEvent(10, 0x800000n, 0x880000n)).toEqual({ kind: 10, name: 'bounds', text: 'g0 bounds := [0x800000, 0x880000]', args: { lo: '0x800000', hi: '0x880000' } });
    expect(decodeEvent(23, 5n, 0x2020000n).args).toEqual({ goid: 5, stack: '0x2020000' });
    const g0 = decodeEvent(13 | (1 << 8), 0x87fd00n, 0x8003a0n);
    expect(g0.name).toBe('g0-check');
    expect(g0.args.fn).toBe('runtime.exitsyscallfast.func1');
    expect(g0.text).toBe('runtime.exitsyscallfast.func1: g0 split check sp=0x87fd00 guard=0x8003a0: ok');
    expect(decodeEvent(38, 0x1000n, 3n).args).toEqual({ sp: '0x1000', frames: 3 });
    expect(decodeEvent(38, 0x1000n, 0x460100n).args).toEqual({ sp: '0x1000', pc: '0x460100' });
    expect(decodeEvent(200, 1n, 2n)).toMatchObject({ name: '200', text: 'event 200' });
  });

  it('the compiler hands over each op\'s path and the fields run-time errors are about', () => {
    const c = compileScenario({
      format: 1, name: 'subjects',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x100000', '0x110000'] },
        { op: 'malloc', id: 'A', size: 4096 },
        { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'stack', bytes: 64 }] }] },
      ],
    });
    expect(c.subjects.map((s) => [s.path, s.op])).toEqual([
      ['steps[0]', 'thread'], ['steps[1]', 'malloc'], ['steps[2]', 'callback'], ['steps[2].fn[0]', 'cgocall'], ['steps[2].fn[0].fn[0]', 'stack'],
    ]);
    expect(c.subjects[1]!.fields).toMatchObject({ REGION_OVERLAP: 'at', NO_SPACE: 'size', FREED_TWICE: 'id' });
    expect(c.subjects[0]!.fields).toMatchObject({ REGION_OVERLAP: 'stack' });
    expect(c.subjects[4]!.fields.C_STACK_OVERFLOW).toBe('bytes');
  });

  it('the trace export names slices by kind and takes goroutine tracks and args from the operands', async () => {
    const sim = await simulator();
    const r = sim.run(SCENARIOS['s11-stale-syscallbp-tracer-69085.json']!, { profile: 'go1.23.0', events: true });
    const t = toChromeTrace(r);
    const slices = t.traceEvents.filter((e) => e.ph === 'B' || e.ph === 'E');
    expect(slices.length).toBeGreaterThan(0);
    for (const e of slices) expect(['callback (C → Go)', 'cgocall (Go → C)', 'goroutine', 'end of run']).toContain(e.name);
    const goes = r.events!.filter((e) => e.kind === 'go');
    expect(goes.length).toBeGreaterThan(0);
    const tracks = t.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args!.name);
    for (const g of goes) expect(tracks).toContain(`goroutine ${g.args.goid}`);
    const bounds = t.traceEvents.find((e) => e.name === 'bounds');
    if (bounds) expect(bounds.args).toMatchObject({ lo: expect.stringMatching(/^0x/), hi: expect.stringMatching(/^0x/) });
  });
});
