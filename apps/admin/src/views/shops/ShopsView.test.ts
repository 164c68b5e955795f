import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import ShopsView from './ShopsView.vue';
import type { OrderStore, ShopView } from './shop-mapping';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  orderStores: vi.fn(),
  update: vi.fn(),
  create: vi.fn(),
  delete: vi.fn(),
}));
vi.mock('../../api/trpc', async (importOriginal) => ({
  ...(await importOriginal<typeof TrpcModule>()),
  trpc: {
    shops: {
      list: { query: api.list },
      orderStores: { query: api.orderStores },
      update: { mutate: api.update },
      create: { mutate: api.create },
      delete: { mutate: api.delete },
    },
  },
}));

const rakuten: ShopView = {
  id: 's1',
  name: '楽天市場店',
  mallKind: 'rakuten',
  taxMode: 'excluded',
  active: true,
  orderStoreId: '1',
  orderStoreName: 'EC受注店',
  updatedAt: '2026-11-30T08:00:00.000Z',
};
const amazon: ShopView = {
  ...rakuten,
  id: 's2',
  name: 'Amazon店',
  mallKind: 'amazon',
  taxMode: 'included',
  orderStoreId: null,
  orderStoreName: null,
};
const stores: OrderStore[] = [
  {
    storeId: '1',
    storeName: 'EC受注店',
    sellDivision: 'included',
    stockStoreId: '5',
    autoAllocation: true,
  },
  {
    storeId: '2',
    storeName: '外税受注店',
    sellDivision: 'excluded',
    stockStoreId: null,
    autoAllocation: false,
  },
];

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue([rakuten, amazon]);
  api.orderStores.mockResolvedValue(stores);
});
afterEach(() => {
  wrapper.unmount();
  document.body.innerHTML = '';
});

function card(name: string): DOMWrapper<Element> {
  const found = wrapper.findAll('fieldset').find((f) => f.find('legend').text().includes(name));
  if (found === undefined) throw new Error(`no card for ${name}`);
  return found;
}
/** The form item (label + control + message) of the field labelled `label` in a card. */
function field(name: string, label: string): DOMWrapper<Element> {
  const item = card(name)
    .findAll('.el-form-item')
    .find((i) => i.find('.el-form-item__label').text() === label);
  if (item === undefined) throw new Error(`no field ${label}`);
  return item;
}
async function submit(): Promise<void> {
  await wrapper.find('form').trigger('submit');
  await settle();
}

describe('店舗 (モール) ごとの設定', () => {
  it('shows a tax mismatch at the 税計算設定 field before saving, and clears it when fixed', async () => {
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    // Element Plus shows a form item's message 100 ms after its state changes.
    await vi.waitFor(() =>
      expect(field('楽天市場店', '税計算設定').text()).toContain(
        'スマレジ店舗「EC受注店」は内税販売です',
      ),
    );
    const tax = field('楽天市場店', '税計算設定');
    expect(tax.text()).toContain('[税込]');
    expect(wrapper.text()).toContain('一致しない店舗: 1件');
    expect(api.update).not.toHaveBeenCalled();

    await tax.find('input[type="radio"][value="included"]').setValue(true);
    await settle();
    expect(field('楽天市場店', '税計算設定').text()).not.toContain('内税販売です');
    expect(card('楽天市場店').text()).toContain('未登録の変更があります');
  });

  it('shows, for the chosen store, whether a warehouse is linked and auto-allocation is ON', async () => {
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    const store = field('楽天市場店', 'スマレジ店舗ID');
    expect(store.text()).toContain('倉庫紐付けあり');
    expect(store.text()).toContain('自動引当ON');
    // An active shop without a store stands out with words, not only colour.
    expect(field('Amazon店', 'スマレジ店舗ID').text()).toContain('未設定');
  });

  it('[この内容で登録する] sends each changed shop in exactly the strict input shape', async () => {
    // The API keeps what it was sent: the list read after saving has it.
    api.update.mockImplementation((input: Partial<ShopView>) => {
      const saved = { ...rakuten, ...input };
      api.list.mockResolvedValue([saved, amazon]);
      return Promise.resolve(saved);
    });
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    await field('楽天市場店', '税計算設定').find('input[value="included"]').setValue(true);
    await settle();
    await submit();

    expect(api.update).toHaveBeenCalledTimes(1);
    expect(api.update.mock.calls[0]?.[0]).toStrictEqual({
      id: 's1',
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
      active: true,
      orderStoreId: '1',
    });
    expect(document.body.textContent).toContain('1件の店舗を登録しました');
    expect(card('楽天市場店').text()).not.toContain('未登録の変更があります');
  });

  it('puts a server field error on the field of the shop that failed', async () => {
    api.update.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'name',
          message: { ja: '店舗名は100文字以下で入力してください', en: 'Shop name is too long' },
        },
      ]),
    );
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    await field('Amazon店', '店舗名').find('input').setValue('Amazon店2');
    await submit();

    await vi.waitFor(() =>
      expect(field('Amazon店', '店舗名').text()).toContain('店舗名は100文字以下で入力してください'),
    );
    expect(field('楽天市場店', '店舗名').text()).not.toContain('100文字');
    expect(document.body.textContent).toContain('1件の店舗を登録できませんでした');
    // The merchant's edit is kept for another try.
    expect((field('Amazon店', '店舗名').find('input').element as HTMLInputElement).value).toBe(
      'Amazon店2',
    );
  });

  it('when the live list fails, shows the API message and [再試行]; tax mode still works', async () => {
    api.orderStores.mockRejectedValueOnce(
      apiError('PRECONDITION_FAILED', {
        ja: 'スマレジと未接続です。先に[認証]で接続してください',
        en: 'Not connected to Smaregi yet',
      }),
    );
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    expect(wrapper.text()).toContain('スマレジの受注店舗一覧を読み込めませんでした');
    expect(wrapper.text()).toContain('スマレジと未接続です。先に[認証]で接続してください');
    // The rest of the page works: the cards, their tax mode and the saved mapping's name.
    expect(card('楽天市場店').find('input[value="included"]').exists()).toBe(true);
    expect(field('楽天市場店', 'スマレジ店舗ID').text()).toContain(
      '一覧を読み込めるまで「スマレジ店舗ID」は変更できません',
    );
    expect(field('楽天市場店', '税計算設定').text()).not.toContain('内税販売です');

    const retry = wrapper.findAll('button').find((b) => b.text() === '再試行');
    expect(retry).toBeDefined();
    await retry?.trigger('click');
    await settle();
    expect(api.orderStores).toHaveBeenCalledTimes(2);
    expect(wrapper.text()).not.toContain('読み込めませんでした');
    await vi.waitFor(() =>
      expect(field('楽天市場店', '税計算設定').text()).toContain('内税販売です'),
    );
  });
});
