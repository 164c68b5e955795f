import { expect, signIn, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { adminQuery } from './support/order-life';
import { saveScreen } from './support/screens';
import { adminMutation, authorizeSmaregi, openMenu, toastsGone } from './support/setup-screens';

/*
 * 出品商品一覧 in a real browser, against the real API, worker and Smaregi simulator: once a new
 * merchant's products are imported (the import itself is product-import.spec.ts's subject, so it
 * is started here through the API), the merchant searches by the beginning of a product ID, sorts
 * by 商品名, opens the figures one product's 有効在庫数 comes from, and the address the import
 * summary links to (`/products?sync=failed`) opens the list filtered to the failed products —
 * every state surviving a reload.
 */

interface ListedRow {
  productCode: string;
  name: string;
  smaregiProductId: string | null;
}

test('the merchant searches, sorts and filters the product list and opens a product’s stock figures', async ({
  page,
  createMerchant,
}) => {
  test.setTimeout(120_000);
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();
  await adminMutation(page, 'settings.update', { productSyncEnabled: true });
  await adminMutation(page, 'products.startImport', { mode: 'createNew' });
  let products: ListedRow[] = [];
  await expect(async () => {
    const list = await adminQuery<{ items: ListedRow[]; total: number }>(page, 'products.list', {
      page: 1,
      pageSize: 50,
    });
    products = list.items.filter((p) => p.smaregiProductId !== null);
    expect(products.length).toBeGreaterThan(1);
  }).toPass({ timeout: 60_000 });

  await openMenu(page, '出品商品一覧');
  const list = page.getByRole('region', { name: '商品一覧' });
  await expect(list.locator('tbody tr').first()).toBeVisible();

  // Search by the beginning of one product's ID.
  const wanted = products[products.length - 1]!;
  const search = page.getByRole('searchbox', { name: '商品検索' });
  await search.fill(wanted.productCode.slice(0, -1));
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/[?&]search=/);
  const row = list.locator(`tr[data-product="${wanted.productCode}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(`(${wanted.smaregiProductId})`);
  for (const code of await list
    .locator('tbody tr[data-product]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-product') ?? '')))
    expect(code.startsWith(wanted.productCode.slice(0, -1))).toBe(true);

  // Sort by 商品名, then the other way; a reload keeps search and sort.
  await page.getByRole('button', { name: '商品名で並べ替え' }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(list.getByRole('columnheader', { name: /商品名/ })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await page.getByRole('button', { name: /商品名で並べ替え/ }).click();
  await expect(page).toHaveURL(/order=desc/);
  await page.reload();
  await expect(list.getByRole('columnheader', { name: /商品名/ })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  await expect(search).toHaveValue(wanted.productCode.slice(0, -1));
  await expect(row).toBeVisible();

  // The figures of one product, on demand.
  const open = row.getByRole('button', { name: `${wanted.productCode} の有効在庫数の内訳` });
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  const figures = page.getByRole('region', { name: '有効在庫数の内訳' });
  await expect(figures).toContainText('■在庫数合算設定');
  await expect(figures).toContainText('■有効在庫数計算設定');
  await expect(figures).toContainText('未解消の在庫差異');
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'products-list-figures' });
  await saveScreen(page, 'products-list-figures');

  // The import summary's link: the list filtered to the products that failed.
  await page.goto('/products?sync=failed');
  await expect(page.getByRole('combobox', { name: '連携状態' })).toBeVisible();
  await expect(page.locator('#product-sync').locator('..').locator('..')).toContainText('エラー');
  await expect(page.getByText('条件に該当する商品はありません')).toBeVisible();
  await expect(page.getByRole('button', { name: '条件をクリア' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { name: 'products-list-failed' });
  await page.getByRole('button', { name: '条件をクリア' }).click();
  await expect(page).toHaveURL(/\/products$/);
  await expect(list.locator('tbody tr').first()).toBeVisible();
});
