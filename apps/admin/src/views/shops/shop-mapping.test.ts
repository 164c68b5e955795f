import { describe, expect, it } from 'vitest';
import {
  changedShopUpdates,
  checkShopTax,
  missingStoreSettings,
  settingOrigin,
  shopDraftFrom,
  withOrderStore,
  type OrderStore,
  type ShopView,
  type TaxMode,
} from './shop-mapping';

const store = (storeId: string, sellDivision: string): OrderStore => ({
  storeId,
  storeName: `受注店舗${storeId}`,
  sellDivision,
  stockStoreId: '10',
  autoAllocation: false,
});
const STORES = [store('1', 'included'), store('2', 'excluded'), store('3', '0')];

describe('checkShopTax: 税計算設定 against the chosen 受注店舗の販売区分', () => {
  const cases: [string, TaxMode, string | null, OrderStore[] | undefined, string][] = [
    ['内税販売 with 税込 matches', 'included', '1', STORES, 'match'],
    ['外税販売 with 税別 matches', 'excluded', '2', STORES, 'match'],
    ['内税販売 with 税別 is a mismatch', 'excluded', '1', STORES, 'mismatch'],
    ['外税販売 with 税込 is a mismatch', 'included', '2', STORES, 'mismatch'],
    ['no store chosen', 'included', null, STORES, 'unmapped'],
    ['list not loaded (Smaregi down): no verdict', 'excluded', '1', undefined, 'unknown'],
    ['a sell division Smaregi sent oddly: no verdict', 'excluded', '3', STORES, 'unknown'],
    ['a store deleted in Smaregi', 'included', '9', STORES, 'storeMissing'],
  ];
  it.each(cases)('%s', (_name, taxMode, orderStoreId, stores, kind) => {
    expect(checkShopTax({ taxMode, orderStoreId }, stores).kind).toBe(kind);
  });

  it('names the store and its division so the message can say what to pick', () => {
    expect(checkShopTax({ taxMode: 'excluded', orderStoreId: '1' }, STORES)).toMatchObject({
      kind: 'mismatch',
      sellDivision: 'included',
      store: { storeName: '受注店舗1' },
    });
  });
});

describe('changedShopUpdates: what [この内容で登録する] sends', () => {
  const view: ShopView = {
    id: 's1',
    name: '楽天市場店',
    mallKind: 'rakuten',
    taxMode: 'included',
    active: true,
    orderStoreId: null,
    orderStoreName: null,
    orderStoreSellDivision: null,
    warehouseStoreId: null,
    warehouseOrigin: null,
    autoAllocation: null,
    autoAllocationOrigin: null,
    orderCodePrefix: null,
    updatedAt: '2026-11-30T08:00:00.000Z',
  };
  const other: ShopView = { ...view, id: 's2', name: 'Amazon店', mallKind: 'amazon' };

  it('sends only changed shops, in exactly the strict input shape', () => {
    const updates = changedShopUpdates([view, other], {
      s1: { ...shopDraftFrom(view), orderStoreId: '1', name: ' 楽天市場店 ' },
      s2: shopDraftFrom(other),
    });
    expect(updates).toStrictEqual([
      {
        id: 's1',
        name: '楽天市場店',
        mallKind: 'rakuten',
        taxMode: 'included',
        active: true,
        orderStoreId: '1',
      },
    ]);
  });

  it('sends the warehouse and auto-allocation only when the merchant changed them', () => {
    const mapped: ShopView = { ...view, orderStoreId: '1', warehouseStoreId: '10' };
    const [update] = changedShopUpdates([mapped], {
      s1: { ...shopDraftFrom(mapped), autoAllocation: false },
    });
    expect(update).toStrictEqual({
      id: 's1',
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
      active: true,
      orderStoreId: '1',
      autoAllocation: false,
    });
  });

  it('sends the 受注番号の接頭辞 as typed when changed, null when cleared, nothing when not', () => {
    const base = {
      id: 's1',
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
      active: true,
      orderStoreId: null,
    };
    // Full-width as typed with a Japanese input method: the API normalises it.
    expect(
      changedShopUpdates([view], { s1: { ...shopDraftFrom(view), orderCodePrefix: ' ＲＴ－ ' } }),
    ).toStrictEqual([{ ...base, orderCodePrefix: 'ＲＴ－' }]);
    const prefixed: ShopView = { ...view, orderCodePrefix: 'RT-' };
    expect(shopDraftFrom(prefixed).orderCodePrefix).toBe('RT-');
    expect(
      changedShopUpdates([prefixed], { s1: { ...shopDraftFrom(prefixed), orderCodePrefix: ' ' } }),
    ).toStrictEqual([{ ...base, orderCodePrefix: null }]);
    expect(
      changedShopUpdates([prefixed], { s1: { ...shopDraftFrom(prefixed), active: false } }),
    ).toStrictEqual([{ ...base, active: false }]);
    expect(
      changedShopUpdates([view], { s1: { ...shopDraftFrom(view), orderCodePrefix: '  ' } }),
    ).toEqual([]);
  });

  it('a name changed only by spaces is no change', () => {
    expect(
      changedShopUpdates([view], { s1: { ...shopDraftFrom(view), name: '楽天市場店 ' } }),
    ).toEqual([]);
  });
});

describe('the 倉庫 and 自動引当 of a shop', () => {
  it('picking a 受注店舗 takes what its object carries, or leaves them unset', () => {
    const draft = {
      name: 'x',
      mallKind: 'rakuten' as const,
      taxMode: 'included' as const,
      active: true,
      orderStoreId: null,
      warehouseStoreId: null,
      autoAllocation: null,
      orderCodePrefix: '',
    };
    expect(withOrderStore(draft, '1', STORES)).toMatchObject({
      orderStoreId: '1',
      warehouseStoreId: '10',
      autoAllocation: false,
    });
    const silent: OrderStore = {
      ...store('4', 'included'),
      stockStoreId: null,
      autoAllocation: null,
    };
    expect(
      withOrderStore({ ...draft, warehouseStoreId: '10', autoAllocation: true }, '4', [silent]),
    ).toMatchObject({ warehouseStoreId: null, autoAllocation: null });
  });

  it.each<
    [
      string,
      string | null,
      { value: string | null; origin: 'smaregi' | 'merchant' | null },
      string | null | undefined,
      string,
    ]
  >([
    ['nothing chosen', null, { value: null, origin: null }, '10', 'unset'],
    ['saved from Smaregi', '10', { value: '10', origin: 'smaregi' }, '10', 'smaregi'],
    [
      'saved by the merchant, even if Smaregi now says the same',
      '10',
      { value: '10', origin: 'merchant' },
      '10',
      'merchant',
    ],
    ['unsaved, equal to what Smaregi says', '10', { value: null, origin: null }, '10', 'smaregi'],
    ['unsaved, Smaregi says nothing', '10', { value: null, origin: null }, null, 'merchant'],
    ['unsaved, different from Smaregi', '11', { value: '10', origin: 'smaregi' }, '10', 'merchant'],
  ])('origin: %s', (_name, shown, saved, smaregi, expected) => {
    expect(settingOrigin(shown, saved, smaregi)).toBe(expected);
  });

  it('an active mapped shop needs both; others need nothing', () => {
    const base = {
      name: 'x',
      mallKind: 'rakuten' as const,
      taxMode: 'included' as const,
      active: true,
      orderStoreId: '1',
      warehouseStoreId: null,
      autoAllocation: false,
      orderCodePrefix: '',
    };
    expect(missingStoreSettings(base)).toEqual(['warehouse']);
    expect(missingStoreSettings({ ...base, autoAllocation: null })).toEqual([
      'warehouse',
      'autoAllocation',
    ]);
    expect(missingStoreSettings({ ...base, active: false })).toEqual([]);
    expect(missingStoreSettings({ ...base, orderStoreId: null })).toEqual([]);
  });
});
