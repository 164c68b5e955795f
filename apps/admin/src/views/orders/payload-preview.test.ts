import { describe, expect, it } from 'vitest';
import { createAdminI18n } from '../../i18n';
import {
  DETAIL_FIELDS,
  differenceKeys,
  isMoneyField,
  PREVIEW_HEADER_FIELDS,
  previewRows,
  SOURCE_TAGS,
  type PreviewSource,
  type SendablePreview,
} from './payload-preview';

type Line = SendablePreview['lines'][number];
const line = (over: Partial<Line>): Line => ({
  productId: '8000001',
  productCode: 'TS-001',
  productName: 'Tシャツ',
  salesPrice: 1000,
  quantity: 2,
  source: 'line',
  lineNo: 1,
  isEnclosure: false,
  ...over,
});
const preview = (lines: Line[], totalPromotionDiscount = 0): SendablePreview => ({
  ok: true,
  header: {
    storeId: '1',
    orderCode: 'RT-1',
    orderDateTime: '2026-11-30T10:00:00+09:00',
    paymentMethodId: '3',
    deliveryDate: null,
    carriage: 0,
    commission: 0,
    giftWrapPrice: 0,
    totalPointDiscount: 0,
    totalCouponDiscount: 0,
    subtotalCouponDiscount: 0,
    totalPromotionDiscount,
    taxExclude: 0,
    total: 0,
  },
  lines,
  sent: null,
  differences: null,
});

describe('the payload preview rows', () => {
  it.each<[string, Line[], number, [PreviewSource | null, number | null, boolean, number][]]>([
    ['an OMS line', [line({})], 0, [['line', 1, false, 2000]]],
    [
      'a 封入物 line is labelled once',
      [line({ source: 'enclosure', lineNo: 2, isEnclosure: true, salesPrice: 0 })],
      0,
      [['enclosure', 2, false, 0]],
    ],
    [
      'a 封入物 sent as the ダミー商品 carries both labels',
      [line({ source: 'dummyProduct', lineNo: 3, isEnclosure: true, quantity: 1 })],
      0,
      [['dummyProduct', 3, true, 1000]],
    ],
    [
      'the 調整額 line has no line of the order',
      [line({}), line({ source: 'adjustment', lineNo: null, salesPrice: 500, quantity: 1 })],
      0,
      [
        ['line', 1, false, 2000],
        ['adjustment', null, false, 500],
      ],
    ],
    [
      'a line of a kept body without its sources is shown unlabelled, never guessed',
      [line({ source: null, lineNo: null })],
      0,
      [[null, null, false, 2000]],
    ],
    [
      'a negative 調整額 shows as the promotion discount, last and subtracted',
      [line({})],
      300,
      [
        ['line', 1, false, 2000],
        ['promotion', null, false, -300],
      ],
    ],
  ])('%s', (_label, lines, promotion, expected) => {
    const rows = previewRows(preview(lines, promotion));
    expect(rows.map((r) => [r.source, r.lineNo, r.alsoEnclosure, r.amount])).toEqual(expected);
    expect(rows.find((r) => r.source === 'promotion')?.detail ?? null).toBeNull();
  });

  it('every source and header field has its label in both languages', () => {
    const sources = Object.keys(SOURCE_TAGS) as PreviewSource[];
    expect(sources.sort()).toEqual(
      ['adjustment', 'dummyProduct', 'enclosure', 'line', 'promotion'].sort(),
    );
    for (const locale of ['ja', 'en'] as const) {
      const i18n = createAdminI18n(locale).global;
      for (const source of sources) {
        expect(i18n.te(`orderPayload.sources.${source}`, locale)).toBe(true);
        expect(i18n.t(`orderPayload.sourceHelp.${source}`, { line: 4 })).not.toContain('{');
      }
      for (const field of PREVIEW_HEADER_FIELDS)
        expect(i18n.te(`orderPayload.header.${field.key}`, locale)).toBe(true);
      for (const field of DETAIL_FIELDS)
        expect(i18n.te(`orderPayload.columns.${field}`, locale)).toBe(true);
      for (const outcome of ['registered', 'refused', 'codeInUse', 'unknown', 'inFlight'])
        expect(i18n.te(`orderPayload.sentOutcomes.${outcome}`, locale)).toBe(true);
      expect(i18n.te('orderPayload.sources.unknown', locale)).toBe(true);
    }
    const ja = createAdminI18n('ja').global;
    expect(ja.t('orderPayload.sourceHelp.dummyProduct', { line: 4 })).toContain('4行目');
    expect(ja.t('orderPayload.sources.promotion')).toBe('調整額 (マイナス)');
    // The glossary's word for totalPromotionDiscount.
    expect(ja.t('orderPayload.header.totalPromotionDiscount')).toBe('プロモーション値引き');
  });
});

describe('what differs between what was sent and what would be sent now', () => {
  it('marks header fields by name and detail lines by their position', () => {
    const keys = differenceKeys([
      { field: 'paymentMethodId', line: null, sent: '3', now: '4' },
      { field: 'quantity', line: 2, sent: 1, now: 2 },
      { field: 'productCode', line: 2, sent: 'A', now: 'B' },
      { field: 'line', line: 3, sent: 'DUMMY', now: null },
    ]);
    expect([...keys]).toEqual(['header:paymentMethodId', 'line:2', 'line:3']);
    expect(differenceKeys(null).size).toBe(0);
  });

  it('shows amounts in yen: money header fields and a line’s price, not IDs or quantities', () => {
    expect(isMoneyField('total', null)).toBe(true);
    expect(isMoneyField('totalPromotionDiscount', null)).toBe(true);
    expect(isMoneyField('paymentMethodId', null)).toBe(false);
    expect(isMoneyField('salesPrice', 1)).toBe(true);
    expect(isMoneyField('quantity', 1)).toBe(false);
  });
});
