/**
 * Build-time reading of lab folders for the lab pages and their JSON endpoints. Runs in Node
 * during `astro build` (and per request in `astro dev`), never in the browser. The underscore
 * keeps Astro from treating this file as a route.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listLabSlugs, loadLab, type Lab } from '../../engine/labs.ts';

/**
 * The repo's labs/ folder. Astro bundles page code into its own build folder, so the engine's
 * import.meta.url-based default can point elsewhere; Astro runs from the project root.
 */
export const LABS_ROOT = path.resolve(process.cwd(), 'labs');
const WORKSPACE = path.join(LABS_ROOT, '_workspace');

const warned = new Set<string>();

/**
 * Labs with a lab.json whose starter files are all there. A lab still being written (manifest
 * first, starter later) is left out with a warning instead of failing every page's build;
 * `npm run hop -- verify <lab>` is where its author gets the full list of problems.
 */
export function labSlugs(): string[] {
  return listLabSlugs(LABS_ROOT, { withManifest: true }).filter((slug) => {
    let missing: string[];
    try {
      const manifest = JSON.parse(readFileSync(path.join(LABS_ROOT, slug, 'lab.json'), 'utf8')) as { files?: unknown };
      const files = Array.isArray(manifest.files) ? manifest.files.filter((f): f is string => typeof f === 'string') : [];
      missing = files.filter((f) => !existsSync(path.join(LABS_ROOT, slug, 'starter', f)));
    } catch {
      return true; // an unreadable lab.json fails in readLab() with the file, the field and the fix
    }
    if (missing.length > 0 && !warned.has(slug)) {
      warned.add(slug);
      console.warn(`[labs] labs/${slug}: no lab page yet, starter/${missing.join(', starter/')} missing. Run \`npm run hop -- verify ${slug}\`.`);
    }
    return missing.length === 0;
  });
}

export function readLab(slug: string): Promise<Lab> {
  return loadLab(slug, LABS_ROOT);
}

/** Every file under dir as text, by forward-slash path relative to dir, sorted; `skip` names top-level entries. */
export function readTree(dir: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && skip.includes(entry.name)) continue;
      if (entry.name === '.DS_Store') continue;
      if (entry.isDirectory()) walk(name);
      else if (entry.isFile()) out[name] = readFileSync(path.join(dir, name), 'utf8');
    }
  };
  walk('');
  return out;
}

/** The files the learner edits, from starter/, in lab.json order. */
export function starterFiles(lab: Lab): Record<string, string> {
  return Object.fromEntries(lab.manifest.files.map((name) => [name, readFileSync(path.join(lab.dir, 'starter', name), 'utf8')]));
}

/** The reference solution for the editable files (those it has). */
export function solutionFiles(lab: Lab): Record<string, string> {
  const dir = path.join(lab.dir, 'solution');
  return Object.fromEntries(
    lab.manifest.files.filter((name) => existsSync(path.join(dir, name))).map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
  );
}

/** labs/_workspace as a WebContainer mounts it: no node_modules, no local grading scratch, no src/ or tests/. */
export function workspaceFiles(): Record<string, string> {
  return readTree(WORKSPACE, ['node_modules', '.hop', 'src', 'tests']);
}

export function testFiles(lab: Lab): Record<string, string> {
  return readTree(path.join(lab.dir, 'tests'));
}

export function hasBrief(slug: string): boolean {
  const file = path.join(LABS_ROOT, slug, 'brief.mdx');
  return existsSync(file) && statSync(file).isFile();
}

// ── Node's type declarations for the editor ────────────────────────────────────────────────

const MODULES = path.join(WORKSPACE, 'node_modules');

/**
 * Where the editor's TypeScript service starts: the globals every Node program sees, and the
 * modules the labs are written with. Everything these reference is added by nodeTypeFiles().
 */
const TYPE_ROOTS = [
  '@types/node/compatibility/index.d.ts',
  '@types/node/globals.typedarray.d.ts',
  '@types/node/buffer.buffer.d.ts',
  '@types/node/globals.d.ts',
  '@types/node/web-globals/abortcontroller.d.ts',
  '@types/node/web-globals/domexception.d.ts',
  '@types/node/web-globals/events.d.ts',
  '@types/node/web-globals/fetch.d.ts',
  '@types/node/console.d.ts',
  '@types/node/process.d.ts',
  '@types/node/timers.d.ts',
  '@types/node/timers/promises.d.ts',
  '@types/node/http.d.ts',
  '@types/node/net.d.ts',
  '@types/node/dgram.d.ts',
  '@types/node/buffer.d.ts',
  '@types/node/events.d.ts',
  '@types/node/util.d.ts',
];

/**
 * The Node 20 declarations the lab code runs against (labs/_workspace's @types/node, not the
 * site's), closed over `/// <reference>` and imports so nothing the roots mention is missing.
 * Keys are paths under node_modules/.
 */
export function nodeTypeFiles(): Record<string, string> {
  const all = new Map<string, string>();
  const declares = new Map<string, string>();
  for (const [rel, text] of Object.entries(readTree(path.join(MODULES, '@types/node'), ['ts5.6']))) {
    if (!rel.endsWith('.d.ts')) continue;
    const key = `@types/node/${rel}`;
    all.set(key, text);
    for (const m of text.matchAll(/declare module ["']([^"']+)["']/g)) if (!declares.has(m[1]!)) declares.set(m[1]!, key);
  }
  for (const [rel, text] of Object.entries(readTree(path.join(MODULES, 'undici-types')))) {
    if (rel.endsWith('.d.ts')) all.set(`undici-types/${rel}`, text);
  }

  const resolve = (from: string, spec: string): string | undefined => {
    if (spec.startsWith('.')) {
      const base = path.posix.join(path.posix.dirname(from), spec);
      return [base, `${base}.d.ts`, base.replace(/\.js$/, '.d.ts'), `${base}/index.d.ts`].find((c) => all.has(c));
    }
    if (declares.has(spec)) return declares.get(spec);
    if (all.has(`${spec}/index.d.ts`)) return `${spec}/index.d.ts`;
    return undefined;
  };

  const picked = new Set<string>();
  const queue = [...TYPE_ROOTS];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (picked.has(file) || !all.has(file)) continue;
    picked.add(file);
    const text = all.get(file)!;
    // JSDoc examples are full of `import … from 'node:crypto'`: only code counts. Type queries
    // (`import("zlib")`) are not followed either: process.d.ts names every built-in module that
    // way, which would pull in all of Node (2.4 MB). What they point to degrades to `any`.
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/(?!\/).*$/gm, '');
    const specs = [
      ...[...text.matchAll(/\/\/\/\s*<reference\s+path=["']([^"']+)["']/g)].map((m) => `./${m[1]}`.replace(/^\.\/\.\./, '..')),
      ...[...text.matchAll(/\/\/\/\s*<reference\s+types=["']([^"']+)["']/g)].map((m) => m[1]!),
      ...[...code.matchAll(/\bfrom\s+["']([^"']+)["']/g)].map((m) => m[1]!),
      ...[...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ];
    for (const spec of specs) {
      const target = resolve(file, spec);
      if (target && !picked.has(target)) queue.push(target);
    }
  }
  return Object.fromEntries([...picked].sort().map((f) => [f, all.get(f)!]));
}
