// The simulation worker: every run happens here, so a long scenario never blocks the page.

import {
  checkExpectation, compileScenario, createSimulatorFrom, diff as diffRuns, expectationFor, explore, PROFILE_NAMES,
  type RunOptions, type RunResult, type Scenario, type Simulator,
} from '../../src/api/index.js';
import wasmUrl from '../../build/release.wasm?url';
import { snapshot } from './snapshot.js';
import type { DiffReply, ExploreProgress, ExploreReply, MatrixCell, Reply, Request, Runtime } from './protocol.js';

let sim: Promise<Simulator> | undefined;
function simulator(): Promise<Simulator> {
  sim ??= fetch(wasmUrl).then((r) => r.arrayBuffer()).then((bytes) => createSimulatorFrom(bytes));
  return sim;
}

const post = (m: Reply) => (self as unknown as Worker).postMessage(m);

function options(rt: Runtime, seed: number | undefined, extra: RunOptions = {}): RunOptions {
  const o: RunOptions = { profile: rt.profile, ...extra };
  if (rt.flags && Object.keys(rt.flags).length) o.flags = rt.flags;
  if (seed !== undefined) o.seed = seed;
  return o;
}

function parse(text: string): Scenario | string {
  try {
    return JSON.parse(text) as Scenario;
  } catch {
    return text;
  }
}

function matrix(s: Simulator, text: string, seed?: number): MatrixCell[] {
  const doc = parse(text);
  let compiled;
  try {
    compiled = compileScenario(doc);
  } catch {
    compiled = undefined;
  }
  return PROFILE_NAMES.map((profile) => {
    const result = s.run(compiled ?? doc, options({ profile }, seed));
    const expect = typeof doc === 'object' ? expectationFor(doc.expect, result.profile, result.release) : undefined;
    return { profile, result, ...(expect !== undefined ? { expect } : {}), problems: expect !== undefined ? checkExpectation(result, expect) : [] };
  });
}

/** Two runtimes on one scenario: the explorer's diff finds where they part; both runs come back with events for the pictures. */
function diff(s: Simulator, text: string, a: Runtime, b: Runtime, seed?: number): DiffReply {
  const doc = JSON.parse(text) as Scenario;
  if (a.flags && Object.keys(a.flags).length) throw new Error('flag overrides apply to runtime B only');
  if (seed !== undefined) doc.seed = seed;
  const report = diffRuns(s, doc, { profiles: [a.profile, b.profile], ...(b.flags ? { flags: b.flags } : {}) });
  const ra = s.run(doc, options(a, seed, { events: true, state: true }));
  const rb = s.run(doc, options(b, seed, { events: true, state: true }));
  return { a: ra, b: rb, first: report.same ? -1 : report.index, report };
}

/** An exploration campaign (the explorer's own API), reporting progress and each shrunk finding as it comes. */
function runExplore(s: Simulator, id: number, req: Extract<Request, { type: 'explore' }>): ExploreReply {
  const progress = (p: ExploreProgress) => post({ id, progress: p });
  const report = explore(s, {
    profile: req.profile, ...(req.diff ? { diff: req.diff } : {}), seed: req.seed, timeMs: req.timeMs,
    onProgress: (p) => progress({ kind: 'progress', ...p }),
    onFinding: (f) => progress({
      kind: 'finding',
      finding: {
        signature: f.signature, verdict: f.verdict, ...(f.fatal !== undefined ? { fatal: f.fatal } : {}), ...(f.crash !== undefined ? { crash: f.crash } : {}),
        ...(f.profiles ? { profiles: f.profiles } : {}), runs: f.runs, elapsedMs: f.elapsedMs, originalSteps: f.originalSteps, shrunkSteps: f.shrunkSteps,
        text: JSON.stringify(f.scenario, null, 2),
      },
    }),
  });
  const { runs, findings, elapsedMs, invalid } = report.summary;
  return { runs, findings, elapsedMs, invalid };
}

self.onmessage = async (ev: MessageEvent<Request & { id: number }>) => {
  const req = ev.data;
  try {
    const s = await simulator();
    let data: unknown;
    switch (req.type) {
      case 'matrix': data = matrix(s, req.text, req.seed); break;
      case 'run': data = s.run(req.text, options(req.runtime, req.seed, { events: true, state: true })) satisfies RunResult; break;
      case 'snapshot': data = snapshot(s, req.text, req.runtime, req.seed, req.event); break;
      case 'diff': data = diff(s, req.text, req.a, req.b, req.seed); break;
      case 'explore': data = runExplore(s, req.id, req); break;
    }
    post({ id: req.id, ok: true, data });
  } catch (e) {
    post({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
};
