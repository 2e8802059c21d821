// Shared by the Node and browser projects: the same tests run against the same core in both.

import { createSimulatorFrom } from '../src/core/instance.js';
import type { Scenario, Simulator } from '../src/api/types.js';

const cache = new Map<string, Promise<Uint8Array>>();

/** The core's bytes: from disk under Node, from vite's server in the browser. */
export function wasmBytes(build: 'release' | 'debug' = 'release'): Promise<Uint8Array> {
  let p = cache.get(build);
  if (!p) {
    const url = new URL(`../build/${build}.wasm`, import.meta.url);
    p = (async () => {
      if (url.protocol === 'file:') {
        const fsName = 'node:fs/promises';
        const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
        return new Uint8Array(await fs.readFile(url));
      }
      const r = await fetch(url);
      if (!r.ok) throw new Error(`fetch ${url}: ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    })();
    cache.set(build, p);
  }
  return p;
}

export async function simulator(binding: 'raw' | 'loader' = 'raw', build: 'release' | 'debug' = 'release'): Promise<Simulator> {
  return createSimulatorFrom(await wasmBytes(build), { binding });
}

/** Every bundled scenario file, keyed by file name. */
export const SCENARIOS: Record<string, Scenario> = Object.fromEntries(
  // Raw text parsed here (as the playground does): vite's JSON transform refuses nesting deeper
  // than 128 (the 8 KiB nesting scenarios go deeper).
  Object.entries(import.meta.glob('../scenarios/**/*.json', { eager: true, query: '?raw', import: 'default' }) as Record<string, string>)
    .map(([path, text]) => [path.replace(/^.*\//, ''), JSON.parse(text) as Scenario]),
);

export function scenario(file: string): Scenario {
  const s = SCENARIOS[file];
  if (!s) throw new Error(`no bundled scenario ${file}`);
  return structuredClone(s);
}

/** 100,000 callbacks, then one on a fiber below its thread's stack: morestack on g0 on go1.21.0. */
export function lateCrash(callbacks = 100_000): Scenario {
  return {
    format: 1, name: 'late-crash', profile: 'go1.21.0',
    steps: [
      { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] },
      { op: 'repeat', count: callbacks, steps: [{ op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] }] },
      { op: 'malloc', id: 'fiber', size: '64KiB', at: '0x500000' },
      { op: 'switch', thread: 'T1', to: 'fiber' },
      { op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }] },
    ],
  };
}

