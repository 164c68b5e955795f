import type { Page } from '@playwright/test';
import { expect, signIn, simControl, test, type Merchant, type StackInfo } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { saveScreen } from './support/screens';
import { authorizeSmaregi, choose, openMenu, toastsGone } from './support/setup-screens';

/*
 * The product import panel (モール在庫連携・スマレジ商品在庫連携パネル) in a real browser, against the
 * real API, worker and Smaregi simulator: a new merchant turns 商品連携設定 to [連携する], runs
 * [スマレジから新規商品情報一括取得] from 出品商品一覧 and follows its progress to the summary, through a
 * reload; then runs [スマレジから商品情報一括更新] and cancels it midway. The simulator holds a few
 * thousand products of the merchant's contract and answers product pages slowly, so a run lasts
 * several seconds.
 */

const SEEDED = 6000;
/** Added to every product page read (the latency fault of the simulator; cleared at the end). */
const PAGE_LATENCY_MS = 2500;

async function productSyncOn(page: Page): Promise<void> {
  await openMenu(page, 'スマレジ連携設定');
  await page
    .getByRole('radiogroup', { name: '■商品連携設定' })
    .getByRole('radio', { name: '連携する', exact: true })
    .check();
  await page.getByRole('button', { name: '設定を保存する' }).click();
  await expect(page.getByText('設定を保存しました')).toBeVisible();
}

async function smaregiProductCount(stack: StackInfo, merchant: Merchant): Promise<number> {
  const state = await simControl<{ products: number }>(
    stack,
    'GET',
    `/state?contractId=${merchant.smaregiLogin.contractId}`,
  );
  return state.products;
}

test('the merchant imports products with a progress bar that survives a reload, and cancels an update', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(180_000);
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();
  await productSyncOn(page);

  await simControl(stack, 'POST', '/seed/products', {
    contractId: merchant.smaregiLogin.contractId,
    count: SEEDED,
    codePrefix: 'E2E',
  });
  const total = await smaregiProductCount(stack, merchant);
  expect(total).toBeGreaterThan(SEEDED);
  // This merchant's contract only: every other merchant of the stack keeps its Smaregi as it is.
  await simControl(stack, 'PUT', '/faults', {
    contractId: merchant.smaregiLogin.contractId,
    latencyMs: PAGE_LATENCY_MS,
    methods: ['GET'],
    pathIncludes: '/pos/products',
  });
  try {
    await openMenu(page, '出品商品一覧');
    const panel = page.getByRole('region', { name: 'モール在庫連携・スマレジ商品在庫連携パネル' });
    await expect(panel).toBeVisible();
    const run = panel.getByRole('button', { name: 'API連携する' });
    // Not before 「スマレジ商品連携」 is ticked.
    await expect(run).toBeDisabled();
    // The check box is Element Plus' (its input is drawn over): the merchant clicks its label.
    await panel.getByText('スマレジ商品連携', { exact: true }).click();
    await expect(panel.getByRole('checkbox', { name: 'スマレジ商品連携' })).toBeChecked();
    await choose(
      page,
      panel.getByRole('combobox', { name: '操作' }),
      'スマレジから新規商品情報一括取得',
    );
    await run.click();

    // The first import: Smaregi gives no count, so the total is said to be unknown.
    const status = panel.getByRole('status');
    await expect(status).toContainText('初回の取得のため、全体の件数はまだわかりません', {
      timeout: 20_000,
    });
    await expect(panel.getByText('経過時間')).toBeVisible();
    await expect(status).toContainText(/取得中: [1-9]\d*ページ/, { timeout: 20_000 });
    const before = Number(/(\d+)ページ/.exec((await status.textContent()) ?? '')?.[1]);
    await toastsGone(page);
    await expectNoSeriousA11yViolations(page, { name: 'product-import-running' });

    // A reload in the middle of the run finds it again, further on.
    await page.reload();
    await expect(panel.getByRole('status')).toContainText('取得中', { timeout: 10_000 });
    await expect(async () => {
      const text = (await panel.getByRole('status').textContent()) ?? '';
      expect(Number(/(\d+)ページ/.exec(text)?.[1])).toBeGreaterThan(before);
    }).toPass({ timeout: 20_000 });

    // The end: a full bar and the summary.
    const bar = panel.getByRole('progressbar', { name: 'スマレジからの商品取得の進み具合' });
    await expect(panel.getByRole('status')).toContainText(`取得が完了しました: ${total}件を処理`, {
      timeout: 60_000,
    });
    await expect(bar).toHaveAttribute('aria-valuenow', '100');
    const summary = panel.getByRole('region', { name: '取得結果' });
    await expect(summary).toContainText('スマレジから新規商品情報一括取得');
    await expect(summary).toContainText(`新規${total}件`);
    await expect(summary).toContainText('所要時間');
    // Every product was taken: nothing to look at among the failed ones.
    await expect(summary.getByRole('link', { name: /取り込めなかった商品/ })).toHaveCount(0);
    // Each product shows its Smaregi product ID under its code.
    await expect(page.getByText('(スマレジ商品ID)').first()).toBeVisible();
    await expect(page.locator('tbody tr').first()).toContainText(/\(\d+\)/);
    await toastsGone(page);
    await expectNoSeriousA11yViolations(page, { name: 'product-import-done' });
    await saveScreen(page, 'product-import-done');

    // The update of every product, with an estimate now (the products just imported): the bar
    // moves against it; [中止] stops it midway.
    // (The reload above unticked 「スマレジ商品連携」: a run is always asked for on purpose.)
    await panel.getByText('スマレジ商品連携', { exact: true }).click();
    await choose(
      page,
      panel.getByRole('combobox', { name: '操作' }),
      'スマレジから商品情報一括更新',
    );
    await run.click();
    await expect(panel.getByRole('status')).toContainText(`/ 約${total}件`, { timeout: 20_000 });
    await expect(async () => {
      const now = Number(await bar.getAttribute('aria-valuenow'));
      expect(now).toBeGreaterThan(0);
      expect(now).toBeLessThan(100);
    }).toPass({ timeout: 20_000 });
    await expect(panel.getByText('残り時間 (目安)')).toBeVisible();
    await panel.getByRole('button', { name: '中止', exact: true }).click();
    await expect(panel.getByRole('status')).toContainText('取得は中止されました', {
      timeout: 10_000,
    });
    await expect(panel.getByRole('button', { name: '中止', exact: true })).toHaveCount(0);
    await expect(panel.getByRole('region', { name: '取得結果' })).toContainText(merchant.email);
    // Ended for good: after a reload it is still cancelled, short of the total.
    await page.reload();
    const after = panel.getByRole('status');
    await expect(after).toContainText('取得は中止されました');
    const processed = Number(
      /\((\d+)件を処理しました\)/.exec((await after.textContent()) ?? '')?.[1],
    );
    expect(processed).toBeLessThan(total);
    await toastsGone(page);
    await expectNoSeriousA11yViolations(page, { name: 'product-import-canceled' });

    // (表示/非表示): folded away, and still folded after a reload.
    await panel.getByRole('button', { name: '(非表示)' }).click();
    await expect(panel.getByRole('button', { name: 'API連携する' })).toBeHidden();
    await page.reload();
    await expect(panel.getByRole('button', { name: '(表示)' })).toHaveAttribute(
      'aria-expanded',
      'false',
    );
    await expect(panel.getByRole('button', { name: 'API連携する' })).toBeHidden();
  } finally {
    await simControl(
      stack,
      'DELETE',
      `/faults?contractId=${encodeURIComponent(merchant.smaregiLogin.contractId)}`,
    );
  }
});
