// A run as Chrome/Perfetto trace-event JSON: one track per thread (C threads by scenario id, Go
// Ms' threads by tid), callbacks, C calls and goroutines as slices, every other modelled runtime
// step (bounds changes, g0 checks, stack moves, preemptions…) as an instant event. Everything is
// built from each event's kind and named operands (TraceEvent.args, report/events.ts), never from
// its text: slice names are stable, addresses and ids are in the args, the text rides along.
// Open it in https://ui.perfetto.dev or chrome://tracing. Time is the event's index in
// microseconds: the model has an order of events, not a clock.

import type { RunResult, TraceEvent } from '../api/types.js';

export interface ChromeTraceEvent {
  name: string;
  ph: 'B' | 'E' | 'i' | 'M';
  ts: number;
  pid: number;
  tid: number;
  s?: 't';
  cat?: string;
  args?: Record<string, string | number>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns' | 'ms';
  otherData: Record<string, string>;
}

const OPEN: Record<string, string> = { callback: 'callback (C → Go)', cgocall: 'cgocall (Go → C)', go: 'goroutine' };
const CLOSE: Record<string, string> = { 'callback-return': 'callback', 'cgocall-return': 'cgocall', goexit: 'go' };

/** Converts a result recorded with `events: true`. Throws if it has no event log. */
export function toChromeTrace(r: RunResult): ChromeTrace {
  if (!r.events) throw new Error('toChromeTrace: run with { events: true } (CLI: --trace implies it)');
  const tids = new Map<string, number>();
  const tidOf = (label: string) => {
    let t = tids.get(label);
    if (t === undefined) {
      t = tids.size + 1;
      tids.set(label, t);
    }
    return t;
  };
  const out: ChromeTraceEvent[] = [];
  const open = new Map<number, string[]>();
  const pid = 1;
  const args = (e: TraceEvent) => ({
    ...e.args, step: e.step, m: e.m, text: e.text,
    ...(e.crash !== undefined ? { crash: e.crash } : {}), ...(e.fatal !== undefined ? { fatal: e.fatal } : {}),
    ...(e.omitted !== undefined ? { omitted: e.omitted } : {}),
  });
  for (const e of r.events) {
    // A goroutine's life is a slice on its own track: it may start and end on different Ms.
    const goid = e.kind === 'go' || e.kind === 'goexit' ? e.args.goid : undefined;
    const tid = tidOf(goid !== undefined ? `goroutine ${goid}` : e.thread === '-' ? 'runtime' : e.thread);
    const ts = e.index;
    if (OPEN[e.kind]) {
      out.push({ name: OPEN[e.kind]!, ph: 'B', ts, pid, tid, cat: e.kind, args: args(e) });
      (open.get(tid) ?? open.set(tid, []).get(tid)!).push(e.kind);
      continue;
    }
    const closes = CLOSE[e.kind];
    if (closes && open.get(tid)?.at(-1) === closes) {
      open.get(tid)!.pop();
      out.push({ name: OPEN[closes]!, ph: 'E', ts, pid, tid, cat: closes, args: args(e) });
      continue;
    }
    out.push({ name: e.kind, ph: 'i', s: 't', ts, pid, tid, cat: 'runtime', args: args(e) });
  }
  // A run that ended inside slices (a crash, a thread left in C) closes them where it ended.
  const end = (r.events.at(-1)?.index ?? 0) + 1;
  for (const [tid, stack] of open) for (let i = stack.length - 1; i >= 0; i--) out.push({ name: 'end of run', ph: 'E', ts: end, pid, tid });
  const meta: ChromeTraceEvent[] = [{ name: 'process_name', ph: 'M', ts: 0, pid, tid: 0, args: { name: `cgosim ${r.scenario} [${r.label}]` } }];
  for (const [label, tid] of tids) meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name: label } });
  return {
    traceEvents: [...meta, ...out],
    displayTimeUnit: 'ms',
    otherData: { scenario: r.scenario, profile: r.profile, verdict: r.verdict, traceHash: r.traceHash, ...(r.fatal ? { fatal: r.fatal } : {}) },
  };
}
