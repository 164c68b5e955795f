/**
 * MODELED 受注管理 operations (docs/smaregi-wire.md §11). None of these paths or shapes is
 * in a published source; they follow the conventions of the confirmed parts (camelCase, integer
 * money and quantities, boolean flags, string IDs, problem+json, page/limit/sort). When the
 * official spec becomes readable, this module is the one to change.
 *
 * Confirmed facts used here: the order registration header fields, their ranges, the ASCII
 * `orderCode` and the total formula [OFF order-shipment.smaregi.dev/apidoc]; the 受注店舗 object
 * and `sellDivision` included/excluded [OFF getstoresstoreid]; the `order-shipment:orders`
 * webhook with `shipped` / `canceled` [OFF postwebhookorders].
 */
import { type Router } from 'express';
import { z } from 'zod';
import type { SimulatorContext } from '../../context.js';
import {
  enumQuery,
  idQuery,
  inRange,
  pageOf,
  parseDateRange,
  parsePaging,
  queryString,
  sortItems,
} from '../../lib/paging.js';
import { badRequest, notFound } from '../../lib/problem.js';
import { formatJst, isCalendarDate, parseOffsetDateTime } from '../../lib/time.js';
import { parseOrProblem } from '../../lib/validation.js';
import { addOrderStore, storeCodeTaken } from '../../state/catalog.js';
import type { ContractState } from '../../state/contract.js';
import type { StockChange } from '../../state/stock.js';
import type { AllocationStatus, Order, OrderStatus, OrderStore } from '../../state/types.js';
import { emitOrders, emitStock } from '../../webhooks/events.js';
import { operation } from '../operation.js';
import { PRINTABLE_ASCII } from '../pos/wire.js';
import { orderStoreBody, requireOrderStore } from './confirmed.js';

const APP_ONLY = { tokenKinds: ['app'] } as const;
/** Money fields: integers 0..999,999,999 [OFF]. */
const MAX_MONEY = 999_999_999;
/** Modeled caps. */
export const MAX_ORDER_LINES = 1000;
export const MAX_QUANTITY = 99_999;
export const MAX_BULK_SHIPPING = 100;

const money = (name: string) =>
  z
    .number({ error: `${name}は整数で指定してください` })
    .int({ error: `${name}は整数で指定してください` })
    .min(0, { error: `${name}は0以上${MAX_MONEY}以下の整数で指定してください` })
    .max(MAX_MONEY, { error: `${name}は0以上${MAX_MONEY}以下の整数で指定してください` });

const idText = (name: string) =>
  z
    .string({ error: `${name}は数字の文字列で指定してください` })
    .regex(/^\d{1,15}$/, { error: `${name}は数字の文字列で指定してください` });

// ---------------------------------------------------------------------------------------------
// 受注店舗 (list and register are modeled; the object is confirmed plus two modeled fields)

const storeSchema = z.strictObject({
  storeCode: z
    .string({ error: 'storeCodeは必須です' })
    .min(1, { error: 'storeCodeは必須です' })
    .max(20, { error: 'storeCodeは20文字以下で指定してください' })
    .regex(PRINTABLE_ASCII, { error: 'storeCodeは半角英数記号で指定してください' }),
  storeName: z
    .string({ error: 'storeNameは必須です' })
    .min(1, { error: 'storeNameは必須です' })
    .max(85, { error: 'storeNameは85文字以下で指定してください' }),
  storeAbbr: z
    .string({ error: 'storeAbbrは文字列で指定してください' })
    .max(85, { error: 'storeAbbrは85文字以下で指定してください' })
    .optional(),
  sellDivision: z.enum(['included', 'excluded'], {
    error: 'sellDivisionは"included"または"excluded"で指定してください',
  }),
  sumDateChangeTime: z
    .string({ error: 'sumDateChangeTimeはHH:MM形式で指定してください' })
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'sumDateChangeTimeはHH:MM形式で指定してください' })
    .optional(),
  displaySequence: z
    .number({ error: 'displaySequenceは整数で指定してください' })
    .int({ error: 'displaySequenceは整数で指定してください' })
    .min(0)
    .max(MAX_MONEY)
    .optional(),
  pauseFlag: z.boolean({ error: 'pauseFlagはtrueまたはfalseで指定してください' }).optional(),
  pointPaymentMethodId: idText('pointPaymentMethodId').nullable().optional(),
  stockStoreId: idText('stockStoreId').nullable().optional(),
  autoAllocation: z
    .boolean({ error: 'autoAllocationはtrueまたはfalseで指定してください' })
    .optional(),
});

// ---------------------------------------------------------------------------------------------
// 受注登録

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

/**
 * The official formula [OFF]: total = Σ(販売単価 × 数量) + taxExclude + carriage + commission +
 * giftWrapPrice − (totalPointDiscount + totalCouponDiscount + subtotalCouponDiscount +
 * totalPromotionDiscount).
 */
export function expectedTotal(o: z.output<typeof orderSchema>): number {
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

// ---------------------------------------------------------------------------------------------
// Allocation, shipping and cancellation (the warehouse side)

function refreshAllocationStatus(order: Order): void {
  const allocatedLines = order.details.filter((d) => d.allocatedQuantity === d.quantity).length;
  const status: AllocationStatus =
    allocatedLines === 0
      ? 'unallocated'
      : allocatedLines === order.details.length
        ? 'allocated'
        : 'partial';
  order.allocationStatus = status;
  if (order.status === 'received' || order.status === 'allocated') {
    order.status = status === 'allocated' ? 'allocated' : 'received';
  }
}

/**
 * Allocates whole lines, first come first served, from the store's `stockStoreId` warehouse:
 * a line is reserved when stock minus what other orders hold there covers its quantity.
 * Products outside stock control (stockControlDivision "1") allocate without reserving.
 */
export function allocateOrder(
  contract: ContractState,
  order: Order,
  store: OrderStore,
  now: Date,
): void {
  const warehouse = store.stockStoreId;
  if (!warehouse) badRequest('受注店舗に在庫を引き当てる店舗(stockStoreId)が設定されていません');
  for (const d of order.details) {
    if (d.allocatedQuantity === d.quantity) continue;
    const product = contract.products.get(d.productId);
    if (!product || product.stockControlDivision === '1') {
      d.allocatedQuantity = d.quantity;
      continue;
    }
    if (contract.stock.available(warehouse, d.productId) >= d.quantity) {
      contract.stock.allocate(warehouse, d.productId, d.quantity);
      contract.reservations.set(d.orderDetailId, {
        storeId: warehouse,
        productId: d.productId,
        quantity: d.quantity,
      });
      d.allocatedQuantity = d.quantity;
    }
  }
  refreshAllocationStatus(order);
  order.updDateTime = formatJst(now);
}

function releaseAllocation(contract: ContractState, order: Order): void {
  for (const d of order.details) {
    const r = contract.reservations.get(d.orderDetailId);
    if (r) {
      contract.stock.allocate(r.storeId, r.productId, -r.quantity);
      contract.reservations.delete(d.orderDetailId);
    }
    d.allocatedQuantity = 0;
  }
}

/** Ships a fully allocated order: its reserved stock leaves the warehouse. */
function shipOrder(
  contract: ContractState,
  order: Order,
  shippingDate: string,
  slipNumber: string | null,
  now: Date,
): StockChange[] {
  const changes: StockChange[] = [];
  for (const d of order.details) {
    const r = contract.reservations.get(d.orderDetailId);
    if (!r) continue;
    contract.stock.allocate(r.storeId, r.productId, -r.quantity);
    contract.reservations.delete(d.orderDetailId);
    changes.push(
      contract.stock.add(
        r.storeId,
        r.productId,
        -r.quantity,
        `受注出荷 ${order.orderCode}`,
        now.getTime(),
      ),
    );
  }
  order.status = 'shipped';
  order.shippingDate = shippingDate;
  order.slipNumber = slipNumber;
  order.updDateTime = formatJst(now);
  return changes;
}

function requireOrder(contract: ContractState, orderHeadId: string | undefined): Order {
  const order = orderHeadId ? contract.orders.get(orderHeadId) : undefined;
  if (!order) notFound();
  return order;
}

const ORDER_SORTABLE = ['orderHeadId', 'updDateTime'] as const;
const STORE_SORTABLE = ['storeId', 'displaySequence'] as const;
const STOCK_SORTABLE = ['productId', 'storeId'] as const;
const ORDER_STATUSES: readonly OrderStatus[] = ['received', 'allocated', 'shipped', 'canceled'];

const bulkShippingSchema = z.strictObject({
  orders: z
    .array(
      z.strictObject({
        orderHeadId: idText('orderHeadId'),
        shippingDate: z
          .string({ error: 'shippingDateは必須です' })
          .refine(isCalendarDate, { error: 'shippingDateはYYYY-MM-DD形式で指定してください' }),
        slipNumber: z
          .string({ error: 'slipNumberは文字列で指定してください' })
          .max(50, { error: 'slipNumberは50文字以下で指定してください' })
          .nullable()
          .optional(),
      }),
      { error: 'ordersは配列で指定してください' },
    )
    .min(1, { error: 'ordersは1件以上指定してください' })
    .max(MAX_BULK_SHIPPING, { error: `ordersは${MAX_BULK_SHIPPING}件以下で指定してください` }),
});

/** Registers every modeled 受注管理 route on the `/{contract_id}/order-shipment` router. */
export function registerModeledOrderShipmentRoutes(router: Router, ctx: SimulatorContext): void {
  router.get(
    '/stores',
    operation(
      ctx,
      'order-shipment.stores:read',
      ({ contract, query }) => {
        const paging = parsePaging(query, STORE_SORTABLE, null);
        const storeCode = queryString(query, 'store_code');
        const stores = [...contract.stores.values()]
          .flatMap((r) => (r.kind === 'order' ? [r.store] : []))
          .filter((s) => storeCode === undefined || s.storeCode === storeCode);
        const sorted = sortItems(
          stores,
          [...paging.sort, { field: 'storeId' as const, desc: false }],
          (s, f) => s[f],
        );
        return { body: pageOf(sorted, paging).map(orderStoreBody(contract)) };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/stores',
    operation(
      ctx,
      'order-shipment.stores:write',
      ({ contract, body }) => {
        const input = parseOrProblem(storeSchema, body);
        if (storeCodeTaken(contract, input.storeCode)) {
          badRequest(`storeCode[${input.storeCode}]は既に登録されています`, [
            { name: 'storeCode', message: '既に登録されています' },
          ]);
        }
        if (input.stockStoreId != null && !contract.posStore(input.stockStoreId)) {
          badRequest('stockStoreId: 指定された店舗IDのリソースが見つかりません', [
            { name: 'stockStoreId', message: '指定された店舗IDのリソースが見つかりません' },
          ]);
        }
        if (
          input.pointPaymentMethodId != null &&
          !contract.paymentMethods.has(input.pointPaymentMethodId)
        ) {
          badRequest('pointPaymentMethodId: 指定された支払方法IDのリソースが見つかりません');
        }
        const store = addOrderStore(contract, {
          storeCode: input.storeCode,
          storeName: input.storeName,
          sellDivision: input.sellDivision,
          ...(input.storeAbbr !== undefined ? { storeAbbr: input.storeAbbr } : {}),
          ...(input.sumDateChangeTime !== undefined
            ? { sumDateChangeTime: input.sumDateChangeTime }
            : {}),
          ...(input.displaySequence !== undefined
            ? { displaySequence: input.displaySequence }
            : {}),
          ...(input.pauseFlag !== undefined ? { pauseFlag: input.pauseFlag } : {}),
          pointPaymentMethodId: input.pointPaymentMethodId ?? null,
          stockStoreId: input.stockStoreId ?? null,
          autoAllocation: input.autoAllocation ?? false,
        });
        return { body: orderStoreBody(contract)(store) };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/orders',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, body }) => {
        const input = parseOrProblem(orderSchema, body);
        const store = requireOrderStore(contract, input.storeId, 'storeId');
        const existing = contract.orderCodes.get(
          contract.orderCodeKey(store.storeId, input.orderCode),
        );
        if (existing) {
          badRequest(
            `受注番号[${input.orderCode}]は既に登録されています (orderHeadId: ${existing})`,
            [{ name: 'orderCode', message: '既に登録されています' }],
          );
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
        const now = ctx.now();
        const at = formatJst(now);
        const order: Order = {
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

  router.get(
    '/orders',
    operation(
      ctx,
      'order-shipment.orders:read',
      ({ ctx, contract, query }) => {
        const paging = parsePaging(query, ORDER_SORTABLE, null);
        const range = parseDateRange(query, 'upd_date_time');
        const ordered = parseDateRange(query, 'order_date_time');
        const storeId = idQuery(query, 'store_id');
        // The quirk: a server that ignores the (modeled) filter, which Renkei must survive.
        const orderCode = ctx.quirks.ignoreOrderCodeFilter
          ? undefined
          : queryString(query, 'order_code');
        const status = enumQuery(query, 'status', ORDER_STATUSES);
        let orders = [...contract.orders.values()].filter(
          (o) =>
            (storeId === undefined || o.storeId === storeId) &&
            (orderCode === undefined || o.orderCode === orderCode) &&
            (status === undefined || o.status === status) &&
            inRange(range, Date.parse(o.updDateTime)) &&
            inRange(ordered, Date.parse(o.orderDateTime)),
        );
        if (paging.sort.length > 0) {
          orders = sortItems(
            orders,
            [...paging.sort, { field: 'orderHeadId' as const, desc: false }],
            (o, f) => (f === 'updDateTime' ? Date.parse(o.updDateTime) : o[f]),
          );
        }
        return { body: structuredClone(pageOf(orders, paging)) };
      },
      APP_ONLY,
    ),
  );

  router.get(
    '/orders/:orderHeadId',
    operation(
      ctx,
      'order-shipment.orders:read',
      ({ contract, params }) => ({
        body: structuredClone(requireOrder(contract, params.orderHeadId)),
      }),
      APP_ONLY,
    ),
  );

  router.post(
    '/orders/shipping/bulk',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, body }) => {
        const input = parseOrProblem(bulkShippingSchema, body);
        const now = ctx.now();
        const results: { orderHeadId: string; result: 'shipped' | 'error'; detail?: string }[] = [];
        const stockChanges: StockChange[] = [];
        const shippedByStore = new Map<string, string[]>();
        const seen = new Set<string>();
        for (const item of input.orders) {
          const order = contract.orders.get(item.orderHeadId);
          let error: string | null = null;
          if (seen.has(item.orderHeadId)) error = '同じ受注が複数回指定されています';
          else if (!order) error = '指定されたIDの受注が見つかりません';
          else if (order.status === 'canceled') error = 'キャンセル済みの受注は出荷できません';
          else if (order.status === 'shipped') error = '既に出荷済みです';
          else if (order.allocationStatus !== 'allocated')
            error = '在庫引当が完了していない受注は出荷できません';
          seen.add(item.orderHeadId);
          if (error || !order) {
            results.push({ orderHeadId: item.orderHeadId, result: 'error', detail: error ?? '' });
            continue;
          }
          stockChanges.push(
            ...shipOrder(contract, order, item.shippingDate, item.slipNumber ?? null, now),
          );
          const list = shippedByStore.get(order.storeId) ?? [];
          list.push(order.orderHeadId);
          shippedByStore.set(order.storeId, list);
          results.push({ orderHeadId: item.orderHeadId, result: 'shipped' });
        }
        emitStock(ctx, contract.contractId, 'edited', stockChanges);
        for (const [storeId, ids] of shippedByStore)
          emitOrders(ctx, contract.contractId, 'shipped', storeId, ids);
        return { body: results };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/orders/:orderHeadId/allocation',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, params }) => {
        const order = requireOrder(contract, params.orderHeadId);
        if (order.status === 'canceled') badRequest('キャンセル済みの受注は引当できません');
        if (order.status === 'shipped') badRequest('出荷済みの受注は引当できません');
        const store = requireOrderStore(contract, order.storeId);
        allocateOrder(contract, order, store, ctx.now());
        return { body: structuredClone(order) };
      },
      APP_ONLY,
    ),
  );

  router.post(
    '/orders/:orderHeadId/cancel',
    operation(
      ctx,
      'order-shipment.orders:write',
      ({ contract, params }) => {
        const order = requireOrder(contract, params.orderHeadId);
        if (order.status === 'shipped') badRequest('出荷済みの受注はキャンセルできません');
        if (order.status === 'canceled') badRequest('既にキャンセル済みです');
        releaseAllocation(contract, order);
        order.status = 'canceled';
        order.allocationStatus = 'unallocated';
        order.updDateTime = formatJst(ctx.now());
        emitOrders(ctx, contract.contractId, 'canceled', order.storeId, [order.orderHeadId]);
        return { body: structuredClone(order) };
      },
      APP_ONLY,
    ),
  );

  router.get(
    '/stock',
    operation(
      ctx,
      'order-shipment.stock:read',
      ({ contract, query }) => {
        // A contract can answer as if the endpoint did not exist (it is unpublished).
        if (!contract.modeledSurface.orderShipmentStock) notFound();
        const paging = parsePaging(query, STOCK_SORTABLE, null);
        const storeId = idQuery(query, 'store_id');
        const productId = idQuery(query, 'product_id');
        const rows = contract.stock
          .rowsList()
          .filter(
            (r) =>
              (storeId === undefined || r.storeId === storeId) &&
              (productId === undefined || r.productId === productId),
          );
        const keys =
          paging.sort.length > 0
            ? paging.sort
            : [
                { field: 'productId' as const, desc: false },
                { field: 'storeId' as const, desc: false },
              ];
        const sorted = sortItems(rows, keys, (r, f) => r[f]);
        return {
          body: pageOf(sorted, paging).map((r) => ({
            productId: r.productId,
            storeId: r.storeId,
            stockAmount: String(r.stockAmount),
            allocatedAmount: String(contract.stock.allocatedAmount(r.storeId, r.productId)),
          })),
        };
      },
      APP_ONLY,
    ),
  );
}
