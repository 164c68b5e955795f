/**
 * 受注管理 (order-shipment) resources: `/{contract_id}/order-shipment`.
 *
 * MODELED. Smaregi publishes only part of this API (the 受注店舗 object of
 * `GET /stores/{store_id}`, the order-registration header fields and total formula, the scopes and
 * the `order-shipment:orders` webhook). Every other path and shape in this module is Renkei's
 * model (docs/smaregi-wire.md §11), implemented identically by the simulator:
 *
 *   GET  /stores, POST /stores                      list / register 受注店舗
 *   POST /orders                                    受注登録 (path modeled; `storeId`, details[] modeled)
 *   GET  /orders, GET /orders/{orderHeadId}         list / get (order object modeled)
 *   POST /orders/{orderHeadId}/allocation           在庫引当
 *   POST /orders/shipping/bulk                      受注一括出荷 (≤ 100)
 *   POST /orders/{orderHeadId}/cancel               キャンセル
 *   GET  /stock                                     allocation-aware stock
 *
 * When the official specification becomes available, this module and
 * `schemas/order-shipment.ts` are the only client code to change.
 */
import { z } from 'zod';
import type { CallOptions } from '../client.js';
import { paginateItems } from '../paginate.js';
import {
  bulkShipInputSchema,
  bulkShipResultSchema,
  orderListInputSchema,
  orderRegisterInputSchema,
  orderSchema,
  orderShipmentStockListInputSchema,
  orderShipmentStockRowSchema,
  orderStoreListInputSchema,
  orderStoreRegisterInputSchema,
  orderStoreSchema,
  type BulkShipInput,
  type BulkShipResult,
  type Order,
  type OrderListInput,
  type OrderRegisterInput,
  type OrderShipmentStockListInput,
  type OrderShipmentStockRow,
  type OrderStore,
  type OrderStoreListInput,
  type OrderStoreRegisterInput,
} from '../schemas/order-shipment.js';
import {
  pathId,
  rejectingMethods,
  validateInput,
  withoutPaging,
  type IterateOptions,
  type RequestFn,
} from './shared.js';

/** Marks this module's operations as modeled (see the header). */
export const ORDER_SHIPMENT_MODELED = true;

const BASE = '/order-shipment';

export interface OrderStoresResource {
  list(params?: OrderStoreListInput, options?: CallOptions): Promise<OrderStore[]>;
  /** `GET /stores/{storeId}`; a POS store or warehouse ID is rejected (400). */
  get(storeId: string | number, options?: CallOptions): Promise<OrderStore>;
  /** Registers a 受注店舗 (`storeCode` unique per contract). */
  register(input: OrderStoreRegisterInput, options?: CallOptions): Promise<OrderStore>;
}

export interface OrdersResource {
  /**
   * 受注登録. The total formula is checked before sending. Not retried on failure: when the
   * outcome is unknown, look the order up with `findByOrderCode` before sending again.
   */
  register(input: OrderRegisterInput, options?: CallOptions): Promise<Order>;
  get(orderHeadId: string | number, options?: CallOptions): Promise<Order>;
  list(params?: OrderListInput, options?: CallOptions): Promise<Order[]>;
  iterate(
    params?: Omit<OrderListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<Order, void, undefined>;
  /**
   * The order registered with `orderCode` in `storeId`, or undefined: how the job layer resolves
   * an unknown outcome of `register` (docs/reliability.md item 1).
   */
  findByOrderCode(
    storeId: string | number,
    orderCode: string,
    options?: CallOptions,
  ): Promise<Order | undefined>;
  /** 在庫引当: allocates whole lines from the store's warehouse; returns the order. */
  allocate(orderHeadId: string | number, options?: CallOptions): Promise<Order>;
  /** 受注一括出荷: 1..100 orders per call (checked before sending); a result per order. */
  bulkShip(input: BulkShipInput, options?: CallOptions): Promise<BulkShipResult>;
  /** Cancels an order and releases its allocation. */
  cancel(orderHeadId: string | number, options?: CallOptions): Promise<Order>;
}

export interface OrderShipmentStockResource {
  /** Stock with the allocated amount, per product and store (scope order-shipment.stock:read). */
  list(
    params?: OrderShipmentStockListInput,
    options?: CallOptions,
  ): Promise<OrderShipmentStockRow[]>;
  iterate(
    params?: Omit<OrderShipmentStockListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<OrderShipmentStockRow, void, undefined>;
}

export interface OrderShipmentResources {
  stores: OrderStoresResource;
  orders: OrdersResource;
  stock: OrderShipmentStockResource;
}

/** Builds the 受注管理 resources on top of a contract's `request`. */
export function createOrderShipmentResources(request: RequestFn): OrderShipmentResources {
  const orderList = (params: OrderListInput = {}, options?: CallOptions): Promise<Order[]> =>
    request(
      {
        operation: 'orderShipment.orders.list',
        method: 'GET',
        path: `${BASE}/orders`,
        query: validateInput('orderShipment.orders.list', orderListInputSchema, params),
        schema: z.array(orderSchema),
      },
      options,
    );

  const stockList = (
    params: OrderShipmentStockListInput = {},
    options?: CallOptions,
  ): Promise<OrderShipmentStockRow[]> =>
    request(
      {
        operation: 'orderShipment.stock.list',
        method: 'GET',
        path: `${BASE}/stock`,
        query: validateInput('orderShipment.stock.list', orderShipmentStockListInputSchema, params),
        schema: z.array(orderShipmentStockRowSchema),
      },
      options,
    );

  return {
    stores: rejectingMethods<OrderStoresResource>({
      list: (params = {}, options) =>
        request(
          {
            operation: 'orderShipment.stores.list',
            method: 'GET',
            path: `${BASE}/stores`,
            query: validateInput('orderShipment.stores.list', orderStoreListInputSchema, params),
            schema: z.array(orderStoreSchema),
          },
          options,
        ),
      get: (storeId, options) => {
        const id = pathId('orderShipment.stores.get', 'storeId', storeId);
        return request(
          {
            operation: 'orderShipment.stores.get',
            method: 'GET',
            path: `${BASE}/stores/${id}`,
            schema: orderStoreSchema,
          },
          options,
        );
      },
      register: (input, options) =>
        request(
          {
            operation: 'orderShipment.stores.register',
            method: 'POST',
            path: `${BASE}/stores`,
            body: validateInput(
              'orderShipment.stores.register',
              orderStoreRegisterInputSchema,
              input,
            ),
            schema: orderStoreSchema,
          },
          options,
        ),
    }),
    orders: rejectingMethods<OrdersResource>({
      register: (input, options) =>
        request(
          {
            operation: 'orderShipment.orders.register',
            method: 'POST',
            path: `${BASE}/orders`,
            body: validateInput('orderShipment.orders.register', orderRegisterInputSchema, input),
            schema: orderSchema,
          },
          options,
        ),
      get: (orderHeadId, options) => {
        const id = pathId('orderShipment.orders.get', 'orderHeadId', orderHeadId);
        return request(
          {
            operation: 'orderShipment.orders.get',
            method: 'GET',
            path: `${BASE}/orders/${id}`,
            schema: orderSchema,
          },
          options,
        );
      },
      list: orderList,
      iterate: async function* (params = {}, options = {}) {
        const base = withoutPaging(params as OrderListInput);
        validateInput('orderShipment.orders.iterate', orderListInputSchema, base);
        yield* paginateItems(({ page, limit }) => orderList({ ...base, page, limit }, options), {
          limit: options.limit,
          prefetch: options.prefetch,
        });
      },
      findByOrderCode: async (storeId, orderCode, options) => {
        const found = await orderList({ storeId, orderCode, limit: 2 }, options);
        // The filter is exact, but a loose server match must not be taken for ours.
        return found.find(
          (order) => order.orderCode === orderCode && order.storeId === String(storeId),
        );
      },
      allocate: (orderHeadId, options) => {
        const id = pathId('orderShipment.orders.allocate', 'orderHeadId', orderHeadId);
        return request(
          {
            operation: 'orderShipment.orders.allocate',
            method: 'POST',
            path: `${BASE}/orders/${id}/allocation`,
            body: {},
            schema: orderSchema,
          },
          options,
        );
      },
      bulkShip: (input, options) =>
        request(
          {
            operation: 'orderShipment.orders.bulkShip',
            method: 'POST',
            path: `${BASE}/orders/shipping/bulk`,
            body: validateInput('orderShipment.orders.bulkShip', bulkShipInputSchema, input),
            schema: bulkShipResultSchema,
          },
          options,
        ),
      cancel: (orderHeadId, options) => {
        const id = pathId('orderShipment.orders.cancel', 'orderHeadId', orderHeadId);
        return request(
          {
            operation: 'orderShipment.orders.cancel',
            method: 'POST',
            path: `${BASE}/orders/${id}/cancel`,
            body: {},
            schema: orderSchema,
          },
          options,
        );
      },
    }),
    stock: rejectingMethods<OrderShipmentStockResource>({
      list: stockList,
      iterate: async function* (params = {}, options = {}) {
        const base = withoutPaging(params as OrderShipmentStockListInput);
        validateInput('orderShipment.stock.iterate', orderShipmentStockListInputSchema, base);
        yield* paginateItems(({ page, limit }) => stockList({ ...base, page, limit }, options), {
          limit: options.limit,
          prefetch: options.prefetch,
        });
      },
    }),
  };
}
