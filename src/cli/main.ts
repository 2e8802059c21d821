#!/usr/bin/env node
// cgosim's command line: the command table and dispatch. Each command lives in its own file
// (run.ts, repro.ts, …) with its options and --help text; args.ts parses with node:util parseArgs.

import { OutputError, err, installOutputGuards, out } from './io.js';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OptionsError, ScenarioError } from '../api/errors.js';
import { UsageError, parseCommandArgs, type Command } from './args.js';
import { runCommand } from './run.js';
import { reproCommand } from './repro.js';
import { profilesCommand } from './profiles.js';
import { pointsCommand } from './points.js';
import { exploreCommand } from './explore.js';
import { diffCommand } from './diff.js';
import { mergeCommand } from './merge.js';

export { bundledScenarioDir } from './repro.js';

/** The commands, in the order --help lists them, with their one-line summaries. */
export const COMMANDS: Record<string, { summary: string; command: Command }> = {
  run: { summary: 'run scenario files under one or more runtime profiles', command: runCommand },
  repro: { summary: 'run the bundled regression scenarios across every profile (a verdict table)', command: reproCommand },
  profiles: { summary: 'list the runtime profiles and their feature flags', command: profilesCommand },
  points: { summary: 'list the interleaving points a scenario\'s "at" can pin', command: pointsCommand },
  explore: { summary: 'search generated scenarios for crashes and profile differences; shrink each', command: exploreCommand },
  diff: { summary: 'the first event where two profiles\' runs of one scenario part ways', command: diffCommand },
  merge: { summary: 'combine campaign journals (shards) into one deduplicated report', command: mergeCommand },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return `cgosim: a deterministic simulator of the Go runtime's cgo callback and stack machinery

Usage: cgosim <command> [options]
       cgosim --version

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`).join('\n')}

Run "cgosim <command> --help" for a command's options.`;
}

/** The package's version, from package.json beside dist/ (the package) or src/ (from source). */
export function version(): string {
  for (const rel of ['../../package.json', '../../../package.json']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'cgosim' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      out(`${mainHelp()}\n`);
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-V' || name === 'version') {
      out(`cgosim ${version()}\n`);
      return 0;
    }
    const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!entry) throw new UsageError(name.startsWith('-') ? `unknown option ${name}; options come after the command` : `unknown command ${name}`);
    const args = parseCommandArgs(entry.command, rest);
    if (args.values.help === true) {
      out(`${entry.command.help}\n`);
      return 0;
    }
    return await entry.command.run(args);
  } catch (e) {
    if (e instanceof UsageError) {
      const known = name !== undefined && Object.hasOwn(COMMANDS, name);
      err(`cgosim: ${e.message}\nRun "cgosim ${known ? `${name} ` : ''}--help" for usage.\n`);
      return 2;
    }
    if (e instanceof ScenarioError || e instanceof OptionsError || e instanceof OutputError) {
      err(`cgosim: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

// Run when executed directly (not when imported by the tests).
if (process.argv[1] && existsSync(process.argv[1]) && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  installOutputGuards();
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
    err(`cgosim: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 3;
  });
}
