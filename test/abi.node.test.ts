// The generator of the host's copy of the core's numbers (scripts/gen-abi.mjs): the copy the tests
// run against is the one the sources give now, and the generator refuses what it cannot carry.

import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('generated ABI', () => {
  it('src/core/abi.ts is what the core sources give (no stale copy)', () => {
    expect(() => execFileSync('node', ['scripts/gen-abi.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('the generator refuses a constant it cannot evaluate, naming file and line', async () => {
    const gen = await import('../scripts/gen-abi.mjs');
    expect(() => gen.renderFrom([{ file: 'x.ts', text: 'export const A: u32 = 1;\nexport const B: u32 = foo(A);\n' }]))
      .toThrow(/x\.ts:2:\d+: cannot evaluate `foo\(A\)`/);
    expect(() => gen.renderFrom([{ file: 'x.ts', text: 'export const A: u32 = 1;\nexport const A: u32 = 2;\n' }]))
      .toThrow(/A is defined twice/);
    expect(() => gen.renderFrom([{ file: 'x.ts', text: 'export const A: u8 = 256;\n' }])).toThrow(/does not fit u8/);
  });

  it('abi-names lists names by value, camelCase or the comment\'s name:, and refuses a gap', async () => {
    const gen = await import('../scripts/gen-abi.mjs');
    const src = '// abi-names: NAMES = K_\nexport const K_B_TWO: i32 = 1;\nexport const K_A: i32 = 0;\nexport const K_OS: i32 = 2; // name: lockOS\n';
    expect(gen.renderFrom([{ file: 'x.ts', text: src }])).toContain("export const NAMES = [\n  'a',\n  'bTwo',\n  'lockOS',\n] as const;");
    expect(() => gen.renderFrom([{ file: 'x.ts', text: '// abi-names: NAMES = K_\nexport const K_A: i32 = 0;\nexport const K_B: i32 = 2;\n' }]))
      .toThrow(/K_B = 2, expected 1/);
  });
});
