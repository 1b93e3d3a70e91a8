/**
 * `npm run bench`: measures the built site and the grader, prints a table and writes
 * bench/results.json. Numbers are reported, never asserted: the targets live in the issue notes.
 *
 *   build time · HTML/CSS/JS per page type (gzip) · Lighthouse for a lesson and a lab page ·
 *   `hop grade` median per lab on its solution next to an empty Vitest run in the same workspace.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { grade } from '../../src/engine/grade.ts';
import { listLabSlugs } from '../../src/engine/labs.ts';
import { createStaticHandler } from '../../src/server/static-files.ts';
import { kb, pageWeight, type PageWeight } from './page-weight.ts';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromium = process.env.HOP_CHROMIUM ?? '/usr/bin/chromium';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (fn: () => Promise<unknown> | unknown) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

// 1. Build, from a clean dist/.
rmSync(dist, { recursive: true, force: true });
const buildMs = await timed(() =>
  execFileSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } }),
);

// 2. Page weight per page type (whichever exist in this build).
const labs = listLabSlugs(join(root, 'labs')).filter((s) => existsSync(join(root, 'labs', s, 'lab.json')));
const candidates: Record<string, string> = {
  home: '/',
  lesson: '/lessons/dns/',
  lab: labs.includes('reverse-proxy') ? '/labs/reverse-proxy/' : `/labs/${labs[0]}/`,
  glossary: '/glossary/',
  '404': '/404.html',
};
const pages: Record<string, PageWeight> = {};
for (const [type, path] of Object.entries(candidates)) {
  const file = path.endsWith('.html') ? join(dist, path) : join(dist, path, 'index.html');
  if (existsSync(file)) pages[type] = pageWeight(dist, path);
}

// 3. Lighthouse on a lesson and a lab page, served with the same headers as npm start.
const serve = createStaticHandler(dist);
const server = createServer((req, res) => void serve(req, res));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
const lighthouse: Record<string, Record<string, number> | string> = {};
for (const type of ['lesson', 'lab'] as const) {
  if (!pages[type]) continue;
  lighthouse[type] = await runLighthouse(`http://127.0.0.1:${port}${candidates[type]}`);
}
server.close();

// 4. Grading: an empty Vitest run in the lab workspace is the floor; each lab's solution beside it.
const floorMs = median(await repeat(runs, () => emptyVitestRun()));
const gradeMs: Record<string, number> = {};
for (const lab of labs) {
  gradeMs[lab] = median(await repeat(runs, () => grade({ slug: lab, files: join(root, 'labs', lab, 'solution') })));
}

// Report.
const results = { date: new Date().toISOString(), node: process.version, buildMs, pages, lighthouse, grade: { runs, floorMs, medianMs: gradeMs } };
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const rows = [`| measure | value |`, `| --- | --- |`, `| build (clean) | ${(buildMs / 1000).toFixed(1)} s |`];
for (const [type, w] of Object.entries(pages)) {
  rows.push(`| ${type}: HTML / CSS / JS initial / JS lazy (gzip) | ${kb(w.html.gzip)} / ${kb(w.css.gzip)} / ${kb(w.jsInitial.gzip)} / ${kb(w.jsLazy.gzip)} |`);
}
for (const [type, scores] of Object.entries(lighthouse)) {
  rows.push(`| Lighthouse ${type} (perf / a11y / best practices) | ${typeof scores === 'string' ? scores : `${scores.performance} / ${scores.accessibility} / ${scores['best-practices']}`} |`);
}
rows.push(`| empty Vitest run in the lab workspace (floor, median of ${runs}) | ${(floorMs / 1000).toFixed(2)} s |`);
for (const [lab, ms] of Object.entries(gradeMs)) rows.push(`| hop grade ${lab} solution (median of ${runs}) | ${(ms / 1000).toFixed(2)} s (${(ms / floorMs).toFixed(1)}× floor) |`);
console.log(rows.join('\n'));
console.log('\nWritten to bench/results.json');

async function repeat(n: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timed(fn));
  return out;
}

/** The same workspace and command as a grade, with one trivial test: what any grade costs at least. */
function emptyVitestRun(): Promise<void> {
  const ws = join(root, 'labs/_workspace');
  const dir = mkdtempSync(join(tmpdir(), 'hop-floor-'));
  for (const f of ['package.json', 'vitest.config.ts', 'hop-grade.config.ts', 'hop-reporter.ts', 'hop-progress.ts', 'tsconfig.json']) {
    writeFileSync(join(dir, f), readFileSync(join(ws, f)));
  }
  execFileSync('ln', ['-s', join(ws, 'node_modules'), join(dir, 'node_modules')]);
  mkdirSync(join(dir, 'tests'));
  writeFileSync(join(dir, 'tests/01-empty.test.ts'), "import { test } from 'vitest';\ntest('nothing', () => {});\n");
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'hop-grade.config.ts'], { cwd: dir, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', () => {
      rmSync(dir, { recursive: true, force: true });
      done();
    });
  });
}

async function runLighthouse(url: string): Promise<Record<string, number> | string> {
  const out = join(mkdtempSync(join(tmpdir(), 'hop-lh-')), 'report.json');
  const flags = '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run';
  // Asynchronous on purpose: the pages are served from this very process, so a blocking spawn
  // would leave Lighthouse waiting on a server that can never answer.
  const stderr = await new Promise<string>((done) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/lighthouse/cli/index.js'), url, '--quiet', `--chrome-flags=${flags}`, '--only-categories=performance,accessibility,best-practices', '--output=json', `--output-path=${out}`],
      { env: { ...process.env, CHROME_PATH: chromium }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('exit', () => (clearTimeout(timer), done(err)));
  });
  if (!existsSync(out)) return `failed: ${stderr.split('\n').slice(-3).join(' ') || 'no report'}`;
  const report = JSON.parse(readFileSync(out, 'utf8')) as { categories: Record<string, { score: number }> };
  return Object.fromEntries(Object.entries(report.categories).map(([k, v]) => [k, Math.round(v.score * 100)]));
}
