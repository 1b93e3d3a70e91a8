import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { grade } from '../engine/grade.ts';
import { listLabSlugs } from '../engine/labs.ts';
import { needsBuild } from './freshness.ts';
import { createGradeApi } from './grade-endpoint.ts';
import { createStaticHandler } from './static-files.ts';

/**
 * `npm start`: build when the sources changed, then serve dist/ on http://localhost:4321 with
 * the isolation headers, plus the local lab runtime under /api/. Binds to 127.0.0.1 only — this
 * is a learner's own machine, and the grader runs code.
 */
const root = resolve(import.meta.dirname, '../..');
const requested = Number(process.env.PORT ?? 4321);
// The port actually bound, not the one asked for: PORT=0 lets the OS pick a free one (the bench
// starts it that way), and the API's Host/Origin check and the printed address must name that port.
const port = () => (server.address() as AddressInfo | null)?.port ?? requested;
const host = process.env.HOST ?? '127.0.0.1';

const { stale, reason } = needsBuild(root);
if (stale || process.argv.includes('--build')) {
  console.log(`Building the site first (${reason})…`);
  const built = spawnSync(process.execPath, [resolve(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (built.status !== 0) {
    console.error('The build failed; fix the error above and run `npm start` again.');
    process.exit(built.status ?? 1);
  }
}

const serveStatic = createStaticHandler(resolve(root, 'dist'));
const labsRoot = resolve(root, 'labs');
const api = createGradeApi({
  port,
  grade,
  listLabs: () => listLabSlugs(labsRoot).filter((slug) => existsSync(resolve(labsRoot, slug, 'lab.json'))),
});
const server = createServer((req, res) => {
  if (api.handle(req, res)) return;
  serveStatic(req, res).catch((err: unknown) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Internal error\n');
  });
});
server.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EADDRINUSE') {
    console.error(`Port ${requested} is already in use. Stop the other server or run: PORT=4322 npm start`);
    process.exit(1);
  }
  throw err;
});
server.listen(requested, host, () => {
  console.log(`Hop by Hop is running at http://localhost:${port()}/ (press Ctrl+C to stop)`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    api.close();
    server.close(() => process.exit(0));
  });
}
