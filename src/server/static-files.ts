import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { ISOLATION_HEADERS } from '../lib/isolation-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ttf': 'font/ttf',
};

/** Text worth compressing; images, fonts in woff2 and wasm are compressed already or barely shrink. */
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.svg', '.txt', '.xml', '.map', '.ttf']);

export type StaticOptions = {
  /**
   * gzip text for clients that accept it, as every host in the README's deploy table does. Off for
   * `npm start`, where the browser is on the same machine and compressing only costs time; on for
   * `npm run bench`, whose Lighthouse runs simulate a slow mobile network.
   */
  gzip?: boolean;
};

/**
 * Serves a built site the way the static hosts we deploy to do: directory URLs get index.html,
 * a directory without its trailing slash is redirected, unknown paths get 404.html with a 404,
 * and every response carries the cross-origin isolation headers a WebContainer needs.
 */
export function createStaticHandler(distDir: string, options: StaticOptions = {}) {
  const root = normalize(distDir + sep);
  const gzipped = new Map<string, Promise<Buffer>>();
  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const compress = options.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? gzipped : undefined;
    for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (options.gzip) res.setHeader('Vary', 'Accept-Encoding');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Only GET and HEAD are served here.\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send404(res, root, req.method === 'HEAD', compress);
    }
    const file = normalize(join(root, pathname));
    // normalize() resolves ".." — anything that lands outside dist/ is treated as missing.
    if (!file.startsWith(root) && file + sep !== root) return send404(res, root, req.method === 'HEAD', compress);
    const info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(308, { Location: `${url.pathname}/${url.search}` });
        res.end();
        return;
      }
      return sendFile(res, join(file, 'index.html'), 200, req.method === 'HEAD', compress);
    }
    if (info?.isFile()) return sendFile(res, file, 200, req.method === 'HEAD', compress);
    return send404(res, root, req.method === 'HEAD', compress);
  };
}

/** `gzipped`, when the client accepts gzip: compressed bodies by file and version, made once each. */
async function sendFile(res: ServerResponse, file: string, status: number, headOnly: boolean, gzipped?: Map<string, Promise<Buffer>>): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
    return;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  // Astro fingerprints everything under /_astro/, so those can be cached forever; pages cannot.
  const cache = file.includes(`${sep}_astro${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  if (gzipped && COMPRESSIBLE.has(extname(file).toLowerCase())) {
    const key = `${file}:${info.mtimeMs}:${info.size}`;
    if (!gzipped.has(key)) gzipped.set(key, readFile(file).then((raw) => promisify(gzip)(raw)));
    const body = await gzipped.get(key)!;
    res.writeHead(status, { 'Content-Type': type, 'Content-Encoding': 'gzip', 'Content-Length': body.length, 'Cache-Control': cache });
    res.end(headOnly ? undefined : body);
    return;
  }
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': cache });
  if (headOnly) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

function send404(res: ServerResponse, root: string, headOnly: boolean, gzipped?: Map<string, Promise<Buffer>>): Promise<void> {
  return sendFile(res, join(root, '404.html'), 404, headOnly, gzipped);
}
