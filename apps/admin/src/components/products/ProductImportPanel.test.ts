import type { VueWrapper } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import type { ImportRunView } from '../../views/products/import-progress';
import ProductImportPanel from './ProductImportPanel.vue';

const api = vi.hoisted(() => ({
  startImport: vi.fn(),
  cancelImport: vi.fn(),
  importRuns: vi.fn(),
  importRun: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    products: {
      startImport: { mutate: api.startImport },
      cancelImport: { mutate: api.cancelImport },
      importRuns: { query: api.importRuns },
      importRun: { query: api.importRun },
    },
  },
}));

const secondsAgo = (s: number) => new Date(Date.now() - s * 1000).toISOString();
const run = (over: Partial<ImportRunView> = {}): ImportRunView => ({
  id: 'run1',
  state: 'queued',
  mode: 'createNew',
  expectedTotal: 4000,
  pagesDone: 0,
  processed: 0,
  created: 0,
  updated: 0,
  skipped: 0,
  failed: 0,
  requestedBy: 'admin@example.com',
  canceledBy: null,
  startedAt: null,
  finishedAt: null,
  lastError: null,
  createdAt: '2026-12-02T01:00:00.000Z',
  ...over,
});

let wrapper: VueWrapper;
const button = (text: string) => wrapper.findAll('button').find((b) => b.text() === text);
const checkbox = () => wrapper.find('input[type="checkbox"]');

beforeEach(() => {
  vi.resetAllMocks();
  localStorage.clear();
  api.importRuns.mockResolvedValue([]);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
  vi.useRealTimers();
});

describe('モール在庫連携・スマレジ商品在庫連携パネル', () => {
  it('[API連携する] needs 「スマレジ商品連携」 ticked, and runs the operation chosen in the pull-down', async () => {
    api.startImport.mockResolvedValue({
      run: run({ mode: 'createAndUpdate' }),
      alreadyRunning: false,
    });
    api.importRun.mockResolvedValue(run({ mode: 'createAndUpdate' }));
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    expect(wrapper.find('#product-import-heading').text()).toBe(
      'モール在庫連携・スマレジ商品在庫連携パネル',
    );
    expect(wrapper.text()).toContain('まだ商品を取り込んでいません');
    expect(button('API連携する')?.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('「スマレジ商品連携」にチェックを入れると実行できます');

    const select = wrapper.findComponent(ElSelect);
    expect(select.props('modelValue')).toBe('createNew');
    expect(wrapper.find('label[for="product-import-mode"]').text()).toBe('操作');
    select.vm.$emit('update:modelValue', 'createAndUpdate');
    await settle();
    expect(wrapper.text()).toContain(
      '一覧にある商品はスマレジの商品コード・商品名・販売価格に更新します',
    );

    await checkbox().setValue(true);
    expect(button('API連携する')?.attributes('disabled')).toBeUndefined();
    await button('API連携する')?.trigger('click');
    await settle();
    expect(api.startImport).toHaveBeenCalledWith({ mode: 'createAndUpdate' });
    expect(wrapper.text()).toContain('取得の開始を待っています');
    // One run at a time: the button waits for this one to end.
    expect(button('API連携する')?.attributes('disabled')).toBeDefined();
  });

  it('polls every second: the bar moves against the estimate with the time left, then the summary links to the failed products', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    api.startImport.mockResolvedValue({ run: run(), alreadyRunning: false });
    const counts = { created: 1500, updated: 0, skipped: 490, failed: 10 };
    api.importRun
      .mockResolvedValueOnce(
        run({
          state: 'running',
          startedAt: secondsAgo(20),
          pagesDone: 2,
          processed: 2000,
          ...counts,
        }),
      )
      .mockResolvedValueOnce(
        run({
          state: 'succeeded',
          startedAt: '2026-12-02T01:00:00.000Z',
          finishedAt: '2026-12-02T01:01:05.000Z',
          pagesDone: 5,
          processed: 4100,
          ...counts,
          created: 3600,
        }),
      );
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    await checkbox().setValue(true);
    await button('API連携する')?.trigger('click');
    await settle();
    const bar = () => wrapper.find('[role="progressbar"]');
    expect(bar().attributes('aria-label')).toBe('スマレジからの商品取得の進み具合');
    expect(bar().attributes('aria-valuenow')).toBe('0');

    vi.advanceTimersByTime(1000);
    await settle();
    expect(bar().attributes('aria-valuenow')).toBe('50');
    expect(wrapper.find('[role="status"]').text()).toBe(
      '取得中: 2ページ・2000 / 約4000件 (新規 1500件・更新 0件・スキップ 490件・失敗 10件)',
    );
    expect(wrapper.find('[data-fact="elapsed"]').text()).toMatch(/^2[01]秒$/);
    expect(wrapper.find('[data-fact="remaining"]').text()).toMatch(/^2[01]秒$/);
    expect(button('中止')).toBeDefined();

    vi.advanceTimersByTime(1000);
    await settle();
    expect(bar().attributes('aria-valuenow')).toBe('100');
    const summary = wrapper.find('[data-part="import-summary"]');
    expect(summary.find('[data-count="created"]').text()).toBe('3600件');
    expect(summary.find('[data-count="skipped"]').text()).toBe('490件');
    expect(summary.find('[data-count="failed"]').text()).toBe('10件');
    expect(summary.find('[data-fact="duration"]').text()).toBe('1分5秒');
    const link = summary.findAll('a').find((a) => a.text().includes('取り込めなかった商品'));
    expect(link?.text()).toBe('取り込めなかった商品 (10件) を一覧で見る');
    expect(link?.attributes('href')).toBe('/products?sync=failed');
    expect(button('中止')).toBeUndefined();
    expect(wrapper.findComponent(ProductImportPanel).emitted('finished')).toHaveLength(1);

    vi.advanceTimersByTime(3000);
    await settle();
    expect(api.importRun).toHaveBeenCalledTimes(2);
  });

  it('after a reload the running run is found again and followed; a first import says the total is unknown', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const running = run({
      state: 'running',
      expectedTotal: null,
      startedAt: secondsAgo(5),
      pagesDone: 1,
      processed: 1000,
      created: 1000,
    });
    api.importRuns.mockResolvedValue([running]);
    api.importRun.mockResolvedValue({ ...running, pagesDone: 2, processed: 2000, created: 2000 });
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    expect(wrapper.find('[role="status"]').text()).toContain('取得中: 1ページ・1000件');
    expect(wrapper.text()).toContain('初回の取得のため、全体の件数はまだわかりません');
    expect(wrapper.find('[data-fact="remaining"]').exists()).toBe(false);
    vi.advanceTimersByTime(1000);
    await settle();
    expect(wrapper.find('[role="status"]').text()).toContain('取得中: 2ページ・2000件');
  });

  it('[中止] cancels the run; a run that ended meanwhile is refused in words', async () => {
    const running = run({
      state: 'running',
      startedAt: secondsAgo(5),
      pagesDone: 1,
      processed: 1000,
    });
    api.importRuns.mockResolvedValue([running]);
    api.importRun.mockResolvedValue(running);
    api.cancelImport.mockResolvedValueOnce({
      ...running,
      state: 'canceled',
      canceledBy: 'admin@example.com',
      finishedAt: new Date().toISOString(),
    });
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    await button('中止')?.trigger('click');
    await settle();
    expect(api.cancelImport).toHaveBeenCalledWith({ id: 'run1' });
    expect(wrapper.find('[role="status"]').text()).toBe(
      '取得は中止されました (1000件を処理しました)',
    );
    expect(wrapper.find('[data-part="import-summary"]').text()).toContain(
      '中止した人admin@example.com',
    );
    expect(button('中止')).toBeUndefined();
    wrapper.unmount();

    api.cancelImport.mockRejectedValueOnce(
      apiError('PRECONDITION_FAILED', {
        ja: 'この商品取込はすでに完了しているため、中止できません',
        en: 'This product import has already finished; it cannot be cancelled',
      }),
    );
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    await button('中止')?.trigger('click');
    await settle();
    expect(wrapper.text()).toContain('中止できませんでした');
    expect(wrapper.text()).toContain('この商品取込はすでに完了しているため、中止できません');
  });

  it('(表示/非表示) folds the panel away, and the choice is kept across a reload', async () => {
    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    const body = () => wrapper.find('#product-import-body');
    const toggle = () => wrapper.find('[aria-controls="product-import-body"]');
    expect(toggle().text()).toBe('(非表示)');
    expect(toggle().attributes('aria-expanded')).toBe('true');
    await toggle().trigger('click');
    expect(body().isVisible()).toBe(false);
    expect(toggle().text()).toBe('(表示)');
    expect(toggle().attributes('aria-expanded')).toBe('false');
    wrapper.unmount();

    ({ wrapper } = await renderScreen(ProductImportPanel, { route: 'products' }));
    expect(body().isVisible()).toBe(false);
    await toggle().trigger('click');
    expect(body().isVisible()).toBe(true);
    expect(localStorage.getItem('renkei.products.importPanel')).toBe('shown');
  });
});
