import { type Router } from 'express';
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
import { notFound } from '../../lib/problem.js';
import type { OrderStatus } from '../../state/types.js';
import { operation } from '../operation.js';
import { APP_ONLY } from './modeled-wire.js';
import { requireOrder } from './warehouse.js';

/* The reads of 受注管理: orders (filtered and paged), one order, and the stock it allocates from. */

const ORDER_SORTABLE = ['orderHeadId', 'updDateTime'] as const;
const STOCK_SORTABLE = ['productId', 'storeId'] as const;
const ORDER_STATUSES: readonly OrderStatus[] = ['received', 'allocated', 'shipped', 'canceled'];

/** `GET /orders`, `GET /orders/{orderHeadId}` and `GET /stock`. */
export function registerOrderReadRoutes(router: Router, ctx: SimulatorContext): void {
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
        const rows = contract.stock.rowsOf({ storeId, productId });
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
