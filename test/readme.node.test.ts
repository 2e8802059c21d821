// The README cannot drift: every command it shows is run and its output compared (the lines it
// shows must appear, in order; "..." stands for lines left out; wall-clock figures are masked),
// the result example is checked field by field against a real run, the CLI synopsis against each command's --help, the API's
// options against what createSimulator accepts, and the names it gives (scripts, folders, trace
// files, cell codes) against the project.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulator } from '../src/api/node.js';
import { SIMULATOR_OPTIONS } from '../src/core/instance.js';
import { CELL_CODES } from '../src/cli/repro.js';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = join(ROOT, 'dist/src/cli/main.js');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The fenced blocks of the README, with the line of prose before each. */
function blocks(): { lang: string; body: string; before: string }[] {
  const out: { lang: string; body: string; before: string }[] = [];
  const re = /^( *)```(\w*)\n([\s\S]*?)^\1```/gm;
  for (const m of README.matchAll(re)) {
    const before = README.slice(0, m.index).trimEnd().split('\n').at(-1) ?? '';
    out.push({ lang: m[2]!, body: m[3]!.split('\n').map((l) => l.slice(m[1]!.length)).join('\n'), before });
  }
  return out;
}

function cgosim(args: string[]): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout };
}

/** Whitespace is collapsed, and wall-clock figures (seconds, runs per second, the run count of a
 * time-bounded campaign) are masked: they differ from machine to machine. The README's commands
 * bound their work by counts (--runs), so what they find does not depend on the machine's speed. */
const norm = (l: string) => l.replace(/\s+/g, ' ').trim()
  .replace(/\b\d+(?:\.\d+)? s\b/g, '_ s').replace(/\b\d+ runs\/s\b/g, '_ runs/s').replace(/^\d+ runs in _ s\b/, '_ runs in _ s');

/** Each shown line appears in the output in order; "..." lines skip, "…"/"..." inside a line elide. */
function expectShownIn(shown: string, actual: string, what: string): void {
  const lines = actual.split('\n').map(norm);
  let at = 0;
  for (const raw of shown.split('\n').map(norm).filter((l) => l !== '')) {
    // A line of only "..." or "…", perhaps with a remark in parentheses, stands for lines left out.
    if (/^(?:\.\.\.|…)(?: \(.*\))?$/.test(raw)) continue;
    const pieces = raw.split(/\s*(?:\.\.\.|…)\s*/).filter(Boolean);
    const matches = (l: string) => {
      let from = 0;
      for (const p of pieces) {
        const i = l.indexOf(p, from);
        if (i < 0) return false;
        from = i + p.length;
      }
      return raw.includes('...') || raw.includes('…') ? true : l === raw;
    };
    const found = lines.findIndex((l, i) => i >= at && matches(l));
    expect(found, `${what}: README line not in the output (in order): ${raw}`).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

describe('README', () => {
  it('the quick start\'s scripts exist, and "npm run repro" prints what the README shows', () => {
    const quick = blocks().find((b) => b.lang === 'sh' && b.body.includes('npm run repro'))!;
    for (const m of quick.body.matchAll(/npm run (\S+)/g)) expect(PKG.scripts, m[1]).toHaveProperty(m[1]!);
    expect(PKG.scripts.repro).toMatch(/cli\/main\.js repro$/);
    const shown = blocks().find((b) => b.before.includes('`npm run repro` prints:'))!;
    const r = cgosim(['repro']);
    expect(r.code).toBe(0);
    expectShownIn(shown.body, r.out, 'npm run repro');
  });

  it('every "$ npx cgosim" command runs and prints what the README shows', () => {
    const shown = blocks().filter((b) => b.body.startsWith('$ npx cgosim '));
    expect(shown.length).toBeGreaterThan(0);
    // `finding.json` is the finding the README's exploring session prints, saved as a reader would.
    const work = mkdtempSync(join(tmpdir(), 'cgosim-readme-'));
    const finding = /^ {2}(\{"format":1,"name":"explore-453227931"[\s\S]*?\n {2}\]\})$/m.exec(README);
    expect(finding, 'the README\'s exploring session shows the finding it then diffs').not.toBeNull();
    writeFileSync(join(work, 'finding.json'), finding![1]!);
    const local = (a: string) => (a === 'finding.json' ? join(work, a) : a);
    for (const b of shown) {
      const [cmd, ...out] = b.body.split('\n');
      const args = cmd!.replace('$ npx cgosim ', '').split(/\s+/).map(local);
      expectShownIn(out.join('\n'), cgosim(args).out, cmd!);
    }
  });

  it('the result example matches a real run --json, field by field', () => {
    const jsonc = blocks().find((b) => b.lang === 'jsonc' && b.body.includes('"traceHash"'))!;
    // The example's scalar fields, as written (comments and elided values dropped).
    const fields = new Map<string, unknown>();
    for (const m of jsonc.body.replace(/\/\/.*$/gm, '').matchAll(/"(\w+)": ("[^"]*"|-?\d+)/g)) fields.set(m[1]!, JSON.parse(m[2]!));
    const scenarioFile = readdirSync(join(ROOT, 'scenarios'), { recursive: true, encoding: 'utf8' })
      .find((f) => f.endsWith('.json') && JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')).name === fields.get('scenario'))!;
    const r = JSON.parse(cgosim(['run', join('scenarios', scenarioFile), '--profile', String(fields.get('profile')), '--json']).out) as Record<string, unknown>;
    const actual = (k: string): unknown => (k in r ? r[k] : (r.counters as Record<string, unknown>)[k]);
    expect(fields.size).toBeGreaterThan(15);
    for (const [k, v] of fields) {
      if (k === 'output') expect(String(r.output).startsWith(String(v).replace(/…$/, '').replace(/\\n.*/, '')), k).toBe(true);
      else expect(actual(k), k).toEqual(v);
    }
  });

  it('the CLI synopsis lists exactly the options of each command\'s --help', () => {
    const synopsis = blocks().find((b) => b.body.startsWith('cgosim run FILE'))!.body;
    for (const command of ['run', 'repro', 'profiles', 'points']) {
      const line = synopsis.split(/\n(?=cgosim )/).find((l) => l.startsWith(`cgosim ${command} `) || l === `cgosim ${command}`)!;
      expect(line, command).toBeDefined();
      const shown = new Set([...line.matchAll(/--[a-z-]+/g)].map((m) => m[0]));
      const help = cgosim([command, '--help']).out;
      const documented = new Set([...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!));
      for (const o of [...help.matchAll(/\[(--[a-z-]+)/g)].map((m) => m[1]!)) documented.add(o);
      expect([...shown].sort(), command).toEqual([...documented].sort());
    }
    expect(cgosim(['--version']).code).toBe(0);
  });

  it('createSimulator takes the options the API table gives for the Node entry, and no others', async () => {
    const row = README.split('\n').find((l) => l.startsWith('| `cgosim` |'))!;
    const names = [...row.split('|')[2]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!).filter((n) => /^[a-z]+[A-Z]?\w*$/.test(n) && !['raw', 'loader', 'release', 'debug'].includes(n));
    expect(names.sort()).toEqual([...Object.keys(SIMULATOR_OPTIONS), 'build'].sort());
    const wasm = readFileSync(join(ROOT, 'build/release.wasm'));
    const values: Record<string, unknown> = { binding: 'loader', budget: 1000, deadline: 1000, interpreterOnly: true, build: 'debug', wasm };
    for (const n of names) await expect(createSimulator({ [n]: values[n] }), n).resolves.toBeDefined();
    await expect(createSimulator({ colour: 1 } as never)).rejects.toThrow(/"colour" is not an option/);
  });

  it('trace files are named as the README says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cgosim-readme-'));
    const out = join(dir, 't.json');
    cgosim(['run', 'scenarios/regressions/s01-stack-switch-callback-62440.json', 'scenarios/regressions/s03-partial-overlap-g1-62440.json', '--profile', 'go1.21.0,tip', '--trace', out]);
    expect(README).toContain('`out.<scenario>.<profile>.json`');
    for (const name of ['S01-stack-switch-callback', 'S03-partial-overlap-G1']) {
      for (const profile of ['go1.21.0', 'tip']) expect(existsSync(join(dir, `t.${name}.${profile}.json`)), `${name} ${profile}`).toBe(true);
    }
    cgosim(['run', 'scenarios/regressions/s01-stack-switch-callback-62440.json', '--trace', join(dir, 'one.json')]);
    expect(existsSync(join(dir, 'one.json'))).toBe(true);
  });

  it('the cell codes the README explains are the ones repro prints', () => {
    const para = README.slice(README.indexOf('- `repro` runs every scenario'), README.indexOf('- `profiles` lists'));
    const codes = new Set([...para.matchAll(/`([A-Z][A-Z0-9]+)`/g)].map((m) => m[1]!));
    for (const c of Object.values(CELL_CODES)) expect(codes.has(c), c).toBe(true);
    for (const c of codes) expect([...Object.values(CELL_CODES), 'UAF', 'INV', 'CORR', 'FAILED'], c).toContain(c);
  });

  it('the points block is what "cgosim points" prints for those profiles', () => {
    const b = blocks().find((x) => x.body.startsWith('go1.17rc1 '))!;
    const out = new Set(cgosim(['points']).out.split('\n').map(norm));
    for (const line of b.body.trim().split('\n')) expect(out.has(norm(line)), line).toBe(true);
  });

  it('every npm script, folder and file the README names exists, and no test attachment is committed', () => {
    for (const m of README.matchAll(/npm run (?:-s\s+)?([\w:-]+)/g)) expect(PKG.scripts, m[1]).toHaveProperty(m[1]!);
    const layout = blocks().find((b) => b.body.startsWith('assembly/'))!;
    for (const m of layout.body.matchAll(/^(\S+\/)/gm)) expect(existsSync(join(ROOT, m[1]!)), m[1]).toBe(true);
    for (const m of README.matchAll(/\]\(((?:docs|scenarios|test|web)\/[^)#\s]+)\)/g)) expect(existsSync(join(ROOT, m[1]!)), m[1]).toBe(true);
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n');
    expect(tracked.filter((f) => f.startsWith('.vitest-attachments/'))).toEqual([]);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('.vitest-attachments/');
  });
});
