/**
 * How a grading run is planned and policed, shared by the Node engine and the WebContainer
 * runtime so both run the same files with the same arguments and stop runaway code by the same
 * rules. Browser-safe: no node: imports.
 */
import type { LabManifest, Runtime } from '../schemas/lab.ts';
import { stageTestFile } from '../schemas/lab.ts';
import type { RunState } from './events.ts';
import type { Interruption } from './report.ts';

export type Limits = {
  /** Per test, passed to Vitest as testTimeout. */
  testMs: number;
  /** The whole run, start to exit. */
  runMs: number;
  /** Extra time past testMs before the watchdog kills a test that never gave control back. */
  graceMs: number;
  /** Time allowed to load a stage file (and the learner code it imports) before its first test. */
  loadMs: number;
};

export const DEFAULT_LIMITS: Limits = { testMs: 5_000, runMs: 300_000, graceMs: 3_000, loadMs: 20_000 };

/** Stage test files to run: stages 1..upto that this runtime supports, in stage order. */
export function stageFilesFor(manifest: Pick<LabManifest, 'stages'>, upto: number, runtime: Runtime): string[] {
  return manifest.stages
    .map((stage, i) => ({ stage, file: stageTestFile(i, stage.id) }))
    .filter(({ stage }, i) => i < upto && (!stage.runtimes || stage.runtimes.includes(runtime)))
    .map(({ file }) => file);
}

/** True for files of tests/ that belong in a run: helpers always, a stage file only when graded. */
export function isWantedTestFile(name: string, wanted: ReadonlySet<string>): boolean {
  return !name.endsWith('.test.ts') || (!name.includes('/') && wanted.has(name));
}

/** Arguments after `node`, run in the workspace folder. */
export function vitestArgs(limits: Limits): string[] {
  return ['node_modules/vitest/vitest.mjs', 'run', '--config', 'hop-grade.config.ts', `--testTimeout=${limits.testMs}`];
}

/**
 * The watchdog's rule, checked every ~100 ms: Vitest's own testTimeout cannot fire while a
 * learner's `while (true) {}` blocks the worker, so a test that overstays testTimeout + grace, a
 * file that never finishes loading, or a run over budget is stopped from outside.
 */
export function watchdogVerdict(state: RunState, opts: { started: number; now: number; limits: Limits; testFiles: string[] }): Interruption | undefined {
  const { started, now, limits } = opts;
  const running = state.running();
  if (now - started > limits.runMs) {
    return { kind: 'run-timeout', afterMs: limits.runMs, ...(running ? { file: running.file, test: running.name } : {}) };
  }
  if (running && now - state.lastProgress > limits.testMs + limits.graceMs) {
    return { kind: 'test-timeout', file: running.file, test: running.name, afterMs: limits.testMs };
  }
  if (!running && !state.done && now - state.lastProgress > limits.loadMs) {
    const next = opts.testFiles.find((f) => !state.files.has(`tests/${f}`));
    return next
      ? { kind: 'load-timeout', file: `tests/${next}`, afterMs: limits.loadMs }
      : { kind: 'crash', detail: 'Vitest did not exit after the last test.' };
  }
  return undefined;
}
