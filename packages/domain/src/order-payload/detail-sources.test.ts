import { describe, expect, it } from 'vitest';
import { omsOrderSchema, type OmsOrderInput } from '../order.js';
import { buildSmaregiOrderPayload, type DetailSource } from '../order-payload.js';
import { createProductIndex } from '../product-index.js';
import { integrationSettingsSchema } from '../settings.js';

/*
 * Where each detail line of the payload came from (the order page's preview labels every line
 * with it, and allocation results are mapped back to the OMS lines by it). The payload itself is
 * the same whatever the source: the sources are never sent.
 */

const { index: products } = createProductIndex([
  { productId: '8000003', productCode: 'MUG-01' },
  { productId: '8000010', productCode: 'FLYER' },
  { productId: '9000001', productCode: 'ADJUST' },
  { productId: '9000002', productCode: 'DUMMY' },
]);

const settings = integrationSettingsSchema.parse({
  adjustmentProductCode: 'ADJUST',
  dummyProductCode: 'DUMMY',
  syncEnclosures: true,
});

type Line = OmsOrderInput['lines'][number];
const mug: Line = { productCode: 'MUG-01', name: 'マグカップ', unitPrice: 1500, quantity: 1 };
const flyer: Line = {
  productCode: 'FLYER',
  name: 'チラシ',
  unitPrice: 0,
  quantity: 1,
  isEnclosure: true,
};
const handWritten: Line = { name: '手書きの商品', unitPrice: 800, quantity: 2 };
const noteWithoutCode: Line = { name: '同梱メモ', unitPrice: 0, quantity: 1, isEnclosure: true };

function build(lines: Line[], adjustment = 0, syncEnclosures = true) {
  const order = omsOrderSchema.parse({
    shopId: 'shop-1',
    orderNumber: 'RT-1',
    orderedAt: '2025-01-31T10:15:00+09:00',
    paymentMethodId: 'pm-card',
    statusId: 'new',
    lines,
    adjustment,
  });
  return buildSmaregiOrderPayload(order, {
    settings: { ...settings, syncEnclosures },
    shop: { id: 'shop-1', name: '楽天市場店', taxMode: 'included', orderStoreId: '23' },
    paymentMethods: new Map([['pm-card', '3']]),
    products,
  });
}

describe('buildSmaregiOrderPayload: where each detail line came from', () => {
  it.each<[string, Line[], number, boolean, DetailSource[], string[]]>([
    ['an OMS line found by its code', [mug], 0, true, [{ kind: 'line', lineIndex: 0 }], ['MUG-01']],
    [
      'a 封入物 line, sent because syncEnclosures is on',
      [mug, flyer],
      0,
      true,
      [
        { kind: 'line', lineIndex: 0 },
        { kind: 'enclosure', lineIndex: 1 },
      ],
      ['MUG-01', 'FLYER'],
    ],
    [
      'a 封入物 line left out keeps the later lines at their own index',
      [flyer, mug],
      0,
      false,
      [{ kind: 'line', lineIndex: 1 }],
      ['MUG-01'],
    ],
    [
      'a line without codes goes out as the ダミー商品',
      [handWritten, mug],
      0,
      true,
      [
        { kind: 'dummyProduct', lineIndex: 0 },
        { kind: 'line', lineIndex: 1 },
      ],
      ['DUMMY', 'MUG-01'],
    ],
    [
      'a 封入物 line without codes is shown as the ダミー商品 it goes out as',
      [mug, noteWithoutCode],
      0,
      true,
      [
        { kind: 'line', lineIndex: 0 },
        { kind: 'dummyProduct', lineIndex: 1 },
      ],
      ['MUG-01', 'DUMMY'],
    ],
    [
      'a positive 調整額 adds its line after the OMS lines',
      [mug, flyer],
      500,
      true,
      [{ kind: 'line', lineIndex: 0 }, { kind: 'enclosure', lineIndex: 1 }, { kind: 'adjustment' }],
      ['MUG-01', 'FLYER', 'ADJUST'],
    ],
    [
      'a negative 調整額 adds no line (it is the promotion discount)',
      [mug],
      -300,
      true,
      [{ kind: 'line', lineIndex: 0 }],
      ['MUG-01'],
    ],
  ])('%s', (_label, lines, adjustment, syncEnclosures, sources, codes) => {
    const result = build(lines, adjustment, syncEnclosures);
    if (!result.ok) throw new Error(result.problems.map((p) => p.message.en).join('\n'));
    expect(result.detailSources).toEqual(sources);
    expect(result.payload.details.map((d) => d.productCode)).toEqual(codes);
    expect(result.payload.totalPromotionDiscount).toBe(adjustment < 0 ? -adjustment : 0);
  });

  it('the sources are not part of the payload sent to Smaregi', () => {
    const result = build([mug, flyer, handWritten], 500);
    if (!result.ok) throw new Error('expected a payload');
    const wire = JSON.stringify(result.payload);
    expect(wire).not.toContain('kind');
    expect(wire).not.toContain('lineIndex');
    for (const detail of result.payload.details)
      expect(Object.keys(detail).sort()).toEqual([
        'productCode',
        'productId',
        'productName',
        'quantity',
        'salesPrice',
      ]);
  });
});
