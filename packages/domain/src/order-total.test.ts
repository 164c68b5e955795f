import { describe, expect, it } from 'vitest';
import { omsOrderSchema, type OmsOrderInput } from './order.js';
import { omsOrderTotal, orderTotalProblems } from './order-total.js';

const base: OmsOrderInput = {
  shopId: 'shop-1',
  orderNumber: 'R-1',
  orderedAt: '2026-12-01T10:00:00+09:00',
  paymentMethodId: 'pm-1',
  statusId: 'st-1',
  lines: [
    { productCode: 'A', name: 'A', unitPrice: 1000, quantity: 2 },
    { productCode: 'B', name: 'B', unitPrice: 500, quantity: 1 },
    { name: 'チラシ', unitPrice: 0, quantity: 1, isEnclosure: true },
  ],
};
const order = (over: Partial<OmsOrderInput>) => omsOrderSchema.parse({ ...base, ...over });

describe('omsOrderTotal: lines + fees + external tax + adjustment − discounts', () => {
  it.each<[string, Partial<OmsOrderInput>, number]>([
    ['lines only', {}, 2500],
    [
      '+ shipping, commission, gift wrap',
      { shippingFee: 600, commission: 330, giftWrapFee: 200 },
      3630,
    ],
    ['+ external tax', { externalTax: 250 }, 2750],
    ['+ positive adjustment', { adjustment: 100 }, 2600],
    ['+ negative adjustment', { adjustment: -300 }, 2200],
    ['− points and coupons', { pointUse: 100, coupon: 200, mallCoupon: 300 }, 1900],
    [
      'everything',
      { shippingFee: 600, externalTax: 250, adjustment: -50, pointUse: 100, mallCoupon: 200 },
      3000,
    ],
  ])('%s → %d', (_, over, expected) => {
    expect(omsOrderTotal(order(over))).toBe(expected);
  });
});

describe('orderTotalProblems', () => {
  it('no total sent: nothing to check', () => {
    expect(orderTotalProblems(order({}))).toEqual([]);
  });

  it('a total that adds up passes', () => {
    expect(orderTotalProblems(order({ shippingFee: 600, total: 3100 }))).toEqual([]);
  });

  it.each<[Partial<OmsOrderInput>, number]>([
    [{ total: 2600 }, 2500],
    [{ shippingFee: 600, total: 2500 }, 3100],
    [{ adjustment: -300, total: 2500 }, 2200],
  ])('%j is refused naming total (expected %d)', (over, expected) => {
    const problems = orderTotalProblems(order(over));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: 'totalMismatch',
      field: 'total',
      orderNumber: 'R-1',
      params: { given: over.total, expected },
    });
    expect(problems[0]?.message.ja).toContain(expected.toLocaleString('en-US'));
  });
});
