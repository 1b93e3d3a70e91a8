import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const repo = resolve(import.meta.dirname, '../../..');

/**
 * `astro build` of this repository in a temporary copy (sources copied, node_modules linked), so
 * the test neither depends on nor disturbs the dist/ that `npm start` serves. Returns the copy's
 * root and its dist/, and a cleanup function.
 */
export async function buildSite(env: Record<string, string> = {}): Promise<{ root: string; dist: string; cleanup: () => void }> {
  const root = mkdtempSync(join(tmpdir(), 'hop-deploy-'));
  for (const f of ['package.json', 'astro.config.mjs', 'tsconfig.json', 'vercel.json']) cpSync(join(repo, f), join(root, f));
  for (const d of ['src', 'content', 'public']) cpSync(join(repo, d), join(root, d), { recursive: true });
  cpSync(join(repo, 'labs'), join(root, 'labs'), {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|\.hop)$/.test(src),
  });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  symlinkSync(join(repo, 'labs/_workspace/node_modules'), join(root, 'labs/_workspace/node_modules'));
  const { HOP_COI_SERVICEWORKER: _off, ...inherited } = process.env;
  await promisify(execFile)(process.execPath, [join(repo, 'node_modules/astro/bin/astro.mjs'), 'build'], {
    cwd: root,
    env: { ...inherited, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { root, dist: join(root, 'dist'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
