import { SMAREGI_MONEY_MAX } from '../limits.js';
import { isMoney, show, type ReportProblem } from './checks.js';
import type { HeaderMoney } from './header-money.js';

/**
 * Above this the goods sum may no longer be exact in a JavaScript number (each line is < 1e14, so
 * the sum stays exact below 1.1e15 < 2^53); such a total is far above Smaregi's maximum anyway.
 */
const GOODS_EXACT_LIMIT = 1e15;

/** What the total is made of. */
export interface TotalParts {
  /** Σ(salesPrice × quantity) over the lines, the positive adjustment included. */
  goods: number;
  money: HeaderMoney;
  /** `totalPromotionDiscount`: a negative adjustment's absolute value. */
  promotion: number;
}

/**
 * `total` = goods + taxExclude + carriage + commission + giftWrapPrice
 *   − (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount + totalPromotionDiscount).
 */
export function orderTotal({ goods, money, promotion }: TotalParts): number {
  const charges = money.taxExclude + money.carriage + money.commission + money.giftWrapPrice;
  const discounts =
    money.totalPointDiscount + money.totalCouponDiscount + money.subtotalCouponDiscount + promotion;
  return goods + charges - discounts;
}

/**
 * Checks the total: it must lie in 0..999,999,999, and an OMS total, when sent, must be the same
 * amount. The total is judged only when every amount that goes into it is `known`; otherwise a
 * broken amount would also show up as a confusing total problem.
 */
export function checkTotal(
  parts: TotalParts,
  givenTotal: unknown,
  known: boolean,
  report: ReportProblem,
): void {
  const total = orderTotal(parts);
  const overflow = parts.goods > GOODS_EXACT_LIMIT;
  if (known) {
    if (overflow || total > SMAREGI_MONEY_MAX)
      report('totalAboveMaximum', 'total', {
        total: overflow ? '>1,000,000,000,000,000' : total,
        max: SMAREGI_MONEY_MAX,
      });
    else if (total < 0) report('totalBelowZero', 'total', { total });
  }
  if (givenTotal === undefined || givenTotal === null) return;
  if (!isMoney(givenTotal))
    report('amountInvalid', 'total', {
      fieldJa: '請求金額',
      fieldEn: 'Order total',
      value: show(givenTotal),
      max: SMAREGI_MONEY_MAX,
    });
  else if (known && !overflow && givenTotal !== total)
    report('totalMismatch', 'total', { given: givenTotal, expected: total });
}
