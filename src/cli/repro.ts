// cgosim repro: every scenario in a folder under every profile, as a verdict table.

import { out } from './io.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, loadScenarioFile } from '../api/node.js';
import { checkExpectation, expectationFor } from '../scenario/expect.js';
import { PROFILE_NAMES } from '../model/profiles.js';
import type { RunResult } from '../api/types.js';
import { UsageError, flagged, lastString, type Command, type ParsedArgs } from './args.js';

const HELP = `Usage: cgosim repro [--dir DIR] [--json]

Runs every scenario in DIR (default: the bundled scenarios/) under all nine profiles and prints a
scenario x profile table of verdicts. Exits 1 if any verdict differs from the scenario's "expect".

Cells: ok, CRASH[g0] morestack on g0, CRASH[split] stack split at bad time, CRASH[oob] cgocallback
out of bounds (crash-stack mode), CRASH[early] cgo callback before cgo call, CRASH[sp]/CRASH[bp]
entersyscall inconsistent, CRASH[lock] lockOSThread misuse, UAF use-after-free, INVALID input
error. A cell marked "!" differs from "expect"; "?" has no expectation.`;

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

async function repro(p: ParsedArgs): Promise<number> {
  if (p.positionals.length > 0) throw new UsageError(`repro takes no FILE arguments (got ${p.positionals[0]}); use --dir DIR`);
  const dir = resolve(lastString(p, 'dir') ?? bundledScenarioDir());
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--dir ${dir} is not a directory`);
  const files = scenarioFilesUnder(dir);
  if (files.length === 0) throw new UsageError(`no scenario files (*.json) in ${dir}`);
  const sim = await createSimulator();
  const json = flagged(p, 'json');
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
    for (const r of report) out(`${JSON.stringify(r)}\n`);
  } else {
    const w0 = Math.max(8, ...rows.map((r) => r.name.length));
    const widths = PROFILE_NAMES.map((pn, i) => Math.max(pn.length, ...rows.map((r) => r.cells[i]!.length)));
    const line = (first: string, cs: readonly string[]) => `${first.padEnd(w0)}  ${cs.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
    const table = [line('scenario', PROFILE_NAMES), line('-'.repeat(w0), widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(r.name, r.cells))];
    const total = rows.length * PROFILE_NAMES.length;
    table.push('', mismatches > 0
      ? `${mismatches} verdict(s) differ from the scenarios' expectations (marked "!"); run "cgosim run FILE --profile P --check" for details.`
      : checked === 0 ? 'No scenario states an expectation ("expect"): nothing was checked.'
        : `All ${checked} checked verdicts match the scenarios' expectations${checked < total ? ` (${total - checked} cells without one, marked "?")` : ''}.`);
    out(`${table.join('\n')}\n`);
  }
  return mismatches > 0 ? 1 : 0;
}

export const reproCommand: Command = {
  help: HELP,
  options: { dir: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  run: repro,
};
