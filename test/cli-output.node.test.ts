// What the CLI prints, beyond verdicts: the repro table fits 120 columns and explains its codes, a
// bad file gets its row (and its JSON objects) while the rest runs, --json has one shape, --state
// is tables.

import { spawnSync } from 'node:child_process';
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

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cgosim-out-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = JSON.stringify({ format: 1, name: 'good', steps: [{ op: 'thread', id: 'T', stack: ['0x800000', '0x880000'] }], expect: { '*': 'ok' } });

describe('CLI output', () => {
  it('the repro table fits 120 columns, and its legend explains every code it uses', () => {
    const r = cgosim('repro');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(120);
    const end = lines.indexOf('');
    const codes = new Set(lines.slice(2, end).flatMap((l) => l.trim().split(/\s{2,}/).slice(1)).map((c) => c.replace(/[!?]$/, '')));
    const legend = lines.slice(lines.findIndex((l) => l.includes('Legend:')) + 1).filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    for (const c of codes) expect(legend, c).toContain(c);
  });

  it('repro gives a bad file its row and message, runs the rest, and exits 2', () => {
    const dir = dirWith({ 'a-good.json': GOOD, 'b-bad.json': '{"format": 1, "name": "bad", "steps": [{ "op": "thred" }]}' });
    const r = cgosim('repro', '--dir', dir);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/^good\s+ok\s+ok/m);
    expect(r.out).toMatch(/^bad(\s+INV){9}$/m);
    expect(r.out).toMatch(/Not a valid scenario: .*b-bad\.json: steps\[0\]\.op: unknown op "thred"/);
    const j = cgosim('repro', '--dir', dir, '--json');
    const rows = j.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(18);
    expect(rows.filter((x) => x.verdict === 'invalid').every((x) => (x.error as { path: string }).path === 'steps[0].op')).toBe(true);
  });

  it('--json prints one object per file and profile, invalid files included, with one shape of step', () => {
    const dir = dirWith({ 'bad.json': '{"format": 1,', 'wrong.json': '{"format": 1, "name": "wrong", "profile": "go1.22.0", "steps": 3}' });
    const r = cgosim('run', S01, join(dir, 'bad.json'), join(dir, 'wrong.json'), join(dir, 'missing.json'), '--profile', 'go1.21.0,tip', '--json');
    expect(r.code).toBe(2);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x.scenario, x.profile, x.verdict])).toEqual([
      ['S01-stack-switch-callback', 'go1.21.0', 'crash'], ['S01-stack-switch-callback', 'tip', 'ok'],
      [join(dir, 'bad.json'), 'go1.21.0', 'invalid'], [join(dir, 'bad.json'), 'tip', 'invalid'],
      ['wrong', 'go1.21.0', 'invalid'], ['wrong', 'tip', 'invalid'],
      [join(dir, 'missing.json'), 'go1.21.0', 'invalid'], [join(dir, 'missing.json'), 'tip', 'invalid'],
    ]);
    expect((rows[4]!.error as { message: string }).message).toMatch(/wrong\.json: steps: must be an array/);
    expect(rows[0]!.step).toBe(5);
    expect(rows[0]!.stepPath).toBe('steps[5]');
    const repro = cgosim('repro', '--json').out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const crashed = repro.find((x) => x.verdict === 'crash' && x.fatal !== undefined)!;
    expect(typeof crashed.step).toBe('number');
    expect(typeof crashed.stepPath).toBe('string');
    expect(Object.keys(crashed)).toEqual(expect.arrayContaining(Object.keys(rows[0]!)));
  });

  it('--state prints the final records as tables', () => {
    const r = cgosim('run', S01, '--profile', 'go1.21.7', '--state');
    expect(r.out).toMatch(/^ {2}Ms:\n {4}M\s+m\.id\s+thread\s+g0 bounds \[lo, hi\]/m);
    expect(r.out).toMatch(/^ {4}extraM1\s+1\s/m);
    expect(r.out).toMatch(/^ {2}Threads:\n {4}thread\s+tid\s+state\s+M\s+sp/m);
    expect(r.out).toMatch(/^ {2}Extra-M list \(next to be taken first\): extraM/m);
    expect(r.out).not.toMatch(/^\s*[{}]/m);
  });
});
