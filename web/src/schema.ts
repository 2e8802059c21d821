// Reading a JSON Schema (draft 2020-12 subset: $ref to $defs, properties, items, oneOf/anyOf or
// allOf of if/then with an "op" constant as discriminator, enum, const, description) at a path of
// the document.

import type { Segment } from './jsonpath.js';

export type Schema = {
  $ref?: string; $defs?: Record<string, Schema>; definitions?: Record<string, Schema>;
  type?: string | string[]; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>; items?: Schema; prefixItems?: Schema[];
  oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[]; if?: Schema; then?: Schema; enum?: unknown[]; const?: unknown;
  description?: string; title?: string; required?: string[]; examples?: unknown[]; default?: unknown;
  markdownDescription?: string;
};

export class SchemaReader {
  constructor(private readonly root: Schema) {}

  private deref(s: Schema | undefined, depth = 0): Schema | undefined {
    if (!s || depth > 32) return s;
    if (s.$ref) {
      const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(s.$ref);
      const target = m ? (this.root[m[1] as '$defs'] ?? {})[decodeURIComponent(m[2]!)] : undefined;
      const { $ref: _drop, ...rest } = s;
      void _drop;
      return this.deref({ ...target, ...rest }, depth + 1);
    }
    return s;
  }

  /** The alternatives a schema allows for a value (oneOf/anyOf flattened, narrowed by the value's "op"). */
  private alternatives(s: Schema | undefined, value: unknown, depth = 0): Schema[] {
    const d = this.deref(s);
    if (!d || depth > 16) return [];
    // Body items dispatch on "op" with allOf: [{ if: { properties: { op: { const } } }, then }]:
    // each `then` is an alternative, as a oneOf branch would be.
    const conditional = d.allOf?.filter((b) => b.if && b.then);
    const branches = d.oneOf ?? d.anyOf ?? (conditional?.length ? conditional.map((b) => b.then!) : undefined);
    if (!branches) return [d];
    const all = branches.flatMap((b) => this.alternatives(b, value, depth + 1));
    const op = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).op : undefined;
    if (typeof op === 'string') {
      const narrowed = all.filter((b) => this.deref(b.properties?.op)?.const === op || (this.deref(b.properties?.op)?.enum ?? []).includes(op));
      if (narrowed.length) return narrowed.map((b) => ({ ...b, description: b.description ?? d.description }));
    }
    return all.map((b) => ({ ...b, description: b.description ?? d.description }));
  }

  private child(s: Schema, seg: Segment, value: unknown): Schema | undefined {
    for (const alt of this.alternatives(s, value)) {
      if (typeof seg === 'number') {
        const item = alt.prefixItems?.[seg] ?? alt.items;
        if (item) return item;
      } else {
        const p = alt.properties?.[seg];
        if (p) return p;
        for (const [re, ps] of Object.entries(alt.patternProperties ?? {})) if (new RegExp(re).test(seg)) return ps;
        if (typeof alt.additionalProperties === 'object') return alt.additionalProperties;
      }
    }
    return undefined;
  }

  /** The schema of the value at a path, and the document values along it (for "op" narrowing). */
  at(doc: unknown, path: readonly Segment[]): Schema | undefined {
    let s: Schema | undefined = this.root;
    let v: unknown = doc;
    for (const seg of path) {
      if (!s) return undefined;
      s = this.child(s, seg, v);
      v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
    }
    return s;
  }

  /** Property names (with descriptions) an object at `path` may have. */
  keys(doc: unknown, path: readonly Segment[]): { name: string; doc: string; required: boolean }[] {
    const s = this.at(doc, path);
    const v = valueAt(doc, path);
    const out = new Map<string, { name: string; doc: string; required: boolean }>();
    for (const alt of this.alternatives(s, v)) {
      for (const [name, p] of Object.entries(alt.properties ?? {})) {
        if (!out.has(name)) out.set(name, { name, doc: describe(this.deref(p)), required: (alt.required ?? []).includes(name) });
      }
    }
    return [...out.values()];
  }

  /** Values a field at `path` may take (enums and constants, e.g. the op names). */
  values(doc: unknown, path: readonly Segment[]): { value: unknown; doc: string }[] {
    const parentPath = path.slice(0, -1);
    const last = path.at(-1);
    const parent = this.at(doc, parentPath);
    const out: { value: unknown; doc: string }[] = [];
    const seen = new Set<string>();
    // For "op", every alternative's constant, with that alternative's description.
    const parentAlts = this.alternatives(parent, undefined);
    for (const alt of parentAlts) {
      if (typeof last !== 'string') break;
      const p = this.deref(alt.properties?.[last]);
      for (const v of [...(p?.const !== undefined ? [p.const] : []), ...(p?.enum ?? [])]) {
        const k = JSON.stringify(v);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ value: v, doc: describe(alt) || describe(p) });
      }
    }
    const s = this.at(doc, path);
    for (const alt of this.alternatives(s, undefined)) {
      for (const v of [...(alt.const !== undefined ? [alt.const] : []), ...(alt.enum ?? []), ...(alt.type === 'boolean' ? [true, false] : [])]) {
        const k = JSON.stringify(v);
        if (!seen.has(k)) { seen.add(k); out.push({ value: v, doc: describe(alt) }); }
      }
    }
    return out;
  }

  /** The documentation of the field at `path`. */
  docAt(doc: unknown, path: readonly Segment[]): string {
    const s = this.at(doc, path);
    const alts = this.alternatives(s, valueAt(doc, path));
    const d = this.deref(s);
    return describe(d) || alts.map(describe).filter(Boolean)[0] || '';
  }
}

function describe(s: Schema | undefined): string {
  if (!s) return '';
  return s.description ?? s.markdownDescription ?? s.title ?? '';
}

export function valueAt(doc: unknown, path: readonly Segment[]): unknown {
  let v = doc;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}
