import { test as base, expect, type Page } from '@playwright/test';
import {
  createMerchant,
  readStack,
  type CreateMerchantOptions,
  type Merchant,
  type StackInfo,
} from './support/stack';

export { expect };
export type { Merchant, SmaregiLogin, StackInfo } from './support/stack';

interface TestFixtures {
  /** A brand-new merchant (tenant, admin user, own Smaregi contract) per call. */
  createMerchant: (options?: CreateMerchantOptions) => Promise<Merchant>;
}

interface WorkerFixtures {
  /** URLs and credentials of the stack the global setup started (e2e/global-setup.ts). */
  stack: StackInfo;
}

/**
 * The browser tests' `test`: `page` opens the admin served by the real API (relative URLs such as
 * `page.goto('/shops')` work), `stack` describes the running services, `createMerchant()` makes a
 * merchant no other test touches. Specs that change a merchant's data use `createMerchant()`; the
 * shared `stack.merchant` is for specs that only sign in and read.
 */
export const test = base.extend<TestFixtures, WorkerFixtures>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a destructured first argument
    async ({}, use) => {
      await use(readStack());
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ stack }, use) => {
    await use(stack.adminUrl);
  },
  createMerchant: async ({ stack }, use) => {
    await use((options) => createMerchant(stack, options));
  },
});

/**
 * Signs in on the login page the way a merchant does. Starts from `path` (default `/`), which
 * redirects to the login; after signing in the admin returns to `path`.
 */
export async function signIn(
  page: Page,
  merchant: Pick<Merchant, 'email' | 'password'>,
  path = '/',
): Promise<void> {
  await page.goto(path);
  await expectAtLogin(page, path);
  await page.getByLabel('メールアドレス').fill(merchant.email);
  await page.getByLabel('パスワード', { exact: true }).fill(merchant.password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The login page, asked to return to `redirect` after signing in (the router's `?redirect=`). */
export async function expectAtLogin(page: Page, redirect?: string): Promise<void> {
  await expect(page).toHaveURL(
    (url) =>
      url.pathname === '/login' &&
      (redirect === undefined || url.searchParams.get('redirect') === redirect),
  );
}

/** A call to the simulator's control API (`/__sim/...`), e.g. `simControl(stack, 'GET', '/state')`. */
export async function simControl<T = unknown>(
  stack: StackInfo,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${stack.simulator.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`simulator ${method} ${path}: ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
