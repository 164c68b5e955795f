import { QueryClient, VueQueryPlugin } from '@tanstack/vue-query';
import { TRPCClientError } from '@trpc/client';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { ElMessageBox, type MessageBoxData } from 'element-plus';
import { createPinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import type * as TrpcModule from '../../api/trpc';
import { createAdminI18n } from '../../i18n';
import ConnectionView from './ConnectionView.vue';

const api = vi.hoisted(() => ({
  connection: {
    status: { query: vi.fn() },
    start: { mutate: vi.fn() },
    disconnect: { mutate: vi.fn() },
  },
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: api,
}));

const ACTIVE = {
  status: 'active',
  label: { ja: '有効化済み', en: 'Connected' },
  reason: null,
  contractId: 'SIM-CONTRACT-1',
  scopes: ['pos.products:read', 'order-shipment.orders:write'],
  connectedAt: '2026-11-30T08:05:00.000Z',
  statusChangedAt: '2026-11-30T08:05:00.000Z',
  lastError: null,
  authorizedBy: 'owner@example.com',
};
const UNAUTHENTICATED = {
  ...ACTIVE,
  status: 'unauthenticated',
  label: { ja: '未認証', en: 'Not connected' },
  contractId: null,
  scopes: [],
  connectedAt: null,
  authorizedBy: null,
};
const REAUTH = {
  ...ACTIVE,
  status: 'reauthRequired',
  label: { ja: '要再認証', en: 'Re-authorisation required' },
  reason: 'invalid_grant',
};

const Stub = defineComponent({ render: () => null });

/** Mounts the screen at /settings/connection with `query`, as after Smaregi's redirect back. */
async function mountAt(query: Record<string, string> = {}): Promise<{
  wrapper: VueWrapper;
  router: Router;
}> {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'dashboard', component: Stub },
      { path: '/settings/connection', name: 'settings.connection', component: ConnectionView },
    ],
  });
  await router.push({ name: 'settings.connection', query });
  await router.isReady();
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const wrapper = mount(ConnectionView, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), createAdminI18n('ja'), router, [VueQueryPlugin, { queryClient }]],
    },
  });
  for (let i = 0; i < 5; i++) await flushPromises();
  return { wrapper, router };
}

function button(wrapper: VueWrapper, label: string) {
  const found = wrapper.findAll('button').find((b) => b.text() === label);
  if (found === undefined) throw new Error(`no button ${label}`);
  return found;
}

let mounted: VueWrapper | null = null;
beforeEach(() => {
  vi.clearAllMocks();
  api.connection.status.query.mockResolvedValue(ACTIVE);
});
afterEach(() => {
  mounted?.unmount();
  mounted = null;
  vi.restoreAllMocks();
});

describe('スマレジ連携 (アプリ認証): back from Smaregi', () => {
  it.each([
    ['denied', 'スマレジで連携が許可されませんでした。もう一度[認証]からやり直してください'],
    ['expired', '時間がかかりすぎたため、無効になりました'],
    ['wrongSession', 'この認証のリンクは無効です'],
    ['unknownState', 'この認証のリンクは無効か、すでに使われています'],
    ['replayed', 'この認証のリンクはすでに使われています'],
    ['exchangeFailed', 'スマレジで認証を確認できませんでした'],
    ['contractTaken', 'すでに別の Renkei アカウントに連携されています'],
    ['missingParameters', 'スマレジから戻ってきた情報が足りませんでした'],
    ['somethingNew', 'スマレジ連携を完了できませんでした。もう一度[認証]からやり直してください'],
  ])('reason %s: a Japanese message, and the URL forgets it', async (reason, text) => {
    api.connection.status.query.mockResolvedValue(UNAUTHENTICATED);
    const { wrapper, router } = await mountAt({ smaregi: 'error', reason });
    mounted = wrapper;
    // role="alert": a screen reader announces it as the page opens.
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('スマレジ連携を完了できませんでした');
    expect(alert.text()).toContain(text);
    // A reload must not show the message again.
    expect(router.currentRoute.value.query).toEqual({});
    // The screen stays usable: the merchant can start again.
    expect(button(wrapper, '認証').exists()).toBe(true);
  });

  it('connected: a success message and 結果：有効化済み', async () => {
    const { wrapper, router } = await mountAt({ smaregi: 'connected' });
    mounted = wrapper;
    expect(wrapper.get('[role="alert"]').text()).toContain('スマレジとの連携が有効になりました。');
    expect(wrapper.text()).toContain('結果：有効化済み');
    expect(router.currentRoute.value.query).toEqual({});
  });
});

describe('スマレジ連携 (アプリ認証): the connection', () => {
  it('有効化済み: result, contract, who authorised it and when, the scopes', async () => {
    const { wrapper } = await mountAt();
    mounted = wrapper;
    const text = wrapper.text();
    expect(wrapper.find('h1').text()).toBe('スマレジ連携 (アプリ認証)');
    expect(text).toContain('結果：有効化済み');
    expect(text).toContain('契約ID');
    expect(text).toContain('SIM-CONTRACT-1');
    expect(text).toContain('owner@example.com');
    // Japan time, the Japanese way (08:05 UTC = 17:05 JST).
    expect(text).toContain('2026/11/30 17:05');
    const scopes = wrapper.find('details');
    expect(scopes.find('summary').text()).toBe('許可された権限 (スコープ) 2件');
    expect(scopes.text()).toContain('order-shipment.orders:write');
    expect(wrapper.findAll('button').some((b) => b.text() === '認証')).toBe(false);
  });

  it('未認証: [認証] sends the browser to Smaregi’s login', async () => {
    api.connection.status.query.mockResolvedValue(UNAUTHENTICATED);
    api.connection.start.mutate.mockResolvedValue({
      authorizeUrl: 'http://127.0.0.1:4010/authorize?state=x',
    });
    const assign = vi.spyOn(globalThis.location, 'assign').mockImplementation(() => {});
    const { wrapper } = await mountAt();
    mounted = wrapper;
    expect(wrapper.text()).toContain('結果：未認証');
    await button(wrapper, '認証').trigger('click');
    await flushPromises();
    expect(api.connection.start.mutate).toHaveBeenCalledWith({
      origin: globalThis.location.origin,
    });
    expect(assign).toHaveBeenCalledWith('http://127.0.0.1:4010/authorize?state=x');
  });

  it('要再認証: says why and offers [再認証する]', async () => {
    api.connection.status.query.mockResolvedValue(REAUTH);
    const { wrapper } = await mountAt();
    mounted = wrapper;
    expect(wrapper.text()).toContain('結果：要再認証');
    expect(wrapper.text()).toContain(
      '理由：認証の有効期限が切れたか、スマレジ側で取り消されました',
    );
    expect(button(wrapper, '再認証する').classes()).toContain('el-button--primary');
  });

  it('[連携を解除する] asks first; cancelling changes nothing', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel');
    const { wrapper } = await mountAt();
    mounted = wrapper;
    await button(wrapper, '連携を解除する').trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalledTimes(1);
    const [body, title] = confirm.mock.calls[0]!;
    expect(title).toBe('連携を解除しますか？');
    expect(body).toContain('スマレジへの受注の送信と在庫の取得が止まります');
    expect(api.connection.disconnect.mutate).not.toHaveBeenCalled();
  });

  it('[連携を解除する] confirmed: disconnects and shows the new state', async () => {
    // What ElMessageBox.confirm resolves with when the merchant confirms (its type is odd).
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValueOnce('confirm' as unknown as MessageBoxData);
    api.connection.disconnect.mutate.mockResolvedValue(UNAUTHENTICATED);
    const { wrapper } = await mountAt();
    mounted = wrapper;
    api.connection.status.query.mockResolvedValue(UNAUTHENTICATED);
    await button(wrapper, '連携を解除する').trigger('click');
    for (let i = 0; i < 5; i++) await flushPromises();
    expect(api.connection.disconnect.mutate).toHaveBeenCalledTimes(1);
    expect(wrapper.text()).toContain('結果：未認証');
  });

  it('the status cannot be read: a Japanese error and [再試行], never a blank page', async () => {
    const error = new TRPCClientError<never>('x');
    Object.defineProperty(error, 'data', {
      value: {
        code: 'INTERNAL_SERVER_ERROR',
        messages: { ja: 'サーバーで問題が発生しました', en: 'Server problem' },
        fieldErrors: [],
      },
    });
    api.connection.status.query.mockRejectedValueOnce(error);
    const { wrapper } = await mountAt();
    mounted = wrapper;
    expect(wrapper.text()).toContain('読み込みに失敗しました');
    expect(wrapper.text()).toContain('サーバーで問題が発生しました');
    await button(wrapper, '再試行').trigger('click');
    for (let i = 0; i < 5; i++) await flushPromises();
    expect(wrapper.text()).toContain('結果：有効化済み');
  });
});
