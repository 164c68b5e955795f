import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { walkGuidedSetup } from './support/guided-setup';
import { saveScreen } from './support/screens';
import { openMenu, toastsGone } from './support/setup-screens';

/** The admin's own tRPC query, read with the page's session (a GET needs no CSRF header). */
async function adminQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`/api/trpc/${path}${query}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

interface ListedOrder {
  orderNumber: string;
  syncState: string;
  allocationStatus: string | null;
}

/** The order as the list shows it (sync state, allocation), found by its number. */
async function listedOrder(page: Page, orderNumber: string): Promise<ListedOrder | undefined> {
  const list = await adminQuery<{ items: ListedOrder[] }>(page, 'orders.list', {
    search: orderNumber,
    page: 1,
    pageSize: 5,
  });
  return list.items.find((o) => o.orderNumber === orderNumber);
}

const SHIPPING_CSV_HEADER = [
  '受注番号',
  '店舗',
  '受注日時',
  '出荷予定日',
  '配達希望日',
  'お届け先氏名',
  'お届け先郵便番号',
  'お届け先住所',
  'お届け先電話番号',
  '明細行',
  '商品番号',
  '商品管理番号',
  '商品名',
  '数量',
  '封入物',
  '引当状態',
];

test('a merchant imports a Shift_JIS order CSV and downloads the shipping CSV of what is allocated', async ({
  page,
  createMerchant,
}) => {
  test.setTimeout(240_000);
  const merchant = await createMerchant({ intakeKey: true });
  // Connected, shop and payment method mapped, products imported, integration started.
  await walkGuidedSetup(page, merchant);

  const [shop] = await adminQuery<{ id: string; name: string }[]>(page, 'shops.list');
  const [method] = await adminQuery<{ id: string }[]>(page, 'paymentMethods.list');
  const statuses = await adminQuery<{ id: string; category: string }[]>(page, 'orderStatuses.list');
  const status = statuses.find((s) => s.category === 'open')!;
  const products = await adminQuery<{
    items: { productCode: string; smaregiProductId: string | null }[];
  }>(page, 'products.list', { page: 1, pageSize: 20 });
  const product = products.items.find((p) => p.smaregiProductId !== null)!;
  expect(product).toBeDefined();

  // The OMS's export, as Excel saves it in Japan: Shift_JIS. CSV-E2E-1 can be allocated at once
  // (the 受注店舗 allocates automatically), CSV-E2E-2 asks for more than the warehouse holds, and
  // row 4 has a quantity that is not one.
  const row = (orderNumber: string, name: string, quantity: string) =>
    [
      shop!.id,
      orderNumber,
      '2026-11-30T10:00:00+09:00',
      method!.id,
      status.id,
      '0',
      name,
      '150-0041',
      '東京都渋谷区神南1－2－3',
      product.productCode,
      'Tシャツ',
      '3300',
      quantity,
    ].join(',');
  const csv =
    [
      '店舗ID,受注番号,受注日時,支払方法ID,受注ステータスID,送料,お届け先氏名,お届け先郵便番号,お届け先住所,商品番号,商品名,単価,数量',
      row('CSV-E2E-1', '髙橋 ①子', '1'),
      row('CSV-E2E-2', '山田 太郎', '9999'),
      row('CSV-E2E-3', '佐藤 花子', '２個'),
    ].join('\r\n') + '\r\n';

  // 受注CSV取込: pick the file, import, read the report.
  await openMenu(page, '受注CSV取込');
  await page.getByLabel('受注CSVファイル').setInputFiles({
    name: '受注.csv',
    mimeType: 'text/csv',
    buffer: iconv.encode(csv, 'Shift_JIS'),
  });
  await page.getByRole('button', { name: '取り込む' }).click();
  const report = page.locator('[data-part="report"]');
  await expect(report.locator('[data-summary]')).toHaveText(
    '3件の受注(3行): 新規 2件、更新 0件、変更なし 0件、取込不可 1件',
  );
  await expect(report).toContainText('文字コード: Shift_JIS');
  const refused = report.locator('tr[data-outcome="refused"]');
  await expect(refused).toHaveCount(1);
  await expect(refused).toHaveAttribute('data-rows', '4');
  await expect(refused).toContainText('CSV-E2E-3');
  await expect(refused.locator('li[data-field="lines.0.quantity"]')).toContainText('4行目「数量」');
  await expect(report.locator('tr[data-outcome="created"]')).toHaveCount(2);
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'order-import' });
  await saveScreen(page, 'order-import');

  // The good orders are in 受注; the refused one stored nothing.
  await report.getByRole('link', { name: '受注一覧を開く' }).click();
  await expect(page.locator('tr[data-order="CSV-E2E-1"]')).toBeVisible();
  await expect(page.locator('tr[data-order="CSV-E2E-2"]')).toBeVisible();
  await expect(page.locator('tr[data-order="CSV-E2E-3"]')).toHaveCount(0);

  // The worker registers both in Smaregi; the 受注店舗 allocates the first, not the second.
  await expect
    .poll(async () => (await listedOrder(page, 'CSV-E2E-1'))?.allocationStatus, {
      timeout: 60_000,
    })
    .toBe('allocated');
  await expect
    .poll(async () => (await listedOrder(page, 'CSV-E2E-2'))?.syncState, { timeout: 60_000 })
    .toBe('registered');
  expect((await listedOrder(page, 'CSV-E2E-2'))?.allocationStatus).not.toBe('allocated');

  // 送り状・出荷CSV: the setting (not exported unless allocated) decides; the preview says so.
  await openMenu(page, '送り状・出荷CSV');
  await expect(page.locator('[data-setting="exclude"]')).toContainText(
    '[引当未完了の受注を出力しない]',
  );
  await expect(
    page.getByRole('link', { name: 'スマレジ連携設定の在庫引当設定を開く' }),
  ).toHaveAttribute('href', '/settings/integration#allocation');
  await expect(page.locator('[data-count="included"] dd')).toHaveText('1件');
  await expect(page.locator('[data-count="held"] dd')).toHaveText('1件');
  const held = page.locator('tr[data-held="CSV-E2E-2"]');
  await expect(held).toContainText('引当未完了');
  await expect(held.getByRole('link', { name: 'CSV-E2E-2' })).toBeVisible();
  // Everything the orders hold is in Shift_JIS (髙 and ① are, in Windows' table): nothing to warn.
  await expect(page.locator('[data-part="encoding"]')).toHaveCount(0);
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'shipping-csv' });
  await saveScreen(page, 'shipping-csv');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '送り状・出荷CSVをダウンロード' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^送り状_\d{8}_\d{4}\.csv$/);
  const text = iconv.decode(await readFile(await download.path()), 'Shift_JIS');
  const lines = text.split('\r\n').filter((l) => l !== '');
  expect(lines[0]).toBe(SHIPPING_CSV_HEADER.map((h) => `"${h}"`).join(','));
  expect(lines).toHaveLength(2);
  const cells = lines[1]!.split(',').map((c) => c.replace(/^"|"$/g, ''));
  expect(cells[0]).toBe('CSV-E2E-1');
  expect(cells[1]).toBe(shop!.name);
  expect(cells[5]).toBe('髙橋 ①子');
  expect(cells[7]).toBe('東京都渋谷区神南1－2－3');
  expect(cells[10]).toBe(product.productCode);
  expect(cells[13]).toBe('1');
  expect(cells[15]).toBe('引当済');
  expect(text).not.toContain('CSV-E2E-2');

  // The held order's link opens it.
  await held.getByRole('link', { name: 'CSV-E2E-2' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '受注 CSV-E2E-2' })).toBeVisible();
});

test('a file that is not an order CSV is refused, naming the problem', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await page.goto('/orders/import');
  await page.getByLabel('メールアドレス').fill(merchant.email);
  await page.getByLabel('パスワード', { exact: true }).fill(merchant.password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '受注CSV取込' })).toBeVisible();
  const input = page.getByLabel('受注CSVファイル');

  // A workbook: refused before it is sent.
  await input.setInputFiles({
    name: '受注.xlsx',
    mimeType: 'application/zip',
    buffer: Buffer.from('PK'),
  });
  await expect(
    page.getByRole('alert').filter({ hasText: 'CSVファイルを選んでください' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: '取り込む' })).toBeDisabled();

  // A CSV with a header the import does not know: the API names the column.
  await input.setInputFiles({
    name: 'orders.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('受注番号,色\r\nA-1,赤\r\n'),
  });
  await page.getByRole('button', { name: '取り込む' }).click();
  const error = page.locator('[data-part="file-error"]');
  await expect(error).toContainText('見出し行に不明な列があります: 色');
  await expectNoSeriousA11yViolations(page, { name: 'order-import-error' });
});
