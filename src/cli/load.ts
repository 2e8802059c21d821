// Loading scenario files for the commands that run them: a file that cannot be read or is not a
// valid scenario still gives one result per profile (verdict "invalid", the error naming the file
// and the field), so --json prints one object per file and profile and repro gives it a row.

import { readFileSync } from 'node:fs';
import { loadScenarioFile } from '../api/node.js';
import { ScenarioError } from '../api/errors.js';
import { flagSet, resolveProfile } from '../model/profiles.js';
import { baseResult, nameRun } from '../report/result.js';
import type { RunResult, Scenario } from '../api/types.js';

export type Loaded = { scenario: Scenario; error?: undefined } | { scenario?: undefined; error: ScenarioError; name: string; profile: string | undefined };

export function loadForRun(file: string): Loaded {
  try {
    return { scenario: loadScenarioFile(file) };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // What the document says of itself, where it can be read at all: its name and profile.
    let doc: { name?: unknown; profile?: unknown } = {};
    try {
      doc = JSON.parse(readFileSync(file === '-' ? 0 : file, 'utf8')) as typeof doc;
    } catch { /* unreadable or malformed: the file name stands in */ }
    const name = typeof doc?.name === 'string' && doc.name !== '' ? doc.name : file === '-' ? '(stdin)' : file;
    const profile = typeof doc?.profile === 'string' && resolveProfile(doc.profile) ? doc.profile : undefined;
    return { error: e, name, profile };
  }
}

/** The result of running a file that could not be loaded, under one profile. */
export function invalidFileResult(loaded: Extract<Loaded, { error: ScenarioError }>, asked: string): RunResult {
  const resolved = resolveProfile(asked) ?? { profile: 'tip' as const, overrides: {} };
  const flags = flagSet(resolved.profile, resolved.overrides);
  const r = baseResult({ name: loaded.name, profile: resolved.profile, flags, platform: 'glibc', seed: 1 }, 'invalid');
  const release = asked.trim().toLowerCase();
  nameRun(r, { profile: resolved.profile, flags, release: release !== resolved.profile ? release : undefined, godebug: {} });
  r.error = { code: loaded.error.code, message: loaded.error.message, path: loaded.error.path };
  return r;
}
