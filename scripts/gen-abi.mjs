#!/usr/bin/env node
// Generates the host's copy of the Wasm boundary's numbers, src/core/abi.ts, from the core's own
// declarations: assembly/abi.ts (codes, offsets, limits, flag bits) and assembly/memory.ts (the
// memory map). `npm run build` runs it before tsc, and the output is not committed, so the host
// can only ever see the numbers the core was compiled with.
//
// The sources are read with the TypeScript parser (AssemblyScript is TypeScript syntax). Every
// top-level `const` in them must be a number the generator can evaluate: a literal, an earlier
// constant, or arithmetic on those. Anything else is an error, so a table cannot silently go
// missing from the host's copy. u64/i64 constants become bigints, the others numbers.
//
// A line `// abi-group: NAME = PREFIX_` in a source also emits `NAME`, an object of every constant
// with that prefix keyed by the rest of its name (OP.THREAD for OP_THREAD).
//
// A line `// abi-names: NAME = PREFIX_` emits `NAME`, the array of the names of the constants with
// that prefix, indexed by their values (which must be 0, 1, 2, … with no gap). A name is the rest of
// the constant's name in camelCase (C_EXTRA_M_CREATED is extraMCreated), or the word after `name:`
// in the constant's trailing comment where camelCase cannot spell it (lockOSThread). With it comes
// `nameRecordOf(values)` (counterRecordOf for COUNTER_NAMES): the record { name: values[i] ?? 0 }
// as one object literal.
//
// Usage: node scripts/gen-abi.mjs [--out FILE] [--check]
//   --check  exit 1 if FILE differs from what would be generated (writes nothing)

import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['assembly/abi.ts', 'assembly/memory.ts'];

const RANGES = {
  u8: [0n, 0xffn], u16: [0n, 0xffffn], u32: [0n, 0xffffffffn], usize: [0n, 0xffffffffn],
  i8: [-0x80n, 0x7fn], i16: [-0x8000n, 0x7fffn], i32: [-0x80000000n, 0x7fffffffn],
  u64: [0n, 0xffffffffffffffffn], i64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

class AbiError extends Error {}

function fail(file, sf, node, message) {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  throw new AbiError(`${file}:${line + 1}:${character + 1}: ${message}`);
}

/** Evaluates a constant expression over the constants defined so far, in BigInt arithmetic. */
function evaluate(expr, env, file, sf) {
  const ev = (e) => evaluate(e, env, file, sf);
  if (ts.isNumericLiteral(expr)) return BigInt(expr.text.replaceAll('_', ''));
  if (ts.isParenthesizedExpression(expr)) return ev(expr.expression);
  if (ts.isTypeAssertionExpression(expr) || ts.isAsExpression(expr)) return ev(expr.expression);
  if (ts.isIdentifier(expr)) {
    const c = env.get(expr.text);
    if (!c) fail(file, sf, expr, `${expr.text} is not a constant defined above (the host copy can only hold numbers)`);
    return c.value;
  }
  if (ts.isPrefixUnaryExpression(expr)) {
    const v = ev(expr.operand);
    if (expr.operator === ts.SyntaxKind.MinusToken) return -v;
    if (expr.operator === ts.SyntaxKind.PlusToken) return v;
    if (expr.operator === ts.SyntaxKind.TildeToken) return ~v;
  }
  if (ts.isBinaryExpression(expr)) {
    const [a, b] = [ev(expr.left), ev(expr.right)];
    switch (expr.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken: return a + b;
      case ts.SyntaxKind.MinusToken: return a - b;
      case ts.SyntaxKind.AsteriskToken: return a * b;
      case ts.SyntaxKind.SlashToken: return a / b;
      case ts.SyntaxKind.PercentToken: return a % b;
      case ts.SyntaxKind.LessThanLessThanToken: return a << b;
      case ts.SyntaxKind.GreaterThanGreaterThanToken: return a >> b;
      case ts.SyntaxKind.BarToken: return a | b;
      case ts.SyntaxKind.AmpersandToken: return a & b;
      case ts.SyntaxKind.CaretToken: return a ^ b;
    }
  }
  fail(file, sf, expr, `cannot evaluate \`${expr.getText(sf)}\` at build time: use literals, constants above and + - * / % << >> | & ^`);
}

/** The trailing `// …` comment on the statement's last line, for the generated copy. */
function trailingComment(text, node) {
  const end = text.indexOf('\n', node.getEnd());
  const rest = text.slice(node.getEnd(), end < 0 ? text.length : end);
  const m = /^\s*\/\/\s?(.*)$/.exec(rest);
  return m ? m[1].trim() : '';
}

function collect(sources) {
  const env = new Map();
  const constants = [];
  const groups = [];
  const lists = [];
  for (const { file, text } of sources) {
    for (const m of text.matchAll(/^\/\/ abi-names: ([A-Z][A-Z0-9_]*) = ([A-Z][A-Z0-9_]*_)\s*$/gm)) {
      lists.push({ name: m[1], prefix: m[2], file });
    }
    for (const m of text.matchAll(/^\/\/ abi-group: ([A-Z][A-Z0-9_]*) = ([A-Z][A-Z0-9_]*_)\s*$/gm)) {
      groups.push({ name: m[1], prefix: m[2], file });
    }
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      if (!(st.declarationList.flags & ts.NodeFlags.Const)) continue;
      const exported = (ts.getModifiers(st) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      for (const d of st.declarationList.declarations) {
        const name = d.name.getText(sf);
        const type = d.type?.getText(sf);
        if (!type || !RANGES[type]) fail(file, sf, d, `${name} needs one of the types ${Object.keys(RANGES).join(', ')}`);
        if (!d.initializer) fail(file, sf, d, `${name} has no value`);
        if (env.has(name)) fail(file, sf, d, `${name} is defined twice (also in ${env.get(name).file})`);
        const value = evaluate(d.initializer, env, file, sf);
        const [lo, hi] = RANGES[type];
        if (value < lo || value > hi) fail(file, sf, d, `${name} = ${value} does not fit ${type}`);
        const c = { name, type, value, file, exported, comment: trailingComment(text, st) };
        env.set(name, c);
        if (exported) constants.push(c);
      }
    }
  }
  for (const g of groups) {
    g.members = constants.filter((c) => c.name.startsWith(g.prefix));
    if (g.members.length === 0) throw new AbiError(`${g.file}: abi-group ${g.name} = ${g.prefix}: no exported constant has that prefix`);
    if (env.has(g.name)) throw new AbiError(`${g.file}: abi-group ${g.name} has the name of a constant`);
  }
  for (const l of lists) {
    const members = constants.filter((c) => c.name.startsWith(l.prefix)).sort((a, b) => (a.value < b.value ? -1 : 1));
    if (members.length === 0) throw new AbiError(`${l.file}: abi-names ${l.name} = ${l.prefix}: no exported constant has that prefix`);
    if (env.has(l.name)) throw new AbiError(`${l.file}: abi-names ${l.name} has the name of a constant`);
    members.forEach((c, i) => {
      if (c.value !== BigInt(i)) throw new AbiError(`${c.file}: abi-names ${l.name}: ${c.name} = ${c.value}, expected ${i} (the values must run 0, 1, 2, … with no gap or repeat)`);
    });
    l.names = members.map((c) => {
      const given = /^name:\s*([A-Za-z][A-Za-z0-9]*)\b/.exec(c.comment);
      if (given) return given[1];
      const words = c.name.slice(l.prefix.length).toLowerCase().split('_');
      return words[0] + words.slice(1).map((w) => (w.length === 1 ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1))).join('');
    });
  }
  return { constants, groups, lists };
}

function literal(c) {
  const big = c.type === 'u64' || c.type === 'i64';
  const abs = c.value < 0n ? -c.value : c.value;
  const digits = abs >= 0x10000n && (abs & 0xfffn) === 0n ? `0x${abs.toString(16)}` : abs.toString();
  return `${c.value < 0n ? '-' : ''}${digits}${big ? 'n' : ''}`;
}

/** The generated module for sources given as { file, text } (exported for the generator's tests). */
export function renderFrom(sources) {
  const { constants, groups, lists } = collect(sources);
  const out = [
    '// GENERATED by scripts/gen-abi.mjs from ' + sources.map((s) => s.file).join(' and ') + ' (npm run build): do not edit.',
    '// The numbers of the Wasm boundary, as the core was compiled with them. Change them there.',
    '',
  ];
  let file = '';
  for (const c of constants) {
    if (c.file !== file) {
      out.push(`// ---- ${c.file} ----`);
      file = c.file;
    }
    const type = c.type === 'u64' || c.type === 'i64' ? 'bigint' : 'number';
    out.push(`export const ${c.name}: ${type} = ${literal(c)};${c.comment ? ` // ${c.comment}` : ''}`);
  }
  for (const g of groups) {
    out.push('', `/** ${g.prefix}* by name. */`, `export const ${g.name} = {`);
    for (const c of g.members) out.push(`  ${c.name.slice(g.prefix.length)}: ${literal(c)},`);
    out.push('} as const;');
  }
  for (const l of lists) {
    out.push('', `/** The names of ${l.prefix}*, indexed by value. */`, `export const ${l.name} = [`);
    for (const n of l.names) out.push(`  '${n}',`);
    out.push('] as const;');
    // A record of the names from values by index, as one object literal: V8 gives a literal a fast
    // shape at once, where adding dozens of keys one by one leaves a slow dictionary (and garbage).
    const fn = l.name.replace(/_NAMES$/, '').toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase()) + 'RecordOf';
    out.push('', `/** { name: values[index] ?? 0 } for every name of ${l.name}, in order. */`,
      `export function ${fn}(values: readonly number[]): Record<(typeof ${l.name})[number], number> {`, '  return {');
    l.names.forEach((n, i) => out.push(`    ${n}: values[${i}] ?? 0,`));
    out.push('  };', '}');
  }
  return out.join('\n') + '\n';
}

function main() {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = join(root, outIndex >= 0 ? args[outIndex + 1] : 'src/core/abi.ts');
  let text;
  try {
    text = renderFrom(SOURCES.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') })));
  } catch (e) {
    if (!(e instanceof AbiError)) throw e;
    console.error(`gen-abi: ${e.message}`);
    process.exit(1);
  }
  if (args.includes('--check')) {
    const have = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (have !== text) {
      console.error(`gen-abi: ${relative(root, out)} is not what ${SOURCES.join(' and ')} give; run npm run build`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  if (!existsSync(out) || readFileSync(out, 'utf8') !== text) writeFileSync(out, text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
