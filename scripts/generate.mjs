// Writes the files derived from the host's tables: the README's crash list (src/report/crashes.ts)
// and, once the op table exists, the scenario JSON Schema. Run `npm run generate` after changing a
// table; test/generated.node.test.ts fails while a committed copy differs from what this writes.

import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { crashListMarkdown } = await import(new URL('dist/src/report/crashes.js', root).href);

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export function replaceBlock(text, name, body) {
  const open = `<!-- generated:${name} (npm run generate) -->`;
  const close = `<!-- /generated:${name} -->`;
  const i = text.indexOf(open);
  const j = text.indexOf(close);
  if (i < 0 || j < i) throw new Error(`README.md has no ${open} … ${close} block`);
  return `${text.slice(0, i + open.length)}\n${body}\n${text.slice(j)}`;
}

const readmeUrl = new URL('README.md', root);
const readme = readFileSync(readmeUrl, 'utf8');
const next = replaceBlock(readme, 'crashes', crashListMarkdown());
if (next !== readme) writeFileSync(readmeUrl, next);
console.log(next !== readme ? 'README.md: crash list updated' : 'README.md: crash list current');
