// `cgosim merge FILE...`: campaign journals (one per shard, or several resumed runs) into one
// deduplicated report: each signature once (from the lowest run number that found it), and the
// runs of all of them added up.

import { UsageError, flagged, intOption, type Command, type ParsedArgs } from './args.js';
import type { Finding } from '../explore/campaign.js';
import { describeFinding } from './explore.js';
import { err, out } from './io.js';
import { InputError, readInput } from '../api/input.js';

/** A journal larger than this is refused unless --max-input says otherwise (far more than an hour's campaign writes). */
const MAX_JOURNAL_BYTES = 256 << 20;

const HELP = `Usage: cgosim merge FILE... [--json]

Combines campaign journals written by "cgosim explore --out" (for example one per --shard) into
one report: every distinct finding once, with the runs of all journals added up.
With --json: one "finding" line per distinct finding, then a "summary" line.
--max-input N refuses a journal over N bytes (default 268435456, 256 MiB); a pipe, FIFO or device
that sends nothing for 750 ms (--input-timeout MS) is an error, not a wait.

Exit status: 0 when there are no findings; 1 when there are; 2 on bad input or usage.`;

export interface MergeResult { findings: Finding[]; runs: number; files: number; invalid: number }

export function mergeJournals(texts: string[]): MergeResult {
  const best = new Map<string, Finding>();
  let runs = 0;
  let invalid = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let rec: Record<string, unknown>;
      try { rec = JSON.parse(line) as Record<string, unknown>; } catch { continue; }
      if (rec.type === 'chunk') runs += Number(rec.runs ?? 0);
      if (rec.type === 'invalid') invalid++;
      if (rec.type === 'finding') {
        const f = rec as unknown as Finding;
        const had = best.get(f.signature);
        if (!had || f.index < had.index) best.set(f.signature, f);
      }
    }
  }
  const findings = [...best.values()].sort((a, b) => a.index - b.index);
  return { findings, runs, files: texts.length, invalid };
}

function merge(p: ParsedArgs): number {
  if (p.positionals.length === 0) throw new UsageError('merge needs at least one journal FILE');
  const maxBytes = intOption(p, 'max-input', 1, Number.MAX_SAFE_INTEGER) ?? MAX_JOURNAL_BYTES;
  const timeoutMs = intOption(p, 'input-timeout', 1, 2 ** 31);
  const texts: string[] = [];
  for (const f of p.positionals) {
    try {
      texts.push(readInput(f, { maxBytes, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      err(`cgosim: ${f}: ${e.reason}\n`);
      return 2;
    }
  }
  const m = mergeJournals(texts);
  const summary = { type: 'summary', runs: m.runs, findings: m.findings.length, files: m.files, invalid: m.invalid };
  if (flagged(p, 'json')) {
    for (const f of m.findings) out(`${JSON.stringify(f)}\n`);
    out(`${JSON.stringify(summary)}\n`);
  } else {
    for (const f of m.findings) out(`${describeFinding(f)}\n`);
    out(`${m.files} journal(s), ${m.runs} completed runs, ${m.findings.length} distinct finding(s)\n`);
  }
  return m.findings.length > 0 ? 1 : 0;
}

export const mergeCommand: Command = {
  help: HELP,
  options: { json: { type: 'boolean' }, 'max-input': { type: 'string', multiple: true }, 'input-timeout': { type: 'string', multiple: true } },
  run: merge,
};
