// docs/scenario-format.md is the format's reference: every op and top-level key the validator
// accepts has its section, and its examples are valid JSON that the validator accepts.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TOP_KEYS, compileScenario } from '../src/scenario/compile.js';
import { BODIES } from '../src/scenario/ops.js';

const BODY_OPS = Object.fromEntries(Object.entries(BODIES).map(([k, b]) => [k, b.ops])) as Record<keyof typeof BODIES, readonly string[]>;

const DOC = readFileSync(new URL('../docs/scenario-format.md', import.meta.url), 'utf8');

/** The doc's `### `op`` headings, by the body section they are in. */
function headingsBySection(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let section = '';
  for (const line of DOC.split('\n')) {
    const h2 = /^## (.*)$/.exec(line);
    if (h2) section = h2[1]!;
    const h3 = /^### (.*)$/.exec(line);
    if (h3) for (const m of h3[1]!.matchAll(/`([A-Za-z0-9]+)`/g)) (out.get(section) ?? out.set(section, new Set()).get(section)!).add(m[1]!);
  }
  return out;
}

describe('docs/scenario-format.md', () => {
  it('has a section for every op of every body kind the validator accepts', () => {
    const sections = headingsBySection();
    const heading: Record<keyof typeof BODY_OPS, string> = {
      timeline: 'Timeline ops (`steps`)', go: 'Go bodies (`fn`)', c: 'C bodies (inside `cgocall`)',
      signal: 'Signal handler bodies', hook: '`at` step lists',
    };
    for (const [kind, ops] of Object.entries(BODY_OPS) as [keyof typeof BODY_OPS, readonly string[]][]) {
      const title = heading[kind];
      const start = DOC.indexOf(`## ${title}`);
      expect(start, title).toBeGreaterThanOrEqual(0);
      const end = DOC.indexOf('\n## ', start + 3);
      const text = DOC.slice(start, end < 0 ? undefined : end);
      for (const op of ops) {
        const documented = sections.get(title)?.has(op) || text.includes(`\`${op}\``);
        expect(documented, `${kind} op "${op}" in "${title}"`).toBe(true);
      }
    }
  });

  it('lists every top-level key in its table', () => {
    const top = DOC.slice(DOC.indexOf('## Top level'), DOC.indexOf('## Timeline ops'));
    for (const key of TOP_KEYS) expect(top, key).toContain(`| \`${key}\` |`);
  });

  it('every JSON example parses, and the full example compiles', () => {
    const blocks = [...DOC.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThan(30);
    for (const b of blocks) {
      const text = b.trim().startsWith('"') ? `{${b}}` : b;
      expect(() => JSON.parse(text), b).not.toThrow();
    }
    const full = blocks.find((b) => b.includes('"format": 1'))!;
    expect(compileScenario(JSON.parse(full)).name).toBe('two-callbacks');
  });

  it('is linked from the README', () => {
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('](docs/scenario-format.md)');
  });
});
