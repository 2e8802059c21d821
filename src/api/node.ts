// The Node entry: the API of index.ts, with the core's bytes read from disk, and scenario files.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSimulatorFrom } from '../core/instance.js';
import { compileScenario } from '../scenario/compile.js';
import { ScenarioError } from './errors.js';
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
  const { build, ...rest } = options;
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
 * malformed input.
 */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  const label = file === '-' ? '(stdin)' : file;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError('', code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read it (${code ?? (e as Error).message})`, label);
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
