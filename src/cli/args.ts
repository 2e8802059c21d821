// Argument parsing shared by the commands. Each command declares its options for node:util's
// parseArgs (built into Node, strict: unknown options and missing values are errors) and gets the
// parsed values back; this module turns parseArgs' errors into one-line usage errors and holds the
// option readers several commands share (numbers, --profile, --flag, --godebug).
//
// Why parseArgs and not commander or cac: it ships with Node (no runtime dependency for the
// package, whose only one is the Wasm loader), it is strict by default, and our help texts are
// written by hand anyway (they document units, defaults and exit statuses that generated help
// leaves out). Subcommand dispatch is a table in main.ts.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FLAG_NAMES, PROFILE_NAMES, resolveProfile, type FlagName } from '../model/profiles.js';
import { parseGodebug } from '../scenario/compile.js';
import { ScenarioError } from '../api/errors.js';

/** A usage mistake: printed as one line plus a pointer to --help, exit status 2. */
export class UsageError extends Error {}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  /** The command's --help text. */
  help: string;
  /** Its options (--help is added for every command). */
  options: OptionSpec;
  /** Runs the command on parsed arguments; resolves to the exit status. */
  run(args: ParsedArgs): Promise<number> | number;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** Parses a command's arguments strictly; parseArgs' errors become UsageErrors. */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (e) {
    throw new UsageError(usageMessage(e as Error & { code?: string }));
  }
}

function usageMessage(e: Error & { code?: string }): string {
  const quoted = /'([^']+)'/.exec(e.message)?.[1]?.replace(/ <value>$/, '');
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `unknown option ${quoted ?? e.message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /ambiguous/.test(e.message) ? `${quoted} needs a value (write ${quoted}=VALUE for one that starts with "-")` : `${quoted} needs a value`;
    default: return e.message;
  }
}

/** The last value of a string option (later ones override earlier ones). */
export function lastString(p: ParsedArgs, name: string): string | undefined {
  const v = p.values[name];
  const last = Array.isArray(v) ? v.at(-1) : v;
  return typeof last === 'string' ? last : undefined;
}

/** Every value of a repeatable string option. */
export function allStrings(p: ParsedArgs, name: string): string[] {
  const v = p.values[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

export function flagged(p: ParsedArgs, name: string): boolean {
  return p.values[name] === true;
}

/** --physical / --no-physical: the physical model on or off for every run; undefined: each scenario's own. */
export function physicalOption(p: ParsedArgs): boolean | undefined {
  const on = flagged(p, 'physical');
  const off = flagged(p, 'no-physical');
  if (on && off) throw new UsageError('--physical and --no-physical contradict each other');
  return on ? true : off ? false : undefined;
}

export function intOption(p: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const v = lastString(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${v}`);
  return Number(v);
}

/** --flag NAME=on|off, repeatable. */
export function flagOverrides(p: ParsedArgs): Partial<Record<FlagName, boolean>> {
  const out: Partial<Record<FlagName, boolean>> = {};
  for (const f of allStrings(p, 'flag')) {
    const m = /^([A-Za-z0-9_]+)=(on|off|true|false|1|0)$/.exec(f);
    if (!m) throw new UsageError(`--flag takes NAME=on|off, got ${f}`);
    const name = m[1]!.toUpperCase();
    if (!(FLAG_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown flag ${m[1]}; see "cgosim profiles --flags"`);
    out[name as FlagName] = ['on', 'true', '1'].includes(m[2]!);
  }
  return out;
}

/** --profile: a profile, a release, a comma-separated list or "all" (any case). */
export function profileList(spec: string | undefined): string[] | undefined {
  if (spec === undefined) return undefined;
  if (spec.trim().toLowerCase() === 'all') return [...PROFILE_NAMES];
  const list = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--profile needs a profile, a release, a comma-separated list or "all"');
  for (const p of list) {
    if (!resolveProfile(p)) throw new UsageError(`unknown profile ${p}; profiles: ${PROFILE_NAMES.join(', ')}, a release such as go1.22.3, or "all"`);
  }
  return list;
}

/**
 * The GODEBUG settings for a run: the GODEBUG environment variable, then --godebug (repeatable),
 * later ones winning, both on top of the scenario's own "godebug". Like Go, the environment
 * variable may hold settings of other packages: the ones the model does not act on are skipped
 * with a note on stderr. --godebug is for the model only, so an unknown name there is an error.
 */
export function godebugOption(p: ParsedArgs, env: string | undefined, warn: (line: string) => void): string | undefined {
  const parts: string[] = [];
  for (const part of (env ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    try {
      parseGodebug(part, 'GODEBUG');
      parts.push(part);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      warn(`cgosim: GODEBUG: skipping ${JSON.stringify(part)}: ${e.detail.replace(/^"[^"]*": /, '')}`);
    }
  }
  for (const text of allStrings(p, 'godebug')) {
    try {
      parseGodebug(text, '--godebug');
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      throw new UsageError(`--godebug: ${e.detail}`);
    }
    parts.push(...text.split(',').map((s) => s.trim()).filter(Boolean));
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}
