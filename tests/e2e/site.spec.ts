import { expect, test, type Page, type Response } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkContent } from '../../src/lib/course/check-content.ts';
import { buildOutline } from '../../src/lib/course/navigation.ts';
import { collectErrors } from './support/page-errors.ts';

// The expected order comes from the content itself, so adding a lesson never breaks these tests
// but mis-ordering one does.
const root = resolve(import.meta.dirname, '../..');
const { course, lessons } = checkContent(root);
const sequence = buildOutline(course, lessons).sequence;
const shots = resolve(root, 'test-results/screenshots');
mkdirSync(shots, { recursive: true });


test('the home page lists every lesson in course order', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(course.title);
  const listed = await page.locator('[data-lesson] > a').allTextContents();
  expect(listed).toEqual(sequence.map((l) => l.data.title));
  await page.screenshot({ path: `${shots}/home.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('next and previous links walk the whole course and back', async ({ page }) => {
  await page.goto(`/lessons/${sequence[0]!.slug}/`);
  for (let i = 1; i < sequence.length; i++) {
    await page.getByRole('navigation', { name: 'Previous and next lesson' }).getByRole('link', { name: /Next/ }).click();
    await expect(page).toHaveURL(new RegExp(`/lessons/${sequence[i]!.slug}/$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(sequence[i]!.data.title);
  }
  for (let i = sequence.length - 2; i >= 0; i--) {
    await page.getByRole('navigation', { name: 'Previous and next lesson' }).getByRole('link', { name: /Previous/ }).click();
    await expect(page).toHaveURL(new RegExp(`/lessons/${sequence[i]!.slug}/$`));
  }
  await expect(page.getByRole('navigation', { name: 'Previous and next lesson' }).getByRole('link', { name: /Previous/ })).toHaveCount(0);
});

test('a lesson page is cross-origin isolated, has objectives, a sidebar and a table of contents', async ({ page }) => {
  const errors = collectErrors(page);
  const lesson = sequence[0]!;
  const response = await page.goto(`/lessons/${lesson.slug}/`);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  await expect(page.getByRole('heading', { name: 'What you will be able to do' })).toBeVisible();
  await expect(page.locator('.objectives li')).toHaveCount(lesson.data.objectives.length);
  await expect(page.getByRole('navigation', { name: 'Course' }).locator('[aria-current="page"]')).toHaveText(lesson.data.title);
  await page.setViewportSize({ width: 1440, height: 900 });
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await expect(toc).toBeVisible();
  const firstEntry = toc.getByRole('link').first();
  const target = await firstEntry.getAttribute('href');
  await firstEntry.click();
  await expect(page).toHaveURL(new RegExp(`${target}$`));
  await page.screenshot({ path: `${shots}/lesson.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test('every lesson renders without console errors, and every knowledge check answers every option', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  let checked = 0;
  for (const lesson of sequence) {
    await page.goto(`/lessons/${lesson.slug}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(lesson.data.title);
    const questions = page.locator('[data-knowledge-check] [data-question]');
    expect(await questions.count(), `${lesson.slug} should have a knowledge check`).toBeGreaterThanOrEqual(1);
    for (let q = 0; q < (await questions.count()); q++) {
      const question = questions.nth(q);
      const options = question.getByRole('radio');
      const verdicts: string[] = [];
      for (let i = 0; i < (await options.count()); i++) {
        await options.nth(i).check();
        const feedback = question.locator('[data-feedback]:visible');
        await expect(feedback, `${lesson.slug} question ${q + 1} option ${i + 1}`).toHaveCount(1);
        const text = (await feedback.textContent()) ?? '';
        expect(text).toMatch(/Correct|Not quite/);
        // Every answer, right or wrong, comes with an explanation, not just a verdict.
        expect(text.replace(/Correct|Not quite|[.!:—\s]/g, '').length, `${lesson.slug} q${q + 1} option ${i + 1} explains itself`).toBeGreaterThan(20);
        verdicts.push(text.includes('Correct') ? 'right' : 'wrong');
      }
      expect(verdicts.filter((v) => v === 'right'), `${lesson.slug} question ${q + 1} has exactly one right answer`).toHaveLength(1);
      checked++;
    }
  }
  expect(checked).toBeGreaterThanOrEqual(sequence.length * 4);
  expect(errors).toEqual([]);
});

/** The text of every script the page fetches from now until the returned function is called. */
function scriptsFetched(page: Page): () => Promise<string[]> {
  const texts: Promise<string>[] = [];
  const onResponse = (r: Response) => {
    if (r.request().resourceType() === 'script') texts.push(r.text());
  };
  page.on('response', onResponse);
  return () => {
    // Stop listening first: the page goes on fetching (workers, types) and may be closed next.
    page.off('response', onResponse);
    return Promise.all(texts);
  };
}

test('a lesson page loads neither Monaco nor zod, which the lab page needs', async ({ browser }) => {
  // Markers found in the built libraries; the lab page, which loads both, keeps them honest.
  const monaco = (t: string) => t.includes('MonacoEnvironment');
  const zod = (t: string) => t.includes('$ZodType');
  const lesson = await browser.newPage();
  const lessonScripts = scriptsFetched(lesson);
  await lesson.goto(`/lessons/${sequence[0]!.slug}/`);
  await expect(lesson.locator('[data-progress-ui="lesson"]')).toBeVisible(); // the progress code has run
  const fetched = await lessonScripts();
  expect(fetched.length).toBeGreaterThan(0);
  expect(fetched.filter(monaco)).toHaveLength(0);
  expect(fetched.filter(zod)).toHaveLength(0);
  await lesson.close();

  const labSlug = lessons.map((l) => l.data.lab).find(Boolean)!;
  const lab = await browser.newPage();
  const labScripts = scriptsFetched(lab);
  await lab.goto(`/labs/${labSlug}/`);
  await expect(lab.locator('[data-editor-host]')).toHaveAttribute('data-editor', 'monaco', { timeout: 30_000 });
  const onLab = await labScripts();
  expect(onLab.some(monaco)).toBe(true);
  expect(onLab.some(zod)).toBe(true);
  await lab.close();
});

test('lessons read fine without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`/lessons/${sequence[0]!.slug}/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(sequence[0]!.data.title);
  await expect(page.getByRole('navigation', { name: 'Course' })).toBeVisible();
  expect(await page.locator('.prose p').count()).toBeGreaterThan(3);
  await context.close();
});

test('an unknown address gets a helpful 404 page', async ({ page }) => {
  const response = await page.goto('/lessons/no-such-lesson/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page did not resolve');
  await page.getByRole('link', { name: 'The course home' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/lessons/no-such-lesson/');
  await page.screenshot({ path: `${shots}/404.png`, fullPage: true });
});

test('a lesson offers every lab that practises it, and each lab links back to it', async ({ page }) => {
  const labsDir = resolve(root, 'labs');
  const practised = readdirSync(labsDir)
    .filter((d) => existsSync(resolve(labsDir, d, 'lab.json')))
    .map((slug) => ({ slug, ...(JSON.parse(readFileSync(resolve(labsDir, slug, 'lab.json'), 'utf8')) as { title: string; lesson: string }) }));
  const lesson = 'forward-and-reverse-proxies';
  const expected = practised.filter((l) => l.lesson === lesson);
  expect(expected.length).toBeGreaterThan(1);
  await page.goto(`/lessons/${lesson}/`);
  const box = page.getByRole('complementary', { name: 'Labs' });
  for (const lab of expected) await expect(box.getByRole('link', { name: lab.title })).toHaveAttribute('href', `/labs/${lab.slug}/`);
  await box.getByRole('link', { name: expected.at(-1)!.title }).click();
  await page.getByText('Practises the lesson').getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/lessons/${lesson}/$`));
});
