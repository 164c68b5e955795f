import { defineConfig } from '@playwright/test';

/*
 * Browser tests of the admin against the real stack (e2e/global-setup.ts): the built SPA served
 * by the API, the worker, the Smaregi simulator. Debian's Chromium is used (`npx playwright
 * install` cannot download browsers here; .ci/run installs `chromium fonts-noto-cjk`).
 */
const CHROMIUM = process.env.RENKEI_E2E_CHROMIUM ?? '/usr/bin/chromium';

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
    launchOptions: {
      executablePath: CHROMIUM,
      // Without the background-networking switches Chromium's own connections are refused on
      // this closed network and slow every page down.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
