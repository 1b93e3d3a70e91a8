import { defineConfig, mergeConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import base from './vitest.config.ts';
import HopReporter from './hop-reporter.ts';

/** Runs stage files in stage order (01-, 02-, …) so an early stage's result is never lost to a later hang. */
class StageOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0));
  }
}

// How `hop grade` (and the browser) run the workspace: the base config plus machine-readable
// output. Results land in .hop/ inside the throwaway workspace; no cache is written into the
// shared node_modules, which several graders may be using at once.
//
// One worker runs the stage files one after another (isolate: false) instead of a new process
// per file, which cost ~150-250 ms per stage — most of a grade's time beyond the tests themselves.
// hop-isolate.ts gives every file a fresh module graph all the same. What stages now share is the
// process: a timer or socket the learner's code leaves running outlives its stage file, as it
// would in a real server. The watchdog still kills the whole group on a hang (src/engine/run-vitest.ts).
export default mergeConfig(
  base,
  defineConfig({
    cacheDir: '.hop/vite',
    test: {
      reporters: ['json', new HopReporter()],
      outputFile: { json: '.hop/results.json' },
      sequence: { sequencer: StageOrder },
      isolate: false,
      setupFiles: ['./hop-isolate.ts', './hop-progress.ts'],
      cache: false,
    },
  }),
);
