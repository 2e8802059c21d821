// The oracle's own pieces, without real Go: every program's table and paired scenarios are valid,
// each fix-reverted variant's flags make its seed program's scenario crash where the stock release
// does not (the model-side half of "the seed bug fires on its fix-reverted runtime"), and the
// outcome parser and comparison read real Go crash texts correctly.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLAG_NAMES, compileScenario, resolveProfile } from '../src/api/index.js';
import type { Scenario } from '../src/api/types.js';
import { simulator } from './helpers.js';
// @ts-expect-error: plain JavaScript, outside the compiled sources
import { classifyReal, classifySim, compare, knownDifferences } from '../oracle/lib/outcome.mjs';

const ORACLE = new URL('../oracle/', import.meta.url).pathname;
const runtimes = JSON.parse(readFileSync(join(ORACLE, 'runtimes.json'), 'utf8'));
const programs = readdirSync(join(ORACLE, 'programs')).filter((n) => existsSync(join(ORACLE, 'programs', n, 'oracle.json')));
const table = (name: string) => JSON.parse(readFileSync(join(ORACLE, 'programs', name, 'oracle.json'), 'utf8'));
const scenario = (name: string, file: string) => JSON.parse(readFileSync(join(ORACLE, 'programs', name, file), 'utf8')) as Scenario;

describe('oracle tables', () => {
  it('every runtime is a stock release or a variant with known flags and an existing patch', () => {
    for (const name of Object.keys(runtimes.stock)) expect(resolveProfile(name), name).toBeDefined();
    for (const [name, v] of Object.entries<{ release: string; patch: string; flags: Record<string, boolean> }>(runtimes.variants)) {
      expect(runtimes.stock[v.release], name).toBeDefined();
      expect(existsSync(join(ORACLE, 'patches', v.patch)), v.patch).toBe(true);
      for (const f of Object.keys(v.flags)) expect(FLAG_NAMES as readonly string[], `${name}: ${f}`).toContain(f);
    }
  });

  it('every program names known runtimes and scenarios that compile', () => {
    expect(programs.length).toBeGreaterThanOrEqual(7);
    for (const p of programs) {
      const t = table(p);
      expect(existsSync(join(ORACLE, 'programs', p, 'main.go')), p).toBe(true);
      for (const r of t.runtimes) expect(runtimes.stock[r] ?? runtimes.variants[r], `${p}: ${r}`).toBeDefined();
      for (const file of Object.values<string>(t.layouts)) expect(() => compileScenario(scenario(p, file)), `${p}/${file}`).not.toThrow();
    }
  });

  it('each seed CL has a program whose paired scenario crashes on the reverted variant and not on its stock release', async () => {
    const sim = await simulator();
    const fired = new Set<string>();
    for (const p of programs) {
      const t = table(p);
      if (!t.seed) continue;
      for (const r of t.runtimes) {
        const v = runtimes.variants[r];
        if (!v || v.cl !== t.seed) continue;
        for (const file of new Set(Object.values<string>(t.layouts))) {
          const s = scenario(p, file);
          const seeds = t.racy ? 16 : 1;
          let revertedFails = 0;
          let stockFails = 0;
          for (let seed = 1; seed <= seeds; seed++) {
            if (sim.run(s, { profile: v.release, flags: v.flags, seed }).verdict !== 'ok') revertedFails++;
            if (sim.run(s, { profile: v.release, seed }).verdict !== 'ok') stockFails++;
          }
          expect(stockFails, `${p}/${file} on stock ${v.release}`).toBe(0);
          if (revertedFails > 0) fired.add(t.seed);
        }
      }
    }
    sim.dispose();
    expect([...fired].sort()).toEqual(['338197', '527715', '573155', '584597', '608775']);
  });
});

describe('oracle outcome parsing and comparison', () => {
  const go121 = 'fatal: morestack on g0\nSIGTRAP: trace trap\nPC=0x45e722 m=1 sigcode=128\n';
  const go122 = 'runtime: morestack on g0, stack [0x7f 0x80], sp=0x7f1, called from\nfatal error: morestack on g0\n';

  it('reads the throw text of both morestack-on-g0 formats, and the layout line', () => {
    const a = classifyReal({ status: 2, signal: null, stdout: 'layout: below\n', stderr: go121, timedOut: false });
    expect(a).toMatchObject({ kind: 'crash', layout: 'below', fatal: 'morestack on g0', signal: 'SIGTRAP', exit: 2 });
    const b = classifyReal({ status: 2, signal: null, stdout: '', stderr: go122, timedOut: false });
    expect(b).toMatchObject({ kind: 'crash', layout: '*', fatal: 'morestack on g0' });
    const ok = classifyReal({ status: 0, signal: null, stdout: 'layout: above\nOK\n', stderr: '', timedOut: false });
    expect(ok).toMatchObject({ kind: 'ok', layout: 'above' });
    const silent = classifyReal({ status: 0, signal: null, stdout: '', stderr: '', timedOut: false });
    expect(silent.kind).toBe('crash');
  });

  it('agrees on the same throw, and not on a different one or on ok against a crash', () => {
    const real = classifyReal({ status: 2, signal: null, stdout: '', stderr: go122, timedOut: false });
    const same = classifySim([{ verdict: 'crash', fatal: 'morestack on g0', exitCode: 2 }]);
    const other = classifySim([{ verdict: 'crash', fatal: 'entersyscall', exitCode: 2 }]);
    const ok = classifySim([{ verdict: 'ok', exitCode: 0 }]);
    expect(compare(real, same, false).agree).toBe(true);
    expect(compare(real, other, false).agree).toBe(false);
    expect(compare(real, ok, false).agree).toBe(false);
    const realOk = classifyReal({ status: 0, signal: null, stdout: 'OK\n', stderr: '', timedOut: false });
    expect(compare(realOk, same, false).agree).toBe(false);
    expect(compare(realOk, ok, false).agree).toBe(true);
  });

  it('compares racy programs by whether any run fails', () => {
    const real = { kind: 'mixed', failing: 3, runs: 10 };
    expect(compare(real, classifySim([{ verdict: 'ok' }, { verdict: 'crash', crash: 'sigsegv' }]), true).agree).toBe(true);
    expect(compare(real, classifySim([{ verdict: 'ok' }, { verdict: 'ok' }]), true).agree).toBe(false);
    expect(compare({ kind: 'ok', failing: 0, runs: 10 }, classifySim([{ verdict: 'ok' }]), true).agree).toBe(true);
  });

  it('reads known differences and refuses an entry without a reason', () => {
    const m = knownDifferences('# x\n- `stale-bp` on `go1.23.5`: the real runtime does this because of that\n');
    expect(m.get('stale-bp go1.23.5')).toMatch(/because/);
    expect(() => knownDifferences('- `a` on `b`: \n')).toThrow(/no reason/);
  });
});
