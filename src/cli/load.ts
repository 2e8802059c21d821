// Loading scenario files for the commands that run them: a file that cannot be read or is not a
// valid scenario still gives one result per profile (verdict "invalid", the error naming the file
// and the field), so --json prints one object per file and profile and repro gives it a row.

import { parseScenarioText } from '../api/node.js';
import { InputError, readInput, type InputLimits } from '../api/input.js';
import { ScenarioError } from '../api/errors.js';
import { flagSet, resolveProfile } from '../model/profiles.js';
import { baseResult, nameRun } from '../report/result.js';
import type { RunResult, Scenario } from '../api/types.js';

export type Loaded = { scenario: Scenario; error?: undefined } | { scenario?: undefined; error: ScenarioError; name: string; profile: string | undefined };

/** Reads a scenario file (or "-", standard input) once, within the input limits, and validates it. */
export function loadForRun(file: string, limits: InputLimits = {}): Loaded {
  const label = file === '-' ? '(stdin)' : file;
  let text: string;
  try {
    text = readInput(file, limits);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: new ScenarioError('', e.reason, label), name: label, profile: undefined };
  }
  try {
    return { scenario: parseScenarioText(text, label) };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // What the document says of itself, where it can be read at all: its name and profile.
    let doc: { name?: unknown; profile?: unknown } = {};
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch { /* malformed: the file name stands in */ }
    const name = typeof doc?.name === 'string' && doc.name !== '' ? doc.name : label;
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
