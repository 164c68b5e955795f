import { describe, expect, it } from 'vitest';
import { createProductIndex } from './product-index.js';
import { compareTaxMode } from './shop-rules.js';
import {
  checkReadiness,
  readinessItemIds,
  REQUIRED_SMAREGI_SCOPES,
  type ReadinessItemId,
  type ReadinessSnapshot,
} from './readiness.js';
import { integrationSettingsSchema } from './settings.js';

const { index: products } = createProductIndex([
  { productId: '1', productCode: 'ADJUST' },
  { productId: '2', productCode: 'DUMMY' },
  { productId: '3', productCode: 'TS-001' },
]);

/** A snapshot on which every item passes. */
function ready(): ReadinessSnapshot {
  return {
    settings: integrationSettingsSchema.parse({
      adjustmentProductCode: 'ADJUST',
      dummyProductCode: 'DUMMY',
      allocationTriggerStatuses: ['st-wait'],
      allocatedStatus: 'st-allocated',
      bulkShippingTriggerStatus: 'st-ship',
    }),
    connection: { status: 'active', grantedScopes: [...REQUIRED_SMAREGI_SCOPES] },
    shops: [
      {
        id: 'r',
        name: '楽天市場店',
        active: true,
        taxMode: 'included',
        orderStoreId: '23',
        warehouseStoreId: '2',
        autoAllocation: false,
      },
      {
        id: 'y',
        name: 'Yahoo!店',
        active: true,
        taxMode: 'excluded',
        orderStoreId: '24',
        warehouseStoreId: '2',
        autoAllocation: true,
      },
      {
        id: 'old',
        name: '閉店した店',
        active: false,
        taxMode: 'included',
        orderStoreId: null,
        warehouseStoreId: null,
        autoAllocation: null,
      },
    ],
    orderStores: [
      { storeId: '23', storeName: 'EC楽天', sellDivision: 'included' },
      { storeId: '24', storeName: 'EC Yahoo', sellDivision: 'excluded' },
    ],
    paymentMethods: [
      { id: 'card', name: 'クレジットカード', smaregiPaymentMethodId: '3' },
      { id: 'cod', name: '代金引換', smaregiPaymentMethodId: '4' },
      { id: 'unused', name: '未使用', smaregiPaymentMethodId: null },
    ],
    recentPaymentMethodIds: ['card', 'cod'],
    smaregiPaymentMethodIds: ['3', '4'],
    products,
    importedProductCount: 3,
    orderStatusIds: ['st-new', 'st-wait', 'st-allocated', 'st-ship'],
  };
}

const failing = (s: ReadinessSnapshot) =>
  checkReadiness(s)
    .items.filter((i) => !i.passed)
    .map((i) => i.id);

describe('checkReadiness', () => {
  it('passes every item on a ready snapshot and allows starting', () => {
    const result = checkReadiness(ready());
    expect(result.items.map((i) => i.id)).toEqual([...readinessItemIds]);
    expect(failing(ready())).toEqual([]);
    expect(result.canStart).toBe(true);
  });

  it.each<[ReadinessItemId, string, (s: ReadinessSnapshot) => ReadinessSnapshot, string[]]>([
    ['connection', 'never connected', (s) => ({ ...s, connection: null }), []],
    [
      'connection',
      'token revoked',
      (s) => ({
        ...s,
        connection: { status: 'revoked', grantedScopes: [...REQUIRED_SMAREGI_SCOPES] },
      }),
      ['revoked'],
    ],
    [
      'connection',
      'a scope missing',
      (s) => ({
        ...s,
        connection: {
          status: 'active',
          grantedScopes: REQUIRED_SMAREGI_SCOPES.filter((x) => x !== 'order-shipment.orders:write'),
        },
      }),
      ['order-shipment.orders:write'],
    ],
    [
      'connection',
      'product sync needs the products write scope',
      (s) => ({ ...s, settings: { ...s.settings, productSyncEnabled: true } }),
      ['pos.products:write'],
    ],
    [
      'shopsMapped',
      'an active shop without order store',
      (s) => ({
        ...s,
        shops: s.shops.map((sh) => (sh.id === 'r' ? { ...sh, orderStoreId: null } : sh)),
      }),
      ['楽天市場店'],
    ],
    [
      'shopsMapped',
      'no active shop',
      (s) => ({ ...s, shops: s.shops.map((sh) => ({ ...sh, active: false })) }),
      [],
    ],
    [
      'orderStoreWarehouse',
      'a shop without warehouse',
      (s) => ({
        ...s,
        shops: s.shops.map((sh) => (sh.id === 'y' ? { ...sh, warehouseStoreId: null } : sh)),
      }),
      ['Yahoo!店: 倉庫'],
    ],
    [
      'orderStoreWarehouse',
      // Smaregi's 受注店舗 object need not carry either: unknown is neither ON nor OFF.
      'a shop with neither warehouse nor auto-allocation known',
      (s) => ({
        ...s,
        shops: s.shops.map((sh) =>
          sh.id === 'y' ? { ...sh, warehouseStoreId: '', autoAllocation: null } : sh,
        ),
      }),
      ['Yahoo!店: 倉庫・自動引当'],
    ],
    [
      'orderStoreWarehouse',
      'two shops on one order store that disagree',
      (s) => ({
        ...s,
        shops: [
          ...s.shops,
          {
            id: 'a',
            name: 'Amazon店',
            active: true,
            taxMode: 'excluded' as const,
            orderStoreId: '24',
            warehouseStoreId: '3',
            autoAllocation: true,
          },
        ],
      }),
      ['EC Yahoo: Yahoo!店、Amazon店'],
    ],
    [
      'taxModeMatches',
      '税別 shop on an included order store',
      (s) => ({
        ...s,
        shops: s.shops.map((sh) => (sh.id === 'r' ? { ...sh, taxMode: 'excluded' as const } : sh)),
      }),
      ['楽天市場店'],
    ],
    [
      'paymentMethodsMapped',
      'a recent payment method unmapped',
      (s) => ({ ...s, recentPaymentMethodIds: ['card', 'unused'] }),
      ['未使用'],
    ],
    [
      'paymentMethodsMapped',
      'mapped to a deleted Smaregi payment method',
      (s) => ({ ...s, smaregiPaymentMethodIds: ['3'] }),
      ['代金引換'],
    ],
    [
      'adjustmentProductCode',
      'not set',
      (s) => ({ ...s, settings: { ...s.settings, adjustmentProductCode: null } }),
      [],
    ],
    [
      'adjustmentProductCode',
      'not in Smaregi',
      (s) => ({ ...s, settings: { ...s.settings, adjustmentProductCode: 'GONE' } }),
      ['GONE'],
    ],
    [
      'dummyProductCode',
      'not set',
      (s) => ({ ...s, settings: { ...s.settings, dummyProductCode: null } }),
      [],
    ],
    [
      'dummyProductCode',
      'not in Smaregi',
      (s) => ({ ...s, settings: { ...s.settings, dummyProductCode: 'GONE' } }),
      ['GONE'],
    ],
    [
      'allocationInquirySettings',
      'manual store without trigger statuses',
      (s) => ({ ...s, settings: { ...s.settings, allocationTriggerStatuses: [] } }),
      ['EC楽天'],
    ],
    [
      'allocationInquirySettings',
      'manual store without allocated status',
      (s) => ({ ...s, settings: { ...s.settings, allocatedStatus: null } }),
      ['EC楽天'],
    ],
    [
      'allocationInquirySettings',
      'a trigger status that does not exist',
      (s) => ({ ...s, settings: { ...s.settings, allocationTriggerStatuses: ['st-deleted'] } }),
      ['st-deleted'],
    ],
    ['productsImported', 'no products', (s) => ({ ...s, importedProductCount: 0 }), []],
    [
      'bulkShippingStatus',
      'a status that does not exist',
      (s) => ({ ...s, settings: { ...s.settings, bulkShippingTriggerStatus: 'st-gone' } }),
      ['st-gone'],
    ],
  ])('%s fails alone: %s', (id, _label, breakIt, details) => {
    const result = checkReadiness(breakIt(ready()));
    expect(failing(breakIt(ready()))).toEqual([id]);
    const item = result.items.find((i) => i.id === id);
    expect(item?.details).toEqual(details);
    expect(item?.message.ja).toMatch(/\S/);
    expect(item?.message.en).toMatch(/\S/);
    expect(result.canStart).toBe(id === 'bulkShippingStatus');
  });

  it('compares tax modes with the rule that holds orders: an unknown sell division fails nothing', () => {
    const unknown = ready();
    const stores = unknown.orderStores.map((st) => ({ ...st, sellDivision: null }));
    expect(failing({ ...unknown, orderStores: stores })).toEqual([]);
    const mismatched = {
      ...unknown,
      shops: unknown.shops.map((sh) => ({ ...sh, taxMode: 'excluded' as const })),
    };
    for (const shop of mismatched.shops.filter((sh) => sh.orderStoreId !== null)) {
      const store = mismatched.orderStores.find((st) => st.storeId === shop.orderStoreId);
      const listed = checkReadiness(mismatched)
        .items.find((i) => i.id === 'taxModeMatches')!
        .details.includes(shop.name);
      expect(listed).toBe(compareTaxMode(shop.taxMode, store?.sellDivision) === 'mismatch');
    }
  });

  it('inquiry settings are not needed when every used order store allocates automatically', () => {
    const s = ready();
    const auto = {
      ...s,
      shops: s.shops.map((sh) => ({ ...sh, autoAllocation: true })),
      settings: { ...s.settings, allocationTriggerStatuses: [], allocatedStatus: null },
    };
    expect(failing(auto)).toEqual([]);
  });

  it('without products, names 商品連携設定 when it is [連携しない] (the import needs [連携する])', () => {
    const none = { ...ready(), importedProductCount: 0 };
    const item = (productSyncEnabled: boolean) =>
      checkReadiness({ ...none, settings: { ...none.settings, productSyncEnabled } }).items.find(
        (i) => i.id === 'productsImported',
      );
    expect(item(false)?.message.ja).toContain('商品連携設定を[連携する]に');
    expect(item(true)?.message.ja).not.toContain('商品連携設定');
  });

  it('says where to fix each item', () => {
    const where = Object.fromEntries(checkReadiness(ready()).items.map((i) => [i.id, i.fixAt]));
    expect(where).toMatchObject({
      connection: 'settings.connection',
      shopsMapped: 'shops',
      orderStoreWarehouse: 'shops',
      paymentMethodsMapped: 'paymentMethods',
      productsImported: 'products',
    });
  });
});
