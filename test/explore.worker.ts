// A module Web Worker that explores (used by explore-worker.browser.test.ts): the explorer's host
// API in a browser worker, with the core fetched next to the sources.

import { createSimulatorFrom } from '../src/core/instance.js';
import { explore } from '../src/explore/index.js';

self.onmessage = async (e: MessageEvent<{ profile: string; runs: number; seed: number }>) => {
  try {
    const bytes = await (await fetch(new URL('../build/release.wasm', import.meta.url))).arrayBuffer();
    const sim = await createSimulatorFrom(bytes);
    const r = explore(sim, { profile: e.data.profile, runs: e.data.runs, seed: e.data.seed });
    self.postMessage({ summary: r.summary, signatures: r.findings.map((f) => f.signature), invalid: r.invalid.length });
  } catch (err) {
    self.postMessage({ error: String((err as Error).stack ?? err) });
  }
};
