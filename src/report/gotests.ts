// The README's table of Go's own cgo tests expressed as scenarios (scenarios/go-tests/): one row per
// file, made from its `goTest` field (what the test is, how fully the scenario expresses it, what is
// approximated) and its `expect` (the verdicts per profile, runs of equal ones joined). Both helpers
// that add go-tests files add rows by adding files; `npm run generate` writes the table.

import type { Expectation, Scenario } from '../api/types.js';
import { PROFILE_NAMES } from '../model/profiles.js';
import { expectationFor } from '../scenario/expect.js';

/** One expectation in a few words. */
function shortExpect(e: Expectation | undefined): string {
  if (e === undefined) return '–';
  if (typeof e === 'string') return e;
  const verdict = e.verdict ?? (e.fatal !== undefined || e.crash !== undefined ? 'crash' : 'ok');
  const what = e.fatal ?? e.crash;
  return what ? `${verdict}: ${what}` : verdict;
}

/** The expectations per profile, runs of equal ones joined: "go1.17rc1–go1.22.5 ok; go1.23.0+ crash: …". */
export function expectSummary(expect: Scenario['expect']): string {
  const runs: { first: string; last: string; text: string }[] = [];
  for (const p of PROFILE_NAMES) {
    const text = shortExpect(expectationFor(expect, p));
    const last = runs.at(-1);
    if (last && last.text === text) last.last = p;
    else runs.push({ first: p, last: p, text });
  }
  if (runs.length === 1) return runs[0]!.text;
  return runs.map((r, i) => {
    const span = r.first === r.last ? r.first : i === runs.length - 1 ? `${r.first}+` : `${r.first}–${r.last}`;
    return `${span} ${r.text}`;
  }).join('; ');
}

const cell = (s: string | undefined): string => (s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table, from the go-tests files as [file name, scenario], in file-name order. */
export function goTestsMarkdown(files: readonly (readonly [string, Scenario])[]): string {
  const rows = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, s]) => {
    const g = s.goTest;
    if (!g) throw new Error(`scenarios/go-tests/${file} has no goTest field`);
    return `| [${cell(g.test)}](scenarios/go-tests/${file}) | ${cell(g.program)}${g.issue ? ` (${cell(g.issue)})` : ''} | ${g.expressed} | ${cell(expectSummary(s.expect))} | ${cell(g.notes)} |`;
  });
  return ['| test | program | expressed | expected | notes: what is approximated, and why |', '|---|---|---|---|---|', ...rows].join('\n');
}
