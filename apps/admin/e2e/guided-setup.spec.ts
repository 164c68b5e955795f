import type { Page } from '@playwright/test';
import { expect, simControl, test } from './fixtures';
import { GUIDED, walkGuidedSetup } from './support/guided-setup';
import { MerchantActions } from './support/merchant-actions';
import { saveScreen } from './support/screens';
import type { Merchant, StackInfo } from './support/stack';

/** The admin's own tRPC query, read with the page's session (a GET needs no CSRF header). */
async function adminQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`/api/trpc/${path}${query}`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** The OpenAPI example order, made this merchant's: its shop, payment method and status. */
async function exampleOrder(
  stack: StackInfo,
  ids: { shopId: string; paymentMethodId: string; statusId: string },
  orderNumber: string,
  productCode: string,
): Promise<Record<string, unknown>> {
  const doc = (await (await fetch(`${stack.apiUrl}/api/v1/openapi.json`)).json()) as {
    paths: Record<
      string,
      { post: { requestBody: { content: Record<string, { example: object }> } } }
    >;
  };
  const example =
    doc.paths['/api/v1/orders']!.post.requestBody.content['application/json']!.example;
  const { lines } = example as { lines: { productCode?: string | null }[] };
  return {
    ...example,
    ...ids,
    orderNumber,
    lines: lines.map((l) => (l.productCode ? { ...l, productCode } : l)),
  };
}

/** The 受注 the simulator holds for the merchant's contract. */
async function smaregiOrders(stack: StackInfo, merchant: Merchant): Promise<number> {
  const state = await simControl<{ orders: number }>(
    stack,
    'GET',
    `/state?contractId=${merchant.smaregiLogin.contractId}`,
  );
  return state.orders;
}

test('a new merchant follows the guide from the first login to the first order in Smaregi', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(180_000);
  const merchant = await createMerchant({ intakeKey: true });
  const act = await walkGuidedSetup(page, merchant, new MerchantActions(page));
  await saveScreen(page, 'settings-running');

  // The checklist on the dashboard is complete.
  await page.getByRole('menuitem', { name: 'ダッシュボード' }).click();
  await expect(page.getByText('7手順中 7手順が完了')).toBeVisible();
  await saveScreen(page, 'dashboard-complete');

  // The OMS posts an order to the REST intake; the worker registers it in Smaregi.
  const [shop] = await adminQuery<{ id: string; name: string }[]>(page, 'shops.list');
  const [method] = await adminQuery<{ id: string }[]>(page, 'paymentMethods.list');
  const [status] = await adminQuery<{ id: string }[]>(page, 'orderStatuses.list');
  expect(shop?.name).toBe(GUIDED.shop);
  // A product the merchant imported from Smaregi in the walk.
  const products = await adminQuery<{
    items: { productCode: string; smaregiProductId: string | null }[];
  }>(page, 'products.list', { page: 1, pageSize: 1 });
  const product = products.items.find((p) => p.smaregiProductId !== null);
  expect(product).toBeDefined();
  const order = await exampleOrder(
    stack,
    { shopId: shop!.id, paymentMethodId: method!.id, statusId: status!.id },
    'RT-GUIDED-0001',
    product!.productCode,
  );
  const posted = await fetch(`${stack.apiUrl}/api/v1/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${merchant.intakeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(order),
  });
  expect(posted.status, await posted.clone().text()).toBe(201);
  await expect
    .poll(() => smaregiOrders(stack, merchant), { timeout: 30_000 })
    .toBe(1)
    .catch(async (e: unknown) => {
      // Say why the order did not go (its sync state, reason and history) before failing.
      const list = await adminQuery<{ items: { id: string }[] }>(page, 'orders.list', {
        page: 1,
        pageSize: 1,
      });
      const story = await adminQuery(page, 'orders.get', { id: list.items[0]?.id ?? '' });
      await test.info().attach('order.json', { body: JSON.stringify(story, null, 2) });
      throw e;
    });
  // The dashboard's sync health counts it as 連携済み.
  await page.reload();
  await expect(page.locator('[data-count="registered"] dd')).toHaveText('1件');
  await saveScreen(page, 'dashboard-first-order');

  // What the guide cost the merchant (the admin bench prints it against its bound of 30).
  test.info().annotations.push({ type: 'merchant actions', description: String(act.count) });
  expect(act.count, act.log.map((a) => `${a.kind} ${a.what}`).join('\n')).toBeLessThanOrEqual(30);
});
