import { expect, expectAtLogin, signIn, test } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { saveScreen } from './support/screens';

/*
 * The door to every setup screen: signing in, a refused password, signing out, and a session that
 * ran out while the merchant was away — against the real API serving the built admin.
 */

test('a fresh merchant signs in at / and lands on the dashboard with their shop in the header', async ({
  page,
  stack,
}) => {
  await page.goto('/');
  await expectAtLogin(page, '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renkei 管理画面');
  await expectNoSeriousA11yViolations(page, { name: 'login' });
  await saveScreen(page, 'login');

  await page.getByLabel('メールアドレス').fill(stack.merchant.email);
  await page.getByLabel('パスワード', { exact: true }).fill(stack.merchant.password);
  await page.getByRole('button', { name: 'ログイン' }).click();

  await expect(page).toHaveURL(`${stack.adminUrl}/`);
  const header = page.getByRole('banner');
  await expect(header).toContainText(stack.merchant.tenantName);
  await expect(header).toContainText(`${stack.merchant.email} でログイン中`);
  await expect(header.getByRole('button', { name: 'ログアウト' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'メインメニュー' })).toBeVisible();
  // The shell around every screen (the screens' own specs check their content).
  await expectNoSeriousA11yViolations(page, { name: 'shell', include: ['header', 'nav'] });
});

test('a wrong password is refused with a Japanese message and no session', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await page.goto('/login');
  await page.getByLabel('メールアドレス').fill(merchant.email);
  await page.getByLabel('パスワード', { exact: true }).fill(`${merchant.password}-wrong`);
  await page.getByRole('button', { name: 'ログイン' }).click();

  await expect(page.getByRole('alert')).toContainText('メールアドレスまたはパスワードが違います');
  await expectNoSeriousA11yViolations(page, { name: 'login-error' });
  await expectAtLogin(page);
  await page.goto('/shops');
  await expectAtLogin(page, '/shops');
});

test('signing out returns to the login and ends the session', async ({ page, stack }) => {
  await signIn(page, stack.merchant);
  await page.getByRole('banner').getByRole('button', { name: 'ログアウト' }).click();

  await expectAtLogin(page);
  await expect(page.getByText('ログアウトしました')).toBeVisible();
  await page.goto('/');
  await expectAtLogin(page, '/');
});

test('an expired session returns to the login, and signing in again goes back to the screen', async ({
  page,
  context,
  stack,
}) => {
  await signIn(page, stack.merchant);
  // The session cookie is gone, as after SESSION_TTL_HOURS or a logout in another tab.
  await context.clearCookies({ name: 'renkei_session' });

  await page.goto('/shops');
  await expectAtLogin(page, '/shops');
  await page.getByLabel('メールアドレス').fill(stack.merchant.email);
  await page.getByLabel('パスワード', { exact: true }).fill(stack.merchant.password);
  await page.getByRole('button', { name: 'ログイン' }).click();

  await expect(page).toHaveURL(`${stack.adminUrl}/shops`);
  await expect(page.getByRole('banner')).toContainText(stack.merchant.tenantName);
});
