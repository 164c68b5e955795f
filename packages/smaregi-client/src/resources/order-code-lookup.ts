import { SmaregiApiError } from '../errors.js';
import { ORDER_SHIPMENT_PAGE_SIZE, paginatePages } from '../paginate.js';
import type { Order, OrderListInput } from '../schemas/order-shipment.js';
import { pathId } from './shared.js';

/*
 * Whether an order code is registered in a 受注店舗: how an unknown outcome of 受注登録 is
 * resolved (docs/reliability.md item 1). The `order_code` filter is modeled, so its answer is
 * checked, and a server that ignores it is read page by page instead.
 */

/** What `lookupByOrderCode` could establish about an order code in a 受注店舗. */
export type OrderCodeLookup =
  | { outcome: 'found'; order: Order }
  | { outcome: 'absent' }
  /** It could not be decided (too many orders to read, several orders with the code, ...). */
  | { outcome: 'undecided'; reason: string };

export interface OrderCodeLookupInput {
  /**
   * The 受注日時 that was sent: when the server ignores the `order_code` filter, the lookup
   * reads the store's orders of that day (± 1 day) instead of all of them.
   */
  orderDateTime?: string | undefined;
  /** Pages of 100 read at most before giving up as `undecided` (default 20). */
  maxPages?: number | undefined;
}

/** The order's day ± 1 (as date-times with the order's own offset), a 3-day range. */
function aroundDay(orderDateTime: string): { orderDateTimeFrom: string; orderDateTimeTo: string } {
  const at = Date.parse(orderDateTime);
  if (Number.isNaN(at)) {
    throw new SmaregiApiError('orderShipment.orders.lookupByOrderCode: orderDateTime is invalid', {
      kind: 'invalid_request',
      operation: 'orderShipment.orders.lookupByOrderCode',
      inputIssues: [{ path: 'orderDateTime', message: 'YYYY-MM-DDThh:mm:ss±hh:mm' }],
    });
  }
  const offset = /([+-]\d{2}:\d{2}|Z)$/.exec(orderDateTime)?.[1] ?? '+09:00';
  const offsetMs =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) *
        (Number(offset.slice(1, 3)) * 3_600_000 + Number(offset.slice(4, 6)) * 60_000);
  const localDay = Math.floor((at + offsetMs) / 86_400_000) * 86_400_000;
  const format = (localMs: number): string =>
    new Date(localMs).toISOString().slice(0, 19) + (offset === 'Z' ? '+00:00' : offset);
  return {
    orderDateTimeFrom: format(localDay - 86_400_000),
    orderDateTimeTo: format(localDay + 2 * 86_400_000 - 1000),
  };
}

/**
 * Looks `orderCode` up in `storeId` through `orderList` (one page of `GET /orders`): every
 * returned order's code and store are checked; when the filter is ignored the store's orders are
 * read page by page (within the order date's range when `orderDateTime` is given) up to
 * `maxPages`; beyond that, `undecided`.
 */
export async function lookupOrderCode(
  orderList: (params: OrderListInput) => Promise<Order[]>,
  storeId: string | number,
  orderCode: string,
  input: OrderCodeLookupInput = {},
): Promise<OrderCodeLookup> {
  const operation = 'orderShipment.orders.lookupByOrderCode';
  const sid = pathId(operation, 'storeId', storeId);
  if (typeof orderCode !== 'string' || orderCode === '')
    throw new SmaregiApiError(`${operation}: orderCode is required`, {
      kind: 'invalid_request',
      operation,
      inputIssues: [{ path: 'orderCode', message: 'required' }],
    });
  const maxPages = input.maxPages ?? 20;
  const ours = (order: Order): boolean => order.orderCode === orderCode && order.storeId === sid;
  const decide = (found: Order[]): OrderCodeLookup | undefined => {
    if (found.length > 1)
      return {
        outcome: 'undecided',
        reason: `several orders carry the order code (orderHeadId ${found.map((o) => o.orderHeadId).join(', ')})`,
      };
    return found[0] ? { outcome: 'found', order: found[0] } : undefined;
  };

  // 1. The modeled filter. Trusted only when every order it returns carries the code.
  const filtered = await orderList({ storeId: sid, orderCode, limit: ORDER_SHIPMENT_PAGE_SIZE });
  const direct = decide(filtered.filter(ours));
  if (direct) return direct;
  const honoured = filtered.every((order) => order.orderCode === orderCode);
  if (honoured && filtered.length < ORDER_SHIPMENT_PAGE_SIZE) return { outcome: 'absent' };

  // 2. The filter was ignored: read the store's orders (of the order's days) to the end.
  const range = input.orderDateTime ? aroundDay(input.orderDateTime) : {};
  const found: Order[] = [];
  let pages = 0;
  for await (const page of paginatePages(
    ({ page: n, limit }) => orderList({ storeId: sid, ...range, page: n, limit }),
    { limit: ORDER_SHIPMENT_PAGE_SIZE, maxLimitUnknown: true },
  )) {
    found.push(...page.filter(ours));
    if (++pages >= maxPages) {
      return (
        decide(found) ?? {
          outcome: 'undecided',
          reason: `the order_code filter is ignored and ${pages} pages of the store's orders did not reach the end`,
        }
      );
    }
  }
  return decide(found) ?? { outcome: 'absent' };
}
