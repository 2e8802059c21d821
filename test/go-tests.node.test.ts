// Go's own cgo tests as scenarios (scenarios/go-tests/, issue 10): every file names its test in a
// `goTest` field, passes `cgosim run --check` under every profile, and the README's table is the
// one `npm run generate` makes from the files.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Scenario } from '../src/api/types.js';
import { goTestsMarkdown } from '../src/report/gotests.js';

const dir = new URL('../scenarios/go-tests/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const docs = files.map((f) => [f, JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Scenario] as const);

it('every file is named after the test its goTest field names, and says how fully it expresses it', () => {
  for (const [file, s] of docs) {
    expect(s.goTest, file).toBeDefined();
    expect(file.startsWith(`${s.goTest!.test}`), file).toBe(true);
    expect(['fully', 'partly']).toContain(s.goTest!.expressed);
    if (s.goTest!.expressed === 'partly') expect(s.goTest!.notes, `${file} says what is approximated`).toBeTruthy();
    expect(s.expect, file).toBeDefined();
  }
  // Issue 10's list of tests.
  const tests = new Set(docs.map(([, s]) => s.goTest!.test));
  for (const t of [
    'TestCallback', 'TestCallbackGC', 'TestCgoCallbackGC', 'TestCallbackPanic', 'TestCallbackPanicLoop', 'TestCallbackPanicLocked',
    'TestPanicFromC', 'TestZeroArgCallback', 'TestCallbackStack', 'TestReturnAfterGrow', 'TestReturnAfterGrowFromGo',
    'TestBigStackCallbackCgo', 'TestStackSwitchCallback', 'TestCgoToGoCallGoexit', 'TestCgoNoCallback', 'TestDestructorCallback',
    'TestEnsureDropM', 'TestEnsureBindM', 'TestCgoTracebackContext', 'TestCgoTracebackContextPreemption', 'TestCgoNumGoroutine',
    'TestSigStackSwapping', 'TestNeedmDeadlock', 'TestCgoTraceParser', 'TestTraceUnwindCGO', 'TestCoroCgoCallback',
    'TestBlocking', 'TestThreadLock', 'TestCthread', 'Test3775', 'Test7978',
  ]) expect(tests.has(t), t).toBe(true);
});

it('cgosim run --check passes for every file under every profile', () => {
  const cli = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
  const out = execFileSync(process.execPath, [cli, 'run', ...files.map((f) => new URL(f, dir).pathname), '--profile', 'all', '--check'], { encoding: 'utf8' });
  expect(out).not.toMatch(/check: FAIL/);
  expect(out.match(/check: PASS/g)?.length).toBe(files.length * 9);
}, 120_000);

it("the README's table is the go-tests files' (npm run generate)", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const open = '<!-- generated:go-tests (npm run generate) -->\n';
  const i = readme.indexOf(open);
  expect(i).toBeGreaterThanOrEqual(0);
  const j = readme.indexOf('\n<!-- /generated:go-tests -->', i);
  expect(readme.slice(i + open.length, j)).toBe(goTestsMarkdown(docs));
});
