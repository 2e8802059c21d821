// The JSON Schema (schema/scenario.schema.json, generated from the op table) accepts every bundled
// scenario and rejects a corpus of bad input; and it is never stricter than the validator.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compileScenario, TOP_KEYS } from '../src/scenario/compile.js';
import { scenarioSchema } from '../src/scenario/schema.js';
import { BODIES, OPS } from '../src/scenario/ops.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const committed = JSON.parse(readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8'));
// With allErrors, as an editor validates: body items dispatch on "op" with if/then, so the work is
// linear in the nesting depth (a oneOf over the ops was exponential: a 6-level scenario took 44 s).
const validate = new Ajv2020({ strict: true, allErrors: true }).compile(committed);

function scenarioFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? scenarioFiles(p) : f.endsWith('.json') ? [p] : [];
  });
}
const FILES = scenarioFiles(join(root, 'scenarios'));

const compiles = (doc: unknown) => { try { compileScenario(doc); return true; } catch { return false; } };

const BASE = () => ({
  format: 1, name: 'base',
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x100000', '0x110000'] },
    { op: 'malloc', id: 'A', size: '64KiB' },
    { op: 'callback', thread: 'T1', fn: [{ op: 'systemstack' }, { op: 'cgocall', fn: [{ op: 'stack', bytes: 256 }] }] },
    { op: 'go', id: 'G5', fn: [{ op: 'call', frame: 64, ptrs: [8, { at: 16, value: '0x10' }], depth: 2 }], m: { id: 'M1' } },
  ],
  expect: { '*': { verdict: 'ok', counters: { callbacks: 1 } } },
});

/** Each: a change to BASE that both the schema and the validator refuse. */
const BAD: [string, (d: any) => void][] = [
  ['format 2', (d) => { d.format = 2; }],
  ['no steps', (d) => { delete d.steps; }],
  ['unknown top-level key', (d) => { d.stepz = []; }],
  ['steps not an array', (d) => { d.steps = {}; }],
  ['unknown op', (d) => { d.steps.push({ op: 'fork' }); }],
  ['a Go op on the timeline', (d) => { d.steps.push({ op: 'systemstack' }); }],
  ['a C op in a Go body', (d) => { d.steps[2].fn.push({ op: 'stack', bytes: 8 }); }],
  ['unknown key in an op', (d) => { d.steps[0].size = 4096; }],
  ['missing required field', (d) => { delete d.steps[0].stack; }],
  ['stack of three addresses', (d) => { d.steps[0].stack.push('0x120000'); }],
  ['address not hex', (d) => { d.steps[0].stack[0] = '0xZZ'; }],
  ['size with an unknown unit', (d) => { d.steps[1].size = '8MB'; }],
  ['negative size', (d) => { d.steps[1].size = -1; }],
  ['boolean as a string', (d) => { d.steps[0].main = 'yes'; }],
  ['empty id', (d) => { d.steps[1].id = ''; }],
  ['unknown wait reason', (d) => { d.steps[3].fn.push({ op: 'park', reason: 'napping' }); }],
  ['unknown point', (d) => { d.steps.push({ op: 'at', point: 'nowhere', steps: [] }); }],
  ['repeat count below 0', (d) => { d.steps.push({ op: 'repeat', count: -1, steps: [] }); }],
  ['ptrs value without at', (d) => { d.steps[3].fn[0].ptrs.push({ value: '0x10' }); }],
  ['unknown key in go.m', (d) => { d.steps[3].m.thread = 'T1'; }],
  ['platform not known', (d) => { d.platform = 'linux'; }],
  ['unknown flag', (d) => { d.flags = { FAST: true }; }],
  ['CB_UPDATE not a variant', (d) => { d.flags = { CB_UPDATE: 'V9' }; }],
  ['unknown verdict', (d) => { d.expect['*'].verdict = 'boom'; }],
  ['unknown counter', (d) => { d.expect['*'].counters.bananas = 1; }],
  ['seed not an integer', (d) => { d.seed = 1.5; }],
];

describe('schema/scenario.schema.json', () => {
  it('is what the op table generates (npm run generate)', () => {
    expect(committed).toEqual(scenarioSchema());
  });

  it('declares the top-level keys the validator accepts, and every op in every body', () => {
    expect(Object.keys(committed.properties).sort()).toEqual([...TOP_KEYS].sort());
    for (const [kind, body] of Object.entries(BODIES)) {
      expect(committed.$defs[`body.${kind}`].items.allOf).toHaveLength(body.ops.length);
      expect(committed.$defs[`body.${kind}`].items.properties.op.enum).toEqual([...body.ops]);
    }
    expect(OPS.map((d) => d.name).sort()).toEqual([...new Set(Object.values(BODIES).flatMap((b) => b.ops))].sort());
  });

  it(`accepts every bundled scenario (${FILES.length} files)`, () => {
    expect(FILES.length).toBeGreaterThan(20);
    for (const file of FILES) {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const ok = validate(doc);
      expect(ok ? [] : validate.errors, file).toEqual([]);
    }
  });

  it('checks a body item against its own op only: one error, at its path, 50 levels deep', () => {
    // A Go body's cgocall holds a C body whose callback holds the next Go body, 50 times; the
    // innermost C body's stack op has a bad field. Each level is matched to one definition by its
    // "op", so the errors are that one field's, not one per op definition per level.
    let body: unknown[] = [{ op: 'stack', bytes: 'lots' }];
    let path = '';
    for (let i = 0; i < 50; i++) {
      body = [{ op: 'callback', fn: [{ op: 'cgocall', fn: body }] }];
      path = `/0/fn/0/fn${path}`;
    }
    const doc = { format: 1, name: 'deep', steps: [{ op: 'thread', id: 'T1', stack: ['0x800000', '0x900000'] }, { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: body }] }] };
    expect(validate(doc)).toBe(false);
    const errors = validate.errors!;
    expect(errors.map((e) => e.instancePath)).toContain(`/steps/1/fn/0/fn${path}/0/bytes`);
    expect(errors.filter((e) => e.keyword !== 'if').length).toBeLessThanOrEqual(3);
    expect(compiles(doc)).toBe(false);
  });

  it('accepts the base document of the bad-input corpus', () => {
    expect(validate(BASE())).toBe(true);
    expect(compiles(BASE())).toBe(true);
  });

  for (const [what, change] of BAD) {
    it(`rejects: ${what}`, () => {
      const doc = BASE();
      change(doc);
      expect(validate(doc)).toBe(false);
      expect(compiles(doc)).toBe(false);
    });
  }

  it('is never stricter than the validator: every mutant the validator accepts, the schema accepts', () => {
    let accepted = 0;
    let checked = 0;
    for (const file of FILES.slice(0, 40)) {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const mutants: (() => () => void)[] = [];
      const visit = (node: any) => {
        if (node === null || typeof node !== 'object') return;
        for (const k of Object.keys(node)) {
          const v = node[k];
          if (!Array.isArray(node)) mutants.push(() => { delete node[k]; return () => { node[k] = v; }; });
          for (const bad of [7, '0x40', '8KiB', true, [], 'T1']) mutants.push(() => { node[k] = bad; return () => { node[k] = v; }; });
          visit(v);
        }
      };
      visit(doc);
      for (const m of mutants) {
        const undo = m();
        checked++;
        if (compiles(doc)) {
          accepted++;
          expect(validate(doc) ? [] : validate.errors, `${file}: ${JSON.stringify(doc).slice(0, 200)}`).toEqual([]);
        }
        undo();
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(50);
    // Thousands of mutants each compiled and validated with allErrors: 35-65 s on a loaded 2-core
    // machine while the browser project runs beside it, past the default 60 s.
  }, 300_000);
});
