/**
 * Click-to-result: what a learner waits for on a lab page served by `npm start`, from pressing Run
 * to the results panel showing the verdict — measured in Chromium against the real server (its
 * own process, as a learner starts it), with the local runtime doing the grading.
 *
 * Two cases per lab, each the median of `runs`: stage 1 on the starter (fails) and every stage on
 * the solution (passes). Each browser run is paired with a direct grade() of the same files and
 * stages in this process (what `hop grade` does), run right after it, so the difference between
 * the two medians is the page's and the endpoint's overhead — bundling the files, the HTTP
 * round trip, streaming the report, rendering it — not the tests themselves.
 *
 * Timing is read inside the page from events, never from sleeps or Playwright's own polling: a
 * capture-phase click listener stamps the start, and a MutationObserver stamps the moment the Run
 * button stops being busy (aria-busy="false", which the store sets in the same task as the stage
 * verdicts it renders). Paint is not included: at most a frame, and in headless Chromium it would
 * measure the compositor rather than the page.
 */
import { chromium as playwright, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grade } from '../../src/engine/grade.ts';

export type Case = {
  /** Click to verdict, each run in order, and their median. */
  runsMs: number[];
  medianMs: number;
  /** The same files and stages graded directly by grade(), median over the same number of runs. */
  gradeMedianMs: number;
  verdict: 'pass' | 'fail';
};
export type ClickToResult = { lab: string; runs: number; starterStage1: Case; solutionAll: Case };

type Finished = { ms: number; statuses: string[]; event: { status: string } | null; message: string };

const READY_MS = 60_000;
/** Longer than the grader's own whole-run watchdog: a run that never finishes is a bug to report. */
const RUN_MS = 180_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function clickToResult(opts: { root: string; chromium: string; lab: string; runs: number; say: (t: string) => void }): Promise<ClickToResult> {
  const { root, lab, runs } = opts;
  const labDir = join(root, 'labs', lab);
  const files: string[] = JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')).files;
  // One file is what the page's editor shows without switching tabs; more would need tab handling.
  if (files.length !== 1) throw new Error(`${lab} has ${files.length} files; click-to-result pastes into one editor.`);
  const solution = readFileSync(join(labDir, 'solution', files[0]!), 'utf8');

  const server = await startServer(root);
  let browser: Browser | undefined;
  try {
    browser = await playwright.launch({
      executablePath: opts.chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    // A fresh context: no saved code or results from another run, and the clipboard for pasting.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    // Offline apart from our server, so the in-browser runtime can never be the one that answers.
    await context.route((url) => url.origin !== server.origin, (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    await openLab(page, `${server.origin}/labs/${lab}/`);

    // Stage 1 on the starter, as the page first shows it.
    opts.say(`click-to-result: ${lab} stage 1 on the starter, ${runs} runs`);
    await page.locator('[data-upto]').selectOption('1');
    const starterStage1 = await measure(page, runs, 1, 'fail', () => grade({ slug: lab, files: join(labDir, 'starter'), uptoStage: 1 }));

    // The solution pasted in the way a learner would (and lab.spec.ts does): select all, paste.
    opts.say(`click-to-result: ${lab} every stage on the solution, ${runs} runs`);
    await page.evaluate((text) => navigator.clipboard.writeText(text), solution);
    await page.locator('[data-editor-host] .view-lines').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('ControlOrMeta+v');
    // After a paste Monaco scrolls to the end, so the last line is the one on screen.
    const lastLine = solution.trimEnd().split('\n').at(-1)!.trim();
    await page.waitForFunction(
      (line) => (document.querySelector('[data-editor-host] .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes(line),
      lastLine,
      { timeout: READY_MS },
    );
    await page.locator('[data-upto]').selectOption('0');
    const solutionAll = await measure(page, runs, 0, 'pass', () => grade({ slug: lab, files: join(labDir, 'solution') }));

    return { lab, runs, starterStage1, solutionAll };
  } finally {
    await browser?.close();
    await server.stop();
  }
}

/** Opens the lab and waits until a learner could press Run: local runtime ready, Monaco loaded. */
async function openLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-runtime][data-status="ready"]').waitFor({ timeout: READY_MS });
  const runtime = (await page.locator('[data-runtime-text]').textContent()) ?? '';
  if (!runtime.includes('npm start')) throw new Error(`the page chose another runtime: "${runtime}"`);
  await page.locator('[data-editor-host][data-editor="monaco"]').waitFor({ timeout: READY_MS });
}

/** `runs` pairs of (click Run in the page, grade the same thing directly). */
async function measure(page: Page, runs: number, upto: number, expected: Case['verdict'], direct: () => Promise<{ status: string }>): Promise<Case> {
  const runsMs: number[] = [];
  const gradeMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    await arm(page, upto);
    await page.locator('[data-run]').click();
    const done = await Promise.race([
      page.evaluate(() => (window as unknown as { __hopFinished: Promise<Finished> }).__hopFinished),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no verdict within ${RUN_MS / 1000} s`)), RUN_MS).unref()),
    ]);
    const verdict = done.statuses.every((s) => s === 'pass') ? 'pass' : done.statuses.some((s) => s === 'fail') ? 'fail' : 'none';
    // A time for the wrong outcome (a crash, a timeout, a paste gone wrong) would mean nothing.
    if (verdict !== expected || done.event?.status !== expected) {
      throw new Error(`expected ${expected}, the page showed [${done.statuses.join(', ')}] (hop:run-finished: ${done.event?.status ?? 'none'})${done.message ? `: ${done.message}` : ''}`);
    }
    runsMs.push(done.ms);

    const t = performance.now();
    const report = await direct();
    gradeMs.push(performance.now() - t);
    if (report.status !== expected) throw new Error(`grade() gave ${report.status}, the page ${expected}: not the same run`);
  }
  return { runsMs, medianMs: median(runsMs), gradeMedianMs: median(gradeMs), verdict: expected };
}

/**
 * Sets up, before the click, the promise that resolves with the click-to-verdict time. Done as a
 * separate step so nothing can happen between arming and clicking that the listeners would miss.
 */
async function arm(page: Page, upto: number): Promise<void> {
  await page.evaluate((upto) => {
    const w = window as unknown as { __hopFinished: Promise<Finished> };
    const run = document.querySelector<HTMLButtonElement>('[data-run]')!;
    const asked = [...document.querySelectorAll<HTMLElement>('[data-stage]')].filter((li) => upto === 0 || Number(li.dataset.stage) <= upto);
    w.__hopFinished = new Promise((resolve) => {
      let clickedAt: number | undefined;
      let started = false;
      let event: { status: string } | null = null;
      // Inline listeners removed through a signal: tsx keeps function names with a __name()
      // helper that does not exist in the page, so nothing here may be a named function.
      const listening = new AbortController();
      // Capture on window: stamped before the button's own handler starts the run.
      window.addEventListener(
        'click',
        (e) => {
          if ((e.target as Element | null)?.closest('[data-run]')) clickedAt ??= performance.now();
        },
        { capture: true, signal: listening.signal },
      );
      document.addEventListener('hop:run-finished', (e) => (event = (e as CustomEvent<{ status: string }>).detail), { signal: listening.signal });
      // The store updates synchronously, so the run goes busy inside the click and idle in the
      // same task that renders the verdict (and fires hop:run-finished just before we look).
      const observer = new MutationObserver(() => {
        if (clickedAt === undefined) return;
        if (run.getAttribute('aria-busy') === 'true') return void (started = true);
        if (!started) return;
        const ms = performance.now() - clickedAt;
        observer.disconnect();
        listening.abort();
        resolve({
          ms,
          statuses: asked.map((li) => li.dataset.status ?? ''),
          event,
          message: document.querySelector('[data-run-message]')?.textContent ?? '',
        });
      });
      observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-busy', 'data-status'] });
    });
  }, upto);
}

/**
 * The real `npm start` server (scripts/start.mjs, the command playwright.config.ts runs) in its own
 * process, on a port the OS picks (PORT=0); the address comes from the line it prints. It rebuilds
 * only if dist/ is older than the sources, which after the bench's own build it is not.
 */
async function startServer(root: string): Promise<{ origin: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the bench dies before its finally runs, the server must not outlive it.
  const orphan = () => child.kill('SIGKILL');
  process.on('exit', orphan);
  const stop = () => stopChild(child).finally(() => process.off('exit', orphan));
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`npm start did not come up within 180 s: ${out.slice(-500)}`)), 180_000);
      const onData = (chunk: Buffer) => {
        out += chunk;
        const m = /running at http:\/\/localhost:(\d+)\//.exec(out);
        if (m) (clearTimeout(timer), resolve(m[1]!));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (c: Buffer) => (out += c));
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`npm start exited (${code}): ${out.slice(-500)}`))));
    });
    // The endpoint accepts 127.0.0.1 as well as localhost; 127.0.0.1 avoids an IPv6 lookup first.
    return { origin: `http://127.0.0.1:${port}`, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** SIGTERM (the server's own shutdown: cancels runs, closes), then SIGKILL if it hangs. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}
