import { SMAREGI_MONEY_MAX } from '../limits.js';
import { isMoney, show, type ReportProblem, type UncheckedOrder } from './checks.js';
import type { PayloadShop, SmaregiOrderPayload } from './types.js';

/** OMS header money fields, their payload field and their names in both languages. */
const headerMoneyFields = [
  ['shippingFee', 'carriage', '送料', 'Shipping fee'],
  ['commission', 'commission', '手数料', 'Commission'],
  ['giftWrapFee', 'giftWrapPrice', 'ギフト包装料', 'Gift-wrap fee'],
  ['pointUse', 'totalPointDiscount', 'ポイント利用額', 'Point use'],
  ['coupon', 'totalCouponDiscount', 'クーポン値引き', 'Coupon discount'],
  ['mallCoupon', 'subtotalCouponDiscount', 'モールクーポン値引き', 'Mall coupon discount'],
  ['externalTax', 'taxExclude', '外税額', 'External tax'],
] as const;

/** The payload's header amounts that come straight from the OMS order (absent = 0). */
export type HeaderMoney = Pick<SmaregiOrderPayload, (typeof headerMoneyFields)[number][1]>;

/**
 * Reads the header amounts. `known` is false when one of them cannot go into the total, so that
 * the total is not judged on a wrong amount.
 */
export function readHeaderMoney(
  o: UncheckedOrder,
  shop: PayloadShop,
  report: ReportProblem,
): { money: HeaderMoney; known: boolean } {
  const money: HeaderMoney = {
    carriage: 0,
    commission: 0,
    giftWrapPrice: 0,
    totalPointDiscount: 0,
    totalCouponDiscount: 0,
    subtotalCouponDiscount: 0,
    taxExclude: 0,
  };
  let known = true;
  for (const [from, to, fieldJa, fieldEn] of headerMoneyFields) {
    const v = o[from] ?? 0;
    if (isMoney(v)) money[to] = v;
    else {
      report('amountInvalid', from, { fieldJa, fieldEn, value: show(v), max: SMAREGI_MONEY_MAX });
      known = false;
    }
  }
  // A 税込 shop's order store computes tax inside prices: external tax would be counted twice.
  if (shop.taxMode === 'included') {
    if (money.taxExclude > 0) {
      report('externalTaxOnTaxIncludedShop', 'externalTax', {
        shopName: shop.name,
        value: money.taxExclude,
      });
      known = false;
    }
    money.taxExclude = 0;
  }
  return { money, known };
}
