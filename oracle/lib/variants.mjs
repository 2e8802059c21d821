// Reads oracle/runtimes.json for oracle/setup: `node variants.mjs list` prints "name release-dir patch".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const table = JSON.parse(readFileSync(fileURLToPath(new URL('../runtimes.json', import.meta.url)), 'utf8'));
if (process.argv[2] === 'list') {
  for (const [name, v] of Object.entries(table.variants)) {
    const dir = table.stock[v.release].goroot.replace(/^\/usr\/lib\/go-/, '');
    console.log(`${name} ${dir} ${v.patch}`);
  }
}
