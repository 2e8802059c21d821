// The browser entry: the API of index.ts, with the core fetched next to this module.

import { createSimulatorFrom, SIMULATOR_OPTIONS } from '../core/instance.js';
import { checkOptions } from './options.js';
import { OptionsError, describe } from './errors.js';
import type { Simulator, SimulatorOptions } from './types.js';

export * from './index.js';

let cached: Promise<WebAssembly.Module> | undefined;

/** Creates a simulator; the Wasm is fetched once from `wasmUrl` (default: build/release.wasm beside src/ or dist/src). */
export async function createSimulator(options: SimulatorOptions & { wasmUrl?: string | URL } = {}): Promise<Simulator> {
  checkOptions('createSimulator()', options, {
    ...SIMULATOR_OPTIONS,
    wasmUrl: (call, name, v) => {
      if (typeof v !== 'string' && !(v instanceof URL)) throw new OptionsError(call, name, `must be a URL or a string, got ${describe(v)}`);
    },
  });
  const { wasmUrl, ...rest } = options ?? {};
  if (rest.wasm) return createSimulatorFrom(rest.wasm, rest);
  if (wasmUrl !== undefined) return createSimulatorFrom(await WebAssembly.compileStreaming(fetch(wasmUrl)), rest);
  cached ??= fetch(new URL('../../build/release.wasm', import.meta.url)).then(async (r) => {
    if (!r.ok) throw new Error(`cgosim: could not fetch the Wasm core (${r.status} ${r.statusText})`);
    return WebAssembly.compile(await r.arrayBuffer());
  });
  return createSimulatorFrom(await cached, rest);
}
