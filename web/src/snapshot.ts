// The playground's state snapshots: the core's records at a chosen event of a run. Kept apart from
// the worker (which needs the page's bundler for its Wasm URL) so that Node tests can run it.

import type { PreparedScenario, RunOptions, RunResult, RunSpec, Simulator } from '../../src/api/index.js';
import type { Runtime, SnapshotReply } from './protocol.js';

function options(rt: Runtime, seed: number | undefined, extra: RunOptions): RunOptions {
  const o: RunOptions = { profile: rt.profile, ...extra };
  if (rt.flags && Object.keys(rt.flags).length) o.flags = rt.flags;
  if (seed !== undefined) o.seed = seed;
  return o;
}

/**
 * The core's records right after the op that emitted event `event` (a position in the run's event
 * list): the smallest step budget whose run emitted that event. Long logs keep only their first and
 * last events, so the search compares the event's own index in the whole run with how many events a
 * budgeted run emitted in all (LazyRun.eventsTotal), never list positions; the budgeted runs go
 * through the binary entry, which builds no event list.
 */
let lastFull: { key: string; result: RunResult; prepared: PreparedScenario | undefined } | undefined;

export function snapshot(s: Simulator, text: string, rt: Runtime, seed: number | undefined, event: number): SnapshotReply {
  const key = JSON.stringify([text, rt, seed]);
  if (lastFull?.key !== key) {
    let prepared: PreparedScenario | undefined;
    try {
      prepared = s.prepare(text);
    } catch {
      prepared = undefined;
    }
    lastFull = { key, result: s.run(text, options(rt, seed, { events: true })), prepared };
  }
  const { result: full, prepared } = lastFull;
  const events = full.events ?? [];
  const at = events[Math.max(0, Math.min(event, events.length - 1))];
  const target = at?.index ?? 0;
  const emitted = (budget: number): number => {
    if (prepared) {
      const spec: RunSpec = { profile: rt.profile, budget, events: true };
      if (rt.flags && Object.keys(rt.flags).length) spec.flags = rt.flags;
      if (seed !== undefined) spec.seed = seed;
      return prepared.run(spec).eventsTotal;
    }
    const r = s.run(text, options(rt, seed, { events: true, budget }));
    return r.eventsTotal ?? r.events?.length ?? 0;
  };
  let lo = 1;
  let hi = Math.max(1, full.stepsUsed);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (emitted(mid) > target) hi = mid;
    else lo = mid + 1;
  }
  const r = s.run(text, options(rt, seed, { events: true, state: true, budget: lo }));
  return { ops: lo, events: r.eventsTotal ?? r.events?.length ?? 0, state: r.state, opPath: at?.step ?? '' };
}
