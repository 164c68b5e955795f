import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EventMessageParams } from './event-messages.js';
import { fieldErrorRefsOf, fieldErrorsOf } from './field-errors.js';
import type { FieldLabel, FieldMessageParams } from './field-messages.js';
import {
  isMessageCode,
  messageCodes,
  renderMessage,
  renderMessageBoth,
  type MessageRef,
} from './message-catalog.js';
import { problemCodes } from './messages.js';
import { omsOrderSchema } from './order.js';

const field: FieldLabel = { ja: '数量', en: 'Quantity', key: 'quantity' };
const issue = z.string().safeParse(42).error!.issues[0]!;

/*
 * One example of every code with parameters. The type makes a missing code, or a parameter the
 * code does not have, a compile error; the table below checks that each one's values show.
 */
const examples: {
  [K in keyof (EventMessageParams & FieldMessageParams)]: {
    params: (EventMessageParams & FieldMessageParams)[K];
    shows: string[];
  };
} = {
  orderReceived: { params: { source: 'csv' }, shows: ['csv'] },
  orderUpdated: { params: { fields: 'status, shippingDate' }, shows: ['status, shippingDate'] },
  orderStatusChanged: { params: { status: '出荷待ち' }, shows: ['出荷待ち'] },
  orderRetryRequested: { params: { actor: 'owner@example.jp' }, shows: ['owner@example.jp'] },
  orderRegistered: { params: { orderHeadId: '812', orderCode: 'R-1' }, shows: ['812', 'R-1'] },
  orderRegistrationRefused: { params: { reason: 'HTTP 400' }, shows: ['HTTP 400'] },
  orderCodeCollision: {
    params: {
      orderNumber: 'R-1',
      orderCode: 'R-1',
      shopName: 'Amazon店',
      otherShopName: '楽天市場店',
      orderHeadId: '812',
    },
    shows: ['R-1', 'Amazon店', '楽天市場店', '812'],
  },
  orderNeedsCheck: {
    params: { orderNumber: 'R-1', orderCode: 'RT-R-1', cause: 'unreadable', detail: 'x' },
    shows: ['R-1', 'RT-R-1'],
  },
  orderHeld: {
    params: { problems: [{ code: 'dummyProductCodeNotSet', params: { line: 3 } }] },
    shows: ['3'],
  },
  orderInvalid: {
    params: { problems: [{ code: 'orderCodeTooLong', params: { orderCode: 'ABC', max: 9 } }] },
    shows: ['ABC', '9'],
  },
  orderAllocationInquired: { params: { allocationStatus: 'partial' }, shows: ['partial'] },
  orderAllocationInquiryFailed: { params: { reason: 'timeout' }, shows: ['timeout'] },
  orderAllocatedStatus: { params: { from: '受付', to: '引当済' }, shows: ['受付', '引当済'] },
  orderAllocationShort: { params: { lines: [2, 5] }, shows: ['2, 5'] },
  orderShippingQueued: { params: { shippingDate: '2026-12-01' }, shows: ['2026-12-01'] },
  orderShippingRefused: { params: { reason: 'closed' }, shows: ['closed'] },
  orderShipped: { params: { status: '出荷済' }, shows: ['出荷済'] },
  orderCanceled: { params: { released: 4 }, shows: ['4'] },
  autoAllocationNotSet: { params: { shopName: '楽天市場店' }, shows: ['楽天市場店'] },
  productImportRequested: { params: { actor: 'admin' }, shows: ['admin'] },
  productImported: { params: { processed: 12, created: 5, updated: 7 }, shows: ['12', '5', '7'] },
  stockReconciled: {
    params: { products: 30, drifts: 2, allocationSource: 'renkeiOrders' },
    shows: ['30', '2', 'Renkei'],
  },
  stockSourceUnavailable: { params: {}, shows: ['404'] },
  warehouseNotSet: { params: { shopName: 'Yahoo店' }, shows: ['Yahoo店'] },
  connectionTokenRefused: { params: { reason: 'invalid_grant' }, shows: ['invalid_grant'] },
  connectionSubscriptionEnded: { params: { destroyed: 2 }, shows: ['2'] },
  connectionForceStopped: { params: { destroyed: 1 }, shows: ['1'] },
  connectionNoticeUnconfirmed: { params: { action: 'end' }, shows: ['end'] },
  legacyText: { params: { ja: '古い文', en: 'Old text' }, shows: [] },
  fieldRequired: { params: { field }, shows: [] },
  fieldWrongType: { params: { field, expected: 'int' }, shows: [] },
  fieldEmpty: { params: { field }, shows: [] },
  fieldTooShort: { params: { field, min: 3 }, shows: ['3'] },
  fieldTooFewItems: { params: { field, min: 1 }, shows: ['1'] },
  fieldTooSmall: { params: { field, min: 1 }, shows: ['1'] },
  fieldTooLong: { params: { field, max: 255 }, shows: ['255'] },
  fieldTooManyItems: { params: { field, max: 1000 }, shows: ['1000'] },
  fieldTooBig: { params: { field, max: 999999999 }, shows: ['999,999,999'] },
  fieldNotDateTime: { params: { field }, shows: [] },
  fieldNotDate: { params: { field }, shows: ['YYYY-MM-DD'] },
  fieldNotAscii: { params: { field }, shows: [] },
  fieldNotOneOf: { params: { field, values: ['open', 'shipped'] }, shows: ['open, shipped'] },
  fieldUnknownKeys: { params: { field, keys: ['colour'] }, shows: ['colour'] },
  fieldInvalid: { params: { field }, shows: [] },
  unknownField: { params: { path: 'lines.0.colour' }, shows: ['lines.0.colour'] },
  allocatedStatusIsTrigger: { params: {}, shows: [] },
  zodIssue: { params: { issue }, shows: [] },
};

const isFieldCode = (code: string) => code.startsWith('field');

describe('message catalog', () => {
  it('lists every code once', () => {
    expect(new Set(messageCodes).size).toBe(messageCodes.length);
    expect(messageCodes).toEqual([...problemCodes, ...Object.keys(examples)]);
    expect(isMessageCode('orderRegistered')).toBe(true);
    expect(isMessageCode('orderRegisterd')).toBe(false);
  });

  it.each(Object.entries(examples))('%s renders in Japanese and English', (code, example) => {
    const ref = { code, params: example.params } as MessageRef;
    const { ja, en } = renderMessageBoth(ref);
    expect(ja).not.toBe('');
    expect(en).not.toBe('');
    expect(renderMessage(ref, 'ja')).toBe(ja);
    expect(renderMessage(ref, 'en')).toBe(en);
    for (const value of example.shows) {
      expect(ja).toContain(value);
      expect(en).toContain(value);
    }
    // Validation messages name the field in the reader's language; English gives the JSON key.
    if (isFieldCode(code)) {
      expect(ja).toContain('数量');
      expect(en).toContain('Quantity (quantity)');
    }
    // Japanese text is written in Japanese (a copied English template would not be).
    if (code !== 'legacyText' && code !== 'zodIssue') expect(ja).not.toBe(en);
  });

  it.each(problemCodes)('problem %s renders in both languages', (code) => {
    const { ja, en } = renderMessageBoth({ code, params: { line: 7, code: 'X-9', value: 5 } });
    expect(ja).toMatch(/[ぁ-んァ-ヶ一-龠]/u);
    expect(en).toMatch(/[a-z]{3} [a-z]{2}/u);
    expect(en).not.toBe(ja);
  });

  it('renders the problems of a held order one per line, in the reader’s language', () => {
    const ref: MessageRef = {
      code: 'orderHeld',
      params: {
        problems: [
          { code: 'paymentMethodNotMapped', params: { paymentMethodId: 'pm-1' } },
          {
            code: 'productNotFound',
            params: { line: 2, keyJa: '商品番号', keyEn: 'product code', code: 'A-1' },
          },
        ],
      },
    };
    const ja = renderMessage(ref, 'ja').split('\n');
    const en = renderMessage(ref, 'en').split('\n');
    expect(ja).toHaveLength(2);
    expect(ja[1]).toContain('2行目の商品番号「A-1」');
    expect(en[1]).toContain('No Smaregi product for product code "A-1" on line 2');
  });
});

describe('validation messages', () => {
  it('carry a code and the field, rendered per language', () => {
    const parsed = omsOrderSchema.safeParse({ orderCode: 'R-1', lines: [] });
    const refs = fieldErrorRefsOf(parsed.error!);
    const lines = refs.find((r) => r.path === 'lines');
    expect(lines?.message).toEqual({
      code: 'fieldTooFewItems',
      params: { field: { ja: '受注明細', en: 'Order lines', key: 'lines' }, min: 1 },
    });
    const rendered = fieldErrorsOf(parsed.error!).find((e) => e.path === 'lines');
    expect(rendered?.message).toEqual({
      ja: '受注明細は1件以上必要です',
      en: 'Order lines (lines) needs at least 1 item(s)',
    });
  });

  it("use zod's Japanese locale for a schema without labels", () => {
    const parsed = z.strictObject({ n: z.number().max(5) }).safeParse({ n: 9 });
    const [error] = fieldErrorsOf(parsed.error!);
    expect(error?.path).toBe('n');
    expect(error?.message.ja).toBe('大きすぎる値: numberは5以下である必要があります');
    expect(error?.message.en).toBe('Too big: expected number to be <=5');
  });
});
