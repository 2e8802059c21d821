// Record diagrams must not lie (issue 15): every layout diagram in the core's sources is checked
// here against the layout it draws. For an @unmanaged class, the diagram above it must list each
// field at the offset AssemblyScript gives it (fields in order, each aligned to its size) with its
// type, and the record's size; for the boundary's records in abi.ts (op record, config block, result
// area, event record), every cell must name a constant of its group at that offset, and every
// constant of the group must be drawn. The sizes and the offsets the host reads are also checked
// against abi.ts here (the core's compile checks the same against offsetof).

import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as abi from '../src/core/abi.js';

const SIZES: Record<string, number> = { u8: 1, u16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f64: 8, usize: 4 };
const files = readdirSync('assembly').filter((f) => f.endsWith('.ts')).map((f) => ({ file: `assembly/${f}`, text: readFileSync(`assembly/${f}`, 'utf8') }));

interface Field { offset: number; name: string; type: string }

/** The layout of an @unmanaged class body: fields in order, each aligned to its own size. */
function layout(body: string): { fields: Field[]; size: number } {
  let offset = 0;
  const fields: Field[] = [];
  for (const m of body.matchAll(/^\s*(\w+): (\w+);/gm)) {
    const size = SIZES[m[2]!];
    if (!size) throw new Error(`unknown field type ${m[2]}`);
    offset = Math.ceil(offset / size) * size;
    fields.push({ offset, name: m[1]!, type: m[2]! });
    offset += size;
  }
  return { fields, size: offset };
}

/** The cells of a box diagram: "offset name type" in lines drawn with │. */
function cells(lines: string[]): Field[] {
  const out: Field[] = [];
  for (const line of lines.filter((l) => l.includes('│'))) {
    for (const m of line.matchAll(/(\d+) (\w+) ([ui](?:8|16|32|64)|usize)(?:\[\w+\])?/g)) out.push({ offset: Number(m[1]), name: m[2]!, type: m[3]! });
  }
  return out;
}

/** The comment block right above line index i. */
function commentAbove(lines: string[], i: number): string[] {
  const out: string[] = [];
  for (let k = i - 1; k >= 0 && lines[k]!.startsWith('//'); k--) out.unshift(lines[k]!);
  return out;
}

const classes = files.flatMap(({ file, text }) => {
  const lines = text.split('\n');
  return [...text.matchAll(/^@unmanaged\nexport class (\w+) \{\n([\s\S]*?)\n\}/gm)].map((m) => {
    const at = text.slice(0, m.index).split('\n').length - 1;
    return { file, name: m[1]!, body: m[2]!, comment: commentAbove(lines, at) };
  });
});

describe('record diagrams against the records', () => {
  it('finds the records', () => {
    expect(classes.map((c) => c.name)).toEqual(expect.arrayContaining(['CThread', 'M', 'G', 'Region', 'Frame', 'CallbackFrame', 'CgocallFrame', 'Func']));
  });

  for (const c of classes) {
    it(`${c.file}: ${c.name}'s diagram draws its fields at their offsets, and its size`, () => {
      const { fields, size } = layout(c.body);
      expect(cells(c.comment), `the box diagram above ${c.name}`).toEqual(fields);
      const title = c.comment.find((l) => new RegExp(`^// ${c.name}\\b.*, (\\d+) bytes`).test(l));
      expect(title, `a "// ${c.name} …, N bytes" line above ${c.name}`).toBeDefined();
      expect(Number(/, (\d+) bytes/.exec(title!)![1])).toBe(size);
    });
  }

  it('records the host reads have the sizes and field offsets of abi.ts', () => {
    const of = (name: string) => layout(classes.find((c) => c.name === name)!.body);
    const check = (record: string, size: number, prefix: string) => {
      const { fields, size: got } = of(record);
      expect(got, `${record} size`).toBe(size);
      for (const [k, v] of Object.entries(abi)) {
        if (!k.startsWith(prefix)) continue;
        const field = k.slice(prefix.length);
        const f = fields.find((x) => snake(x.name) === field);
        expect(f, `${record} has the field ${k} names`).toBeDefined();
        expect(f!.offset, k).toBe(v);
      }
    };
    check('CThread', abi.THREAD_SIZE, 'TREC_');
    check('M', abi.M_SIZE, 'MREC_');
    check('G', abi.G_SIZE, 'GREC_');
    check('Func', abi.FUNC_SIZE, 'FREC_');
    expect(of('Region').size).toBe(abi.REGION_SIZE);
    for (const v of ['Frame', 'RepeatFrame', 'CallFrame', 'CallbackFrame', 'CgocallFrame', 'SignalFrame', 'GoroutineFrame']) expect(of(v).size, v).toBe(abi.FRAME_SIZE);
  });
});

/** fieldName → FIELD_NAME, g0CheckDepth → G0_CHECK_DEPTH. */
function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

describe('boundary diagrams in abi.ts against the constants', () => {
  const text = files.find((f) => f.file === 'assembly/abi.ts')!.text.split('\n');
  const block = (title: RegExp) => {
    const i = text.findIndex((l) => title.test(l));
    expect(i, String(title)).toBeGreaterThanOrEqual(0);
    const out: string[] = [];
    for (let k = i + 1; k < text.length && text[k]!.startsWith('//'); k++) out.push(text[k]!);
    return out;
  };
  const cases: [string, RegExp, string, number][] = [
    ['op record', /^\/\/ Op record, OP_SIZE bytes/, 'OPR_', abi.OP_SIZE],
    ['config block', /^\/\/ Config, CONFIG_SIZE bytes/, 'CFG_', abi.CONFIG_SIZE],
    ['result area', /^\/\/ Result, RESULT_SIZE bytes/, 'RES_', abi.RESULT_SIZE],
    ['event record', /^\/\/ Event record, EVENT_SIZE bytes/, 'EVR_', abi.EVENT_SIZE],
  ];
  for (const [what, title, prefix, size] of cases) {
    it(`the ${what} diagram draws every ${prefix}* constant at its offset, and nothing else`, () => {
      const drawn = cells(block(title));
      const constants = Object.entries(abi).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => ({ offset: v as number, name: k.slice(prefix.length) }));
      expect(drawn.map((d) => ({ offset: d.offset, name: snake(d.name) })).sort((a, b) => a.offset - b.offset))
        .toEqual(constants.sort((a, b) => a.offset - b.offset));
      for (const d of drawn) expect(d.offset + (SIZES[d.type] ?? 0)).toBeLessThanOrEqual(size);
    });
  }
});
