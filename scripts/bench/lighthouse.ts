/**
 * One Lighthouse run (the lighthouse package's CLI, Debian's Chromium) against a page this process
 * serves: the category scores, the metrics behind the performance score, and the scripts the page
 * actually fetched while loading without any interaction — the measured counterpart of the static
 * import graph in page-weight.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weighFiles, type Weight } from './page-weight.ts';

export type LighthouseResult = {
  scores: Record<string, number>;
  /** Milliseconds, except cls. */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; si: number };
  /** Same-origin scripts fetched during the load, gzip-weighed from dist/ like the page weights. */
  fetchedJs: Weight & { files: string[] };
  /** The audits that cost the most, for the notes. */
  renderBlocking: string[];
};

type Report = {
  runtimeError?: { code: string; message: string };
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: Array<Record<string, unknown>> } }>;
};

const FLAGS = '--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run';

export async function runLighthouse(opts: { root: string; chromium: string; url: string; dist: string }): Promise<LighthouseResult | string> {
  let last = 'no report';
  // Lighthouse occasionally fails to record a trace (NO_NAVSTART) on a busy machine: try again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const report = await once(opts);
    if (typeof report === 'string') last = report;
    else if (report.runtimeError) last = `${report.runtimeError.code}: ${report.runtimeError.message}`;
    else return summarise(report, opts);
  }
  return `failed: ${last}`;
}

async function once(opts: { root: string; chromium: string; url: string }): Promise<Report | string> {
  const dir = mkdtempSync(join(tmpdir(), 'hop-lh-'));
  const out = join(dir, 'report.json');
  try {
    // Asynchronous on purpose: the pages are served from this very process, so a blocking spawn
    // would leave Lighthouse waiting on a server that can never answer.
    const stderr = await new Promise<string>((done) => {
      const child = spawn(
        process.execPath,
        [join(opts.root, 'node_modules/lighthouse/cli/index.js'), opts.url, '--quiet', `--chrome-flags=${FLAGS}`, '--only-categories=performance,accessibility,best-practices', '--output=json', `--output-path=${out}`],
        { env: { ...process.env, CHROME_PATH: opts.chromium }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
      child.on('exit', () => (clearTimeout(timer), done(err)));
    });
    if (!existsSync(out)) return stderr.split('\n').filter(Boolean).slice(-3).join(' ') || 'no report';
    return JSON.parse(readFileSync(out, 'utf8')) as Report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function summarise(report: Report, opts: { url: string; dist: string }): LighthouseResult {
  const origin = new URL(opts.url).origin;
  const num = (id: string) => Math.round((report.audits[id]?.numericValue ?? NaN) * (id === 'cumulative-layout-shift' ? 1000 : 1)) / (id === 'cumulative-layout-shift' ? 1000 : 1);
  const items = (id: string) => report.audits[id]?.details?.items ?? [];
  const scripts = items('network-requests')
    .filter((r) => r.resourceType === 'Script' && typeof r.url === 'string' && r.url.startsWith(origin))
    .map((r) => new URL(r.url as string).pathname);
  const files = [...new Set(scripts)].map((p) => join(opts.dist, p)).filter((f) => existsSync(f));
  return {
    scores: Object.fromEntries(Object.entries(report.categories).map(([k, v]) => [k, Math.round((v.score ?? 0) * 100)])),
    metrics: {
      fcp: num('first-contentful-paint'),
      lcp: num('largest-contentful-paint'),
      tbt: num('total-blocking-time'),
      cls: num('cumulative-layout-shift'),
      si: num('speed-index'),
    },
    fetchedJs: { ...weighFiles(files), files: files.map((f) => f.slice(opts.dist.length)) },
    renderBlocking: items('render-blocking-insight').map((r) => new URL(String(r.url)).pathname),
  };
}
