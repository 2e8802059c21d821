#!/usr/bin/env node
// npm run oracle [-- --quick | --full] [--runs N] [--only a,b] [--runtimes a,b] [--json FILE]
//
// Builds every program under oracle/programs with every runtime its oracle.json names, runs it,
// and compares what really happened with cgosim's verdict for the scenario paired with the memory
// layout the program printed, under the runtime's release profile plus the reverted CL's flags.
// Prints a table (program x runtime: real, cgosim, agree?), writes JSON, shows each disagreement
// with both outputs side by side, and exits 1 on any disagreement not listed with a reason in
// oracle/known-differences.md.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classifyReal, classifySim, compare, knownDifferences } from './lib/outcome.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const USAGE = `Usage: npm run oracle -- [--quick | --full] [options]

  --quick          stock runtimes only, one run each (default; what CI runs)
  --full           every runtime a program names, fix-reverted variants included, N runs each
  --runs N         runs per program and runtime (default: 1 quick; the program's "runs" or 3 full)
  --only A,B       only these programs (directory names under oracle/programs)
  --runtimes A,B   only these runtimes
  --json FILE      where to write the results (default oracle/out/last-{quick,full}.json)
  --no-setup       do not run oracle/setup first (the toolchains must be there)
  --help           this text

Real runtimes come from oracle/setup (Debian's golang-1.19/1.21/1.22/1.23-go and GOROOT copies with
one seed CL reverted, in $CGOSIM_ORACLE_HOME, default ~/.cache/cgosim-oracle).
Exit status: 0 all cells agree or are listed in oracle/known-differences.md; 1 otherwise; 2 usage.`;

function parseArgs(argv) {
  const o = { mode: 'quick', runs: undefined, only: undefined, runtimes: undefined, json: undefined, setup: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.mode = 'quick';
    else if (a === '--full') o.mode = 'full';
    else if (a === '--runs') {
      o.runs = Number(value());
      if (!Number.isInteger(o.runs) || o.runs < 1) usage('--runs needs a positive integer');
    } else if (a === '--only') o.only = value().split(',');
    else if (a === '--runtimes') o.runtimes = value().split(',');
    else if (a === '--json') o.json = value();
    else if (a === '--no-setup') o.setup = false;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown option ${a}`);
  }
  return o;
}

function usage(msg) {
  console.error(`oracle: ${msg}\n\n${USAGE}`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const oracleHome = process.env.CGOSIM_ORACLE_HOME ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cgosim-oracle');
const table = JSON.parse(readFileSync(join(here, 'runtimes.json'), 'utf8'));

/** Every runtime: stock ones and variants, each with its GOROOT, release and cgosim flags. */
function runtimeInfo(name) {
  if (table.stock[name]) return { name, release: name, goroot: table.stock[name].goroot, flags: {}, stock: true };
  const v = table.variants[name];
  if (!v) return undefined;
  return { name, release: v.release, goroot: join(oracleHome, 'goroots', name), flags: v.flags, stock: false, cl: v.cl };
}

function loadPrograms() {
  const dir = join(here, 'programs');
  const progs = [];
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name, 'oracle.json');
    if (!existsSync(file)) continue;
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    for (const r of spec.runtimes) if (!runtimeInfo(r)) throw new Error(`oracle/programs/${name}/oracle.json: unknown runtime "${r}" (see oracle/runtimes.json)`);
    progs.push({ name, dir: join(dir, name), ...spec });
  }
  return progs;
}

/** The cgosim API, found through package.json's "main" (built by npm run build). */
async function loadCgosim() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = resolve(root, typeof pkg.exports?.['.'] === 'object' ? pkg.exports['.'].default ?? pkg.main : pkg.main);
  if (!existsSync(entry)) {
    console.error(`oracle: ${entry} is missing; building cgosim (npm run build)`);
    const b = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  return import(pathToFileURL(entry).href);
}

function goEnv(rt) {
  return {
    ...process.env,
    GOROOT: rt.goroot,
    PATH: `${rt.goroot}/bin:${process.env.PATH}`,
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
    GO111MODULE: 'on',
    CGO_ENABLED: '1',
    GOCACHE: join(oracleHome, 'gocache'),
    GOPATH: join(oracleHome, 'gopath'),
  };
}

function build(prog, rt) {
  const dir = join(oracleHome, 'build', prog.name, rt.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(prog.dir)) if (/\.(go|c|h)$/.test(f)) cpSync(join(prog.dir, f), join(dir, f));
  writeFileSync(join(dir, 'go.mod'), 'module oracleprog\n\ngo 1.19\n');
  const r = spawnSync('go', ['build', '-o', 'prog', '.'], { cwd: dir, env: goEnv(rt), encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) return { error: `go build failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}` };
  return { binary: join(dir, 'prog') };
}

function runOnce(binary, prog) {
  const env = { ...process.env, ...(prog.env ?? {}) };
  const r = spawnSync(binary, prog.args ?? [], { env, encoding: 'utf8', timeout: (prog.timeoutSeconds ?? 60) * 1000, maxBuffer: 64 << 20 });
  return classifyReal({ status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', timedOut: r.error?.code === 'ETIMEDOUT' });
}

function simulate(cgosim, sim, prog, rt, layout) {
  const file = prog.layouts[layout] ?? prog.layouts['*'];
  if (!file) return { verdict: 'none', summary: `no scenario paired with layout "${layout}"`, output: '' };
  const scenario = cgosim.loadScenarioFile(join(prog.dir, file));
  const seeds = prog.racy ? (prog.simSeeds ?? 64) : 1;
  const results = [];
  for (let seed = 1; seed <= seeds; seed++) {
    results.push(sim.run(scenario, { profile: rt.release, flags: rt.flags, seed: prog.racy ? seed : undefined }));
  }
  const out = classifySim(results);
  out.scenario = `oracle/programs/${prog.name}/${file}`;
  return out;
}

function setup() {
  const args = opts.mode === 'quick' ? ['--stock-only'] : [];
  const r = spawnSync(join(here, 'setup'), args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error('oracle: oracle/setup failed');
    process.exit(1);
  }
}

/** The table as Markdown, for the README. */
function markdownTable(cells) {
  const esc = (t) => String(t).replace(/\|/g, '\\|');
  const rows = cells.map((c) => `| ${c.program} | ${c.runtime}${c.layout === '*' ? '' : ` [${c.layout}]`} | ${esc(c.real.summary)} | ${esc(c.sim?.summary ?? '')} | ${c.agree ? 'yes' : c.known ? 'no (known)' : 'NO'} |`);
  return ['| program | runtime [layout] | real | cgosim | agree? |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function sideBySide(left, right, width = 70) {
  const a = left.split('\n');
  const b = right.split('\n');
  const lines = [];
  for (let i = 0; i < Math.max(a.length, b.length) && i < 30; i++) lines.push(`  ${pad((a[i] ?? '').slice(0, width), width)} | ${(b[i] ?? '').slice(0, width)}`);
  return lines.join('\n');
}

async function main() {
  if (opts.setup) setup();
  const cgosim = await loadCgosim();
  const sim = await cgosim.createSimulator();
  const known = knownDifferences(readFileSync(join(here, 'known-differences.md'), 'utf8'));
  const programs = loadPrograms().filter((p) => !opts.only || opts.only.includes(p.name));
  if (opts.only) for (const n of opts.only) if (!programs.some((p) => p.name === n)) usage(`no program "${n}" under oracle/programs`);
  const cells = [];
  const started = Date.now();
  for (const prog of programs) {
    for (const rtName of prog.runtimes) {
      const rt = runtimeInfo(rtName);
      if (opts.mode === 'quick' && !rt.stock) continue;
      if (opts.runtimes && !opts.runtimes.includes(rtName)) continue;
      const runs = opts.runs ?? (opts.mode === 'quick' ? 1 : (prog.runs ?? 3));
      const base = { program: prog.name, runtime: rtName, release: rt.release, flags: rt.flags, racy: !!prog.racy };
      process.stderr.write(`oracle: ${prog.name} on ${rtName} (${runs} run${runs > 1 ? 's' : ''})\n`);
      const t0 = Date.now();
      const b = build(prog, rt);
      const buildMs = Date.now() - t0;
      const groups = new Map();
      if (b.error) {
        groups.set('*', { real: { kind: 'build-error', summary: 'build failed', output: b.error, runs: 0 } });
      } else {
        // Runs are paired with a scenario by the layout each printed: one row per layout seen.
        const outcomes = [];
        const t1 = Date.now();
        for (let i = 0; i < runs; i++) outcomes.push(runOnce(b.binary, prog));
        base.buildMs = buildMs;
        base.runMs = Math.round((Date.now() - t1) / runs);
        for (const layout of [...new Set(outcomes.map((o) => o.layout))].sort()) {
          const group = outcomes.filter((o) => o.layout === layout);
          groups.set(layout, { real: summarizeReal(group, !!prog.racy), sim: simulate(cgosim, sim, prog, rt, layout) });
        }
      }
      for (const [layout, g] of groups) {
        const cell = { ...base, layout, runs: g.real.runs, real: g.real, sim: g.sim };
        const verdict = g.real.kind === 'build-error' ? { agree: false, why: 'build failed' } : compare(g.real, g.sim, !!prog.racy);
        cell.agree = verdict.agree;
        cell.why = verdict.why;
        const k = known.get(`${prog.name} ${rtName}`);
        if (!cell.agree && k) cell.known = k;
        cells.push(cell);
      }
    }
  }
  sim.dispose();
  report(cells, Date.now() - started);
}

function summarizeReal(outcomes, racy) {
  const fails = outcomes.filter((o) => o.kind !== 'ok');
  const first = fails[0] ?? outcomes[0];
  const kinds = [...new Set(outcomes.map((o) => o.summary))];
  return {
    kind: fails.length === 0 ? 'ok' : fails.length === outcomes.length ? first.kind : 'mixed',
    failing: fails.length,
    runs: outcomes.length,
    fraction: fails.length / outcomes.length,
    summary: fails.length === 0 && !racy ? first.summary : `${first.summary}${outcomes.length > 1 || racy ? ` (${fails.length}/${outcomes.length})` : ''}`,
    summaries: kinds,
    fatal: first.fatal,
    signal: first.signal,
    exit: first.exit,
    output: first.output,
  };
}

function report(cells, ms) {
  const w1 = Math.max(7, ...cells.map((c) => c.program.length));
  const rtCol = (c) => (c.layout === '*' ? c.runtime : `${c.runtime} [${c.layout}]`);
  const w2 = Math.max(7, ...cells.map((c) => rtCol(c).length));
  const w3 = Math.max(4, ...cells.map((c) => c.real.summary.length));
  const w4 = Math.max(6, ...cells.map((c) => (c.sim?.summary ?? '').length));
  const line = (a, b, c, d, e) => `${pad(a, w1)}  ${pad(b, w2)}  ${pad(c, w3)}  ${pad(d, w4)}  ${e}`;
  console.log(`\n${line('program', 'runtime', 'real', 'cgosim', 'agree?')}`);
  console.log(line('-'.repeat(w1), '-'.repeat(w2), '-'.repeat(w3), '-'.repeat(w4), '------'));
  for (const c of cells) console.log(line(c.program, rtCol(c), c.real.summary, c.sim?.summary ?? '', c.agree ? 'yes' : c.known ? 'no (known)' : 'NO'));
  const bad = cells.filter((c) => !c.agree && !c.known);
  const knownBad = cells.filter((c) => !c.agree && c.known);
  for (const c of cells.filter((x) => !x.agree)) {
    console.log(`\n== ${c.program} on ${rtCol(c)}: ${c.why}${c.known ? `\n   known difference: ${c.known}` : ''}`);
    console.log(sideBySide(`real (${c.real.summary})\n${c.real.output ?? ''}`, `cgosim ${c.sim?.scenario ?? ''} (${c.sim?.summary ?? ''})\n${c.sim?.output ?? ''}`));
  }
  const agreeing = cells.filter((c) => c.agree).length;
  console.log(`\noracle (${opts.mode}): ${cells.length} cells, ${agreeing} agree, ${knownBad.length} known differences, ${bad.length} unexplained disagreements (${(ms / 1000).toFixed(0)} s)`);
  const jsonPath = opts.json ?? join(here, 'out', `last-${opts.mode}.json`);
  mkdirSync(dirname(resolve(jsonPath)), { recursive: true });
  writeFileSync(jsonPath, JSON.stringify({ mode: opts.mode, date: new Date().toISOString(), cells, summary: { cells: cells.length, agree: agreeing, known: knownBad.length, disagree: bad.length } }, null, 2) + '\n');
  const md = jsonPath.replace(/\.json$/, '') + '.md';
  writeFileSync(md, markdownTable(cells));
  console.log(`oracle: results in ${jsonPath} (table as Markdown: ${md})`);
  process.exitCode = bad.length ? 1 : 0;
}

main().catch((e) => {
  console.error(`oracle: ${e.stack ?? e}`);
  process.exit(1);
});
