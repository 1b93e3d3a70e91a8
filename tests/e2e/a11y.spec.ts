import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkContent } from '../../src/lib/course/check-content.ts';
import { buildOutline } from '../../src/lib/course/navigation.ts';

// axe-core on every page type, in both themes, with some progress recorded so the progress
// marks are on screen too. Serious and critical violations fail; the rest are printed.
const root = resolve(import.meta.dirname, '../..');
const { course, lessons } = checkContent(root);
const sequence = buildOutline(course, lessons).sequence;
const lesson = sequence[0]!;
const shots = resolve(root, 'test-results/screenshots');
mkdirSync(shots, { recursive: true });

type PageType = { name: string; path: string; ready?: (page: Page) => Promise<void> };

const PAGES: PageType[] = [
  { name: 'home', path: '/' },
  { name: 'lesson', path: `/lessons/${lesson.slug}/` },
  {
    name: 'lab',
    path: '/labs/reverse-proxy/',
    ready: async (page) => {
      await expect(page.locator('[data-editor-host]')).toHaveAttribute('data-editor', /.+/, { timeout: 30_000 });
    },
  },
  { name: 'glossary', path: '/glossary/' },
  { name: 'progress', path: '/progress/' },
  { name: '404', path: '/no-such-page/' },
];

/** Some progress in storage before any script runs: a lesson read, a question answered. */
async function seedProgress(page: Page): Promise<void> {
  await page.addInitScript((slug) => {
    if (localStorage.getItem('hop:progress')) return;
    const now = Date.now();
    localStorage.setItem(
      'hop:progress',
      JSON.stringify({
        version: 1,
        lessons: { [slug]: { readAt: now, checks: { seeded: { total: 3, answers: { '1': { option: 0, correct: true, at: now } } } } } },
        setAside: [],
        updatedAt: now,
      }),
    );
  }, lesson.slug);
}

/**
 * Findings in code this spec does not own, reported to its owners: printed and attached to the
 * test, not failed on, so they stay visible without blocking everyone's CI. Each entry names
 * exactly the elements it covers; delete it once fixed (anything else still fails).
 */
const KNOWN: { page: string; rule: string; target: RegExp; owner: string }[] = [];

async function seriousViolations(page: Page, opts: { include?: string; pageName?: string } = {}): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']);
  if (opts.include) builder = builder.include(opts.include);
  const { violations } = await builder.analyze();
  const theme = await page.evaluate(() => document.documentElement.dataset.theme);
  const failing: string[] = [];
  for (const v of violations) {
    const known = KNOWN.filter((k) => k.page === opts.pageName && k.rule === v.id);
    const nodes = v.nodes.filter((n) => !known.some((k) => k.target.test(n.target.join(' '))));
    const line = (count: number, targets: string) => `${v.impact}: ${v.id} — ${v.help} (${count}×: ${targets})`;
    if (nodes.length < v.nodes.length) {
      for (const k of known) {
        test.info().annotations.push({ type: 'known a11y issue', description: `${theme}: ${v.id} — ${k.owner}` });
        console.log(`axe on ${page.url()} [${theme}], known and reported: ${v.impact}: ${v.id} — ${k.owner}`);
      }
    }
    if (nodes.length === 0) continue;
    const text = line(nodes.length, nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | '));
    console.log(`axe on ${page.url()} [${theme}]: ${text}`);
    if (v.impact === 'serious' || v.impact === 'critical') failing.push(text);
  }
  return failing;
}

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });

    for (const { name, path, ready } of PAGES) {
      test(`the ${name} page has no serious or critical axe violations`, async ({ page }) => {
        // axe checks the contrast of every text node, and the glossary has thousands of them.
        test.slow(name === 'glossary');
        await seedProgress(page);
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
        if (name === 'home' || name === 'lesson' || name === 'progress') {
          await expect(page.locator('[data-progress-lesson]:visible').first()).toBeVisible();
        }
        await ready?.(page);
        expect(await seriousViolations(page, { pageName: name })).toEqual([]);
      });
    }

    test('the open search dialog with results has no serious or critical axe violations', async ({ page }) => {
      await page.goto('/');
      await page.keyboard.press('/');
      await page.keyboard.type(lesson.data.title.split(' ')[0]!);
      await expect(page.locator('[data-search-results] a').first()).toBeVisible();
      expect(await seriousViolations(page, { include: '[data-search-dialog]' })).toEqual([]);
      await page.screenshot({ path: `${shots}/search-${theme}.png` });
    });

    test('the reset dialog and an import error have no serious or critical axe violations', async ({ page }) => {
      await page.goto('/progress/');
      await page.getByLabel('Import progress…').setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"nope"}') });
      await expect(page.getByRole('alert')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Reset progress…' }).click();
      await expect(page.getByRole('dialog', { name: 'Reset your progress?' })).toBeVisible();
      expect(await seriousViolations(page, { include: '[data-reset-dialog]' })).toEqual([]);
    });

    test('home, a lesson, the glossary, the progress page and the 404 fit a 360 px screen', async ({ page }) => {
      await seedProgress(page);
      await page.setViewportSize({ width: 360, height: 740 });
      for (const [name, path] of [['home', '/'], ['lesson', `/lessons/${lesson.slug}/`], ['glossary', '/glossary/'], ['progress', '/progress/'], ['404', '/no-such-page/']] as const) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${name} scrolls sideways at 360 px`).toBeLessThanOrEqual(0);
        // The header's search and theme buttons stay on screen.
        for (const button of [page.locator('[data-search-open]'), page.locator('[data-theme-toggle]')]) {
          const box = (await button.boundingBox())!;
          expect(box.x + box.width).toBeLessThanOrEqual(360);
        }
        // The whole glossary would be a 100,000 px tall image; its first screen shows the layout.
        await page.screenshot({ path: `${shots}/${name}-360-${theme}.png`, fullPage: name !== 'glossary' });
      }
    });
  });
}

test('the theme toggle steps System → Light → Dark, persists, and applies before first paint', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  // Records the theme at the moment <body> starts, before anything is painted.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (!document.body) return;
      (window as unknown as { themeAtBody: string | undefined }).themeAtBody = document.documentElement.dataset.theme;
      observer.disconnect();
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`/lessons/${lesson.slug}/`);
  const html = page.locator('html');
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await expect(toggle).toHaveAccessibleName('Theme: System');
  await expect(html).toHaveAttribute('data-theme', 'light');

  await page.evaluate(() => {
    const w = window as unknown as { themeEvents: unknown[] };
    w.themeEvents = [];
    document.addEventListener('hop:theme', (e) => w.themeEvents.push((e as CustomEvent).detail));
  });
  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(toggle).toHaveAccessibleName('Theme: Dark');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as unknown as { themeEvents: unknown[] }).themeEvents)).toEqual([{ theme: 'dark', preference: 'dark' }]);

  // Code blocks follow: Shiki's dark background on every highlighted block.
  const code = page.locator('pre.astro-code').first();
  if ((await code.count()) > 0) {
    const [bg, dark] = await code.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).getPropertyValue('--shiki-dark-bg').trim()]);
    const hex = dark.replace('#', '');
    const rgb = `rgb(${parseInt(hex.slice(0, 2), 16)}, ${parseInt(hex.slice(2, 4), 16)}, ${parseInt(hex.slice(4, 6), 16)})`;
    expect(bg).toBe(rgb);
  }

  // Persisted, and set before first paint on the next page even though the system is light.
  await page.goto('/');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => (window as unknown as { themeAtBody: string }).themeAtBody)).toBe('dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(15, 17, 21)');

  // Back to System: follows the system setting again, including when it changes.
  await page.getByRole('button', { name: /^Theme:/ }).click();
  await expect(page.getByRole('button', { name: /^Theme:/ })).toHaveAccessibleName('Theme: System');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => localStorage.getItem('hop:theme'))).toBeNull();
});

test('without JavaScript the site follows the system theme', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.*/);
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 17, 21)');
  await expect(page.locator('[data-theme-toggle]')).toBeHidden();
  await context.close();
});
