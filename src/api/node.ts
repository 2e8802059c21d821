// The Node entry: the API of index.ts, with the core's bytes read from disk, and scenario files.

import { existsSync, readFileSync } from 'node:fs';
export { DEFAULT_MAX_INPUT_BYTES, DEFAULT_INPUT_TIMEOUT_MS } from './input.js';
import { fileURLToPath } from 'node:url';
import { createSimulatorFrom, SIMULATOR_OPTIONS } from '../core/instance.js';
import { checkOptions, integer, oneOf } from './options.js';
import { InputError, readInput } from './input.js';
import { compileScenario } from '../scenario/compile.js';
import { OptionsError, ScenarioError, describe } from './errors.js';
import type { Scenario, Simulator, SimulatorOptions } from './types.js';

export * from './index.js';

/** build/ beside src/ (running from source) or dist/build beside dist/src (the package); this file is src/api/node. */
export function wasmPath(build: 'release' | 'debug' = 'release'): string {
  for (const rel of [`../../build/${build}.wasm`, `../../../build/${build}.wasm`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error(`cgosim: build/${build}.wasm not found; run "npm run build" first`);
}

const modules = new Map<string, WebAssembly.Module>();

/** Creates a simulator. `build: "debug"` uses the core with assertions on. */
export async function createSimulator(options: SimulatorOptions & { build?: 'release' | 'debug' } = {}): Promise<Simulator> {
  checkOptions('createSimulator()', options, { ...SIMULATOR_OPTIONS, build: oneOf('release', 'debug') });
  const { build, ...rest } = options ?? {};
  if (rest.wasm) return createSimulatorFrom(rest.wasm, rest);
  const path = wasmPath(build ?? 'release');
  let module = modules.get(path);
  if (!module) {
    module = await WebAssembly.compile(readFileSync(path));
    modules.set(path, module);
  }
  return createSimulatorFrom(module, rest);
}

/**
 * Reads a scenario file (JSON); "-" reads standard input. Throws ScenarioError naming the file on
 * malformed input, input over `maxBytes` (default 32 MiB), or a non-regular file (a FIFO, a device,
 * standard input) that gives no data for `timeoutMs` (default 750 ms); OptionsError for bad options.
 */
export function loadScenarioFile(file: string, options?: { maxBytes?: number; timeoutMs?: number }): Scenario {
  if (typeof file !== 'string' || file === '') throw new OptionsError('loadScenarioFile()', 'file', `must be a file name or "-", got ${describe(file)}`);
  checkOptions('loadScenarioFile()', options, { maxBytes: integer(1, Number.MAX_SAFE_INTEGER), timeoutMs: integer(1, 2 ** 31) });
  const label = file === '-' ? '(stdin)' : file;
  let text: string;
  try {
    text = readInput(file, options ?? {});
  } catch (e) {
    if (e instanceof InputError) throw new ScenarioError('', e.reason, label);
    throw e;
  }
  return parseScenarioText(text, label);
}

/** Parses and validates scenario JSON text; errors name `label` (a file name). */
export function parseScenarioText(text: string, label: string): Scenario {
  try {
    const doc = JSON.parse(text) as Scenario;
    compileScenario(doc);
    return doc;
  } catch (e) {
    if (e instanceof SyntaxError) throw new ScenarioError('', `malformed JSON: ${e.message}`, label);
    if (e instanceof ScenarioError) throw new ScenarioError(e.path, e.detail, label);
    throw e;
  }
}
