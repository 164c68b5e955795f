import { invalid } from '../../errors.js';
import { auditListInput, dateRangeErrors, endOfJapanDay, startOfJapanDay } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';

export const auditRouter = router({
  /**
   * 操作履歴: who changed what, newest first, paged, filtered by action and days (Japan time).
   * `before` / `after` are the changed thing's fields as recorded (the admin shows their
   * difference); an order's entry carries the order number for its link.
   */
  list: authedProcedure.input(auditListInput).query(async ({ ctx, input }) => {
    const rangeErrors = dateRangeErrors(input, [['from', 'to', '期間', 'date']]);
    if (rangeErrors.length > 0) throw invalid(rangeErrors);
    const page = await ctx.repos.audit.page(
      {
        action: input.action,
        from: input.from === undefined ? undefined : startOfJapanDay(input.from),
        before: input.to === undefined ? undefined : endOfJapanDay(input.to),
      },
      input.page,
      input.pageSize,
    );
    const orderIds = [
      ...new Set(
        page.items.flatMap((a) =>
          a.entityType === 'order' && a.entityId != null ? [a.entityId] : [],
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
      ...page,
      items: page.items.map((a) => ({
        id: a.id,
        at: a.at.toISOString(),
        actor: a.actorLabel,
        action: a.action,
        entityType: a.entityType,
        entityId: a.entityId ?? null,
        /** The order's number, for an order's entry whose order still exists. */
        orderNumber: a.entityId == null ? null : (numbers.get(a.entityId) ?? null),
        before: a.before ?? null,
        after: a.after ?? null,
      })),
    };
  }),
});
