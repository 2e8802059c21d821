// Checking a result against a scenario's `expect` table: by profile name, then "*".

import { resolveProfile, type ProfileName } from '../model/profiles.js';
import type { Expectation, RunResult } from '../api/types.js';

/**
 * The expectation a scenario states for a run, if any: the key naming what was run (a profile, or
 * the release asked for), then release keys that stand for exactly the same flags, then "*".
 */
export function expectationFor(expect: Record<string, Expectation> | undefined, profile: ProfileName, release?: string): Expectation | undefined {
  if (!expect) return undefined;
  const ran = release ?? profile;
  if (expect[ran] !== undefined) return expect[ran];
  const same = (k: string) => {
    const a = resolveProfile(k);
    const b = resolveProfile(ran);
    return a !== undefined && b !== undefined && a.profile === b.profile && JSON.stringify(a.overrides) === JSON.stringify(b.overrides);
  };
  for (const [k, v] of Object.entries(expect)) if (k !== '*' && same(k)) return v;
  return expect['*'];
}

/** Mismatches between a result and an expectation, as readable lines; empty when it holds. */
export function checkExpectation(result: RunResult, e: Expectation): string[] {
  const problems: string[] = [];
  const want = typeof e === 'string' ? { verdict: e } : e;
  const verdict = want.verdict ?? (want.fatal !== undefined || want.crash !== undefined ? 'crash' : undefined);
  if (verdict !== undefined && result.verdict !== verdict) {
    problems.push(`verdict ${result.verdict}${result.fatal ? ` (${result.fatal})` : ''}${result.error ? ` (${result.error.message})` : ''}, expected ${verdict}`);
  }
  if (want.fatal !== undefined && result.fatal !== want.fatal) problems.push(`fatal ${JSON.stringify(result.fatal)}, expected ${JSON.stringify(want.fatal)}`);
  if (want.crash !== undefined && result.crash !== want.crash) problems.push(`crash ${JSON.stringify(result.crash)}, expected ${JSON.stringify(want.crash)}`);
  if (want.exitCode !== undefined && result.exitCode !== want.exitCode) problems.push(`exit code ${result.exitCode}, expected ${want.exitCode}`);
  if (want.output !== undefined && !(result.output ?? '').includes(want.output)) problems.push(`output lacks ${JSON.stringify(want.output)}`);
  if (want.note !== undefined && !(result.note ?? '').includes(want.note)) problems.push(`note lacks ${JSON.stringify(want.note)}`);
  for (const [name, n] of Object.entries(want.counters ?? {})) {
    const got = result.counters[name as keyof RunResult['counters']];
    if (got !== n) problems.push(`counter ${name} = ${got}, expected ${n}`);
  }
  return problems;
}
