/**
 * zod schemas of the 受注管理 (order-shipment) API.
 *
 * MODELED (docs/smaregi-wire.md §11): Smaregi has not published these shapes except
 * the 受注店舗 object, the order-registration header fields and the total formula. Everything else
 * here (order object, statuses, details, allocation, bulk shipping, allocation-aware stock) is
 * Renkei's model, shared with the simulator. When the official spec is available, this file and
 * `resources/order-shipment-modeled.ts` (with `resources/order-code-lookup.ts`) are the only places
 * to change.
 *
 * Money and quantities are JSON integers, flags booleans, IDs strings.
 */
import { z } from 'zod';
import {
  checkUpdRange,
  dateTimeWithOffset,
  MAX_DATE_RANGE_DAYS,
  osInt,
  posIdInput,
  printableAscii,
} from './common.js';
import { ORDER_SHIPMENT_PAGE_SIZE } from '../paginate.js';

/**
 * Paging of 受注管理 lists: its maximum `limit` is unpublished, so the client asks for at most
 * 100 (docs/smaregi-wire.md §5.1); `iterate` reads 100 per page.
 */
const pagingInput = {
  limit: z
    .number()
    .int()
    .min(1)
    .max(
      ORDER_SHIPMENT_PAGE_SIZE,
      `受注管理の limit は${ORDER_SHIPMENT_PAGE_SIZE}以下で指定してください (最大値が未公開のため)`,
    )
    .optional(),
  page: z.number().int().min(1).optional(),
  /** `field` or `field:desc`, comma list. */
  sort: z.string().min(1).optional(),
};

const idString = z.union([z.string(), z.number()]).transform(String);
const MONEY_MAX = 999_999_999;

// ---------------------------------------------------------------- 受注店舗 (order stores)

export const orderStoreSchema = z.looseObject({
  storeId: idString,
  storeCode: z.string(),
  storeName: z.string(),
  storeAbbr: z.string().nullish(),
  /**
   * `included` 内税販売 / `excluded` 外税販売 (not the POS "0"/"1"). Optional: the official
   * object marks only `storeCode` and `storeName` required (docs/smaregi-wire.md §4.4).
   */
  sellDivision: z.string().nullish(),
  /** "HH:MM". */
  sumDateChangeTime: z.string().nullish(),
  displaySequence: z.number().nullish(),
  pauseFlag: z.boolean().nullish(),
  pointPaymentMethodId: idString.nullish(),
  /**
   * Modeled: the warehouse linked in the 在庫同期 tab. No public source shows it: Renkei only
   * prefills its own per-shop setting from it when present (docs/smaregi-wire.md §4.4).
   */
  stockStoreId: idString.nullish(),
  /** Modeled: the store allocates orders itself at registration (自動処理 引当); prefill only. */
  autoAllocation: z.boolean().nullish(),
});
export type OrderStore = z.infer<typeof orderStoreSchema>;

export const orderStoreRegisterInputSchema = z.strictObject({
  storeCode: printableAscii('storeCode', 20),
  storeName: z.string().min(1).max(85),
  storeAbbr: z.string().max(85).optional(),
  sellDivision: z.enum(['included', 'excluded']),
  sumDateChangeTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'sumDateChangeTime は HH:MM で指定してください')
    .optional(),
  displaySequence: osInt('displaySequence', 0, 999_999_999).optional(),
  pauseFlag: z.boolean().optional(),
  pointPaymentMethodId: posIdInput('pointPaymentMethodId').optional(),
  stockStoreId: posIdInput('stockStoreId').optional(),
  autoAllocation: z.boolean().optional(),
});
export type OrderStoreRegisterInput = z.input<typeof orderStoreRegisterInputSchema>;

export const orderStoreListInputSchema = z.strictObject({
  ...pagingInput,
  storeCode: z.string().optional(),
});
export type OrderStoreListInput = z.input<typeof orderStoreListInputSchema>;

// ---------------------------------------------------------------- 受注 (orders)

export const ORDER_STATUSES = ['received', 'allocated', 'shipped', 'canceled'] as const;
export const ALLOCATION_STATUSES = ['unallocated', 'partial', 'allocated'] as const;

export const orderDetailSchema = z.looseObject({
  orderDetailId: idString,
  productId: idString,
  productCode: z.string().nullish(),
  productName: z.string().nullish(),
  salesPrice: z.number(),
  quantity: z.number(),
  allocatedQuantity: z.number(),
});
export type OrderDetail = z.infer<typeof orderDetailSchema>;

export const orderSchema = z.looseObject({
  orderHeadId: idString,
  orderCode: z.string(),
  storeId: idString,
  /** Unknown future statuses are kept as strings rather than failing a sync. */
  status: z.union([z.enum(ORDER_STATUSES), z.string()]),
  allocationStatus: z.union([z.enum(ALLOCATION_STATUSES), z.string()]),
  orderDateTime: z.string(),
  paymentMethodId: idString.nullish(),
  deliveryDate: z.string().nullish(),
  shippingDate: z.string().nullish(),
  slipNumber: z.string().nullish(),
  memo: z.string().nullish(),
  // The official registration marks only orderCode, orderDateTime and total required; the other
  // header amounts default to 0 there, so an answer may leave them out (docs/smaregi-wire.md §4.6).
  carriage: z.number().nullish(),
  commission: z.number().nullish(),
  giftWrapPrice: z.number().nullish(),
  totalPointDiscount: z.number().nullish(),
  totalCouponDiscount: z.number().nullish(),
  subtotalCouponDiscount: z.number().nullish(),
  totalPromotionDiscount: z.number().nullish(),
  taxExclude: z.number().nullish(),
  total: z.number(),
  insDateTime: z.string().nullish(),
  updDateTime: z.string().nullish(),
  details: z.array(orderDetailSchema),
});
export type Order = z.infer<typeof orderSchema>;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const money = (name: string) => osInt(name, 0, MONEY_MAX);

const orderDetailInputSchema = z.strictObject({
  productId: posIdInput('productId'),
  productCode: z.string().max(20).optional(),
  productName: z.string().max(85).optional(),
  salesPrice: money('salesPrice'),
  quantity: osInt('quantity', 1, 99_999),
});

/**
 * Input of 受注登録. `total` must satisfy the official formula; the client checks it before
 * sending so that a wrong total is reported with both figures, without spending a write.
 */
export const orderRegisterInputSchema = z
  .strictObject({
    storeId: posIdInput('storeId'),
    orderCode: printableAscii('orderCode', 50),
    orderDateTime: dateTimeWithOffset,
    paymentMethodId: posIdInput('paymentMethodId').optional(),
    deliveryDate: z.iso.date().nullable().optional(),
    memo: z.string().max(1000).optional(),
    carriage: money('carriage').default(0),
    commission: money('commission').default(0),
    giftWrapPrice: money('giftWrapPrice').default(0),
    totalPointDiscount: money('totalPointDiscount').default(0),
    totalCouponDiscount: money('totalCouponDiscount').default(0),
    subtotalCouponDiscount: money('subtotalCouponDiscount').default(0),
    totalPromotionDiscount: money('totalPromotionDiscount').default(0),
    taxExclude: money('taxExclude').default(0),
    total: money('total'),
    details: z.array(orderDetailInputSchema).min(1).max(1000),
  })
  .superRefine((order, ctx) => {
    const expected = expectedOrderTotal(order);
    if (expected !== order.total) {
      ctx.addIssue({
        code: 'custom',
        path: ['total'],
        message: `total が計算値と一致しません (計算値: ${expected}, 指定値: ${order.total})`,
      });
    }
  });
export type OrderRegisterInput = z.input<typeof orderRegisterInputSchema>;
/** What 受注登録 puts on the wire for an input (see `orderRegistrationBody`). */
export type OrderRegisterBody = z.output<typeof orderRegisterInputSchema>;

/**
 * The official total formula of 受注登録: Σ(salesPrice × quantity) + taxExclude + carriage +
 * commission + giftWrapPrice − (point + coupon + mall coupon + promotion discounts).
 */
export function expectedOrderTotal(order: {
  details: readonly { salesPrice: number; quantity: number }[];
  taxExclude?: number;
  carriage?: number;
  commission?: number;
  giftWrapPrice?: number;
  totalPointDiscount?: number;
  totalCouponDiscount?: number;
  subtotalCouponDiscount?: number;
  totalPromotionDiscount?: number;
}): number {
  const lines = order.details.reduce((sum, line) => sum + line.salesPrice * line.quantity, 0);
  return (
    lines +
    (order.taxExclude ?? 0) +
    (order.carriage ?? 0) +
    (order.commission ?? 0) +
    (order.giftWrapPrice ?? 0) -
    ((order.totalPointDiscount ?? 0) +
      (order.totalCouponDiscount ?? 0) +
      (order.subtotalCouponDiscount ?? 0) +
      (order.totalPromotionDiscount ?? 0))
  );
}

/** The registration answer: at least the new order's ID (docs/smaregi-wire.md §11). */
export const orderRegistrationAnswerSchema = z.looseObject({ orderHeadId: idString });

export const orderListInputSchema = z
  .strictObject({
    ...pagingInput,
    storeId: posIdInput('storeId').optional(),
    orderCode: z.string().optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    updDateTimeFrom: dateTimeWithOffset.optional(),
    updDateTimeTo: dateTimeWithOffset.optional(),
    /** Modeled filter `order_date_time-from/-to` (受注日時), at most 31 days. */
    orderDateTimeFrom: dateTimeWithOffset.optional(),
    orderDateTimeTo: dateTimeWithOffset.optional(),
  })
  .superRefine(checkUpdRange)
  .superRefine((value, ctx) => {
    if (!value.orderDateTimeFrom || !value.orderDateTimeTo) return;
    const from = Date.parse(value.orderDateTimeFrom);
    const to = Date.parse(value.orderDateTimeTo);
    if (to < from || to - from > MAX_DATE_RANGE_DAYS * 86_400_000) {
      ctx.addIssue({
        code: 'custom',
        path: ['orderDateTimeTo'],
        message: `受注日時の範囲は orderDateTimeFrom 以降、${MAX_DATE_RANGE_DAYS}日以内で指定してください`,
      });
    }
  });
export type OrderListInput = z.input<typeof orderListInputSchema>;

export const bulkShipInputSchema = z.strictObject({
  orders: z
    .array(
      z.strictObject({
        orderHeadId: posIdInput('orderHeadId'),
        shippingDate: z.iso.date({ error: 'shippingDate は YYYY-MM-DD で指定してください' }),
        slipNumber: z.string().max(100).optional(),
      }),
    )
    .min(1, 'orders は1件以上で指定してください')
    .max(100, 'orders は100件以下で指定してください'),
});
export type BulkShipInput = z.input<typeof bulkShipInputSchema>;

export const bulkShipResultSchema = z.array(
  z.looseObject({
    orderHeadId: idString,
    result: z.union([z.enum(['shipped', 'error']), z.string()]),
    detail: z.string().nullish(),
  }),
);
export type BulkShipResult = z.infer<typeof bulkShipResultSchema>;

// ---------------------------------------------------------------- allocation-aware stock
// Optional for Renkei: its allocated amounts are used while it answers; a 404 switches it off
// (docs/smaregi-wire.md §11). Stock amounts always come from POS `GET /pos/stock`.

export const orderShipmentStockRowSchema = z.looseObject({
  productId: z.string(),
  storeId: z.string(),
  stockAmount: z.string(),
  allocatedAmount: z.string(),
});
export type OrderShipmentStockRow = z.infer<typeof orderShipmentStockRowSchema>;

export const orderShipmentStockListInputSchema = z.strictObject({
  ...pagingInput,
  storeId: posIdInput('storeId').optional(),
  productId: posIdInput('productId').optional(),
});
export type OrderShipmentStockListInput = z.input<typeof orderShipmentStockListInputSchema>;
