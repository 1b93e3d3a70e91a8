import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkContent } from '../../src/lib/course/check-content.ts';
import { compareTerms, letterOf } from '../../src/lib/course/glossary-index.ts';
import { collectErrors } from './support/page-errors.ts';

// The glossary page against its source, content/glossary.yaml: every term listed in order, every
// "Taught in" link landing on a heading the built lesson really has, and search finding the page.
const root = resolve(import.meta.dirname, '../..');
const { glossary } = checkContent(root);
const shots = resolve(root, 'test-results/screenshots');
mkdirSync(shots, { recursive: true });
const nat = glossary.find((t) => t.id === 'nat')!;


test('the glossary lists every term alphabetically under its letter, and reads without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/glossary/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
  const listed = await page.locator('dt dfn').allTextContents();
  expect(listed).toHaveLength(glossary.length);
  expect(listed).toEqual([...glossary.map((t) => t.term)].sort(compareTerms));
  // One letter link per group, in order, and every term sits in the group its letter names.
  const groups = await page.locator('section[data-letter-group]').evaluateAll((sections) =>
    sections.map((s) => ({ id: s.querySelector('h2')!.id, label: s.querySelector('h2')!.textContent!, terms: [...s.querySelectorAll('dt dfn')].map((d) => d.textContent!) })),
  );
  const letters = page.getByRole('navigation', { name: 'Glossary, A to Z' }).getByRole('link');
  expect(await letters.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(groups.map((g) => `#${g.id}`));
  for (const { label, terms } of groups) {
    for (const term of terms) expect(letterOf(term), `${term} under ${label}`).toBe(label === '0–9' ? '#' : label);
  }
  // Without scripts there is nothing to filter with, so the box stays out of the way.
  await expect(page.getByRole('searchbox', { name: 'Filter terms' })).toBeHidden();
  await expect(page.locator(`#${nat.id} + dd`)).toContainText(nat.definition);
  await context.close();
});

test('every "Taught in" link points at a heading that the built lesson has', async ({ page, request }) => {
  await page.goto('/glossary/');
  const hrefs = await page.locator('dd a[href^="/lessons/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(hrefs).toHaveLength(glossary.reduce((n, t) => n + t.taught.length, 0));
  const idsByLesson = new Map<string, Set<string>>();
  const missing: string[] = [];
  for (const href of hrefs) {
    const [path, id] = href.split('#') as [string, string];
    if (!idsByLesson.has(path)) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      idsByLesson.set(path, new Set([...(await response.text()).matchAll(/<h[2-6][^>]*\sid="([^"]+)"/g)].map((m) => m[1]!)));
    }
    if (!idsByLesson.get(path)!.has(id)) missing.push(href);
  }
  expect(missing).toEqual([]);
});

test('a "Taught in" link opens the lesson at the section that teaches the term', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/glossary/');
  const { lesson, anchor } = nat.taught[0]!;
  await page.locator(`#${nat.id} + dd`).getByRole('link', { name: /^Public vs private addresses/ }).click();
  await expect(page).toHaveURL(new RegExp(`/lessons/${lesson}/#${anchor}$`));
  const heading = page.locator(`#${anchor}`);
  await expect(heading).toHaveText('How one address is shared');
  await expect(heading).toBeInViewport();
  expect(errors).toEqual([]);
});

test('a deep link lands on its term, and "See also" moves to the related term', async ({ page }) => {
  await page.goto(`/glossary/#${nat.id}`);
  await expect(page.locator(`dt#${nat.id}`)).toBeInViewport();
  await page.locator(`#${nat.id} + dd`).getByRole('link', { name: 'Hairpinning' }).click();
  await expect(page).toHaveURL(/\/glossary\/#hairpinning$/);
  await expect(page.locator('dt#hairpinning')).toBeInViewport();
  await page.screenshot({ path: `${shots}/glossary.png` });
});

test('the filter narrows the list to matching names and says how many are left', async ({ page }) => {
  await page.goto('/glossary/');
  const filter = page.getByRole('searchbox', { name: 'Filter terms' });
  await filter.fill('nat');
  const shown = page.locator('[data-entry]:visible');
  const expected = glossary.filter((t) => [t.term, t.expansion ?? '', ...(t.aliases ?? [])].some((n) => n.toLowerCase().includes('nat')));
  await expect(page.getByRole('status').filter({ hasText: 'terms match' })).toHaveText(`${expected.length} of ${glossary.length} terms match “nat”.`);
  await expect(shown).toHaveCount(expected.length);
  await expect(page.locator(`dt#${nat.id}`)).toBeVisible();
  // Groups with no match, and the letter links that would lead to them, step aside.
  await expect(page.locator('section[data-letter-group]:visible')).toHaveCount(new Set(expected.map((t) => letterOf(t.term))).size);
  await expect(page.getByRole('navigation', { name: 'Glossary, A to Z' })).toBeHidden();

  await filter.fill('no such term');
  await expect(page.getByRole('status').filter({ hasText: 'No term matches' })).toBeVisible();
  await expect(shown).toHaveCount(0);
  await filter.fill('');
  await expect(shown).toHaveCount(glossary.length);
  await expect(page.getByRole('navigation', { name: 'Glossary, A to Z' })).toBeVisible();
});

test('search finds a glossary term and opens the glossary', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Search the course' });
  await expect(dialog).toBeVisible();
  await page.keyboard.type('hairpinning');
  const result = dialog.locator('[data-search-results] a[href^="/glossary/"]');
  await expect(result).toBeVisible();
  await expect(result.locator('.kind')).toHaveText('Glossary');
  await result.click();
  await expect(page).toHaveURL(/\/glossary\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Glossary');
});

test('the site header links to the glossary from every page type', async ({ page }) => {
  for (const path of ['/', '/labs/', '/progress/']) {
    await page.goto(path);
    await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Glossary' }).click();
    await expect(page).toHaveURL(/\/glossary\/$/);
    await expect(page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Glossary' })).toHaveAttribute('aria-current', 'page');
  }
});
