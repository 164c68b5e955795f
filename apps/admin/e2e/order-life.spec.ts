import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { GUIDED, walkGuidedSetup } from './support/guided-setup';
import {
  importedProduct,
  moveOrderTo,
  omsIds,
  openOrder,
  postOrder,
  reloadUntil,
  saveSettings,
  story,
} from './support/order-life';
import { saveScreen } from './support/screens';
import { choose, openMenu, toastsGone } from './support/setup-screens';

/*
 * An order's life in the browser, against the real API, worker and Smaregi simulator: each
 * merchant first connects and sets up through the dashboard's guide (support/guided-setup.ts), then
 * follows an order on its page — its sync state, its story, what was sent to Smaregi and what
 * would be sent now. (orders.spec.ts covers the list, its search and a status move of an order
 * that is not sent; these tests follow orders that go to Smaregi.)
 */

/** The page's payload section: what was sent, what would be sent now. */
const payload = (page: Page) => page.locator('[data-part="payload-preview"]');
const syncState = (page: Page) => page.locator('[data-sync-state]');
/** The story's entries of one kind. */
const storyOf = (page: Page, kind: string) =>
  page.locator(`[data-part="story"] li[data-kind="${kind}"]`);

async function checkA11y(page: Page, name: string): Promise<void> {
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name });
  await saveScreen(page, name);
}

test('an order from intake to shipped: allocation, 出荷日 and bulk shipping driven from the admin, each step in its story', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(300_000);
  const merchant = await createMerchant({ intakeKey: true });
  await walkGuidedSetup(page, merchant);

  // A status for 受注一括出荷, the allocation and bulk-shipping settings pointing at the statuses.
  await openMenu(page, '受注ステータス');
  const add = page.getByRole('region', { name: 'ステータスを追加' });
  await add.getByLabel('ステータス名').fill('出荷指示');
  await add.getByRole('button', { name: 'ステータスを追加する' }).click();
  await expect(page.getByLabel('出荷指示のステータス名', { exact: true })).toHaveValue('出荷指示');

  // A shop on the 受注店舗 whose automatic allocation is OFF: Renkei asks Smaregi to allocate.
  await openMenu(page, '店舗 (モール) ごとの設定');
  const addShop = page.getByRole('region', { name: '店舗を追加' });
  await addShop.getByLabel('店舗名').fill('自社サイト');
  await choose(page, addShop.getByLabel('スマレジ店舗ID'), /Renkei オンラインストア/);
  await expect(addShop.getByRole('radio', { name: '税込' })).toBeChecked();
  await addShop.getByRole('button', { name: '店舗を追加する' }).click();
  const shop = page.getByRole('group', { name: '店舗「自社サイト」' });
  await expect(
    shop
      .getByRole('radiogroup', { name: '自動引当' })
      .getByRole('radio', { name: 'OFF (在庫引当自動照会設定を使用)' }),
  ).toBeChecked();

  await openMenu(page, 'スマレジ連携設定');
  await choose(
    page,
    page.getByRole('combobox', { name: '■在庫引当自動照会対象ステータス' }),
    '引当待ち',
  );
  await page.getByRole('combobox', { name: '■在庫引当自動照会対象ステータス' }).press('Escape');
  await choose(page, page.getByRole('combobox', { name: '■在庫引当完了後ステータス' }), '出荷待ち');
  await choose(page, page.getByRole('combobox', { name: '■自動連携対象ステータス' }), '出荷指示');
  // Settings do not change while the integration runs: stopped to save, then started again.
  await page.getByRole('button', { name: '設定を保存する' }).click();
  await page.getByRole('button', { name: '連携を停止して保存する' }).click();
  await expect(page.getByText('設定を保存し、連携を停止しました')).toBeVisible();
  await page.getByRole('radio', { name: '連携を開始する' }).check();
  await saveSettings(page, '設定を保存し、連携を開始しました');

  // Intake: the OMS posts the order; the worker registers it in Smaregi (連携済み).
  const product = await importedProduct(page);
  const ids = await omsIds(page, { shop: '自社サイト', paymentMethod: GUIDED.paymentMethod });
  await postOrder(stack, merchant, {
    ...ids,
    orderNumber: 'EC-LIFE-0001',
    orderedAt: new Date().toISOString(),
    shippingFee: 550,
    lines: [{ productCode: product.code, name: product.name, unitPrice: 3300, quantity: 1 }],
  });
  await openOrder(page, 'EC-LIFE-0001');
  await reloadUntil(page, () => expect(syncState(page)).toHaveText('連携済み'));
  await expect(page.locator('[data-fact="status"]')).toHaveText('新規受付');
  await expect(story(page).first()).toHaveAttribute('data-kind', 'order.received');
  await expect(storyOf(page, 'order.registered')).toHaveCount(1);
  // What was sent: the exact body, its line labelled as the merchant's line.
  const sent = payload(page).locator('[data-part="payload-sent"]');
  await expect(sent.locator('[data-part="payload-sent-note"]')).toContainText(
    'スマレジに登録されました',
  );
  await expect(sent.locator('[data-part="payload-lines"] tbody tr')).toHaveAttribute(
    'data-source',
    'line',
  );
  await expect(sent.locator('[data-field="orderCode"] dd')).toHaveText('EC-LIFE-0001');
  await expect(payload(page).locator('[data-part="payload-same"]')).toBeVisible();
  await checkA11y(page, 'order-life-registered');

  // The merchant moves it to the trigger status: Renkei asks Smaregi to allocate; fully
  // allocated, the order moves to 在庫引当完了後ステータス by itself.
  await moveOrderTo(page, '引当待ち');
  await reloadUntil(page, () =>
    expect(page.locator('[data-fact="status"]')).toHaveText('出荷待ち'),
  );
  await expect(storyOf(page, 'order.statusChanged')).toHaveCount(1);
  await expect(storyOf(page, 'order.allocated')).toHaveCount(1);
  await expect(storyOf(page, 'order.allocatedStatus')).toHaveCount(1);
  await expect(page.locator('[data-line="1"] td').nth(5)).toHaveText('1');
  await checkA11y(page, 'order-life-allocated');

  // 出荷日, then the bulk-shipping status: Smaregi ships it, and the order becomes 出荷済み.
  await page.getByLabel('出荷日', { exact: true }).fill('2026-12-24');
  await page.getByRole('button', { name: '出荷日を保存する' }).click();
  await expect(page.locator('[data-fact="shippingDate"]')).toContainText('2026');
  await expect(storyOf(page, 'order.updated')).toHaveCount(1);
  await toastsGone(page);
  await moveOrderTo(page, '出荷指示');
  await reloadUntil(page, () =>
    expect(page.locator('[data-fact="status"]')).toHaveText('出荷済み'),
  );
  await expect(storyOf(page, 'order.shipped')).not.toHaveCount(0);
  await expect(story(page).last()).toBeVisible();
  await checkA11y(page, 'order-life-shipped');
});

test('an order held for an unmapped payment method says why, links to the fix, and goes through by itself once mapped', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(240_000);
  const merchant = await createMerchant({ intakeKey: true });
  await walkGuidedSetup(page, merchant);
  // The OMS has a payment method the merchant has not mapped yet.
  await openMenu(page, '支払方法');
  const addMethod = page.getByRole('region', { name: '支払方法を追加' });
  await addMethod.getByLabel('支払方法名').fill('代金引換');
  await addMethod.getByRole('button', { name: '支払方法を追加する' }).click();
  await expect(
    page.getByRole('combobox', { name: '代金引換のスマレジ支払方法', exact: true }),
  ).toBeVisible();

  const product = await importedProduct(page);
  const ids = await omsIds(page, { shop: GUIDED.shop, paymentMethod: '代金引換' });
  await postOrder(stack, merchant, {
    ...ids,
    orderNumber: 'RT-HELD-0001',
    orderedAt: new Date().toISOString(),
    lines: [{ productCode: product.code, name: product.name, unitPrice: 3300, quantity: 2 }],
  });
  await openOrder(page, 'RT-HELD-0001');
  await reloadUntil(page, () => expect(syncState(page)).toHaveText('保留'));
  const sync = page.locator('[data-part="sync"]');
  await expect(sync.locator('[data-sync-reason]')).toContainText('代金引換');
  await expect(storyOf(page, 'order.waiting')).toHaveCount(1);
  await expect(payload(page).locator('[data-problem="paymentMethodNotMapped"]')).toContainText(
    '代金引換',
  );
  await checkA11y(page, 'order-held');

  // The fix, from the order's own link: map 代金引換 on 支払方法.
  await sync.getByRole('link', { name: '支払方法の対応付けを開く' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '支払方法' })).toBeVisible();
  await choose(
    page,
    page.getByRole('combobox', { name: '代金引換のスマレジ支払方法', exact: true }),
    /^代金引換 \(ID: \d+・コード: COD\)$/,
  );
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の支払方法を登録しました')).toBeVisible();

  // Nothing else to do: the order goes through by itself; its story shows the hold and the send.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '受注 RT-HELD-0001' })).toBeVisible();
  await reloadUntil(page, () => expect(syncState(page)).toHaveText('連携済み'), 90_000);
  const kinds = await story(page).evaluateAll((items) =>
    items.map((li) => li.getAttribute('data-kind')),
  );
  expect(kinds.indexOf('order.waiting')).toBeGreaterThan(-1);
  expect(kinds.indexOf('order.registered')).toBeGreaterThan(kinds.indexOf('order.waiting'));
  await expect(sync.locator('[data-sync-reason]')).toHaveCount(0);
  await expect(
    payload(page).locator('[data-part="payload-sent"] [data-field="paymentMethodId"] dd'),
  ).toHaveText(/^\d+$/);
  await checkA11y(page, 'order-held-then-sent');
});

test('a negative adjustment is the プロモーション値引き: in the preview before sending and in what was sent after', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(240_000);
  const merchant = await createMerchant({ intakeKey: true });
  await walkGuidedSetup(page, merchant);
  // Stopped: the order waits, and its page shows what would be sent.
  await page.getByRole('radio', { name: '連携を停止する' }).check();
  await saveSettings(page, '設定を保存し、連携を停止しました');

  const product = await importedProduct(page);
  const ids = await omsIds(page, { shop: GUIDED.shop, paymentMethod: GUIDED.paymentMethod });
  await postOrder(stack, merchant, {
    ...ids,
    orderNumber: 'RT-PROMO-0001',
    orderedAt: new Date().toISOString(),
    adjustment: -300,
    lines: [{ productCode: product.code, name: product.name, unitPrice: 3300, quantity: 2 }],
  });
  await openOrder(page, 'RT-PROMO-0001');
  const preview = payload(page);
  await expect(preview.locator('[data-part="payload-note"]')).toContainText('今の設定と対応付け');
  const promotion = (scope: ReturnType<typeof payload>) =>
    scope.locator('[data-part="payload-lines"] tr[data-source="promotion"]');
  await expect(promotion(preview)).toContainText('プロモーション値引き');
  await expect(promotion(preview)).toContainText('-￥300');
  await expect(
    preview.locator('[data-part="payload-header"] [data-field="totalPromotionDiscount"] dd'),
  ).toHaveText('￥300');
  await checkA11y(page, 'order-promotion-preview');

  // Started again: the worker sends it, and what was sent carries the discount.
  await openMenu(page, 'スマレジ連携設定');
  await page.getByRole('radio', { name: '連携を開始する' }).check();
  await saveSettings(page, '設定を保存し、連携を開始しました');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: '受注 RT-PROMO-0001' })).toBeVisible();
  await reloadUntil(page, () => expect(syncState(page)).toHaveText('連携済み'));
  const sent = preview.locator('[data-part="payload-sent"]');
  await expect(sent.locator('h3')).toHaveText('送信した内容');
  await expect(promotion(sent)).toContainText('プロモーション値引き');
  await expect(
    sent.locator('[data-part="payload-header"] [data-field="totalPromotionDiscount"] dd'),
  ).toHaveText('￥300');
  await expect(sent.locator('[data-part="payload-header"] [data-field="total"] dd')).toHaveText(
    '￥6,300',
  );
  await expect(preview.locator('[data-part="payload-same"]')).toBeVisible();
  await checkA11y(page, 'order-promotion-sent');
});
