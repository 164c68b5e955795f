import { renderMessageBoth } from '@renkei/domain';
import { syncEventMessage, type SyncEvent } from '@renkei/persistence';
import { invalid } from '../../errors.js';
import { dateRangeErrors, endOfJapanDay, startOfJapanDay, syncLogInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import type { AuthedContext } from '../context.js';

/** At most this many Smaregi product IDs of a product event are sent (the row links the first). */
const PRODUCT_IDS_SHOWN = 5;

/**
 * The orders the 連携ログ's order filter names: the order of the ID (from the order page), or the
 * orders of the order number the merchant typed (one per shop that uses it). Null: no order filter.
 */
async function filterOrders(
  ctx: AuthedContext,
  input: { orderId?: string | undefined; orderNumber?: string | undefined },
): Promise<{ id: string; orderNumber: string }[] | null> {
  if (input.orderId !== undefined) {
    const order = await ctx.repos.orders.findById(input.orderId);
    return order === null ? [] : [{ id: order.id, orderNumber: order.orderNumber }];
  }
  if (input.orderNumber !== undefined) {
    const orders = await ctx.repos.orders.find({ orderNumber: input.orderNumber }, { limit: 20 });
    return orders.map((o) => ({ id: o.id, orderNumber: o.orderNumber }));
  }
  return null;
}

/** The Smaregi product IDs a product event names (`detail.productIds`). */
function productIdsOf(event: SyncEvent): string[] {
  const ids = event.detail?.productIds;
  return Array.isArray(ids)
    ? ids.filter((id): id is string => typeof id === 'string').slice(0, PRODUCT_IDS_SHOWN)
    : [];
}

export const syncLogRouter = router({
  /**
   * 連携ログ: the tenant's sync events, newest first, paged, filtered by order (ID or number),
   * subject type, kind, outcome and days. The total stops at the repository's count limit
   * (`totalCapped`). `orders` are the orders the order filter found (empty: none has that number).
   */
  list: authedProcedure.input(syncLogInput).query(async ({ ctx, input }) => {
    const rangeErrors = dateRangeErrors(input, [['from', 'to', '期間', 'date']]);
    if (rangeErrors.length > 0) throw invalid(rangeErrors);
    const orders = await filterOrders(ctx, input);
    const page = await ctx.repos.syncEvents.page(
      {
        // An order filter with another subject type matches nothing, as it should.
        subjectType: input.subjectType ?? (orders === null ? undefined : 'order'),
        subjectIds: orders?.map((o) => o.id),
        kind: input.kind,
        outcome: input.outcome,
        from: input.from === undefined ? undefined : startOfJapanDay(input.from),
        before: input.to === undefined ? undefined : endOfJapanDay(input.to),
      },
      input.page,
      input.pageSize,
    );
    const orderIds = [
      ...new Set(
        page.items.flatMap((e) =>
          e.subjectType === 'order' && e.subjectId != null ? [e.subjectId] : [],
        ),
      ),
    ];
    const numbers = new Map(
      orderIds.length === 0
        ? []
        : (await ctx.repos.orders.find({ id: { $in: orderIds } })).map((o) => [
            o.id,
            o.orderNumber,
          ]),
    );
    return {
      total: page.total,
      totalCapped: page.totalCapped,
      page: page.page,
      pageSize: page.pageSize,
      orders,
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        subjectType: e.subjectType,
        subjectId: e.subjectId ?? null,
        kind: e.kind,
        outcome: e.outcome,
        messageCode: e.messageCode,
        message: renderMessageBoth(syncEventMessage(e)),
        /** The order's number (an order's event whose order still exists). */
        orderNumber: e.subjectId == null ? null : (numbers.get(e.subjectId) ?? null),
        /** Smaregi product IDs (a product event). */
        productIds: e.subjectType === 'product' ? productIdsOf(e) : [],
      })),
    };
  }),
});
