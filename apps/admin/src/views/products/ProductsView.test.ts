import type { VueWrapper } from '@vue/test-utils';
import { ElPagination } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import ProductsView from './ProductsView.vue';
import type { ImportRunView } from './import-progress';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  startImport: vi.fn(),
  importRuns: vi.fn(),
  importRun: vi.fn(),
  settings: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    products: {
      list: { query: api.list },
      startImport: { mutate: api.startImport },
      importRuns: { query: api.importRuns },
      importRun: { query: api.importRun },
    },
    settings: { get: { query: api.settings } },
  },
}));

const product = (i: number) => ({
  id: `p${i}`,
  productCode: `4901234567${String(i).padStart(3, '0')}`,
  managementNumber: null,
  name: `商品${i}`,
  price: 1000 + i,
  smaregiProductId: String(8000 + i),
  effectiveStock: null,
  stockAmount: null,
  allocatedAmount: null,
  stockUpdatedAt: null,
  syncState: 'synced',
  lastSyncedAt: null,
  lastError: null,
});
const run = (state: ImportRunView['state'], processed: number): ImportRunView => ({
  id: 'run1',
  state,
  pagesDone: Math.ceil(processed / 1000),
  processed,
  created: processed,
  updated: 0,
  skipped: 0,
  failed: 0,
  requestedBy: 'admin@example.com',
  startedAt: '2026-11-30T08:00:00.000Z',
  finishedAt: state === 'succeeded' ? '2026-11-30T08:01:00.000Z' : null,
  lastError: null,
  createdAt: '2026-11-30T08:00:00.000Z',
});

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue({
    items: [product(1), product(2)],
    total: 120,
    page: 1,
    pageSize: 50,
  });
  api.importRuns.mockResolvedValue([]);
  // 商品連携設定 [連携する] unless a test says otherwise.
  api.settings.mockResolvedValue({ productSyncEnabled: true });
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
  vi.useRealTimers();
});

describe('出品商品一覧', () => {
  it('shows each product code with its Smaregi product ID under it, name and price', async () => {
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(api.list).toHaveBeenCalledWith({ search: undefined, page: 1, pageSize: 50 });
    const first = wrapper.findAll('tbody tr')[0];
    expect(first?.findAll('td')[0]?.text()).toBe('4901234567001(8001)');
    expect(first?.text()).toContain('商品1');
    expect(first?.text()).toContain('￥1,001');
  });

  it("shows why a product failed, in the merchant's language", async () => {
    api.list.mockResolvedValue({
      items: [
        {
          ...product(1),
          syncState: 'failed',
          lastError: {
            ja: '商品「商品1」(商品番号 4901234567001)の商品番号は、スマレジの2つの商品(商品ID 8001 と 8002)に使われています',
            en: 'Product 商品1 (code 4901234567001): the code is used by two Smaregi products (product IDs 8001 and 8002)',
          },
          lastErrorCode: 'productCodeTaken',
        },
        product(2),
      ],
      total: 2,
      page: 1,
      pageSize: 50,
    });
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    const errors = wrapper.findAll('[data-part="product-error"]');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.text()).toContain('スマレジの2つの商品(商品ID 8001 と 8002)');
  });

  it('searches and pages on the server', async () => {
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.find('label[for="product-search"]').text()).toBe('商品検索');
    await wrapper.find('#product-search').setValue(' 商品2 ');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(api.list).toHaveBeenLastCalledWith({ search: '商品2', page: 1, pageSize: 50 });

    wrapper.findComponent(ElPagination).vm.$emit('update:current-page', 2);
    await settle();
    expect(api.list).toHaveBeenLastCalledWith({ search: '商品2', page: 2, pageSize: 50 });
  });

  it('starts the import, polls the run every second while it runs, then refreshes the list', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    api.startImport.mockResolvedValue({ run: run('queued', 0), alreadyRunning: false });
    api.importRun
      .mockResolvedValueOnce(run('running', 1000))
      .mockResolvedValueOnce(run('succeeded', 1500));
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.text()).toContain('まだ商品を取り込んでいません');
    const listCalls = api.list.mock.calls.length;

    const button = wrapper
      .findAll('button')
      .find((b) => b.text() === 'スマレジから新規商品情報一括取得');
    await button?.trigger('click');
    await settle();
    const bar = wrapper.find('[role="progressbar"]');
    expect(bar.attributes('aria-label')).toBe('スマレジからの商品取得の進み具合');
    expect(wrapper.text()).toContain('取得の開始を待っています');
    expect(button?.attributes('disabled')).toBeDefined();

    vi.advanceTimersByTime(1000);
    await settle();
    expect(wrapper.text()).toContain('取得中: 1ページ・1000件を処理しました');

    vi.advanceTimersByTime(1000);
    await settle();
    expect(wrapper.text()).toContain('取得が完了しました: 1500件を処理');
    expect(wrapper.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('100');
    expect(api.list.mock.calls.length).toBeGreaterThan(listCalls);

    // Done: no more polling.
    vi.advanceTimersByTime(3000);
    await settle();
    expect(api.importRun).toHaveBeenCalledTimes(2);
  });

  it('shows the latest run when the screen opens, and why an import cannot start', async () => {
    api.importRuns.mockResolvedValue([run('succeeded', 1500)]);
    api.startImport.mockRejectedValue(
      apiError('PRECONDITION_FAILED', {
        ja: '商品を取り込むには、先にスマレジと接続してください',
        en: 'Connect Smaregi before importing products',
      }),
    );
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.text()).toContain('取得が完了しました: 1500件を処理');
    const button = wrapper
      .findAll('button')
      .find((b) => b.text() === 'スマレジから新規商品情報一括取得');
    await button?.trigger('click');
    await settle();
    expect(wrapper.text()).toContain('商品を取り込むには、先にスマレジと接続してください');
  });

  it('商品連携設定 [連携しない]: no import panel, the reason, and a link to the setting; the list stays', async () => {
    api.settings.mockResolvedValue({ productSyncEnabled: false });
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain(
      'スマレジから新規商品情報一括取得',
    );
    expect(wrapper.find('#product-import-heading').exists()).toBe(false);
    expect(api.importRuns).not.toHaveBeenCalled();
    expect(wrapper.text()).toContain(
      '商品連携設定が[連携しない]のため、スマレジの商品の取り込みと更新は行いません。',
    );
    const link = wrapper.findAll('a').find((a) => a.text() === '商品連携設定を変更する');
    expect(link?.attributes('href')).toBe('/settings/integration#product-sync');
    expect(wrapper.findAll('tbody tr')).toHaveLength(2);
  });

  it('商品連携設定 [連携する]: the panel, and a note that Smaregi changes arrive by themselves', async () => {
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.find('#product-import-heading').exists()).toBe(true);
    expect(wrapper.text()).toContain(
      'スマレジで登録・変更された商品が自動でこの一覧に反映されます',
    );
    expect(wrapper.text()).not.toContain('[連携しない]のため');
  });
});
