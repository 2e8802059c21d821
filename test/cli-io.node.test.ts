// Issue 16 items 3-4 and issue 12 items 5/7: every CLI write is checked (exit 2 with one line for an
// I/O error, a quiet exit 0 when the reader of stdout has gone) and every read is bounded (a size cap,
// a timeout for pipes, FIFOs and devices that send nothing).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const S01 = new URL('../scenarios/regressions/s01-stack-switch-callback-62440.json', import.meta.url).pathname;

function cgosim(args: string[], opts: { input?: string; stdout?: number } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: opts.input, timeout: 30_000, ...(opts.stdout !== undefined ? { stdio: ['pipe', opts.stdout, 'pipe'] } : {}) });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr };
}

/** Runs the CLI with stdout into a pipe whose reader takes one line and closes it (`| head -1`). */
function intoHead(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += String(d); });
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, err }));
  });
}

function oneLine(err: string): void {
  expect(err.trimEnd().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/\n\s+at /);
}

describe('CLI writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cgosim-io-'));
  /** A small campaign journal, written once. */
  const journal = (): string => {
    const file = join(dir, 'j.jsonl');
    if (!existsSync(file)) expect(cgosim(['explore', '--profile', 'go1.21.7', '--runs', '64', '--workers', '1', '--out', file]).code).toBeLessThan(2);
    return file;
  };

  it('--trace into a missing directory, a directory, /dev/full or a read-only directory: exit 2, one line', () => {
    for (const [target, why] of [
      [join(dir, 'missing', 'x.json'), 'no such directory'],
      [dir, 'is a directory'],
      ['/dev/full', 'no space left on device'],
    ] as const) {
      const r = cgosim(['run', S01, '--trace', target]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`cgosim: cannot write ${target}: ${why}\n`);
    }
    const ro = join(dir, 'ro');
    execFileSync('mkdir', [ro]);
    chmodSync(ro, 0o555);
    const r = cgosim(['run', S01, '--trace', join(ro, 'x.json')]);
    if (process.getuid?.() !== 0) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^cgosim: cannot write .*: permission denied\n$/);
    } else {
      expect(r.code).toBe(0); // root writes anywhere
    }
    chmodSync(ro, 0o755);
  });

  it('stdout on /dev/full: exit 2, one line', () => {
    const full = openSync('/dev/full', 'w');
    const r = cgosim(['run', S01], { stdout: full });
    expect(r.code).toBe(2);
    expect(r.err).toBe('cgosim: cannot write to standard output: no space left on device\n');
  });

  it('run --events | head and repro --json | head: a quiet exit 0 when the reader has gone', async () => {
    for (const args of [['run', S01, '--events', '--profile', 'all'], ['repro', '--json'], ['profiles', '--flags'], ['points']]) {
      const r = await intoHead(args);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
    }
  }, 60_000);

  it('explore: a journal (--out) that cannot be written, or stdout on /dev/full: exit 2, one line', () => {
    const base = ['explore', '--profile', 'go1.21.7', '--runs', '64'];
    for (const workers of ['1', '2']) {
      const r = cgosim([...base, '--workers', workers, '--out', join(dir, 'missing', 'j.jsonl')]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`cgosim: cannot write ${join(dir, 'missing', 'j.jsonl')}: no such directory\n`);
      const full = cgosim([...base, '--workers', workers, '--out', '/dev/full']);
      expect(full.code).toBe(2);
      expect(full.err).toBe('cgosim: cannot write /dev/full: no space left on device\n');
    }
    const r = cgosim([...base, '--workers', '1', '--json'], { stdout: openSync('/dev/full', 'w') });
    expect(r.code).toBe(2);
    expect(r.err).toBe('cgosim: cannot write to standard output: no space left on device\n');
    const resume = cgosim([...base, '--workers', '1', '--resume', dir]);
    expect(resume.code).toBe(2);
    expect(resume.err.split('\n')[0]).toMatch(/^cgosim: --resume .*: cannot read and repair that journal \(EISDIR\)$/);
  }, 60_000);

  it('diff and merge: stdout on /dev/full gives exit 2 and one line; merge reads are bounded', () => {
    for (const args of [['diff', S01, '--profiles', 'go1.21.7,tip'], ['merge', journal()], ['merge', journal(), '--json']]) {
      const r = cgosim(args, { stdout: openSync('/dev/full', 'w') });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe('cgosim: cannot write to standard output: no space left on device\n');
    }
    const big = cgosim(['merge', journal(), '--max-input', '10']);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/^cgosim: .*j\.jsonl: is \d+ bytes, more than the 10 bytes input limit .*\n$/);
    oneLine(big.err);
  }, 60_000);

  it('explore | head, diff | head, merge | head: quiet (0 when the reader went before the end, else the usual status)', async () => {
    for (const args of [['explore', '--profile', 'go1.21.7', '--runs', '512', '--workers', '1'], ['diff', S01, '--profiles', 'go1.21.7,tip'], ['merge', journal()]]) {
      const r = await intoHead(args);
      expect([0, 1], args.join(' ')).toContain(r.code);
      expect(r.err).toBe('');
    }
  }, 60_000);

  it('every write of the CLI goes through src/cli/io.ts', () => {
    const cliDir = new URL('../src/cli/', import.meta.url).pathname;
    for (const f of readdirSync(cliDir).filter((x) => x.endsWith('.ts') && x !== 'io.ts')) {
      const text = readFileSync(join(cliDir, f), 'utf8');
      expect(text, f).not.toMatch(/process\.(stdout|stderr)\.write|writeFileSync|console\.(log|error)/);
    }
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});

describe('CLI reads', () => {
  it('/dev/zero gives the size cap, not a hang', () => {
    const r = cgosim(['run', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('cgosim: /dev/zero: gave more than the 32 MiB input limit (raise it with --max-input or maxBytes)\n');
    const small = cgosim(['run', S01, '--max-input', '100']);
    expect(small.err).toMatch(/is \d+ bytes, more than the 100 bytes input limit/);
  });

  it('a FIFO with no writer times out; one with a writer is read', async () => {
    const d = mkdtempSync(join(tmpdir(), 'cgosim-fifo-'));
    const fifo = join(d, 'f');
    execFileSync('mkfifo', [fifo]);
    const r = cgosim(['run', fifo]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`cgosim: ${fifo}: gave no data within 750 ms (a pipe with no writer?); raise the wait with --input-timeout\n`);
    const reader = spawn(process.execPath, [CLI, 'run', fifo, '--input-timeout', '20000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    reader.stdout.on('data', (x) => { out += String(x); });
    await new Promise((res) => setTimeout(res, 300));
    writeFileSync(fifo, readFileSync(S01));
    const code = await new Promise((res) => reader.on('close', res));
    expect(code).toBe(0);
    expect(out).toMatch(/^S01-stack-switch-callback {2}\[tip\] {2}OK/);
    rmSync(d, { recursive: true, force: true });
  }, 60_000);

  it('standard input is read with "-"', () => {
    const r = cgosim(['run', '-'], { input: readFileSync(S01, 'utf8') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK \(exit 0\)/);
  });

  it('errors are one line', () => {
    oneLine(cgosim(['run', '/dev/zero']).err);
  });
});
