import { problem, type Problem } from './messages.js';
import type { OmsOrder } from './order.js';

/*
 * The order's own arithmetic (請求金額): what the OMS charges is its lines, fees and adjustment
 * less its discounts. An order whose `total` does not add up is wrong in itself (a price or a fee
 * was typed wrong), so the intake refuses it naming `total`, like any other content error, and
 * the OMS sends it again corrected; Renkei never guesses which amount is the wrong one.
 */

/**
 * Σ(単価 × 数量) over every line + 送料 + 手数料 + ギフト包装料 + 外税額 + 調整額
 * − (ポイント利用額 + クーポン値引き + モールクーポン値引き).
 */
export function omsOrderTotal(
  order: Pick<
    OmsOrder,
    | 'lines'
    | 'shippingFee'
    | 'commission'
    | 'giftWrapFee'
    | 'externalTax'
    | 'adjustment'
    | 'pointUse'
    | 'coupon'
    | 'mallCoupon'
  >,
): number {
  const goods = order.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  return (
    goods +
    order.shippingFee +
    order.commission +
    order.giftWrapFee +
    order.externalTax +
    order.adjustment -
    (order.pointUse + order.coupon + order.mallCoupon)
  );
}

/**
 * The problem of an order whose given `total` is not {@link omsOrderTotal} (none when the OMS sent
 * no total, or when it adds up). Field `total`.
 */
export function orderTotalProblems(order: OmsOrder): Problem[] {
  if (order.total === undefined) return [];
  const expected = omsOrderTotal(order);
  if (order.total === expected) return [];
  return [
    problem(
      'totalMismatch',
      { orderNumber: order.orderNumber, field: 'total' },
      { given: order.total, expected },
    ),
  ];
}
