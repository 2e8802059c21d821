// The public step types come from the op table (issue 15): every bundled scenario typechecks as a
// Scenario, and a step the validator refuses does not (a C op in a Go body, an op of another
// body, a missing required field, an unknown wait reason or point). Checked with the TypeScript
// compiler itself, on files written next to the sources.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { SCENARIOS } from './helpers.js';
import { compileScenario } from '../src/api/index.js';
import { ScenarioError } from '../src/api/errors.js';

const root = new URL('..', import.meta.url).pathname;

/** Type errors of each file, by file name, under the project's compiler options. */
function typeErrors(files: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(root, 'test', '.step-types-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    });
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
    const program = ts.createProgram(paths, { ...parsed.options, noEmit: true, incremental: false, composite: false });
    const out: Record<string, string[]> = {};
    for (const p of paths) {
      const sf = program.getSourceFile(p)!;
      out[p.slice(dir.length + 1)] = ts.getPreEmitDiagnostics(program, sf).map((d) => {
        const line = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
        return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Steps the validator refuses, each on its own line, as the body type that holds it.
const REFUSED: [string, unknown][] = [
  ['GoStep', { op: 'stack', bytes: 8 }],
  ['CStep', { op: 'traceStop' }],
  ['GoStep', { op: 'thread', id: 'T9', stack: ['0x1000', '0x9000'] }],
  ['GoStep', { op: 'park', reason: 'no such reason' }],
  ['GoStep', { op: 'call' }],
  ['CStep', { op: 'systemstack' }],
  ['SignalStep', { op: 'gc' }],
  ['HookStep', { op: 'malloc', id: 'B', size: 16 }],
  ['TimelineStep', { op: 'at', point: 'no.such.point', steps: [] }],
  ['TimelineStep', { op: 'callback', thread: 'T1', fn: [], bogus: 1 }],
];

/** How deeply a JSON value nests (objects and arrays). */
function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v as object).map(depth));
}
// The compiler gives up comparing literal types nested past about 130 levels ("Excessive stack
// depth comparing types"): the 8 KiB nesting scenarios (37-39 callback levels, 150 deep) are left
// to the validator, the schema and the other tests that run them.
const TYPED = Object.entries(SCENARIOS).filter(([, s]) => depth(s) <= 120);

it('every bundled scenario typechecks as a Scenario; steps the validator refuses do not', () => {
  const api = JSON.stringify(join(root, 'src/api/types.js'));
  expect(Object.keys(SCENARIOS).filter((f) => !TYPED.some(([g]) => g === f)).sort()).toEqual(['nest-37-levels-8k.json', 'nest-38-levels-8k.json', 'nest-39-levels-8k.json']);
  const ok = [`import type { Scenario } from ${api};`, ...TYPED.map(([, s], i) => `export const s${i}: Scenario = ${JSON.stringify(s)};`)].join('\n');
  const refused = [
    `import type { GoStep, CStep, SignalStep, HookStep, TimelineStep } from ${api};`,
    ...REFUSED.map(([type, step], i) => `export const r${i}: ${type} = ${JSON.stringify(step)};`),
  ].join('\n');
  const errors = typeErrors({ 'ok.ts': ok, 'refused.ts': refused });
  expect(errors['ok.ts']).toEqual([]);
  // One error (or more) on every refused line, and none elsewhere.
  const lines = new Set(errors['refused.ts']!.map((e) => Number(e.split(':')[0])));
  expect([...lines].sort((a, b) => a - b)).toEqual(REFUSED.map((_, i) => i + 2));
}, 120_000);

it('the validator refuses those steps too', () => {
  const T1 = { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] };
  const where: Record<string, (s: unknown) => unknown[]> = {
    GoStep: (s) => [T1, { op: 'callback', thread: 'T1', fn: [s] }],
    CStep: (s) => [T1, { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [s] }] }],
    SignalStep: (s) => [T1, { op: 'signal', thread: 'T1', sp: '0x870000', fn: [s] }],
    HookStep: (s) => [{ op: 'at', point: 'goroutine.prologue', steps: [s] }],
    TimelineStep: (s) => [T1, s],
  };
  for (const [type, step] of REFUSED) {
    expect(() => compileScenario({ format: 1, name: 'x', steps: where[type]!(step) }), JSON.stringify(step)).toThrow(ScenarioError);
  }
});
