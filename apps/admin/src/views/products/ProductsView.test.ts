import type { VueWrapper } from '@vue/test-utils';
import { ElPagination } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import type { Router } from 'vue-router';
import { renderScreen, settle } from '../../test/render-screen';
import ProductsView from './ProductsView.vue';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  startImport: vi.fn(),
  importRuns: vi.fn(),
  importRun: vi.fn(),
  stockFigures: vi.fn(),
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
      stockFigures: { query: api.stockFigures },
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
  lastErrorCode: null,
  updatedAt: '2026-11-30T08:00:00.000Z',
  openDrift: false,
});
/** The list's input for page 1 in 商品ID order, with `extra`. */
const input = (extra: Record<string, unknown> = {}) => ({
  page: 1,
  pageSize: 50,
  sort: 'code',
  order: 'asc',
  ...extra,
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
    expect(api.list).toHaveBeenCalledWith(input());
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

  it('searches, filters, sorts and pages on the server, keeping it all in the address', async () => {
    let router: Router;
    ({ wrapper, router } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.find('label[for="product-search"]').text()).toBe('商品検索');
    await wrapper.find('#product-search').setValue(' 商品2 ');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(api.list).toHaveBeenLastCalledWith(input({ search: '商品2' }));
    expect(router.currentRoute.value.query).toEqual({ search: '商品2' });

    // 有効在庫数 ascending, then turned around by choosing it again.
    await wrapper.find('button[data-sort="effectiveStock"]').trigger('click');
    await settle();
    expect(api.list).toHaveBeenLastCalledWith(input({ search: '商品2', sort: 'effectiveStock' }));
    expect(wrapper.find('th[aria-sort="ascending"]').text()).toContain('有効在庫数');
    await wrapper.find('button[data-sort="effectiveStock"]').trigger('click');
    await settle();
    expect(router.currentRoute.value.query).toEqual({
      search: '商品2',
      sort: 'effectiveStock',
      order: 'desc',
    });

    wrapper.findComponent(ElPagination).vm.$emit('update:current-page', 2);
    await settle();
    expect(api.list).toHaveBeenLastCalledWith(
      input({ search: '商品2', sort: 'effectiveStock', order: 'desc', page: 2 }),
    );
  });

  it('says 「10,000件以上」 when a search finds more than the server counts', async () => {
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.find('.list-head__count').text()).toBe('120件');
    api.list.mockResolvedValue({
      items: [product(1), product(2)],
      total: 10_000,
      totalCapped: true,
      page: 1,
      pageSize: 50,
    });
    await wrapper.find('#product-search').setValue('商品');
    await wrapper.find('form[role="search"]').trigger('submit');
    await settle();
    expect(wrapper.find('.list-head__count').text()).toBe(
      '10,000件以上 (検索語や条件で絞り込んでください)',
    );
  });

  it('opens filtered to the failed products from /products?sync=failed', async () => {
    let router: Router;
    ({ wrapper, router } = await renderScreen(ProductsView, { route: 'products' }));
    await router.push({ name: 'products', query: { sync: 'failed', drift: 'open' } });
    await settle();
    expect(api.list).toHaveBeenLastCalledWith(input({ syncState: 'failed', drift: true }));
    expect(wrapper.text()).toContain('条件をクリア');
    api.list.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 50 });
    await router.push({ name: 'products', query: { sync: 'notImported' } });
    await settle();
    expect(wrapper.find('[data-part="products-empty"]').text()).toBe(
      '条件に該当する商品はありません',
    );
  });

  it('marks a drift with text, and opens the figures the stock comes from on demand', async () => {
    api.list.mockResolvedValue({
      items: [{ ...product(1), effectiveStock: 3, openDrift: true }, product(2)],
      total: 2,
      page: 1,
      pageSize: 50,
    });
    api.stockFigures.mockResolvedValue({
      id: 'p1',
      productCode: '4901234567001',
      name: '商品1',
      smaregiProductId: '8001',
      stockBasis: 'orderStoreWarehouse',
      effectiveStockMode: 'smaregiAllocation',
      warehouse: { storeId: '1', shopName: '楽天市場店' },
      rows: [
        {
          smaregiStoreId: '1',
          stockAmount: 5,
          allocatedAmount: 2,
          counted: true,
          source: 'reconciliation',
          readAt: '2026-11-30T08:00:00.000Z',
        },
        {
          smaregiStoreId: '2',
          stockAmount: 9,
          allocatedAmount: 0,
          counted: false,
          source: 'webhook',
          readAt: '2026-11-30T08:00:00.000Z',
        },
      ],
      openOrderQuantity: null,
      computed: { stockAmount: 5, reserved: 2, effectiveStock: 3 },
      problem: null,
      listed: {
        effectiveStock: 3,
        stockUpdatedAt: '2026-11-30T08:00:00.000Z',
        recomputeDue: false,
      },
      drifts: [
        {
          id: 'd1',
          smaregiStoreId: '1',
          expected: 7,
          smaregi: 5,
          detectedAt: '2026-11-30T07:00:00.000Z',
        },
      ],
    });
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    const marks = wrapper.findAll('[data-part="drift-mark"]');
    expect(marks).toHaveLength(1);
    expect(marks[0]?.text()).toContain('在庫差異あり');
    expect(api.stockFigures).not.toHaveBeenCalled();

    const open = wrapper.find('button[aria-label="4901234567001 の有効在庫数の内訳"]');
    await open.trigger('click');
    await settle();
    expect(api.stockFigures).toHaveBeenCalledWith({ id: 'p1' });
    expect(open.attributes('aria-expanded')).toBe('true');
    const figures = wrapper.find('[data-part="stock-figures"]');
    expect(figures.find('[data-fact="stockBasis"]').text()).toBe('受注店舗の在庫数を使用する');
    expect(figures.find('[data-fact="effectiveStockMode"]').text()).toBe('受注在庫引当数量で計算');
    expect(figures.find('[data-fact="formula"]').text()).toContain(
      '在庫数 5 − 引当数 2 = 有効在庫数 3',
    );
    expect(figures.find('tr[data-store="2"]').text()).toContain('使わない');
    expect(figures.find('[data-part="drifts"] tbody').text()).toContain('7');
  });

  it('商品連携設定 [連携しない]: no import panel, the reason, and a link to the setting; the list stays', async () => {
    api.settings.mockResolvedValue({ productSyncEnabled: false });
    ({ wrapper } = await renderScreen(ProductsView, { route: 'products' }));
    expect(wrapper.findAll('button').map((b) => b.text())).not.toContain('API連携する');
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
