import type { Locale } from '@renkei/domain';
import { changeFeedPage } from '@renkei/persistence';
import { restOrders, type RestOrder } from '../orders/rest-order.js';
import type { TenantScope } from '../scope.js';
import { cursorAfter, type FeedQuery } from './feed-query.js';

/** A page of a change feed: its rows, the cursor to keep, and whether more is readable now. */
export interface FeedPage {
  nextCursor: string;
  hasMore: boolean;
}

/**
 * `GET /api/v1/orders`: a page of the tenant's order change feed (@renkei/persistence
 * changes/change-feed.ts), each order as `GET /api/v1/orders/{orderNumber}` shows it
 * (`restOrders`: one query per page for the orders, their lines, their shipments). An order comes
 * again on a later page only when it changed after the page that carried it. `nextCursor` is
 * always given: after the last order of the page, or where the request stood when nothing new was
 * there (a client keeps it and asks again later).
 */
export async function orderFeedPage(
  scope: TenantScope,
  query: FeedQuery,
  locale: Locale,
): Promise<FeedPage & { orders: RestOrder[] }> {
  const page = await changeFeedPage(scope.em, 'orders', scope.tenantId, {
    after: query.after,
    changedSince: query.updatedSince,
    limit: query.limit,
  });
  const ids = page.rows.map((r) => r.id);
  const loaded =
    ids.length === 0
      ? []
      : // The view needs the shop's and payment method's IDs only: not loaded.
        await scope.repos.orders.find({ id: { $in: ids } }, { populate: ['lines', 'status'] });
  const byId = new Map(loaded.map((o) => [o.id, o]));
  // An order deleted between the two reads is left out; its position is passed all the same.
  const orders = ids.flatMap((id) => byId.get(id) ?? []);
  const last = page.rows.at(-1) ?? query.after;
  return {
    orders: await restOrders(scope, orders, locale),
    nextCursor: cursorAfter(scope.tenantId, 'orders', last, query.updatedSince),
    hasMore: page.more,
  };
}
