/**
 * The admin's benchmark (`pnpm --filter @renkei/admin bench`, part of `pnpm bench`). Prints, each
 * against its bound (issue 9):
 * 1. gzip size of the JavaScript the login and the dashboard routes load (bound 250 KB each);
 * 2. the merchant actions the guided setup needs from the first login to the first order in
 *    Smaregi, on a fresh tenant (bound 30) — counted by the same walk the browser test runs;
 * 3. the time from navigating to スマレジ連携設定 until its form is usable (values loaded, save
 *    button enabled) in Chromium against the local API (bound 1.5 s, p95 of 15 loads).
 * It starts the same real stack as the browser tests (e2e/global-setup.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, expect, type FullConfig } from '@playwright/test';
import globalSetup from '../e2e/global-setup';
import { LAUNCH_OPTIONS } from '../e2e/support/browser';
import { GUIDED, walkGuidedSetup } from '../e2e/support/guided-setup';
import { MerchantActions } from '../e2e/support/merchant-actions';
import { createMerchant, readStack } from '../e2e/support/stack';
import { chunksFor, gzipBytes, readManifest } from './bundle-size';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const KB = 1024;
const BOUNDS = { routeGzipKb: 250, actions: 30, formUsableMs: 1500 };
const LOADS = 15;

let failed = false;
function report(name: string, figure: string, bound: string, met: boolean): void {
  if (!met) failed = true;
  console.log(
    `${met ? 'met    ' : 'NOT MET'}  ${name.padEnd(58)} ${figure.padEnd(22)} bound ${bound}`,
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// 1. What each route loads.
const manifest = readManifest(DIST);
for (const [route, sources] of [
  ['login', ['src/views/auth/LoginView.vue']],
  ['dashboard', ['src/components/layout/AppShell.vue', 'src/views/dashboard/DashboardView.vue']],
] as const) {
  const files = chunksFor(manifest, sources);
  const kb = gzipBytes(DIST, files) / KB;
  report(
    `JavaScript of the ${route} route (gzip, ${files.length} files)`,
    `${kb.toFixed(1)} KB`,
    `≤ ${BOUNDS.routeGzipKb} KB`,
    kb <= BOUNDS.routeGzipKb,
  );
}

// 2 and 3 run against the real stack.
const outputDir = mkdtempSync(join(tmpdir(), 'renkei-admin-bench-'));
const teardown = await globalSetup({ projects: [{ outputDir }] } as unknown as FullConfig);
const browser = await chromium.launch(LAUNCH_OPTIONS);
try {
  const stack = readStack();
  const merchant = await createMerchant(stack, {});
  const context = await browser.newContext({ baseURL: stack.adminUrl, locale: 'ja-JP' });
  const page = await context.newPage();
  const act = await walkGuidedSetup(page, merchant, new MerchantActions(page));
  report(
    'merchant actions, first login → started (order then flows)',
    `${act.count} actions`,
    `≤ ${BOUNDS.actions}`,
    act.count <= BOUNDS.actions,
  );
  for (const kind of ['click', 'fill', 'select'] as const)
    console.log(`         ${kind.padEnd(6)} ${act.log.filter((a) => a.kind === kind).length}`);

  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const started = performance.now();
    await page.goto('/settings/integration', { waitUntil: 'commit' });
    await expect(page.getByLabel('■ダミー商品番号')).toHaveValue(GUIDED.dummyCode, {
      timeout: 10_000,
    });
    await expect(page.getByRole('button', { name: '設定を保存する' })).toBeEnabled();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p95 = percentile(times, 95);
  report(
    `navigation → settings form usable (${LOADS} loads, Chromium)`,
    `p95 ${p95.toFixed(0)} ms (p50 ${percentile(times, 50).toFixed(0)})`,
    `< ${BOUNDS.formUsableMs} ms`,
    p95 < BOUNDS.formUsableMs,
  );
  await context.close();
} finally {
  await browser.close();
  await teardown();
}
if (failed) {
  console.error('admin bench: a bound was not met');
  process.exitCode = 1;
}
