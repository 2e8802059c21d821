// One naming of Ms: the scenario's names in events, texts and state; the runtime's m.id only where
// Go prints it ("m=" in crash texts), as `id` in the state's M records, and in the name "m<id>" of
// an M the scheduler started (not an extra M, not one the scenario named).

import { describe, expect, it } from 'vitest';
import { scenario, simulator } from './helpers.js';
import { mNames } from '../src/report/names.js';

const S08 = 's08-traceback-context-preemption-47441.json';

describe('M names', () => {
  it('a scenario\'s M1 is "M1" in events, texts and state, whatever the runtime numbered it', async () => {
    const sim = await simulator();
    const r = sim.run(scenario(S08), { profile: 'go1.17rc1', events: true, state: true });
    expect(r.crash).toBe('sigsegv');
    const m1 = r.state!.ms.find((m) => m.name === 'M1')!;
    const m2 = r.state!.ms.find((m) => m.name === 'M2')!;
    // The runtime made an extra M first, so the scenario's M1 is m.id 2 and M2 is m.id 3.
    expect([m1.id, m2.id]).toEqual([2, 3]);
    expect(r.state!.ms.map((m) => m.name)).toContain('extraM1');
    expect(r.output).toContain(`m=${m2.id} `);
    expect(r.note).toContain('on M2, but the C frames it returns to are on M1\'s stack');
    expect(r.output).not.toMatch(/M\d \("/);
    // Every event names its M by one of the state's names; texts never use a runtime number.
    const names = new Set(r.state!.ms.map((m) => m.name));
    for (const e of r.events!) if (e.m !== '-') expect(names.has(e.m), e.m).toBe(true);
    expect(r.events!.find((e) => e.kind === 'execute')!.text).toBe('goroutine 5 runs on M2');
    expect(r.events!.find((e) => e.kind === 'newextram')!.text).toBe('oneNewExtraM → extraM1 (goroutine 6)');
  });

  it('threads and the extra-M list name Ms the same way', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s01-stack-switch-callback-62440.json'), { profile: 'go1.21.7', state: true });
    const names = new Set(r.state!.ms.map((m) => m.name));
    for (const t of r.state!.threads) if (t.boundM !== null) expect(names.has(t.boundM)).toBe(true);
    for (const m of r.state!.extraMList) expect(names.has(m)).toBe(true);
    expect(r.state!.extraMList.length).toBeGreaterThan(0);
    expect([...names].every((n) => /^extraM\d+$/.test(n))).toBe(true);
  });

  it('an M the runtime made for a goroutine without "m" is named after it', async () => {
    const sim = await simulator();
    const r = sim.run({ format: 1, name: 'go', steps: [{ op: 'go', id: 'G1', fn: [{ op: 'systemstack' }] }] }, { events: true, state: true });
    expect(r.state!.ms.map((m) => m.name)).toContain('M(G1)');
    expect(r.events!.some((e) => e.m === 'M(G1)')).toBe(true);
  });
});

describe('the simulator\'s explanation', () => {
  it('is in note, apart from what the process prints, and shown under its own heading', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('s11-stale-syscallbp-tracer-69085.json'), { profile: 'go1.23.0' });
    expect(r.verdict).toBe('uaf');
    expect(r.note).toMatch(/^use-after-free: runtime\.fpTracebackPCs: a frame-pointer chain link read at 0x[0-9a-f]+, inside the freed stack/);
    expect(r.output ?? '').not.toContain('cgosim');
  });
  it('names M records past the scenario\'s by what they are', () => {
    const extra = new Set([2, 4]);
    const n = mNames(['M1', '(M for G2)'], [1, 2, 3, 4, 5, 6], (i) => extra.has(i));
    expect(n.byIndex).toEqual(['M1', 'M(G2)', 'extraM1', 'm4', 'extraM2', 'm6']);
    expect(n.byId.get(4)).toBe('m4');
    // Never a scenario's name for a runtime M.
    expect(mNames(['m3', 'extraM1'], [1, 2, 3, 4], (i) => i === 3).byIndex).toEqual(['m3', 'extraM1', "m3'", 'extraM2']);
  });

  it('the Ms the scheduler starts for a Go body\'s goroutines are m<id>, not extra Ms', async () => {
    const sim = await simulator();
    const r = sim.run(scenario('TestCgoTracebackContextPreemption.json'), { profile: 'tip', state: true });
    const ms = r.state!.ms;
    expect(ms.filter((m) => !m.isextra && /^m\d+$/.test(m.name)).length).toBeGreaterThan(0);
    for (const m of ms) {
      expect(/^extraM/.test(m.name), m.name).toBe(m.isextra);
      if (/^m\d+$/.test(m.name)) expect(m.name).toBe(`m${m.id}`);
    }
  });
});
