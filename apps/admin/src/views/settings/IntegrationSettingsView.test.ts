import { TRPCClientError } from '@trpc/client';
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import type { IntegrationSettings } from '../../components/settings/settings-form';
import { renderScreen, settle } from '../../test/render-screen';
import IntegrationSettingsView from './IntegrationSettingsView.vue';

const api = vi.hoisted(() => ({
  settingsGet: vi.fn(),
  settingsUpdate: vi.fn(),
  statuses: vi.fn(),
  shops: vi.fn(),
  orderStores: vi.fn(),
  readiness: vi.fn(),
  stockRecompute: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    settings: {
      get: { query: api.settingsGet },
      update: { mutate: api.settingsUpdate },
      stockRecompute: { query: api.stockRecompute },
    },
    orderStatuses: { list: { query: api.statuses } },
    shops: { list: { query: api.shops }, orderStores: { query: api.orderStores } },
    readiness: { get: { query: api.readiness } },
  },
}));

const settings: IntegrationSettings = {
  integrationEnabled: false,
  syncEnclosures: true,
  adjustmentProductCode: 'ADJ-1',
  dummyProductCode: 'DUMMY-1',
  shippingCsvUnallocated: 'include',
  stockBasis: 'allStores',
  effectiveStockMode: 'omsPurchase',
  allocationTriggerStatuses: ['st-2', 'st-1'],
  allocatedStatus: 'st-3',
  bulkShippingTriggerStatus: 'st-4',
  productSyncEnabled: false,
};
const statuses = [
  { id: 'st-1', name: '新規受付', category: 'new', sortOrder: 1 },
  { id: 'st-2', name: '引当待ち', category: 'open', sortOrder: 2 },
  { id: 'st-3', name: '出荷待ち', category: 'open', sortOrder: 3 },
  { id: 'st-4', name: '出荷指示済み', category: 'open', sortOrder: 4 },
];
/** `autoAllocation` is the shop's own 自動引当 setting (the store object need not carry it). */
const shop = (id: string, orderStoreId: string | null, autoAllocation: boolean | null = null) => ({
  id,
  name: `店舗${id}`,
  mallKind: 'rakuten',
  taxMode: 'included',
  active: true,
  orderStoreId,
  orderStoreName: orderStoreId === null ? null : `受注店舗${orderStoreId}`,
  warehouseStoreId: orderStoreId === null ? null : '9',
  warehouseOrigin: null,
  autoAllocation,
  autoAllocationOrigin: null,
  updatedAt: '2026-11-30T08:00:00.000Z',
});
const store = (storeId: string, autoAllocation: boolean | null) => ({
  storeId,
  storeName: `受注店舗${storeId}`,
  sellDivision: 'included',
  stockStoreId: '9',
  autoAllocation,
});

/** An error as the tRPC client builds it from the API's formatted body. */
function apiError(
  code: string,
  messages: { ja: string; en: string },
  extra: {
    fieldErrors?: { path: string; message: { ja: string; en: string } }[];
    details?: Record<string, unknown>;
  } = {},
): TRPCClientError<never> {
  const error = new TRPCClientError<never>(messages.en);
  Object.defineProperty(error, 'data', {
    value: { code, messages, fieldErrors: extra.fieldErrors ?? [], details: extra.details ?? null },
  });
  return error;
}

let wrapper: VueWrapper | undefined;
/** What the API has saved: `settings.get` reads it, `settings.update` merges into it. */
let stored: IntegrationSettings;

beforeEach(() => {
  stored = { ...settings };
  api.settingsGet.mockImplementation(() => Promise.resolve({ ...stored }));
  api.statuses.mockResolvedValue(statuses);
  api.shops.mockResolvedValue([shop('a', '1', true), shop('b', '2', false)]);
  api.orderStores.mockResolvedValue([store('1', true), store('2', false)]);
  api.stockRecompute.mockResolvedValue(null);
  // The API answers with what it saved.
  api.settingsUpdate.mockImplementation((update: Partial<IntegrationSettings>) => {
    stored = { ...stored, ...update };
    return Promise.resolve({ ...stored });
  });
});

afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.clearAllMocks();
  document.body.innerHTML = '';
});

let router: Awaited<ReturnType<typeof renderScreen>>['router'];

async function render(): Promise<VueWrapper> {
  ({ wrapper, router } = await renderScreen(IntegrationSettingsView, {
    route: 'settings.integration',
  }));
  return wrapper;
}

// --- finding controls as a merchant (or Playwright's getByLabel) does --------------------------

/** The control whose <label> (ElFormItem's `for`) contains the words. */
function control(words: string): HTMLElement {
  const label = [...document.querySelectorAll('label')].find((l) => l.textContent?.includes(words));
  const id = label?.getAttribute('for');
  const element = id ? document.getElementById(id) : null;
  if (element === null) throw new Error(`no control labelled ${words}`);
  return element;
}

function input(words: string): HTMLInputElement {
  return control(words) as HTMLInputElement;
}

/** The radio group whose accessible name (aria-label or aria-labelledby) contains the words. */
function group(words: string): HTMLElement {
  const found = [...document.querySelectorAll<HTMLElement>('[role="radiogroup"]')].find((g) => {
    const labelledBy = g.getAttribute('aria-labelledby');
    const name = labelledBy
      ? document.getElementById(labelledBy)?.textContent
      : g.getAttribute('aria-label');
    return name?.includes(words) ?? false;
  });
  if (found === undefined) throw new Error(`no radio group named ${words}`);
  return found;
}

/** The radio of a group by its label text. */
function radio(groupWords: string, optionWords: string): HTMLInputElement {
  const label = [...group(groupWords).querySelectorAll('label')].find((l) =>
    l.textContent?.includes(optionWords),
  );
  const element = label?.querySelector('input[type="radio"]');
  if (!element) throw new Error(`no radio ${optionWords} in ${groupWords}`);
  return element as HTMLInputElement;
}

function checkedIn(groupWords: string): string {
  const checked = group(groupWords).querySelector<HTMLInputElement>('input:checked');
  return checked?.closest('label')?.textContent?.trim() ?? '';
}

/** The form item (label, control, help text, error) around a control. */
function formItem(element: HTMLElement): HTMLElement {
  return element.closest('.el-form-item')!;
}

function button(words: string): HTMLButtonElement {
  const found = [...document.querySelectorAll('button')].find((b) =>
    b.textContent?.includes(words),
  );
  if (found === undefined) throw new Error(`no button ${words}`);
  return found;
}

async function type(words: string, value: string): Promise<void> {
  await wrapper!.find(`#${control(words).id}`).setValue(value);
}

async function choose(groupWords: string, optionWords: string): Promise<void> {
  const element = radio(groupWords, optionWords);
  element.checked = true;
  element.dispatchEvent(new Event('change'));
  await settle();
}

async function save(): Promise<void> {
  button('設定を保存する').click();
  await settle();
  // Element Plus shows a form item's error after a 100 ms debounce.
  await new Promise((resolve) => setTimeout(resolve, 120));
  await settle();
}

const body = (): string => document.body.textContent ?? '';

// -----------------------------------------------------------------------------------------------

describe('スマレジ連携設定: the saved settings are what the controls show', () => {
  it('loads every setting into its control, in sections the dashboard can link to', async () => {
    await render();
    expect(document.querySelector('h1')?.textContent).toBe('スマレジ連携設定');
    expect(body()).toContain('停止中');
    expect(radio('スマレジ連携開始設定', '連携を停止する').checked).toBe(true);

    expect(checkedIn('封入物商品連携')).toBe('連携する');
    expect(input('調整額用商品番号').value).toBe('ADJ-1');
    expect(input('ダミー商品番号').value).toBe('DUMMY-1');
    expect(checkedIn('送り状・出荷CSV出力制御')).toBe('引当未完了の受注を出力する');
    expect(checkedIn('在庫数合算設定')).toBe('受注店舗とPOS店舗を合算した在庫数を使用する');
    expect(checkedIn('有効在庫数計算設定')).toBe('受注購入数量で計算');
    expect(checkedIn('商品連携設定')).toBe('連携しない');

    // Selects show the statuses by name.
    const triggers = formItem(control('在庫引当自動照会対象ステータス')).textContent;
    expect(triggers).toContain('引当待ち');
    expect(triggers).toContain('新規受付');
    expect(formItem(control('在庫引当完了後ステータス')).textContent).toContain('出荷待ち');
    expect(formItem(control('自動連携対象ステータス')).textContent).toContain('出荷指示済み');

    for (const id of [
      'order-sync',
      'allocation',
      'allocation-inquiry',
      'bulk-shipping',
      'product-sync',
    ])
      expect(document.getElementById(id)?.tagName).toBe('SECTION');
    // Every item explains itself.
    expect(formItem(control('ダミー商品番号')).textContent).toContain('商品番号も商品管理番号も');
  });

  it('shows 連携中 when the integration runs', async () => {
    stored.integrationEnabled = true;
    await render();
    expect(body()).toContain('連携中');
    expect(radio('スマレジ連携開始設定', '連携を開始する').checked).toBe(true);
  });
});

describe('[設定を保存する]', () => {
  it('sends what the form holds, an emptied code as null, and shows the saved values', async () => {
    await render();
    await type('調整額用商品番号', '');
    await type('ダミー商品番号', ' DUMMY-2 ');
    await choose('在庫数合算設定', '受注店舗の在庫数を使用する');
    await choose('有効在庫数計算設定', '受注在庫引当数量で計算');
    await choose('商品連携設定', '連携する');
    await save();

    expect(api.settingsUpdate).toHaveBeenCalledTimes(1);
    expect(api.settingsUpdate).toHaveBeenCalledWith({
      integrationEnabled: false,
      syncEnclosures: true,
      adjustmentProductCode: null,
      dummyProductCode: 'DUMMY-2',
      shippingCsvUnallocated: 'include',
      stockBasis: 'orderStoreWarehouse',
      effectiveStockMode: 'smaregiAllocation',
      allocationTriggerStatuses: ['st-2', 'st-1'],
      allocatedStatus: 'st-3',
      bulkShippingTriggerStatus: 'st-4',
      productSyncEnabled: true,
    });
    expect(body()).toContain('設定を保存しました');
    // The form now shows what the API saved.
    expect(input('ダミー商品番号').value).toBe('DUMMY-2');
    expect(input('調整額用商品番号').value).toBe('');
    expect(body()).not.toContain('保存されていない変更があります');
  });

  it('after a change of 在庫数合算設定, shows the recompute’s progress until it is done', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      const recompute = (over: Record<string, unknown>) => ({
        id: 'run-1',
        state: 'running',
        phase: 'stock',
        changes: { stockBasis: { from: 'allStores', to: 'orderStoreWarehouse' } },
        ordersTotal: 0,
        ordersDone: 0,
        productsTotal: 120,
        productsDone: 40,
        lastError: null,
        requestedBy: 'owner@example.com',
        createdAt: '2026-11-30T08:00:00.000Z',
        startedAt: '2026-11-30T08:00:01.000Z',
        finishedAt: null,
        ...over,
      });
      await render();
      // No change of the stock settings yet: nothing to show.
      expect(document.querySelector('[data-part="stock-recompute"]')).toBeNull();

      api.stockRecompute
        .mockResolvedValueOnce(recompute({ state: 'queued', phase: null, productsTotal: 0 }))
        .mockResolvedValueOnce(recompute({}))
        .mockResolvedValue(recompute({ state: 'succeeded', productsDone: 120 }));
      await choose('在庫数合算設定', '受注店舗の在庫数を使用する');
      await save();
      const line = () =>
        document.querySelector('[data-part="stock-recompute"] [role="status"]')?.textContent;
      await vi.waitFor(() => expect(line()).toContain('反映する準備をしています'));
      await vi.advanceTimersByTimeAsync(3000);
      await settle();
      expect(line()).toBe('商品の有効在庫数を計算し直しています (40 / 120 件)');
      await vi.advanceTimersByTimeAsync(3000);
      await settle();
      expect(line()).toBe('反映しました (商品 120 件)');
      // Done: no more reading.
      const calls = api.stockRecompute.mock.calls.length;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(api.stockRecompute.mock.calls.length).toBe(calls);
    } finally {
      vi.useRealTimers();
    }
  });

  it('shows a product code Smaregi does not have at its field, not at the other', async () => {
    const message = 'ダミー商品番号「NOPE」の商品がスマレジにありません。';
    api.settingsUpdate.mockRejectedValue(
      apiError(
        'BAD_REQUEST',
        { ja: `入力内容に誤りがあります: ${message}`, en: 'Invalid input' },
        { fieldErrors: [{ path: 'dummyProductCode', message: { ja: message, en: 'No product' } }] },
      ),
    );
    await render();
    await type('ダミー商品番号', 'NOPE');
    await save();

    const dummy = formItem(control('ダミー商品番号'));
    expect(dummy.querySelector('.el-form-item__error')?.textContent).toContain(message);
    expect(formItem(control('調整額用商品番号')).querySelector('.el-form-item__error')).toBeNull();
    // The message is on the page once (at its field); the top only points to it.
    expect(body().split(message).length - 1).toBe(1);
    expect(document.querySelector('[role="alert"]')?.textContent).toContain(
      '入力内容を確認してください',
    );
    // What was typed stays, to correct it.
    expect(input('ダミー商品番号').value).toBe('NOPE');
  });

  it('shows Smaregi being down at the top, in Japanese', async () => {
    api.settingsUpdate.mockRejectedValue(
      apiError('BAD_GATEWAY', {
        ja: 'スマレジに接続できません。しばらくしてからお試しください',
        en: 'Smaregi is unreachable',
      }),
    );
    await render();
    await save();
    expect(document.querySelector('[role="alert"]')?.textContent).toContain(
      'スマレジに接続できません。しばらくしてからお試しください',
    );
  });

  it('while running, asks to stop first; confirming stops and saves in one update', async () => {
    stored.integrationEnabled = true;
    await render();
    await type('ダミー商品番号', 'DUMMY-9');
    await save();

    expect(api.settingsUpdate).not.toHaveBeenCalled();
    expect(body()).toContain('連携中は設定を変更できません。連携を停止して設定を保存しますか？');
    button('連携を停止して保存する').click();
    await settle();

    expect(api.settingsUpdate).toHaveBeenCalledTimes(1);
    expect(api.settingsUpdate).toHaveBeenCalledWith(
      expect.objectContaining({ integrationEnabled: false, dummyProductCode: 'DUMMY-9' }),
    );
    expect(body()).toContain('設定を保存し、連携を停止しました');
    expect(body()).toContain('停止中');
  });

  it('while running, cancelling the question saves nothing and keeps the edits', async () => {
    stored.integrationEnabled = true;
    await render();
    await type('ダミー商品番号', 'DUMMY-9');
    await save();
    button('キャンセル').click();
    await settle();

    expect(api.settingsUpdate).not.toHaveBeenCalled();
    expect(input('ダミー商品番号').value).toBe('DUMMY-9');
    expect(body()).toContain('保存されていない変更があります');
  });

  it('asks too when the API says it runs (started meanwhile in another tab)', async () => {
    await render();
    stored.integrationEnabled = true;
    api.settingsUpdate.mockRejectedValueOnce(
      apiError(
        'PRECONDITION_FAILED',
        { ja: '連携中は設定を変更できません', en: 'Running' },
        { details: { reason: 'integrationRunning', changed: ['dummyProductCode'] } },
      ),
    );
    await choose('スマレジ連携開始設定', '連携を開始する');
    await type('ダミー商品番号', 'DUMMY-9');
    await save();
    // The page now knows it runs.
    expect(body()).toContain('連携中');
    expect(body()).toContain('連携を停止して設定を保存しますか？');
    button('連携を停止して保存する').click();
    await settle();
    expect(api.settingsUpdate).toHaveBeenLastCalledWith(
      expect.objectContaining({ integrationEnabled: false, dummyProductCode: 'DUMMY-9' }),
    );
  });
});

describe('unsaved changes are not lost by a stray click', () => {
  it('asks before leaving with unsaved edits; staying keeps them', async () => {
    await render();
    await type('ダミー商品番号', 'DUMMY-9');
    const leaving = router.push({ name: 'dashboard' });
    await settle();
    expect(body()).toContain('保存せずにこのページを離れますか？');
    button('このページに留まる').click();
    await leaving;
    await settle();

    expect(router.currentRoute.value.name).toBe('settings.integration');
    expect(input('ダミー商品番号').value).toBe('DUMMY-9');
  });

  it('leaves when the merchant confirms', async () => {
    await render();
    await type('ダミー商品番号', 'DUMMY-9');
    const leaving = router.push({ name: 'dashboard' });
    await settle();
    button('保存せずに離れる').click();
    await leaving;

    expect(router.currentRoute.value.name).toBe('dashboard');
    expect(api.settingsUpdate).not.toHaveBeenCalled();
  });

  it('leaves without a question when nothing changed', async () => {
    await render();
    await router.push({ name: 'shops' });
    await settle();

    expect(router.currentRoute.value.name).toBe('shops');
    expect(body()).not.toContain('保存せずにこのページを離れますか？');
  });
});

describe('[連携を開始する] refused while the checklist has unmet items', () => {
  it('lists every unmet item in Japanese, each linked to the screen that fixes it', async () => {
    const unmet = [
      {
        id: 'shopsMapped',
        message: { ja: '受注店舗が紐付けられていない店舗があります。', en: 'Unmapped shops.' },
      },
      {
        id: 'dummyProductCode',
        message: { ja: 'ダミー商品番号が設定されていません。', en: 'No dummy code.' },
      },
      {
        id: 'orderStoreWarehouse',
        message: { ja: '倉庫が紐付けられていない受注店舗があります。', en: 'No warehouse.' },
      },
    ];
    api.settingsUpdate.mockRejectedValue(
      apiError(
        'PRECONDITION_FAILED',
        { ja: '連携を開始できません', en: 'Cannot start' },
        { details: { readiness: unmet } },
      ),
    );
    api.readiness.mockResolvedValue({
      canStart: false,
      liveError: null,
      items: [
        { ...unmet[0], passed: false, blocking: true, fixAt: 'shops', details: ['店舗b'] },
        { ...unmet[1], passed: false, blocking: true, fixAt: 'settings.orderSync', details: [] },
        { ...unmet[2], passed: false, blocking: true, fixAt: 'smaregi.orderStores', details: [] },
        {
          id: 'connection',
          passed: true,
          blocking: true,
          message: { ja: '接続済み', en: 'ok' },
          fixAt: 'settings.connection',
          details: [],
        },
      ],
    });
    await render();
    await choose('スマレジ連携開始設定', '連携を開始する');
    await save();

    expect(api.settingsUpdate).toHaveBeenCalledWith(
      expect.objectContaining({ integrationEnabled: true }),
    );
    const refusal = document.querySelector('#integration-start [role="alert"]')!;
    expect(refusal.textContent).toContain('連携を開始できませんでした');
    const items = [...refusal.querySelectorAll('li')];
    expect(items.map((li) => li.dataset.readinessId)).toEqual([
      'shopsMapped',
      'dummyProductCode',
      'orderStoreWarehouse',
    ]);
    expect(items[0]!.textContent).toContain('受注店舗が紐付けられていない店舗があります。');
    expect(items[0]!.textContent).toContain('店舗b');
    expect(items[0]!.querySelector('a')?.getAttribute('href')).toBe('/shops');
    expect(items[0]!.querySelector('a')?.textContent).toContain('店舗 (モール) ごとの設定');
    expect(items[1]!.querySelector('a')?.getAttribute('href')).toBe(
      '/settings/integration#order-sync',
    );
    // Fixed in Smaregi's own admin: said, not linked.
    expect(items[2]!.querySelector('a')).toBeNull();
    expect(items[2]!.textContent).toContain('スマレジの管理画面');
    // Passed items are not listed; the state is still 停止中.
    expect(refusal.textContent).not.toContain('接続済み');
    expect(body()).toContain('停止中');
    // The switch is back at what runs, so following a link to fix an item does not ask about
    // unsaved changes (nothing else was edited).
    expect(checkedIn('スマレジ連携開始設定')).toContain('連携を停止する');
    expect(body()).not.toContain('保存されていない変更があります');
    await router.push({ name: 'shops' });
    await settle();
    expect(router.currentRoute.value.name).toBe('shops');
  });
});

describe('在庫引当自動照会設定 and the order stores’ auto-allocation', () => {
  it('is not applicable, with the reason, when every mapped store allocates automatically', async () => {
    api.shops.mockResolvedValue([shop('a', '1', true), shop('b', '2', true)]);
    api.orderStores.mockResolvedValue([store('1', null), store('2', null), store('3', false)]);
    await render();
    const section = document.getElementById('allocation-inquiry')!;
    expect(section.textContent).toContain('この設定は対象外です');
    expect(section.textContent).toContain('受注店舗1、受注店舗2');
    expect(section.textContent).toContain('自動引当がON');
    expect(input('在庫引当自動照会対象ステータス').disabled).toBe(true);
    expect(input('在庫引当完了後ステータス').disabled).toBe(true);
  });

  it('applies (and says for which stores) when a mapped store allocates manually', async () => {
    await render();
    const section = document.getElementById('allocation-inquiry')!;
    expect(section.textContent).not.toContain('対象外');
    expect(section.textContent).toContain('自動引当がOFFの受注店舗（受注店舗2）');
    expect(input('在庫引当自動照会対象ステータス').disabled).toBe(false);
  });

  it('stays editable with a retry when Smaregi’s order stores cannot be read', async () => {
    api.orderStores.mockRejectedValueOnce(
      apiError('BAD_GATEWAY', { ja: 'スマレジに接続できません', en: 'Smaregi is down' }),
    );
    await render();
    const section = document.getElementById('allocation-inquiry')!;
    expect(section.textContent).toContain('自動引当のON/OFFを確認できません');
    expect(section.textContent).toContain('スマレジに接続できません');
    expect(input('在庫引当自動照会対象ステータス').disabled).toBe(false);

    button('再試行').click();
    await settle();
    expect(api.orderStores).toHaveBeenCalledTimes(2);
    expect(section.textContent).toContain('自動引当がOFFの受注店舗（受注店舗2）');
  });
});
