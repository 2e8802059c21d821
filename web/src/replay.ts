// The state of a run at any event, derived from its event log. The core reports its records only
// at the end of a run (or where a step budget stops it), so the picture follows the events, whose
// texts carry the operands that matter here: stack ranges, SPs, g0 bounds and check results.
// Anything the events never mention (the stack of an M the runtime made itself, the bounds of an
// M no event touched) comes from the core's final records.

import type { RunResult, TraceEvent } from '../../src/api/index.js';

export interface Region {
  key: string;
  kind: 'thread stack' | 'malloc block' | 'goroutine stack' | 'M thread stack';
  label: string;
  lo: bigint;
  hi: bigint;
  freed: boolean;
  /** The event that created it. */
  since: number;
}

export interface Bounds { lo: bigint; hi: bigint; event: number; how: string }

export interface G0Check { m: string; thread: string; fn: string; sp: bigint; guard: bigint; ok: boolean; event: number }

export interface Frame {
  event: number;
  regions: Region[];
  /** Each M's g0 believed bounds (null: cleared by dropm). */
  bounds: Map<string, Bounds | null>;
  /** Each thread's last known SP. */
  sp: Map<string, { sp: bigint; event: number; how: string }>;
  /** The last g0 split check at or before this event, per M. */
  checks: Map<string, G0Check>;
  /** The thread each M is on, as the events last said. */
  mThread: Map<string, string>;
}

const HEX = /0x[0-9a-f]+/g;

function operands(text: string): bigint[] {
  return (text.match(HEX) ?? []).map((h) => BigInt(h));
}

/** Names of each kind's address operands, in the order its text prints them. */
const ADDRESS_ARGS: Record<string, string[]> = {
  thread: ['lo', 'hi'], malloc: ['lo', 'hi'], free: ['lo', 'hi'], switch: ['lo', 'hi'], getstackbound: ['lo', 'hi'],
  bounds: ['lo', 'hi'], 'bounds-kept': ['lo', 'hi'], 'bounds-restored': ['lo', 'hi'], copystack: ['lo', 'hi'], stackfree: ['lo', 'hi'],
  callback: ['sp'], 'callback-return': ['sp', 'g0SchedSp'], cgocall: ['sp'], 'cgocall-return': ['sp'], 'c-stack': ['sp'], signal: ['sp'],
  systemstack: ['sp', 'guard'], 'g0-check': ['sp', 'guard'], go: ['stack'],
};

/**
 * An event's address operands: from its named `args` where the result carries them, else read
 * back from its text (which prints every address operand in hex, in this order).
 */
function addresses(e: TraceEvent): bigint[] {
  const args = (e as TraceEvent & { args?: Record<string, string | number> }).args;
  const names = ADDRESS_ARGS[e.kind];
  if (args && names && names.every((n) => typeof args[n] === 'string')) return names.map((n) => BigInt(args[n] as string));
  return operands(e.text);
}

/** Region sizes that only later events or the final state tell (a goroutine stack's top). */
function stackTops(r: RunResult): Map<bigint, bigint> {
  const tops = new Map<bigint, bigint>();
  for (const e of r.events ?? []) {
    if (e.kind === 'stackfree' || e.kind === 'copystack') {
      const [lo, hi] = addresses(e);
      if (lo !== undefined && hi !== undefined && !tops.has(lo)) tops.set(lo, hi);
    }
  }
  for (const g of r.state?.goroutines ?? []) {
    const lo = BigInt(g.stack[0]);
    if (!tops.has(lo)) tops.set(lo, BigInt(g.stack[1]));
  }
  return tops;
}

/** Frames for every event of a run recorded with events and state. */
export class Replay {
  readonly events: TraceEvent[];
  private readonly frames: Frame[] = [];
  /** The first failed g0 check, if any. */
  readonly failedCheck: number;
  /** The event where the run ended in a crash (the "crash" event), or -1. */
  readonly crashEvent: number;
  /** Ms whose bounds in the last frame come from the core's final records, not from events. */
  readonly fromFinalRecords: string[] = [];

  constructor(readonly result: RunResult, scenario: unknown) {
    this.events = result.events ?? [];
    const tops = stackTops(result);
    const regions = new Map<string, Region>();
    const bounds = new Map<string, Bounds | null>();
    const sp = new Map<string, { sp: bigint; event: number; how: string }>();
    const checks = new Map<string, G0Check>();
    const mThread = new Map<string, string>();
    const goOfExtraM = new Map<string, string>();
    const add = (r: Region) => regions.set(r.key, r);
    // Threads of Ms the runtime started itself have no "thread" event: take them from the final records.
    const evented = new Set(this.events.filter((e) => e.kind === 'thread').map((e) => e.thread));
    for (const t of result.state?.threads ?? []) {
      if (!evented.has(t.id)) add({ key: `t:${t.id}`, kind: 'M thread stack', label: t.id, lo: BigInt(t.stack[0]), hi: BigInt(t.stack[1]), freed: false, since: -1 });
    }
    // Ms whose bounds no event touches keep what the final records say, from the start.
    const touched = new Set(this.events.filter((e) => e.kind.startsWith('bounds')).map((e) => e.m));
    const firstBoundsEvent = new Map<string, TraceEvent>();
    for (const e of this.events) if (e.kind.startsWith('bounds') && !firstBoundsEvent.has(e.m)) firstBoundsEvent.set(e.m, e);
    for (const m of result.state?.ms ?? []) {
      const name = m.name;
      if (!touched.has(name) && BigInt(m.g0.hi) !== 0n) bounds.set(name, { lo: BigInt(m.g0.lo), hi: BigInt(m.g0.hi), event: -1, how: 'final records (no event changed them)' });
    }
    // Kept or restored bounds were already there before the first event that names them.
    for (const [m, e] of firstBoundsEvent) {
      if (e.kind === 'bounds-kept' || e.kind === 'bounds-restored') {
        const [lo, hi] = addresses(e);
        if (lo !== undefined && hi !== undefined) bounds.set(m, { lo, hi, event: -1, how: 'in place before the run (kept or restored later)' });
      }
    }
    let failed = -1;
    let crash = -1;
    let lastFreedStack = '';
    for (const e of this.events) {
      const ops = addresses(e);
      const setSp = (value: bigint | undefined, how: string) => {
        if (value !== undefined && e.thread !== '-') sp.set(e.thread, { sp: value, event: e.index, how });
      };
      if (e.m !== '-' && e.thread !== '-') mThread.set(e.m, e.thread);
      switch (e.kind) {
        case 'thread':
          add({ key: `t:${e.thread}`, kind: 'thread stack', label: e.thread, lo: ops[0]!, hi: ops[1]!, freed: false, since: e.index });
          setSp(ops[1], 'thread start (top of its stack)');
          break;
        case 'thread-exit': {
          const r = regions.get(`t:${e.thread}`);
          if (r) regions.set(r.key, { ...r, freed: true });
          sp.delete(e.thread);
          break;
        }
        case 'malloc': {
          const id = idAt(scenario, e.step) ?? 'block';
          add({ key: `b:${ops[0]}`, kind: 'malloc block', label: id, lo: ops[0]!, hi: ops[1]!, freed: false, since: e.index });
          break;
        }
        case 'free': {
          const r = regions.get(`b:${ops[0]}`);
          if (r) regions.set(r.key, { ...r, freed: true });
          break;
        }
        case 'switch':
          setSp(ops[1], 'switched to this stack (SP at its top)');
          break;
        case 'callback': setSp(ops[0], 'cgocallback'); break;
        case 'callback-return': setSp(ops[0], 'back in C'); break;
        case 'cgocall': setSp(ops[0], 'cgocall: C runs here'); break;
        case 'cgocall-return': setSp(ops[0], 'C returned'); break;
        case 'c-stack': setSp(ops[0], 'C stack use'); break;
        case 'signal': setSp(ops[0], 'signal'); break;
        case 'systemstack': setSp(ops[0], 'systemstack'); break;
        case 'bounds':
        case 'bounds-kept':
        case 'bounds-restored':
          bounds.set(e.m, { lo: ops[0]!, hi: ops[1]!, event: e.index, how: e.kind === 'bounds' ? 'set' : e.kind === 'bounds-kept' ? 'kept' : 'restored' });
          break;
        case 'bounds-cleared':
          bounds.set(e.m, null);
          break;
        case 'g0-check': {
          const ok = !e.text.endsWith('FAILS');
          const fn = e.text.includes(': g0 split') ? e.text.slice(0, e.text.indexOf(': g0 split')) : 'g0 check';
          checks.set(e.m, { m: e.m, thread: e.thread, fn, sp: ops[0]!, guard: ops[1]!, ok, event: e.index });
          setSp(ops[0], `${fn}: g0 check`);
          if (!ok && failed < 0) failed = e.index;
          break;
        }
        case 'newextram': {
          const g = /goroutine (\d+)/.exec(e.text)?.[1];
          const m = /→ (\S+)/.exec(e.text)?.[1];
          if (g && m) goOfExtraM.set(g, m);
          const st = g ? result.state?.goroutines.find((x) => String(x.goid) === g) : undefined;
          if (st) add({ key: `g:${BigInt(st.stack[0])}`, kind: 'goroutine stack', label: `g${g} (${m ?? 'extra M'})`, lo: BigInt(st.stack[0]), hi: BigInt(st.stack[1]), freed: false, since: e.index });
          break;
        }
        case 'go': {
          const g = /goroutine (\d+)/.exec(e.text)?.[1];
          const lo = ops[0]!;
          const hi = tops.get(lo) ?? lo + 2048n;
          add({ key: `g:${lo}`, kind: 'goroutine stack', label: `g${g}`, lo, hi, freed: false, since: e.index });
          break;
        }
        case 'copystack':
          // The stack freed just before (newstack frees the old one first) belongs to the same goroutine.
          add({ key: `g:${ops[0]}`, kind: 'goroutine stack', label: lastFreedStack ? `${lastFreedStack} (moved)` : 'goroutine stack', lo: ops[0]!, hi: ops[1]!, freed: false, since: e.index });
          break;
        case 'stackfree': {
          const r = regions.get(`g:${ops[0]}`);
          if (r) regions.set(r.key, { ...r, freed: true });
          else add({ key: `g:${ops[0]}`, kind: 'goroutine stack', label: 'goroutine stack', lo: ops[0]!, hi: ops[1]!, freed: true, since: e.index });
          lastFreedStack = (r?.label ?? 'goroutine stack').replace(/ \(moved\)$/, '');
          break;
        }
        case 'crash':
          crash = e.index;
          break;
      }
      this.frames.push({
        event: e.index, regions: [...regions.values()], bounds: new Map(bounds), sp: new Map(sp), checks: new Map(checks), mThread: new Map(mThread),
      });
    }
    // The core can change bounds on a path that records no event (a nested callback's dummy bounds
    // just before its out-of-bounds check fails): the last frame takes the core's final records.
    const last = this.frames.at(-1);
    if (last && !result.eventsTruncated) {
      for (const m of result.state?.ms ?? []) {
        const name = m.name;
        const core = BigInt(m.g0.hi) === 0n ? null : { lo: BigInt(m.g0.lo), hi: BigInt(m.g0.hi) };
        const derived = last.bounds.get(name) ?? null;
        if ((core === null) !== (derived === null) || (core && derived && (core.lo !== derived.lo || core.hi !== derived.hi))) {
          last.bounds.set(name, core && { ...core, event: -1, how: 'set on a path no event records; from the core\'s final records' });
          this.fromFinalRecords.push(name);
        }
      }
    }
    this.failedCheck = failed;
    this.crashEvent = crash >= 0 ? crash : result.verdict === 'ok' ? -1 : this.events.length - 1;
  }

  get length(): number { return this.frames.length; }

  frame(i: number): Frame | undefined {
    return this.frames[Math.max(0, Math.min(i, this.frames.length - 1))];
  }
}

/** The "id" of the step at a path such as "steps[3].steps[0]" in the scenario document. */
export function idAt(doc: unknown, path: string): string | undefined {
  let cur: unknown = doc;
  for (const seg of path.match(/[A-Za-z_]+|\[\d+\]/g) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = seg.startsWith('[') ? (cur as unknown[])[Number(seg.slice(1, -1))] : (cur as Record<string, unknown>)[seg];
  }
  const id = (cur as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
