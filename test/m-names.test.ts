// One name per M (src/report/names.ts): the scenario's, M(G) for a goroutine's own M, extraM<n> for
// extra Ms counted among extra Ms only, m<id> for any other M the scheduler started.

import { describe, expect, it } from 'vitest';
import { mNames } from '../src/report/names.js';
import { createSimulatorFrom } from '../src/core/instance.js';
import { SCENARIOS, wasmBytes } from './helpers.js';

describe('M names', () => {
  it('names records past the scenario\'s by what they are', () => {
    const extra = new Set([2, 4]);
    const n = mNames(['M1', '(M for G2)'], [1, 2, 3, 4, 5, 6], (i) => extra.has(i));
    expect(n.byIndex).toEqual(['M1', 'M(G2)', 'extraM1', 'm4', 'extraM2', 'm6']);
    expect(n.byId.get(4)).toBe('m4');
  });

  it('never gives a scenario\'s name to a runtime M', () => {
    const n = mNames(['m3', 'extraM1'], [1, 2, 3, 4], (i) => i === 3);
    expect(n.byIndex).toEqual(['m3', 'extraM1', "m3'", 'extraM2']);
  });

  it('the Ms the scheduler starts for a Go body\'s goroutines are m<id>, not extra Ms', async () => {
    const sim = await createSimulatorFrom(await wasmBytes('release'));
    const text = SCENARIOS['TestCgoTracebackContextPreemption.json'];
    expect(text).toBeDefined();
    const r = sim.run(text!, { profile: 'tip', state: true });
    const ms = r.state!.ms;
    const runtimeMs = ms.filter((m) => !m.isextra && /^m\d+$/.test(m.name));
    expect(runtimeMs.length).toBeGreaterThan(0);
    for (const m of ms) {
      expect(/^extraM/.test(m.name)).toBe(m.isextra);
      if (/^m\d+$/.test(m.name)) expect(m.name).toBe(`m${m.id}`);
    }
  });
});
