#!/usr/bin/env node
// Builds what is out of date, and nothing else: `npm run build`, `npm run repro` and `npm test` all
// start here. Each target has its inputs and outputs; a target runs when an output is missing or
// the hash of its inputs (paths and contents) differs from the one stamped after its last
// successful build (build/.stamps.json). Hashes, not mtimes: a checkout or a rebase that touches a
// file without changing it rebuilds nothing. asc has no incremental mode, so the Wasm targets are
// all-or-nothing; tsc is incremental besides (tsconfig.json "incremental").
//
//   node scripts/build.mjs [wasm|ts|web]... [--force]  (no target: wasm and ts, in order)
//   node scripts/build.mjs --check                   lists what is out of date, builds nothing (exit 1 if any)

import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const STAMPS = join(root, 'build', '.stamps.json');

function files(dir, ext) {
  const out = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (ext.some((x) => e.name.endsWith(x))) out.push(p);
    }
  };
  walk(join(root, dir));
  return out;
}

function hashOf(paths) {
  const h = createHash('sha256');
  for (const p of [...paths].sort()) {
    h.update(relative(root, p));
    h.update('\0');
    h.update(existsSync(p) ? readFileSync(p) : Buffer.alloc(0));
    h.update('\0');
  }
  return h.digest('hex');
}

const asc = join(root, 'node_modules', 'assemblyscript', 'package.json');
const wasmInputs = () => [...files('assembly', ['.ts']), join(root, 'asconfig.json'), asc];

const TARGETS = {
  'wasm-release': {
    inputs: wasmInputs,
    outputs: ['build/release.wasm', 'build/release.js', 'build/release.d.ts'],
    run: ['npx', ['asc', '--config', 'asconfig.json', '--target', 'release']],
  },
  'wasm-debug': {
    inputs: wasmInputs,
    outputs: ['build/debug.wasm', 'build/debug.js', 'build/debug.d.ts'],
    run: ['npx', ['asc', '--config', 'asconfig.json', '--target', 'debug']],
  },
  abi: {
    // The host's copy of the boundary's numbers (src/core/abi.ts), generated from the core's sources.
    inputs: () => [
      join(root, 'assembly', 'abi.ts'), join(root, 'assembly', 'memory.ts'), join(root, 'scripts', 'gen-abi.mjs'),
      join(root, 'node_modules', 'typescript', 'package.json'),
    ],
    outputs: ['src/core/abi.ts'],
    run: ['node', ['scripts/gen-abi.mjs']],
  },
  ts: {
    inputs: () => [
      ...files('src', ['.ts']), ...files('bench', ['.ts']), ...files('test/reference', ['.ts']),
      join(root, 'tsconfig.json'), join(root, 'build', 'release.d.ts'), join(root, 'build', 'release.js'),
      join(root, 'node_modules', 'typescript', 'package.json'),
    ],
    outputs: ['dist/src/api/node.js', 'dist/src/cli/main.js', 'dist/bench/run.js'],
    run: ['npx', ['tsc', '-p', 'tsconfig.json']],
  },
  web: {
    // The playground's bundle: its own sources, the host it imports, the core and the scenarios.
    inputs: () => [
      ...files('web', ['.ts', '.html', '.css', '.json', '.js']), ...files('src', ['.ts']), ...files('scenarios', ['.json']),
      join(root, 'build', 'release.wasm'), join(root, 'build', 'release.js'), join(root, 'package-lock.json'),
    ],
    outputs: ['dist/web/index.html'],
    run: [['npx', ['tsc', '-p', 'web/tsconfig.json']], ['npx', ['vite', 'build', '--config', 'web/vite.config.ts']]],
  },
  'dist-build': {
    // The package carries the core beside its JavaScript (dist/build).
    inputs: () => files('build', ['.wasm', '.js', '.d.ts']),
    outputs: ['dist/build/release.wasm', 'dist/build/debug.wasm'],
    run: () => cpSync(join(root, 'build'), join(root, 'dist', 'build'), { recursive: true, filter: (p) => !p.endsWith('.stamps.json') }),
  },
};
const GROUPS = { wasm: ['wasm-release', 'wasm-debug'], ts: ['abi', 'ts', 'dist-build'], web: ['abi', 'web'] };

const args = process.argv.slice(2);
const force = args.includes('--force');
const check = args.includes('--check');
let stale = 0;
const asked = args.filter((a) => !a.startsWith('--'));
for (const a of asked) {
  if (!GROUPS[a]) {
    process.stderr.write(`build: unknown target ${JSON.stringify(a)}; expected ${Object.keys(GROUPS).join(', ')}\n`);
    process.exit(2);
  }
}
const order = (asked.length ? asked : ['wasm', 'ts']).flatMap((g) => GROUPS[g]);

let stamps = {};
try { stamps = JSON.parse(readFileSync(STAMPS, 'utf8')); } catch { stamps = {}; }

for (const name of order) {
  const t = TARGETS[name];
  const hash = hashOf(t.inputs());
  const missing = t.outputs.filter((o) => !existsSync(join(root, o)));
  if (!force && missing.length === 0 && stamps[name] === hash) {
    process.stdout.write(`build: ${name} is up to date\n`);
    continue;
  }
  const why = force ? 'forced' : missing.length ? `${missing[0]} is missing` : 'inputs changed';
  if (check) {
    process.stdout.write(`build: ${name} is out of date (${why})\n`);
    stale++;
    continue;
  }
  process.stdout.write(`build: ${name} (${why})\n`);
  const started = Date.now();
  // tsc trusts its build info: with outputs missing it must not find the old one.
  if (name === 'ts' && missing.length > 0) rmSync(join(root, 'dist', '.tsbuildinfo'), { force: true });
  if (typeof t.run === 'function') {
    t.run();
  } else {
    for (const [cmd, argv] of Array.isArray(t.run[0]) ? t.run : [t.run]) {
      const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) {
        process.stderr.write(`build: ${name} failed (${[cmd, ...argv].join(' ')} exited with ${r.status ?? r.signal})\n`);
        process.exit(r.status || 1);
      }
    }
  }
  // Stamp the inputs as they were when the build started: an edit during the build rebuilds next time.
  stamps[name] = hash;
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(STAMPS, `${JSON.stringify(stamps, null, 2)}\n`);
  process.stdout.write(`build: ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
if (check && stale > 0) process.exitCode = 1;
