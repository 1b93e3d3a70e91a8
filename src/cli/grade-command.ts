/**
 * `hop grade`: grade once, or with --watch again on every save of a lab file. A run in flight
 * is aborted when a newer save arrives or on Ctrl-C, so its Vitest processes and temp folder are
 * cleaned up before the next run starts or hop exits.
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { HopError } from '../errors/catalogue.ts';
import { grade } from '../engine/grade.ts';
import { loadLab, type Lab } from '../engine/labs.ts';
import type { Io } from './hop.ts';
import { formatReport } from './print-report.ts';

export type GradeArgs = { slug: string; dir: string; stage?: number; json: boolean; watch: boolean; labsRoot: string };

const DEBOUNCE_MS = 150;

const isAbort = (err: unknown) => err instanceof Error && err.name === 'AbortError';

export async function gradeCommand(args: GradeArgs, io: Io): Promise<number> {
  const lab = await loadLab(args.slug, args.labsRoot);
  const once = async (signal: AbortSignal): Promise<number> => {
    const report = await grade({ slug: args.slug, files: args.dir, uptoStage: args.stage, signal, labsRoot: args.labsRoot });
    io.out(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report, lab.manifest, io.paint)}\n`);
    return report.status === 'pass' ? 0 : 1;
  };
  if (args.watch) return watchAndGrade(lab, args.dir, once, io);
  try {
    return await once(io.interrupt);
  } catch (err) {
    if (isAbort(err)) return 130;
    throw err;
  }
}

async function watchAndGrade(lab: Lab, dir: string, once: (signal: AbortSignal) => Promise<number>, io: Io): Promise<number> {
  let current = new AbortController();
  let chain: Promise<unknown> = Promise.resolve();
  const run = () => {
    current.abort();
    const controller = (current = new AbortController());
    // Runs never overlap: the next starts once the aborted one has cleaned up.
    chain = chain.then(async () => {
      if (controller.signal.aborted) return;
      try {
        await once(controller.signal);
        io.out(io.paint.dim(`\nWatching ${lab.manifest.files.join(', ')} — save to grade again, Ctrl-C to stop.\n`));
      } catch (err) {
        if (isAbort(err)) return;
        if (!(err instanceof HopError)) throw err;
        io.err(`${err.message}\n`); // e.g. a file renamed away mid-edit: say so and keep watching
      }
    });
  };

  const watched = new Set(lab.manifest.files.map((f) => path.normalize(f)));
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, { recursive: true }, (_event, name) => {
    if (!name || !watched.has(path.normalize(name.toString()))) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      io.out(io.paint.dim('\nChange saved — grading again.\n\n'));
      run();
    }, DEBOUNCE_MS);
  });
  run();
  await new Promise<void>((resolve) => {
    if (io.interrupt.aborted) resolve();
    io.interrupt.addEventListener('abort', () => resolve(), { once: true });
  });
  watcher.close();
  clearTimeout(timer);
  current.abort();
  await chain;
  return 0;
}
