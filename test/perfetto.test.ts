// The trace export is worth opening in Perfetto: tracks per thread and per M, counters for SP and
// each M's g0 bounds, flow arrows when a goroutine changes M, ts units stated, the crash on the
// crash event.

import { describe, expect, it } from 'vitest';
import { toChromeTrace, TRACE_PID } from '../src/report/traceexport.js';
import { scenario, simulator } from './helpers.js';

describe('Perfetto trace', () => {
  it('S03 on go1.22.0: thread and M tracks, SP and g0-bounds counters, the crash with its check', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s03-partial-overlap-g1-62440.json'), { profile: 'go1.22.0', events: true });
    const t = toChromeTrace(r);
    const names = t.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [e.pid, e.args!.name]);
    expect(names).toContainEqual([TRACE_PID.THREADS, 'T1']);
    expect(names).toContainEqual([TRACE_PID.MS, 'extraM1']);
    const sp = t.traceEvents.filter((e) => e.ph === 'C' && e.name === 'SP T1');
    expect(sp.map((e) => e.args!.sp)).toContain(0x408100);
    const bounds = t.traceEvents.filter((e) => e.ph === 'C' && e.name === 'g0 bounds extraM1');
    expect(bounds.at(-1)!.args).toEqual({ lo: 0x407f00, hi: 0x410300 });
    const slices = new Set(t.traceEvents.filter((e) => e.ph === 'B').map((e) => e.name));
    expect([...slices].sort()).toEqual(['callback (C → Go)']);
    const cb = t.traceEvents.find((e) => e.ph === 'B')!;
    expect(cb.args!.sp).toMatch(/^0x/);
    const crash = t.traceEvents.filter((e) => e.cat === 'crash');
    expect(crash).toHaveLength(1);
    expect(crash[0]).toMatchObject({ name: 'crash: morestack-g0', ph: 'i', s: 'g' });
    expect(crash[0]!.args).toMatchObject({ crash: 'morestack-g0', fatal: 'morestack on g0' });
    expect(String(crash[0]!.args!.output)).toContain('fatal error: morestack on g0');
    expect(t.otherData.tsUnit).toMatch(/ts counts events/);
    expect(t.otherData.label).toBe('go1.22.0');
  });

  it('S08 on go1.17rc1: a flow arrow follows goroutine 5 from M1 to M2', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s08-traceback-context-preemption-47441.json'), { profile: 'go1.17rc1', events: true });
    const t = toChromeTrace(r);
    const flows = t.traceEvents.filter((e) => e.cat === 'goroutine-moves');
    expect(flows.map((e) => e.ph)).toEqual(['s', 'f']);
    expect(flows[0]!.name).toBe('goroutine 5: M1 → M2');
    expect(flows[0]!.id).toBe(flows[1]!.id);
    const tidOf = (name: string) => t.traceEvents.find((e) => e.name === 'thread_name' && e.pid === TRACE_PID.MS && e.args!.name === name)!.tid;
    expect([flows[0]!.tid, flows[1]!.tid]).toEqual([tidOf('M1'), tidOf('M2')]);
    expect(flows[0]!.ts).toBeLessThan(flows[1]!.ts);
  });
});
