import { describe, expect, it } from 'vitest';
import { omsOrderSchema, type OmsOrderInput } from './order.js';
import {
  selectShippingCsvRows,
  shippingCsvColumns,
  type ShippingCsvOrder,
} from './shipping-csv.js';

const make = (
  orderNumber: string,
  extra: Partial<OmsOrderInput>,
  meta: Partial<Omit<ShippingCsvOrder, 'order'>> = {},
): ShippingCsvOrder => ({
  order: omsOrderSchema.parse({
    shopId: 's1',
    orderNumber,
    orderedAt: '2025-01-31T10:00:00+09:00',
    paymentMethodId: 'pm',
    statusId: 'st-ready',
    lines: [
      {
        productCode: 'TS-001',
        managementNumber: 'TS-001-RED-M',
        name: 'Tシャツ 赤 M',
        unitPrice: 2200,
        quantity: 2,
      },
    ],
    ...extra,
  }),
  shopName: '楽天市場店',
  statusCategory: 'open',
  allocation: 'allocated',
  ...meta,
});

const orders = [
  make('A-3', { shippingDate: '2025-02-02' }),
  make('A-1', {
    shippingDate: '2025-02-01',
    shipTo: {
      name: '山田 太郎',
      postalCode: '150-0001',
      address: '東京都渋谷区神宮前1-1-1',
      phone: '03-0000-0000',
    },
  }),
  make('A-2', { shippingDate: '2025-02-01', orderedAt: '2025-01-30T09:00:00+09:00' }),
  make('P-1', {}, { allocation: 'partial' }),
  make('U-1', {}, { allocation: null }),
  make('S-1', {}, { statusCategory: 'shipped' }),
  make('C-1', {}, { statusCategory: 'cancelled' }),
  make('O-1', { statusId: 'st-other' }),
  make('E-1', {
    shippingDate: '2025-02-03',
    lines: [
      { productCode: 'MUG', name: 'マグ', unitPrice: 1500, quantity: 1 },
      { productCode: 'FLYER', name: 'チラシ', unitPrice: 0, quantity: 1, isEnclosure: true },
    ],
  }),
];

describe('selectShippingCsvRows', () => {
  it.each([
    [
      'exclude (default): only fully allocated orders',
      'exclude',
      ['A-2', 'A-1', 'A-3', 'E-1', 'O-1'],
    ],
    [
      'include: unallocated and partial orders too',
      'include',
      ['A-2', 'A-1', 'A-3', 'E-1', 'O-1', 'P-1', 'U-1'],
    ],
  ] as const)('shippingCsvUnallocated %s', (_label, shippingCsvUnallocated, expected) => {
    const result = selectShippingCsvRows(orders, { settings: { shippingCsvUnallocated } });
    expect(result.included).toEqual(expected);
    const reasons = Object.fromEntries(result.excluded.map((e) => [e.orderNumber, e.reason]));
    expect(reasons['S-1']).toBe('closed');
    expect(reasons['C-1']).toBe('closed');
    if (shippingCsvUnallocated === 'exclude')
      expect(reasons).toMatchObject({ 'P-1': 'notAllocated', 'U-1': 'notAllocated' });
  });

  it('says why each held order is held (引当未完了 or unknown) and echoes its reference', () => {
    const result = selectShippingCsvRows(
      [
        make('P-2', {}, { allocation: 'partial', ref: 'id-p' }),
        make('N-2', {}, { allocation: 'unallocated', ref: 'id-n' }),
        make('U-2', {}, { allocation: null }),
      ],
      { settings: { shippingCsvUnallocated: 'exclude' } },
    );
    expect(result.included).toEqual([]);
    expect(result.excluded.map((e) => [e.orderNumber, e.ref, e.allocation])).toEqual([
      ['P-2', 'id-p', 'partial'],
      ['N-2', 'id-n', 'unallocated'],
      ['U-2', null, null],
    ]);
    expect(result.excluded[0]?.message.ja).toContain('引当未完了');
    expect(result.excluded[0]?.message.ja).toContain('一部の明細');
    expect(result.excluded[1]?.message.ja).toContain('引当未完了');
    expect(result.excluded[2]?.message.ja).toContain('引当状態が不明');
    for (const e of result.excluded) expect(e.message.ja).toContain('送り状・出荷CSV出力制御');
  });

  it('filters by status when asked', () => {
    const result = selectShippingCsvRows(orders, {
      settings: { shippingCsvUnallocated: 'include' },
      statusIds: ['st-other'],
    });
    expect(result.included).toEqual(['O-1']);
    expect(result.excluded.filter((e) => e.reason === 'notInSelectedStatus')).toHaveLength(6);
  });

  it('renders one row per line in the documented column order, enclosures included', () => {
    const result = selectShippingCsvRows(orders, {
      settings: { shippingCsvUnallocated: 'exclude' },
    });
    expect(result.header).toEqual(shippingCsvColumns.map((c) => c.header.ja));
    expect(result.header.slice(0, 3)).toEqual(['受注番号', '店舗', '受注日時']);
    const a1 = result.rows.find((r) => r[0] === 'A-1');
    expect(a1).toEqual([
      'A-1',
      '楽天市場店',
      '2025-01-31T10:00:00+09:00',
      '2025-02-01',
      '',
      '山田 太郎',
      '150-0001',
      '東京都渋谷区神宮前1-1-1',
      '03-0000-0000',
      '1',
      'TS-001',
      'TS-001-RED-M',
      'Tシャツ 赤 M',
      '2',
      '0',
      '引当済',
    ]);
    const e1 = result.rows.filter((r) => r[0] === 'E-1');
    expect(e1.map((r) => [r[9], r[12], r[14]])).toEqual([
      ['1', 'マグ', '0'],
      ['2', 'チラシ', '1'],
    ]);
    for (const row of result.rows) expect(row).toHaveLength(shippingCsvColumns.length);
  });

  it('writes 受注日時 in Japan time, whatever offset the order carries', () => {
    const result = selectShippingCsvRows([make('Z-1', { orderedAt: '2025-01-31T01:00:00.000Z' })], {
      settings: { shippingCsvUnallocated: 'exclude' },
    });
    expect(result.rows[0]?.[2]).toBe('2025-01-31T10:00:00+09:00');
  });

  it('English headers on request', () => {
    const result = selectShippingCsvRows([], {
      settings: { shippingCsvUnallocated: 'exclude' },
      language: 'en',
    });
    expect(result.header[0]).toBe('Order number');
    expect(result.rows).toEqual([]);
  });
});
