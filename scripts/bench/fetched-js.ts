/**
 * The JavaScript pages really fetch when opened and left alone, measured in Chromium: the static
 * graph cannot tell a dynamic import that runs at once (a lesson's progress code) from one that
 * waits for a click (search), so this is the number to hold against "lesson pages ship almost no
 * JavaScript". Weighed from dist/ with gzip, like the page weights.
 */
import { chromium, type Response } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { weighFiles, type Weight } from './page-weight.ts';

export type Fetched = Weight & { files: string[] };

/** Quiet for this long (no new resource) counts as done: Monaco starts on an idle callback after load. */
const QUIET_MS = 2_000;
const MAX_MS = 30_000;

export async function fetchedOnOpen(opts: { origin: string; paths: Record<string, string>; dist: string; chromium: string }): Promise<Record<string, Fetched>> {
  const browser = await chromium.launch({ executablePath: opts.chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  const out: Record<string, Fetched> = {};
  try {
    for (const [type, path] of Object.entries(opts.paths)) {
      const page = await browser.newPage();
      const scripts = new Set<string>();
      const onResponse = (r: Response) => {
        const url = new URL(r.url());
        if (r.request().resourceType() === 'script' && url.origin === opts.origin) scripts.add(url.pathname);
      };
      page.on('response', onResponse);
      await page.goto(`${opts.origin}${path}`, { waitUntil: 'load' });
      await page.waitForFunction(
        ({ quiet }) => {
          const w = window as unknown as { __hopSeen?: { n: number; at: number } };
          const n = performance.getEntriesByType('resource').length;
          if (!w.__hopSeen || w.__hopSeen.n !== n) w.__hopSeen = { n, at: performance.now() };
          return performance.now() - w.__hopSeen.at > quiet;
        },
        { quiet: QUIET_MS },
        { polling: 250, timeout: MAX_MS },
      );
      page.off('response', onResponse);
      await page.close();
      const files = [...scripts].map((p) => join(opts.dist, p)).filter((f) => existsSync(f));
      out[type] = { ...weighFiles(files), files: files.map((f) => f.slice(opts.dist.length)) };
    }
  } finally {
    await browser.close();
  }
  return out;
}
