// The exhaustive strategy, for one given scenario: find which interleaving points each of its
// goroutines reaches, then run every placement of up to `bound` pins over those points (each pin
// a GC, a preemption request, a preemption handed to each named M, or a tracer advance). Coverage
// is the number of catalogue points the scenario reaches out of all of them.

import { POINTS } from '../model/points.js';
import { judge, makeFinding, shrinkFinding, type CampaignOptions, type Finding } from './campaign.js';
import { runOne } from './runner.js';
import type { Scenario, Simulator } from '../api/types.js';

type Step = Record<string, unknown>;

export interface ExhaustiveSummary {
  type: 'summary';
  runs: number;
  findings: number;
  elapsedMs: number;
  runsPerSecond: number;
  pointsReached: number;
  pointsPossible: number;
  reached: string[];
}

/** Goroutine ids the scenario starts with `go`, anywhere in its timeline. */
function goroutineIds(steps: unknown[], out: string[] = []): string[] {
  for (const s of steps as Step[]) {
    if (s.op === 'go' && typeof s.id === 'string') out.push(s.id);
    if (s.op === 'repeat' && Array.isArray(s.steps)) goroutineIds(s.steps as unknown[], out);
  }
  return out;
}

function mNames(steps: unknown[], out = new Set<string>()): Set<string> {
  for (const s of steps as Step[]) {
    const m = s.m as { id?: unknown } | undefined;
    if (s.op === 'go' && typeof m?.id === 'string') out.add(m.id);
    if (typeof s.resumeOn === 'string') out.add(s.resumeOn);
    for (const k of ['fn', 'steps']) if (Array.isArray(s[k])) mNames(s[k] as unknown[], out);
  }
  return out;
}

function withPins(s: Scenario, pins: Step[]): Scenario {
  return { ...s, steps: [...pins, ...(s.steps as unknown as Step[])] as unknown as Scenario['steps'] };
}

/** The (point, goroutine) pairs the scenario reaches under the first side: one probe run each. */
export function reachedPoints(sim: Simulator, scenario: Scenario, sides: CampaignOptions['sides']): { point: string; g: string | undefined }[] {
  const out: { point: string; g: string | undefined }[] = [];
  const gs: (string | undefined)[] = [...goroutineIds(scenario.steps as unknown[]), undefined];
  for (const p of POINTS) {
    for (const g of gs) {
      const pin: Step = { op: 'at', point: p.name, steps: [] };
      if (g !== undefined) pin.g = g;
      const { result } = runOne(sim, withPins(scenario, [pin]), sides[0]);
      if (result && result.verdict !== 'invalid' && result.counters.atUnfired === 0) out.push({ point: p.name, g });
    }
  }
  return out;
}

export function exploreExhaustive(sim: Simulator, scenario: Scenario, sides: CampaignOptions['sides'], o: { bound: number; onFinding?: (f: Finding) => void; onProgress?: (p: { runs: number; findings: number; elapsedMs: number; runsPerSecond: number }) => void }): ExhaustiveSummary {
  const start = Date.now();
  const reached = reachedPoints(sim, scenario, sides);
  const ms = [...mNames(scenario.steps as unknown[]), 'M9'];
  const traced = JSON.stringify(scenario.steps).includes('"traceStart"');
  const actions: Step[][] = [[{ op: 'gc' }], [{ op: 'preempt' }], ...ms.map((m) => [{ op: 'preempt', resumeOn: m }])];
  if (traced) actions.push([{ op: 'traceAdvance' }]);
  const pinsAt = (i: number, a: number): Step => {
    const r = reached[i]!;
    const pin: Step = { op: 'at', point: r.point, steps: actions[a] };
    if (r.g !== undefined) pin.g = r.g;
    return pin;
  };
  const known = new Set<string>();
  let runs = 0;
  let findings = 0;
  const co: CampaignOptions = { sides, strategy: 'exhaustive', seed: 0 };
  const visit = (pins: Step[]) => {
    const s = withPins(scenario, pins);
    const v = judge(sim, s, sides);
    runs++;
    if (runs % 64 === 0) { const e = Date.now() - start; o.onProgress?.({ runs, findings, elapsedMs: e, runsPerSecond: e > 0 ? (runs * 1000) / e : 0 }); }
    if (v.signature === undefined || known.has(v.signature)) return;
    known.add(v.signature);
    const at = { runs, elapsedMs: Date.now() - start };
    const t0 = Date.now();
    const shrunk = shrinkFinding(sim, s, sides, v.signature);
    findings++;
    o.onFinding?.(makeFinding(co, v.signature, v.outcomes, shrunk, { ...at, original: s, index: runs - 1, seed: 0, shrinkMs: Date.now() - t0 }));
  };
  // Placements: sets of distinct (point, goroutine) pairs, each with one action, up to the bound.
  const place = (from: number, pins: Step[]) => {
    visit(pins);
    if (pins.length >= o.bound) return;
    for (let i = from; i < reached.length; i++) {
      for (let a = 0; a < actions.length; a++) place(i + 1, [...pins, pinsAt(i, a)]);
    }
  };
  place(0, []);
  const names = [...new Set(reached.map((r) => r.point))];
  const elapsedMs = Date.now() - start;
  return {
    type: 'summary', runs, findings, elapsedMs, runsPerSecond: elapsedMs > 0 ? Math.round((runs * 1000) / elapsedMs) : 0,
    pointsReached: names.length, pointsPossible: POINTS.length, reached: names,
  };
}
