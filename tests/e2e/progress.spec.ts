import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkContent } from '../../src/lib/course/check-content.ts';
import { buildOutline } from '../../src/lib/course/navigation.ts';

// Progress lives in localStorage; every test starts from an empty one (a new browser context).
const root = resolve(import.meta.dirname, '../..');
const { course, lessons } = checkContent(root);
const sequence = buildOutline(course, lessons).sequence;
const lesson = sequence[0]!;
/** A lesson with a lab that has a page, for the lab-stage tests. */
const withLab = sequence.find((l) => l.data.lab === 'reverse-proxy') ?? sequence.find((l) => l.data.lab);

const card = (page: Page, slug: string) => page.locator(`.lesson-card[data-lesson="${slug}"] [data-progress-lesson]`);

async function answerFirstQuestion(page: Page): Promise<{ total: number }> {
  const check = page.locator('[data-knowledge-check]').first();
  const total = await page.locator('[data-knowledge-check] [data-question]').count();
  await check.locator('[data-question="1"]').getByRole('radio').first().check();
  await expect(check.locator('[data-score]')).toHaveText(/Answered 1 of/);
  return { total };
}

/** Scrolls to the end of the lesson, which marks it read, then checks the button toggles both ways. */
async function readToEnd(page: Page): Promise<void> {
  const box = page.locator('[data-progress-ui="lesson"]');
  await box.scrollIntoViewIfNeeded();
  await expect(box).toHaveAttribute('data-end-reached', /^\d+$/);
  await expect(box).toHaveAttribute('data-read', 'true');
  await box.getByRole('button', { name: 'Mark as unread' }).click();
  await expect(box).toHaveAttribute('data-read', 'false');
  await box.getByRole('button', { name: 'Mark as read' }).click();
  await expect(box).toHaveAttribute('data-read', 'true');
  await expect(box.getByRole('button', { name: 'Mark as unread' })).toBeVisible();
}

test('reading a lesson and answering its check show on the home page and in the sidebar after a reload', async ({ page }) => {
  await page.goto(`/lessons/${lesson.slug}/`);
  const { total } = await answerFirstQuestion(page);
  await readToEnd(page);

  await page.goto('/');
  await page.reload();
  await expect(card(page, lesson.slug)).toBeVisible();
  await expect(card(page, lesson.slug)).toHaveText(`✓ Read · 1 of ${total} questions answered`);
  const summary = page.getByRole('region', { name: 'Your progress' });
  await expect(summary).toContainText(`You have read 1 of ${sequence.length} lessons, answered 1 knowledge-check question`);
  if (sequence[1]) await expect(summary.getByRole('link', { name: /Continue with/ })).toHaveAttribute('href', `/lessons/${sequence[1].slug}/`);

  await page.goto(`/lessons/${sequence[1]?.slug ?? lesson.slug}/`);
  const side = page.getByRole('navigation', { name: 'Course' }).locator(`[data-progress-lesson="${lesson.slug}"]`);
  await expect(side).toBeVisible();
  await expect(side.locator('.short')).toHaveText(`✓ 1/${total}`);
  await expect(side).toContainText(`Read, 1 of ${total} questions answered.`);
});

test('scrolling to the end of a lesson marks it read, and marking it unread sticks', async ({ page }) => {
  await page.goto(`/lessons/${lesson.slug}/`);
  const box = page.locator('[data-progress-ui="lesson"]');
  await expect(box).toHaveAttribute('data-read', 'false');
  await page.getByRole('navigation', { name: 'Previous and next lesson' }).scrollIntoViewIfNeeded();
  await expect(box).toHaveAttribute('data-read', 'true');
  await expect(box).toContainText('You have read this lesson.');

  await box.getByRole('button', { name: 'Mark as unread' }).click();
  await expect(box).toHaveAttribute('data-read', 'false');
  // Up to the top and back to the end: the learner's "unread" is not overridden.
  const seen = Number(await box.getAttribute('data-end-reached'));
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(box).not.toBeInViewport();
  await page.getByRole('navigation', { name: 'Previous and next lesson' }).scrollIntoViewIfNeeded();
  await expect(box).toHaveAttribute('data-end-reached', String(seen + 1));
  await expect(box).toHaveAttribute('data-read', 'false');
  await page.goto('/');
  await expect(card(page, lesson.slug)).toBeHidden();
});

test('answers given before the progress script loads are still recorded', async ({ page }) => {
  // Hold back the lazily loaded progress code until an answer has been given.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(/\/_astro\/page\.[\w-]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/lessons/${lesson.slug}/`);
  await answerFirstQuestion(page);
  release();
  await expect(page.locator('[data-progress-ui="lesson"]')).toBeVisible();
  await page.goto('/');
  await expect(card(page, lesson.slug)).toContainText('1 of');
});

test('export, reset (asked first) and import bring progress back', async ({ page }) => {
  await page.goto(`/lessons/${lesson.slug}/`);
  await answerFirstQuestion(page);
  await readToEnd(page);

  await page.goto('/progress/');
  const row = page.locator(`.lessons [data-progress-lesson="${lesson.slug}"]`);
  await expect(row).toContainText('✓ Read');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export progress' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^hop-by-hop-progress-\d{4}-\d{2}-\d{2}\.json$/);
  const file = test.info().outputPath(download.suggestedFilename());
  await download.saveAs(file);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported).toMatchObject({ format: 'hop-by-hop-progress', version: 1 });
  expect(exported.lessons[lesson.slug].readAt).toEqual(expect.any(Number));

  // Reset asks first; Cancel keeps everything.
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset your progress?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('✓ Read');
  await expect(page.getByRole('button', { name: 'Reset progress…' })).toBeFocused();

  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await dialog.getByRole('button', { name: 'Reset progress' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your progress was reset' })).toBeVisible();
  await expect(row).toBeHidden();
  await page.reload();
  await expect(page.locator('[data-progress-summary]')).toContainText('Nothing yet');

  await page.getByLabel('Import progress…').setInputFiles(file);
  await expect(page.getByRole('status').filter({ hasText: /^Imported hop-by-hop-progress-.*: 1 lesson read and 1 answer/ })).toBeVisible();
  await expect(row).toContainText('✓ Read');
  await page.goto('/');
  await expect(card(page, lesson.slug)).toContainText('✓ Read');
});

test('a bad progress file is refused with a message naming the field, and nothing changes', async ({ page }) => {
  await page.goto('/progress/');
  await expect(page.getByRole('button', { name: 'Export progress' })).toBeVisible();
  const bad = { format: 'hop-by-hop-progress', version: 1, exportedAt: 1, lessons: { [lesson.slug]: { readAt: 'yesterday', checks: {} } } };
  await page.getByLabel('Import progress…').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('"mine.json" is not a progress file this course can import, so nothing was changed.');
  await expect(alert).toContainText(`"lessons.${lesson.slug}.readAt" is "yesterday", but it should be a time in milliseconds since 1970`);

  await page.getByLabel('Import progress…').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(alert).toContainText('"notes.txt" is not a progress file');
  await expect(alert).toContainText('It is not JSON');
  await expect(page.locator('[data-progress-summary]')).toContainText('Nothing yet');
});

test('a corrupt saved progress is set aside with a visible notice, never a crash', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('hop:progress', '{"version":1,"lessons":{"dn'));
  await page.reload();
  const notice = page.locator('[data-progress-notice]');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('Your saved progress could not be read (it is not valid JSON)');
  await expect(notice).toContainText('hop:progress:unreadable:');
  const aside = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('hop:progress:unreadable:')));
  expect(await page.evaluate((k) => localStorage.getItem(k!), aside)).toBe('{"version":1,"lessons":{"dn');

  // Still shown on the next page until dismissed; listed on the Progress page.
  await page.goto('/progress/');
  await expect(notice).toBeVisible();
  await expect(page.locator('[data-set-aside]')).toContainText(aside!);
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toBeHidden();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(notice).toBeHidden();
  // A newer format is set aside too.
  await page.evaluate(() => localStorage.setItem('hop:progress', JSON.stringify({ version: 99, lessons: {} })));
  await page.reload();
  await expect(notice).toContainText('saved by a newer version of this site (format 99)');
  expect(errors).toEqual([]);
});

test('lab stages passed come from the lab page saves', async ({ page }) => {
  test.skip(!withLab, 'no lesson has a lab yet');
  const lab = withLab!.data.lab!;
  const stages = JSON.parse(readFileSync(resolve(root, 'labs', lab, 'lab.json'), 'utf8')).stages.length as number;
  await page.goto('/');
  // What the lab page saves after stages 1 and 2 passed and 3 failed (src/workbench/storage.ts).
  await page.evaluate(
    ({ lab }) => {
      const result = (status: string) => ({ status, passed: 1, total: 1, tests: [], at: Date.now(), runtime: 'local' });
      localStorage.setItem(
        `hop:lab:${lab}`,
        JSON.stringify({
          version: 2,
          lab,
          files: {},
          starterHash: 'x',
          updatedAt: Date.now(),
          lastResults: { '1': result('pass'), '2': result('pass'), '3': result('fail') },
          undo: null,
          hintsShown: {},
        }),
      );
    },
    { lab },
  );
  await page.reload();
  await expect(card(page, withLab!.slug)).toHaveText(`Lab: 2 of ${stages} stages passed`);
  await expect(page.getByRole('region', { name: 'Your progress' })).toContainText('passed 2 lab stages');

  await page.goto('/progress/');
  const labItem = page.locator(`[data-progress-lab="${lab}"]`);
  await expect(labItem.locator('[data-lab-status]')).toHaveText(`2 of ${stages} stages passed`);
  await expect(labItem.locator('[data-stage="1"]')).toHaveAttribute('data-passed', 'true');
  await expect(labItem.locator('[data-stage="3"]')).toHaveAttribute('data-passed', 'false');
});

test('without JavaScript the home page and lessons show no progress controls', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Your progress' })).toBeHidden();
  await expect(page.locator('[data-progress-lesson]:visible')).toHaveCount(0);
  await page.goto(`/lessons/${lesson.slug}/`);
  await expect(page.getByRole('button', { name: 'Mark as read' })).toBeHidden();
  await expect(page.getByRole('button', { name: /Search/ })).toBeHidden();
  await page.goto('/progress/');
  await expect(page.getByText('needs JavaScript')).toBeVisible();
  await context.close();
});
