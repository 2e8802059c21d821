// The playground's static server: `npm run web` builds the page into dist/web and serves it, read
// only, on loopback (PORT, default 8080). Nothing runs on the server: the page is static files.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** Starts the server on `port` (0: any free port); resolves with it once listening. */
export function serve(root = fileURLToPath(new URL('../dist/web/', import.meta.url)), port = Number(process.env.PORT ?? 8080)) {
  const server = createServer(async (req, res) => {
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await serve().catch((e) => {
    console.error(`cgosim: cannot serve the playground: ${e.message}`);
    process.exit(1);
  });
  console.log(`cgosim playground: http://127.0.0.1:${server.address().port}/`);
}
