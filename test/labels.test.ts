// Every result says what it ran: the release asked for, the profile it resolved to and the flag
// overrides; and the trace hash covers every setting that changes behaviour or output.

import { describe, expect, it } from 'vitest';
import { scenario, simulator } from './helpers.js';

const S01 = 's01-stack-switch-callback-62440.json';
const DIAG = 'nested-fiber-crash-stack-diag.json';

describe('run labels', () => {
  it('a release shows what it resolved to, overrides included', async () => {
    const sim = await simulator();
    const [r12, r7] = sim.runProfiles(scenario(S01), ['go1.21.12', 'go1.21.7']);
    expect(r12!.label).toBe('go1.21.12 (= go1.21.7 +CB_UPDATE_V2)');
    expect(r12!.overrides).toEqual({ CB_UPDATE_V1: false, CB_UPDATE_V2: true });
    expect(r12!.release).toBe('go1.21.12');
    expect(r7!.label).toBe('go1.21.7');
    expect(r7!.overrides).toBeUndefined();
    expect(r12!.traceHash).not.toBe(r7!.traceHash);
    expect(sim.run(scenario(S01), { profile: 'go1.22.3' }).label).toBe('go1.22.3 (= go1.22.0)');
  });

  it('flag overrides from the options and the scenario show in the label', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S01), { profile: 'go1.22.0', flags: { CB_UPDATE_V2: true } });
    expect(r.label).toBe('go1.22.0 +CB_UPDATE_V2');
    expect(sim.run(scenario(S01), { profile: 'go1.22.0', flags: { DROPM_NOSPLIT: false } }).label).toBe('go1.22.0 -DROPM_NOSPLIT');
    expect(sim.run(scenario(DIAG), { profile: 'go1.22.0' }).label).toBe('go1.22.0 +CRASH_STACK_DIAG');
  });

  it('--crash-stack changes the trace hash with the output; a plain run keeps the core\'s hash', async () => {
    const sim = await simulator();
    const s = scenario(DIAG);
    delete s.flags;
    const plain = sim.run(s, { profile: 'go1.22.0' });
    const diag = sim.run(s, { profile: 'go1.22.0', crashStack: true });
    expect(plain.crash).toBe('stack-split-at-bad-time');
    expect(diag.crash).toBe('cgocallback-out-of-bounds');
    expect(diag.traceHash).not.toBe(plain.traceHash);
    expect(sim.run(s, { profile: 'go1.22.0', crashStack: true }).traceHash).toBe(diag.traceHash);
  });

  it('GODEBUG settings are in the result and in the hash', async () => {
    const sim = await simulator();
    const s = scenario(S01);
    const plain = sim.run(s, { profile: 'tip' });
    const off = sim.run(s, { profile: 'tip', godebug: 'gcshrinkstackoff=1' });
    expect(off.godebug).toBe('gcshrinkstackoff=1');
    expect(plain.godebug).toBeUndefined();
    expect(off.traceHash).not.toBe(plain.traceHash);
  });
});
