import { formatSmaregiDateTime } from './datetime.js';
import type { OmsOrder } from './order.js';
import { readAdjustment } from './order-payload/adjustment.js';
import { problemList, type UncheckedOrder } from './order-payload/checks.js';
import { checkDetailCount, readDetailLines } from './order-payload/detail-lines.js';
import { readHeaderMoney } from './order-payload/header-money.js';
import {
  readOrderCode,
  readOrderDates,
  readOrderStore,
  readPaymentMethod,
} from './order-payload/order-header.js';
import { checkTotal, orderTotal } from './order-payload/total.js';
import type { OrderPayloadContext, OrderPayloadResult } from './order-payload/types.js';

export { ADJUSTMENT_LINE_NAME } from './order-payload/adjustment.js';
export type {
  DetailSource,
  DetailSourceKind,
  OrderPayloadContext,
  OrderPayloadResult,
  PayloadShop,
  SmaregiOrderDetail,
  SmaregiOrderPayload,
} from './order-payload/types.js';

/*
 * OMS order -> Smaregi 受注登録 payload (POST /{contract}/order-shipment/orders, docs/smaregi-wire.md
 * §4.6, §11).
 *
 * Rules (README "Order registration" has the merchant-facing version), each in its own step under
 * order-payload/:
 * - order-header.ts: the shop's mapped order store is `storeId`; the order code is the shop's
 *   order-code prefix (if any) and the normalised order number, 1..50 printable ASCII together;
 *   the OMS payment method's mapped Smaregi payment method is `paymentMethodId`.
 * - header-money.ts: 税別 shops send their external tax as `taxExclude`; a 税込 shop carrying
 *   external tax is a problem (its order store computes tax inside prices, so the amount would be
 *   counted twice).
 * - adjustment.ts: 調整額 > 0 becomes one extra line: the `adjustmentProductCode` product,
 *   quantity 1, price = the amount. 調整額 < 0 adds its absolute value to `totalPromotionDiscount`.
 *   0 adds nothing.
 * - detail-lines.ts: 封入物 lines are sent only when `syncEnclosures` is on.
 * - line-product.ts: a line is resolved to its Smaregi product by 商品管理番号 when it has one (the
 *   SKU is what holds stock; a listed product's 商品番号 is shared by all its variations),
 *   otherwise by 商品番号; there is no fall-back from an unknown management number to the product
 *   code, since that could book the wrong variation's stock. A line with neither uses
 *   `dummyProductCode`.
 * - total.ts: `total` = Σ(salesPrice × quantity) + taxExclude + carriage + commission +
 *   giftWrapPrice − (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount +
 *   totalPromotionDiscount), and must lie in 0..999,999,999; when the OMS sent its own total it
 *   must be the same amount.
 * - Every money field is an integer in 0..999,999,999, every quantity in 1..99,999 (checks.ts).
 * The builder checks all of this itself, even on values typed as valid, and reports every problem
 * it finds at once. It never throws.
 */

/**
 * Builds Smaregi's order registration payload from an OMS order, or lists every reason it cannot.
 * `detailSources[i]` says where `payload.details[i]` came from (an OMS line, a 封入物 line, the
 * ダミー商品 for a line without codes, or the 調整額), so that the merchant can read the payload
 * and allocation results can be mapped back to the merchant's lines. It is never sent.
 */
export function buildSmaregiOrderPayload(
  order: OmsOrder,
  context: OrderPayloadContext,
): OrderPayloadResult {
  const isObject = typeof order === 'object' && order !== null;
  const o: UncheckedOrder = isObject ? order : {};
  const { problems, report } = problemList(typeof o.orderNumber === 'string' ? o.orderNumber : '');
  if (!isObject) {
    report('orderMalformed', '');
    return { ok: false, problems };
  }
  const { settings, shop, paymentMethods, products } = context;

  // The steps report in this order, so the merchant reads the header's problems first.
  const storeId = readOrderStore(o, shop, report);
  const orderCode = readOrderCode(o, shop, report);
  const { orderedAtMs, deliveryDate } = readOrderDates(o, report);
  const paymentMethodId = readPaymentMethod(o, paymentMethods, report);
  const header = readHeaderMoney(o, shop, report);
  const adjustment = readAdjustment(o.adjustment, settings, products, report);
  const lines = readDetailLines(o.lines, settings, products, report);

  // The adjustment line comes after the merchant's lines.
  const sourced = adjustment.line === null ? lines.lines : [...lines.lines, adjustment.line];
  if (lines.listed) {
    const hasLineProblem = problems.some((p) => p.lineIndex !== undefined);
    checkDetailCount(sourced.length, hasLineProblem, report);
  }
  const totalParts = {
    goods: lines.goods + adjustment.lineAmount,
    money: header.money,
    promotion: adjustment.promotion,
  };
  const amountsKnown = header.known && adjustment.known && lines.known;
  checkTotal(totalParts, o.total, amountsKnown, report);

  if (
    problems.length > 0 ||
    storeId === null ||
    orderCode === null ||
    orderedAtMs === null ||
    paymentMethodId === null
  )
    return { ok: false, problems };
  return {
    ok: true,
    payload: {
      storeId,
      orderCode,
      orderDateTime: formatSmaregiDateTime(orderedAtMs),
      paymentMethodId,
      deliveryDate,
      carriage: header.money.carriage,
      commission: header.money.commission,
      giftWrapPrice: header.money.giftWrapPrice,
      totalPointDiscount: header.money.totalPointDiscount,
      totalCouponDiscount: header.money.totalCouponDiscount,
      subtotalCouponDiscount: header.money.subtotalCouponDiscount,
      totalPromotionDiscount: adjustment.promotion,
      taxExclude: header.money.taxExclude,
      total: orderTotal(totalParts),
      details: sourced.map((s) => s.detail),
    },
    detailSources: sourced.map((s) => s.source),
  };
}
