import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { needsBuild } from '../../../src/server/freshness.ts';
import { createStaticHandler } from '../../../src/server/static-files.ts';

let dist: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'hop-dist-'));
  mkdirSync(join(dist, 'lessons/dns'), { recursive: true });
  mkdirSync(join(dist, '_astro'));
  writeFileSync(join(dist, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dist, 'lessons/dns/index.html'), '<h1>dns</h1>');
  writeFileSync(join(dist, '404.html'), '<h1>missing</h1>');
  writeFileSync(join(dist, '_astro/app.abc123.js'), 'console.log(1)');
  const handler = createStaticHandler(dist);
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dist, { recursive: true, force: true });
});

function get(path: string, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static file server', () => {
  test('serves a lesson directory with both cross-origin isolation headers', async () => {
    const res = await get('/lessons/dns/');
    expect(res.status).toBe(200);
    expect(res.body).toBe('<h1>dns</h1>');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  test('redirects a directory without its trailing slash, keeping the query', async () => {
    const res = await get('/lessons/dns?x=1');
    expect([res.status, res.headers.location]).toEqual([308, '/lessons/dns/?x=1']);
    expect(res.headers['cross-origin-embedder-policy']).toBe('require-corp');
  });

  test('answers unknown paths with 404.html and a 404 status', async () => {
    const res = await get('/lessons/nope/');
    expect([res.status, res.body]).toEqual([404, '<h1>missing</h1>']);
  });

  test('never serves files outside the build folder', async () => {
    writeFileSync(join(dist, '..', 'hop-secret.txt'), 'secret');
    for (const path of ['/../hop-secret.txt', '/%2e%2e/hop-secret.txt', '/lessons/..%2f..%2fhop-secret.txt']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('secret');
    }
    rmSync(join(dist, '..', 'hop-secret.txt'));
  });

  test('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/', 'HEAD');
    expect([head.status, head.body, head.headers['content-length']]).toEqual([200, '', '13']);
    expect((await get('/', 'POST')).status).toBe(405);
  });

  test('caches fingerprinted assets for a year and pages not at all', async () => {
    expect((await get('/_astro/app.abc123.js')).headers['cache-control']).toContain('immutable');
    expect((await get('/')).headers['cache-control']).toBe('no-cache');
  });
});

describe('static file server with gzip (as the bench serves, like the hosts we deploy to)', () => {
  test('compresses text for a client that accepts gzip, and only for it', async () => {
    const handler = createStaticHandler(dist, { gzip: true });
    const zipped = createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => zipped.listen(0, '127.0.0.1', r));
    const fetchRaw = (path: string, encoding?: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        const headers = encoding ? { 'Accept-Encoding': encoding } : {};
        const req = request({ host: '127.0.0.1', port: (zipped.address() as AddressInfo).port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const js = await fetchRaw('/_astro/app.abc123.js', 'gzip, deflate, br');
      expect(js.headers['content-encoding']).toBe('gzip');
      expect(js.headers.vary).toBe('Accept-Encoding');
      expect(js.headers['cross-origin-embedder-policy']).toBe('require-corp');
      expect(gunzipSync(js.body).toString()).toBe('console.log(1)');
      const plain = await fetchRaw('/_astro/app.abc123.js');
      expect([plain.headers['content-encoding'], plain.body.toString()]).toEqual([undefined, 'console.log(1)']);
      const missing = await fetchRaw('/nope/', 'gzip');
      expect(gunzipSync(missing.body).toString()).toBe('<h1>missing</h1>');
    } finally {
      await new Promise((r) => zipped.close(r));
    }
  });
});

describe('needsBuild', () => {
  test('asks for a build when there is none, and again after a source file changes', () => {
    const root = mkdtempSync(join(tmpdir(), 'hop-fresh-'));
    mkdirSync(join(root, 'content/lessons/a'), { recursive: true });
    writeFileSync(join(root, 'content/lessons/a/index.mdx'), 'x');
    expect(needsBuild(root)).toEqual({ stale: true, reason: 'there is no build yet' });
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist/index.html'), 'built');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(root, 'content/lessons/a/index.mdx'), past, past);
    expect(needsBuild(root).stale).toBe(false);
    writeFileSync(join(root, 'content/lessons/a/index.mdx'), 'changed');
    expect(needsBuild(root)).toEqual({ stale: true, reason: 'content/lessons/a/index.mdx changed since the last build' });
    rmSync(root, { recursive: true, force: true });
  });
});
