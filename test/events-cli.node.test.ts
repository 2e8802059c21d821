// A crash at the end of a long run shows in `run --events` and in `run --trace`.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lateCrash } from './helpers.js';

const CLI = new URL('../dist/src/cli/main.js', import.meta.url).pathname;

describe('a late crash in the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cgosim-events-'));
  const file = join(dir, 'late.json');
  writeFileSync(file, JSON.stringify(lateCrash()));

  it('--events shows the gap, then the crash as the last row', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--events'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.find((l) => /^ {2}events: \d+ in all, 65536 kept/.test(l))).toBeDefined();
    expect(lines.filter((l) => /^ {2}… \d+ events omitted/.test(l))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^\s+\d+\s+steps\[4\]\s+T1\s+\S+\s+crash\s+crash: morestack on g0 \(check morestack-g0\)$/);
    // The header row names the columns.
    expect(lines.find((l) => /^\s+#\s+step\s+thread\s+M\s+event\s+what happened$/.test(l))).toBeDefined();
  });

  it('--trace has the gap and the crash, with its check and fatal text in the args', () => {
    const out = join(dir, 'late.trace.json');
    const r = spawnSync(process.execPath, [CLI, 'run', file, '--trace', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const trace = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { name: string; args?: Record<string, unknown> }[]; otherData: Record<string, unknown> };
    expect(trace.otherData).toMatchObject({ eventsTruncated: true, crash: 'morestack-g0' });
    const crash = trace.traceEvents.filter((e) => e.args?.crash !== undefined);
    expect(crash).toHaveLength(1);
    expect(crash[0]!.args).toMatchObject({ crash: 'morestack-g0', fatal: 'morestack on g0' });
    expect(trace.traceEvents.some((e) => typeof e.args?.omitted === 'number' && (e.args.omitted as number) > 800_000)).toBe(true);
  });
});
