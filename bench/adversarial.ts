// Scenarios that make the core work as hard as it can per step of budget: the reproducers
// (an empty `repeat` spinning, a `gc` walking thousands of frames per op) and one for each other kind
// of work the budget charges (memory filled and copied, the region table searched, the tracer's
// walks, events recorded, `at` hooks scanned). bench/budget.ts times them to choose the default
// budget; test/budget.test.ts checks that each ends within a second under it.

import type { RunOptions, Scenario } from '../src/api/types.js';

export interface Adversary { name: string; scenario: Scenario; options?: RunOptions }

const FOREVER = 4294967295;
const T1 = { op: 'thread', id: 'T1', stack: ['0x800000', '0x880000'] } as const;
const BIG = { base: '0x0', size: '768MiB' } as const;

function callback(fn: unknown[]): Scenario['steps'][number] {
  return { op: 'callback', thread: 'T1', fn } as Scenario['steps'][number];
}

function s(name: string, steps: unknown[], extra: Partial<Scenario> = {}): Scenario {
  return { format: 1, name, steps: steps as Scenario['steps'], ...extra };
}

export const ADVERSARIES: Adversary[] = [
  // Issue 16, reproducer 1, with the budget it gave: 17 s and "ok" before.
  { name: 'empty-repeat-budget-1', scenario: s('x', [{ op: 'repeat', count: FOREVER, steps: [] }]), options: { budget: 1 } },
  { name: 'empty-repeat', scenario: s('empty-repeat', [{ op: 'repeat', count: FOREVER, steps: [] }]) },
  {
    name: 'nested-empty-repeat-go',
    scenario: s('nested-empty-repeat-go', [T1, callback([{ op: 'repeat', count: 65536, steps: [{ op: 'repeat', count: FOREVER, steps: [] }] }])]),
  },
  {
    name: 'empty-repeat-in-c',
    scenario: s('empty-repeat-in-c', [T1, callback([{ op: 'cgocall', fn: [{ op: 'repeat', count: FOREVER, steps: [] }] }])]),
  },
  // Issue 16, reproducer 2: gc ops under a call of depth 5000 (go1.21.7, budget 200000): 3.7 s before.
  {
    name: 'gc-deep-budget-200000',
    scenario: s('gc-deep', [T1, callback([{ op: 'call', frame: 64, depth: 5000, fn: [{ op: 'repeat', count: 100000, steps: [{ op: 'gc' }] }] }])], { profile: 'go1.21.7' }),
    options: { budget: 200000 },
  },
  {
    name: 'gc-deep',
    scenario: s('gc-deep', [T1, callback([{ op: 'call', frame: 64, depth: 5000, fn: [{ op: 'repeat', count: FOREVER, steps: [{ op: 'gc' }] }] }])], { profile: 'go1.21.7' }),
  },
  {
    name: 'gc-wide-frames',
    scenario: s('gc-wide-frames', [T1, callback([{
      op: 'call', frame: '64KiB', depth: 400, ptrs: Array.from({ length: 1024 }, (_, i) => i * 8),
      fn: [{ op: 'repeat', count: FOREVER, steps: [{ op: 'gc' }] }],
    }])], { addressSpace: BIG }),
  },
  { name: 'callbacks', scenario: s('callbacks', [T1, { op: 'repeat', count: FOREVER, steps: [callback([{ op: 'systemstack' }])] }]) },
  {
    name: 'nested-callbacks',
    scenario: s('nested-callbacks', [T1, { op: 'repeat', count: FOREVER, steps: [callback([{ op: 'cgocall', fn: [{ op: 'callback', fn: [{ op: 'cgocall', fn: [{ op: 'stack', bytes: 64 }] }] }] }])] }]),
  },
  {
    name: 'grow-and-shrink',
    scenario: s('grow-and-shrink', [T1, callback([{ op: 'repeat', count: FOREVER, steps: [{ op: 'grow', bytes: '8MiB' }, { op: 'gc' }, { op: 'gc' }] }])], { addressSpace: BIG }),
  },
  {
    name: 'huge-frame-calls',
    scenario: s('huge-frame-calls', [T1, callback([{ op: 'repeat', count: FOREVER, steps: [{ op: 'call', frame: '1MiB', depth: 1 }, { op: 'gc' }] }])], { addressSpace: BIG }),
  },
  {
    name: 'big-malloc-free',
    scenario: s('big-malloc-free', [{ op: 'repeat', count: FOREVER, steps: [{ op: 'malloc', id: 'b', size: '256MiB' }, { op: 'free', id: 'b' }] }], { addressSpace: BIG }),
  },
  {
    name: 'region-table',
    scenario: s('region-table', [
      ...Array.from({ length: 4000 }, (_, i) => ({ op: 'malloc', id: `b${i}`, size: 4096 })),
      { op: 'repeat', count: FOREVER, steps: [{ op: 'free', id: 'b0' }, { op: 'malloc', id: 'b0', size: 4096 }] },
    ], { addressSpace: BIG }),
  },
  {
    name: 'trace-many-goroutines',
    scenario: s('trace-many-goroutines', [
      { op: 'traceStart' },
      ...Array.from({ length: 120 }, (_, i) => ({ op: 'go', id: `G${i + 10}`, fn: [{ op: 'call', frame: 64, depth: 120, fn: [{ op: 'park', reason: 'chan receive' }] }] })),
      { op: 'repeat', count: FOREVER, steps: [{ op: 'traceAdvance' }] },
    ], { profile: 'tip', addressSpace: BIG }),
  },
  {
    name: 'events-recorded',
    scenario: s('events-recorded', [T1, { op: 'repeat', count: FOREVER, steps: [callback([{ op: 'systemstack' }])] }]),
    options: { events: true },
  },
  {
    name: 'unfired-hooks',
    scenario: s('unfired-hooks', [
      T1,
      { op: 'go', id: 'G99', fn: [{ op: 'park', reason: 'sleep' }] },
      ...Array.from({ length: 250 }, () => ({ op: 'at', point: 'goroutine.prologue', g: 'G99', steps: [] })),
      { op: 'repeat', count: FOREVER, steps: [callback([{ op: 'cgocall', fn: [] }, { op: 'gosched' }])] },
    ]),
  },
];
