/**
 * `grade()`: runs a lab's hidden tests against a learner's files and says, stage by stage, how
 * they did. Node only; the browser runs the same workspace in a WebContainer and feeds the same
 * events and JSON into the same buildReport().
 */
import { hopError } from '../errors/catalogue.ts';
import { DEFAULT_LABS_ROOT, loadLab } from './labs.ts';
import { buildReport, type GradeReport } from './report.ts';
import { DEFAULT_LIMITS, stageFilesFor, type Limits } from './plan.ts';
import { runVitest } from './run-vitest.ts';
import { assembleWorkspace, readLearnerFiles, type LearnerFiles } from './workspace.ts';

export type { GradeReport } from './report.ts';
export type { Limits } from './plan.ts';

export type GradeOptions = {
  slug: string;
  /** A folder holding the lab's files, or file name → contents (names relative to src/). */
  files: LearnerFiles;
  /** Grade stages 1..uptoStage (default: all). Earlier stages always re-run. */
  uptoStage?: number;
  /** Stops the run; grade() then rejects with the signal's reason after cleaning up. */
  signal?: AbortSignal;
  /** Where lab folders live (default: the repo's labs/). The workspace is always labs/_workspace. */
  labsRoot?: string;
  limits?: Partial<Limits>;
  /** The learner's console output and anything else the run prints, as it happens. */
  onOutput?: (chunk: string) => void;
  /** For tests and diagnostics: the runner's pid (also its process group) and the workspace folder. */
  onSpawn?: (info: { pid: number; dir: string }) => void;
};

export async function grade(opts: GradeOptions): Promise<GradeReport> {
  opts.signal?.throwIfAborted();
  const started = performance.now();
  const lab = await loadLab(opts.slug, opts.labsRoot ?? DEFAULT_LABS_ROOT);
  const count = lab.manifest.stages.length;
  const upto = opts.uptoStage ?? count;
  if (!Number.isInteger(upto) || upto < 1 || upto > count) {
    throw hopError('StageOutOfRange', { lab: lab.slug, stage: upto, count });
  }
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const files = await readLearnerFiles(lab, opts.files);
  const testFiles = stageFilesFor(lab.manifest, upto, 'local');
  const reportOf = (run: Partial<Parameters<typeof buildReport>[0]>) =>
    buildReport({
      slug: lab.slug,
      stages: lab.manifest.stages,
      results: null,
      uptoStage: upto,
      runtime: 'local',
      durationMs: performance.now() - started,
      ...run,
    });
  // Every asked stage is for another runtime: nothing to run, the report says why.
  if (testFiles.length === 0) return reportOf({ results: { testResults: [] } });

  const workspace = await assembleWorkspace({ lab, files, testFiles });
  try {
    const outcome = await runVitest({
      dir: workspace.dir,
      testFiles,
      limits,
      signal: opts.signal,
      onText: opts.onOutput,
      onSpawn: (pid) => opts.onSpawn?.({ pid, dir: workspace.dir }),
    });
    return reportOf({
      results: outcome.results && outcome.state.withLoadStacks(outcome.results),
      output: outcome.state.outputByTest(),
      unhandled: outcome.state.unhandled,
      root: workspace.dir,
      interruption: outcome.interruption,
    });
  } finally {
    await workspace.remove();
  }
}
