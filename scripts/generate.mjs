// Writes the files derived from the host's tables: the README's crash list (src/report/crashes.ts),
// the README's table of Go's own cgo tests (scenarios/go-tests/, src/report/gotests.ts), the scenario
// JSON Schema and the step types (src/scenario/ops.ts, schema.ts, steptypes.ts). Run `npm run generate` after
// changing a table; test/generated.node.test.ts fails while a committed copy differs from this.

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const { crashListMarkdown } = await import(new URL('dist/src/report/crashes.js', root).href);
const { scenarioSchema } = await import(new URL('dist/src/scenario/schema.js', root).href);
const { goTestsMarkdown } = await import(new URL('dist/src/report/gotests.js', root).href);

const goTestsDir = new URL('scenarios/go-tests/', root);
const goTests = readdirSync(goTestsDir).filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, goTestsDir), 'utf8'))]);

/** Writes a file if its text changed, and says so. */
function update(url, text, what) {
  let old;
  try { old = readFileSync(url, 'utf8'); } catch { old = undefined; }
  if (old !== text) writeFileSync(url, text);
  console.log(`${what}: ${old !== text ? 'updated' : 'current'}`);
}

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
update(readmeUrl, replaceBlock(readFileSync(readmeUrl, 'utf8'), 'crashes', crashListMarkdown()), 'README.md crash list');
update(readmeUrl, replaceBlock(readFileSync(readmeUrl, 'utf8'), 'go-tests', goTestsMarkdown(goTests)), 'README.md Go tests table');
mkdirSync(new URL('schema/', root), { recursive: true });
update(new URL('schema/scenario.schema.json', root), `${JSON.stringify(scenarioSchema(), null, 2)}\n`, 'schema/scenario.schema.json');
const { stepTypesSource } = await import(new URL('dist/src/scenario/steptypes.js', root).href);
update(new URL('src/api/steps.ts', root), stepTypesSource(), 'src/api/steps.ts');
