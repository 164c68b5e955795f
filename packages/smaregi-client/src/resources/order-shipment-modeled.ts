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
import { SmaregiApiError } from '../errors.js';
import { ORDER_SHIPMENT_PAGE_SIZE, paginateItems, ServedPageSizes } from '../paginate.js';
import {
  bulkShipInputSchema,
  bulkShipResultSchema,
  orderListInputSchema,
  orderRegisterInputSchema,
  orderRegistrationAnswerSchema,
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
  type OrderRegisterBody,
  type OrderRegisterInput,
  type OrderShipmentStockListInput,
  type OrderShipmentStockRow,
  type OrderStore,
  type OrderStoreListInput,
  type OrderStoreRegisterInput,
} from '../schemas/order-shipment.js';
import {
  lookupOrderCode,
  type OrderCodeLookup,
  type OrderCodeLookupInput,
} from './order-code-lookup.js';
import {
  pathId,
  rejectingMethods,
  validateInput,
  withoutPaging,
  type IterateOptions,
  type RequestFn,
} from './shared.js';

export type { OrderCodeLookup, OrderCodeLookupInput } from './order-code-lookup.js';

/** Marks this module's operations as modeled (see the header). */
export const ORDER_SHIPMENT_MODELED = true;

const BASE = '/order-shipment';

export interface OrderStoresResource {
  /** One page (at most 100: the 受注管理 maximum is unpublished). */
  list(params?: OrderStoreListInput, options?: CallOptions): Promise<OrderStore[]>;
  /** Every 受注店舗, 100 per page. */
  iterate(
    params?: Omit<OrderStoreListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<OrderStore, void, undefined>;
  /** `GET /stores/{storeId}`; a POS store or warehouse ID is rejected (400). */
  get(storeId: string | number, options?: CallOptions): Promise<OrderStore>;
  /** Registers a 受注店舗 (`storeCode` unique per contract). */
  register(input: OrderStoreRegisterInput, options?: CallOptions): Promise<OrderStore>;
}

/**
 * The JSON body 受注登録 sends for `input`, exactly (defaults filled in, IDs as strings): the
 * worker keeps it as what was sent, and `register` sends it as it is (checking it again changes
 * nothing). An input the client refuses fails here with the `invalid_request` error `register`
 * would give, before anything is sent.
 */
export function orderRegistrationBody(input: OrderRegisterInput): OrderRegisterBody {
  return validateInput('orderShipment.orders.register', orderRegisterInputSchema, input);
}

export interface OrdersResource {
  /**
   * 受注登録. The total formula is checked before sending. Not retried on failure: when the
   * outcome is unknown, look the order up with `lookupByOrderCode` before sending again. An
   * answer that carries `orderHeadId` but is otherwise not the modeled order fails as
   * `bad_response` with `error.remoteId` = that `orderHeadId`: the order IS registered.
   */
  register(input: OrderRegisterInput, options?: CallOptions): Promise<Order>;
  get(orderHeadId: string | number, options?: CallOptions): Promise<Order>;
  list(params?: OrderListInput, options?: CallOptions): Promise<Order[]>;
  iterate(
    params?: Omit<OrderListInput, 'page' | 'limit'>,
    options?: IterateOptions,
  ): AsyncGenerator<Order, void, undefined>;
  /**
   * Whether an order with `orderCode` is registered in `storeId`: how the job layer resolves an
   * unknown outcome of `register` (docs/reliability.md item 1). It does not trust the
   * `order_code` filter (modeled): every returned order's code and store are checked, and when
   * the server ignores the filter the store's orders are read page by page (within the order
   * date's range when `orderDateTime` is given) up to `maxPages`; beyond that, `undecided`.
   */
  lookupByOrderCode(
    storeId: string | number,
    orderCode: string,
    input?: OrderCodeLookupInput,
    options?: CallOptions,
  ): Promise<OrderCodeLookup>;
  /**
   * `lookupByOrderCode` as the order or undefined; an `undecided` lookup rejects with a
   * `bad_response` error (never "absent" by guess).
   */
  findByOrderCode(
    storeId: string | number,
    orderCode: string,
    options?: CallOptions & OrderCodeLookupInput,
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

/**
 * The operation of 受注管理's allocation-aware stock list: what the client learned of its pages is
 * kept under it (`SmaregiClient.largestPageServed`).
 */
export const ORDER_SHIPMENT_STOCK_LIST = 'orderShipment.stock.iterate';

/**
 * Page size of a 受注管理 iteration: the caller's, at most 100 (docs/smaregi-wire.md §5.1). A
 * larger request is lowered rather than refused so callers written for POS lists keep working.
 */
function pageSizeOf(limit: number | undefined): number {
  return Math.min(limit ?? ORDER_SHIPMENT_PAGE_SIZE, ORDER_SHIPMENT_PAGE_SIZE);
}

/**
 * The `iterate` of a 受注管理 list: filters checked once before the first request, then every
 * item, page by page (the last page is recognised without knowing the server's maximum).
 */
function iterateList<In extends { page?: number; limit?: number }, Item>(
  operation: string,
  inputSchema: z.ZodType,
  list: (params: In, options?: CallOptions) => Promise<Item[]>,
  served: ServedPageSizes,
) {
  return async function* (
    params: Omit<In, 'page' | 'limit'> = {} as Omit<In, 'page' | 'limit'>,
    options: IterateOptions = {},
  ): AsyncGenerator<Item, void, undefined> {
    const base = withoutPaging(params as In);
    validateInput(operation, inputSchema, base);
    yield* paginateItems(({ page, limit }) => list({ ...base, page, limit } as In, options), {
      limit: pageSizeOf(options.limit),
      prefetch: options.prefetch,
      maxLimitUnknown: true,
      served: served.of(operation),
    });
  };
}

/** Builds the 受注管理 resources on top of a contract's `request`. */
export function createOrderShipmentResources(
  request: RequestFn,
  /** What the client learned of the lists' largest pages (shared by its contracts). */
  served: ServedPageSizes = new ServedPageSizes(),
): OrderShipmentResources {
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

  const storeList = (
    params: OrderStoreListInput = {},
    options?: CallOptions,
  ): Promise<OrderStore[]> =>
    request(
      {
        operation: 'orderShipment.stores.list',
        method: 'GET',
        path: `${BASE}/stores`,
        query: validateInput('orderShipment.stores.list', orderStoreListInputSchema, params),
        schema: z.array(orderStoreSchema),
      },
      options,
    );

  const lookupByOrderCode = (
    storeId: string | number,
    orderCode: string,
    input: OrderCodeLookupInput = {},
    options?: CallOptions,
  ): Promise<OrderCodeLookup> =>
    lookupOrderCode((params) => orderList(params, options), storeId, orderCode, input);

  return {
    stores: rejectingMethods<OrderStoresResource>({
      list: storeList,
      iterate: iterateList(
        'orderShipment.stores.iterate',
        orderStoreListInputSchema,
        storeList,
        served,
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
      register: async (input, options) => {
        const operation = 'orderShipment.orders.register';
        const answer = await request(
          {
            operation,
            method: 'POST',
            path: `${BASE}/orders`,
            body: orderRegistrationBody(input),
            schema: orderRegistrationAnswerSchema,
          },
          options,
        );
        const order = orderSchema.safeParse(answer);
        if (order.success) return order.data;
        // Registered, but the answer is not the modeled order: keep the ID for the caller.
        const first = order.error.issues[0];
        throw new SmaregiApiError(
          `${operation}: registered as orderHeadId ${answer.orderHeadId}, but the answer does not match the model at ${first?.path.map(String).join('.') || '(body)'}: ${first?.message ?? 'invalid'}`,
          {
            kind: 'bad_response',
            operation,
            remoteId: answer.orderHeadId,
            rawBody: JSON.stringify(answer).slice(0, 65_536),
            cause: order.error,
          },
        );
      },
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
      iterate: iterateList('orderShipment.orders.iterate', orderListInputSchema, orderList, served),
      lookupByOrderCode,
      findByOrderCode: async (storeId, orderCode, options = {}) => {
        const { orderDateTime, maxPages, ...callOptions } = options;
        const result = await lookupByOrderCode(
          storeId,
          orderCode,
          { orderDateTime, maxPages },
          callOptions,
        );
        if (result.outcome === 'found') return result.order;
        if (result.outcome === 'absent') return undefined;
        throw new SmaregiApiError(
          `orderShipment.orders.findByOrderCode: cannot tell whether ${orderCode} is registered: ${result.reason}`,
          { kind: 'bad_response', operation: 'orderShipment.orders.findByOrderCode' },
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
      iterate: iterateList(
        ORDER_SHIPMENT_STOCK_LIST,
        orderShipmentStockListInputSchema,
        stockList,
        served,
      ),
    }),
  };
}
