import { expect, type Locator, type Page } from '@playwright/test';
import type { SmaregiLogin } from './stack';

/*
 * A merchant's hand on the setup screens, for specs that are not about counting actions: the
 * Smaregi consent round trip, Element Plus pull-downs, and where a field shows its message.
 */

/**
 * スマレジ連携 (アプリ認証): [認証], Smaregi's login (the simulator's ID host), then [許可する] or
 * [許可しない] on Smaregi's consent page. Returns once the browser is back on the admin's
 * connection screen.
 */
export async function authorizeSmaregi(
  page: Page,
  login: SmaregiLogin,
  decision: '許可する' | '許可しない' = '許可する',
): Promise<void> {
  await page.goto('/settings/connection');
  await page.getByRole('button', { name: '認証', exact: true }).click();
  await page.getByLabel('契約ID').fill(login.contractId);
  await page.getByLabel('ログインID').fill(login.loginId);
  await page.getByLabel('パスワード').fill(login.password);
  await page.getByRole('button', { name: 'ログイン' }).click();
  await page.getByRole('button', { name: decision, exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/settings/connection');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/** Opens a screen through the side menu, as a merchant does. */
export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('menuitem', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

/**
 * Chooses `option` in an Element Plus pull-down (`select` is its combobox, found by its label).
 * The options live in a popper at the end of the page: they are looked up in this pull-down's own
 * list (the combobox's `aria-controls`), never in another one still fading out. A multiple select
 * stays open: pass several options, it is closed afterwards.
 */
export async function choose(
  page: Page,
  select: Locator,
  ...options: (string | RegExp)[]
): Promise<void> {
  await select.click();
  await expect(select).toHaveAttribute('aria-expanded', 'true');
  const list = page.locator(`[id="${await select.getAttribute('aria-controls')}"]`);
  // A single choice closes the list; its fade-out can take the next click meant for the control
  // beneath it (seen in CI), so wait until it is gone. A multi-select's list closed here (several
  // options, Escape) is waited for too; one left open for a single option is the caller's.
  const multiple = await list
    .locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " el-select-dropdown ")][1]')
    .evaluate((el) => el.classList.contains('is-multiple'));
  for (const option of options) {
    await list.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
  }
  if (options.length > 1) {
    await select.press('Escape');
    await expect(select).toHaveAttribute('aria-expanded', 'false');
  }
  if (!multiple || options.length > 1) await expect(list).toBeHidden();
}

/** The control's Element Plus form item (label, control, message). */
export function formItemOf(control: Locator): Locator {
  return control.locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-form-item ")][1]',
  );
}

/** The message shown under the control's field (the API's field error or the screen's check). */
export function fieldMessage(control: Locator): Locator {
  return formItemOf(control).locator('.el-form-item__error');
}

/**
 * What an Element Plus pull-down shows as chosen: the label of a single select, the tags of a
 * multiple one (its combobox input itself stays empty).
 */
export function chosen(select: Locator): Locator {
  return select.locator(
    'xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " el-select ")][1]//div[contains(@class, "el-select__selection")]',
  );
}

/**
 * Toasts (ElMessage) fade in and out; axe would measure a half-transparent one, and a picture
 * would show it. Waits until none is on screen.
 */
export async function toastsGone(page: Page): Promise<void> {
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 10_000 });
}

/** A tRPC mutation with the page's session, for a test's preconditions that are not its subject. */
export async function adminMutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, {
    headers: { 'x-renkei-csrf': '1' },
    data: input,
  });
  expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: T } }).result.data;
}
