import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

// The lab page against `npm start` (playwright.config.ts starts it): the local runtime grades for
// real, so these tests run the reverse-proxy lab's hidden stage 1 suite end to end.

const root = path.resolve(import.meta.dirname, '../..');
const shots = path.join(root, 'test-results/screenshots');
mkdirSync(shots, { recursive: true });
const LAB = '/labs/reverse-proxy/';

/** A stage-1 answer typed into the editor: stream the request up and the response down. */
const FIX = `import http from 'node:http';
import { pipeline } from 'node:stream';

export function createReverseProxy(config: { routes: Array<{ upstream: string }> }): http.Server {
  return http.createServer((req, res) => {
    const upstream = new URL(config.routes[0]!.upstream);
    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        pipeline(answer, res, () => {});
      },
    );
    forward.on('error', () => res.destroy());
    pipeline(req, forward, () => {});
  });
}
`;

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

async function openFresh(page: Page): Promise<void> {
  await page.goto(LAB);
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('hop:')) localStorage.removeItem(key);
  });
  await page.reload();
  await expect(page.locator('[data-runtime]')).toHaveAttribute('data-status', 'ready');
  await expect(page.locator('[data-runtime-text]')).toHaveText(/This computer \(npm start\)/);
  await expect(page.locator('[data-editor-host]')).toHaveAttribute('data-editor', 'monaco', { timeout: 30_000 });
}

const stage = (page: Page, n: number) => page.locator(`[data-stage="${n}"]`);
const editorText = (page: Page) => page.locator('[data-editor-host] .view-lines');

test('run stage 1, fix it in the editor, keep it across a reload, reset and undo', async ({ page }) => {
  const errors = collectErrors(page);
  await openFresh(page);

  // The starter answers 501, so stage 1 fails with the grader's expected-vs-received message.
  await page.getByLabel('Grade').selectOption({ label: 'Stage 1 only' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stage(page, 1)).toHaveAttribute('data-status', 'fail', { timeout: 60_000 });
  await expect(stage(page, 1).locator('[data-stage-status]')).toContainText('Failed');
  const message = stage(page, 1).locator('.test-message').first();
  await expect(message).toContainText('Expected:');
  await expect(message).toContainText('Received:');
  await expect(message).toContainText('501');
  await expect(stage(page, 2)).toHaveAttribute('data-status', 'not-run');
  await expect(page.locator('[data-announcer]')).toHaveText(/Stage 1 failed/);

  // Replace the file by keyboard: select all and paste the fix from the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((text) => navigator.clipboard.writeText(text), FIX);
  await editorText(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('ControlOrMeta+v');
  await expect(editorText(page)).toContainText('pipeline(req, forward');

  // Ctrl+Enter from inside the editor runs the same stages; time click-to-result for the report.
  const started = Date.now();
  await page.keyboard.press('Control+Enter');
  await expect(stage(page, 1)).toHaveAttribute('data-status', 'pass', { timeout: 60_000 });
  test.info().annotations.push({ type: 'stage-1 run, keypress to result', description: `${Date.now() - started} ms` });
  await expect(stage(page, 1).locator('[data-stage-status]')).toContainText('Passed · 5 of 5 tests pass');
  await expect(page.locator('[data-output-log]')).toContainText('Finished in');
  await page.setViewportSize({ width: 1440, height: 1400 });
  await page.screenshot({ path: `${shots}/lab.png`, fullPage: false });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Reload: the code and the last result are still there.
  await page.reload();
  await expect(page.locator('[data-editor-host]')).toHaveAttribute('data-editor', 'monaco', { timeout: 30_000 });
  await expect(editorText(page)).toContainText('pipeline(req, forward');
  await expect(stage(page, 1)).toHaveAttribute('data-status', 'pass');
  await expect(stage(page, 1).locator('[data-stage-status]')).toContainText('Passed');

  // Reset asks first; Cancel keeps the code.
  await page.getByRole('button', { name: 'Reset to starter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset to the starter code?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(editorText(page)).toContainText('pipeline(req, forward');

  // Confirm: the starter is back, and Undo reset brings the fix back.
  await page.getByRole('button', { name: 'Reset to starter' }).click();
  await dialog.getByRole('button', { name: 'Reset my code' }).click();
  await expect(editorText(page)).toContainText('type IncomingMessage, type ServerResponse');
  await expect(editorText(page)).not.toContainText('pipeline(req, forward');
  const undo = page.getByRole('button', { name: 'Undo reset' });
  await expect(undo).toBeFocused();
  await undo.click();
  await expect(editorText(page)).toContainText('pipeline(req, forward');
  await expect(undo).toBeHidden();
  expect(errors).toEqual([]);
});

test('Cancel stops a run, and a new run replaces the one in progress', async ({ page }) => {
  await openFresh(page);
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await run.click();
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeVisible();
  await cancel.click();
  await expect(page.locator('[data-run-message]')).toHaveText('Run cancelled. Nothing was graded.');
  await expect(cancel).toBeHidden();
  await expect(stage(page, 1)).toHaveAttribute('data-status', 'not-run');

  // Run twice: the first run is replaced silently, the second one reports.
  await page.getByLabel('Grade').selectOption({ label: 'Stage 1 only' });
  await run.click();
  await expect(run).toHaveAttribute('aria-busy', 'true');
  await run.click();
  await expect(stage(page, 1)).toHaveAttribute('data-status', 'fail', { timeout: 60_000 });
  await expect(page.locator('[data-run-message]')).toBeHidden();
});

test('hints open one at a time and the solution opens beside the code after confirming', async ({ page }) => {
  await openFresh(page);
  const hints = stage(page, 1).locator('[data-hint]');
  await expect(hints.first()).toBeHidden();
  await stage(page, 1).getByRole('button', { name: 'Show a hint (1 of 3)' }).click();
  await expect(hints.nth(0)).toBeVisible();
  await expect(hints.nth(0).locator('summary')).toBeFocused();
  await expect(hints.nth(1)).toBeHidden();
  await stage(page, 1).getByRole('button', { name: 'Show hint 2 of 3' }).click();
  await expect(hints.nth(1)).toBeVisible();

  await page.getByRole('button', { name: 'Reveal solution' }).click();
  await page.getByRole('dialog', { name: 'Show the solution?' }).getByRole('button', { name: 'Show the solution' }).click();
  await expect(page.locator('[data-diff-host] .monaco-diff-editor')).toBeVisible();
  await page.getByRole('button', { name: 'Hide solution' }).click();
  await expect(page.locator('[data-diff-host]')).toBeHidden();

  // Download my code: a zip named after the lab.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download my code' }).click();
  expect((await download).suggestedFilename()).toBe('reverse-proxy-my-code.zip');
});

test('without JavaScript the brief, stages, hints, starter code and the terminal route are there', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(LAB);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Build a reverse proxy');
  await expect(stage(page, 1).getByRole('heading', { name: 'Stage 1: Forward a request' })).toBeVisible();
  await expect(stage(page, 1).locator('details.hint summary').first()).toHaveText('Hint 1 of 3');
  await expect(page.locator('[data-editor-fallback] pre')).toContainText('createReverseProxy');
  await expect(page.getByText('npx hop init reverse-proxy')).toBeVisible();
  await expect(page.getByText('npm run hop -- grade reverse-proxy reverse-proxy')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeHidden();
  await context.close();
});

/** Serves dist/ as a plain static host would (with the isolation headers, without /api). */
function staticHost(): Promise<Server> {
  const dist = path.join(root, 'dist');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let file = path.join(dist, decodeURIComponent(url.pathname));
    if (!file.startsWith(dist)) file = dist;
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    if (!existsSync(file)) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/html' }).end('<h1>Not found</h1>');
      return;
    }
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' }[path.extname(file)];
    res.writeHead(200, { ...headers, 'Content-Type': type ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('on a static host with no way to run code, the page says why within 10 s and offers the terminal', async ({ page }) => {
  const server = await staticHost();
  try {
    const { port } = server.address() as AddressInfo;
    // Offline, like this sandbox: a CI machine with internet could otherwise boot a real WebContainer.
    await page.context().route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('internetdisconnected'));
    await page.goto(`http://127.0.0.1:${port}${LAB}`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const runtime = page.locator('[data-runtime]');
    await expect(runtime).toHaveAttribute('data-status', 'unavailable', { timeout: 10_000 });
    const reasons = runtime.locator('[data-runtime-reasons] li');
    await expect(reasons).toHaveCount(2);
    await expect(reasons.nth(0)).toContainText('This computer (npm start)');
    await expect(reasons.nth(0)).toContainText('npm start');
    await expect(reasons.nth(1)).toContainText('In your browser (WebContainer)');
    await expect(runtime.getByRole('link', { name: 'Work from a terminal instead' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeDisabled();
    await page.screenshot({ path: `${shots}/lab-static-host.png` });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
