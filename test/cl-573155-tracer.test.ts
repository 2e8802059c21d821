// CL 573155 (seed 004): the tracer takes a goroutine's stack only while it owns it. S16 and the
// ownership-check mutation; the shrink gate for goroutines waiting on the GC; trace export.

import { describe, expect, it } from 'vitest';
import { toChromeTrace } from '../src/report/traceexport.js';
import type { Scenario } from '../src/api/types.js';
import { scenario, simulator } from './helpers.js';

describe('S16: park order', () => {
  it('go1.22: the GoBlock walk comes after the status change and reads the stack the GC just freed', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s16-tracer-park-order-573155.json'), { profile: 'go1.22.0', events: true });
    expect(r.verdict).toBe('uaf');
    const order = r.events!.map((e) => e.kind).filter((k) => ['park', 'point', 'copystack', 'stackfree', 'trace-park', 'crash'].includes(k));
    expect(order).toEqual(['park', 'point', 'stackfree', 'copystack', 'crash']);
  });

  it('go1.23: GoBlock is emitted first, while G9 still owns its stack; the shrink comes after', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s16-tracer-park-order-573155.json'), { profile: 'go1.23.0', events: true });
    expect(r.verdict).toBe('ok');
    const order = r.events!.map((e) => e.kind).filter((k) => ['park', 'point', 'copystack', 'trace-park'].includes(k));
    expect(order).toEqual(['park', 'trace-park', 'point', 'copystack']);
  });

  it('the ownership check throws on go1.22 ordering only, with the goroutine\'s status', async () => {
    const sim = await simulator();
    const s = scenario('s16-ownership-check-mutation.json');
    const r = sim.run(s, { profile: 'go1.22.5' });
    expect(r.output).toMatch(/^runtime: gp=0x[0-9a-f]+ gp\.goid=9 status=waiting\nfatal error: attempted to trace stack of a goroutine this thread does not own\n$/);
    expect(sim.run(s, { profile: 'go1.23.1' }).verdict).toBe('ok');
  });

  it('while tracing, go1.23+ does not shrink a goroutine waiting for the GC (SHRINK_TRACE_CHECK); go1.22 does', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'gc-wait-shrink',
      steps: [
        { op: 'traceStart' },
        { op: 'at', point: 'park_m.after-status', g: 'G1', steps: [{ op: 'gc' }] },
        { op: 'go', id: 'G1', stack: ['0x2050000', '0x2052000'], fn: [{ op: 'park', reason: 'GC assist marking' }] },
      ],
    };
    expect(sim.run(s, { profile: 'go1.23.0' }).counters.stackShrinks).toBe(0);
    expect(sim.run(s, { profile: 'go1.23.0' }).counters.shrinksDeferred).toBeGreaterThanOrEqual(1);
    // Without tracing the gate only holds from go1.26 (tip: SHRINK_GATE_WITHOUT_TRACE).
    const untraced = { ...s, steps: s.steps.slice(1) };
    expect(sim.run(untraced, { profile: 'go1.23.0' }).counters.stackShrinks).toBe(1);
    expect(sim.run(untraced, { profile: 'tip' }).counters.stackShrinks).toBe(0);
  });
});

describe('trace export', () => {
  it('writes well-formed trace-event JSON: named tracks, balanced slices, ordered timestamps', async () => {
    const sim = await simulator();
    for (const [file, profile] of [['s08-traceback-context-preemption-47441.json', 'go1.17rc1'], ['s01-stack-switch-callback-62440.json', 'tip'], ['s16-tracer-park-order-573155.json', 'go1.22.0']] as const) {
      const r = sim.run(scenario(file), { profile, events: true });
      const t = JSON.parse(JSON.stringify(toChromeTrace(r))) as ReturnType<typeof toChromeTrace>;
      expect(Array.isArray(t.traceEvents)).toBe(true);
      expect(t.otherData.traceHash).toBe(r.traceHash);
      const names = t.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
      expect(names.length).toBeGreaterThan(0);
      const depth = new Map<number, number>();
      let last = -1;
      for (const e of t.traceEvents) {
        expect(['B', 'E', 'i', 'M', 'C', 's', 'f']).toContain(e.ph);
        expect(typeof e.ts).toBe('number');
        expect([1, 2]).toContain(e.pid);
        // A flow starts back at the goroutine's last event on its old M.
        if (e.ph === 'M' || e.ph === 's') continue;
        expect(e.ts).toBeGreaterThanOrEqual(last);
        last = e.ts;
        if (e.ph === 'B') depth.set(e.tid, (depth.get(e.tid) ?? 0) + 1);
        if (e.ph === 'E') {
          depth.set(e.tid, (depth.get(e.tid) ?? 0) - 1);
          expect(depth.get(e.tid)).toBeGreaterThanOrEqual(0);
        }
      }
      for (const d of depth.values()) expect(d).toBe(0);
      expect(t.traceEvents.some((e) => e.ph === 'B')).toBe(true);
    }
  });
});

describe('S20 g', () => {
  it('after a nested callback returns while C still runs, isExtraInC is set only if ncgo == 0 (go1.23.8+/1.24.2+/tip)', async () => {
    const sim = await simulator();
    const s: Scenario = {
      format: 1, name: 'isextrainc',
      steps: [
        { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
        { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'callback', fn: [] }, { op: 'block' }] }] },
      ],
    };
    const m1 = (profile: string) => sim.run(s, { profile, state: true }).state!.ms.find((m) => m.id === 1)!;
    expect(m1('go1.23.1').isExtraInC).toBe(true);
    expect(m1('tip').isExtraInC).toBe(false);
    expect(m1('go1.24.1').isExtraInC).toBe(true);
    expect(m1('go1.24.2').isExtraInC).toBe(false);
  });
});

describe('Gosched and stop-the-world order', () => {
  it('go1.22 emits GoStop after the goroutine became runnable, go1.23 before', async () => {
    const sim = await simulator();
    const s = scenario('gosched-trace-order-573155.json');
    const kinds = (profile: string) => sim.run(s, { profile, events: true }).events!.map((e) => e.kind).filter((k) => ['trace-park', 'point', 'copystack'].includes(k));
    expect(kinds('go1.23.0')).toEqual(['trace-park', 'point', 'copystack']);
    expect(kinds('go1.22.0')).toEqual(['point', 'copystack']);
  });

  it('stop-the-world: go1.23 defers the shrink of the goroutine waiting for the GC while tracing', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('stw-waiting-for-gc-573155.json'), { profile: 'go1.23.0', state: true });
    expect(r.verdict).toBe('ok');
    expect(r.counters.shrinksDeferred).toBeGreaterThanOrEqual(1);
  });
});
