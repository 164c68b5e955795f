import { expect, type Locator, type Page } from '@playwright/test';
import type { Merchant, StackInfo } from './stack';
import { choose, openMenu, toastsGone } from './setup-screens';

/*
 * Helpers of the order-life browser tests: the OMS side (an order posted to the REST intake), the
 * admin's own reads, and the order page as a merchant watches it (reloading while the worker
 * works, as a merchant would).
 */

/** The admin's own tRPC query, read with the page's session (a GET needs no CSRF header). */
export async function adminQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await page.request.get(`/api/trpc/${path}${query}`);
  expect(res.ok(), `${path}: ${res.status()}`).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** The OMS posts an order to the REST intake (201: a new order). */
export async function postOrder(
  stack: StackInfo,
  merchant: Merchant,
  order: Record<string, unknown>,
): Promise<void> {
  const posted = await fetch(`${stack.apiUrl}/api/v1/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${merchant.intakeKey ?? ''}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(order),
  });
  expect(posted.status, await posted.clone().text()).toBe(201);
}

/** The IDs the intake needs, by the names the merchant gave them on the screens. */
export async function omsIds(
  page: Page,
  names: { shop: string; paymentMethod: string; status?: string },
): Promise<{ shopId: string; paymentMethodId: string; statusId: string }> {
  const shops = await adminQuery<{ id: string; name: string }[]>(page, 'shops.list');
  const methods = await adminQuery<{ id: string; name: string }[]>(page, 'paymentMethods.list');
  const statuses = await adminQuery<{ id: string; name: string }[]>(page, 'orderStatuses.list');
  const id = (rows: { id: string; name: string }[], name: string) => {
    const row = rows.find((r) => r.name === name);
    expect(row, `no ${name}`).toBeDefined();
    return row!.id;
  };
  return {
    shopId: id(shops, names.shop),
    paymentMethodId: id(methods, names.paymentMethod),
    statusId: id(statuses, names.status ?? '新規受付'),
  };
}

/** A product the merchant imported from Smaregi (its code and name), for the order's lines. */
export async function importedProduct(page: Page): Promise<{ code: string; name: string }> {
  const products = await adminQuery<{
    items: { productCode: string; name: string; smaregiProductId: string | null }[];
  }>(page, 'products.list', { page: 1, pageSize: 20 });
  const product = products.items.find((p) => p.smaregiProductId !== null);
  expect(product, 'an imported product').toBeDefined();
  return { code: product!.productCode, name: product!.name };
}

/** Opens the order from the 受注 list by its number, as a merchant does. */
export async function openOrder(page: Page, orderNumber: string): Promise<void> {
  await openMenu(page, '受注');
  await page.getByLabel('受注番号').fill(orderNumber);
  await page.getByRole('button', { name: '絞り込む' }).click();
  await page.getByRole('link', { name: orderNumber, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: `受注 ${orderNumber}` })).toBeVisible();
}

/**
 * Reloads the order page until `check` passes (the worker works in the background; the page shows
 * what is stored when it is read), within `timeout`.
 */
export async function reloadUntil(
  page: Page,
  check: () => Promise<void>,
  timeout = 60_000,
): Promise<void> {
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await check();
  }).toPass({ timeout, intervals: [1_000, 2_000, 3_000] });
}

/** The order page's sync story, one entry per event or operation. */
export const story = (page: Page): Locator => page.locator('[data-part="story"] li');

/** Moves the order to `status` on its page ([ステータスを変更する]). */
export async function moveOrderTo(page: Page, status: string): Promise<void> {
  await choose(page, page.getByRole('combobox', { name: '受注ステータス' }), status);
  await page.getByRole('button', { name: 'ステータスを変更する' }).click();
  await expect(page.getByText(`受注ステータスを「${status}」に変更しました`)).toBeVisible();
  await toastsGone(page);
}

/** Saves the settings screen and waits for the answer. */
export async function saveSettings(page: Page, message = '設定を保存しました'): Promise<void> {
  await page.getByRole('button', { name: '設定を保存する' }).click();
  await expect(page.getByText(message)).toBeVisible();
  await toastsGone(page);
}
