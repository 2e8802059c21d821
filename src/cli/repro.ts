// cgosim repro: every scenario in a folder under every profile, as a verdict table.

import { err, out } from './io.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator } from '../api/node.js';
import { invalidFileResult, loadForRun } from './load.js';
import { table } from './tables.js';
import { checkExpectation, expectationFor } from '../scenario/expect.js';
import { PROFILE_NAMES } from '../model/profiles.js';
import type { RunResult } from '../api/types.js';
import { UsageError, flagged, lastString, type Command, type ParsedArgs } from './args.js';
import { progressLine } from './progress.js';

const HELP = `Usage: cgosim repro [--dir DIR] [--json]

Runs every scenario in DIR (default: the bundled scenarios/) under all nine profiles and prints a
scenario x profile table of verdicts, with a legend of the cell codes it uses. Exits 1 if any
verdict differs from the scenario's "expect", 2 if a file is not a valid scenario (its row says so
and the others still run).

Cells: ok; a crash by the short code of its check (G0 morestack on g0, SPLIT stack split at bad
time, OOB cgocallback out of bounds, …: the legend under the table lists those it uses); UAF a
use-after-free; INV an input error. "!" marks a cell that differs from "expect", "?" one without
an expectation. --json prints one run --json object per scenario and profile, with "check".
On a terminal, a matrix that takes longer than a second shows a progress bar on standard error.`;

/** Short codes for the crash checks (RunResult.crash), so that the table fits 120 columns. */
export const CELL_CODES: Record<string, string> = {
  'morestack-g0': 'G0', 'stack-split-at-bad-time': 'SPLIT', 'cgocallback-out-of-bounds': 'OOB',
  'cgo-callback-before-cgo-call': 'EARLY', 'entersyscall-inconsistent-sp': 'SP', 'entersyscall-inconsistent-bp': 'BP',
  'lockosthread-misuse': 'LOCK', 'sigsegv': 'SEGV', 'm-changed': 'MCHG', 'schedule-in-cgo': 'INCGO',
  'stack-overflow': 'OVFL', 'morestack-gsignal': 'GSIG', 'trace-stack-ownership': 'OWNER',
  'stack-growth-in-syscall': 'SYSGROW', 'invalid-pointer': 'BADPTR', 'shrinkstack-at-bad-time': 'SHRINK',
  'unknown-caller-pc': 'BADPC', 'split-stack-overflow': 'SPLITOV', 'trace-dead-goroutine': 'DEADG',
  'exitsyscall-frame': 'EXITSC', 'sigstack-fault': 'SIGSTK', 'no-signal-stack': 'NOSIGSTK',
  'signal-not-on-stack': 'ONSTACK', 'needm-deadlock': 'HANG',
  'panic': 'PANIC', 'goexit-locked': 'GOEXIT', 'coro-lock-mismatch': 'CORO', 'coroswitch-on-exited-coro': 'COROX',
  'send-on-closed-channel': 'SENDC', 'close-of-closed-channel': 'CLOSEC', 'negative-waitgroup-counter': 'WGNEG', 'hang': 'JOINHANG',
};

/** What each code stands for, for the legend. */
const CELL_MEANING: Record<string, string> = {
  ok: 'the program finishes (exit 0)', UAF: 'use-after-free: a read of freed stack memory', INV: 'input error (the file or a step is invalid)',
  CORR: 'corrupt (physical model): runtime frames on g0 overwrote memory below their stack (the real process goes on)',
  G0: 'morestack on g0', SPLIT: 'runtime: stack split at bad time', OOB: 'cgocallback with sp=... out of bounds (crash-stack mode)',
  EARLY: 'cgo callback before cgo call', SP: 'entersyscall inconsistent sp', BP: 'entersyscall inconsistent bp',
  LOCK: 'misuse of lockOSThread/unlockOSThread', SEGV: 'SIGSEGV', MCHG: 'm changed unexpectedly in cgocallbackg',
  INCGO: 'schedule: in cgo', OVFL: 'stack overflow', GSIG: 'morestack on gsignal',
  OWNER: 'attempted to trace stack of a goroutine this thread does not own', SYSGROW: 'stack growth not allowed in system call',
  BADPTR: 'invalid pointer found on stack', SHRINK: 'shrinkstack at bad time', BADPC: 'unknown caller pc',
  SPLITOV: 'runtime: split stack overflow', DEADG: 'tracing a dead goroutine',
  EXITSC: 'exitsyscall: syscall frame is no longer valid', SIGSTK: 'SIGSEGV delivering a signal on a freed sigaltstack',
  NOSIGSTK: 'non-Go code disabled sigaltstack', ONSTACK: 'non-Go code set up signal handler without SA_ONSTACK flag',
  HANG: 'a signal\'s needm waits for ever for an extra M',
  FAILED: 'the program\'s own check (an `assert` step, or a `recover` that got another value) failed',
  PANIC: 'panic: a panic nothing recovered', GOEXIT: 'runtime.Goexit on a goroutine still locked to its thread (gdestroy)',
  CORO: 'coro: OS thread locking must match locking at coroutine creation', COROX: 'coroswitch on exited coro',
  SENDC: 'send on closed channel', CLOSEC: 'close of closed channel', WGNEG: 'sync: negative WaitGroup counter',
  JOINHANG: 'the process hangs (a join that can never return)',
};

function cell(r: RunResult): string {
  if (r.verdict === 'ok') return 'ok';
  if (r.verdict === 'uaf') return 'UAF';
  if (r.verdict === 'corrupt') return 'CORR';
  if (r.verdict === 'failed') return 'FAILED';
  if (r.verdict === 'invalid') return 'INV';
  return CELL_CODES[r.crash ?? ''] ?? (r.crash ?? 'CRASH').toUpperCase();
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

async function repro(p: ParsedArgs): Promise<number> {
  if (p.positionals.length > 0) throw new UsageError(`repro takes no FILE arguments (got ${p.positionals[0]}); use --dir DIR`);
  const dir = resolve(lastString(p, 'dir') ?? bundledScenarioDir());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir} is not a directory`);
  const files = scenarioFilesUnder(dir);
  if (files.length === 0) throw new UsageError(`no scenario files (*.json) in ${dir}`);
  const sim = await createSimulator();
  const json = flagged(p, 'json');
  const rows: { name: string; cells: string[] }[] = [];
  const badFiles: string[] = [];
  let mismatches = 0;
  let checked = 0;
  // On a terminal, a matrix that takes more than a second shows how many runs are done (progress.ts).
  // (Not with --json, whose lines come while it runs.)
  const bar = json ? progressLine('runs', false) : progressLine('runs');
  const total = files.length * PROFILE_NAMES.length;
  let done = 0;
  try {
    for (const f of files) {
      const loaded = loadForRun(join(dir, f));
      if (loaded.error) {
        // A bad file gets its row and its message; the other files still run.
        badFiles.push(loaded.error.message);
        rows.push({ name: loaded.name === join(dir, f) ? f : loaded.name, cells: PROFILE_NAMES.map(() => 'INV') });
        if (json) for (const profile of PROFILE_NAMES) out(`${JSON.stringify({ ...invalidFileResult(loaded, profile), check: 'invalid input' })}\n`);
        done += PROFILE_NAMES.length;
        continue;
      }
      const scenario = loaded.scenario;
      const cells = PROFILE_NAMES.map((profile) => {
        bar.update(done++, total, scenario.name);
        const r = sim.run(scenario, { profile });
        const e = expectationFor(scenario.expect, profile);
        const problems = e === undefined ? undefined : checkExpectation(r, e);
        if (problems && problems.length > 0) mismatches++;
        if (problems) checked++;
        if (json) out(`${JSON.stringify({ ...r, check: problems === undefined ? 'none' : problems.length === 0 ? 'pass' : problems })}\n`);
        return cell(r) + (problems === undefined ? '?' : problems.length > 0 ? '!' : '');
      });
      rows.push({ name: scenario.name, cells });
    }
  } finally {
    bar.done();
  }
  if (!json) out(`${matrix(rows, mismatches, checked, badFiles).join('\n')}\n`);
  else for (const m of badFiles) err(`cgosim: ${m}\n`);
  return mismatches > 0 ? 1 : badFiles.length > 0 ? 2 : 0;
}

/** The verdict table, the legend of the codes it uses, and the summary. */
function matrix(rows: { name: string; cells: string[] }[], mismatches: number, checked: number, badFiles: string[]): string[] {
  // Profile columns are headed without the "go" prefix (1.21.7 is profile go1.21.7), so that the
  // table fits 120 columns.
  // Long scenario names (Go's test names with their variant) are cut to keep that width.
  const short = (name: string) => (name.length > 44 ? `${name.slice(0, 43)}…` : name);
  const out = table([{ header: 'scenario' }, ...PROFILE_NAMES.map((name) => ({ header: name.replace(/^go/, '') }))], rows.map((r) => [short(r.name), ...r.cells]));
  const used = new Set(rows.flatMap((r) => r.cells.map((c) => c.replace(/[!?]$/, ''))));
  const codes = Object.keys(CELL_MEANING).filter((c) => used.has(c));
  const unknown = [...used].filter((c) => !(c in CELL_MEANING));
  out.push('', 'Columns are the profiles go1.17rc1 ... tip ("cgosim profiles"). Legend:', ...codes.map((c) => `  ${c.padEnd(8)} ${CELL_MEANING[c]}`), ...unknown.map((c) => `  ${c.padEnd(8)} crash ${c.toLowerCase()}`),
    '  !        differs from the scenario\'s "expect"', '  ?        the scenario has no expectation for this profile');
  const total = rows.length * PROFILE_NAMES.length;
  out.push('');
  for (const m of badFiles) out.push(`Not a valid scenario: ${m}`);
  out.push(mismatches > 0
    ? `${mismatches} verdict(s) differ from the scenarios' expectations (marked "!"); run "cgosim run FILE --profile P --check" for details.`
    : checked === 0 ? 'No scenario states an expectation ("expect"): nothing was checked.'
      : `All ${checked} checked verdicts match the scenarios' expectations${checked < total ? ` (${total - checked} cells without one, marked "?")` : ''}.`);
  return out;
}

export const reproCommand: Command = {
  help: HELP,
  options: { dir: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  run: repro,
};
