// A campaign worker thread (Node only): runs the chunks the campaign hands it and posts back what
// each found. Each worker has its own simulator instance on the core the campaign compiled once;
// they share nothing else but messages.

import { parentPort, workerData } from 'node:worker_threads';
import { createSimulator } from '../api/node.js';
import { runChunk, type CampaignOptions } from './campaign.js';

interface Task { chunk: number; limit: number; known: string[]; deadline: number; start: number; runsSoFar: number }

const { options, module } = workerData as { options: CampaignOptions; module: WebAssembly.Module };
const sim = await createSimulator({ wasm: module });
const known = new Set<string>();

parentPort!.on('message', (t: Task) => {
  for (const s of t.known) known.add(s);
  const result = runChunk(sim, options, t.chunk, known, {
    stop: () => Date.now() >= t.deadline,
    onDiscover: (inChunk) => ({ runs: t.runsSoFar + inChunk, elapsedMs: Date.now() - t.start }),
  }, t.limit);
  parentPort!.postMessage({ result, limit: t.limit });
});
