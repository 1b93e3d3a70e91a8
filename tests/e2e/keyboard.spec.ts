import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { checkContent } from '../../src/lib/course/check-content.ts';
import { buildOutline } from '../../src/lib/course/navigation.ts';

// Keyboard only: no clicks, no mouse. Each step presses keys until focus lands where a learner
// would want it, with a bound so a focus trap fails the test instead of hanging it.
const root = resolve(import.meta.dirname, '../..');
const { course, lessons } = checkContent(root);
const sequence = buildOutline(course, lessons).sequence;

/** Presses `key` until the focused element matches `selector`; returns how many presses it took. */
async function pressUntil(page: Page, key: string, selector: string, limit: number): Promise<number> {
  for (let i = 1; i <= limit; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate((sel) => !!document.activeElement?.matches(sel), selector)) return i;
  }
  throw new Error(`Focus never reached ${selector} after ${limit} presses of ${key}`);
}

/** A word from the first lesson's title, which search must find that lesson by. */
const first = sequence[0]!;
const word = first.data.title.split(/\W+/).sort((a, b) => b.length - a.length)[0]!.toLowerCase();

test('from the home page to a lesson, its knowledge check and search, by keyboard alone', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/');

  // Tab to the first lesson link and open it.
  await pressUntil(page, 'Tab', '.lesson-card > a', 40);
  const lesson = await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute('href'));
  expect(lesson).toBe(`/lessons/${first.slug}/`);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${lesson}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(first.data.title);

  // Skip link first, then on to the first option of the knowledge check, and answer it with Space.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await pressUntil(page, 'Tab', '[data-knowledge-check] input[type="radio"]', 400);
  await page.keyboard.press('Space');
  const check = page.locator('[data-knowledge-check]').first();
  await expect(check.locator('[data-score]')).toHaveText(/^Answered 1 of \d+ · [01] correct$/);
  await expect(check.locator('[data-question="1"] [data-feedback]:visible')).toHaveCount(1);
  // Arrow keys move between the options of a question, as radios do, and change the answer.
  await page.keyboard.press('ArrowDown');
  await expect(check.locator('[data-score]')).toHaveText(/^Answered 1 of/);

  // "/" opens search (focus leaves the radio first: "/" in a form field is left alone).
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  const dialog = page.getByRole('dialog', { name: 'Search the course' });
  await expect(dialog).toBeVisible();
  const input = dialog.getByRole('searchbox', { name: 'Search lessons, labs and the glossary' });
  await expect(input).toBeFocused();
  await page.keyboard.type(word);
  await expect(dialog.getByRole('status')).toHaveText(new RegExp(`results? for “${word}”`));
  const results = dialog.getByRole('list', { name: 'Search results' }).getByRole('link');
  await expect(results.first()).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(results.first()).toBeFocused();
  if ((await results.count()) > 1) {
    await page.keyboard.press('ArrowDown');
    await expect(results.nth(1)).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(results.first()).toBeFocused();
  }
  const target = await results.first().getAttribute('href');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${target}$`));
});

test('Tab also reaches the search results, and Escape closes search and returns focus', async ({ page }) => {
  await page.goto('/');
  const opener = page.getByRole('button', { name: /^Search/ });
  await pressUntil(page, 'Tab', '[data-search-open]', 20);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Search the course' });
  await expect(dialog).toBeVisible();
  await page.keyboard.type(word);
  await expect(dialog.getByRole('status')).toHaveText(new RegExp(`results? for “${word}”`));
  const result = dialog.getByRole('list', { name: 'Search results' }).getByRole('link').first();
  await expect(result).toBeVisible();
  await pressUntil(page, 'Tab', '[data-search-results] a', 5);
  await expect(result).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test('"/" typed in a form field stays there and does not open search', async ({ page }) => {
  await page.goto(`/lessons/${first.slug}/`);
  const radio = page.locator('[data-knowledge-check] input[type="radio"]').first();
  await radio.focus();
  await page.keyboard.press('/');
  await expect(radio).toBeFocused();
  await expect(page.getByRole('dialog', { name: 'Search the course' })).toBeHidden();
  // Once open, "/" is just a character in the search field.
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('/');
  const input = page.getByRole('searchbox', { name: 'Search lessons, labs and the glossary' });
  await expect(input).toBeFocused();
  await page.keyboard.type('a/b');
  await expect(input).toHaveValue('a/b');
});

test('search keeps working offline once it has been opened', async ({ page, context }) => {
  await page.goto('/');
  await page.keyboard.press('/');
  const dialog = page.locator('[data-search-dialog]');
  await expect(dialog).toHaveAttribute('data-offline', 'ready');
  await context.setOffline(true);
  await page.keyboard.type(word);
  await expect(page.locator('[data-search-status]')).toHaveText(new RegExp(`results? for “${word}”`));
  await expect(dialog.locator(`[data-search-results] a[href="/lessons/${first.slug}/"]`)).toBeVisible();
  await context.setOffline(false);
});
