import { defineConfig } from 'vitest/config';
import { storedShapesPlugin } from './src/integrations/stored-shapes.ts';

// The site's own tests. Lab suites live under labs/*/tests and only ever run inside the lab
// workspace (labs/_workspace), through the grading engine — never directly from here.
export default defineConfig({
  // Browser code imports virtual:hop/stored-shapes; the unit tests get the same module as the build.
  plugins: [storedShapesPlugin()],
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/labs/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
