import type { Page } from '@playwright/test';
import { expect, signIn, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { saveScreen } from './support/screens';
import { adminMutation, choose, toastsGone } from './support/setup-screens';

/** The admin's own tRPC query, read with the page's session (a GET needs no CSRF header). */
async function adminQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`/api/trpc/${path}${query}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

test('the merchant finds an order in the list, opens it, moves its status and reads its story', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(120_000);
  const merchant = await createMerchant({ intakeKey: true });
  await signIn(page, merchant, '/orders');
  await expect(page.getByRole('heading', { level: 1, name: '受注' })).toBeVisible();
  await expect(page.getByText('受注はまだありません')).toBeVisible();

  // The OMS side: a shop and a payment method (not mapped to Smaregi), two orders posted.
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
  const first = statuses.find((s) => s.name === '新規受付')!;
  for (const [orderNumber, orderedAt] of [
    ['RT-E2E-0001', '2026-11-29T10:00:00+09:00'],
    ['RT-E2E-0002', '2026-11-30T10:00:00+09:00'],
  ]) {
    const posted = await fetch(`${stack.apiUrl}/api/v1/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${merchant.intakeKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        shopId: shop.id,
        orderNumber,
        orderedAt,
        paymentMethodId: method.id,
        statusId: first.id,
        lines: [{ productCode: 'TS-001', name: 'Tシャツ 白', unitPrice: 3300, quantity: 2 }],
      }),
    });
    expect(posted.status, await posted.clone().text()).toBe(201);
  }

  // The list: newest first; search by the order number.
  await page.reload();
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('RT-E2E-0002');
  await page.getByLabel('受注番号').fill('RT-E2E-0001');
  await page.getByRole('button', { name: '絞り込む' }).click();
  await expect(page).toHaveURL(/search=RT-E2E-0001/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('RT-E2E-0001');
  await expect(rows.first()).toContainText('楽天市場店');
  await expect(rows.first()).toContainText('新規受付');
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'orders' });
  await saveScreen(page, 'orders');

  // The order page: change its status.
  await page.getByRole('link', { name: 'RT-E2E-0001' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '受注 RT-E2E-0001' })).toBeVisible();
  await expect(page.locator('[data-line="1"]')).toContainText('Tシャツ 白');
  // What would be sent: nothing yet — the shop, the payment method and the product each say why,
  // with a link to where it is fixed.
  const preview = page.locator('[data-part="payload-preview"]');
  await expect(preview).toContainText('次の原因を直すと、自動で送られます');
  await expect(preview.locator('[data-problem="shopNotMapped"]')).toContainText('楽天市場店');
  await expect(
    preview.locator('[data-problem="paymentMethodNotMapped"]').getByRole('link'),
  ).toHaveText('支払方法の対応付けを開く');
  await expect(preview.locator('[data-problem="productNotFound"]')).toContainText('TS-001');
  await choose(page, page.getByRole('combobox', { name: '受注ステータス' }), '引当待ち');
  await page.getByRole('button', { name: 'ステータスを変更する' }).click();
  await expect(page.getByText('受注ステータスを「引当待ち」に変更しました')).toBeVisible();
  await expect(page.locator('[data-fact="status"]')).toHaveText('引当待ち');

  // The story: received, then the status move, each with its time, in the admin's language.
  const story = page.locator('[data-part="story"] li');
  await expect(story.filter({ hasText: '引当待ち' })).toHaveCount(1);
  await expect(story.first()).toHaveAttribute('data-kind', 'order.received');
  await expect(story.filter({ hasText: '引当待ち' }).locator('time')).toHaveText(
    /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/,
  );
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'order' });
  await saveScreen(page, 'order');

  // Back in the list, the order shows its new status.
  await page.getByRole('link', { name: '受注一覧へ戻る' }).click();
  await expect(page.locator('tr[data-order="RT-E2E-0001"]')).toContainText('引当待ち');
});
