// The command line's parsing (node:util parseArgs behind one command table): --version, "-" for
// standard input, profile names in any case, --godebug and the GODEBUG environment variable.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const S01 = new URL('../scenarios/regressions/s01-stack-switch-callback-62440.json', import.meta.url).pathname;
const S16 = new URL('../scenarios/mutations/s16-ownership-check-mutation.json', import.meta.url).pathname;

function cgosim(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...opts.env };
  if (!opts.env?.GODEBUG) delete env.GODEBUG;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: opts.input ?? '', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** S16 without its own "godebug": the ownership check is then off unless a run turns it on. */
const s16NoGodebug = (() => {
  const doc = JSON.parse(readFileSync(S16, 'utf8')) as Record<string, unknown>;
  delete doc.godebug;
  return JSON.stringify(doc);
})();

describe('cgosim command line parsing', () => {
  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = cgosim(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`cgosim ${pkg.version}\n`);
  });

  it('"-" reads a scenario from standard input, and names it (stdin) in errors', () => {
    const r = cgosim(['run', '-', '--profile', 'go1.21.0', '--json'], { input: readFileSync(S01, 'utf8') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).fatal).toBe('morestack on g0');
    const bad = cgosim(['run', '-'], { input: '{"format": 1' });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^cgosim: \(stdin\): malformed JSON/);
    expect(cgosim(['run', '-', '-']).err).toMatch(/may be given once/);
  });

  it('profile names are case-insensitive, and resolve to the same runs', () => {
    const lower = JSON.parse(cgosim(['run', S01, '--profile', 'go1.21.0', '--json']).out);
    const upper = JSON.parse(cgosim(['run', S01, '--profile', 'GO1.21.0', '--json']).out);
    expect(upper.profile).toBe('go1.21.0');
    expect(upper.release).toBeUndefined();
    expect(upper.traceHash).toBe(lower.traceHash);
    expect(cgosim(['run', S01, '--profile', 'ALL', '--json']).out.trim().split('\n')).toHaveLength(9);
    expect(JSON.parse(cgosim(['run', S01, '--profile', 'Go1.22.3', '--json']).out).profile).toBe('go1.22.0');
  });

  it('--godebug and the GODEBUG environment variable turn a setting on, --godebug winning', () => {
    const run = (args: string[], env?: Record<string, string>) =>
      JSON.parse(cgosim(['run', '-', '--profile', 'go1.22.0', '--json', ...args], { input: s16NoGodebug, ...(env ? { env } : {}) }).out);
    expect(run([]).verdict).toBe('ok');
    expect(run(['--godebug', 'tracecheckstackownership=1']).crash).toBe('trace-stack-ownership');
    expect(run([], { GODEBUG: 'tracecheckstackownership=1' }).crash).toBe('trace-stack-ownership');
    expect(run(['--godebug', 'tracecheckstackownership=0'], { GODEBUG: 'tracecheckstackownership=1' }).verdict).toBe('ok');
  });

  it('GODEBUG settings the model does not know are skipped with a note; on --godebug they are errors', () => {
    const r = cgosim(['run', S01, '--profile', 'tip'], { env: { GODEBUG: 'http2client=0' } });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/GODEBUG: skipping "http2client=0": unknown setting/);
    for (const [arg, message] of [
      ['foo=1', /--godebug: unknown setting "foo"/],
      ['cgocheck=1', /--godebug: setting "cgocheck" is a real GODEBUG setting the model does not act on/],
      ['gcshrinkstackoff', /is not name=value/],
    ] as const) {
      const bad = cgosim(['run', S01, '--godebug', arg]);
      expect(bad.code, arg).toBe(2);
      expect(bad.err).toMatch(message);
    }
  });

  it('usage errors are one line plus a pointer to --help', () => {
    for (const [args, message] of [
      [['run', S01, '--bogus'], /^cgosim: unknown option --bogus\nRun "cgosim run --help" for usage\.\n$/],
      [['run', S01, '--profile'], /^cgosim: --profile needs a value\n/],
      [['--json'], /^cgosim: unknown option --json; options come after the command\n/],
      [['profiles', 'extra'], /^cgosim: profiles takes no arguments/],
      [['points', 'extra'], /^cgosim: points takes no arguments \(got extra\)/],
    ] as [string[], RegExp][]) {
      const r = cgosim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });
});
