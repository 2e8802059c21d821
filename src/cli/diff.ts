// `cgosim diff FILE --profiles P,Q`: the first event where two profiles' runs part ways.

import { createSimulator, loadScenarioFile } from '../api/node.js';
import { PROFILE_NAMES, resolveProfile } from '../model/profiles.js';
import { UsageError, flagOverrides, flagged, lastString, type Command, type ParsedArgs } from './args.js';
import { diffScenario, type DiffReport } from '../explore/diff.js';
import { sideOf } from '../explore/runner.js';
import { out } from './io.js';

const HELP = `Usage: cgosim diff FILE --profiles P,Q [--flag NAME=on|off]... [--json]

Runs one scenario under two profiles and prints the first event where the runs part ways, with
each side's event there, its g0 bounds and stack pointer at that moment, the M's final state and
both verdicts. Q may be P itself with --flag overrides (applied to Q only), to see what one fix
changes.

Exit status: 0 when the runs are the same; 1 when they part ways; 2 on bad input or usage.`;

export function describeDiff(d: DiffReport): string {
  const [p, q] = d.sides;
  if (d.same) return `${d.scenario}: ${p.label} and ${q.label} run the same ${d.index} events (${p.verdict})`;
  const lines = [`${d.scenario}: ${p.label} and ${q.label} part ways at event ${d.index}`];
  if (d.before.length > 0) {
    lines.push('  shared events before it:');
    for (const e of d.before) lines.push(`    ${String(e.index).padStart(4)} ${e.step.padEnd(16)} ${e.thread.padEnd(4)} ${e.m.padEnd(4)} ${e.text}`);
  }
  for (const s of d.sides) {
    lines.push(`  ${s.label}:`);
    lines.push(`    event:  ${s.event ? `${s.event.step} ${s.event.thread} ${s.event.m} ${s.event.text}` : '(the run had ended)'}`);
    if (s.bounds) lines.push(`    bounds: ${s.bounds}`);
    if (s.sp) lines.push(`    sp:     ${s.sp}`);
    if (s.m) lines.push(`    M:      ${JSON.stringify(s.m)}`);
    lines.push(`    verdict: ${s.verdict}${s.fatal ? ` (${s.fatal})` : ''}${s.stepPath ? ` at ${s.stepPath}` : ''}`);
  }
  return lines.join('\n');
}

async function diff(p: ParsedArgs): Promise<number> {
  if (p.positionals.length !== 1) throw new UsageError('diff needs exactly one scenario FILE');
  const flags = flagOverrides(p);
  const list = (lastString(p, 'profiles') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length !== 2 && !(list.length === 1 && Object.keys(flags).length > 0)) throw new UsageError('--profiles takes P,Q (or just P with --flag overrides)');
  for (const x of list) if (!resolveProfile(x)) throw new UsageError(`unknown profile ${x}; profiles: ${PROFILE_NAMES.join(', ')}`);
  const scenario = loadScenarioFile(p.positionals[0]!);
  const sim = await createSimulator();
  const d = diffScenario(sim, scenario, sideOf(list[0]!), sideOf(list[1] ?? list[0]!, flags));
  out(flagged(p, 'json') ? `${JSON.stringify(d)}\n` : `${describeDiff(d)}\n`);
  return d.same ? 0 : 1;
}

export const diffCommand: Command = {
  help: HELP,
  options: { profiles: { type: 'string' }, flag: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  run: diff,
};
