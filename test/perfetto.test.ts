// The Perfetto-friendly trace (issue 12 item 10), parsed and checked item by item: tracks per
// thread and per M, stable slice names with addresses in the args, SP and g0-bounds counters per
// M, flow arrows when a goroutine changes M, ts units in the metadata, the crash on the crash event.

import { describe, expect, it } from 'vitest';
import { toChromeTrace, MS_PID, THREADS_PID, type ChromeTraceEvent } from '../src/report/traceexport.js';
import { scenario, simulator } from './helpers.js';

describe('Perfetto trace', () => {
  it('a goroutine that changes M: tracks, slices, counters, flows, units and the crash', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s08-traceback-context-preemption-47441.json'), { profile: 'go1.17rc1', events: true });
    expect(r.verdict).toBe('crash');
    const t = JSON.parse(JSON.stringify(toChromeTrace(r))) as ReturnType<typeof toChromeTrace>;
    const ev = t.traceEvents;
    const names = (pid: number) => ev.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid).map((e) => e.args!.name);

    // Tracks per thread (process 1) and per M (process 2), Ms by the scenario's names.
    const ms = [...new Set(r.events!.map((e) => e.m).filter((m) => m !== '-'))];
    expect(ms.length).toBeGreaterThan(1);
    expect(names(MS_PID).sort()).toEqual(ms.sort());
    const threads = [...new Set(r.events!.map((e) => e.thread).filter((x) => x !== '-'))];
    for (const th of threads) expect(names(THREADS_PID)).toContain(th);

    // Stable slice names; addresses in the args as hex, never only in the text.
    for (const e of ev.filter((x) => x.ph === 'B' || x.ph === 'E')) expect(['callback (C → Go)', 'cgocall (Go → C)', 'goroutine', 'end of run']).toContain(e.name);
    const cb = ev.find((e) => e.ph === 'B' && e.name === 'callback (C → Go)')!;
    expect(cb.args!.sp).toMatch(/^0x[0-9a-f]+$/);
    for (const e of ev.filter((x) => x.ph === 'i' && x.cat !== 'crash')) expect(e.name).toMatch(/^[a-zA-Z0-9-]+$/);

    // Counters per M: SP and the g0 bounds, equal to the last event that set them.
    for (const m of ms) {
      const mine = r.events!.filter((e) => e.m === m);
      const lastBounds = mine.filter((e) => ['bounds', 'bounds-kept', 'bounds-restored'].includes(e.kind)).at(-1);
      const counter = (name: string) => ev.filter((e) => e.ph === 'C' && e.name === `${m} ${name}`).at(-1);
      if (lastBounds && !mine.slice(mine.indexOf(lastBounds)).some((e) => e.kind === 'bounds-cleared')) {
        expect(counter('g0.lo')!.args!['g0.lo']).toBe(Number(BigInt(lastBounds.args.lo as string)));
        expect(counter('g0.hi')!.args!['g0.hi']).toBe(Number(BigInt(lastBounds.args.hi as string)));
      }
      const lastSp = mine.filter((e) => typeof e.args.sp === 'string').at(-1);
      if (lastSp) expect(counter('SP')!.args!.SP).toBe(Number(BigInt(lastSp.args.sp as string)));
    }
    expect(ev.filter((e) => e.ph === 'C' && / SP$/.test(e.name)).length).toBeGreaterThan(0);

    // Flow arrows: each start has its finish, on another M's track, for a goroutine seen on both.
    const starts = ev.filter((e) => e.ph === 's');
    expect(starts.length).toBeGreaterThan(0);
    const tidOf = (m: string) => ev.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === MS_PID && e.args!.name === m)!.tid;
    for (const s of starts) {
      const f = ev.find((e) => e.ph === 'f' && e.id === s.id) as ChromeTraceEvent;
      expect(f).toBeDefined();
      expect(f.ts).toBeGreaterThan(s.ts);
      const { goid, from, to } = s.args as { goid: number; from: string; to: string };
      expect(from).not.toBe(to);
      expect(s.tid).toBe(tidOf(from));
      expect(f.tid).toBe(tidOf(to));
      expect(r.events!.some((e) => e.args.goid === goid && e.m === from && e.index === s.ts)).toBe(true);
      expect(r.events!.some((e) => e.args.goid === goid && e.m === to && e.index === f.ts)).toBe(true);
    }

    // ts is the event index, and the metadata says so.
    expect(String(t.otherData.tsUnit)).toMatch(/event index/);
    const ids = new Set(r.events!.map((e) => e.index));
    for (const e of ev.filter((x) => x.ph === 'i' || x.ph === 'B')) expect(ids.has(e.ts)).toBe(true);

    // The crash: one global instant on the crash event, with the check, the fatal text and the output.
    const crash = ev.filter((e) => e.name === 'crash');
    expect(crash).toHaveLength(1);
    expect(crash[0]!.s).toBe('g');
    expect(crash[0]!.ts).toBe(r.events!.at(-1)!.index);
    expect(crash[0]!.args).toMatchObject({ crash: r.crash!, output: r.output! });
    expect(t.otherData).toMatchObject({ crash: r.crash!, eventsTruncated: false });
  });

  it('the g0 bounds counters follow the bounds the runtime sets and keeps on each M', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s03-partial-overlap-g1-62440.json'), { profile: 'go1.22.0', events: true });
    const t = toChromeTrace(r);
    const bounds = r.events!.filter((e) => ['bounds', 'bounds-kept', 'bounds-restored'].includes(e.kind));
    expect(bounds.length).toBeGreaterThan(0);
    for (const b of bounds) {
      // At the bounds event's ts, the M's counters hold its lo and hi (emitted then or earlier, unchanged).
      for (const which of ['lo', 'hi'] as const) {
        const c = t.traceEvents.filter((e) => e.ph === 'C' && e.name === `${b.m} g0.${which}` && e.ts <= b.index).at(-1);
        expect(c!.args![`g0.${which}`], `${b.m} ${which} at ${b.index}`).toBe(Number(BigInt(b.args[which] as string)));
      }
    }
  });
});
