import {
  API_KEY_SCOPES,
  forkEm,
  IntegrationSettings,
  OrderStatus,
  PaymentMethod,
  Shop,
  Tenant,
  tenantRepositories,
  type Orm,
} from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { receiveOrder } from '../services/orders/receive.js';
import { createAdminUser, createApiKey, createTenant } from '../services/tenancy.js';
import {
  DEMO_INTAKE_KEY,
  DEMO_ORDER_EXAMPLE,
  DEMO_PAYMENT_METHOD_IDS,
  DEMO_SHOP_IDS,
  DEMO_STATUS_IDS,
  DEMO_TENANT_ID,
  DEMO_USER,
} from './constants.js';

/** True when the demo tenant exists already (the seed runs once per database). */
export async function demoSeeded(orm: Orm): Promise<boolean> {
  return (await forkEm(orm).count(Tenant, { id: DEMO_TENANT_ID })) > 0;
}

/**
 * The demo tenant of `pnpm start` on a fresh machine: user demo@renkei.local / renkei-demo, the
 * public demo intake key, shops for Rakuten / Amazon / Yahoo! / the own site, OMS payment methods
 * and statuses, demo settings (dummy and adjustment product codes of the simulator's demo
 * contract) and a few orders. The connection to the simulator's demo contract is made by
 * `startDemoAutoConnect` once the simulator answers.
 */
export async function seedDemo(deps: AppDeps): Promise<void> {
  if (await demoSeeded(deps.orm)) return;
  const em = forkEm(deps.orm);
  // Fixed tenant ID so the OpenAPI example and README commands work everywhere.
  await createTenant(em, { id: DEMO_TENANT_ID, name: 'Renkei デモ商店', demo: true });
  await createAdminUser(em, {
    tenantId: DEMO_TENANT_ID,
    email: DEMO_USER.email,
    password: DEMO_USER.password,
    displayName: 'デモ 店長',
  });
  await createApiKey(em, {
    tenantId: DEMO_TENANT_ID,
    name: 'デモ用キー (demo only)',
    plaintext: DEMO_INTAKE_KEY,
    // Every scope, so the README's commands and examples/oms-client can try the whole API
    // (webhook endpoints included) with the one documented key.
    scopes: API_KEY_SCOPES,
  });

  const t = em.getReference(Tenant, DEMO_TENANT_ID);
  const shops: [string, string, string, string][] = [
    [DEMO_SHOP_IDS.rakuten, '楽天市場店', 'rakuten', 'included'],
    [DEMO_SHOP_IDS.amazon, 'Amazon店', 'amazon', 'included'],
    [DEMO_SHOP_IDS.yahoo, 'Yahoo!ショッピング店', 'yahoo', 'included'],
    [DEMO_SHOP_IDS.ownSite, '自社サイト', 'ownSite', 'included'],
  ];
  for (const [id, name, mallKind, taxMode] of shops)
    em.create(Shop, { id, tenant: t, name, mallKind, taxMode });
  const methods: [string, string, string][] = [
    [DEMO_PAYMENT_METHOD_IDS.creditCard, 'クレジットカード', 'credit'],
    [DEMO_PAYMENT_METHOD_IDS.bankTransfer, '銀行振込', 'bank'],
    [DEMO_PAYMENT_METHOD_IDS.cashOnDelivery, '代金引換', 'cod'],
    [DEMO_PAYMENT_METHOD_IDS.deferred, '後払い', 'deferred'],
  ];
  for (const [id, name, code] of methods) em.create(PaymentMethod, { id, tenant: t, name, code });
  const statuses: [string, string, string, number][] = [
    [DEMO_STATUS_IDS.received, '新規受付', 'open', 10],
    [DEMO_STATUS_IDS.awaitingAllocation, '引当待ち', 'open', 20],
    [DEMO_STATUS_IDS.readyToShip, '出荷待ち', 'open', 30],
    [DEMO_STATUS_IDS.shipped, '出荷済み', 'shipped', 40],
    [DEMO_STATUS_IDS.cancelled, 'キャンセル', 'cancelled', 50],
  ];
  for (const [id, name, category, sortOrder] of statuses)
    em.create(OrderStatus, { id, tenant: t, name, category, sortOrder });
  const settings = await em.findOneOrFail(IntegrationSettings, { tenant: DEMO_TENANT_ID });
  settings.values = {
    ...settings.values,
    adjustmentProductCode: 'ADJUSTMENT',
    dummyProductCode: 'DUMMY',
    // 商品連携設定 [連携する]: the demo imports its products and follows Smaregi's changes.
    productSyncEnabled: true,
    allocationTriggerStatuses: [DEMO_STATUS_IDS.awaitingAllocation],
    allocatedStatus: DEMO_STATUS_IDS.readyToShip,
    bulkShippingTriggerStatus: DEMO_STATUS_IDS.shipped,
  };
  await em.flush();

  const scope = {
    deps,
    em,
    tenantId: DEMO_TENANT_ID,
    repos: tenantRepositories(em, DEMO_TENANT_ID),
    actor: { userId: null, label: 'demo-seed' },
  };
  const samples = [
    {
      shop: DEMO_SHOP_IDS.amazon,
      number: '250-1234567-0000001',
      pay: DEMO_PAYMENT_METHOD_IDS.creditCard,
      name: '佐藤 花子',
    },
    {
      shop: DEMO_SHOP_IDS.yahoo,
      number: 'yahoo-renkei-10001',
      pay: DEMO_PAYMENT_METHOD_IDS.cashOnDelivery,
      name: 'ｽｽﾞｷ ｲﾁﾛｳ',
    },
    {
      shop: DEMO_SHOP_IDS.ownSite,
      number: 'ＷＥＢ－０００１',
      pay: DEMO_PAYMENT_METHOD_IDS.bankTransfer,
      name: '田中 一郎',
    },
  ];
  for (const [i, s] of samples.entries()) {
    await receiveOrder(
      scope,
      {
        ...DEMO_ORDER_EXAMPLE,
        shopId: s.shop,
        orderNumber: s.number,
        orderedAt: `2026-01-0${i + 2}T09:00:00+09:00`,
        paymentMethodId: s.pay,
        shipTo: { ...DEMO_ORDER_EXAMPLE.shipTo, name: s.name },
      },
      'demo',
    );
  }
}
