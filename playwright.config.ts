import { defineConfig } from '@playwright/test';

// We never download Playwright's own browsers: tests drive Debian's Chromium unless
// HOP_CHROMIUM (or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH) points elsewhere.
const executablePath = process.env.HOP_CHROMIUM ?? process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const port = Number(process.env.E2E_PORT ?? 4391);

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/artifacts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
    },
    trace: 'retain-on-failure',
  },
  webServer: {
    // The same server a learner gets from `npm start`: it rebuilds when sources changed.
    command: `node scripts/start.mjs`,
    env: { PORT: String(port) },
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
  },
});
