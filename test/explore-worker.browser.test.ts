// explore() in a browser Web Worker: src/explore has no node: imports outside its Node-only
// campaign module, so a page can search in the background.

import { expect, it } from 'vitest';
import { explore } from '../src/explore/index.js';
import { simulator } from './helpers.js';

it('explores in a Web Worker and finds what the page thread finds', async () => {
  const worker = new Worker(new URL('./explore.worker.ts', import.meta.url), { type: 'module' });
  const reply = await new Promise<{ summary?: { runs: number }; signatures?: string[]; invalid?: number; error?: string }>((resolve) => {
    worker.onmessage = (e) => resolve(e.data as never);
    worker.onerror = (e) => resolve({ error: e.message });
    worker.postMessage({ profile: 'go1.21.0', runs: 200, seed: 3 });
  });
  worker.terminate();
  expect(reply.error).toBeUndefined();
  expect(reply.summary!.runs).toBe(200);
  expect(reply.invalid).toBe(0);
  const here = explore(await simulator(), { profile: 'go1.21.0', runs: 200, seed: 3 });
  expect(reply.signatures).toEqual(here.findings.map((f) => f.signature));
  expect(reply.signatures).toContain('crash|morestack-g0|callback|morestack on g0');
}, 120_000);
