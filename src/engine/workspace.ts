/**
 * Builds the throwaway grading workspace — the same layout a WebContainer mounts:
 *
 *   <tmp>/package.json, vitest.config.ts, hop-grade.config.ts, kit/, …  (copied from labs/_workspace)
 *   <tmp>/node_modules -> labs/_workspace/node_modules                    (a symlink: no install per run)
 *   <tmp>/src/<learner files>
 *   <tmp>/tests/<the stage files asked for, plus non-test helpers>
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hopError } from '../errors/catalogue.ts';
import { WorkspacePathSchema } from '../schemas/lab.ts';
import { isWantedTestFile } from './plan.ts';
import { displayPath, WORKSPACE_DIR, type Lab } from './labs.ts';

export type LearnerFiles = string | Record<string, string>;

/** Throws UnsafeLearnerPath unless `name` stays inside src/ (no "..", no absolute path, no backslash). */
export function assertSafeName(name: string): void {
  const normal = path.posix.normalize(name);
  if (!WorkspacePathSchema.safeParse(name).success || normal !== name || path.posix.isAbsolute(normal)) {
    throw hopError('UnsafeLearnerPath', { file: name });
  }
}

/**
 * The learner's files by name. From a folder: exactly the files lab.json lists (a learner's
 * folder may also hold notes, node_modules, …). From a map (the browser editor): every entry,
 * each checked to stay inside the workspace.
 */
export async function readLearnerFiles(lab: Lab, files: LearnerFiles): Promise<Record<string, string>> {
  if (typeof files !== 'string') {
    for (const name of Object.keys(files)) assertSafeName(name);
    for (const name of lab.manifest.files) {
      if (!(name in files)) throw hopError('LearnerFileMissing', { file: name, dir: 'The submitted files', lab: lab.slug });
    }
    return { ...files };
  }
  const out: Record<string, string> = {};
  for (const name of lab.manifest.files) {
    const file = path.join(files, name);
    if (!existsSync(file)) throw hopError('LearnerFileMissing', { file: name, dir: displayPath(files), lab: lab.slug });
    out[name] = await readFile(file, 'utf8');
  }
  return out;
}

export type Workspace = { dir: string; testFiles: string[]; remove: () => Promise<void> };

export async function assembleWorkspace(opts: {
  lab: Lab;
  files: Record<string, string>;
  testFiles: string[];
  workspaceDir?: string;
}): Promise<Workspace> {
  const source = opts.workspaceDir ?? WORKSPACE_DIR;
  const modules = path.join(source, 'node_modules');
  if (!existsSync(path.join(modules, 'vitest', 'vitest.mjs'))) {
    throw hopError('WorkspaceNotInstalled', { dir: displayPath(source) });
  }
  // realpath: on macOS the temp dir is a symlink, and Vitest reports real paths we must rewrite.
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hop-grade-')));
  const remove = () => rm(dir, { recursive: true, force: true, maxRetries: 3 });
  try {
    for (const entry of await readdir(source)) {
      if (['node_modules', 'src', 'tests', '.hop'].includes(entry)) continue;
      await cp(path.join(source, entry), path.join(dir, entry), { recursive: true });
    }
    await symlink(await realpath(modules), path.join(dir, 'node_modules'), 'junction');
    for (const [name, text] of Object.entries(opts.files)) {
      const target = path.join(dir, 'src', name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    await mkdir(path.join(dir, 'src'), { recursive: true });
    const wanted = new Set(opts.testFiles);
    const testsDir = path.join(opts.lab.dir, 'tests');
    await cp(testsDir, path.join(dir, 'tests'), {
      recursive: true,
      // Helpers (support.ts, fixtures) always; a *.test.ts only when its stage is being graded.
      filter: (src) => isWantedTestFile(path.relative(testsDir, src).split(path.sep).join('/'), wanted),
    });
    return { dir, testFiles: opts.testFiles, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
