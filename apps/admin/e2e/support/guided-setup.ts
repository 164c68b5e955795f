import { expect, type Page } from '@playwright/test';
import type { Merchant } from './stack';
import { MerchantActions } from './merchant-actions';

/** Names the walk gives to what it creates in the OMS side. */
export const GUIDED = {
  shop: '楽天市場店',
  paymentMethod: 'クレジットカード',
  /** The simulator's 受注店舗 for 税別 shops (sellDivision excluded, auto-allocation ON). */
  orderStore: /Renkei 楽天市場店 \(税別\)/,
  smaregiPaymentMethod: /クレジット/,
  /** Products the simulator's demo shop has for the 調整額 line and ダミー商品番号 lines. */
  adjustmentCode: 'ADJUSTMENT',
  dummyCode: 'DUMMY',
} as const;

/** Clicks a menu entry of the admin's side menu (one merchant action). */
async function menu(page: Page, act: MerchantActions, name: string): Promise<void> {
  await act.click(page.getByRole('menuitem', { name }), `menu ${name}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

/**
 * A new merchant's way from the first login to a connected, configured, mapped and started
 * integration, following the dashboard's guided steps (認証 → 停止 → 設定 → 店舗 → 支払方法 →
 * 商品取得 → 開始) and taking the shortest path a merchant would take: every action goes through
 * `act`, so its count is the guided setup's cost. Returns when the integration runs.
 */
export async function walkGuidedSetup(
  page: Page,
  merchant: Merchant,
  act: MerchantActions = new MerchantActions(page),
): Promise<MerchantActions> {
  await page.goto('/');
  await act.fill(page.getByLabel('メールアドレス'), merchant.email, 'email');
  await act.fill(page.getByLabel('パスワード', { exact: true }), merchant.password, 'password');
  await act.click(page.getByRole('button', { name: 'ログイン' }), 'ログイン');
  await expect(page.getByRole('heading', { level: 1, name: 'ダッシュボード' })).toBeVisible();

  // 手順1 認証: the guide's own link, then Smaregi's login and consent. The guide renders once
  // its steps have loaded, above the status card that has the same link: clicked earlier, the
  // card's link moved under the pointer and the click landed on nothing (a CI run, 2026-12-02).
  await expect(page.getByText(/^\d+手順中 \d+手順が完了$/)).toBeVisible();
  await act.click(
    page.getByRole('link', { name: 'スマレジ連携 (アプリ認証) を開く' }).first(),
    'guide → 認証',
  );
  await act.click(page.getByRole('button', { name: '認証', exact: true }), '[認証]');
  await act.fill(page.getByLabel('契約ID'), merchant.smaregiLogin.contractId, 'Smaregi 契約ID');
  await act.fill(
    page.getByLabel('ログインID'),
    merchant.smaregiLogin.loginId,
    'Smaregi ログインID',
  );
  await act.fill(
    page.getByLabel('パスワード'),
    merchant.smaregiLogin.password,
    'Smaregi パスワード',
  );
  await act.click(page.getByRole('button', { name: 'ログイン' }), 'Smaregi ログイン');
  await act.click(page.getByRole('button', { name: '許可する' }), 'Smaregi 許可する');
  await expect(page.getByText('結果：有効化済み')).toBeVisible();

  // 手順2 停止: a new merchant's integration is stopped already; nothing to do.
  // 手順3 設定: the two product codes Smaregi has (checked against Smaregi when saved), and
  // 商品連携設定 [連携する], without which there is no product import (Smaregi is the master).
  await menu(page, act, 'スマレジ連携設定');
  await act.click(
    page
      .getByRole('radiogroup', { name: '■商品連携設定' })
      .getByRole('radio', { name: '連携する', exact: true }),
    '商品連携設定 [連携する]',
  );
  await act.fill(page.getByLabel('■調整額用商品番号'), GUIDED.adjustmentCode, '調整額用商品番号');
  await act.fill(page.getByLabel('■ダミー商品番号'), GUIDED.dummyCode, 'ダミー商品番号');
  await act.click(page.getByRole('button', { name: '設定を保存する' }), '[設定を保存する]');
  await expect(page.getByText('設定を保存しました')).toBeVisible();

  // 手順4 店舗: the shop and its 受注店舗 from Smaregi's live list in one form; choosing the store
  // sets the matching 税計算設定 (外税販売 → 税別). A new merchant's first mall is 楽天市場 already.
  await menu(page, act, '店舗 (モール) ごとの設定');
  const addShop = page.getByRole('region', { name: '店舗を追加' });
  await act.fill(addShop.getByLabel('店舗名'), GUIDED.shop, 'shop name');
  await act.select(addShop.getByLabel('スマレジ店舗ID'), GUIDED.orderStore, 'order store');
  await expect(addShop.getByRole('radio', { name: '税別' })).toBeChecked();
  await act.click(addShop.getByRole('button', { name: '店舗を追加する' }), 'add shop');
  await expect(page.getByRole('group', { name: `店舗「${GUIDED.shop}」` })).toBeVisible();

  // 手順5 支払方法: the OMS's payment method with its Smaregi payment method, in one form.
  await menu(page, act, '支払方法');
  const addMethod = page.getByRole('region', { name: '支払方法を追加' });
  await act.fill(addMethod.getByLabel('支払方法名'), GUIDED.paymentMethod, 'payment method name');
  await act.select(
    addMethod.getByLabel('スマレジ支払方法'),
    GUIDED.smaregiPaymentMethod,
    'Smaregi payment method',
  );
  await act.click(addMethod.getByRole('button', { name: '支払方法を追加する' }), 'add method');
  await expect(page.getByText(GUIDED.paymentMethod).first()).toBeVisible();

  // 手順6 商品取得: Smaregi is the master of products.
  await menu(page, act, '出品商品一覧');
  // The panel's pull-down starts at [スマレジから新規商品情報一括取得]: tick, then run it.
  await act.click(page.getByText('スマレジ商品連携', { exact: true }), 'スマレジ商品連携');
  await act.click(page.getByRole('button', { name: 'API連携する' }), '[API連携する]');
  await expect(page.getByText('(スマレジ商品ID)').first()).toBeVisible({ timeout: 30_000 });

  // 手順7 開始.
  await menu(page, act, 'スマレジ連携設定');
  await act.click(page.getByRole('radio', { name: '連携を開始する' }), '[連携を開始する]');
  await act.click(page.getByRole('button', { name: '設定を保存する' }), '[設定を保存する]');
  await expect(page.getByText('連携中').first()).toBeVisible();
  return act;
}
