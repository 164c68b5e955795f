import { describe, expect, it } from 'vitest';
import { collectOpenOrderDemand, computeEffectiveStock, type StockRow } from './effective-stock.js';
import { omsOrderSchema } from './order.js';
import { createProductIndex } from './product-index.js';
import type { EffectiveStockMode, StockBasis } from './settings.js';

// Warehouse W1 is linked to the order store; S1 is a POS store, W2 another warehouse.
const stock: StockRow[] = [
  { storeId: 'W1', productId: 'P1', stockAmount: 10, allocatedAmount: 3 },
  { storeId: 'S1', productId: 'P1', stockAmount: '5', allocatedAmount: '0' },
  { storeId: 'W2', productId: 'P1', stockAmount: 7, allocatedAmount: 2 },
  { storeId: 'W1', productId: 'P2', stockAmount: 1, allocatedAmount: 4 },
  { storeId: 'S1', productId: 'P3', stockAmount: 8 },
];
const openOrderDemand = [
  { productId: 'P1', quantity: 6 },
  { productId: 'P3', quantity: 1 },
];

describe('computeEffectiveStock: both bases x both modes', () => {
  it.each<[StockBasis, EffectiveStockMode, Record<string, [number, number, number]>]>([
    // [stockAmount, reserved, effectiveStock]
    ['orderStoreWarehouse', 'smaregiAllocation', { P1: [10, 3, 7], P2: [1, 4, -3], P4: [0, 0, 0] }],
    [
      'orderStoreWarehouse',
      'omsPurchase',
      { P1: [10, 6, 4], P2: [1, 0, 1], P3: [0, 1, -1], P4: [0, 0, 0] },
    ],
    [
      'allStores',
      'smaregiAllocation',
      { P1: [22, 5, 17], P2: [1, 4, -3], P3: [8, 0, 8], P4: [0, 0, 0] },
    ],
    ['allStores', 'omsPurchase', { P1: [22, 6, 16], P2: [1, 0, 1], P3: [8, 1, 7], P4: [0, 0, 0] }],
  ])('%s / %s', (stockBasis, effectiveStockMode, expected) => {
    const result = computeEffectiveStock({
      stockBasis,
      effectiveStockMode,
      warehouseStoreId: 'W1',
      stock,
      openOrderDemand,
      productIds: ['P4'],
    });
    expect(result.problems).toEqual([]);
    const actual = Object.fromEntries(
      result.entries.map((e) => [e.productId, [e.stockAmount, e.reserved, e.effectiveStock]]),
    );
    expect(actual).toEqual(expected);
    for (const e of result.entries) expect(e.promisable).toBe(Math.max(0, e.effectiveStock));
  });

  it('the warehouse basis without a linked warehouse is a problem', () => {
    const result = computeEffectiveStock({
      stockBasis: 'orderStoreWarehouse',
      effectiveStockMode: 'smaregiAllocation',
      warehouseStoreId: null,
      stock,
    });
    expect(result.entries).toEqual([]);
    expect(result.problems.map((p) => p.code)).toEqual(['warehouseNotLinked']);
  });

  it('names the order store in the warehouse problem when given', () => {
    const result = computeEffectiveStock({
      stockBasis: 'orderStoreWarehouse',
      effectiveStockMode: 'omsPurchase',
      warehouseStoreId: '',
      orderStoreId: '23',
      stock,
    });
    expect(result.problems[0]?.message.ja).toContain('受注店舗(23)');
  });

  it('a broken open-order quantity leaves its product out and says so', () => {
    const result = computeEffectiveStock({
      stockBasis: 'allStores',
      effectiveStockMode: 'omsPurchase',
      warehouseStoreId: null,
      stock,
      openOrderDemand: [{ productId: 'P3', quantity: -2 }, ...openOrderDemand],
    });
    expect(result.problems.map((p) => p.code)).toEqual(['openOrderQuantityInvalid']);
    expect([...result.byProductId.keys()]).toEqual(['P1', 'P2']);
  });

  it('garbage input gives no figures, not a crash', () => {
    expect(computeEffectiveStock(null as never).entries).toEqual([]);
  });

  it('a broken stock row leaves its product out and says so', () => {
    const result = computeEffectiveStock({
      stockBasis: 'allStores',
      effectiveStockMode: 'smaregiAllocation',
      warehouseStoreId: null,
      stock: [...stock, { storeId: 'S2', productId: 'P2', stockAmount: '1.5' }],
    });
    expect(result.problems.map((p) => p.code)).toEqual(['stockAmountInvalid']);
    expect(result.byProductId.has('P2')).toBe(false);
    expect(result.byProductId.get('P1')?.effectiveStock).toBe(17);
  });
});

describe('collectOpenOrderDemand', () => {
  const { index } = createProductIndex([
    { productId: 'P1', productCode: 'A' },
    { productId: 'P2', productCode: 'FLYER' },
  ]);
  const base = {
    shopId: 's',
    orderedAt: '2025-01-01T00:00:00+09:00',
    paymentMethodId: 'pm',
  };
  const orders = [
    {
      ...base,
      orderNumber: '1',
      statusId: 'new',
      lines: [
        { productCode: 'A', name: 'a', unitPrice: 1, quantity: 2 },
        { productCode: 'FLYER', name: 'f', unitPrice: 0, quantity: 1, isEnclosure: true },
      ],
    },
    {
      ...base,
      orderNumber: '2',
      statusId: 'shipped',
      lines: [{ productCode: 'A', name: 'a', unitPrice: 1, quantity: 5 }],
    },
    {
      ...base,
      orderNumber: '3',
      statusId: 'cancel',
      lines: [{ productCode: 'A', name: 'a', unitPrice: 1, quantity: 7 }],
    },
    {
      ...base,
      orderNumber: '4',
      statusId: 'unknown-status',
      lines: [
        { productCode: 'Ａ', name: 'a', unitPrice: 1, quantity: 1 },
        { productCode: 'ZZZ', name: 'z', unitPrice: 1, quantity: 1 },
      ],
    },
  ].map((o) => omsOrderSchema.parse(o));
  const statusCategories = new Map([
    ['new', 'open'],
    ['shipped', 'shipped'],
    ['cancel', 'cancelled'],
  ] as const);

  it.each([
    ['enclosures not synced', false, [{ productId: 'P1', quantity: 3 }]],
    [
      'enclosures synced',
      true,
      [
        { productId: 'P1', quantity: 3 },
        { productId: 'P2', quantity: 1 },
      ],
    ],
  ])('counts open, unshipped, uncancelled orders only (%s)', (_label, syncEnclosures, expected) => {
    const result = collectOpenOrderDemand(orders, {
      products: index,
      syncEnclosures,
      statusCategories,
    });
    expect(result.demand).toEqual(expected);
    expect(result.unresolved).toEqual([{ orderNumber: '4', lineIndex: 1 }]);
  });
});
