// Where two runs of one scenario part ways: the same scenario under two sides (two profiles, or a
// profile and the same profile with flag overrides), their event logs compared event by event.
// The first event that differs is where the runtimes' behaviour diverged; with it go each side's
// g0 bounds and stack pointer as they stood there, which is usually the whole explanation
// ("go1.22.0 kept the stale bounds, go1.22.5 asked _cgo_getstackbound again").

import type { RunResult, Scenario, Simulator, TraceEvent } from '../api/types.js';
import { runOne, type Side } from './runner.js';

export interface DiffSide {
  label: string;
  verdict: RunResult['verdict'];
  fatal?: string;
  stepPath?: string;
  /** The side's event at the divergence (absent when its log ended first). */
  event?: TraceEvent;
  /** The last g0-bounds event of the diverging M before or at the divergence. */
  bounds?: string;
  /** The last event that states a stack pointer on the diverging thread. */
  sp?: string;
  /** The M's records at the end of the run, when the run kept them. */
  m?: unknown;
}

export interface DiffReport {
  scenario: string;
  /** True when both runs have the same events (and so the same verdict). */
  same: boolean;
  /** Index of the first differing event; events before it are shared. */
  index: number;
  /** The shared events just before the divergence (up to 5). */
  before: TraceEvent[];
  sides: [DiffSide, DiffSide];
}

const sameEvent = (a: TraceEvent | undefined, b: TraceEvent | undefined) =>
  a !== undefined && b !== undefined && a.step === b.step && a.thread === b.thread && a.m === b.m && a.text === b.text;

function sideAt(side: Side, r: RunResult, index: number, anchor: TraceEvent | undefined): DiffSide {
  const events = r.events ?? [];
  const d: DiffSide = { label: side.label, verdict: r.verdict };
  if (r.fatal !== undefined) d.fatal = r.fatal;
  if (r.stepPath !== undefined) d.stepPath = r.stepPath;
  const ev = events[index];
  if (ev) d.event = ev;
  const m = (ev ?? anchor)?.m;
  const thread = (ev ?? anchor)?.thread;
  for (let i = Math.min(index, events.length - 1); i >= 0; i--) {
    const e = events[i]!;
    if (d.bounds === undefined && e.m === m && /g0 bounds/.test(e.text)) d.bounds = e.text;
    if (d.sp === undefined && e.thread === thread && /\bsp=0x/.test(e.text)) d.sp = e.text;
    if (d.bounds !== undefined && d.sp !== undefined) break;
  }
  // Events and state name Ms alike (the scenario's names, report/names.ts).
  const ms = r.state?.ms.filter((x) => x.name === m);
  if (ms && ms.length > 0) d.m = ms[0];
  return d;
}

export function diffScenario(sim: Simulator, scenario: Scenario, p: Side, q: Side): DiffReport {
  const a = runOne(sim, scenario, p, { events: true, state: true, budget: 200_000_000 }).result;
  const b = runOne(sim, scenario, q, { events: true, state: true, budget: 200_000_000 }).result;
  if (!a || !b) throw new Error('the scenario does not compile');
  const ea = a.events ?? [];
  const eb = b.events ?? [];
  let i = 0;
  while (i < ea.length && i < eb.length && sameEvent(ea[i], eb[i])) i++;
  const same = i === ea.length && i === eb.length && a.verdict === b.verdict;
  const anchor = ea[i] ?? eb[i] ?? ea[i - 1];
  return {
    scenario: scenario.name, same, index: i, before: ea.slice(Math.max(0, i - 5), i),
    sides: [sideAt(p, a, i, anchor), sideAt(q, b, i, anchor)],
  };
}
