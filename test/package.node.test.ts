// The package as a user installs it: `npm pack`, installed offline into a scratch project, every
// documented entry imported by Node (cgosim, cgosim/core, cgosim/browser, the cgosim bin) and
// type-checked by tsc.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; exports: Record<string, unknown> };

describe('the packed package', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cgosim-pack-'));
  let installed = false;

  function install(): void {
    if (installed) return;
    const packed = execFileSync(NPM, ['pack', '--json', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' });
    const tarball = join(scratch, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    // Offline: the one runtime dependency (@assemblyscript/loader) is packed from this project's own
    // node_modules and installed beside it, so npm needs no registry metadata.
    const loaderPacked = execFileSync(NPM, ['pack', '--json', '--pack-destination', scratch], { cwd: join(ROOT, 'node_modules/@assemblyscript/loader'), encoding: 'utf8' });
    const loader = join(scratch, (JSON.parse(loaderPacked) as { filename: string }[])[0]!.filename);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, type: 'module' }));
    const r = spawnSync(NPM, ['install', loader, tarball, '--no-audit', '--no-fund', '--offline', '--no-package-lock'], { cwd: scratch, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    installed = true;
  }

  it('exports ".", "./core" and "./browser", each with types', () => {
    expect(Object.keys(PKG.exports).sort()).toEqual(['.', './browser', './core', './package.json', './schema/scenario.schema.json']);
    for (const [k, v] of Object.entries(PKG.exports)) if (k.startsWith('./') && !k.endsWith('.json') || k === '.') expect(v, k).toHaveProperty('types');
  });

  it('imports every entry in Node and runs a scenario', { timeout: 240_000 }, () => {
    install();
    writeFileSync(join(scratch, 'check.mjs'), `
      import { createSimulator, loadScenarioFile } from 'cgosim';
      import * as core from 'cgosim/core';
      import * as browser from 'cgosim/browser';
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const pkg = require('cgosim/package.json');
      const sim = await createSimulator();
      const s = loadScenarioFile(new URL('./node_modules/cgosim/scenarios/regressions/s01-stack-switch-callback-62440.json', import.meta.url).pathname);
      const r = sim.run(s, { profile: 'go1.21.0' });
      console.log(JSON.stringify({
        fatal: r.fatal, version: pkg.version,
        core: typeof core.createSimulatorFrom, browser: typeof browser.createSimulator, compile: typeof browser.compileScenario,
      }));
    `);
    const out = execFileSync(process.execPath, ['check.mjs'], { cwd: scratch, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ fatal: 'morestack on g0', version: PKG.version, core: 'function', browser: 'function', compile: 'function' });
    const bin = spawnSync(process.execPath, [join(scratch, 'node_modules/.bin/cgosim'), '--version'], { encoding: 'utf8' });
    expect(bin.stdout).toBe(`cgosim ${PKG.version}\n`);
    const repro = spawnSync(process.execPath, [join(scratch, 'node_modules/.bin/cgosim'), 'repro'], { encoding: 'utf8' });
    expect(repro.status, repro.stderr).toBe(0);
    expect(readFileSync(join(scratch, 'node_modules/cgosim/docs/scenario-format.md'), 'utf8')).toMatch(/^# Scenario format 1/);
  });

  it('tsc finds the types of every entry', { timeout: 240_000 }, () => {
    install();
    writeFileSync(join(scratch, 'check.ts'), `
      import { createSimulator, type RunResult } from 'cgosim';
      import { createSimulatorFrom, type Scenario } from 'cgosim/core';
      import { createSimulator as createInBrowser, type Simulator } from 'cgosim/browser';
      const s: Scenario = { format: 1, name: 'x', steps: [] };
      export async function f(): Promise<[RunResult, Simulator, typeof createSimulatorFrom]> {
        const sim = await createInBrowser({ wasmUrl: 'x.wasm' });
        return [(await createSimulator()).run(s), sim, createSimulatorFrom];
      }
    `);
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
      files: ['check.ts'],
    }));
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', scratch], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
