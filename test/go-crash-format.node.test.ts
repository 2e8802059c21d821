// Go's crash format (issue 12): sections as a runtime throw prints them at GOTRACEBACK=single
// (`runtime stack:`, `goroutine N [status]:` with go1.22's gp=/m=/mp=), frames as `name(args)` then
// `\t/usr/local/go/src/FILE[:LINE] [+0x…]` (an offset only where measured in that release's build,
// GO_OFFSETS; none is invented), `(...)` only for inlined frames, and line numbers only for
// a release whose source we read, run with exactly its own flags. Where that source is installed
// (Debian's golang-1.21/1.22/1.23 packages), every line in the table is checked against it.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GO_LINES, GO_OFFSETS } from '../src/report/symbols.js';
import { scenario, simulator } from './helpers.js';
import type { Scenario } from '../src/api/types.js';

/** The explorer's first finding in the README: go1.22.5 splits the stack at a bad time. */
const SPLIT: Scenario = {
  format: 1, name: 'split', platform: 'nobounds',
  steps: [
    { op: 'thread', id: 'T1', stack: ['0x800000', '0x810000'] },
    { op: 'callback', thread: 'T1', fn: [{ op: 'cgocall', fn: [{ op: 'stack', bytes: 12288 }, { op: 'callback', fn: [] }] }, { op: 'cgocall', fn: [{ op: 'callback', fn: [] }] }] },
  ],
} as Scenario;

const frameLines = (out: string) => out.split('\n').filter((l, i, all) => /^\t\/usr\/local\/go\/src\//.test(all[i + 1] ?? '') && !l.startsWith('\t'));

describe('crash output in Go\'s format', () => {
  it('go1.22: "runtime stack:" and the goroutine\'s section with gp=, m=, mp=; no line numbers for a release whose source we did not read', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s03-partial-overlap-g1-62440.json'), { profile: 'go1.22.0' });
    expect(r.crash).toBe('morestack-g0');
    expect(r.output).toMatch(/\nfatal error: morestack on g0\n\nruntime stack:\nruntime\.throw\(\{\?, \?\}\)\n\t\/usr\/local\/go\/src\/runtime\/panic\.go\nruntime\.badmorestackg0\.func1\(\)\n/);
    expect(r.output).toMatch(/\ngoroutine \d+ gp=\? m=\d+ mp=\? \[syscall, locked to thread\]:\nruntime\.systemstack_switch\(\)\n/);
    expect(r.output).not.toMatch(/\.(go|s):\d+/);
    expect(r.output).not.toMatch(/^\t.* \+0x/m);
    // "(...)" is for inlined frames only: none of these is.
    for (const l of frameLines(r.output!)) expect(l, l).not.toMatch(/\(\.\.\.\)$/);
  });

  it('go1.21: SIGTRAP with "goroutine 0 [idle]:" (abort, morestack) and then the goroutine, headers without gp=', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s01-stack-switch-callback-62440.json'), { profile: 'go1.21.0' });
    expect(r.crash).toBe('morestack-g0');
    expect(r.output).toMatch(/\ngoroutine 0 \[idle\]:\nruntime\.abort\(\)\n\t\/usr\/local\/go\/src\/runtime\/asm_amd64\.s\nruntime\.morestack\(\)\n\t[^\n]+\n\ngoroutine \d+ \[(running|syscall), locked to thread\]:\nruntime\.systemstack_switch\(\)\n/);
    expect(r.output).not.toMatch(/gp=/);
  });

  it('a release whose source we read prints its real line numbers and measured offsets (GO_OFFSETS), and none once a flag differs from it', async () => {
    const sim = await simulator();
    const real = sim.run(SPLIT, { profile: 'go1.22.12' });
    expect(real.crash).toBe('stack-split-at-bad-time');
    expect(real.label).toBe('go1.22.12 (= go1.22.5)');
    expect(real.output).toContain('\nruntime stack:\nruntime.throw({?, ?})\n\t/usr/local/go/src/runtime/panic.go:1023 +0x5c\n');
    expect(real.output).toContain('runtime.newstack()\n\t/usr/local/go/src/runtime/stack.go:995 +0xa36\n');
    expect(real.output).toContain('runtime.morestack()\n\t/usr/local/go/src/runtime/asm_amd64.s:616 +0x7a\n');
    expect(real.output).toContain('runtime.cgocallback(?, ?, ?)\n\t/usr/local/go/src/runtime/asm_amd64.s:1079 +0xcc\n');
    expect(real.output).toContain('runtime.goexit({})\n\t/usr/local/go/src/runtime/asm_amd64.s:1695 +0x1\n');
    const profile = sim.run(SPLIT, { profile: 'go1.22.5' });
    expect(profile.output).not.toMatch(/\.(go|s):\d+/);
    expect(profile.output).not.toMatch(/^\t.* \+0x/m);
    const overridden = sim.run(SPLIT, { profile: 'go1.22.12', flags: { CB_UPDATE_V2: true, DROPM_NOSPLIT: false } });
    expect(overridden.output ?? '').not.toMatch(/\.(go|s):\d+/);
  });
});

/** What each line in GO_LINES must hold in that release's source. */
const AT: Record<string, { file: string; re: RegExp; offset?: number }> = {
  'runtime.abort': { file: 'asm_amd64.s', re: /JMP\s+loop/ },
  'runtime.morestack@abort': { file: 'asm_amd64.s', re: /CALL\s+runtime·abort\(SB\)/ },
  'runtime.morestack@newstack': { file: 'asm_amd64.s', re: /CALL\s+runtime·newstack\(SB\)/ },
  'runtime.systemstack': { file: 'asm_amd64.s', re: /CALL\s+DI/ },
  'runtime.systemstack_switch': { file: 'asm_amd64.s', re: /CALL\s+runtime·abort\(SB\)/ },
  'runtime.cgocallback': { file: 'asm_amd64.s', re: /CALL\s+AX\s+\/\/ indirect call/ },
  'runtime.goexit': { file: 'asm_amd64.s', re: /BYTE\s+\$0x90/ },
  'runtime.switchToCrashStack0': { file: 'asm_amd64.s', re: /CALL\s+AX/ },
  'runtime.throw': { file: 'panic.go', re: /fatalthrow\(/ },
  'runtime.setGCPercent.func1': { file: 'mgcpacer.go', re: /systemstack\(func\(\) \{/ },
  'runtime.exitsyscallfast.func1': { file: 'proc.go', re: /systemstack\(func\(\) \{/ },
  'runtime.newstack': { file: 'stack.go', re: /throw\("runtime: stack split at bad time"\)/ },
  'runtime.badmorestackg0.func1': { file: 'proc.go', re: /throw\("morestack on g0"\)/ },
  'runtime.reentersyscall.func1': { file: 'proc.go', re: /throw\("entersyscall"\)/ },
  'runtime.reentersyscall.func2': { file: 'proc.go', re: /throw\("entersyscall"\)/ },
  'runtime.netpoll': { file: 'netpoll_epoll.go', re: /syscall\.EpollWait\(/ },
  'runtime.startTheWorldWithSema': { file: 'proc.go', re: /netpoll\(0\)/ },
  'runtime.gcStart.func3': { file: 'mgc.go', re: /startTheWorldWithSema\(/ },
};

describe('GO_LINES', () => {
  for (const [release, lines] of Object.entries(GO_LINES)) {
    const minor = /^go(1\.\d+)/.exec(release)![1]!;
    const root = `/usr/lib/go-${minor}`;
    const installed = existsSync(`${root}/VERSION`) && readFileSync(`${root}/VERSION`, 'utf8').split('\n')[0] === release;
    it.skipIf(!installed)(`${release}: every line is what its frame runs, in ${root}/src/runtime`, () => {
      for (const [key, line] of Object.entries(lines)) {
        const at = AT[key];
        expect(at, key).toBeDefined();
        const text = readFileSync(`${root}/src/runtime/${at!.file}`, 'utf8').split('\n')[line - 1] ?? '';
        expect(text, `${release} ${key} ${at!.file}:${line}`).toMatch(at!.re);
      }
    });
  }
});

describe('GO_OFFSETS', () => {
  it('holds offsets only for lines GO_LINES holds (an offset prints with its line)', () => {
    for (const [release, row] of Object.entries(GO_OFFSETS)) {
      for (const [key, off] of Object.entries(row)) {
        expect(GO_LINES[release]?.[key], `${release} ${key}`).toBeDefined();
        expect(off).toBeGreaterThan(0);
      }
    }
  });
});
