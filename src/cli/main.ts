#!/usr/bin/env node
// cgosim's command line. Commands: run, repro, profiles. `cgosim <command> --help` for each.

import { existsSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { toChromeTrace } from '../report/traceexport.js';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, loadScenarioFile } from '../api/node.js';
import { checkExpectation, expectationFor } from '../scenario/expect.js';
import { FLAG_DOC, FLAG_NAMES, NOT_MODELLED_FLAGS, PROFILES, PROFILE_NAMES, flagSet, resolveProfile, type FlagName } from '../model/profiles.js';
import { OptionsError, ScenarioError } from '../api/errors.js';
import { pointsTable } from '../model/points.js';
import type { RunOptions, RunResult, Scenario } from '../api/types.js';

const HELP: Record<string, string> = {
  main: `cgosim: a deterministic simulator of the Go runtime's cgo callback and stack machinery

Usage: cgosim <command> [options]

Commands:
  run FILE...     run scenario files under one or more runtime profiles
  repro           run the bundled regression scenarios across every profile (a verdict table)
  profiles        list the runtime profiles and their feature flags
  points          list the interleaving points a scenario's "at" can pin

Run "cgosim <command> --help" for a command's options.`,
  run: `Usage: cgosim run FILE... [options]

Runs each scenario file (JSON, scenario format 1) and prints what the real Go runtime of the chosen
profile would do: finish, or crash with the exact text it prints, with counters and a trace hash.

Options:
  --profile P        a profile (go1.17rc1 go1.17 go1.21.0 go1.21.7 go1.22.0 go1.22.5 go1.23.0
                     go1.23.1 tip), a release (go1.22.3), a comma-separated list, or "all".
                     Default: the scenario's "profile", else tip
  --flag NAME=on|off override one feature flag (repeatable; see "cgosim profiles --flags")
  --crash-stack      print the intended "cgocallback with sp=... out of bounds" line instead of the
                     "stack split at bad time" that masks it in real binaries
  --json             one JSON object per scenario and profile (JSON Lines)
  --check            compare with each scenario's "expect"; exit 1 on any difference
  --events           also print the event log that explains the verdict
  --state            also print the final Ms, goroutines, threads and extra-M list
  --trace OUT.json   write the run as Chrome/Perfetto trace-event JSON (one file per scenario and
                     profile: OUT.<profile>.json when there are several)
  --budget N         stop after N ops (default 200000000)
  --seed N           seed for the choices the scenario leaves open (which M runs a goroutine)
  --strategy S       how those choices are made: random (default) or pct (probabilistic
                     concurrency testing); --seed N --strategy S replays a run exactly
  --debug            use the core built with assertions

Exit status: 0; 1 when --check finds a difference; 2 on bad input or usage; 3 on an internal error.`,
  repro: `Usage: cgosim repro [--dir DIR] [--json]

Runs every scenario in DIR (default: the bundled scenarios/) under all nine profiles and prints a
scenario x profile table of verdicts. Exits 1 if any verdict differs from the scenario's "expect".

Cells: ok, CRASH[g0] morestack on g0, CRASH[split] stack split at bad time, CRASH[oob] cgocallback
out of bounds (crash-stack mode), CRASH[early] cgo callback before cgo call, CRASH[sp]/CRASH[bp]
entersyscall inconsistent, CRASH[lock] lockOSThread misuse, UAF use-after-free, INVALID input
error. A cell marked "!" differs from "expect"; "?" has no expectation.`,
  profiles: `Usage: cgosim profiles [--json] [--flags]

Lists the runtime profiles, the releases each stands for and its feature flags. --flags also lists
what every flag means.`,
  points: `Usage: cgosim points

Lists the interleaving points: where inside the runtime's steps a scenario's
{ "op": "at", "point": NAME, "g": G, "steps": [...] } runs its steps, and which are preemption
points; then the callback's way back to C, step by step, for every profile.`,
};

class UsageError extends Error {}

interface Parsed { positional: string[]; opts: Map<string, string[]> }

const VALUE_OPTS = new Set(['--profile', '--flag', '--budget', '--seed', '--dir', '--strategy', '--trace']);
const BOOL_OPTS = new Set(['--json', '--check', '--events', '--state', '--crash-stack', '--help', '-h', '--flags', '--debug']);

function parseArgs(args: string[]): Parsed {
  const positional: string[] = [];
  const opts = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (VALUE_OPTS.has(a)) {
      value ??= args[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
      opts.set(a, [...(opts.get(a) ?? []), value]);
    } else if (BOOL_OPTS.has(a)) {
      opts.set(a === '-h' ? '--help' : a, ['']);
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option ${a}`);
    } else {
      positional.push(a);
    }
  }
  return { positional, opts };
}

function intOpt(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = p.opts.get(name)?.at(-1);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  return Number(v);
}

function flagOpts(p: Parsed): Partial<Record<FlagName, boolean>> {
  const out: Partial<Record<FlagName, boolean>> = {};
  for (const f of p.opts.get('--flag') ?? []) {
    const m = /^([A-Z0-9_]+)=(on|off|true|false|1|0)$/.exec(f);
    if (!m) throw new UsageError(`--flag takes NAME=on|off, got ${f}`);
    if (!(FLAG_NAMES as readonly string[]).includes(m[1]!)) throw new UsageError(`unknown flag ${m[1]}; see "cgosim profiles --flags"`);
    out[m[1] as FlagName] = ['on', 'true', '1'].includes(m[2]!);
  }
  return out;
}

function profileList(spec: string | undefined): string[] | undefined {
  if (spec === undefined) return undefined;
  if (spec === 'all') return [...PROFILE_NAMES];
  const list = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--profile needs a profile, a release, a comma-separated list or "all"');
  for (const p of list) {
    if (!resolveProfile(p)) throw new UsageError(`unknown profile ${p}; profiles: ${PROFILE_NAMES.join(', ')}, a release such as go1.22.3, or "all"`);
  }
  return list;
}

function indent(text: string, by = '    '): string {
  return text.replace(/\n$/, '').split('\n').map((l) => by + l).join('\n');
}

function describeResult(r: RunResult): string {
  const head = `${r.scenario}  [${r.profile}]  `;
  switch (r.verdict) {
    case 'ok': return `${head}OK (exit 0)`;
    case 'crash': return `${head}CRASH ${r.fatal ?? r.crash} at ${r.stepPath} (exit ${r.exitCode})`;
    case 'uaf': return `${head}UAF at ${r.stepPath}`;
    case 'invalid': return `${head}INVALID: ${r.error?.message}`;
  }
}

function counterLine(r: RunResult): string {
  return Object.entries(r.counters).filter(([, v]) => v !== 0).map(([k, v]) => `${k}=${v}`).join(' ');
}

async function cmdRun(p: Parsed): Promise<number> {
  if (p.positional.length === 0) throw new UsageError('run needs at least one scenario FILE');
  const sim = await createSimulator({ build: p.opts.has('--debug') ? 'debug' : 'release' });
  const profiles = profileList(p.opts.get('--profile')?.at(-1));
  const json = p.opts.has('--json');
  const check = p.opts.has('--check');
  const base: RunOptions = {
    flags: flagOpts(p), crashStack: p.opts.has('--crash-stack'), events: p.opts.has('--events') || p.opts.has('--trace'), state: p.opts.has('--state'),
  };
  const traceOut = p.opts.get('--trace')?.at(-1);
  const budget = intOpt(p, '--budget', 1, Number.MAX_SAFE_INTEGER);
  const seed = intOpt(p, '--seed', 0, 0xffffffff);
  if (budget !== undefined) base.budget = budget;
  if (seed !== undefined) base.seed = seed;
  const strategy = p.opts.get('--strategy')?.at(-1);
  if (strategy !== undefined) {
    if (strategy !== 'random' && strategy !== 'pct') throw new UsageError(`--strategy must be random or pct, got ${strategy}`);
    base.strategy = strategy;
  }
  let failures = 0;
  let invalid = 0;
  for (const file of p.positional) {
    let scenario: Scenario;
    try {
      scenario = loadScenarioFile(file);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      process.stderr.write(`cgosim: ${e.message}\n`);
      invalid++;
      continue;
    }
    for (const profile of profiles ?? [scenario.profile ?? 'tip']) {
      const r = sim.run(scenario, { ...base, profile });
      const e = expectationFor(scenario.expect, r.profile, r.release);
      if (traceOut && r.events) {
        const many = p.positional.length > 1 || (profiles?.length ?? 1) > 1;
        const file = many ? traceOut.replace(/(\.json)?$/, `.${r.scenario}.${r.profile}.json`) : traceOut;
        writeFileSync(file, JSON.stringify(toChromeTrace(r)));
        if (!json) process.stderr.write(`cgosim: trace written to ${file}\n`);
      }
      const problems = check && e !== undefined ? checkExpectation(r, e) : [];
      if (problems.length > 0) failures++;
      if (r.verdict === 'invalid') invalid++;
      if (json) {
        process.stdout.write(`${JSON.stringify(check ? { ...r, check: problems.length === 0 ? 'pass' : problems } : r)}\n`);
        continue;
      }
      const lines = [describeResult(r)];
      if (r.output) lines.push(indent(r.output));
      lines.push(`  counters: ${counterLine(r)}`, `  trace ${r.traceHash} (${r.stepsUsed} ops)`);
      if (r.counters.atUnfired > 0) lines.push(`  note: ${r.counters.atUnfired} "at" hook(s) never fired: their goroutine never reached that point in this profile`);
      if (r.counters.pinsIgnored > 0) lines.push(`  note: ${r.counters.pinsIgnored} resumeOn pin(s) named an M that could not run the goroutine (see --events)`);
      if (r.events && p.opts.has('--events')) for (const ev of r.events) lines.push(`  ${String(ev.index).padStart(4)} ${ev.step.padEnd(22)} ${ev.thread.padEnd(6)} ${ev.m.padEnd(4)} ${ev.text}`);
      if (r.eventsTruncated && p.opts.has('--events')) lines.push('  (event log truncated)');
      if (r.state) lines.push(indent(JSON.stringify(r.state, null, 2), '  '));
      if (check) lines.push(e === undefined ? '  check: no expectation for this profile' : problems.length === 0 ? '  check: PASS' : `  check: FAIL\n${problems.map((x) => `    - ${x}`).join('\n')}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
  }
  if (invalid > 0 && !check) return 2;
  return failures > 0 ? 1 : invalid > 0 ? 2 : 0;
}

const CELL: Record<string, string> = {
  'morestack-g0': 'CRASH[g0]', 'stack-split-at-bad-time': 'CRASH[split]', 'cgocallback-out-of-bounds': 'CRASH[oob]',
  'cgo-callback-before-cgo-call': 'CRASH[early]', 'entersyscall-inconsistent-sp': 'CRASH[sp]',
  'entersyscall-inconsistent-bp': 'CRASH[bp]', 'lockosthread-misuse': 'CRASH[lock]', 'sigsegv': 'CRASH[segv]',
  'm-changed': 'CRASH[mchg]', 'schedule-in-cgo': 'CRASH[incgo]', 'stack-overflow': 'CRASH[overflow]',
  'morestack-gsignal': 'CRASH[gsignal]',
};

function cell(r: RunResult): string {
  if (r.verdict === 'ok') return 'ok';
  if (r.verdict === 'uaf') return 'UAF';
  if (r.verdict === 'invalid') return 'INVALID';
  return CELL[r.crash ?? ''] ?? `CRASH[${r.crash}]`;
}

/** The scenario files (*.json) in DIR and its subfolders, as paths relative to DIR, sorted. */
function scenarioFilesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.json') && statSync(join(dir, f)).isFile())
    .sort((a, b) => (basename(a) < basename(b) ? -1 : basename(a) > basename(b) ? 1 : 0));
}

export function bundledScenarioDir(): string {
  for (const rel of ['../../scenarios', '../../../scenarios']) {
    const d = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(d)) return d;
  }
  throw new Error('cgosim: the bundled scenarios/ folder is missing');
}

async function cmdRepro(p: Parsed): Promise<number> {
  const dir = resolve(p.opts.get('--dir')?.at(-1) ?? bundledScenarioDir());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir} is not a directory`);
  const files = scenarioFilesUnder(dir);
  if (files.length === 0) throw new UsageError(`no scenario files (*.json) in ${dir}`);
  const sim = await createSimulator();
  const json = p.opts.has('--json');
  const rows: { name: string; cells: string[] }[] = [];
  let mismatches = 0;
  let checked = 0;
  const report: unknown[] = [];
  for (const f of files) {
    const scenario = loadScenarioFile(join(dir, f));
    const cells = PROFILE_NAMES.map((profile) => {
      const r = sim.run(scenario, { profile });
      const e = expectationFor(scenario.expect, profile);
      const problems = e === undefined ? undefined : checkExpectation(r, e);
      if (problems && problems.length > 0) mismatches++;
      if (problems) checked++;
      report.push({ scenario: r.scenario, profile, verdict: r.verdict, fatal: r.fatal, crash: r.crash, step: r.stepPath, traceHash: r.traceHash, check: problems === undefined ? 'none' : problems.length === 0 ? 'pass' : problems });
      return cell(r) + (problems === undefined ? '?' : problems.length > 0 ? '!' : '');
    });
    rows.push({ name: scenario.name, cells });
  }
  if (json) {
    for (const r of report) process.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const w0 = Math.max(8, ...rows.map((r) => r.name.length));
    const widths = PROFILE_NAMES.map((pn, i) => Math.max(pn.length, ...rows.map((r) => r.cells[i]!.length)));
    const line = (first: string, cs: readonly string[]) => `${first.padEnd(w0)}  ${cs.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    const out = [line('scenario', PROFILE_NAMES), line('-'.repeat(w0), widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(r.name, r.cells))];
    const total = rows.length * PROFILE_NAMES.length;
    out.push('', mismatches > 0
      ? `${mismatches} verdict(s) differ from the scenarios' expectations (marked "!"); run "cgosim run FILE --profile P --check" for details.`
      : checked === 0 ? 'No scenario states an expectation ("expect"): nothing was checked.'
        : `All ${checked} checked verdicts match the scenarios' expectations${checked < total ? ` (${total - checked} cells without one, marked "?")` : ''}.`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
  return mismatches > 0 ? 1 : 0;
}

function cmdProfiles(p: Parsed): number {
  if (p.opts.has('--json')) {
    process.stdout.write(`${JSON.stringify(PROFILES.map((q) => ({ ...q, flags: [...flagSet(q.name)] })), null, 2)}\n`);
    return 0;
  }
  const lines = PROFILES.map((q) => `${q.name.padEnd(10)} ${q.releases}\n${' '.repeat(11)}${[...flagSet(q.name)].join(' ') || '(none)'}`);
  if (p.opts.has('--flags')) {
    lines.push('', 'Flags (* = a real difference the model does not act on yet):',
      ...FLAG_NAMES.map((f) => `  ${(NOT_MODELLED_FLAGS.includes(f) ? `${f} *` : f).padEnd(31)} ${FLAG_DOC[f]}`));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${HELP.main}\n`);
      return command === undefined ? 2 : 0;
    }
    const p = parseArgs(rest);
    if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command ${command}`);
    if (p.opts.has('--help')) {
      process.stdout.write(`${HELP[command]}\n`);
      return 0;
    }
    switch (command) {
      case 'run': return await cmdRun(p);
      case 'repro': return await cmdRepro(p);
      case 'profiles': return cmdProfiles(p);
      case 'points': process.stdout.write(`${pointsTable()}\n`); return 0;
    }
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cgosim: ${e.message}\nRun "cgosim ${command && command in HELP ? `${command} ` : ''}--help" for usage.\n`);
      return 2;
    }
    if (e instanceof ScenarioError || e instanceof OptionsError) {
      process.stderr.write(`cgosim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

// Run when executed directly (not when imported by the tests).
if (process.argv[1] && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    process.stderr.write(`cgosim: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  });
}

