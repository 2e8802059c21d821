// The scenario format as JSON Schema (draft 2020-12), derived from the op table (ops.ts) and the
// top-level fields below. `npm run generate` writes it to schema/scenario.schema.json, which the
// package ships for editors (`"$schema": "node_modules/cgosim/schema/scenario.schema.json"`).
//
// The schema is structural: keys, types, units, enums, which op may stand in which body. What needs
// the scenario's own history (a thread created by an earlier step, a stack inside the address
// space window, overlaps) is checked by the validator only; test/schema.node.test.ts checks that
// every scenario the validator accepts, the schema accepts too.

import { COUNTER_NAMES } from '../api/types.js';
import { FLAG_NAMES, PLATFORMS, PROFILE_NAMES } from '../model/profiles.js';
import { BODIES, fieldsOf, opDef, type BodyKind, type FieldDef } from './ops.js';
import { MAX_CALL_FRAME } from './limits.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

const COMMON: Record<string, Schema> = {
  address: {
    description: 'An address of the simulated process: a hex string ("0x7f53071ba4f0") or a non-negative integer.',
    anyOf: [{ type: 'string', pattern: '^0[xX][0-9a-fA-F]{1,16}$' }, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }],
  },
  size: {
    description: 'A size: bytes, or a string with a binary unit ("64KiB", "8MiB", "2048").',
    anyOf: [{ type: 'string', pattern: '^\\s*\\d+\\s*(B|KiB|MiB|GiB|TiB)?\\s*$' }, { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }],
  },
  range: {
    description: 'A stack [lo, hi): two addresses, hi above lo.',
    type: 'array', prefixItems: [ref('address'), ref('address')], minItems: 2, maxItems: 2,
  },
  ptrs: {
    description: 'Pointer slots of a frame: word-aligned byte offsets from SP, or { at, value } to put a chosen value there.',
    type: 'array',
    items: {
      anyOf: [
        { type: 'integer', minimum: 0 },
        {
          type: 'object', additionalProperties: false, required: ['at', 'value'],
          properties: { at: { type: 'integer', minimum: 0, maximum: MAX_CALL_FRAME }, value: ref('address') },
        },
      ],
    },
  },
  name: { type: 'string', minLength: 1 },
};

function describeField(d: FieldDef, s: Schema): Schema {
  const parts = [d.doc];
  if (d.unit) parts.push(`Unit: ${d.unit}.`);
  if (d.default !== undefined) parts.push(`Default: ${JSON.stringify(d.default)}.`);
  return { description: parts.join(' '), ...s, ...(typeof d.default === 'string' || d.default === undefined ? {} : { default: d.default }) };
}

function fieldSchema(d: FieldDef, kind: BodyKind): Schema {
  const t = d.type;
  switch (t.t) {
    case 'id': case 'ref': return describeField(d, ref('name'));
    case 'address': case 'size': case 'range': case 'ptrs': return describeField(d, ref(t.t));
    case 'bool': return describeField(d, { type: 'boolean' });
    case 'int': return describeField(d, { type: 'integer', minimum: t.min, maximum: t.max });
    case 'enum': return describeField(d, { type: 'string', enum: [...t.values()] });
    case 'body': return describeField(d, ref(`body.${t.kind === 'same' ? kind : t.kind}`));
    case 'object': return describeField(d, objectSchema(t.fields, kind));
  }
}

function objectSchema(defs: readonly FieldDef[], kind: BodyKind, extra: Schema = {}): Schema {
  const properties: Schema = { ...extra };
  for (const d of defs) properties[d.name] = fieldSchema(d, kind);
  const required = [...Object.keys(extra), ...defs.filter((d) => d.required).map((d) => d.name)];
  return { type: 'object', additionalProperties: false, required, properties };
}

/** The JSON Schema of scenario format 1, as this version of cgosim accepts it. */
export function scenarioSchema(): Schema {
  const defs: Record<string, Schema> = { ...COMMON };
  const kinds = Object.keys(BODIES) as BodyKind[];
  // One definition per op, or per op and body where its fields (or a body of the same kind) differ.
  const perKind = new Map<string, Map<BodyKind, string>>();
  for (const kind of kinds) {
    for (const name of BODIES[kind].ops) {
      const d = opDef(name)!;
      const s = objectSchema(fieldsOf(d, kind), kind, { op: { const: name } });
      const text = JSON.stringify(s);
      (perKind.get(name) ?? perKind.set(name, new Map()).get(name)!).set(kind, text);
    }
  }
  const defName = (name: string, kind: BodyKind) => {
    const texts = new Set(perKind.get(name)!.values());
    return texts.size === 1 ? `op.${name}` : `op.${name}.${kind}`;
  };
  for (const [name, byKind] of perKind) {
    for (const [kind, text] of byKind) {
      const s = JSON.parse(text) as Schema;
      defs[defName(name, kind)] = { description: opDef(name)!.doc, ...s };
    }
  }
  for (const kind of kinds) {
    defs[`body.${kind}`] = {
      description: `The steps of a ${BODIES[kind].name}.`,
      type: 'array',
      // Dispatch on "op" with if/then rather than a oneOf over the ops: a validator then checks an
      // item against its own op's definition only, so the work is linear in the nesting depth (a
      // oneOf is tried branch by branch, and with every error collected each branch re-validates
      // the nested bodies it shares field names with: exponential in the depth).
      items: {
        type: 'object',
        required: ['op'],
        properties: { op: { description: `One of the ${BODIES[kind].name}'s ops.`, enum: [...BODIES[kind].ops] } },
        allOf: BODIES[kind].ops.map((name) => ({
          if: { required: ['op'], properties: { op: { const: name } } },
          then: ref(defName(name, kind)),
        })),
      },
    };
  }
  defs.expectation = {
    anyOf: [
      { enum: ['ok', 'crash', 'uaf', 'failed', 'corrupt', 'invalid'] },
      {
        type: 'object', additionalProperties: false,
        properties: {
          verdict: { enum: ['ok', 'crash', 'uaf', 'failed', 'corrupt', 'invalid'] },
          fatal: ref('name'), crash: ref('name'),
          output: { description: 'A substring of the output.', ...ref('name') },
          note: { description: 'A substring of the simulator\'s explanation (note).', ...ref('name') },
          exitCode: { type: 'integer', minimum: 0, maximum: 255 },
          counters: {
            type: 'object', additionalProperties: false,
            properties: Object.fromEntries(COUNTER_NAMES.map((c) => [c, { type: 'integer', minimum: 0 }])),
          },
        },
      },
    ],
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cgosim scenario, format 1',
    description: 'A scenario for cgosim: what C threads and Go code do, step by step. Generated from the op table (src/scenario/ops.ts) by `npm run generate`.',
    type: 'object',
    additionalProperties: false,
    required: ['format', 'name', 'steps'],
    properties: {
      $schema: { description: 'The JSON Schema an editor should use for this file; cgosim ignores it.', type: 'string' },
      format: { const: 1 },
      name: ref('name'),
      description: { type: 'string' },
      profile: { description: `A profile (${PROFILE_NAMES.join(', ')}) or a release such as go1.22.3.`, ...ref('name') },
      flags: {
        description: 'Per-flag overrides on top of the profile.',
        type: 'object', additionalProperties: false,
        properties: {
          ...Object.fromEntries(FLAG_NAMES.map((f) => [f, { type: 'boolean' }])),
          CB_UPDATE: { description: 'Which callback bounds-update variant runs.', enum: ['V0', 'V1', 'V2', 'V3'] },
        },
      },
      platform: { enum: [...PLATFORMS] },
      godebug: { description: 'GODEBUG settings, "name=value,…" (e.g. "tracecheckstackownership=1").', type: 'string' },
      g0CheckDepth: { description: 'D: depth below SP_cb (g0.sched.sp) of the g0 split checks during callback entry and by systemstack (default 0x100 = 256). Under the physical model (physical: true), unset means each runtime step\'s first check at its real depth (8 bytes: the return address of systemstack\'s call; netpoll\'s deeper), and a value overrides that. Unit: bytes.', type: 'integer', minimum: 0, maximum: 1 << 20, default: 256 },
      malloc: { description: 'Where `malloc` without `at` puts blocks: "glibc" (a thread arena below the thread stacks, first fit after free), "musl" (the brk heap low in the C area), "explicit" (every malloc needs `at`). Default: under the physical model the platform\'s C library (musl on musl, else glibc); without it the simulator\'s own arena placement.', enum: ['glibc', 'musl', 'explicit'] },
      physical: { description: 'The physical model is on for this scenario\'s runs (a run option or --physical may say otherwise): C→Go entry frames between the C SP and SP_cb, runtime frames on g0 as real bytes, guard pages, verdict corrupt, glibc/musl malloc placement, check sites from the body ops.', type: 'boolean', default: false },
      netpoll: { description: 'Physical model: the network poller is initialized (the program uses timers, files or sockets): a GC or ReadMemStats from Go runs netpoll(0) with its 1.6 KiB frame on g0.', type: 'boolean', default: false },
      addressSpace: {
        description: 'The window of the simulated address space mapped onto Wasm memory.',
        type: 'object', additionalProperties: false, properties: { base: ref('address'), size: ref('size') },
      },
      seed: { description: 'Seed for every choice the scenario leaves open.', type: 'integer', minimum: 0, maximum: 0xffffffff, default: 1 },
      steps: ref('body.timeline'),
      expect: { description: 'Expected results by profile or release name, or "*".', type: 'object', additionalProperties: ref('expectation') },
      runtimeStarted: { description: 'false: a callback before the runtime made its first extra M.', type: 'boolean', default: true },
      tracebackContext: { description: 'runtime.SetCgoTraceback with a context function.', type: 'boolean', default: false },
      strategy: { description: 'How the scheduler makes open choices.', enum: ['random', 'pct'] },
      gomaxprocs: { description: 'Accepted for documentation; the model runs one goroutine at a time.', type: 'integer', minimum: 1, maximum: 256 },
      goTest: {
        description: 'The Go test this scenario expresses (scenarios/go-tests/; the README table is made from it).',
        type: 'object', additionalProperties: false, required: ['test', 'program', 'expressed'],
        properties: {
          test: { description: 'The test\'s name.', ...ref('name') },
          program: { description: 'The program\'s file(s) in golang/go.', ...ref('name') },
          expressed: { description: '"fully", or "partly" (notes say what is approximated and why).', enum: ['fully', 'partly'] },
          notes: { description: 'What is approximated and why.', type: 'string' },
          issue: { description: 'The Go issue the test came with.', ...ref('name') },
        },
      },
    },
    $defs: defs,
  };
}
