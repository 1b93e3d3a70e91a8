import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// What the built site depends on. A change to any of these makes `npm start` rebuild first.
const INPUTS = ['src', 'content', 'labs', 'public', 'astro.config.mjs', 'package.json'];
const SKIP = new Set(['node_modules', '.git', 'dist', '.astro']);

/** True when dist/ is missing or older than any source file, so `npm start` must build first. */
export function needsBuild(root: string): { stale: boolean; reason: string } {
  const marker = join(root, 'dist/index.html');
  if (!existsSync(marker)) return { stale: true, reason: 'there is no build yet' };
  const builtAt = statSync(marker).mtimeMs;
  for (const input of INPUTS) {
    const newer = newestChange(join(root, input), builtAt);
    if (newer) return { stale: true, reason: `${newer.slice(root.length + 1)} changed since the last build` };
  }
  return { stale: false, reason: 'the build is up to date' };
}

function newestChange(path: string, since: number): string | undefined {
  if (!existsSync(path)) return undefined;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs > since ? path : undefined;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const hit = newestChange(join(path, entry.name), since);
    if (hit) return hit;
  }
  return undefined;
}
