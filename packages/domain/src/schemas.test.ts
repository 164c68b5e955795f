import { describe, expect, it } from 'vitest';
import { fieldErrorsOf } from './field-errors.js';
import {
  orderStatusInputSchema,
  paymentMethodInputSchema,
  shopInputSchema,
} from './master-data.js';
import { omsOrderSchema } from './order.js';
import {
  applySettingsUpdate,
  defaultIntegrationSettings,
  integrationSettingsSchema,
} from './settings.js';

const validOrder = {
  shopId: 'shop-1',
  orderNumber: 'RT-1',
  orderedAt: '2025-01-31T10:00:00+09:00',
  paymentMethodId: 'pm-card',
  statusId: 'st-new',
  lines: [{ productCode: 'TS-001', name: 'Tシャツ', unitPrice: 2200, quantity: 1 }],
};

function errorsOf(result: { success: boolean; error?: unknown }) {
  if (result.success) return [];
  return fieldErrorsOf(result.error as Parameters<typeof fieldErrorsOf>[0]);
}

describe('integrationSettingsSchema', () => {
  it('fills every default (integration stopped)', () => {
    expect(integrationSettingsSchema.parse({})).toEqual({
      ...defaultIntegrationSettings,
      allocationTriggerStatuses: [],
    });
    expect(integrationSettingsSchema.parse({}).integrationEnabled).toBe(false);
  });

  it.each([
    ['full-width code is stored in ASCII', 'ＡＤＪ－００１', 'ADJ-001'],
    ['blank means not set', '\u3000 ', null],
    ['null means not set', null, null],
  ])('adjustment product code: %s', (_label, input, expected) => {
    expect(
      integrationSettingsSchema.parse({ adjustmentProductCode: input }).adjustmentProductCode,
    ).toBe(expected);
  });

  it.each([
    [
      'Japanese product code',
      { dummyProductCode: 'ダミー' },
      'dummyProductCode',
      'ダミー商品番号は半角英数記号で入力してください',
      'Dummy product code (dummyProductCode) must be printable ASCII',
    ],
    [
      'product code longer than 20',
      { dummyProductCode: 'X'.repeat(21) },
      'dummyProductCode',
      'ダミー商品番号は20文字以下で入力してください',
      'Dummy product code (dummyProductCode) must be at most 20 characters',
    ],
    [
      'unknown stock basis',
      { stockBasis: 'everywhere' },
      'stockBasis',
      '在庫数合算設定は次のいずれかを指定してください: orderStoreWarehouse, allStores',
      'Stock basis (stockBasis) must be one of: orderStoreWarehouse, allStores',
    ],
    [
      'allocated status among the triggers',
      { allocationTriggerStatuses: ['a'], allocatedStatus: 'a' },
      'allocatedStatus',
      '引当済みにするステータスは、在庫引当を照会するステータスと別のものを選んでください',
      'Allocated status (allocatedStatus) must not be one of the allocation trigger statuses',
    ],
  ])('%s: bilingual message naming the field', (_label, input, path, ja, en) => {
    expect(errorsOf(integrationSettingsSchema.safeParse(input))).toEqual([
      { path, message: { ja, en } },
    ]);
  });
});

describe('applySettingsUpdate', () => {
  const current = integrationSettingsSchema.parse({ allocationTriggerStatuses: ['a'] });
  it('merges a partial update', () => {
    const r = applySettingsUpdate(current, {
      syncEnclosures: true,
      dummyProductCode: 'ｄｕｍｍｙ',
    });
    expect(r.ok && r.settings).toEqual({
      ...current,
      syncEnclosures: true,
      dummyProductCode: 'dummy',
    });
  });
  it('rejects unknown keys, naming each key as the field', () => {
    const r = applySettingsUpdate(current, { syncEnclosure: true });
    expect(!r.ok && r.errors).toEqual([
      {
        path: 'syncEnclosure',
        message: { ja: '不明な項目です: syncEnclosure', en: 'Unknown field: syncEnclosure' },
      },
    ]);
  });
  it('checks cross-field rules on the merged settings', () => {
    const r = applySettingsUpdate(current, { allocatedStatus: 'a' });
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual(['allocatedStatus']);
  });
  it('never throws on garbage', () => {
    expect(applySettingsUpdate(current, null).ok).toBe(false);
    expect(applySettingsUpdate(current, 'x').ok).toBe(false);
  });
});

describe('omsOrderSchema (POST /api/v1/orders)', () => {
  it('applies defaults', () => {
    const o = omsOrderSchema.parse(validOrder);
    expect(o).toMatchObject({
      shippingFee: 0,
      commission: 0,
      giftWrapFee: 0,
      pointUse: 0,
      coupon: 0,
      mallCoupon: 0,
      adjustment: 0,
      externalTax: 0,
      deliveryDate: null,
      shippingDate: null,
    });
    expect(o.lines[0]).toMatchObject({
      productCode: 'TS-001',
      managementNumber: null,
      isEnclosure: false,
    });
  });

  it.each([
    [
      'missing order number',
      { orderNumber: undefined },
      'orderNumber',
      '受注番号は必須です',
      'Order number (orderNumber) is required',
    ],
    [
      'empty order number',
      { orderNumber: '  ' },
      'orderNumber',
      '受注番号を入力してください',
      'Order number (orderNumber) must not be empty',
    ],
    [
      'ordered-at without offset',
      { orderedAt: '2025-01-31T10:00:00' },
      'orderedAt',
      '受注日時はタイムゾーン付きの日時(例: 2025-01-31T10:00:00+09:00)で指定してください',
      'Ordered-at (orderedAt) must be a date-time with offset (e.g. 2025-01-31T10:00:00+09:00)',
    ],
    [
      'fractional quantity',
      { lines: [{ ...validOrder.lines[0], quantity: 1.5 }] },
      'lines.0.quantity',
      '数量は整数で指定してください',
      'Quantity (quantity) must be an integer',
    ],
    [
      'negative quantity',
      { lines: [{ ...validOrder.lines[0], quantity: -1 }] },
      'lines.0.quantity',
      '数量は1以上で指定してください',
      'Quantity (quantity) must be at least 1',
    ],
    [
      'negative shipping fee',
      { shippingFee: -1 },
      'shippingFee',
      '送料は0以上で指定してください',
      'Shipping fee (shippingFee) must be at least 0',
    ],
    [
      'money above the Smaregi maximum',
      { commission: 1_000_000_000 },
      'commission',
      '手数料は999,999,999以下で指定してください',
      'Commission (commission) must be at most 999,999,999',
    ],
    [
      'money as a string',
      { pointUse: '100' },
      'pointUse',
      'ポイント利用額は数値で指定してください',
      'Point use (pointUse) must be a number',
    ],
    [
      'no lines',
      { lines: [] },
      'lines',
      '受注明細は1件以上必要です',
      'Order lines (lines) needs at least 1 item(s)',
    ],
    [
      'impossible delivery date',
      { deliveryDate: '2025-02-30' },
      'deliveryDate',
      '配達希望日は日付(YYYY-MM-DD)で指定してください',
      'Delivery date (deliveryDate) must be a date (YYYY-MM-DD)',
    ],
    [
      'misspelt key',
      { shipping_fee: 600 },
      'shipping_fee',
      '不明な項目です: shipping_fee',
      'Unknown field: shipping_fee',
    ],
  ])('%s', (_label, patch, path, ja, en) => {
    expect(errorsOf(omsOrderSchema.safeParse({ ...validOrder, ...patch }))).toEqual([
      { path, message: { ja, en } },
    ]);
  });

  it('names every unknown key as its own field, under its object (JSON from an OMS: __proto__, constructor)', () => {
    const body = JSON.parse(
      JSON.stringify({ ...validOrder, lines: [{ ...validOrder.lines[0], colour: 'red' }] }).replace(
        /^\{/,
        '{"__proto__":{"x":1},"constructor":1,',
      ),
    ) as unknown;
    expect(errorsOf(omsOrderSchema.safeParse(body))).toEqual([
      {
        path: 'lines.0.colour',
        message: { ja: '不明な項目です: lines.0.colour', en: 'Unknown field: lines.0.colour' },
      },
      {
        path: '__proto__',
        message: { ja: '不明な項目です: __proto__', en: 'Unknown field: __proto__' },
      },
      {
        path: 'constructor',
        message: { ja: '不明な項目です: constructor', en: 'Unknown field: constructor' },
      },
    ]);
  });

  it('accepts a signed adjustment and a full-width order number (normalised later)', () => {
    const o = omsOrderSchema.parse({ ...validOrder, adjustment: -500, orderNumber: 'ＲＴ－１' });
    expect([o.adjustment, o.orderNumber]).toEqual([-500, 'ＲＴ－１']);
  });
});

describe('master data input schemas', () => {
  it('shop: defaults and normalised empty mapping', () => {
    expect(
      shopInputSchema.parse({
        name: ' 楽天市場店 ',
        mallKind: 'rakuten',
        taxMode: 'included',
        orderStoreId: '',
      }),
    ).toEqual({
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
      active: true,
      orderStoreId: null,
    });
    expect(
      errorsOf(shopInputSchema.safeParse({ name: 'x', mallKind: 'rakuten', taxMode: '税込' }))[0]
        ?.message.ja,
    ).toBe('税設定(税込/税別)は次のいずれかを指定してください: included, excluded');
  });
  it('shop: warehouse and auto-allocation are optional (kept), null (not set) or a value', () => {
    const base = { name: 'x', mallKind: 'rakuten', taxMode: 'included' } as const;
    const kept = shopInputSchema.parse(base);
    expect([kept.warehouseStoreId, kept.autoAllocation]).toEqual([undefined, undefined]);
    const set = shopInputSchema.parse({ ...base, warehouseStoreId: ' 4 ', autoAllocation: false });
    expect([set.warehouseStoreId, set.autoAllocation]).toEqual(['4', false]);
    const cleared = shopInputSchema.parse({ ...base, warehouseStoreId: '', autoAllocation: null });
    expect([cleared.warehouseStoreId, cleared.autoAllocation]).toEqual([null, null]);
    expect(
      errorsOf(shopInputSchema.safeParse({ ...base, autoAllocation: 'ON' }))[0]?.message.ja,
    ).toContain('自動引当');
  });
  it('payment method', () => {
    expect(
      paymentMethodInputSchema.parse({ name: '代金引換', smaregiPaymentMethodId: '4' }),
    ).toEqual({ name: '代金引換', code: null, smaregiPaymentMethodId: '4' });
  });
  it('order status', () => {
    expect(orderStatusInputSchema.parse({ name: '出荷待ち', category: 'open' })).toEqual({
      name: '出荷待ち',
      category: 'open',
      sortOrder: 0,
    });
    expect(
      errorsOf(orderStatusInputSchema.safeParse({ name: '', category: 'open' }))[0]?.message.en,
    ).toBe('Status name (name) must not be empty');
  });
});
