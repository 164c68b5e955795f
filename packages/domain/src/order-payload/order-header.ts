import { ORDER_CODE_PROBLEMS, shopOrderCode, type CodeCheck } from '../codes.js';
import { isIsoDate, parseOffsetDateTime } from '../datetime.js';
import { SMAREGI_ORDER_CODE_MAX_LENGTH } from '../limits.js';
import { show, type ReportProblem, type UncheckedOrder } from './checks.js';
import type { OrderPayloadContext, PayloadShop } from './types.js';

/*
 * The header of the payload that is not money: which order store, which order code, which dates,
 * which payment method. Each reader reports what is wrong and gives null when the value is unusable.
 */

/** The shop's mapped Smaregi 受注店舗, once the order is known to belong to that shop. */
export function readOrderStore(
  o: UncheckedOrder,
  shop: PayloadShop,
  report: ReportProblem,
): string | null {
  if (o.shopId !== shop.id)
    report('shopMismatch', 'shopId', { orderShopId: show(o.shopId), shopId: shop.id });
  const storeId = shop.orderStoreId;
  if (storeId === null || storeId === '') {
    report('shopNotMapped', 'shopId', { shopName: shop.name });
    return null;
  }
  return storeId;
}

/** The Smaregi order code: the shop's prefix and the normalised order number. */
export function readOrderCode(
  o: UncheckedOrder,
  shop: PayloadShop,
  report: ReportProblem,
): string | null {
  const code: CodeCheck = shopOrderCode(shop.orderCodePrefix, o.orderNumber);
  if (code.ok) return code.code;
  report(ORDER_CODE_PROBLEMS[code.reason], 'orderNumber', {
    orderCode: code.code,
    max: SMAREGI_ORDER_CODE_MAX_LENGTH,
  });
  return null;
}

/** The order date-time (as epoch milliseconds) and the 配達希望日, when there is one. */
export function readOrderDates(
  o: UncheckedOrder,
  report: ReportProblem,
): { orderedAtMs: number | null; deliveryDate: string | null } {
  const orderedAtMs = parseOffsetDateTime(o.orderedAt);
  if (orderedAtMs === null) report('orderedAtInvalid', 'orderedAt', { value: show(o.orderedAt) });
  const deliveryDate = o.deliveryDate ?? null;
  if (deliveryDate === null || isIsoDate(deliveryDate)) return { orderedAtMs, deliveryDate };
  report('deliveryDateInvalid', 'deliveryDate', {
    fieldJa: '配達希望日',
    fieldEn: 'Delivery date',
    value: show(deliveryDate),
  });
  return { orderedAtMs, deliveryDate: null };
}

/** The Smaregi payment method the OMS payment method is mapped to. */
export function readPaymentMethod(
  o: UncheckedOrder,
  paymentMethods: OrderPayloadContext['paymentMethods'],
  report: ReportProblem,
): string | null {
  if (typeof o.paymentMethodId !== 'string' || o.paymentMethodId === '') {
    report('paymentMethodMissing', 'paymentMethodId');
    return null;
  }
  const paymentMethodId = paymentMethods.get(o.paymentMethodId) ?? null;
  if (paymentMethodId === null || paymentMethodId === '') {
    report('paymentMethodNotMapped', 'paymentMethodId', { paymentMethodId: o.paymentMethodId });
    return null;
  }
  return paymentMethodId;
}
