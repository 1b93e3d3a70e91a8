import { writeSync } from 'node:fs';
import { relative } from 'node:path';
import { beforeEach } from 'vitest';

/**
 * Runs inside each test worker. Vitest batches the progress it sends to its main process, so when
 * a learner's `while (true) {}` blocks the worker, the reporter never hears that the looping test
 * started — and the grader would blame the test before it. This announces every test from the
 * worker itself, synchronously on fd 1, before the test's code runs, so the grader always knows
 * which test is running. Same marker and shape as hop-reporter.ts events.
 */
const MARKER = '\u001ehop:';

function emit(event: Record<string, unknown>): void {
  try {
    writeSync(1, `${MARKER}${JSON.stringify(event)}\n`);
  } catch {
    // No usable stdout (some sandboxes): the reporter's batched events still arrive, just later.
  }
}

beforeEach((ctx) => {
  const names = [ctx.task.name];
  for (let s = ctx.task.suite; s && s.name; s = s.suite) names.unshift(s.name);
  const ref = { id: ctx.task.id, file: relative(process.cwd(), ctx.task.file.filepath).split('\\').join('/'), name: names.join(' › ') };
  emit({ t: 'worker-start', ...ref });
  // And its end, for the same reason: the result of the test before a blocking one would
  // otherwise still sit in Vitest's batch when the run is killed.
  ctx.onTestFinished(({ task }) => {
    const state = task.result?.state === 'pass' ? 'passed' : task.result?.state === 'fail' ? 'failed' : 'skipped';
    const errors = (task.result?.errors ?? []).map((e) => e.stack || e.message);
    emit({ t: 'end', ...ref, state, errors, ms: task.result?.duration ?? 0 });
  });
});
