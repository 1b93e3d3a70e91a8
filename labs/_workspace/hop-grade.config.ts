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
export default mergeConfig(
  base,
  defineConfig({
    cacheDir: '.hop/vite',
    test: {
      reporters: ['json', new HopReporter()],
      outputFile: { json: '.hop/results.json' },
      sequence: { sequencer: StageOrder },
      setupFiles: ['./hop-progress.ts'],
      cache: false,
    },
  }),
);
