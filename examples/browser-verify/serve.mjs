// A static server for the built page, on loopback only.
//   node examples/browser-verify/build.mjs && node examples/browser-verify/serve.mjs [port]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * Serves the files of `dir` (index.html at /); nothing outside it.
 * @param {string} dir
 * @returns {import('node:http').Server}
 */
export function createStaticServer(dir) {
  return createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = normalize(join(dir, path === '/' ? 'index.html' : decodeURIComponent(path)));
    const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(file))];
    if (!file.startsWith(dir + sep) || !type || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = createStaticServer(join(import.meta.dirname, 'dist'));
  server.listen(Number(process.argv[2] ?? 8081), '127.0.0.1', () => {
    const a = server.address();
    console.log(`http://127.0.0.1:${typeof a === 'object' && a ? a.port : ''}/`);
  });
}
