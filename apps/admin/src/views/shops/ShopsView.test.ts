import type { DOMWrapper, VueWrapper } from '@vue/test-utils';
import { ElSelect } from 'element-plus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TrpcModule from '../../api/trpc';
import { apiError, renderScreen, settle } from '../../test/render-screen';
import ShopsView from './ShopsView.vue';
import type { OrderStore, PosStore, ShopView } from './shop-mapping';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  orderStores: vi.fn(),
  posStores: vi.fn(),
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
      posStores: { query: api.posStores },
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
  orderStoreSellDivision: 'excluded',
  warehouseStoreId: '5',
  warehouseOrigin: 'smaregi',
  autoAllocation: true,
  autoAllocationOrigin: 'merchant',
  orderCodePrefix: null,
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
  warehouseStoreId: null,
  warehouseOrigin: null,
  autoAllocation: null,
  autoAllocationOrigin: null,
};
/** Mapped to a 受注店舗 whose object says nothing of its warehouse (as the public sources show it). */
const yahoo: ShopView = {
  ...amazon,
  id: 's3',
  name: 'Yahoo!店',
  mallKind: 'yahoo',
  taxMode: 'excluded',
  orderStoreId: '2',
  orderStoreName: '外税受注店',
};
const posStores: PosStore[] = [
  { storeId: '3', storeName: '吉祥寺店', division: '1' },
  { storeId: '5', storeName: '東京倉庫', division: '2' },
];
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
    autoAllocation: null,
  },
];

let wrapper: VueWrapper;
beforeEach(() => {
  vi.resetAllMocks();
  api.list.mockResolvedValue([rakuten, amazon]);
  api.orderStores.mockResolvedValue(stores);
  api.posStores.mockResolvedValue(posStores);
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
/** The pull-down labelled `label` in a card (to choose an option without opening it). */
function selectIn(name: string, label: string) {
  const select = wrapper
    .findAllComponents(ElSelect)
    .find(
      (c) =>
        card(name).element.contains(c.element as Node) &&
        c.find('input').attributes('aria-label') === label,
    );
  if (select === undefined) throw new Error(`no pull-down ${label}`);
  return select;
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

  it('shows the 倉庫 and 自動引当 of each shop with where each value came from', async () => {
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    const warehouse = field('楽天市場店', '倉庫');
    expect(warehouse.find('input').attributes('aria-label')).toBe('倉庫');
    expect(warehouse.text()).toContain('スマレジの受注店舗の設定');
    const auto = field('楽天市場店', '自動引当');
    expect(auto.find('[role="radiogroup"]').attributes('aria-label')).toBe('自動引当');
    expect((auto.find('input[value="on"]').element as HTMLInputElement).checked).toBe(true);
    expect(auto.text()).toContain('この画面で設定');
    // A shop without a 受注店舗 has nothing to set yet.
    expect(field('Amazon店', '倉庫').find('input').attributes('disabled')).toBeDefined();
  });

  it('names the saved 倉庫 once the live list arrives after the screen (not its bare ID)', async () => {
    let arrive: (list: PosStore[]) => void = () => undefined;
    api.posStores.mockReturnValue(new Promise<PosStore[]>((resolve) => (arrive = resolve)));
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    const shown = () => field('楽天市場店', '倉庫').find('.el-select__selection').text();
    expect(shown()).not.toContain('東京倉庫');
    arrive(posStores);
    await settle();
    await vi.waitFor(() => expect(shown()).toBe('東京倉庫 (ID: 5・倉庫)'));
  });

  it('a store that says nothing leaves both unset, says so, and the merchant sets them', async () => {
    api.list.mockResolvedValue([rakuten, yahoo]);
    api.update.mockImplementation((input: Partial<ShopView>) => {
      const saved = {
        ...yahoo,
        ...input,
        warehouseOrigin: 'merchant',
        autoAllocationOrigin: 'merchant',
      };
      api.list.mockResolvedValue([rakuten, saved]);
      return Promise.resolve(saved);
    });
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    expect(wrapper.text()).toContain('倉庫または自動引当が未設定の店舗: 1件');
    expect(field('Yahoo!店', '倉庫').text()).toContain('未設定');
    expect(field('Yahoo!店', '倉庫').text()).toContain('スマレジの受注店舗からは取得できません');
    expect(card('Yahoo!店').text()).toContain('倉庫と自動引当を設定してください');

    selectIn('Yahoo!店', '倉庫').vm.$emit('update:modelValue', '5');
    await settle();
    await field('Yahoo!店', '自動引当').find('input[value="off"]').setValue(true);
    await settle();
    expect(field('Yahoo!店', '倉庫').text()).toContain('この画面で設定');
    await submit();

    expect(api.update.mock.calls[0]?.[0]).toStrictEqual({
      id: 's3',
      name: 'Yahoo!店',
      mallKind: 'yahoo',
      taxMode: 'excluded',
      active: true,
      orderStoreId: '2',
      warehouseStoreId: '5',
      autoAllocation: false,
    });
    expect(wrapper.text()).not.toContain('未設定の店舗');
  });

  it('choosing another 受注店舗 takes the warehouse and auto-allocation its object carries', async () => {
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    selectIn('楽天市場店', 'スマレジ店舗ID').vm.$emit('update:modelValue', '2');
    await settle();
    // Store 2 says nothing: both become unset, and the card asks for them.
    expect(field('楽天市場店', '倉庫').text()).toContain('未設定');
    expect(card('楽天市場店').text()).toContain('倉庫と自動引当を設定してください');
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

  it('shows, edits and saves the 受注番号の接頭辞 with the card, under its label', async () => {
    api.list.mockResolvedValue([{ ...rakuten, orderCodePrefix: 'RT-' }, amazon]);
    api.update.mockImplementation((input: Partial<ShopView>) => {
      // The API stores the prefix normalised (full-width folded to ASCII).
      const saved = { ...amazon, ...input, orderCodePrefix: 'AZ-' };
      api.list.mockResolvedValue([{ ...rakuten, orderCodePrefix: 'RT-' }, saved]);
      return Promise.resolve(saved);
    });
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    const saved = field('楽天市場店', '受注番号の接頭辞');
    const input = saved.find('input');
    expect((input.element as HTMLInputElement).value).toBe('RT-');
    // The label names the input; the help text describes it.
    expect(saved.find('label').attributes('for')).toBe(input.attributes('id'));
    const help = saved.find(`#${input.attributes('aria-describedby') ?? 'missing'}`);
    expect(help.text()).toContain('スマレジの受注番号は「接頭辞＋受注番号」になります');

    await field('Amazon店', '受注番号の接頭辞').find('input').setValue('ＡＺ－');
    await settle();
    expect(card('Amazon店').text()).toContain('未登録の変更があります');
    await submit();

    expect(api.update).toHaveBeenCalledTimes(1);
    expect(api.update.mock.calls[0]?.[0]).toStrictEqual({
      id: 's2',
      name: 'Amazon店',
      mallKind: 'amazon',
      taxMode: 'included',
      active: true,
      orderStoreId: null,
      orderCodePrefix: 'ＡＺ－',
    });
    // The card shows what the API saved, and nothing is left unsaved.
    expect(
      (field('Amazon店', '受注番号の接頭辞').find('input').element as HTMLInputElement).value,
    ).toBe('AZ-');
    expect(card('Amazon店').text()).not.toContain('未登録の変更があります');
  });

  it("puts the API's refusal of a prefix at the 受注番号の接頭辞 field and keeps the edit", async () => {
    api.update.mockRejectedValue(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'orderCodePrefix',
          message: {
            ja: '受注番号の接頭辞は半角英数字・記号で入力してください',
            en: 'Order-code prefix must be ASCII',
          },
        },
      ]),
    );
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    await field('楽天市場店', '受注番号の接頭辞').find('input').setValue('楽天-');
    await submit();

    await vi.waitFor(() =>
      expect(field('楽天市場店', '受注番号の接頭辞').text()).toContain(
        '受注番号の接頭辞は半角英数字・記号で入力してください',
      ),
    );
    expect(field('楽天市場店', '店舗名').text()).not.toContain('接頭辞');
    expect(field('Amazon店', '受注番号の接頭辞').text()).not.toContain('半角英数字・記号で入力');
    expect(
      (field('楽天市場店', '受注番号の接頭辞').find('input').element as HTMLInputElement).value,
    ).toBe('楽天-');
  });

  it('店舗を追加 takes the 受注番号の接頭辞 with the new shop, and shows its refusal at that field', async () => {
    api.create.mockRejectedValueOnce(
      apiError('BAD_REQUEST', { ja: '入力内容に誤りがあります', en: 'Invalid input' }, [
        {
          path: 'orderCodePrefix',
          message: {
            ja: '接頭辞「RT-」は同じ受注店舗の店舗「楽天市場店」が使っています。別の接頭辞にしてください',
            en: 'The prefix "RT-" is used by shop "楽天市場店" of the same order store; choose another',
          },
        },
      ]),
    );
    api.create.mockResolvedValueOnce({
      ...amazon,
      id: 's9',
      name: 'Qoo10店',
      orderCodePrefix: 'QO-',
    });
    ({ wrapper } = await renderScreen(ShopsView, { route: 'shops' }));
    const add = wrapper.find('section.shop-add');
    await add.find('#shop-add-name').setValue('Qoo10店');
    await add.find('#shop-add-prefix').setValue('RT-');
    await add.find('form').trigger('submit');
    await vi.waitFor(() =>
      expect(add.text()).toContain('同じ受注店舗の店舗「楽天市場店」が使っています'),
    );
    expect(api.create).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'Qoo10店', orderCodePrefix: 'RT-' }),
    );

    await add.find('#shop-add-prefix').setValue('QO-');
    await add.find('form').trigger('submit');
    await vi.waitFor(() => expect(api.create).toHaveBeenCalledTimes(2));
    expect(api.create).toHaveBeenLastCalledWith(
      expect.objectContaining({ name: 'Qoo10店', orderCodePrefix: 'QO-' }),
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
