import { defineConfig } from '@playwright/test';
import { LAUNCH_OPTIONS } from './e2e/support/browser';

/*
 * Browser tests of the admin against the real stack (e2e/global-setup.ts): the built SPA served
 * by the API, the worker, the Smaregi simulator. Debian's Chromium is used (`npx playwright
 * install` cannot download browsers here; .ci/run installs `chromium fonts-noto-cjk`).
 */

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  globalSetup: './e2e/global-setup.ts',
  // The machine has 2 cores and the API, the worker and the simulator share them with the browser.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: process.env.CI !== undefined && process.env.CI !== '',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    // A merchant in Japan: dates, numbers and the admin's default language.
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: LAUNCH_OPTIONS,
  },
  projects: [{ name: 'chromium' }],
});
