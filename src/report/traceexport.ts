// A run as Chrome/Perfetto trace-event JSON (open it in https://ui.perfetto.dev or
// chrome://tracing).
//
// Tracks: process 1 has one track per OS thread (C threads by the scenario's ids, Go Ms' threads by
// tid) and one per goroutine for its life; process 2 has one track per M, by the M's name. Slices
// (callbacks, C calls, goroutines) have stable names ("callback (C → Go)", "cgocall (Go → C)",
// "goroutine 5"); addresses and the event's text are in their args. Every other modelled step is
// an instant named by its kind ("bounds", "g0-check", …). Counter tracks give each thread's SP and
// each M's g0 bounds (lo and hi) as they change; a flow arrow joins a goroutine's last event on one
// M to its first on the next. The crash is the last event, a global instant named after the check,
// with the fatal text and the output in its args.
//
// Time: the model orders events but has no clock. ts is the event's index, one event per
// microsecond (otherData.tsUnit says so).

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
  otherData: Record<string, string>;
}

/** Process ids: threads and goroutines, and Ms. */
export const TRACE_PID = { THREADS: 1, MS: 2 } as const;

const OPEN: Record<string, string> = { callback: 'callback (C → Go)', cgocall: 'cgocall (Go → C)' };
const CLOSE: Record<string, string> = { 'callback-return': 'callback', 'cgocall-return': 'cgocall' };
const BOUNDS = new Set(['bounds', 'bounds-kept', 'bounds-restored']);

/** The hex operands of an event's text after `name=` (sp=0x…), or the [lo, hi] pair of a bounds event. */
function spOf(text: string): number | undefined {
  const m = /\bsp=(0x[0-9a-f]+)/.exec(text);
  return m ? Number(BigInt(m[1]!)) : undefined;
}
function boundsOf(text: string): [number, number] | undefined {
  const m = /\[(0x[0-9a-f]+), (0x[0-9a-f]+)\]/.exec(text);
  return m ? [Number(BigInt(m[1]!)), Number(BigInt(m[2]!))] : undefined;
}

class Tracks {
  private readonly ids = new Map<string, number>();
  readonly names: [number, number, string][] = [];
  tid(pid: number, label: string): number {
    const key = `${pid}\u0000${label}`;
    let t = this.ids.get(key);
    if (t === undefined) {
      t = this.names.length + 1;
      this.ids.set(key, t);
      this.names.push([pid, t, label]);
    }
    return t;
  }
}

/** Converts a result recorded with `events: true`. Throws if it has no event log. */
export function toChromeTrace(r: RunResult): ChromeTrace {
  if (!r.events) throw new Error('toChromeTrace: run with { events: true } (CLI: --trace implies it)');
  const tracks = new Tracks();
  const out: ChromeTraceEvent[] = [];
  const open = new Map<string, { pid: number; tid: number; kinds: string[] }>();
  const push = (pid: number, tid: number, kind: string) => {
    const key = `${pid}:${tid}`;
    (open.get(key) ?? open.set(key, { pid, tid, kinds: [] }).get(key)!).kinds.push(kind);
  };
  const args = (e: TraceEvent): Record<string, string | number> => ({
    step: e.step, thread: e.thread, m: e.m, text: e.text, index: e.index,
    ...(e.crash !== undefined ? { crash: e.crash } : {}), ...(e.fatal !== undefined ? { fatal: e.fatal } : {}),
    ...(e.omitted !== undefined ? { omitted: e.omitted } : {}),
    ...(spOf(e.text) !== undefined ? { sp: `0x${spOf(e.text)!.toString(16)}` } : {}),
  });
  // Where each goroutine last ran: its M and that event's ts, for flow arrows.
  const lastOn = new Map<string, { m: string; ts: number }>();
  let flowId = 0;
  for (const e of r.events) {
    const ts = e.index;
    if (e.kind === 'events-omitted') {
      out.push({ name: 'events omitted', ph: 'i', s: 'g', ts, pid: TRACE_PID.THREADS, tid: 0, cat: 'log', args: args(e) });
      continue;
    }
    if (e.kind === 'crash') {
      const tid = tracks.tid(TRACE_PID.THREADS, e.thread === '-' ? 'runtime' : e.thread);
      out.push({ name: `crash: ${e.crash ?? 'input error'}`, ph: 'i', s: 'g', ts, pid: TRACE_PID.THREADS, tid, cat: 'crash', args: { ...args(e), ...(r.output ? { output: r.output } : {}) } });
      continue;
    }
    const goid = /^goroutine (\d+)/.exec(e.text)?.[1] ?? /goroutine (\d+)/.exec(e.text)?.[1];
    // The thread track (a goroutine's own track for its start and end), and the M's track.
    const lifetime = e.kind === 'go' || e.kind === 'goexit';
    const threadTid = tracks.tid(TRACE_PID.THREADS, lifetime && goid ? `goroutine ${goid}` : e.thread === '-' ? 'runtime' : e.thread);
    const places: [number, number][] = [[TRACE_PID.THREADS, threadTid]];
    if (e.m !== '-' && !lifetime) places.push([TRACE_PID.MS, tracks.tid(TRACE_PID.MS, e.m)]);
    for (const [pid, tid] of places) {
      if (OPEN[e.kind]) {
        out.push({ name: OPEN[e.kind]!, ph: 'B', ts, pid, tid, cat: e.kind, args: args(e) });
        push(pid, tid, e.kind);
      } else if (lifetime && goid) {
        if (e.kind === 'go') {
          out.push({ name: `goroutine ${goid}`, ph: 'B', ts, pid, tid, cat: 'goroutine', args: args(e) });
          push(pid, tid, 'go');
        } else if (open.get(`${pid}:${tid}`)?.kinds.at(-1) === 'go') {
          open.get(`${pid}:${tid}`)!.kinds.pop();
          out.push({ name: `goroutine ${goid}`, ph: 'E', ts, pid, tid, cat: 'goroutine', args: args(e) });
        } else {
          out.push({ name: e.kind, ph: 'i', s: 't', ts, pid, tid, cat: 'runtime', args: args(e) });
        }
      } else if (CLOSE[e.kind] && open.get(`${pid}:${tid}`)?.kinds.at(-1) === CLOSE[e.kind]) {
        open.get(`${pid}:${tid}`)!.kinds.pop();
        out.push({ name: OPEN[CLOSE[e.kind]!]!, ph: 'E', ts, pid, tid, cat: CLOSE[e.kind]!, args: args(e) });
      } else {
        out.push({ name: e.kind, ph: 'i', s: 't', ts, pid, tid, cat: 'runtime', args: args(e) });
      }
    }
    // Counters: the thread's SP, the M's g0 bounds.
    const sp = spOf(e.text);
    if (sp !== undefined && e.thread !== '-') out.push({ name: `SP ${e.thread}`, ph: 'C', ts, pid: TRACE_PID.THREADS, tid: threadTid, args: { sp } });
    if (e.m !== '-' && (BOUNDS.has(e.kind) || e.kind === 'bounds-cleared')) {
      const b = e.kind === 'bounds-cleared' ? [0, 0] : boundsOf(e.text);
      if (b) out.push({ name: `g0 bounds ${e.m}`, ph: 'C', ts, pid: TRACE_PID.MS, tid: tracks.tid(TRACE_PID.MS, e.m), args: { lo: b[0], hi: b[1] } });
    }
    // Flow: a goroutine whose next event is on another M than its last.
    if (goid !== undefined && e.m !== '-') {
      const prev = lastOn.get(goid);
      if (prev && prev.m !== e.m) {
        flowId++;
        const name = `goroutine ${goid}: ${prev.m} → ${e.m}`;
        out.push({ name, ph: 's', id: flowId, ts: prev.ts, pid: TRACE_PID.MS, tid: tracks.tid(TRACE_PID.MS, prev.m), cat: 'goroutine-moves' });
        out.push({ name, ph: 'f', bp: 'e', id: flowId, ts, pid: TRACE_PID.MS, tid: tracks.tid(TRACE_PID.MS, e.m), cat: 'goroutine-moves' });
      }
      lastOn.set(goid, { m: e.m, ts });
    }
  }
  // A run that ended inside slices (a crash, a thread left in C) closes them where it ended.
  const end = (r.events.at(-1)?.index ?? 0) + 1;
  for (const { pid, tid, kinds } of open.values()) for (let i = kinds.length - 1; i >= 0; i--) out.push({ name: 'end of run', ph: 'E', ts: end, pid, tid });
  out.sort((a, b) => a.ts - b.ts);
  const meta: ChromeTraceEvent[] = [
    { name: 'process_name', ph: 'M', ts: 0, pid: TRACE_PID.THREADS, tid: 0, args: { name: `cgosim ${r.scenario} [${r.label}]: threads and goroutines` } },
    { name: 'process_name', ph: 'M', ts: 0, pid: TRACE_PID.MS, tid: 0, args: { name: `cgosim ${r.scenario} [${r.label}]: Ms` } },
  ];
  for (const [pid, tid, label] of tracks.names) meta.push({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name: label } });
  return {
    traceEvents: [...meta, ...out],
    displayTimeUnit: 'ms',
    otherData: {
      scenario: r.scenario, profile: r.profile, label: r.label, verdict: r.verdict, traceHash: r.traceHash,
      tsUnit: 'ts counts events, not time: event number N is at N microseconds (the model orders events, it has no clock)',
      ...(r.fatal ? { fatal: r.fatal } : {}), ...(r.crash ? { crash: r.crash } : {}),
      ...(r.eventsTruncated ? { eventsTotal: String(r.eventsTotal), eventsKept: 'the first and the last 32,768' } : {}),
    },
  };
}
