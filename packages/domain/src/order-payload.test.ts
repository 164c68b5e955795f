import { describe, expect, it } from 'vitest';
import type { ProblemCode } from './messages.js';
import { omsOrderSchema, type OmsOrder, type OmsOrderInput } from './order.js';
import { buildSmaregiOrderPayload, type OrderPayloadContext } from './order-payload.js';
import { createProductIndex } from './product-index.js';
import { defaultIntegrationSettings, integrationSettingsSchema } from './settings.js';

const { index: products } = createProductIndex([
  {
    productId: '8000001',
    productCode: 'TS-001-RED-M',
    omsProductCode: 'TS-001',
    managementNumber: 'TS-001-RED-M',
  },
  { productId: '8000002', productCode: 'TS-001-BLU-M', managementNumber: 'TS-001-BLU-M' },
  { productId: '8000003', productCode: 'MUG-01' },
  { productId: '8000010', productCode: 'FLYER' },
  { productId: '9000001', productCode: 'ADJUST' },
  { productId: '9000002', productCode: 'DUMMY' },
  { productId: '8000020', productCode: 'DUP-A', omsProductCode: 'DUP' },
  { productId: '8000021', productCode: 'DUP-B', omsProductCode: 'DUP' },
]);

const settings = integrationSettingsSchema.parse({
  adjustmentProductCode: 'ADJUST',
  dummyProductCode: 'DUMMY',
  syncEnclosures: false,
});

function context(overrides: Partial<OrderPayloadContext> = {}): OrderPayloadContext {
  return {
    settings,
    shop: { id: 'shop-rakuten', name: '楽天市場店', taxMode: 'included', orderStoreId: '23' },
    paymentMethods: new Map([
      ['pm-card', '3'],
      ['pm-cod', null],
    ]),
    products,
    ...overrides,
  };
}

function order(overrides: Partial<OmsOrderInput> = {}): OmsOrder {
  return omsOrderSchema.parse({
    shopId: 'shop-rakuten',
    orderNumber: 'RT-20250131-0001',
    orderedAt: '2025-01-31T10:15:00+09:00',
    paymentMethodId: 'pm-card',
    lines: [
      {
        managementNumber: 'TS-001-RED-M',
        productCode: 'TS-001',
        name: 'Tシャツ 赤 M',
        unitPrice: 2200,
        quantity: 2,
      },
      { productCode: 'MUG-01', name: 'マグカップ', unitPrice: 1500, quantity: 1 },
    ],
    shippingFee: 600,
    statusId: 'new',
    ...overrides,
  });
}

function codes(result: ReturnType<typeof buildSmaregiOrderPayload>): ProblemCode[] {
  return result.ok ? [] : result.problems.map((p) => p.code);
}

describe('buildSmaregiOrderPayload: a plain order', () => {
  it('maps every field to the registration body (docs/smaregi-wire.md §4.6, §11)', () => {
    const result = buildSmaregiOrderPayload(
      order({
        commission: 330,
        giftWrapFee: 200,
        pointUse: 100,
        coupon: 50,
        mallCoupon: 70,
        deliveryDate: '2025-02-03',
      }),
      context(),
    );
    expect(result).toEqual({
      ok: true,
      payload: {
        storeId: '23',
        orderCode: 'RT-20250131-0001',
        orderDateTime: '2025-01-31T10:15:00+09:00',
        paymentMethodId: '3',
        deliveryDate: '2025-02-03',
        carriage: 600,
        commission: 330,
        giftWrapPrice: 200,
        totalPointDiscount: 100,
        totalCouponDiscount: 50,
        subtotalCouponDiscount: 70,
        totalPromotionDiscount: 0,
        taxExclude: 0,
        total: 2200 * 2 + 1500 + 600 + 330 + 200 - 100 - 50 - 70,
        details: [
          {
            productId: '8000001',
            productCode: 'TS-001-RED-M',
            productName: 'Tシャツ 赤 M',
            salesPrice: 2200,
            quantity: 2,
          },
          {
            productId: '8000003',
            productCode: 'MUG-01',
            productName: 'マグカップ',
            salesPrice: 1500,
            quantity: 1,
          },
        ],
      },
      detailSources: [
        { kind: 'line', lineIndex: 0 },
        { kind: 'line', lineIndex: 1 },
      ],
    });
  });

  it.each([
    ['JST offset is kept', '2025-01-31T10:15:00+09:00', '2025-01-31T10:15:00+09:00'],
    ['UTC is converted to JST', '2025-01-31T01:15:00Z', '2025-01-31T10:15:00+09:00'],
    [
      'fractional seconds are dropped',
      '2025-01-31T10:15:07.999+09:00',
      '2025-01-31T10:15:07+09:00',
    ],
    [
      'a negative offset crosses the date',
      '2025-01-31T20:00:00-05:00',
      '2025-02-01T10:00:00+09:00',
    ],
  ])('orderDateTime: %s', (_label, orderedAt, expected) => {
    const result = buildSmaregiOrderPayload(order({ orderedAt }), context());
    expect(result.ok && result.payload.orderDateTime).toBe(expected);
  });
});

describe('buildSmaregiOrderPayload: adjustment (調整額)', () => {
  it.each([
    ['positive: one line with the adjustment product, quantity 1', 500, 1, 0, 500],
    ['negative: its absolute value goes to totalPromotionDiscount', -500, 0, 500, -500],
    ['zero: nothing is added', 0, 0, 0, 0],
  ])('%s', (_label, adjustment, extraLines, promotion, totalDelta) => {
    const base = buildSmaregiOrderPayload(order(), context());
    const result = buildSmaregiOrderPayload(order({ adjustment }), context());
    if (!base.ok || !result.ok) throw new Error('expected payloads');
    expect(result.payload.details).toHaveLength(base.payload.details.length + extraLines);
    expect(result.payload.totalPromotionDiscount).toBe(promotion);
    expect(result.payload.total).toBe(base.payload.total + totalDelta);
    if (extraLines === 1) {
      expect(result.payload.details.at(-1)).toEqual({
        productId: '9000001',
        productCode: 'ADJUST',
        productName: '調整額',
        salesPrice: 500,
        quantity: 1,
      });
      expect(result.detailSources.at(-1)).toEqual({ kind: 'adjustment' });
    }
  });

  it.each([
    [
      'adjustment product code not set',
      { ...settings, adjustmentProductCode: null },
      'adjustmentProductCodeNotSet',
    ],
    [
      'adjustment product not in Smaregi',
      { ...settings, adjustmentProductCode: 'NOPE' },
      'adjustmentProductNotFound',
    ],
  ] as const)('positive adjustment with %s is a problem', (_label, s, code) => {
    const result = buildSmaregiOrderPayload(order({ adjustment: 300 }), context({ settings: s }));
    expect(codes(result)).toEqual([code]);
    expect(!result.ok && result.problems[0]?.field).toBe('settings.adjustmentProductCode');
  });

  it('a negative adjustment needs no adjustment product code', () => {
    const result = buildSmaregiOrderPayload(
      order({ adjustment: -300 }),
      context({ settings: { ...settings, adjustmentProductCode: null } }),
    );
    expect(result.ok).toBe(true);
  });
});

describe('buildSmaregiOrderPayload: enclosures (封入物)', () => {
  const withFlyer = () =>
    order({
      lines: [
        { productCode: 'MUG-01', name: 'マグカップ', unitPrice: 1500, quantity: 1 },
        { productCode: 'FLYER', name: 'チラシ', unitPrice: 0, quantity: 1, isEnclosure: true },
      ],
    });
  it.each([
    ['sent when syncEnclosures is on', true, ['MUG-01', 'FLYER']],
    ['left out when syncEnclosures is off', false, ['MUG-01']],
  ])('%s', (_label, syncEnclosures, expected) => {
    const result = buildSmaregiOrderPayload(
      withFlyer(),
      context({ settings: { ...settings, syncEnclosures } }),
    );
    expect(result.ok && result.payload.details.map((d) => d.productCode)).toEqual(expected);
  });

  it('an order of enclosures only cannot be sent while the setting is off', () => {
    const o = order({
      lines: [
        { productCode: 'FLYER', name: 'チラシ', unitPrice: 0, quantity: 1, isEnclosure: true },
      ],
    });
    expect(codes(buildSmaregiOrderPayload(o, context()))).toEqual(['noLines']);
  });
});

describe('buildSmaregiOrderPayload: product resolution', () => {
  const one = (line: OmsOrderInput['lines'][number], s = settings) =>
    buildSmaregiOrderPayload(order({ lines: [line] }), context({ settings: s }));

  it.each([
    [
      'management number wins over product code',
      { managementNumber: 'TS-001-BLU-M', productCode: 'TS-001' },
      '8000002',
    ],
    [
      'product code (OMS 商品番号) when there is no management number',
      { productCode: 'TS-001' },
      '8000001',
    ],
    ['Smaregi product code typed as the product code', { productCode: 'MUG-01' }, '8000003'],
    [
      'full-width code with ideographic spaces',
      { productCode: '\u3000ＭＵＧ－０１\u3000' },
      '8000003',
    ],
    [
      'empty strings count as no code: dummy product',
      { productCode: ' ', managementNumber: '' },
      '9000002',
    ],
    ['neither code: dummy product', {}, '9000002'],
  ])('%s', (_label, codesOfLine, productId) => {
    const result = one({ ...codesOfLine, name: '商品', unitPrice: 1000, quantity: 1 });
    expect(result.ok && result.payload.details[0]?.productId).toBe(productId);
  });

  it('a line without codes keeps its own name under the dummy product', () => {
    const result = one({ name: '手書きの商品名 ①', unitPrice: 1000, quantity: 1 });
    expect(result.ok && result.payload.details[0]).toEqual({
      productId: '9000002',
      productCode: 'DUMMY',
      productName: '手書きの商品名 ①',
      salesPrice: 1000,
      quantity: 1,
    });
  });

  it.each([
    [
      'unknown product code',
      { productCode: 'NOPE-1' },
      settings,
      'productNotFound',
      'lines.0.productCode',
    ],
    [
      'unknown management number (no fall-back to the product code)',
      { managementNumber: 'TS-001-GRN-M', productCode: 'TS-001' },
      settings,
      'productNotFound',
      'lines.0.managementNumber',
    ],
    [
      'code shared by two products',
      { productCode: 'DUP' },
      settings,
      'productAmbiguous',
      'lines.0.productCode',
    ],
    [
      'no codes and no dummy code set',
      {},
      { ...settings, dummyProductCode: null },
      'dummyProductCodeNotSet',
      'settings.dummyProductCode',
    ],
    [
      'no codes and dummy code unknown to Smaregi',
      {},
      { ...settings, dummyProductCode: 'GONE' },
      'dummyProductNotFound',
      'settings.dummyProductCode',
    ],
  ] as const)('%s is a problem, not a crash', (_label, codesOfLine, s, code, field) => {
    const result = one({ ...codesOfLine, name: '商品', unitPrice: 1000, quantity: 1 }, s);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      code,
      field,
      lineIndex: 0,
      orderNumber: 'RT-20250131-0001',
    });
    expect(result.problems[0]?.message.ja).toMatch(/\S/);
    expect(result.problems[0]?.message.en).toMatch(/\S/);
  });
});

describe('buildSmaregiOrderPayload: order code (受注番号)', () => {
  it.each([
    [
      'full-width order number is normalised',
      'ＲＴ－２０２５０１３１－０００１',
      'RT-20250131-0001',
    ],
    ['ideographic spaces trimmed', '\u3000RT-1\u3000', 'RT-1'],
  ])('%s', (_label, orderNumber, expected) => {
    const result = buildSmaregiOrderPayload(order({ orderNumber }), context());
    expect(result.ok && result.payload.orderCode).toBe(expected);
  });

  it.each([
    ['Japanese letters', '楽天-0001', 'orderCodeNotAscii'],
    ['longer than 50', 'X'.repeat(51), 'orderCodeTooLong'],
  ] as const)('%s is a problem', (_label, orderNumber, code) => {
    expect(codes(buildSmaregiOrderPayload(order({ orderNumber }), context()))).toEqual([code]);
  });
});

describe('buildSmaregiOrderPayload: tax mode (税込 / 税別)', () => {
  it('a 税別 shop sends its external tax as taxExclude and in the total', () => {
    const ctx = context({
      shop: { id: 'shop-rakuten', name: '自社EC', taxMode: 'excluded', orderStoreId: '24' },
    });
    const result = buildSmaregiOrderPayload(order({ externalTax: 590 }), ctx);
    expect(result.ok && result.payload.taxExclude).toBe(590);
    expect(result.ok && result.payload.total).toBe(2200 * 2 + 1500 + 600 + 590);
  });

  it('a 税込 shop with external tax is a problem', () => {
    const result = buildSmaregiOrderPayload(order({ externalTax: 590 }), context());
    expect(codes(result)).toEqual(['externalTaxOnTaxIncludedShop']);
  });

  it('a 税込 shop without external tax sends taxExclude 0', () => {
    const result = buildSmaregiOrderPayload(order(), context());
    expect(result.ok && result.payload.taxExclude).toBe(0);
  });
});

describe('buildSmaregiOrderPayload: total (合計金額)', () => {
  it.each([
    ['points larger than the goods', { pointUse: 10_000 }, 'totalBelowZero'],
    ['negative adjustment larger than the goods', { adjustment: -10_000 }, 'totalBelowZero'],
    [
      'a total above 999,999,999',
      { lines: [{ productCode: 'MUG-01', name: 'マグ', unitPrice: 999_999_999, quantity: 2 }] },
      'totalAboveMaximum',
    ],
    ['an OMS total that differs from the formula', { total: 7000 }, 'totalMismatch'],
  ] as [string, Partial<OmsOrderInput>, ProblemCode][])(
    '%s cannot satisfy the formula: a problem',
    (_label, overrides, code) => {
      expect(codes(buildSmaregiOrderPayload(order(overrides), context()))).toEqual([code]);
    },
  );

  it('an OMS total equal to the formula is accepted', () => {
    const result = buildSmaregiOrderPayload(order({ total: 6500, adjustment: 0 }), context());
    expect(result.ok && result.payload.total).toBe(6500);
  });

  it('a total of exactly 0 is accepted', () => {
    const result = buildSmaregiOrderPayload(order({ pointUse: 6500 }), context());
    expect(result.ok && result.payload.total).toBe(0);
  });
});

describe('buildSmaregiOrderPayload: mappings', () => {
  it.each([
    ['payment method mapped to null', 'pm-cod'],
    ['payment method not in the mapping', 'pm-unknown'],
  ])('%s is a problem', (_label, paymentMethodId) => {
    const result = buildSmaregiOrderPayload(order({ paymentMethodId }), context());
    expect(!result.ok && result.problems.map((p) => [p.code, p.field])).toEqual([
      ['paymentMethodNotMapped', 'paymentMethodId'],
    ]);
  });

  it('a shop without an order store is a problem', () => {
    const result = buildSmaregiOrderPayload(
      order(),
      context({
        shop: { id: 'shop-rakuten', name: '楽天市場店', taxMode: 'included', orderStoreId: null },
      }),
    );
    expect(codes(result)).toEqual(['shopNotMapped']);
    expect(!result.ok && result.problems[0]?.message.ja).toContain('楽天市場店');
  });

  it('an order of another shop is a problem', () => {
    expect(codes(buildSmaregiOrderPayload(order({ shopId: 'shop-amazon' }), context()))).toEqual([
      'shopMismatch',
    ]);
  });
});

describe('buildSmaregiOrderPayload: bad data never throws', () => {
  const bad = (patch: Record<string, unknown>, linePatch?: Record<string, unknown>) => {
    const o: Record<string, unknown> = { ...order(), ...patch };
    if (linePatch) o.lines = [{ ...order().lines[0], ...linePatch }];
    return o as unknown as OmsOrder;
  };
  it.each([
    ['fractional quantity', bad({}, { quantity: 1.5 }), ['quantityInvalid']],
    ['negative quantity', bad({}, { quantity: -1 }), ['quantityInvalid']],
    ['zero quantity', bad({}, { quantity: 0 }), ['quantityInvalid']],
    ['quantity above 99,999', bad({}, { quantity: 100_000 }), ['quantityInvalid']],
    ['fractional unit price', bad({}, { unitPrice: 99.5 }), ['unitPriceInvalid']],
    ['negative unit price', bad({}, { unitPrice: -1 }), ['unitPriceInvalid']],
    ['unit price as a string', bad({}, { unitPrice: '1000' }), ['unitPriceInvalid']],
    ['empty name', bad({}, { name: '  ' }), ['lineNameMissing']],
    ['negative shipping fee', bad({ shippingFee: -600 }), ['amountInvalid']],
    ['fractional commission', bad({ commission: 10.5 }), ['amountInvalid']],
    ['NaN point use', bad({ pointUse: Number.NaN }), ['amountInvalid']],
    ['adjustment out of range', bad({ adjustment: 1e10 }), ['adjustmentInvalid']],
    ['ordered-at without offset', bad({ orderedAt: '2025-01-31T10:15:00' }), ['orderedAtInvalid']],
    ['impossible delivery date', bad({ deliveryDate: '2025-02-30' }), ['deliveryDateInvalid']],
    ['no payment method', bad({ paymentMethodId: null }), ['paymentMethodMissing']],
    ['lines not a list', bad({ lines: 'x' }), ['orderMalformed']],
    ['a line that is null', bad({ lines: [null] }), ['lineMalformed']],
    ['empty lines', bad({ lines: [] }), ['noLines']],
    ['null order', null as unknown as OmsOrder, ['orderMalformed']],
  ])('%s', (_label, o, expected) => {
    expect(() => buildSmaregiOrderPayload(o, context())).not.toThrow();
    expect(codes(buildSmaregiOrderPayload(o, context()))).toEqual(expected);
  });

  it('judges the total even when a mapping is missing, so the merchant sees both at once', () => {
    const o = order({ paymentMethodId: 'pm-unknown', pointUse: 10_000 });
    expect(codes(buildSmaregiOrderPayload(o, context()))).toEqual([
      'paymentMethodNotMapped',
      'totalBelowZero',
    ]);
  });

  it('an unknown product does not hide a total that cannot be met', () => {
    const o = order({
      lines: [{ productCode: 'NOPE', name: 'x', unitPrice: 100, quantity: 1 }],
      pointUse: 1_000,
    });
    expect(codes(buildSmaregiOrderPayload(o, context()))).toEqual([
      'productNotFound',
      'totalBelowZero',
    ]);
  });

  it('a broken amount is reported alone, not also as a total problem', () => {
    const o = bad({ pointUse: -1 }, { unitPrice: 1.5 });
    expect(codes(buildSmaregiOrderPayload(o, context()))).toEqual([
      'amountInvalid',
      'unitPriceInvalid',
    ]);
  });

  it('reports every problem at once', () => {
    const o = bad(
      { orderNumber: '注文1', paymentMethodId: 'pm-unknown', shippingFee: -1 },
      { quantity: 0 },
    );
    expect(codes(buildSmaregiOrderPayload(o, context())).sort()).toEqual([
      'amountInvalid',
      'orderCodeNotAscii',
      'paymentMethodNotMapped',
      'quantityInvalid',
    ]);
  });
});

describe('defaults', () => {
  it('integration is stopped by default', () => {
    expect(defaultIntegrationSettings.integrationEnabled).toBe(false);
  });
});
