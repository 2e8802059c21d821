// `cgosim explore`: search generated scenarios for crashes, use-after-frees or differences
// between two profiles; shrink and report each new one.

import { PROFILE_NAMES, resolveProfile } from '../model/profiles.js';
import { UsageError, flagOverrides, flagged, intOption, lastString, type Command, type ParsedArgs } from './args.js';
import { sideOf, type Side } from '../explore/runner.js';
import { CampaignError, runNodeCampaign, type Progress } from '../explore/node.js';
import { exploreExhaustive } from '../explore/exhaustive.js';
import { createSimulator, loadScenarioFile } from '../api/node.js';
import type { Finding } from '../explore/campaign.js';
import type { Scenario } from '../api/types.js';
import { appendOutputFile, err, out } from './io.js';

const HELP = `Usage: cgosim explore --profile P [--diff Q] [--flag NAME=on|off]... [--strategy random|pct|exhaustive]
                      [--scenario FILE] [--seed N] [--time SECONDS | --runs N] [--workers N] [--shard K/N]
                      [--out FILE] [--resume FILE] [--physical] [--json]

Generates scenarios from a seed (swarm style: the seed picks which features are on and how often:
threads, coroutine stacks, callbacks, signals, goroutines, GC, preemption, the tracer, panics and
Goexit through callbacks, iter.Pull iterators, channels and wait groups, the exit phase, ...), runs
each under P, and reports every new crash, use-after-free, corruption or failed check, shrunk to a
minimal scenario that ends the same way. With --diff Q, a finding is any scenario that P and Q judge
differently.

Options:
  --profile P        the runtime profile (or a release such as go1.22.3) to explore
  --diff Q           compare with Q: a profile, or P itself with the --flag overrides
  --flag NAME=on|off a flag override (repeatable): applies to Q with --diff, else to P
  --strategy S       random (default; swarm), pct (schedules with --depth change points: the
                     generator places depth-1 interleaving pins and the scheduler runs PCT), or
                     exhaustive (needs --scenario: every placement of pins over the points it
                     reaches, up to --bound pins)
  --depth D          pct depth (default 3)
  --bound B          exhaustive: largest number of pins in one placement (default 2)
  --scenario FILE    the scenario for --strategy exhaustive
  --seed N           campaign seed (default 1): run i uses a seed made of N and i
  --runs N           run the global run numbers [0, N) (of this shard)
  --time SECONDS     stop after this long (default 10 when --runs is not given)
  --workers N        worker threads (default: the core count)
  --shard K/N        run only shard K of N (disjoint; together they are the whole campaign)
  --out FILE         append the campaign's journal (JSON Lines) to FILE
  --resume FILE      continue the campaign journaled in FILE (after a kill, nothing is lost or repeated)
  --physical         run every scenario under the physical model (README "The physical model"):
                     generated scenarios say "physical": true, and so do the findings
  --json             JSON Lines on stdout: one "finding" line per distinct finding, a "summary" line last

Progress (runs, runs/s, findings, elapsed) is shown on stderr when it is a terminal.
Exit status: 0 when nothing was found; 1 when there are findings; 2 on bad usage.`;

function profileArg(name: string | undefined, opt: string): string {
  if (name === undefined) throw new UsageError(`${opt} is required`);
  if (!resolveProfile(name)) throw new UsageError(`${opt}: unknown profile ${name}; profiles: ${PROFILE_NAMES.join(', ')} (or a release such as go1.22.3)`);
  return name;
}

/** A scenario as JSON with one timeline step per line: compact, and still valid JSON to paste. */
export function compactScenario(s: Scenario): string {
  const { steps, ...rest } = s;
  const head = JSON.stringify({ ...rest, steps: [] }).replace(/"steps":\[\]\}$/, '"steps": [');
  const body = (steps as unknown[]).map((x, i) => `  ${JSON.stringify(x)}${i < steps.length - 1 ? ',' : ''}`);
  return [head, ...body, ']}'].join('\n');
}

/** Human-readable report of one finding. */
export function describeFinding(f: Finding): string {
  const lines = [`FINDING ${f.signature}`];
  if (f.profiles) {
    for (const [p, v] of Object.entries(f.profiles)) lines.push(`  ${p}: ${v.verdict}${v.fatal ? ` (${v.fatal})` : ''}`);
  } else {
    lines.push(`  ${f.profile}: ${f.verdict}${f.fatal ? ` (${f.fatal})` : ''}${f.op ? ` in ${f.op}` : ''}`);
  }
  lines.push(
    `  found after ${f.runs} runs, ${(f.elapsedMs / 1000).toFixed(2)} s (run ${f.index}, seed ${f.runSeed}); shrunk from ${f.originalSteps} to ${f.shrunkSteps} steps in ${f.shrinkChecks} checks, ${(f.shrinkMs / 1000).toFixed(2)} s`,
    ...compactScenario(f.scenario).split('\n').map((l) => `  ${l}`),
  );
  return lines.join('\n');
}

const OPTIONS = {
  profile: { type: 'string' }, diff: { type: 'string' }, flag: { type: 'string', multiple: true },
  strategy: { type: 'string' }, depth: { type: 'string' }, bound: { type: 'string' }, scenario: { type: 'string' },
  seed: { type: 'string' }, time: { type: 'string' }, runs: { type: 'string' }, workers: { type: 'string' },
  shard: { type: 'string' }, out: { type: 'string' }, resume: { type: 'string' }, json: { type: 'boolean' },
  physical: { type: 'boolean' },
} as const;

async function explore(p: ParsedArgs): Promise<number> {
  if (p.positionals.length > 0) throw new UsageError(`explore takes no FILE arguments (got ${p.positionals[0]}); --scenario FILE is for --strategy exhaustive`);
  const values = {
    profile: lastString(p, 'profile'), diff: lastString(p, 'diff'), strategy: lastString(p, 'strategy'), scenario: lastString(p, 'scenario'),
    time: lastString(p, 'time'), shard: lastString(p, 'shard'), out: lastString(p, 'out'), resume: lastString(p, 'resume'), json: flagged(p, 'json'),
  };
  const profile = profileArg(values.profile, '--profile');
  const flags = flagOverrides(p);
  let sides: [Side] | [Side, Side];
  if (values.diff !== undefined) {
    const q = profileArg(values.diff, '--diff');
    if (q === profile && Object.keys(flags).length === 0) throw new UsageError('--diff names the same profile as --profile without any --flag override: nothing could differ');
    sides = [sideOf(profile), sideOf(q, flags)];
  } else {
    sides = [sideOf(profile, flags)];
  }
  const strategy = values.strategy ?? 'random';
  if (strategy !== 'random' && strategy !== 'pct' && strategy !== 'exhaustive') throw new UsageError(`--strategy must be random, pct or exhaustive, got ${strategy}`);
  const seed = intOption(p, 'seed', 0, 0xffffffff) ?? 1;
  const runs = intOption(p, 'runs', 1, Number.MAX_SAFE_INTEGER);
  const time = values.time === undefined ? undefined : Number(values.time);
  if (time !== undefined && !(time > 0)) throw new UsageError(`--time must be a positive number of seconds, got ${values.time}`);
  const json = values.json === true;
  const tty = process.stderr.isTTY === true;
  let found = 0;
  const onFinding = (f: Finding) => {
    found++;
    if (tty) err('\r\x1b[K');
    out(json ? `${JSON.stringify(f)}\n` : `${describeFinding(f)}\n`);
  };
  const onProgress = tty ? (p: Progress) => {
    err(`\r\x1b[Kruns ${p.runs}  ${Math.round(p.runsPerSecond)} runs/s  findings ${p.findings}  elapsed ${(p.elapsedMs / 1000).toFixed(1)} s`);
  } : undefined;

  if (strategy === 'exhaustive') {
    if (values.scenario === undefined) throw new UsageError('--strategy exhaustive needs --scenario FILE');
    const loaded = loadScenarioFile(values.scenario);
    const scenario = flagged(p, 'physical') ? { ...loaded, physical: true } : loaded;
    const bound = intOption(p, 'bound', 0, 4) ?? 2;
    const sim = await createSimulator();
    const summary = exploreExhaustive(sim, scenario, sides, { bound, onFinding, ...(onProgress ? { onProgress } : {}) });
    if (tty) err('\r\x1b[K');
    out(json ? `${JSON.stringify(summary)}\n` : `${summary.runs} placements, ${summary.findings} finding(s); points reached ${summary.pointsReached}/${summary.pointsPossible} (${summary.reached.join(', ')})\n`);
    return summary.findings > 0 ? 1 : 0;
  }
  if (values.scenario !== undefined) throw new UsageError('--scenario is for --strategy exhaustive');
  let shard: [number, number] | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard takes K/N with 1 <= K <= N, got ${values.shard}`);
    shard = [Number(m[1]), Number(m[2])];
  }
  const workers = intOption(p, 'workers', 1, 256);
  const depth = intOption(p, 'depth', 1, 16);
  if (values.resume !== undefined && values.out !== undefined && values.out !== values.resume) throw new UsageError('--resume FILE continues writing FILE; leave out --out or give the same file');
  const summary = await runNodeCampaign({
    sides, strategy, seed,
    ...(flagged(p, 'physical') ? { physical: true } : {}),
    ...(depth !== undefined ? { depth } : {}),
    ...(shard ? { shard } : {}),
    ...(runs !== undefined ? { runs } : {}),
    ...(time !== undefined || runs === undefined ? { timeMs: (time ?? 10) * 1000 } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    append: appendOutputFile,
    onFinding,
    ...(onProgress ? { onProgress } : {}),
    onInvalid: (i) => err(`${tty ? '\r\x1b[K' : ''}cgosim: generator bug: run ${i.index} (seed ${i.runSeed}) made an invalid scenario: ${i.error}\n`),
  }).catch((e: unknown) => { throw e instanceof CampaignError ? new UsageError(e.message) : e; });
  if (tty) err('\r\x1b[K');
  out(json ? `${JSON.stringify(summary)}\n`
    : `${summary.runs} runs in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.runsPerSecond} runs/s, ${summary.workers} worker${summary.workers === 1 ? '' : 's'}), ${summary.findings} finding(s)${summary.invalid > 0 ? `, ${summary.invalid} invalid scenario(s) (generator bugs)` : ''}\n`);
  return found > 0 ? 1 : 0;
}

export const exploreCommand: Command = { help: HELP, options: OPTIONS, run: explore };
