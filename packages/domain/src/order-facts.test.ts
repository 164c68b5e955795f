import { describe, expect, it } from 'vitest';
import { CallPriority } from './call-priority.js';
import {
  FIXABLE_ELSEWHERE,
  shortLineIndexes,
  statusDecisionOrder,
  unsendableOutcome,
  type StoredOrderFacts,
} from './order-facts.js';
import { problemCodes, type ProblemCode } from './messages.js';

describe('unsendableOutcome', () => {
  it.each<[ProblemCode[], 'waiting' | 'failed']>([
    [['shopNotMapped'], 'waiting'],
    [['paymentMethodNotMapped', 'productNotFound'], 'waiting'],
    [['productAmbiguous', 'dummyProductCodeNotSet', 'adjustmentProductNotFound'], 'waiting'],
    // One problem in the order itself: the merchant must correct the order.
    [['productNotFound', 'quantityInvalid'], 'failed'],
    [[], 'failed'],
  ])('%j → %s', (codes, outcome) => {
    expect(unsendableOutcome(codes.map((code) => ({ code })))).toBe(outcome);
  });

  it('only names problem codes that exist', () => {
    for (const code of FIXABLE_ELSEWHERE) expect(problemCodes).toContain(code);
  });
});

describe('statusDecisionOrder', () => {
  const base: StoredOrderFacts = {
    orderNumber: 'R-1',
    statusId: 's-1',
    statusCategory: 'open',
    shippingDate: '2026-12-01',
    smaregiOrderHeadId: '77',
    syncState: 'registered',
    allocationStatus: 'partial',
    lines: [
      { lineNo: 2, quantity: 2, allocatedQuantity: 1, isEnclosure: false },
      { lineNo: 1, quantity: 1, allocatedQuantity: 1, isEnclosure: false },
      { lineNo: 3, quantity: 1, allocatedQuantity: 0, isEnclosure: true },
    ],
  };

  it.each<
    [string, Partial<StoredOrderFacts>, boolean, Partial<ReturnType<typeof statusDecisionOrder>>]
  >([
    [
      'a registered order, lines sorted by line number, enclosures not sent',
      {},
      false,
      {
        statusCategory: 'open',
        smaregiOrderHeadId: '77',
        smaregiStatus: null,
        allocation: 'partial',
        shortLineIndexes: [1],
      },
    ],
    ['enclosures sent', {}, true, { shortLineIndexes: [1, 2] }],
    ['cancelled in Smaregi', { syncState: 'canceled' }, false, { smaregiStatus: 'canceled' }],
    [
      'not registered yet',
      { smaregiOrderHeadId: null, allocationStatus: null, shippingDate: undefined },
      false,
      { smaregiOrderHeadId: null, allocation: null, shippingDate: null },
    ],
    ['an unknown allocation word', { allocationStatus: 'mostly' }, false, { allocation: null }],
    ['an unknown category', { statusCategory: 'archived' }, false, { statusCategory: 'open' }],
    ['a shipped status', { statusCategory: 'shipped' }, false, { statusCategory: 'shipped' }],
  ])('%s', (_name, patch, syncEnclosures, expected) => {
    expect(statusDecisionOrder({ ...base, ...patch }, syncEnclosures)).toMatchObject(expected);
  });

  it('leaves the short lines out when the lines were not loaded', () => {
    expect(statusDecisionOrder({ ...base, lines: null }, false)).not.toHaveProperty(
      'shortLineIndexes',
    );
  });

  it('counts a fully allocated order as short of nothing', () => {
    expect(
      shortLineIndexes(
        [{ lineNo: 1, quantity: 3, allocatedQuantity: 3, isEnclosure: false }],
        true,
      ),
    ).toEqual([]);
  });
});

describe('CallPriority', () => {
  it('puts orders before allocation before shipping before stock before products', () => {
    const p = CallPriority;
    expect(p.registerOrder).toBeGreaterThan(p.allocation);
    expect(p.allocation).toBeGreaterThan(p.shipping);
    expect(p.shipping).toBeGreaterThan(p.stock);
    expect(p.webhookReread).toBeGreaterThan(p.stock);
    expect(p.stock).toBeGreaterThan(p.products);
  });
});
