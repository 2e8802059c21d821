// `cgosim merge FILE...`: campaign journals (one per shard, or several resumed runs) into one
// deduplicated report: each signature once (from the lowest run number that found it), and the
// runs of all of them added up.

import { readFileSync } from 'node:fs';
import { UsageError, flagged, type Command, type ParsedArgs } from './args.js';
import type { Finding } from '../explore/campaign.js';
import { describeFinding } from './explore.js';

const HELP = `Usage: cgosim merge FILE... [--json]

Combines campaign journals written by "cgosim explore --out" (for example one per --shard) into
one report: every distinct finding once, with the runs of all journals added up.
With --json: one "finding" line per distinct finding, then a "summary" line.

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
  const texts = p.positionals.map((f) => {
    try { return readFileSync(f, 'utf8'); } catch (e) { throw new UsageError(`${f}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  });
  const m = mergeJournals(texts);
  const summary = { type: 'summary', runs: m.runs, findings: m.findings.length, files: m.files, invalid: m.invalid };
  if (flagged(p, 'json')) {
    for (const f of m.findings) process.stdout.write(`${JSON.stringify(f)}\n`);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    for (const f of m.findings) process.stdout.write(`${describeFinding(f)}\n`);
    process.stdout.write(`${m.files} journal(s), ${m.runs} completed runs, ${m.findings.length} distinct finding(s)\n`);
  }
  return m.findings.length > 0 ? 1 : 0;
}

export const mergeCommand: Command = { help: HELP, options: { json: { type: 'boolean' } }, run: merge };
