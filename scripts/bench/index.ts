/**
 * `npm run bench`: measures the built site and the grader, prints a table and writes
 * bench/results.json. Numbers are reported, never asserted: the targets live in the issue notes.
 *
 *   build time · HTML/CSS/JS per page type (gzip; JS at first paint vs lazy, from the built import
 *   graph, and the JS each page really fetches when opened in Chromium) · Lighthouse for a lesson
 *   and a lab page · `hop grade` median per lab on its solution next to an empty grading run (the floor)
 *   · click-to-result: pressing Run on the lab page served by `npm start`, next to `hop grade`.
 *
 * Everything it starts listens on a free port (0) and is stopped before it ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { grade } from '../../src/engine/grade.ts';
import { listLabSlugs } from '../../src/engine/labs.ts';
import { createStaticHandler } from '../../src/server/static-files.ts';
import { clickToResult, type ClickToResult } from './click-to-result.ts';
import { fetchedOnOpen } from './fetched-js.ts';
import { withFloorLab } from './floor.ts';
import { runLighthouse, type LighthouseResult } from './lighthouse.ts';
import { kb, pageWeight, type PageWeight } from './page-weight.ts';

const root = resolve(import.meta.dirname, '../..');
const dist = join(root, 'dist');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const chromium = process.env.HOP_CHROMIUM ?? '/usr/bin/chromium';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const say = (text: string) => process.stderr.write(`bench: ${text}\n`);
const timed = async (fn: () => Promise<unknown> | unknown) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

// 1. Build, from a clean dist/.
say('building from a clean dist/');
rmSync(dist, { recursive: true, force: true });
const buildMs = await timed(() =>
  execFileSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: root, stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } }),
);

// 2. Page weight per page type (whichever exist in this build).
say('weighing pages');
const labs = listLabSlugs(join(root, 'labs'), { withManifest: true });
const candidates: Record<string, string> = {
  home: '/',
  lesson: '/lessons/dns/',
  lab: labs.includes('reverse-proxy') ? '/labs/reverse-proxy/' : `/labs/${labs[0]}/`,
  progress: '/progress/',
  glossary: '/glossary/',
  '404': '/404.html',
};
const pages: Record<string, PageWeight> = {};
for (const [type, path] of Object.entries(candidates)) {
  const file = path.endsWith('.html') ? join(dist, path) : join(dist, path, 'index.html');
  if (existsSync(file)) pages[type] = pageWeight(dist, path);
}

// Every lesson, not just the sample: the heaviest first paint, and whether any can reach Monaco
// (by its marker in the built chunks) even through a lazy import.
const lessonSlugs = existsSync(join(dist, 'lessons')) ? readdirSync(join(dist, 'lessons')).filter((s) => existsSync(join(dist, 'lessons', s, 'index.html'))) : [];
const lessonWeights = lessonSlugs.map((slug) => ({ slug, w: pageWeight(dist, `/lessons/${slug}/`) }));
const heaviest = lessonWeights.reduce<(typeof lessonWeights)[number] | undefined>((a, b) => (!a || b.w.jsInitial.gzip > a.w.jsInitial.gzip ? b : a), undefined);
const monacoFrom = lessonWeights
  .filter(({ w }) => [...w.files.initial, ...w.files.lazy].some((f) => readFileSync(join(dist, f), 'utf8').includes('MonacoEnvironment')))
  .map(({ slug }) => slug);

// 3. The same pages in Chromium, served with npm start's headers and gzip'd like the static hosts
// we deploy to (Lighthouse's simulated mobile network makes raw bytes count): the scripts each
// fetches when opened and left alone, then Lighthouse on a lesson and a lab page.
const serve = createStaticHandler(dist, { gzip: true });
const server = createServer((req, res) => void serve(req, res));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as AddressInfo).port;
say('opening each page in Chromium');
const fetched = await fetchedOnOpen({ origin: `http://127.0.0.1:${port}`, paths: Object.fromEntries(Object.keys(pages).map((t) => [t, candidates[t]!])), dist, chromium });
const lighthouse: Record<string, LighthouseResult | string> = {};
for (const type of ['lesson', 'lab'] as const) {
  if (!pages[type]) continue;
  say(`Lighthouse on the ${type} page`);
  lighthouse[type] = await runLighthouse({ root, chromium, url: `http://127.0.0.1:${port}${candidates[type]}`, dist });
}
await new Promise((r) => server.close(r));

// 4. Grading: each lab's solution, next to the floor (an empty one-test lab through the same grade()).
say(`grading: the floor and each lab's solution, ${runs} runs each`);
const floorMs = median(await withFloorLab((run) => repeat(runs, run)));
const gradeMs: Record<string, number> = {};
for (const lab of labs) {
  gradeMs[lab] = median(
    await repeat(runs, async () => {
      const report = await grade({ slug: lab, files: join(root, 'labs', lab, 'solution') });
      if (report.status !== 'pass') throw new Error(`${lab}: the solution did not pass, so its time means nothing (${report.message ?? report.status}).`);
    }),
  );
}

// 5. Click-to-result on the sample lab page, through the real `npm start` server and the local
// runtime. A failure is reported in the table rather than thrown: the numbers above took minutes.
const c2rLab = candidates.lab!.split('/')[2]!;
say(`click-to-result on /labs/${c2rLab}/ served by npm start, ${runs} runs each`);
const c2r: ClickToResult | string = await clickToResult({ root, chromium, lab: c2rLab, runs, say }).catch((err: unknown) => `failed: ${(err as Error).message ?? err}`);

// Report.
const results = {
  date: new Date().toISOString(),
  node: process.version,
  buildMs,
  pages,
  lessons: { heaviest: heaviest && { slug: heaviest.slug, jsInitial: heaviest.w.jsInitial }, reachMonaco: monacoFrom },
  fetchedOnOpen: fetched,
  lighthouse,
  grade: { runs, floorMs, medianMs: gradeMs },
  clickToResult: c2r,
};
mkdirSync(join(root, 'bench'), { recursive: true });
writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');

const seconds = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
const weights = [
  `| page (gzip) | HTML | CSS in the page | JS at first paint | lazy JS (reachable) | lazy CSS | JS run on open |`,
  `| --- | --- | --- | --- | --- | --- | --- |`,
  ...Object.entries(pages).map(([type, w]) => `| ${type} | ${[w.html, w.css, w.jsInitial, w.jsLazy, w.cssLazy].map((x) => kb(x.gzip)).join(' | ')} | ${fetched[type] ? kb(w.jsInline.gzip + fetched[type].gzip) : '–'} |`),
];
const rows = [`| measure | value |`, `| --- | --- |`, `| build (clean) | ${seconds(buildMs)} |`];
if (heaviest) {
  rows.push(`| heaviest lesson JS at first paint (of ${lessonWeights.length}) | ${kb(heaviest.w.jsInitial.gzip)} (${heaviest.slug}) |`);
  rows.push(`| lessons that can reach Monaco, even lazily | ${monacoFrom.length ? monacoFrom.join(', ') : 'none'} |`);
}
for (const [type, r] of Object.entries(lighthouse)) {
  if (typeof r === 'string') {
    rows.push(`| Lighthouse ${type} | ${r} |`);
    continue;
  }
  const m = r.metrics;
  rows.push(`| Lighthouse ${type} (perf / a11y / best practices) | ${r.scores.performance} / ${r.scores.accessibility} / ${r.scores['best-practices']} (FCP ${seconds(m.fcp)}, LCP ${seconds(m.lcp)}, TBT ${Math.round(m.tbt)} ms, CLS ${m.cls}) |`);
}
rows.push(`| floor: grading an empty one-test lab (median of ${runs}) | ${seconds(floorMs, 2)} |`);
for (const [lab, ms] of Object.entries(gradeMs)) rows.push(`| hop grade ${lab} solution (median of ${runs}) | ${seconds(ms, 2)} (${(ms / floorMs).toFixed(1)}× floor) |`);
if (typeof c2r === 'string') rows.push(`| click-to-result ${c2rLab} | ${c2r} |`);
else {
  for (const [what, c] of [
    ['stage 1, starter (fails)', c2r.starterStage1],
    ['all stages, solution (passes)', c2r.solutionAll],
  ] as const) {
    const over = c.medianMs - c.gradeMedianMs;
    rows.push(
      `| click-to-result ${c2r.lab} ${what} (median of ${runs}) | ${seconds(c.medianMs, 2)} vs hop grade ${seconds(c.gradeMedianMs, 2)} (${over >= 0 ? '+' : '−'}${seconds(Math.abs(over), 2)} page and endpoint) |`,
    );
  }
}
console.log(weights.join('\n'));
console.log(
  '\nJS at first paint: entry and inline scripts and their static imports. Lazy: reachable through import() or a worker, loaded later or never.\nJS run on open: the inline scripts plus every script file Chromium fetched with the page left alone until quiet.\n',
);
console.log(rows.join('\n'));
console.log('\nWritten to bench/results.json');

async function repeat(n: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await timed(fn));
  return out;
}
