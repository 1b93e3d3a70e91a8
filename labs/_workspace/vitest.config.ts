import { defineConfig } from 'vitest/config';

// The grading workspace: src/ holds the learner's files, tests/ the hidden stage suites (mounted
// only while grading), kit/ the shared test helpers. Stages run one file at a time so servers from
// one stage never race another's, and in forks so a runaway learner loop can be killed with its
// process (grading runs every file in one fork: see hop-grade.config.ts).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 5_000,
    hookTimeout: 5_000,
    teardownTimeout: 2_000,
    watch: false,
    printConsoleTrace: false,
  },
});
