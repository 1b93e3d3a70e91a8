import { chromium, type Browser } from '@playwright/test';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildSite } from './build-site.ts';

// GitHub Pages cannot send headers. `HOP_COI_SERVICEWORKER=1 npm run build` adds a service worker
// that does; this builds with it, serves dist/ with no isolation headers at all (as Pages does)
// and checks in Chromium that the page ends up cross-origin isolated after exactly one reload.
const executablePath = process.env.HOP_CHROMIUM ?? process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(executablePath);

let dist: string;
let cleanup = () => {};
let server: Server | undefined;
let base: string;
let browser: Browser | undefined;

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A plain static server like GitHub Pages: index.html for directories, 404.html, and no isolation headers. */
function servePlain(root: string): Promise<string> {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep) && file !== root) file = join(root, '404.html');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const found = existsSync(file);
    res.writeHead(found ? 200 : 404, { 'Content-Type': TYPES[extname(found ? file : '.html')] ?? 'application/octet-stream' });
    createReadStream(found ? file : join(root, '404.html')).pipe(res);
  });
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://localhost:${(server!.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  ({ dist, cleanup } = await buildSite({ HOP_COI_SERVICEWORKER: '1' }));
  base = await servePlain(dist);
  if (haveChromium) browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  cleanup();
});

describe('HOP_COI_SERVICEWORKER=1', () => {
  test('writes the service worker and registers it from the <head> of every page', () => {
    expect(existsSync(join(dist, 'coi-serviceworker.js'))).toBe(true);
    const pages = readdirSync(dist, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(5);
    for (const page of pages) {
      const html = readFileSync(join(page.parentPath, page.name), 'utf8');
      const head = html.slice(0, html.indexOf('</head>'));
      expect(head, relative(dist, join(page.parentPath, page.name))).toContain("navigator.serviceWorker.register('/coi-serviceworker.js')");
    }
  });

  test.skipIf(!haveChromium)('makes a header-less host cross-origin isolated after exactly one reload', async () => {
    const context = await browser!.newContext();
    const page = await context.newPage();
    // Documents loaded in the tab (the first one may be replaced before its load event).
    let loads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads++;
    });
    await page.goto(`${base}/`);
    await page.waitForFunction(() => window.crossOriginIsolated === true, undefined, { timeout: 20_000 });
    await expect.poll(() => loads).toBe(2);
    // Later pages are isolated from their first load: the worker already controls them.
    const response = await page.goto(`${base}/progress/`);
    expect(response?.status()).toBe(200);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    expect(await page.evaluate(() => sessionStorage.getItem('hop:coi-reloaded'))).toBeNull();
    expect(loads).toBe(3);
    await context.close();
  }, 60_000);

  test.skipIf(!haveChromium)('reloads at most once when isolation cannot be had', async () => {
    // A worker that answers without the headers stands in for a browser where it cannot work.
    const context = await browser!.newContext();
    await context.route('**/coi-serviceworker.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: "self.addEventListener('install', () => self.skipWaiting()); self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim())); self.addEventListener('fetch', (e) => e.respondWith(fetch(e.request)));" }),
    );
    const page = await context.newPage();
    // Documents loaded in the tab (the first one may be replaced before its load event).
    let loads = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads++;
    });
    await page.goto(`${base}/`);
    await expect.poll(() => loads, { timeout: 20_000 }).toBe(2);
    // The worker is active and the registration script has run: a second reload would have
    // destroyed this evaluation's page. Another page does not start a loop either.
    const settle = () => page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      await new Promise((r) => setTimeout(r, 0));
      return { isolated: window.crossOriginIsolated, flag: sessionStorage.getItem('hop:coi-reloaded') };
    });
    expect(await settle()).toEqual({ isolated: false, flag: '1' });
    await page.goto(`${base}/progress/`);
    expect(await settle()).toEqual({ isolated: false, flag: '1' });
    expect(loads).toBe(3);
    await context.close();
  }, 60_000);
});
