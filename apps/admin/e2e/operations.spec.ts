import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { saveScreen } from './support/screens';
import { adminMutation, choose, fieldMessage, toastsGone } from './support/setup-screens';

/** The admin's own tRPC query, read with the page's session (a GET needs no CSRF header). */
async function adminQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`/api/trpc/${path}${query}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

test('an intake key is shown once, takes orders, shows in the sync log, and stops when revoked', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(120_000);
  const merchant = await createMerchant();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signIn(page, merchant, '/api-keys');
  await expect(page.getByRole('heading', { level: 1, name: 'APIキー' })).toBeVisible();
  await expect(page.getByText('APIキーはまだありません。')).toBeVisible();

  // A key needs a name and at least one scope: each refused at its field, nothing sent.
  const name = page.getByLabel('キーの名前');
  const orderWrite = page.getByRole('checkbox', { name: '受注の登録・変更' });
  await page.getByRole('button', { name: 'APIキーを発行する' }).click();
  await expect(fieldMessage(name)).toHaveText('キーの名前を入力してください');
  await expect(fieldMessage(orderWrite)).toHaveText('権限を1つ以上選んでください');
  await name.fill('基幹OMS');
  // Element Plus check boxes are ticked by their label (the input itself has no size).
  await orderWrite.locator('xpath=ancestor::label[1]').click();
  await expect(orderWrite).toBeChecked();
  await page.getByRole('button', { name: 'APIキーを発行する' }).click();

  // Shown once, with the warning and a copy button.
  const dialog = page.getByRole('dialog', { name: 'APIキーを発行しました' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('このキーが表示されるのは今回だけです');
  const key = await dialog.getByLabel('APIキー (基幹OMS)').inputValue();
  expect(key).toMatch(/^rk_/);
  await dialog.getByRole('button', { name: 'コピー', exact: true }).click();
  await expect(page.getByText('コピーしました')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'api-key-created' });
  await saveScreen(page, 'api-key-created');
  await dialog.getByRole('button', { name: 'コピーしたので閉じる' }).click();
  await expect(dialog).toBeHidden();
  // Gone: nowhere on the page, not after a reload either.
  expect(await page.content()).not.toContain(key);
  await page.reload();
  const row = page.locator(`tr[data-key="${key.slice(0, 8)}"]`);
  await expect(row).toContainText('基幹OMS');
  await expect(row).toContainText('未使用');
  await expect(row).toContainText('有効');
  await expect(row.locator('[data-scope]')).toHaveText(['受注の登録・変更']);
  expect(await page.content()).not.toContain(key);

  // The OMS sends an order with it (the real REST intake).
  const shop = await adminMutation<{ id: string }>(page, 'shops.create', {
    name: '楽天市場店',
    mallKind: 'rakuten',
    taxMode: 'included',
  });
  const method = await adminMutation<{ id: string }>(page, 'paymentMethods.create', {
    name: '代金引換',
    code: 'cod',
  });
  const statuses = await adminQuery<{ id: string; name: string }[]>(page, 'orderStatuses.list');
  const post = (orderNumber: string) =>
    fetch(`${stack.apiUrl}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        shopId: shop.id,
        orderNumber,
        orderedAt: '2026-11-30T10:00:00+09:00',
        paymentMethodId: method.id,
        statusId: statuses[0]!.id,
        lines: [{ productCode: 'TS-001', name: 'Tシャツ 白', unitPrice: 3300, quantity: 1 }],
      }),
    });
  const posted = await post('OPS-E2E-0001');
  expect(posted.status, await posted.clone().text()).toBe(201);
  const orderId = ((await posted.json()) as { order: { id: string } }).order.id;
  await page.reload();
  await expect(row).not.toContainText('未使用');
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'api-keys' });
  await saveScreen(page, 'api-keys');

  // 連携ログ: from the order page, then by the order number and a kind.
  await page.goto(`/orders/${orderId}`);
  await page.getByRole('link', { name: '連携ログを見る' }).click();
  await expect(page).toHaveURL(new RegExp(`/sync-log\\?order=${orderId}`));
  await expect(page.getByRole('heading', { level: 1, name: '連携ログ' })).toBeVisible();
  await expect(page.getByText('受注 OPS-E2E-0001 の連携ログを表示しています')).toBeVisible();
  const events = page.locator('tbody tr');
  await expect(events.first()).toBeVisible();
  const received = page.locator('tbody tr[data-kind="order.received"]');
  await expect(received).toHaveCount(1);
  await expect(received).toContainText('受注を受け付けた');
  await expect(received).toContainText('OPS-E2E-0001');
  await expect(received.getByRole('link', { name: '受注 OPS-E2E-0001' })).toHaveAttribute(
    'href',
    `/orders/${orderId}`,
  );
  for (const text of await events.allTextContents()) expect(text).toContain('OPS-E2E-0001');
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'sync-log' });
  await saveScreen(page, 'sync-log');

  await page.getByRole('button', { name: 'すべての連携ログを表示する' }).click();
  await expect(page).toHaveURL(/\/sync-log$/);
  await page.getByLabel('受注番号').fill('OPS-E2E-0001');
  await choose(page, page.getByRole('combobox', { name: '種類' }), '受注を受け付けた');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/orderNumber=OPS-E2E-0001/);
  await expect(page).toHaveURL(/kind=order\.received/);
  await expect(events).toHaveCount(1);
  await expect(events.first()).toHaveAttribute('data-kind', 'order.received');
  // A number no order has says so.
  await page.getByLabel('受注番号').fill('NO-SUCH-ORDER');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page.getByText('受注番号 NO-SUCH-ORDER の受注はありません')).toBeVisible();

  // Revoke: asked first, refused at the intake from then on.
  await page.goto('/api-keys');
  await page.getByRole('button', { name: 'APIキー「基幹OMS」を無効化する' }).click();
  const confirm = page.getByRole('dialog', { name: 'APIキーの無効化' });
  await expect(confirm).toContainText('すぐに受け付けられなくなります');
  await confirm.getByRole('button', { name: '無効化する', exact: true }).click();
  await expect(page.getByText('APIキー「基幹OMS」を無効化しました')).toBeVisible();
  await expect(row).toContainText('無効化済み');
  await expect(page.getByRole('button', { name: 'APIキー「基幹OMS」を無効化する' })).toHaveCount(0);
  const refused = await post('OPS-E2E-0002');
  expect(refused.status).toBe(401);

  // 操作履歴: the key's creation and revocation, newest first, with what changed.
  await page.goto('/audit');
  await expect(page.getByRole('heading', { level: 1, name: '操作履歴' })).toBeVisible();
  const revokedEntry = page.locator('tbody tr[data-action="apiKey.revoke"]');
  await expect(revokedEntry).toHaveCount(1);
  await expect(revokedEntry).toContainText('APIキーを無効化');
  await expect(revokedEntry).toContainText(merchant.email);
  await expect(revokedEntry).toContainText('無効化した日時');
  await expect(revokedEntry.getByRole('link', { name: 'APIキー' })).toHaveAttribute(
    'href',
    '/api-keys',
  );
  const createdEntry = page.locator('tbody tr[data-action="apiKey.create"]');
  await expect(createdEntry).toContainText('APIキーを発行');
  await expect(createdEntry).toContainText('基幹OMS');
  await expect(createdEntry).toContainText('権限:受注の登録・変更');
  expect(await page.content()).not.toContain(key);
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'audit' });
  await saveScreen(page, 'audit');

  await choose(page, page.getByRole('combobox', { name: '操作' }), 'APIキーを無効化');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/action=apiKey\.revoke/);
  await expect(page.locator('tbody tr')).toHaveCount(1);
});
