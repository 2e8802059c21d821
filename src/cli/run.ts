// cgosim run FILE...: scenario files under one or more profiles, as text or JSON Lines.

import { err, out, writeOutputFile } from './io.js';
import { createSimulator } from '../api/node.js';
import { invalidFileResult, loadForRun } from './load.js';
import { checkExpectation, expectationFor } from '../scenario/expect.js';
import { toChromeTrace } from '../report/traceexport.js';
import type { RunOptions, RunResult, StateSnapshot } from '../api/types.js';
import { table } from './tables.js';
import { progressLine } from './progress.js';
import {
  UsageError, flagOverrides, flagged, godebugOption, intOption, lastString, physicalOption, profileList, type Command, type ParsedArgs,
} from './args.js';

const HELP = `Usage: cgosim run FILE... [options]

Runs each scenario file (JSON, scenario format 1; "-" reads standard input) and prints what the
real Go runtime of the chosen profile would do: finish, or crash with the exact text it prints,
with counters and a trace hash.

Options:
  --profile P        a profile (go1.17rc1 go1.17 go1.21.0 go1.21.7 go1.22.0 go1.22.5 go1.23.0
                     go1.23.1 tip), a release (go1.22.3), a comma-separated list, or "all"; any
                     letter case. Default: the scenario's "profile", else tip
  --flag NAME=on|off override one feature flag (repeatable; see "cgosim profiles --flags")
  --godebug S        GODEBUG settings (name=value,...) on top of the scenario's "godebug" and of the
                     GODEBUG environment variable, which is read too (settings the model does not
                     act on are skipped there with a note)
  --crash-stack      print the intended "cgocallback with sp=... out of bounds" line instead of the
                     "stack split at bad time" that masks it in real binaries
  --physical         run with the physical model (README "The physical model"): the C->Go entry
                     frames, runtime frames on g0 as real bytes, guard pages, verdict corrupt,
                     glibc/musl malloc placement; default: the scenario's "physical", else off
  --no-physical      run without it even where the scenario sets "physical": true
  --json             one JSON object per scenario and profile (JSON Lines)
  --check            compare with each scenario's "expect"; exit 1 on any difference
  --events           also print the event log that explains the verdict
  --state            also print the final Ms, goroutines, threads and extra-M list
  --trace OUT.json   write the run as Chrome/Perfetto trace-event JSON (one file per scenario and
                     profile: OUT.<scenario>.<profile>.json when there are several)
  --budget N         stop after N steps of work (default 20000000: any scenario ends within
                     about a second); a step is about one op or loop turn, see the README
  --deadline MS      also stop after MS milliseconds of wall-clock time (not deterministic)
  --max-input N      refuse scenario input over N bytes (default 33554432, 32 MiB)
  --input-timeout MS give up on a pipe, FIFO, device or stdin that sends no data for MS ms
                     (default 750)
  --seed N           seed for the choices the scenario leaves open (which M runs a goroutine)
  --strategy S       how those choices are made: random (default) or pct (probabilistic
                     concurrency testing); --seed N --strategy S replays a run exactly
  --debug            use the core built with assertions

On a terminal, a run that takes longer than a second shows a progress bar on standard error (the
steps it has spent of its budget); the bar is cleared when the run ends.

Exit status: 0; 1 when --check finds a difference; 2 on bad input or usage (with --check, an
invalid verdict the scenario's expect states is a match, not bad input); 3 on an internal error.`;

function indent(text: string, by = '    '): string {
  return text.replace(/\n$/, '').split('\n').map((l) => by + l).join('\n');
}

function describeResult(r: RunResult): string {
  const head = `${r.scenario}  [${r.label}]  `;
  switch (r.verdict) {
    case 'ok': return `${head}OK (exit 0)`;
    case 'crash': return `${head}CRASH ${r.fatal ?? r.crash} at ${r.stepPath} (exit ${r.exitCode})`;
    case 'uaf': return `${head}UAF at ${r.stepPath}`;
    case 'corrupt': return `${head}CORRUPT at ${r.stepPath}`;
    case 'failed': return `${head}FAILED ${r.crash} at ${r.stepPath} (exit ${r.exitCode})`;
    case 'invalid': return `${head}INVALID: ${r.error?.message}`;
  }
}

/** The event log as a table with a header row; the gap between kept first and last events is a line of its own. */
function eventLog(r: RunResult): string[] {
  const events = r.events ?? [];
  const kept = events.filter((e) => e.kind !== 'events-omitted');
  const rows = kept.map((e) => [String(e.index), e.step, e.thread, e.m, e.kind, e.text]);
  const lines = table([{ header: '#', right: true }, { header: 'step' }, { header: 'thread' }, { header: 'M' }, { header: 'event' }, { header: 'what happened' }], rows, '  ');
  const gap = events.findIndex((e) => e.kind === 'events-omitted');
  if (gap >= 0) lines.splice(2 + gap, 0, `  ${events[gap]!.text}`);
  return [r.eventsTruncated ? `  events: ${r.eventsTotal} in all, ${kept.length} kept (the first and the last)` : `  events: ${kept.length}`, ...lines];
}

/** --state: the final records as tables. */
function stateTables(st: StateSnapshot): string[] {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    '  Ms:',
    ...table([{ header: 'M' }, { header: 'm.id', right: true }, { header: 'thread' }, { header: 'g0 bounds [lo, hi]' }, { header: 'stackguard0' },
      { header: 'accurate' }, { header: 'extra' }, { header: 'in C' }, { header: 'ncgo', right: true }, { header: 'locked int/ext' }],
    st.ms.map((m) => [m.name, String(m.id), m.thread ?? '-', `[${m.g0.lo}, ${m.g0.hi}]`, m.g0.stackguard0, yes(m.g0StackAccurate),
      m.isextra ? (m.onExtraList ? 'on list' : 'yes') : 'no', yes(m.isExtraInC), String(m.ncgo), `${m.lockedInt}/${m.lockedExt}`]), '    '),
    '  Threads:',
    ...table([{ header: 'thread' }, { header: 'tid', right: true }, { header: 'state' }, { header: 'M' }, { header: 'sp' }, { header: 'stack [lo, hi)' }],
      st.threads.map((t) => [t.id, String(t.tid), t.state, t.boundM ?? '-', t.sp, `[${t.stack[0]}, ${t.stack[1]})`]), '    '),
    '  Goroutines:',
    ...table([{ header: 'goroutine' }, { header: 'goid', right: true }, { header: 'status' }, { header: 'stack [lo, hi)' }, { header: 'sched.sp' },
      { header: 'syscallsp' }, { header: 'syscallbp' }, { header: 'preemptShrink' }],
    st.goroutines.map((g) => [g.id, String(g.goid), g.status, `[${g.stack[0]}, ${g.stack[1]})`, g.sched.sp, g.syscallsp, g.syscallbp, yes(g.preemptShrink)]), '    '),
    `  Extra-M list (next to be taken first): ${st.extraMList.length > 0 ? st.extraMList.join(' -> ') : '(empty)'}`,
  ];
}

function counterLine(r: RunResult): string {
  return Object.entries(r.counters).filter(([, v]) => v !== 0).map(([k, v]) => `${k}=${v}`).join(' ');
}

function runOptions(p: ParsedArgs): RunOptions {
  const base: RunOptions = {
    flags: flagOverrides(p), crashStack: flagged(p, 'crash-stack'), events: flagged(p, 'events') || lastString(p, 'trace') !== undefined, state: flagged(p, 'state'),
  };
  const physical = physicalOption(p);
  if (physical !== undefined) base.physical = physical;
  const budget = intOption(p, 'budget', 1, Number.MAX_SAFE_INTEGER);
  const seed = intOption(p, 'seed', 0, 0xffffffff);
  if (budget !== undefined) base.budget = budget;
  const deadline = intOption(p, 'deadline', 1, 2 ** 31);
  if (deadline !== undefined) base.deadline = deadline;
  if (seed !== undefined) base.seed = seed;
  const strategy = lastString(p, 'strategy');
  if (strategy !== undefined) {
    if (strategy !== 'random' && strategy !== 'pct') throw new UsageError(`--strategy must be random or pct, got ${strategy}`);
    base.strategy = strategy;
  }
  const godebug = godebugOption(p, process.env.GODEBUG, (line) => err(`${line}\n`));
  if (godebug !== undefined) base.godebug = godebug;
  return base;
}

async function run(p: ParsedArgs): Promise<number> {
  if (p.positionals.length === 0) throw new UsageError('run needs at least one scenario FILE ("-" for standard input)');
  if (p.positionals.filter((f) => f === '-').length > 1) throw new UsageError('"-" (standard input) may be given once');
  const base = runOptions(p);
  const maxBytes = intOption(p, 'max-input', 1, Number.MAX_SAFE_INTEGER);
  const timeoutMs = intOption(p, 'input-timeout', 1, 2 ** 31);
  const limits = { ...(maxBytes === undefined ? {} : { maxBytes }), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
  const profiles = profileList(lastString(p, 'profile'));
  const json = flagged(p, 'json');
  const check = flagged(p, 'check');
  const traceOut = lastString(p, 'trace');
  const sim = await createSimulator({ build: flagged(p, 'debug') ? 'debug' : 'release' });
  let failures = 0;
  let invalid = 0;
  for (const file of p.positionals) {
    const loaded = loadForRun(file, limits);
    if (loaded.error) {
      // A file that is not a valid scenario: one invalid result per profile, so --json has an
      // object for it too; text mode says it once.
      if (!json) err(`cgosim: ${loaded.error.message}\n`);
      for (const profile of profiles ?? [loaded.profile ?? 'tip']) {
        invalid++;
        const r = invalidFileResult(loaded, profile);
        if (json) out(`${JSON.stringify(check ? { ...r, check: 'invalid input' } : r)}\n`);
      }
      continue;
    }
    const scenario = loaded.scenario;
    for (const profile of profiles ?? [scenario.profile ?? 'tip']) {
      // A long run shows its steps against its budget on a terminal (progress.ts).
      const bar = progressLine('steps of the budget');
      let r: RunResult;
      try {
        r = sim.run(scenario, { ...base, profile, progress: (q) => bar.update(q.stepsUsed, q.budget, `${scenario.name} [${profile}]`) });
      } finally {
        bar.done();
      }
      const e = expectationFor(scenario.expect, r.profile, r.release);
      if (traceOut && r.events) {
        const many = p.positionals.length > 1 || (profiles?.length ?? 1) > 1;
        const out = many ? traceOut.replace(/(\.json)?$/, `.${r.scenario}.${r.profile}.json`) : traceOut;
        writeOutputFile(out, JSON.stringify(toChromeTrace(r)));
        if (!json) err(`cgosim: trace written to ${out}\n`);
      }
      const problems = check && e !== undefined ? checkExpectation(r, e) : [];
      if (problems.length > 0) failures++;
      // With --check, an invalid verdict the scenario expects (a program that cannot build on a release) is not bad input.
      if (r.verdict === 'invalid' && !(check && e !== undefined && problems.length === 0)) invalid++;
      if (json) {
        out(`${JSON.stringify(check ? { ...r, check: problems.length === 0 ? 'pass' : problems } : r)}\n`);
        continue;
      }
      const lines = [describeResult(r)];
      if (r.output) lines.push(indent(r.output));
      if (r.note) lines.push('  note (cgosim\'s explanation, not the program\'s output):', indent(r.note));
      lines.push(`  counters: ${counterLine(r)}`, `  trace ${r.traceHash} (${r.stepsUsed} steps)`);
      if (r.counters.atUnfired > 0) lines.push(`  note: ${r.counters.atUnfired} "at" hook(s) never fired: their goroutine never reached that point in this profile`);
      if (r.counters.pinsIgnored > 0) lines.push(`  note: ${r.counters.pinsIgnored} resumeOn pin(s) named an M that could not run the goroutine (see --events)`);
      if (r.events && flagged(p, 'events')) lines.push(...eventLog(r));
      if (r.state) lines.push(...stateTables(r.state));
      if (check) lines.push(e === undefined ? '  check: no expectation for this profile' : problems.length === 0 ? '  check: PASS' : `  check: FAIL\n${problems.map((x) => `    - ${x}`).join('\n')}`);
      out(`${lines.join('\n')}\n`);
    }
  }
  if (invalid > 0 && !check) return 2;
  return failures > 0 ? 1 : invalid > 0 ? 2 : 0;
}

export const runCommand: Command = {
  help: HELP,
  options: {
    profile: { type: 'string', multiple: true },
    flag: { type: 'string', multiple: true },
    godebug: { type: 'string', multiple: true },
    'crash-stack': { type: 'boolean' },
    physical: { type: 'boolean' },
    'no-physical': { type: 'boolean' },
    json: { type: 'boolean' },
    check: { type: 'boolean' },
    events: { type: 'boolean' },
    state: { type: 'boolean' },
    trace: { type: 'string', multiple: true },
    budget: { type: 'string', multiple: true },
    deadline: { type: 'string', multiple: true },
    'max-input': { type: 'string', multiple: true },
    'input-timeout': { type: 'string', multiple: true },
    seed: { type: 'string', multiple: true },
    strategy: { type: 'string', multiple: true },
    debug: { type: 'boolean' },
  },
  run,
};
