import type { Locator, Page } from '@playwright/test';
import { expect, signIn, simControl, test, type StackInfo } from './fixtures';
import { expectNoSeriousA11yViolations } from './support/a11y';
import { saveScreen } from './support/screens';
import {
  adminMutation,
  authorizeSmaregi,
  choose,
  chosen,
  fieldMessage,
  openMenu,
  toastsGone,
} from './support/setup-screens';

/*
 * The setup screens of issue 9 in a real browser, against the real API, worker and Smaregi
 * simulator: the help page's steps 2 to 4 with every value read back after a reload, the failure
 * paths a merchant meets, Smaregi being down, English, accessibility and keyboard-only use. Each
 * test has a merchant of its own (with the simulator's demo shop data: 受注店舗 ID 5 "Renkei
 * オンラインストア" 内税販売 with auto-allocation OFF, ID 6 "Renkei 楽天市場店 (税別)" 外税販売 with
 * auto-allocation ON, products ADJUSTMENT and DUMMY, payment methods).
 */

/** The simulator's 受注店舗 for 税込 shops (ID 5, 内税販売): its entry in the pull-down … */
const STORE_5_OPTION = 'Renkei オンラインストア ID: 5 内税販売';
/** … and what the pull-down shows once it is chosen. */
const STORE_5 = 'Renkei オンラインストア (ID: 5・内税販売)';

/** Statuses the merchant adds first: the allocation and bulk-shipping settings point at them. */
const STATUSES = { paid: '入金確認済み', checking: '在庫確認中', allocated: '引当完了' } as const;

async function addStatus(page: Page, name: string): Promise<void> {
  const add = page.getByRole('region', { name: 'ステータスを追加' });
  await add.getByLabel('ステータス名').fill(name);
  await add.getByRole('button', { name: 'ステータスを追加する' }).click();
  await expect(page.getByLabel(`${name}のステータス名`, { exact: true })).toHaveValue(name);
}

async function saveSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: '設定を保存する' }).click();
}

test("the help page's steps 2 to 4: connect, stop, every setting, shops and payment methods, each read back after a reload", async ({
  page,
  createMerchant,
}) => {
  test.setTimeout(90_000);
  const merchant = await createMerchant();
  await signIn(page, merchant);

  // 手順2 認証: [認証] → Smaregi's login → [許可] → back on the screen, 結果：有効化済み.
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();
  await expect(page.getByText('スマレジとの連携が有効になりました。')).toBeVisible();
  await expect(page.getByText(merchant.smaregiLogin.contractId)).toBeVisible();
  // The callback's query is gone: a reload does not announce the result again.
  await expect(page).toHaveURL((url) => url.search === '');
  await expectNoSeriousA11yViolations(page, { name: 'connection' });
  await saveScreen(page, 'connection');

  // The statuses the settings below refer to.
  await openMenu(page, '受注ステータス');
  for (const name of Object.values(STATUSES)) await addStatus(page, name);
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'order-statuses' });
  await saveScreen(page, 'order-statuses');

  // 手順3 停止: [連携を停止する] + [設定を保存する].
  await openMenu(page, 'スマレジ連携設定');
  await page.getByRole('radio', { name: '連携を停止する' }).check();
  await saveSettings(page);
  await expect(page.getByText('設定を保存しました')).toBeVisible();
  await expect(page.locator('#integration-start')).toContainText('停止中');

  // 設定: every item of EC受注・在庫連携設定 away from its default.
  const enclosures = page.getByRole('radiogroup', { name: '■封入物商品連携' });
  const productSync = page.getByRole('radiogroup', { name: '■商品連携設定' });
  const triggers = page.getByRole('combobox', { name: '■在庫引当自動照会対象ステータス' });
  const allocated = page.getByRole('combobox', { name: '■在庫引当完了後ステータス' });
  const bulk = page.getByRole('combobox', { name: '■自動連携対象ステータス' });
  await enclosures.getByRole('radio', { name: '連携する', exact: true }).check();
  await page.getByLabel('■調整額用商品番号').fill('ADJUSTMENT');
  await page.getByLabel('■ダミー商品番号').fill('DUMMY');
  await page.getByRole('radio', { name: '引当未完了の受注を出力する' }).check();
  await page.getByRole('radio', { name: '受注店舗とPOS店舗を合算した在庫数を使用する' }).check();
  await page.getByRole('radio', { name: '受注購入数量で計算' }).check();
  await choose(page, triggers, STATUSES.paid, STATUSES.checking);
  await choose(page, allocated, STATUSES.allocated);
  await choose(page, bulk, STATUSES.allocated);
  await productSync.getByRole('radio', { name: '連携する', exact: true }).check();
  await expect(page.getByText('保存されていない変更があります')).toBeVisible();
  // The toast of the save above must be gone, or it would pass for this save's and the reload
  // below would cut this one short.
  await toastsGone(page);
  await saveSettings(page);
  await expect(page.getByText('設定を保存しました')).toBeVisible();

  await page.reload();
  await expect(enclosures.getByRole('radio', { name: '連携する', exact: true })).toBeChecked();
  await expect(page.getByLabel('■調整額用商品番号')).toHaveValue('ADJUSTMENT');
  await expect(page.getByLabel('■ダミー商品番号')).toHaveValue('DUMMY');
  await expect(page.getByRole('radio', { name: '引当未完了の受注を出力する' })).toBeChecked();
  await expect(
    page.getByRole('radio', { name: '受注店舗とPOS店舗を合算した在庫数を使用する' }),
  ).toBeChecked();
  await expect(page.getByRole('radio', { name: '受注購入数量で計算' })).toBeChecked();
  await expect(chosen(triggers).locator('.el-tag')).toHaveText([STATUSES.paid, STATUSES.checking]);
  await expect(chosen(allocated)).toHaveText(STATUSES.allocated);
  await expect(chosen(bulk)).toHaveText(STATUSES.allocated);
  await expect(productSync.getByRole('radio', { name: '連携する', exact: true })).toBeChecked();
  await expect(page.getByRole('radio', { name: '連携を停止する' })).toBeChecked();
  await expect(page.getByText('保存されていない変更があります')).toBeHidden();
  await expectNoSeriousA11yViolations(page, { name: 'settings' });
  await saveScreen(page, 'settings');

  // 手順4 店舗: a 税込 shop mapped to 受注店舗 5 from the live 「スマレジ店舗ID」 pull-down.
  await openMenu(page, '店舗 (モール) ごとの設定');
  const addShop = page.getByRole('region', { name: '店舗を追加' });
  await addShop.getByLabel('店舗名').fill('E2E オンライン店');
  await addShop.getByRole('radio', { name: '税込' }).check();
  await addShop.getByRole('button', { name: '店舗を追加する' }).click();
  const shop = page.getByRole('group', { name: '店舗「E2E オンライン店」' });
  const store = shop.getByRole('combobox', { name: 'スマレジ店舗ID' });
  const taxMode = shop.getByRole('radiogroup', { name: '税計算設定' });
  await choose(page, store, STORE_5_OPTION);
  await expect(fieldMessage(taxMode)).toHaveCount(0);
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の店舗を登録しました')).toBeVisible();

  await page.reload();
  await expect(chosen(store)).toHaveText(STORE_5);
  await expect(taxMode.getByRole('radio', { name: '税込' })).toBeChecked();
  // 倉庫 and 自動引当: Renkei's settings, prefilled from what the simulator's 受注店舗 says.
  const warehouse = shop.getByRole('combobox', { name: '倉庫' });
  const autoAllocation = shop.getByRole('radiogroup', { name: '自動引当' });
  await expect(chosen(warehouse)).toHaveText('東京倉庫 (ID: 4・倉庫)');
  await expect(
    autoAllocation.getByRole('radio', { name: 'OFF (在庫引当自動照会設定を使用)' }),
  ).toBeChecked();
  await expect(shop.locator('[data-origin="smaregi"]')).toHaveCount(2);
  // The merchant's own choice is kept, and says so after a reload.
  await autoAllocation.getByRole('radio', { name: 'ON (スマレジが登録時に引当)' }).check();
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の店舗を登録しました')).toBeVisible();
  await page.reload();
  await expect(
    autoAllocation.getByRole('radio', { name: 'ON (スマレジが登録時に引当)' }),
  ).toBeChecked();
  await expect(autoAllocation.locator('xpath=../..')).toContainText('この画面で設定');
  await autoAllocation.getByRole('radio', { name: 'OFF (在庫引当自動照会設定を使用)' }).check();
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の店舗を登録しました').first()).toBeVisible();
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'shops' });
  await saveScreen(page, 'shops');

  // 支払方法: mapped from the live 「スマレジ支払方法」 pull-down.
  await openMenu(page, '支払方法');
  const addMethod = page.getByRole('region', { name: '支払方法を追加' });
  await addMethod.getByLabel('支払方法名').fill('カード決済');
  await addMethod.getByRole('button', { name: '支払方法を追加する' }).click();
  const method = page.getByRole('combobox', {
    name: 'カード決済のスマレジ支払方法',
    exact: true,
  });
  await choose(page, method, /^クレジットカード \(ID: \d+・コード: CREDIT\)$/);
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の支払方法を登録しました')).toBeVisible();

  await page.reload();
  await expect(chosen(method)).toHaveText(/^クレジットカード \(ID: \d+・コード: CREDIT\)$/);
  await expect(
    page.getByText('すべての支払方法にスマレジ支払方法が設定されています'),
  ).toBeVisible();
  await expectNoSeriousA11yViolations(page, { name: 'payment-methods' });
  await saveScreen(page, 'payment-methods');

  // The dashboard of a connected merchant: the guide has moved on.
  await openMenu(page, 'ダッシュボード');
  await expect(page.getByText('結果：有効化済み')).toBeVisible();
  await expectNoSeriousA11yViolations(page, { name: 'dashboard-connected' });
  await saveScreen(page, 'dashboard');
});

test('a refused consent on Smaregi comes back as a Japanese message on the connection screen', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin, '許可しない');

  const alert = page.getByRole('alert').filter({ hasText: 'スマレジ連携を完了できませんでした' });
  await expect(alert).toContainText(
    'スマレジで連携が許可されませんでした。もう一度[認証]からやり直してください',
  );
  // Still not connected, [認証] offered again, and the URL carries no callback query any more.
  await expect(page.getByText('結果：未認証')).toBeVisible();
  await expect(page.getByRole('button', { name: '認証', exact: true })).toBeEnabled();
  await expect(page).toHaveURL((url) => url.search === '');
  await page.reload();
  await expect(page.getByText('スマレジ連携を完了できませんでした')).toBeHidden();
});

test('starting while setup items are unmet is refused with the items listed, each linked to its screen', async ({
  page,
  createMerchant,
}) => {
  test.setTimeout(60_000);
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();

  await openMenu(page, 'スマレジ連携設定');
  await page.getByRole('radio', { name: '連携を開始する' }).check();
  await saveSettings(page);

  const start = page.getByRole('region', { name: '■スマレジ連携開始設定' });
  const refusal = start.getByRole('alert');
  await expect(refusal).toContainText('連携を開始できませんでした');
  await expect(refusal).toContainText('有効な店舗がありません。店舗を登録してください。');
  await expect(refusal).toContainText('商品が取り込まれていません。');
  await expect(refusal).toContainText('調整額用商品番号が設定されていません。');
  await expect(
    refusal.getByRole('link', { name: '「店舗 (モール) ごとの設定」で設定する' }),
  ).toHaveAttribute('href', '/shops');
  await expect(
    refusal.getByRole('link', { name: '「受注連携設定」で設定する' }).first(),
  ).toHaveAttribute('href', '/settings/integration#order-sync');
  // Not started: the state is still 停止中.
  await expect(start).toContainText('停止中');
  await expectNoSeriousA11yViolations(page, { name: 'settings-refused' });
  await saveScreen(page, 'settings-refused');

  // The link leads to the screen that fixes the item: 出品商品一覧, where the import is — once
  // 商品連携設定 is [連携する] (a new merchant starts with [連携しない]: no import panel, the
  // reason, and a link to the setting).
  await refusal.getByRole('link', { name: '「出品商品一覧」で設定する' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/products');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('出品商品一覧');
  await expect(page.getByRole('button', { name: 'API連携する' })).toHaveCount(0);
  await expect(page.getByText('商品連携設定が[連携しない]のため')).toBeVisible();
  await page.getByRole('link', { name: '商品連携設定を変更する' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/settings/integration');
  await page
    .getByRole('radiogroup', { name: '■商品連携設定' })
    .getByRole('radio', { name: '連携する', exact: true })
    .check();
  await saveSettings(page);
  await expect(page.getByText('設定を保存しました')).toBeVisible();
  await openMenu(page, '出品商品一覧');
  await page.getByText('スマレジ商品連携', { exact: true }).click();
  await page.getByRole('button', { name: 'API連携する' }).click();
  await expect(page.getByText('(スマレジ商品ID)').first()).toBeVisible({ timeout: 30_000 });
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'products' });
  await saveScreen(page, 'products');

  // The refused start saved nothing: read afresh, the integration is still chosen stopped.
  await page.goto('/settings/integration');
  await expect(page.getByRole('radio', { name: '連携を停止する' })).toBeChecked();
  await expect(page.getByRole('region', { name: '■スマレジ連携開始設定' })).toContainText('停止中');
});

test('a shop set to 税別 with a 内税販売 受注店舗 shows the mismatch at 税計算設定 before saving', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();

  await openMenu(page, '店舗 (モール) ごとの設定');
  const addShop = page.getByRole('region', { name: '店舗を追加' });
  await addShop.getByLabel('店舗名').fill('E2E 税別の店');
  await addShop.getByRole('radio', { name: '税別' }).check();
  await addShop.getByRole('button', { name: '店舗を追加する' }).click();
  const shop = page.getByRole('group', { name: '店舗「E2E 税別の店」' });
  const taxMode = shop.getByRole('radiogroup', { name: '税計算設定' });
  await expect(taxMode.getByRole('radio', { name: '税別' })).toBeChecked();

  await choose(page, shop.getByRole('combobox', { name: 'スマレジ店舗ID' }), STORE_5_OPTION);
  await expect(fieldMessage(taxMode)).toHaveText(
    'スマレジ店舗「Renkei オンラインストア」は内税販売です。税計算設定を[税込]にするか、別の受注店舗を選んでください',
  );
  await expect(page.getByText('税計算設定と受注店舗の販売区分が一致しない店舗: 1件')).toBeVisible();
  // Shown before saving: the change is not registered yet.
  await expect(shop.getByText('未登録の変更があります')).toBeVisible();

  // Choosing the matching 税計算設定 clears it.
  await taxMode.getByRole('radio', { name: '税込' }).check();
  await expect(fieldMessage(taxMode)).toHaveCount(0);
});

test('an ダミー商品番号 that Smaregi does not have is refused at its field and nothing is saved', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();

  await openMenu(page, 'スマレジ連携設定');
  const dummy = page.getByLabel('■ダミー商品番号');
  await dummy.fill('DUMMY');
  await saveSettings(page);
  await expect(page.getByText('設定を保存しました')).toBeVisible();

  await dummy.fill('NO-SUCH-CODE');
  await page.getByRole('radio', { name: '受注購入数量で計算' }).check();
  await saveSettings(page);
  await expect(fieldMessage(dummy)).toHaveText(
    'ダミー商品番号「NO-SUCH-CODE」の商品がスマレジにありません。スマレジに商品を登録してから設定してください',
  );
  await expect(
    page.getByRole('alert').filter({ hasText: '入力内容を確認してください' }),
  ).toBeVisible();
  // The field with the message has the focus, so the merchant (and a screen reader) is there.
  await expect(dummy).toBeFocused();
  await toastsGone(page);
  await expectNoSeriousA11yViolations(page, { name: 'settings-field-error' });

  // Nothing of that save was kept: neither the code nor the other change.
  await page.reload();
  await expect(dummy).toHaveValue('DUMMY');
  await expect(page.getByRole('radio', { name: '受注在庫引当数量で計算（推奨）' })).toBeChecked();
});

/** Every call on the API host for this contract answers 503 until `clearFaults`. */
async function smaregiDown(stack: StackInfo, contractId: string): Promise<void> {
  await simControl(stack, 'PUT', '/faults', {
    // Only this merchant's contract: the worker keeps serving the other tests' tenants.
    contractId,
    errorRates: { 503: 1 },
    hosts: ['api'],
  });
}

test('Smaregi down: the shops screen says so at the pull-down with [再試行], the rest still works', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(60_000);
  const merchant = await createMerchant();
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();
  await adminMutation(page, 'shops.create', {
    name: 'E2E 楽天の店',
    mallKind: 'rakuten',
    taxMode: 'excluded',
    active: true,
    orderStoreId: null,
  });

  try {
    await smaregiDown(stack, merchant.smaregiLogin.contractId);
    await page.goto('/shops');
    const stores = page.getByRole('region', { name: 'スマレジの受注店舗' });
    await expect(stores.getByRole('alert')).toContainText(
      'スマレジの受注店舗一覧を読み込めませんでした',
      { timeout: 20_000 },
    );
    await expect(stores.getByRole('alert')).toContainText(
      /スマレジとの通信に失敗しました|スマレジからの応答がありません/,
    );
    await expect(stores.getByRole('button', { name: '再試行' })).toBeVisible();
    // The shop itself still renders: its name, its 税計算設定, a pull-down that waits for the list.
    const shop = page.getByRole('group', { name: '店舗「E2E 楽天の店」' });
    await expect(shop.getByLabel('店舗名')).toHaveValue('E2E 楽天の店');
    await expect(
      shop.getByRole('radiogroup', { name: '税計算設定' }).getByRole('radio', { name: '税別' }),
    ).toBeChecked();
    await expect(shop.getByRole('combobox', { name: 'スマレジ店舗ID' })).toBeDisabled();
    await expect(shop).toContainText('一覧を読み込めるまで「スマレジ店舗ID」は変更できません。');
    await expect(page.locator('body')).not.toContainText(/\{"|TRPCClientError|at .*\.ts:\d+/);
  } finally {
    await simControl(
      stack,
      'DELETE',
      `/faults?contractId=${encodeURIComponent(merchant.smaregiLogin.contractId)}`,
    );
  }

  await page
    .getByRole('region', { name: 'スマレジの受注店舗' })
    .getByRole('button', { name: '再試行' })
    .click();
  const shop = page.getByRole('group', { name: '店舗「E2E 楽天の店」' });
  const store = shop.getByRole('combobox', { name: 'スマレジ店舗ID' });
  await expect(store).toBeEnabled();
  await choose(page, store, 'Renkei 楽天市場店 (税別) ID: 6 外税販売');
  await expect(chosen(store)).toHaveText('Renkei 楽天市場店 (税別) (ID: 6・外税販売)');
  // The store's warehouse and auto-allocation come with it, the POS list read again by [再試行].
  await expect(chosen(shop.getByRole('combobox', { name: '倉庫' }))).toHaveText(
    '東京倉庫 (ID: 4・倉庫)',
  );
  await expect(
    shop
      .getByRole('radiogroup', { name: '自動引当' })
      .getByRole('radio', { name: 'ON (スマレジが登録時に引当)' }),
  ).toBeChecked();
});

test('a 受注店舗 whose object carries no warehouse or auto-allocation: the merchant sets both, and the checklist says where', async ({
  page,
  stack,
  createMerchant,
}) => {
  test.setTimeout(60_000);
  const merchant = await createMerchant();
  // Smaregi as the public sources show it: the store object has neither field.
  await simControl(stack, 'PUT', '/modeled-surface', {
    contractId: merchant.smaregiLogin.contractId,
    orderStoreStockFields: false,
  });
  await signIn(page, merchant);
  await authorizeSmaregi(page, merchant.smaregiLogin);
  await expect(page.getByText('結果：有効化済み')).toBeVisible();

  await openMenu(page, '店舗 (モール) ごとの設定');
  const addShop = page.getByRole('region', { name: '店舗を追加' });
  await addShop.getByLabel('店舗名').fill('E2E 倉庫を選ぶ店');
  await addShop.getByRole('radio', { name: '税込' }).check();
  await addShop.getByRole('button', { name: '店舗を追加する' }).click();
  const shop = page.getByRole('group', { name: '店舗「E2E 倉庫を選ぶ店」' });
  await choose(page, shop.getByRole('combobox', { name: 'スマレジ店舗ID' }), STORE_5_OPTION);
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の店舗を登録しました')).toBeVisible();
  await expect(page.getByText('倉庫または自動引当が未設定の店舗: 1件')).toBeVisible();
  await expect(shop).toContainText('スマレジの受注店舗からは取得できません');
  await expect(shop.locator('[data-origin="unset"]')).toHaveCount(2);

  // The checklist names the shop and leads to this screen.
  await openMenu(page, 'スマレジ連携設定');
  await page.getByRole('radio', { name: '連携を開始する' }).check();
  await saveSettings(page);
  const refusal = page.getByRole('region', { name: '■スマレジ連携開始設定' }).getByRole('alert');
  await expect(refusal).toContainText('倉庫または自動引当が設定されていない店舗があります。');
  await expect(refusal).toContainText('E2E 倉庫を選ぶ店: 倉庫・自動引当');
  // Back to the saved choice (停止), so leaving the screen asks nothing.
  await page.getByRole('radio', { name: '連携を停止する' }).check();

  await openMenu(page, '店舗 (モール) ごとの設定');
  await choose(page, shop.getByRole('combobox', { name: '倉庫' }), '東京倉庫 (ID: 4・倉庫)');
  await shop
    .getByRole('radiogroup', { name: '自動引当' })
    .getByRole('radio', { name: 'OFF (在庫引当自動照会設定を使用)' })
    .check();
  // The first save's toast must be gone, or it would pass for this save's and the reload below
  // would cut this one short (seen in CI: the update aborted, the 倉庫 unset after the reload).
  await toastsGone(page);
  await page.getByRole('button', { name: 'この内容で登録する' }).click();
  await expect(page.getByText('1件の店舗を登録しました')).toBeVisible();
  await page.reload();
  await expect(chosen(shop.getByRole('combobox', { name: '倉庫' }))).toHaveText(
    '東京倉庫 (ID: 4・倉庫)',
  );
  await expect(shop.locator('[data-origin="merchant"]')).toHaveCount(2);
  await expect(page.getByText('倉庫または自動引当が未設定の店舗')).toBeHidden();
  await expectNoSeriousA11yViolations(page, { name: 'shops-store-settings' });
});

/** The screens of the menu in English: the menu entry, the h1, and a heading shown once loaded. */
const ENGLISH_SCREENS = [
  { menu: 'Dashboard', h2: 'Steps to start the integration' },
  { menu: 'Smaregi connection (app authorisation)', h2: 'Authorisation status' },
  { menu: 'Smaregi integration settings', h2: 'EC order and stock settings' },
  { menu: 'Shop (mall) settings', h2: 'OMS shops' },
  { menu: 'Payment methods', h2: 'OMS payment methods' },
  { menu: 'Order statuses', h2: 'Statuses' },
  { menu: 'Orders', h2: 'Orders' },
  { menu: 'Shipping CSV', h2: 'Orders to export' },
  { menu: 'Order CSV import', h2: 'Choose a file' },
  { menu: 'Sync log', h2: 'Sync log' },
  { menu: 'Audit log', h2: 'Audit log' },
  { menu: 'API keys', h2: 'API keys' },
  { menu: 'Webhooks', h2: 'Endpoints' },
  // Last: the language switch below is checked on this screen.
  { menu: 'Listed products', h2: 'Products' },
] as const;

test('English: chosen on the login page, every screen speaks it, and it survives a reload', async ({
  page,
  stack,
}) => {
  // Only reads: the shared merchant will do. The language is the browser's choice, not the server's.
  await page.goto('/login');
  await choose(page, page.getByRole('combobox', { name: '表示言語' }), 'English');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renkei admin');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('Sign in');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renkei admin');

  await page.getByLabel('Email address').fill(stack.merchant.email);
  await page.getByLabel('Password', { exact: true }).fill(stack.merchant.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const main = page.getByRole('main');
  for (const screen of ENGLISH_SCREENS) {
    await page.getByRole('navigation').getByRole('menuitem', { name: screen.menu }).click();
    await expect(main.getByRole('heading', { level: 1 })).toHaveText(screen.menu);
    await expect(
      main.getByRole('heading', { level: 2, name: screen.h2, exact: true }),
    ).toBeVisible();
    // No heading of the screen is left in Japanese only (a Japanese term in brackets is fine).
    for (const heading of await main.getByRole('heading').allInnerTexts())
      expect(heading, `a heading on "${screen.menu}"`).toMatch(/[A-Za-z]/);
  }

  // Switching in the header works both ways, and the last choice survives a reload.
  await choose(page, page.getByRole('combobox', { name: 'Language' }), '日本語');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('出品商品一覧');
  await choose(page, page.getByRole('combobox', { name: '表示言語' }), 'English');
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Listed products');
  await page.reload();
  await expect(main.getByRole('heading', { level: 1 })).toHaveText('Listed products');
  await expect(
    page.getByRole('navigation').getByRole('menuitem', { name: 'Dashboard' }),
  ).toBeVisible();
});

/** Presses Tab until `target` has the focus (at most `max` times), as a keyboard user does. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return presses;
  }
  throw new Error(`${String(target)} was not reached with ${max} presses of Tab`);
}

/** The focused element shows where it is (an outline, not only a colour change of its text). */
async function expectVisibleFocus(target: Locator): Promise<void> {
  const outline = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.style).not.toBe('none');
  expect(outline.width).toBeGreaterThan(0);
}

test('keyboard only: sign in and reach the settings save button with Tab and Enter; every screen passes axe', async ({
  page,
  createMerchant,
}) => {
  const merchant = await createMerchant();
  await page.goto('/login');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Renkei 管理画面');
  await expectNoSeriousA11yViolations(page, { name: 'login' });
  await saveScreen(page, 'login');

  await tabTo(page, page.getByLabel('メールアドレス'));
  await page.keyboard.type(merchant.email);
  await tabTo(page, page.getByLabel('パスワード', { exact: true }), 3);
  await page.keyboard.type(merchant.password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ダッシュボード');
  // A new merchant: the guide starts at 手順1 認証.
  await expect(page.getByRole('heading', { name: '手順1：認証' })).toBeVisible();
  await expectNoSeriousA11yViolations(page, { name: 'dashboard-new' });

  // The side menu is reachable with Tab and opens with Enter.
  const menuItem = page.getByRole('menuitem', { name: 'スマレジ連携設定' });
  await tabTo(page, menuItem);
  await expectVisibleFocus(menuItem);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('スマレジ連携設定');

  const save = page.getByRole('button', { name: '設定を保存する' });
  await tabTo(page, save);
  await expectVisibleFocus(save);
  await page.keyboard.press('Enter');
  await expect(page.getByText('設定を保存しました')).toBeVisible();
});
