import type { LaunchOptions } from '@playwright/test';

/**
 * How the browser tests and the admin bench start Chromium: Debian's build (`npx playwright
 * install` cannot download browsers here; .ci/run installs `chromium fonts-noto-cjk`), headless.
 * Without the background-networking switches Chromium's own connections are refused on this
 * closed network and slow every page down.
 */
export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: process.env.RENKEI_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
