/**
 * Finding labs on disk and reading their manifests. Every lab.json goes through
 * parseWithFriendlyErrors, so a typo in a manifest names the file, the field and the fix.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hopError } from '../errors/catalogue.ts';
import { parseWithFriendlyErrors } from '../schemas/parse-with-friendly-errors.ts';
import { LabManifestSchema, type LabManifest } from '../schemas/lab.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DEFAULT_LABS_ROOT = path.join(REPO_ROOT, 'labs');
/** The shared grading workspace; lives in the repo's labs/ whatever labsRoot a caller grades from. */
export const WORKSPACE_DIR = path.join(DEFAULT_LABS_ROOT, '_workspace');

export type Lab = { slug: string; dir: string; manifest: LabManifest };

const SLUG = /^[a-z0-9-]+$/;

/**
 * Lab folders under labsRoot, sorted. By default every folder with a slug-like name, so verify
 * still sees a lab whose lab.json is missing; `withManifest` keeps only the ones that have one.
 */
export function listLabSlugs(labsRoot = DEFAULT_LABS_ROOT, opts: { withManifest?: boolean } = {}): string[] {
  if (!existsSync(labsRoot)) return [];
  return readdirSync(labsRoot, { withFileTypes: true })
    .filter((e) => e.isDirectory() && SLUG.test(e.name))
    .filter((e) => !opts.withManifest || existsSync(path.join(labsRoot, e.name, 'lab.json')))
    .map((e) => e.name)
    .sort();
}

/** Shown in messages: relative to the current folder when inside it, so errors read "labs/x/lab.json". */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

export async function loadLab(slug: string, labsRoot = DEFAULT_LABS_ROOT): Promise<Lab> {
  const dir = path.join(labsRoot, slug);
  const file = path.join(dir, 'lab.json');
  if (!SLUG.test(slug) || !existsSync(file)) {
    throw hopError('NoSuchLab', { lab: slug, known: listLabSlugs(labsRoot, { withManifest: true }) });
  }
  const text = await readFile(file, 'utf8');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw hopError('UnreadableAuthoredFile', { file: displayPath(file), kind: 'lab manifest', reason: (err as Error).message });
  }
  const manifest = parseWithFriendlyErrors(LabManifestSchema, data, {
    file: displayPath(file),
    kind: 'lab manifest',
    docs: 'src/schemas/lab.ts',
  });
  return { slug, dir, manifest };
}
