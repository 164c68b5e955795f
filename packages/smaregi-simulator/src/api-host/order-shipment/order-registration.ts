import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import { badRequest } from '../../lib/problem.js';
import { formatJst, isCalendarDate, parseOffsetDateTime } from '../../lib/time.js';
import { parseOrProblem } from '../../lib/validation.js';
import type { ContractState } from '../../state/contract.js';
import type { Order, OrderStore } from '../../state/types.js';
import { operation } from '../operation.js';
import { PRINTABLE_ASCII } from '../pos/wire.js';
import { requireOrderStore } from './confirmed.js';
import { APP_ONLY, idText, MAX_ORDER_LINES, MAX_QUANTITY, money } from './modeled-wire.js';
import { allocateOrder } from './warehouse.js';

/*
 * 受注登録: `POST /orders`. The header fields, their ranges, the ASCII `orderCode` and the total
 * formula are confirmed [OFF]; the path, the detail shape and the caps are modeled.
 */

const detailSchema = z.strictObject({
  productId: idText('productId'),
  productCode: z
    .string({ error: 'productCodeは文字列で指定してください' })
    .max(20, { error: 'productCodeは20文字以下で指定してください' })
    .optional(),
  productName: z
    .string({ error: 'productNameは文字列で指定してください' })
    .max(85, { error: 'productNameは85文字以下で指定してください' })
    .optional(),
  salesPrice: money('salesPrice'),
  quantity: z
    .number({ error: 'quantityは整数で指定してください' })
    .int({ error: 'quantityは整数で指定してください' })
    .min(1, { error: `quantityは1以上${MAX_QUANTITY}以下の整数で指定してください` })
    .max(MAX_QUANTITY, { error: `quantityは1以上${MAX_QUANTITY}以下の整数で指定してください` }),
});

const orderSchema = z.strictObject({
  storeId: idText('storeId'),
  orderCode: z
    .string({ error: 'orderCodeは必須です' })
    .min(1, { error: 'orderCodeは1文字以上50文字以下の半角英数記号で指定してください' })
    .max(50, { error: 'orderCodeは1文字以上50文字以下の半角英数記号で指定してください' })
    .regex(PRINTABLE_ASCII, {
      error: 'orderCodeは1文字以上50文字以下の半角英数記号で指定してください',
    }),
  orderDateTime: z
    .string({ error: 'orderDateTimeは必須です' })
    .refine((v) => parseOffsetDateTime(v) !== null, {
      error: 'orderDateTimeはYYYY-MM-DDThh:mm:ssTZD形式で指定してください',
    }),
  paymentMethodId: idText('paymentMethodId').nullable().optional(),
  deliveryDate: z
    .string({ error: 'deliveryDateはYYYY-MM-DD形式で指定してください' })
    .refine(isCalendarDate, { error: 'deliveryDateはYYYY-MM-DD形式で指定してください' })
    .nullable()
    .optional(),
  memo: z
    .string({ error: 'memoは文字列で指定してください' })
    .max(1000, { error: 'memoは1000文字以下で指定してください' })
    .nullable()
    .optional(),
  carriage: money('carriage').default(0),
  commission: money('commission').default(0),
  giftWrapPrice: money('giftWrapPrice').default(0),
  totalPointDiscount: money('totalPointDiscount').default(0),
  totalCouponDiscount: money('totalCouponDiscount').default(0),
  subtotalCouponDiscount: money('subtotalCouponDiscount').default(0),
  totalPromotionDiscount: money('totalPromotionDiscount').default(0),
  taxExclude: money('taxExclude').default(0),
  total: money('total'),
  details: z
    .array(detailSchema, { error: 'detailsは配列で指定してください' })
    .min(1, { error: 'detailsは1件以上指定してください' })
    .max(MAX_ORDER_LINES, { error: `detailsは${MAX_ORDER_LINES}件以下で指定してください` }),
});

type OrderInput = z.output<typeof orderSchema>;

/**
 * The official formula [OFF]: total = Σ(販売単価 × 数量) + taxExclude + carriage + commission +
 * giftWrapPrice − (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount +
 * totalPromotionDiscount).
 */
export function expectedTotal(o: OrderInput): number {
  const lines = o.details.reduce((sum, d) => sum + d.salesPrice * d.quantity, 0);
  return (
    lines +
    o.taxExclude +
    o.carriage +
    o.commission +
    o.giftWrapPrice -
    (o.totalPointDiscount +
      o.totalCouponDiscount +
      o.subtotalCouponDiscount +
      o.totalPromotionDiscount)
  );
}

/** Refuses what the schema cannot see: a taken order code, unknown IDs, a wrong total. */
function checkAgainstContract(contract: ContractState, store: OrderStore, input: OrderInput): void {
  const existing = contract.orderCodes.get(contract.orderCodeKey(store.storeId, input.orderCode));
  if (existing) {
    badRequest(`受注番号[${input.orderCode}]は既に登録されています (orderHeadId: ${existing})`, [
      { name: 'orderCode', message: '既に登録されています' },
    ]);
  }
  if (input.paymentMethodId != null && !contract.paymentMethods.has(input.paymentMethodId)) {
    badRequest('paymentMethodId: 指定された支払方法IDのリソースが見つかりません', [
      { name: 'paymentMethodId', message: '指定された支払方法IDのリソースが見つかりません' },
    ]);
  }
  input.details.forEach((d, i) => {
    const product = contract.products.get(d.productId);
    if (!product) {
      badRequest(`details[${i}].productId: 商品ID[${d.productId}]の商品が見つかりません`, [
        { name: `details[${i}].productId`, message: '商品が見つかりません' },
      ]);
    }
    if (d.productCode !== undefined && d.productCode !== product.productCode) {
      badRequest(
        `details[${i}].productCode: 商品ID[${d.productId}]の商品コードは[${product.productCode}]です(指定値: ${d.productCode})`,
        [{ name: `details[${i}].productCode`, message: '商品IDの商品コードと一致しません' }],
      );
    }
  });
  const expected = expectedTotal(input);
  if (input.total !== expected) {
    badRequest(
      `totalが計算値と一致しません(計算値: ${expected}, 指定値: ${input.total})。total = 明細の販売単価×数量の合計 + taxExclude + carriage + commission + giftWrapPrice - (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount + totalPromotionDiscount)`,
      [{ name: 'total', message: `計算値は${expected}です` }],
    );
  }
}

/** The stored order: received, nothing allocated yet, names filled in from the products. */
function newOrder(contract: ContractState, store: OrderStore, input: OrderInput, now: Date): Order {
  const at = formatJst(now);
  return {
    orderHeadId: contract.newOrderHeadId(),
    orderCode: input.orderCode,
    storeId: store.storeId,
    status: 'received',
    allocationStatus: 'unallocated',
    orderDateTime: input.orderDateTime,
    paymentMethodId: input.paymentMethodId ?? null,
    deliveryDate: input.deliveryDate ?? null,
    shippingDate: null,
    slipNumber: null,
    memo: input.memo ?? null,
    carriage: input.carriage,
    commission: input.commission,
    giftWrapPrice: input.giftWrapPrice,
    totalPointDiscount: input.totalPointDiscount,
    totalCouponDiscount: input.totalCouponDiscount,
    subtotalCouponDiscount: input.subtotalCouponDiscount,
    totalPromotionDiscount: input.totalPromotionDiscount,
    taxExclude: input.taxExclude,
    total: input.total,
    insDateTime: at,
    updDateTime: at,
    details: input.details.map((d) => {
      const product = contract.products.get(d.productId);
      return {
        orderDetailId: contract.newOrderDetailId(),
        productId: d.productId,
        productCode: d.productCode ?? product?.productCode ?? '',
        productName: d.productName ?? product?.productName ?? '',
        salesPrice: d.salesPrice,
        quantity: d.quantity,
        allocatedQuantity: 0,
      };
    }),
  };
}

/** `POST /orders`: registers an order; a store with 自動引当 allocates it at once. */
export function registerOrderRegistrationRoute(router: Router, ctx: SimulatorContext): void {
  router.post(
    '/orders',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, body }) => {
        const input = parseOrProblem(orderSchema, body);
        const store = requireOrderStore(contract, input.storeId, 'storeId');
        checkAgainstContract(contract, store, input);
        const now = ctx.now();
        const order = newOrder(contract, store, input, now);
        contract.orders.set(order.orderHeadId, order);
        contract.orderCodes.set(
          contract.orderCodeKey(store.storeId, order.orderCode),
          order.orderHeadId,
        );
        if (store.autoAllocation && store.stockStoreId) allocateOrder(contract, order, store, now);
        return { body: structuredClone(order) };
      },
      APP_ONLY,
    ),
  );
}
