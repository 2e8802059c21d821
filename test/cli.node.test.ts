// The CLI as a user runs it: the built dist/src/cli/main.js in a child process.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const S01 = new URL('../scenarios/regressions/s01-stack-switch-callback-62440.json', import.meta.url).pathname;

function cgosim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('cgosim CLI', () => {
  it('repro prints the verdict table and exits 0 when everything matches', () => {
    const r = cgosim('repro');
    expect(r.code).toBe(0);
    const row = r.out.split('\n').find((l) => l.startsWith('S01-stack-switch-callback'))!;
    expect(row.split(/\s+/).slice(1)).toEqual(['ok', 'ok', 'G0', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const g1 = r.out.split('\n').find((l) => l.startsWith('S03-partial-overlap-G1'))!;
    expect(g1.split(/\s+/).slice(1)).toEqual(['ok', 'ok', 'G0', 'G0', 'G0', 'ok', 'ok', 'ok', 'ok']);
    expect(r.out).toMatch(/All \d+ checked verdicts match/);
  });

  it('repro exits 1 when a verdict differs from expect', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgosim-'));
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({
      format: 1, name: 'wrong', steps: [{ op: 'thread', id: 'T', stack: ['0x800000', '0x880000'] }], expect: { '*': 'crash' },
    }));
    const r = cgosim('repro', '--dir', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/ok!/);
  });

  it('run --json prints one JSON line per profile', () => {
    const r = cgosim('run', S01, '--profile', 'go1.21.0,tip', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.profile, l.verdict, l.fatal])).toEqual([['go1.21.0', 'crash', 'morestack on g0'], ['tip', 'ok', undefined]]);
    expect(lines[0].step).toBe(5);
  });

  it('run --check passes on the bundled expectations and --flag changes the model', () => {
    expect(cgosim('run', S01, '--profile', 'all', '--check').code).toBe(0);
    const r = cgosim('run', S01, '--profile', 'go1.21.7', '--flag', 'CB_UPDATE_V1=off', '--check');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/check: FAIL/);
  });

  it('run --events explains the verdict', () => {
    const r = cgosim('run', S01, '--profile', 'go1.21.0', '--events');
    expect(r.out).toMatch(/_cgo_getstackbound → \[0x800000, 0x880000\)/);
    expect(r.out).toMatch(/g0 split check sp=0x50fd00 guard=0x8003a0: FAILS/);
    expect(r.out).not.toMatch(/g0-frames|c-frames/);
  });

  it('run --physical --events: the check at its real depth, and the g0 frames with their bytes', () => {
    const r = cgosim('run', S01, '--profile', 'go1.21.0', '--events', '--physical');
    // exitsyscallfast.func1's check at its entry SP, 8 bytes below SP_cb (the sp the scenario gives).
    expect(r.out).toMatch(/g0 split check sp=0x50fdf8 guard=0x8003a0: FAILS/);
    expect(r.out).toMatch(/g0-frames .*runtime\.needm: g0 frames: 3760 bytes below g0\.sched\.sp/);
    const off = cgosim('run', S01, '--profile', 'go1.21.0', '--json', '--no-physical');
    expect(JSON.parse(off.out).physical).toBeUndefined();
    expect(JSON.parse(cgosim('run', S01, '--profile', 'go1.21.0', '--json', '--physical').out).physical).toBe(true);
    expect(cgosim('run', S01, '--physical', '--no-physical').code).toBe(2);
  });

  it('bad usage and bad files exit 2 with a message', () => {
    expect(cgosim('run', S01, '--profile', 'go1.99').err).toMatch(/unknown profile go1\.99/);
    expect(cgosim('run', S01, '--flag', 'NOPE=on').code).toBe(2);
    expect(cgosim('frobnicate').code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'cgosim-'));
    writeFileSync(join(dir, 'bad.json'), '{"format": 1,');
    const r = cgosim('run', join(dir, 'bad.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: malformed JSON/);
  });

  it('every command has --help, and profiles lists the nine profiles', () => {
    for (const c of ['run', 'repro', 'profiles']) expect(cgosim(c, '--help').out).toMatch(new RegExp(`Usage: cgosim ${c}`));
    const p = execFileSync(process.execPath, [CLI, 'profiles', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(p).map((x: { name: string }) => x.name)).toEqual(['go1.17rc1', 'go1.17', 'go1.21.0', 'go1.21.7', 'go1.22.0', 'go1.22.5', 'go1.23.0', 'go1.23.1', 'tip']);
  });
});

describe('cgosim CLI input errors', () => {
  it('missing files, directories, bad numbers and empty profile lists exit 2 with a message, never a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgosim-'));
    for (const [args, message] of [
      [['run', join(dir, 'nope.json')], /nope\.json: no such file/],
      [['run', dir], /is a directory, not a scenario file/],
      [['run', S01, '--budget', '0'], /--budget must be an integer from 1/],
      [['run', S01, '--seed', '99999999999'], /--seed must be an integer from 0 to 4294967295/],
      [['run', S01, '--profile', ''], /--profile needs a profile/],
      [['run', S01, '--strategy', 'fair'], /--strategy must be random or pct/],
    ] as [string[], RegExp][]) {
      const r = cgosim(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('points lists the interleaving points and the return path per profile', () => {
    const r = cgosim('points');
    expect(r.code).toBe(0);
    expect(r.out).toContain('cgocallbackg1.defer-ctxt-pop');
    expect(r.out).toMatch(/go1\.17rc1 .*deferred unwindm -> unlockOSThread/);
  });
});
