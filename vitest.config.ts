import { defineConfig } from 'vitest/config';

// The site's own tests. Lab suites live under labs/*/tests and only ever run inside the lab
// workspace (labs/_workspace), through the grading engine — never directly from here.
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/labs/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
