// Every citation of the model document resolves inside the repository: a "§N" or "§N.M" in the
// core, the host or the reference (and "docs/model.md §N" anywhere) names a section of docs/model.md.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(join(root, dir)).flatMap((f) => {
    const rel = join(dir, f);
    return statSync(join(root, rel)).isDirectory() ? files(rel, ext) : ext.test(f) ? [rel] : [];
  });
}

/** The sections docs/model.md has: "## 4." and "### 4.2", and ranges like "### 10.2 – 10.4". */
function sections(): (s: string) => boolean {
  const heads = readFileSync(join(root, 'docs/model.md'), 'utf8').split('\n')
    .map((l) => /^#{2,3} (\d+)(?:\.(\d+))?(?: – \d+\.(\d+))?[ .]/.exec(l)).filter((m) => m !== null);
  return (s) => {
    const [major, minor] = s.split('.');
    return heads.some((m) => m[1] === major && (minor === undefined
      ? m[2] === undefined
      : m[2] !== undefined && Number(minor) >= Number(m[2]) && Number(minor) <= Number(m[3] ?? m[2])));
  };
}

it('every citation of the model names a section of docs/model.md', () => {
  const has = sections();
  const cited: string[] = [];
  const sources = [...files('assembly', /\.ts$/), ...files('src', /\.ts$/), ...files('test/reference', /\.ts$/), 'README.md'];
  for (const file of sources) {
    const text = readFileSync(join(root, file), 'utf8');
    text.split('\n').forEach((line, i) => {
      // Another document's sections ("stack-notes.md §1.3") are not the model's.
      const other = /([\w./-]+\.md) §/.exec(line);
      if (other && !other[1]!.endsWith('docs/model.md')) return;
      if (file === 'README.md' && !line.includes('docs/model.md')) return;
      for (const m of line.matchAll(/§(\d+(?:\.\d+)?)/g)) {
        cited.push(m[1]!);
        expect(has(m[1]!), `${file}:${i + 1} cites §${m[1]}`).toBe(true);
      }
    });
    expect(text, `${file} cites the model outside the repository`).not.toMatch(/go-runtime-model\.md/);
  }
  expect(cited.length).toBeGreaterThan(20);
});
