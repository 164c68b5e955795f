import {
  checkSmaregiProductCode,
  normalizeCode,
  ORDER_CODE_PROBLEMS,
  shopOrderCode,
} from './codes.js';
import { formatSmaregiDateTime, isIsoDate, parseOffsetDateTime } from './datetime.js';
import {
  SMAREGI_MONEY_MAX,
  SMAREGI_ORDER_CODE_MAX_LENGTH,
  SMAREGI_ORDER_DETAILS_MAX,
  SMAREGI_QUANTITY_MAX,
} from './limits.js';
import type { TaxMode } from './master-data.js';
import { problem, type MessageParams, type Problem, type ProblemCode } from './messages.js';
import type { OmsOrder } from './order.js';
import { resolveLineProduct, type ProductIndex, type SmaregiProductRef } from './product-index.js';
import type { IntegrationSettings } from './settings.js';

/*
 * OMS order -> Smaregi 受注登録 payload (POST /{contract}/order-shipment/orders, docs/smaregi-wire.md
 * §4.6, §11).
 *
 * Rules (README "Order registration" has the merchant-facing version):
 * - 封入物 lines are sent only when `syncEnclosures` is on.
 * - 調整額 > 0 becomes one extra line: the `adjustmentProductCode` product, quantity 1, price = the
 *   amount. 調整額 < 0 adds its absolute value to `totalPromotionDiscount`. 0 adds nothing.
 * - A line is resolved to its Smaregi product by 商品管理番号 when it has one (the SKU is what
 *   holds stock; a listed product's 商品番号 is shared by all its variations), otherwise by
 *   商品番号; there is no fall-back from an unknown management number to the product code, since
 *   that could book the wrong variation's stock. A line with neither uses `dummyProductCode`.
 * - The shop's mapped order store is `storeId`; the OMS payment method's mapped Smaregi payment
 *   method is `paymentMethodId`.
 * - 税別 shops send their external tax as `taxExclude`; a 税込 shop carrying external tax is a
 *   problem (its order store computes tax inside prices, so the amount would be counted twice).
 * - `total` = Σ(salesPrice × quantity) + taxExclude + carriage + commission + giftWrapPrice
 *   − (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount + totalPromotionDiscount),
 *   and must lie in 0..999,999,999; when the OMS sent its own total it must be the same amount.
 * - The order code is the shop's order-code prefix (if any) and the normalised order number,
 *   1..50 printable ASCII together.
 * - Every money field is an integer in 0..999,999,999, every quantity in 1..99,999.
 * The builder checks all of this itself, even on values typed as valid, and reports every problem
 * it finds at once. It never throws.
 */

/** One `details[]` line of the registration payload. */
export interface SmaregiOrderDetail {
  productId: string;
  productCode: string;
  productName: string;
  salesPrice: number;
  quantity: number;
}

/**
 * The body of Smaregi's order registration (field names exactly as docs/smaregi-wire.md §4.6, §11).
 */
export interface SmaregiOrderPayload {
  storeId: string;
  orderCode: string;
  orderDateTime: string;
  paymentMethodId: string;
  deliveryDate: string | null;
  carriage: number;
  commission: number;
  giftWrapPrice: number;
  totalPointDiscount: number;
  totalCouponDiscount: number;
  subtotalCouponDiscount: number;
  totalPromotionDiscount: number;
  taxExclude: number;
  total: number;
  details: SmaregiOrderDetail[];
}

/** Where a payload detail line came from: an OMS line (by index) or the positive adjustment. */
export type DetailSource = { kind: 'line'; lineIndex: number } | { kind: 'adjustment' };

/** The shop (店舗) as the payload needs it. */
export interface PayloadShop {
  id: string;
  name: string;
  taxMode: TaxMode;
  /** The mapped Smaregi 受注店舗 ID; null when not mapped. */
  orderStoreId: string | null;
  /** 受注番号の接頭辞: put before the order number in the Smaregi order code (none when absent). */
  orderCodePrefix?: string | null | undefined;
}

/** Everything besides the order that decides the payload. */
export interface OrderPayloadContext {
  settings: Pick<
    IntegrationSettings,
    'syncEnclosures' | 'adjustmentProductCode' | 'dummyProductCode'
  >;
  shop: PayloadShop;
  /** OMS payment method ID -> Smaregi `paymentMethodId` (null or absent = not mapped). */
  paymentMethods: ReadonlyMap<string, string | null>;
  products: ProductIndex;
}

/** Result of {@link buildSmaregiOrderPayload}. */
export type OrderPayloadResult =
  | { ok: true; payload: SmaregiOrderPayload; detailSources: DetailSource[] }
  | { ok: false; problems: Problem[] };

/** The product name Smaregi shows for the adjustment line. */
export const ADJUSTMENT_LINE_NAME = '調整額';

const isMoney = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= SMAREGI_MONEY_MAX;
const isQuantity = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= SMAREGI_QUANTITY_MAX;
const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));

/** OMS header money fields, their payload field and their names in both languages. */
const headerMoney = [
  ['shippingFee', 'carriage', '送料', 'Shipping fee'],
  ['commission', 'commission', '手数料', 'Commission'],
  ['giftWrapFee', 'giftWrapPrice', 'ギフト包装料', 'Gift-wrap fee'],
  ['pointUse', 'totalPointDiscount', 'ポイント利用額', 'Point use'],
  ['coupon', 'totalCouponDiscount', 'クーポン値引き', 'Coupon discount'],
  ['mallCoupon', 'subtotalCouponDiscount', 'モールクーポン値引き', 'Mall coupon discount'],
  ['externalTax', 'taxExclude', '外税額', 'External tax'],
] as const;

type ResolveFailure = { code: ProblemCode; field: string; params: MessageParams };

/**
 * Builds Smaregi's order registration payload from an OMS order, or lists every reason it cannot.
 * `detailSources[i]` says which OMS line (or the adjustment) `payload.details[i]` came from, so
 * that allocation results can be mapped back to the merchant's lines.
 */
export function buildSmaregiOrderPayload(
  order: OmsOrder,
  context: OrderPayloadContext,
): OrderPayloadResult {
  const o = (typeof order === 'object' && order !== null ? order : {}) as Partial<
    Record<keyof OmsOrder, unknown>
  >;
  const orderNumber = typeof o.orderNumber === 'string' ? o.orderNumber : '';
  const problems: Problem[] = [];
  const report = (
    code: ProblemCode,
    field: string,
    params: MessageParams = {},
    lineIndex?: number,
  ) => {
    problems.push(
      problem(
        code,
        lineIndex === undefined ? { orderNumber, field } : { orderNumber, field, lineIndex },
        params,
      ),
    );
  };
  if (typeof order !== 'object' || order === null) {
    report('orderMalformed', '');
    return { ok: false, problems };
  }
  const { settings, shop, paymentMethods, products } = context;

  // Shop and order store.
  if (o.shopId !== shop.id)
    report('shopMismatch', 'shopId', { orderShopId: show(o.shopId), shopId: shop.id });
  const storeId = shop.orderStoreId;
  if (storeId === null || storeId === '')
    report('shopNotMapped', 'shopId', { shopName: shop.name });

  // Order code.
  const code = shopOrderCode(shop.orderCodePrefix, o.orderNumber);
  if (!code.ok) {
    report(ORDER_CODE_PROBLEMS[code.reason], 'orderNumber', {
      orderCode: code.code,
      max: SMAREGI_ORDER_CODE_MAX_LENGTH,
    });
  }

  // Dates.
  const orderedAtMs = parseOffsetDateTime(o.orderedAt);
  if (orderedAtMs === null) report('orderedAtInvalid', 'orderedAt', { value: show(o.orderedAt) });
  const deliveryDate = o.deliveryDate ?? null;
  if (deliveryDate !== null && !isIsoDate(deliveryDate))
    report('deliveryDateInvalid', 'deliveryDate', {
      fieldJa: '配達希望日',
      fieldEn: 'Delivery date',
      value: show(deliveryDate),
    });

  // Payment method.
  let paymentMethodId: string | null = null;
  if (typeof o.paymentMethodId !== 'string' || o.paymentMethodId === '')
    report('paymentMethodMissing', 'paymentMethodId');
  else {
    paymentMethodId = paymentMethods.get(o.paymentMethodId) ?? null;
    if (paymentMethodId === null || paymentMethodId === '')
      report('paymentMethodNotMapped', 'paymentMethodId', { paymentMethodId: o.paymentMethodId });
  }

  // Header money.
  const money: Record<(typeof headerMoney)[number][1], number> = {
    carriage: 0,
    commission: 0,
    giftWrapPrice: 0,
    totalPointDiscount: 0,
    totalCouponDiscount: 0,
    subtotalCouponDiscount: 0,
    taxExclude: 0,
  };
  // The total is only judged when every amount that goes into it is known; otherwise a broken
  // amount would also show up as a confusing total problem.
  let amountsKnown = true;
  for (const [from, to, fieldJa, fieldEn] of headerMoney) {
    const v = o[from] ?? 0;
    if (isMoney(v)) money[to] = v;
    else {
      report('amountInvalid', from, { fieldJa, fieldEn, value: show(v), max: SMAREGI_MONEY_MAX });
      amountsKnown = false;
    }
  }
  if (shop.taxMode === 'included') {
    if (money.taxExclude > 0) {
      report('externalTaxOnTaxIncludedShop', 'externalTax', {
        shopName: shop.name,
        value: money.taxExclude,
      });
      amountsKnown = false;
    }
    money.taxExclude = 0;
  }

  // Adjustment.
  const adjustment = o.adjustment ?? 0;
  let promotion = 0;
  let adjustmentRef: SmaregiProductRef | null = null;
  if (
    typeof adjustment !== 'number' ||
    !Number.isSafeInteger(adjustment) ||
    Math.abs(adjustment) > SMAREGI_MONEY_MAX
  ) {
    report('adjustmentInvalid', 'adjustment', { value: show(adjustment), max: SMAREGI_MONEY_MAX });
    amountsKnown = false;
  } else if (adjustment < 0) {
    promotion = -adjustment;
  } else if (adjustment > 0) {
    const setting = settings.adjustmentProductCode;
    if (setting === null || setting === '')
      report('adjustmentProductCodeNotSet', 'settings.adjustmentProductCode', {
        value: adjustment,
      });
    else {
      const refs = products.byProductCode(normalizeCode(setting));
      if (refs.length !== 1 || refs[0] === undefined)
        report('adjustmentProductNotFound', 'settings.adjustmentProductCode', { code: setting });
      else adjustmentRef = refs[0];
    }
  }

  // Lines.
  const details: SmaregiOrderDetail[] = [];
  const detailSources: DetailSource[] = [];
  let goods = 0;
  let goodsOverflow = false;
  const addAmount = (price: number, quantity: number) => {
    goods += price * quantity;
    // Each product is < 1e14, so the running sum stays exact below 1.1e15 < 2^53; beyond that the
    // total is far above Smaregi's maximum anyway.
    if (goods > 1e15) goodsOverflow = true;
  };
  const lines: unknown[] = Array.isArray(o.lines) ? o.lines : [];
  if (!Array.isArray(o.lines)) {
    report('orderMalformed', 'lines');
    amountsKnown = false;
  }
  lines.forEach((raw, lineIndex) => {
    const lineNo = lineIndex + 1;
    const at = (f: string) => `lines.${lineIndex}.${f}`;
    if (typeof raw !== 'object' || raw === null) {
      report('lineMalformed', `lines.${lineIndex}`, { line: lineNo }, lineIndex);
      amountsKnown = false;
      return;
    }
    const line = raw as Record<string, unknown>;
    if (line.isEnclosure === true && !settings.syncEnclosures) return;
    let valid = true;
    const name = typeof line.name === 'string' ? line.name.trim() : '';
    if (name === '') {
      report('lineNameMissing', at('name'), { line: lineNo }, lineIndex);
      valid = false;
    }
    if (!isMoney(line.unitPrice)) {
      report(
        'unitPriceInvalid',
        at('unitPrice'),
        { line: lineNo, value: show(line.unitPrice), max: SMAREGI_MONEY_MAX },
        lineIndex,
      );
      valid = false;
    }
    if (!isQuantity(line.quantity)) {
      report(
        'quantityInvalid',
        at('quantity'),
        { line: lineNo, value: show(line.quantity), max: SMAREGI_QUANTITY_MAX },
        lineIndex,
      );
      valid = false;
    }
    const resolved = resolveLine(line, lineNo, settings.dummyProductCode, products);
    if ('code' in resolved) {
      report(resolved.code, resolved.field, resolved.params, lineIndex);
      valid = false;
    } else {
      const check = checkSmaregiProductCode(resolved.productCode);
      if (!check.ok) {
        report('productCodeInvalid', at('productCode'), { code: resolved.productCode }, lineIndex);
        valid = false;
      }
    }
    if (isMoney(line.unitPrice) && isQuantity(line.quantity))
      addAmount(line.unitPrice, line.quantity);
    else amountsKnown = false;
    if (!valid || 'code' in resolved) return;
    const price = line.unitPrice as number;
    const quantity = line.quantity as number;
    details.push({
      productId: resolved.productId,
      productCode: resolved.productCode,
      productName: name,
      salesPrice: price,
      quantity,
    });
    detailSources.push({ kind: 'line', lineIndex });
  });
  if (typeof adjustment === 'number' && Number.isSafeInteger(adjustment) && adjustment > 0)
    addAmount(adjustment, 1);
  if (adjustmentRef !== null && typeof adjustment === 'number' && adjustment > 0) {
    details.push({
      productId: adjustmentRef.productId,
      productCode: adjustmentRef.productCode,
      productName: ADJUSTMENT_LINE_NAME,
      salesPrice: adjustment,
      quantity: 1,
    });
    detailSources.push({ kind: 'adjustment' });
  }
  const hasLineProblem = problems.some((p) => p.lineIndex !== undefined);
  if (details.length === 0 && !hasLineProblem && Array.isArray(o.lines)) report('noLines', 'lines');
  if (details.length > SMAREGI_ORDER_DETAILS_MAX)
    report('tooManyLines', 'lines', { count: details.length, max: SMAREGI_ORDER_DETAILS_MAX });

  // Total.
  const total =
    goods +
    money.taxExclude +
    money.carriage +
    money.commission +
    money.giftWrapPrice -
    (money.totalPointDiscount +
      money.totalCouponDiscount +
      money.subtotalCouponDiscount +
      promotion);
  if (amountsKnown) {
    if (goodsOverflow || total > SMAREGI_MONEY_MAX)
      report('totalAboveMaximum', 'total', {
        total: goodsOverflow ? '>1,000,000,000,000,000' : total,
        max: SMAREGI_MONEY_MAX,
      });
    else if (total < 0) report('totalBelowZero', 'total', { total });
  }
  if (o.total !== undefined && o.total !== null) {
    if (!isMoney(o.total))
      report('amountInvalid', 'total', {
        fieldJa: '請求金額',
        fieldEn: 'Order total',
        value: show(o.total),
        max: SMAREGI_MONEY_MAX,
      });
    else if (amountsKnown && !goodsOverflow && o.total !== total)
      report('totalMismatch', 'total', { given: o.total, expected: total });
  }
  if (
    problems.length > 0 ||
    storeId === null ||
    paymentMethodId === null ||
    !code.ok ||
    orderedAtMs === null
  )
    return { ok: false, problems };

  return {
    ok: true,
    payload: {
      storeId,
      orderCode: code.code,
      orderDateTime: formatSmaregiDateTime(orderedAtMs),
      paymentMethodId,
      deliveryDate: deliveryDate as string | null,
      carriage: money.carriage,
      commission: money.commission,
      giftWrapPrice: money.giftWrapPrice,
      totalPointDiscount: money.totalPointDiscount,
      totalCouponDiscount: money.totalCouponDiscount,
      subtotalCouponDiscount: money.subtotalCouponDiscount,
      totalPromotionDiscount: promotion,
      taxExclude: money.taxExclude,
      total,
      details,
    },
    detailSources,
  };
}

/** The key a line is resolved by, in the merchant's words. */
const keyNames = {
  managementNumber: { keyJa: '商品管理番号', keyEn: 'management number' },
  productCode: { keyJa: '商品番号', keyEn: 'product code' },
} as const;

function resolveLine(
  line: Record<string, unknown>,
  lineNo: number,
  dummyProductCode: string | null,
  products: ProductIndex,
): SmaregiProductRef | ResolveFailure {
  const r = resolveLineProduct(products, line);
  if (r.status === 'found') return r.ref;
  if (r.status !== 'noCodes')
    return {
      code: r.status === 'notFound' ? 'productNotFound' : 'productAmbiguous',
      field: `lines.${lineNo - 1}.${r.via}`,
      params: { line: lineNo, code: r.key, ...keyNames[r.via] },
    };
  if (dummyProductCode === null || dummyProductCode === '')
    return {
      code: 'dummyProductCodeNotSet',
      field: 'settings.dummyProductCode',
      params: { line: lineNo },
    };
  const refs = products.byProductCode(normalizeCode(dummyProductCode));
  if (refs.length === 1 && refs[0] !== undefined) return refs[0];
  return {
    code: 'dummyProductNotFound',
    field: 'settings.dummyProductCode',
    params: { code: dummyProductCode },
  };
}
