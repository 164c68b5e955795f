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
  orderReceived: { params: { orderNumber: 'R-1', source: 'csv' }, shows: ['R-1', 'csv'] },
  orderUpdated: {
    params: { orderNumber: 'R-1', fields: 'status, shippingDate' },
    shows: ['R-1', 'status, shippingDate'],
  },
  orderStatusChanged: {
    params: { orderNumber: 'R-1', status: '出荷待ち' },
    shows: ['R-1', '出荷待ち'],
  },
  orderRetryRequested: {
    params: { orderNumber: 'R-1', actor: 'owner@example.jp' },
    shows: ['R-1', 'owner@example.jp'],
  },
  orderRegistered: {
    params: { orderNumber: 'R-1', orderHeadId: '812', orderCode: 'RT-R-1' },
    shows: ['R-1', '812', 'RT-R-1'],
  },
  orderRegistrationRefused: {
    params: { orderNumber: 'R-1', reason: 'HTTP 400' },
    shows: ['R-1', 'HTTP 400'],
  },
  orderRetryLater: { params: { orderNumber: 'R-1', reason: 'timeout' }, shows: ['R-1', 'timeout'] },
  orderActionSkipped: {
    params: {
      orderNumber: 'R-1',
      action: 'queueBulkShipping',
      reason: 'notFullyAllocated',
      lines: [2],
    },
    shows: ['R-1', '2'],
  },
  orderWaitingIntegrationStopped: { params: { orderNumber: 'R-1' }, shows: ['R-1'] },
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
    params: {
      orderNumber: 'R-1',
      problems: [{ code: 'dummyProductCodeNotSet', params: { line: 3 } }],
    },
    shows: ['R-1', '3'],
  },
  orderInvalid: {
    params: {
      orderNumber: 'R-1',
      problems: [{ code: 'orderCodeTooLong', params: { orderCode: 'ABC', max: 9 } }],
    },
    shows: ['R-1', 'ABC', '9'],
  },
  orderAllocationInquired: {
    params: { orderNumber: 'R-1', allocationStatus: 'partial' },
    shows: ['R-1', 'partial'],
  },
  orderAllocationInquiryFailed: {
    params: { orderNumber: 'R-1', reason: 'timeout' },
    shows: ['R-1', 'timeout'],
  },
  orderAllocatedStatus: {
    params: { orderNumber: 'R-1', from: '受付', to: '引当済' },
    shows: ['R-1', '受付', '引当済'],
  },
  orderAllocationShort: { params: { orderNumber: 'R-1', lines: [2, 5] }, shows: ['R-1', '2, 5'] },
  orderShippingQueued: {
    params: { orderNumber: 'R-1', shippingDate: '2026-12-01' },
    shows: ['R-1', '2026-12-01'],
  },
  orderShippingRefused: {
    params: { orderNumber: 'R-1', reason: 'closed' },
    shows: ['R-1', 'closed'],
  },
  orderShipped: { params: { orderNumber: 'R-1', status: '出荷済' }, shows: ['R-1', '出荷済'] },
  orderCanceled: { params: { orderNumber: 'R-1', released: 4 }, shows: ['R-1', '4'] },
  orderCancelSent: { params: { orderNumber: 'R-1', released: 3 }, shows: ['R-1', '3'] },
  orderCancelRefused: {
    params: { orderNumber: 'R-1', reason: '出荷済みの受注はキャンセルできません (HTTP 400)' },
    shows: ['出荷済みの受注はキャンセルできません (HTTP 400)'],
  },
  orderCancelRetry: {
    params: { orderNumber: 'R-1', reason: 'timeout' },
    shows: ['R-1', 'timeout'],
  },
  orderWithdrawn: {
    params: { orderNumber: 'R-1', status: 'キャンセル' },
    shows: ['R-1', 'キャンセル'],
  },
  orderReinstated: {
    params: { orderNumber: 'R-1', status: '新規受付' },
    shows: ['R-1', '新規受付'],
  },
  autoAllocationNotSet: { params: { shopName: '楽天市場店' }, shows: ['楽天市場店'] },
  productImportRequested: { params: { actor: 'admin' }, shows: ['admin'] },
  productImported: { params: { processed: 12, created: 5, updated: 7 }, shows: ['12', '5', '7'] },
  productImportSyncOff: { params: {}, shows: [] },
  productImportCanceled: {
    params: { actor: 'admin', processed: 2000 },
    shows: ['admin', '2000'],
  },
  productsFollowedSmaregi: { params: { created: 2, updated: 3 }, shows: ['2', '3'] },
  productChangeNotTaken: { params: { productIds: '8001,8002' }, shows: ['8001,8002'] },
  productCodeTaken: {
    params: {
      productCode: 'A-1',
      productName: 'Tシャツ',
      smaregiProductId: '8001',
      otherSmaregiProductId: '8002',
    },
    shows: ['A-1', 'Tシャツ', '8001', '8002'],
  },
  stockDriftCorrected: {
    params: {
      productCode: 'A-1',
      productName: 'Tシャツ',
      storeId: '1',
      source: 'webhook',
      renkeiAmount: 5,
      smaregiAmount: 3,
    },
    shows: ['A-1', 'Tシャツ', '5', '3'],
  },
  stockReconciled: {
    params: { products: 30, drifts: 2, allocationSource: 'renkeiOrders' },
    shows: ['30', '2', 'Renkei'],
  },
  stockSourceUnavailable: { params: {}, shows: ['404'] },
  stockRecomputed: {
    params: { products: 120, orders: 4, changed: ['effectiveStockMode'] },
    shows: ['120', '4', '有効在庫数計算設定'],
  },
  stockRecomputeFailed: { params: { reason: 'HTTP 503' }, shows: ['HTTP 503'] },
  warehouseNotSet: { params: { shopName: 'Yahoo店' }, shows: ['Yahoo店'] },
  connectionTokenRefused: { params: { reason: 'invalid_grant' }, shows: ['invalid_grant'] },
  connectionSubscriptionEnded: { params: { destroyed: 2 }, shows: ['2'] },
  connectionForceStopped: { params: { destroyed: 1 }, shows: ['1'] },
  connectionNoticeUnconfirmed: { params: { action: 'end' }, shows: ['end'] },
  webhookEndpointFailing: {
    params: { url: 'https://oms.example.com/hooks', hours: 24, lastError: 'HTTP 500' },
    shows: ['https://oms.example.com/hooks', '24', 'HTTP 500'],
  },
  webhookEndpointRecovered: {
    params: { url: 'https://oms.example.com/hooks' },
    shows: ['https://oms.example.com/hooks'],
  },
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
        orderNumber: 'R-1',
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
