// Files derived from the host's tables must match them: `npm run generate` rewrites them.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { CRASH, CRASHES, crashListMarkdown, formatCrash, INPUT_ERRORS, INVALID } from '../src/report/crashes.js';

function block(text: string, name: string): string {
  const open = `<!-- generated:${name} (npm run generate) -->\n`;
  const i = text.indexOf(open);
  const j = text.indexOf(`\n<!-- /generated:${name} -->`);
  expect(i, `README.md has the ${name} block`).toBeGreaterThanOrEqual(0);
  return text.slice(i + open.length, j);
}

it("the README's crash list is the crash table's (npm run generate)", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(block(readme, 'crashes')).toBe(crashListMarkdown());
  for (const e of CRASHES) expect(readme).toContain(`\`${e.name}\``);
});

it('the crash table has one entry per crash kind and one per input error, with distinct operand names', () => {
  expect(CRASHES.map((e) => e.kind).sort((a, b) => a - b)).toEqual(Object.values(CRASH).sort((a, b) => a - b));
  expect(INPUT_ERRORS.map((e) => e.code).sort((a, b) => a - b))
    .toEqual(Object.values(INVALID).filter((c) => c !== INVALID.OUTSIDE_WINDOW && c !== INVALID.NOT_IN_GO).sort((a, b) => a - b));
  for (const e of [...CRASHES, ...INPUT_ERRORS]) expect(new Set(e.operands).size).toBe(e.operands.length);
});

it('formatCrash picks the variant the flags select, and names an unknown kind', () => {
  const view = { fn: 0, compiled: { funcs: [], goMs: [], blocks: [] } as never, platform: 'glibc' as const, thread: 'T1' };
  const o = [0x1000n, 0x2000n, 0x3000n];
  // The throw's lines, then Go's "runtime stack:" section.
  expect(formatCrash(CRASH.ENTERSYSCALL_SP, o, { ...view, flags: new Set() }).output).toMatch(/^entersyscall inconsistent 0x1000 \[0x2000,0x3000\]\nfatal error: entersyscall\n\nruntime stack:\n/);
  expect(formatCrash(CRASH.ENTERSYSCALL_SP, o, { ...view, flags: new Set(['ENTERSYSCALL_SP_WORDING']) }).output).toMatch(/^entersyscall inconsistent sp 0x1000 \[0x2000,0x3000\]\nfatal error: entersyscall\n\nruntime stack:\n/);
  expect(formatCrash(CRASH.CALLBACK_OOB, [3n, 77n, 0x500n, 0x100n, 0x400n], { ...view, flags: new Set(['CRASH_STACK_DIAG']) }))
    .toEqual({ crash: 'cgocallback-out-of-bounds', exitCode: 2, output: 'M 3 procid 77 runtime: cgocallback with sp=0x500 out of bounds [0x100, 0x400]\n' });
  expect(formatCrash(99, [], { ...view, flags: new Set() })).toEqual({ crash: 'unknown-99', exitCode: 2, output: 'cgosim: crash kind 99\n' });
});

it('src/api/steps.ts is the op table\'s step types (npm run generate)', async () => {
  const { stepTypesSource } = await import('../src/scenario/steptypes.js');
  expect(readFileSync(new URL('../src/api/steps.ts', import.meta.url), 'utf8')).toBe(stepTypesSource());
});
