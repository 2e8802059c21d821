// A run as Chrome/Perfetto trace-event JSON, built from each event's kind and named operands
// (TraceEvent.args, report/events.ts), never from its text:
//
//   - process 1 "threads": one track per thread (C threads by scenario id, Go-created ones by
//     label) and one per goroutine; callbacks, C calls and goroutines are slices, every other
//     modelled runtime step an instant. Names are the stable kinds; addresses and ids are args.
//   - process 2 "Ms": one track per M (by the scenario's names), with each event that ran on that M
//     as an instant, and counter tracks "<M> SP" (the SP of its last event that had one) and
//     "<M> g0.lo" / "<M> g0.hi" (its g0 bounds as the runtime set, kept, restored or cleared them).
//   - a flow arrow from a goroutine's last event on one M to its first on another.
//   - the crash as a global instant named "crash" with the check, the fatal text and the output;
//     an "events-omitted" instant where the event log left events out (eventsTruncated).
//
// Time: the model has an order of events, not a clock. `ts` is the event's index, in the format's
// microseconds; otherData.tsUnit says so. Open it in https://ui.perfetto.dev or chrome://tracing.

import type { RunResult, TraceEvent } from '../api/types.js';

export interface ChromeTraceEvent {
  name: string;
  ph: 'B' | 'E' | 'i' | 'M' | 'C' | 's' | 'f';
  ts: number;
  pid: number;
  tid: number;
  s?: 't' | 'p' | 'g';
  cat?: string;
  id?: number;
  bp?: 'e';
  args?: Record<string, string | number>;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: 'ns' | 'ms';
  otherData: Record<string, string | number | boolean>;
}

/** The process ids of the two groups of tracks. */
export const THREADS_PID = 1;
export const MS_PID = 2;

const OPEN: Record<string, string> = { callback: 'callback (C → Go)', cgocall: 'cgocall (Go → C)', go: 'goroutine' };
const CLOSE: Record<string, string> = { 'callback-return': 'callback', 'cgocall-return': 'cgocall', goexit: 'go' };
/** Events whose lo/hi are the M's g0 bounds after them. */
const BOUNDS = new Set(['bounds', 'bounds-kept', 'bounds-restored']);

const num = (v: string | number | undefined): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^0x[0-9a-f]+$/i.test(v) ? Number(BigInt(v)) : undefined;

/** Converts a result recorded with `events: true`. Throws if it has no event log. */
export function toChromeTrace(r: RunResult): ChromeTrace {
  if (!r.events) throw new Error('toChromeTrace: run with { events: true } (CLI: --trace implies it)');
  const tracks = new Map<string, { pid: number; tid: number }>();
  const track = (pid: number, label: string) => {
    const key = `${pid}\u0000${label}`;
    let t = tracks.get(key);
    if (t === undefined) {
      t = { pid, tid: tracks.size + 1 };
      tracks.set(key, t);
    }
    return t;
  };
  const out: ChromeTraceEvent[] = [];
  const open = new Map<number, string[]>();
  const args = (e: TraceEvent) => ({
    ...e.args, step: e.step, thread: e.thread, m: e.m, text: e.text,
    ...(e.crash !== undefined ? { crash: e.crash } : {}), ...(e.fatal !== undefined ? { fatal: e.fatal } : {}),
    ...(e.omitted !== undefined ? { omitted: e.omitted } : {}),
  });
  const counters = new Map<string, number>();
  const counter = (ts: number, m: string, name: string, value: number | undefined) => {
    if (value === undefined || counters.get(`${m} ${name}`) === value) return;
    counters.set(`${m} ${name}`, value);
    const t = track(MS_PID, m);
    out.push({ name: `${m} ${name}`, ph: 'C', ts, pid: t.pid, tid: t.tid, cat: 'counter', args: { [name]: value } });
  };
  // Where each goroutine last ran: its M and the event there, for the flow arrows.
  const lastOn = new Map<string, { m: string; ts: number }>();
  let flowId = 0;
  for (const e of r.events) {
    const ts = e.index;
    if (e.kind === 'events-omitted') {
      out.push({ name: 'events-omitted', ph: 'i', s: 'g', ts, pid: THREADS_PID, tid: 0, cat: 'log', args: args(e) });
      continue;
    }
    if (e.kind === 'crash') {
      out.push({ name: 'crash', ph: 'i', s: 'g', ts, pid: THREADS_PID, tid: 0, cat: 'crash', args: { ...args(e), ...(r.output ? { output: r.output } : {}) } });
    }
    // Thread (or goroutine) track: slices for callbacks, C calls and goroutines, instants otherwise.
    const goid = e.kind === 'go' || e.kind === 'goexit' ? e.args.goid : undefined;
    const th = track(THREADS_PID, goid !== undefined ? `goroutine ${goid}` : e.thread === '-' ? 'runtime' : e.thread);
    if (OPEN[e.kind]) {
      out.push({ name: OPEN[e.kind]!, ph: 'B', ts, pid: th.pid, tid: th.tid, cat: e.kind, args: args(e) });
      (open.get(th.tid) ?? open.set(th.tid, []).get(th.tid)!).push(e.kind);
    } else if (CLOSE[e.kind] && open.get(th.tid)?.at(-1) === CLOSE[e.kind]) {
      open.get(th.tid)!.pop();
      out.push({ name: OPEN[CLOSE[e.kind]!]!, ph: 'E', ts, pid: th.pid, tid: th.tid, cat: CLOSE[e.kind]!, args: args(e) });
    } else if (e.kind !== 'crash') {
      out.push({ name: e.kind, ph: 'i', s: 't', ts, pid: th.pid, tid: th.tid, cat: 'runtime', args: args(e) });
    }
    // M track: the event as an instant, the M's counters, and a flow when a goroutine changed M.
    // (The crash is one global instant, above.)
    if (e.m === '-' || e.kind === 'crash') continue;
    const mt = track(MS_PID, e.m);
    const g = e.args.goid;
    if (g !== undefined) {
      const before = lastOn.get(String(g));
      if (before && before.m !== e.m) {
        const id = ++flowId;
        const from = track(MS_PID, before.m);
        out.push({ name: 'goroutine moves', ph: 's', ts: before.ts, pid: from.pid, tid: from.tid, cat: 'flow', id, args: { goid: g, from: before.m, to: e.m } });
        out.push({ name: 'goroutine moves', ph: 'f', bp: 'e', ts, pid: mt.pid, tid: mt.tid, cat: 'flow', id, args: { goid: g, from: before.m, to: e.m } });
      }
      lastOn.set(String(g), { m: e.m, ts });
    }
    out.push({ name: e.kind, ph: 'i', s: 't', ts, pid: mt.pid, tid: mt.tid, cat: 'm', args: args(e) });
    counter(ts, e.m, 'SP', num(e.args.sp));
    if (BOUNDS.has(e.kind)) {
      counter(ts, e.m, 'g0.lo', num(e.args.lo));
      counter(ts, e.m, 'g0.hi', num(e.args.hi));
    } else if (e.kind === 'bounds-cleared') {
      counter(ts, e.m, 'g0.lo', 0);
      counter(ts, e.m, 'g0.hi', 0);
    }
  }
  // A run that ended inside slices (a crash, a thread left in C) closes them where it ended.
  const end = (r.events.at(-1)?.index ?? 0) + 1;
  for (const [tid, stack] of open) for (let i = stack.length - 1; i >= 0; i--) out.push({ name: 'end of run', ph: 'E', ts: end, pid: THREADS_PID, tid });
  const meta: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: THREADS_PID, tid: 0, args: { name: `threads: cgosim ${r.scenario} [${r.label}]` } },
    { name: 'process_name', ph: 'M', ts: 0, pid: MS_PID, tid: 0, args: { name: `Ms: cgosim ${r.scenario} [${r.label}]` } },
    { name: 'process_sort_index', ph: 'M', ts: 0, pid: THREADS_PID, tid: 0, args: { sort_index: 1 } },
    { name: 'process_sort_index', ph: 'M', ts: 0, pid: MS_PID, tid: 0, args: { sort_index: 2 } },
  ];
  for (const [key, t] of tracks) meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid: t.pid, tid: t.tid, args: { name: key.slice(key.indexOf('\u0000') + 1) } });
  return {
    traceEvents: [...meta, ...out],
    displayTimeUnit: 'ms',
    otherData: {
      scenario: r.scenario, profile: r.profile, label: r.label, verdict: r.verdict, traceHash: r.traceHash,
      tsUnit: 'event index: ts N is the run\'s event N (the model orders events; it has no clock)',
      eventsTotal: r.eventsTotal ?? r.events.length, eventsTruncated: r.eventsTruncated === true,
      ...(r.crash ? { crash: r.crash } : {}), ...(r.fatal ? { fatal: r.fatal } : {}),
    },
  };
}
