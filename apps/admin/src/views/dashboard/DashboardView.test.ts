import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type * as TrpcModule from '../../api/trpc';
import { createAdminI18n } from '../../i18n';
import DashboardView from './DashboardView.vue';

const api = vi.hoisted(() => ({
  readiness: { get: { query: vi.fn() } },
  settings: { get: { query: vi.fn() } },
  connection: { status: { query: vi.fn() } },
  dashboard: { summary: { query: vi.fn() } },
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: api,
}));

const msg = (ja: string) => ({ ja, en: `(en) ${ja}` });
const item = (
  id: string,
  fixAt: string,
  passed: boolean,
  message: string,
  details: string[] = [],
) => ({ id, passed, blocking: true, fixAt, message: msg(message), details });

/** Connected, but shops, payment methods and products still to do. */
const READINESS = {
  canStart: false,
  liveError: null,
  items: [
    item('connection', 'settings.connection', true, 'スマレジと接続済みです。'),
    item('shopsMapped', 'shops', false, '受注店舗が紐付けられていない店舗があります。', [
      '楽天市場店',
    ]),
    item(
      'orderStoreWarehouse',
      'smaregi.orderStores',
      false,
      '倉庫が紐付けられていない受注店舗があります。',
      ['EC受注店舗'],
    ),
    item('taxModeMatches', 'shops', true, '一致しています。'),
    item('paymentMethodsMapped', 'paymentMethods', true, '紐付けられています。'),
    item('adjustmentProductCode', 'settings.orderSync', true, '登録済みです。'),
    item('dummyProductCode', 'settings.orderSync', true, '登録済みです。'),
    item('allocationInquirySettings', 'settings.allocation', true, '設定済みです。'),
    item('productsImported', 'products', false, 'スマレジから商品を取り込んでください。'),
    item('bulkShippingStatus', 'settings.bulkShipping', true, '設定済みです。'),
  ],
};
const CONNECTION = {
  status: 'active',
  label: { ja: '有効化済み', en: 'Connected' },
  reason: null,
  contractId: 'SIM-CONTRACT-1',
  scopes: [],
  connectedAt: '2026-11-30T08:05:00.000Z',
  statusChangedAt: '2026-11-30T08:05:00.000Z',
  lastError: null,
  authorizedBy: 'owner@example.com',
};
const SUMMARY = {
  orders: {
    waiting: 4,
    pending: 3,
    registered: 1200,
    failed: 2,
    needsCheck: 1,
    canceled: 5,
    held: 1,
  },
  lastReconciliation: {
    at: '2026-11-30T06:00:00.000Z',
    outcome: 'warning',
    message: msg('在庫数の差異が2件ありました'),
  },
  lastError: {
    at: '2026-11-30T07:30:00.000Z',
    subjectType: 'order',
    subjectId: 'RT-1001',
    kind: 'order.registerFailed',
    message: msg('スマレジが受注を受け付けませんでした'),
  },
  lastOrderSyncedAt: '2026-11-30T07:45:00.000Z',
};

function apiError(ja: string): TRPCClientError<never> {
  const error = new TRPCClientError<never>('x');
  Object.defineProperty(error, 'data', {
    value: { code: 'BAD_GATEWAY', messages: msg(ja), fieldErrors: [] },
  });
  return error;
}

const Stub = defineComponent({ render: () => null });

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await flushPromises();
}

async function mountDashboard({ withOrders = false } = {}): Promise<VueWrapper> {
  const names = [
    'dashboard',
    'settings.connection',
    'settings.integration',
    'shops',
    'paymentMethods',
    'products',
  ];
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      ...names.map((name) => ({
        name,
        path: name === 'dashboard' ? '/' : `/${name.replace('.', '/')}`,
        component: Stub,
      })),
      ...(withOrders ? [{ name: 'orders', path: '/orders', component: Stub }] : []),
    ],
  });
  await router.push('/');
  await router.isReady();
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = mount(DashboardView, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), createAdminI18n('ja'), router, [VueQueryPlugin, { queryClient }]],
    },
  });
  await settle();
  return wrapper;
}

let mounted: VueWrapper | null = null;
beforeEach(() => {
  vi.clearAllMocks();
  api.readiness.get.query.mockResolvedValue(READINESS);
  api.settings.get.query.mockResolvedValue({ integrationEnabled: false });
  api.connection.status.query.mockResolvedValue(CONNECTION);
  api.dashboard.summary.query.mockResolvedValue(SUMMARY);
});
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe('ダッシュボード: the guided setup', () => {
  it('walks the help page steps in order and highlights the current one', async () => {
    mounted = await mountDashboard();
    const steps = mounted.findAll('.setup-guide__steps > li');
    expect(steps.map((s) => s.get('h3').text())).toEqual([
      '手順1：認証',
      '手順2：停止',
      '手順3：設定',
      '手順4：店舗',
      '手順5：支払方法',
      '手順6：商品取得',
      '手順7：開始',
    ]);
    const current = mounted.findAll('[aria-current="step"]');
    expect(current).toHaveLength(1);
    expect(current[0]!.get('h3').text()).toBe('手順4：店舗');
    expect(current[0]!.text()).toContain('いまの手順');
    // Each step says what Smaregi must have.
    expect(current[0]!.text()).toContain('在庫同期タブで倉庫が紐付けられていること');
    // One link per screen: the item's fix link, not a second one to the same screen.
    expect(current[0]!.findAll('a').map((a) => a.text())).toEqual([
      '店舗 (モール) ごとの設定で修正する',
    ]);
    expect(steps[6]!.get('a').text()).toBe('EC受注・在庫連携設定を開く');
    expect(steps[0]!.text()).toContain('完了');
    expect(steps[6]!.text()).toContain('前の手順待ち');
    expect(steps[6]!.text()).toContain('手順4「店舗」が完了すると進められます。');
    expect(mounted.text()).toContain('7手順中 4手順が完了');
  });

  it('an unmet item says what is wrong, names it and links to the screen that fixes it', async () => {
    mounted = await mountDashboard();
    const unmapped = mounted.get('[data-item="shopsMapped"]');
    expect(unmapped.text()).toContain('受注店舗が紐付けられていない店舗があります。');
    expect(unmapped.text()).toContain('楽天市場店');
    const link = unmapped.get('a');
    expect(link.text()).toBe('店舗 (モール) ごとの設定で修正する');
    expect(link.attributes('href')).toBe('/shops');

    // Fixed in Smaregi's own admin: no link, but where to go there.
    const warehouse = mounted.get('[data-item="orderStoreWarehouse"]');
    expect(warehouse.find('a').exists()).toBe(false);
    expect(warehouse.text()).toContain('スマレジの管理画面の受注店舗設定で修正してください。');

    const products = mounted.get('[data-item="productsImported"]');
    expect(products.get('a').attributes('href')).toBe('/products');
  });

  it('Smaregi unreachable: says so with [再試行], and the other parts still work', async () => {
    api.readiness.get.query.mockResolvedValueOnce({
      ...READINESS,
      liveError: msg('スマレジからの応答がありません'),
    });
    mounted = await mountDashboard();
    const guide = mounted.get('.setup-guide');
    expect(guide.text()).toContain('スマレジから最新の情報を取得できませんでした');
    expect(guide.text()).toContain('スマレジからの応答がありません');
    expect(mounted.get('[data-count="failed"]').text()).toContain('2件');

    const retry = guide.findAll('button').find((b) => b.text() === '再試行')!;
    await retry.trigger('click');
    await settle();
    expect(api.readiness.get.query).toHaveBeenCalledTimes(2);
    expect(mounted.get('.setup-guide').text()).not.toContain('最新の情報を取得できませんでした');
  });

  it('the checklist failing to load leaves the connection and sync health usable', async () => {
    api.readiness.get.query.mockRejectedValueOnce(apiError('スマレジに接続できません'));
    mounted = await mountDashboard();
    expect(mounted.get('.setup-guide').text()).toContain(
      '連携開始までの手順を読み込めませんでした',
    );
    expect(mounted.get('.setup-guide').text()).toContain('スマレジに接続できません');
    expect(mounted.text()).toContain('結果：有効化済み');
    expect(mounted.get('[data-count="pending"]').text()).toContain('3件');

    await mounted
      .get('.setup-guide')
      .findAll('button')
      .find((b) => b.text() === '再試行')!
      .trigger('click');
    await settle();
    expect(mounted.findAll('.setup-guide__steps > li')).toHaveLength(7);
  });
});

describe('ダッシュボード: connection, integration and sync health', () => {
  it('shows the connection and the integration state with links to their screens', async () => {
    mounted = await mountDashboard();
    const connection = mounted.get('[data-part="connection"]');
    expect(connection.text()).toContain('結果：有効化済み');
    expect(connection.text()).toContain('契約ID：SIM-CONTRACT-1');
    expect(connection.get('a').attributes('href')).toBe('/settings/connection');
    const integration = mounted.get('[data-part="integration"]');
    expect(integration.text()).toContain('停止中');
    expect(integration.get('a').attributes('href')).toBe('/settings/integration');
  });

  it('renders the order counts, the last reconciliation and the last error with times', async () => {
    mounted = await mountDashboard();
    const count = (key: string) => mounted!.get(`[data-count="${key}"]`);
    expect(count('pending').text()).toBe('連携待ち3件');
    expect(count('held').text()).toBe('保留1件');
    expect(count('needsCheck').text()).toBe('要確認1件');
    expect(count('failed').text()).toBe('エラー2件');
    expect(count('registered').text()).toBe('連携済み1,200件');
    // No order list yet: plain numbers, no dead links.
    expect(mounted.find('.sync-health a').exists()).toBe(false);

    const reconciliation = mounted.get('[data-part="reconciliation"]');
    expect(reconciliation.text()).toContain('2026/11/30 15:00');
    expect(reconciliation.text()).toContain('差異あり');
    expect(reconciliation.text()).toContain('在庫数の差異が2件ありました');
    const lastError = mounted.get('[data-part="last-error"]');
    expect(lastError.text()).toContain('2026/11/30 16:30');
    expect(lastError.text()).toContain('対象：受注 RT-1001');
    expect(lastError.text()).toContain('スマレジが受注を受け付けませんでした');
  });

  it('links the counts into the order list once that screen exists', async () => {
    mounted = await mountDashboard({ withOrders: true });
    const link = mounted.get('[data-count="failed"] a');
    expect(link.attributes('href')).toBe('/orders?syncState=failed');
    expect(link.attributes('aria-label')).toBe('エラー 2件の受注を表示');
  });

  it('the sync health failing to load says so with [再試行]', async () => {
    api.dashboard.summary.query.mockRejectedValueOnce(apiError('サーバーで問題が発生しました'));
    mounted = await mountDashboard();
    const health = mounted.get('.sync-health');
    expect(health.text()).toContain('同期の状況を読み込めませんでした');
    await health
      .findAll('button')
      .find((b) => b.text() === '再試行')!
      .trigger('click');
    await settle();
    expect(mounted.get('[data-count="held"]').text()).toBe('保留1件');
  });
});
