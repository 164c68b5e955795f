import { describe, expect, it } from 'vitest';
import { isSmaregiApiError } from './errors.js';
import {
  parseWebhookEvent,
  storedWebhookHeaders,
  verifyWebhookSecret,
  webhookBodyKey,
} from './webhooks.js';

const secret = { headerName: 'X-Renkei-Secret', secret: 's3cret-value' };

function headers(event: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'smaregi-event': event,
    'smaregi-contract-id': 'sb_demo',
    'smaregi-event-id': '1e7c5a0e-d903-4247-82da-ce92fb4764ba',
    'x-renkei-secret': 's3cret-value',
    ...extra,
  };
}

describe('verifyWebhookSecret', () => {
  it('accepts the right secret in any header spelling (Node object or fetch Headers)', () => {
    expect(verifyWebhookSecret(headers('pos:stock'), secret)).toBe(true);
    expect(verifyWebhookSecret(new Headers(headers('pos:stock')), secret)).toBe(true);
    expect(verifyWebhookSecret({ 'X-RENKEI-SECRET': ['s3cret-value'] }, secret)).toBe(true);
  });
  it.each([['s3cret-valuf'], ['s3cret-value '], [''], ['s3cret-value-longer-than-expected']])(
    'rejects %j',
    (value) => {
      expect(verifyWebhookSecret({ 'x-renkei-secret': value }, secret)).toBe(false);
    },
  );
  it('rejects a missing header and refuses an empty configured secret', () => {
    expect(verifyWebhookSecret({}, secret)).toBe(false);
    expect(() => verifyWebhookSecret({}, { headerName: 'x', secret: '' })).toThrow(
      /secret is empty/,
    );
  });
});

describe('parseWebhookEvent', () => {
  it('parses pos:stock with the event ID for deduplication', () => {
    const event = parseWebhookEvent(
      headers('pos:stock'),
      JSON.stringify({
        contractId: 'sb_demo',
        event: 'pos:stock',
        action: 'edited',
        ids: [{ id: '501', productId: '8000001', storeId: '1' }],
      }),
    );
    expect(event).toEqual({
      eventId: '1e7c5a0e-d903-4247-82da-ce92fb4764ba',
      eventIdFromBody: false,
      contractId: 'sb_demo',
      type: 'pos:stock',
      action: 'edited',
      ids: [{ id: '501', productId: '8000001', storeId: '1' }],
    });
  });

  it('parses order-shipment:orders, pos:products and AppSubscription from Buffers and objects', () => {
    const orders = parseWebhookEvent(
      headers('order-shipment:orders'),
      Buffer.from(
        JSON.stringify({
          contractId: 'sb_demo',
          event: 'order-shipment:orders',
          action: 'shipped',
          storeId: '23',
          orderHeadIds: ['111', '222'],
        }),
      ),
    );
    expect(orders).toMatchObject({
      type: 'order-shipment:orders',
      action: 'shipped',
      storeId: '23',
      orderHeadIds: ['111', '222'],
    });
    const products = parseWebhookEvent(headers('pos:products'), {
      contractId: 'sb_demo',
      event: 'pos:products',
      action: 'created',
      productIds: ['8000001'],
    });
    expect(products).toMatchObject({ type: 'pos:products', productIds: ['8000001'] });
    const subscription = parseWebhookEvent(headers('AppSubscription'), {
      contractId: 'sb_demo',
      event: 'AppSubscription',
      action: 'start',
      date: '2026-01-01',
      clientId: 'renkei',
      plan: { name: 'スタンダードプラン' },
      options: [],
    });
    expect(subscription).toMatchObject({
      type: 'AppSubscription',
      action: 'start',
      clientId: 'renkei',
    });
  });

  it('returns unknown events as unknown instead of failing', () => {
    const event = parseWebhookEvent(headers('pos:transactions'), {
      contractId: 'sb_demo',
      event: 'pos:transactions',
      action: 'created',
      transactionHeadIds: ['25'],
    });
    expect(event).toMatchObject({ type: 'unknown', event: 'pos:transactions' });
  });

  it('accepts a delivery without Smaregi-Event-Id, keyed by a hash of the body as received', () => {
    const body = JSON.stringify({
      contractId: 'sb_demo',
      event: 'pos:stock',
      action: 'edited',
      ids: [{ id: '502', productId: '8000001', storeId: '1' }],
    });
    const event = parseWebhookEvent(headers('pos:stock', { 'smaregi-event-id': '' }), body);
    expect(event).toMatchObject({ type: 'pos:stock', eventIdFromBody: true });
    expect(event.eventId).toMatch(/^body-sha256:[0-9a-f]{64}$/);
    expect(event.eventId).toBe(webhookBodyKey(Buffer.from(body)));
    // The same body again is the same key; another body another key.
    expect(parseWebhookEvent({ 'smaregi-event': 'pos:stock' }, body).eventId).toBe(event.eventId);
    expect(
      parseWebhookEvent({ 'smaregi-event': 'pos:stock' }, body.replace('502', '503')).eventId,
    ).not.toBe(event.eventId);
  });

  it.each([
    ['a contract mismatch', {}, { contractId: 'sb_other' }, 'contractId'],
    ['a malformed known body', {}, { ids: 'nope' }, 'ids'],
  ])('rejects %s naming the field', (_label, extraHeaders, bodyPatch, path) => {
    const body = {
      contractId: 'sb_demo',
      event: 'pos:stock',
      action: 'edited',
      ids: [],
      ...bodyPatch,
    };
    try {
      parseWebhookEvent(headers('pos:stock', extraHeaders), body);
      throw new Error('expected a failure');
    } catch (error) {
      expect(isSmaregiApiError(error) && error.kind).toBe('invalid_request');
      expect(isSmaregiApiError(error) && error.inputIssues?.[0]?.path).toBe(path);
    }
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseWebhookEvent(headers('pos:stock'), '{oops')).toThrow(/not JSON/);
  });
});

describe('storedWebhookHeaders', () => {
  it('parses a delivery kept without its headers exactly as it arrived', () => {
    const body = {
      contractId: 'sb_demo',
      event: 'pos:products',
      action: 'created',
      productIds: ['8'],
    };
    const arrived = parseWebhookEvent(headers('pos:products'), body);
    const stored = storedWebhookHeaders({
      eventId: '1e7c5a0e-d903-4247-82da-ce92fb4764ba',
      event: 'pos:products',
      contractId: 'sb_demo',
    });
    expect(parseWebhookEvent(stored, JSON.stringify(body))).toEqual(arrived);
  });
});
