// Campaigns as a user runs them (the built CLI): shards are disjoint and add up to the unsharded
// campaign, merge dedupes them, --resume after kill -9 loses and repeats nothing, and worker
// threads find what one thread finds.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_RUNS, globalIndex } from '../src/explore/campaign.js';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cgosim-explore-'));
const BASE = ['explore', '--profile', 'go1.23.0', '--seed', '7', '--workers', '1'];
/** A campaign of ten chunks, to kill in the middle. */
const RUNS = 10 * CHUNK_RUNS;

function cgosim(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

type Rec = { type: string; signature?: string; index?: number; chunk?: number; runs?: number; scenario?: unknown };
const lines = (text: string): Rec[] => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Rec);
const journal = (file: string) => lines(readFileSync(file, 'utf8'));
const findings = (recs: Rec[]) => recs.filter((r) => r.type === 'finding').map((r) => `${r.index} ${r.signature}`).sort();

describe('shards', () => {
  it('take disjoint run numbers that together are exactly the unsharded campaign', () => {
    const n = 3000;
    const seen = new Map<number, number>();
    for (let k = 1; k <= 4; k++) {
      for (let j = 0; globalIndex(j, [k, 4]) < n; j++) seen.set(globalIndex(j, [k, 4]), (seen.get(globalIndex(j, [k, 4])) ?? 0) + 1);
    }
    expect(seen.size).toBe(n);
    expect([...seen.values()].every((c) => c === 1)).toBe(true);
    expect(Math.max(...seen.keys())).toBe(n - 1);
  });

  it('merged shard journals equal the unsharded campaign, finding for finding', () => {
    const whole = cgosim(...BASE, '--runs', '900', '--json', '--out', join(dir, 'whole.jsonl'));
    expect(whole.code, whole.err).toBe(1);
    const parts = [1, 2, 3].map((k) => {
      const f = join(dir, `shard${k}.jsonl`);
      const r = cgosim(...BASE, '--runs', '900', '--shard', `${k}/3`, '--out', f, '--json');
      expect([0, 1]).toContain(r.code);
      expect(lines(r.out).at(-1)!.runs).toBe(300);
      return f;
    });
    const merged = cgosim('merge', ...parts, '--json');
    const m = lines(merged.out);
    expect(m.at(-1)).toMatchObject({ type: 'summary', runs: 900 });
    expect(findings(m)).toEqual(findings(lines(whole.out)));
    expect(findings(m).length).toBeGreaterThan(1);
    // The shrunk scenarios are the same too: shrinking is deterministic.
    const bySig = (recs: Rec[]) => Object.fromEntries(recs.filter((r) => r.type === 'finding').map((r) => [r.signature, r.scenario]));
    expect(bySig(m)).toEqual(bySig(lines(whole.out)));
  }, 120_000);
});

describe('--resume', () => {
  it('after kill -9 in the middle, nothing already found is lost or repeated', async () => {
    const ref = cgosim(...BASE, '--runs', String(RUNS), '--json');
    const expected = lines(ref.out).filter((r) => r.type === 'finding').map((r) => r.signature).sort();
    const file = join(dir, 'killed.jsonl');
    const child = spawn(process.execPath, [CLI, ...BASE, '--runs', String(RUNS), '--out', file], { stdio: 'ignore' });
    // Kill it once it has finished some chunks but not all of them.
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
        const done = (text.match(/"type":"chunk"/g) ?? []).length;
        if (done >= 3) { clearInterval(poll); child.kill('SIGKILL'); resolve(); }
        if (Date.now() - t0 > 60_000 || /"type":"summary"/.test(text)) { clearInterval(poll); child.kill('SIGKILL'); reject(new Error('the campaign ended before it could be killed')); }
      }, 5);
    });
    await new Promise((r) => child.on('exit', r));
    const before = journal(file);
    expect(before.some((r) => r.type === 'summary')).toBe(false);
    const chunksBefore = before.filter((r) => r.type === 'chunk').length;
    expect(chunksBefore).toBeLessThan(10);
    const resumed = cgosim(...BASE, '--runs', String(RUNS), '--resume', file, '--json');
    expect([0, 1]).toContain(resumed.code);
    const after = journal(file);
    const found = after.filter((r) => r.type === 'finding').map((r) => r.signature!);
    expect(new Set(found).size).toBe(found.length);
    expect([...found].sort()).toEqual(expected);
    const chunks = after.filter((r) => r.type === 'chunk').map((r) => r.chunk!);
    expect(new Set(chunks).size).toBe(chunks.length);
    expect(chunks.length).toBe(10);
    expect(chunks.reduce((a, c) => a + c, 0)).toBe((10) * (10 - 1) / 2);
    const summary = lines(resumed.out).at(-1)!;
    expect(summary).toMatchObject({ type: 'summary' });
    expect((summary as { resumedRuns?: number }).resumedRuns).toBe(chunksBefore * CHUNK_RUNS);
  }, 120_000);

  it('refuses a journal of another campaign', () => {
    const file = join(dir, 'other.jsonl');
    cgosim(...BASE, '--runs', '10', '--out', file);
    const r = cgosim('explore', '--profile', 'go1.21.0', '--seed', '7', '--workers', '1', '--runs', '10', '--resume', file);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/journal is of another campaign/);
  });
});

describe('--workers', () => {
  it('two worker threads find the same signatures as one', () => {
    const runs = String(3 * CHUNK_RUNS);
    const one = cgosim(...BASE, '--runs', runs, '--json');
    const two = cgosim('explore', '--profile', 'go1.23.0', '--seed', '7', '--workers', '2', '--runs', runs, '--json');
    const sigs = (o: string) => lines(o).filter((r) => r.type === 'finding').map((r) => r.signature).sort();
    expect(sigs(two.out)).toEqual(sigs(one.out));
    expect(lines(two.out).at(-1)).toMatchObject({ type: 'summary', runs: 3 * CHUNK_RUNS, workers: 2 });
  }, 120_000);
});

describe('CLI', () => {
  it('explore --help, usage errors, and no progress when stderr is not a terminal', () => {
    expect(cgosim('explore', '--help').out).toMatch(/--shard K\/N/);
    const bad = cgosim('explore', '--profile', 'go1.22.0', '--shard', '4/3');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--shard takes K\/N/);
    expect(cgosim('explore', '--seed', '1').err).toMatch(/--profile is required/);
    const r = cgosim(...BASE, '--runs', '50');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/50 runs in/);
  });

  it('diff prints where two profiles part ways', () => {
    const s03 = new URL('../scenarios/regressions/s03-partial-overlap-g1-62440.json', import.meta.url).pathname;
    const r = cgosim('diff', s03, '--profiles', 'go1.22.0,go1.22.5');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/part ways at event/);
    expect(r.out).toMatch(/go1\.22\.0:\n {4}event: {2}steps\[1\] T1 extraM1 g0 bounds kept/);
    // The M the divergence happens on, found by its name in the state.
    expect(r.out).toMatch(/^ {4}M: {6}\{"name":"extraM1",/m);
  });
});
