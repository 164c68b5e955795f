import { orderStatusInputSchema } from '@renkei/domain';
import {
  createOrderStatus,
  deleteOrderStatus,
  getOrderStatus,
  orderStatusView,
  updateOrderStatus,
} from '../../services/order-statuses.js';
import { getSettings, statusIdsIn } from '../../services/settings.js';
import { byId, idSchema } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const orderStatusesRouter = router({
  list: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.orderStatuses.list()).map(orderStatusView),
  ),
  get: authedProcedure
    .input(byId)
    .query(async ({ ctx, input }) => orderStatusView(await getOrderStatus(scopeOf(ctx), input.id))),
  create: authedProcedure
    .input(orderStatusInputSchema)
    .mutation(async ({ ctx, input }) =>
      orderStatusView(await createOrderStatus(scopeOf(ctx), input)),
    ),
  update: authedProcedure
    .input(orderStatusInputSchema.extend({ id: idSchema }))
    .mutation(async ({ ctx, input: { id, ...input } }) =>
      orderStatusView(await updateOrderStatus(scopeOf(ctx), id, input)),
    ),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    const scope = scopeOf(ctx);
    await deleteOrderStatus(scope, input.id, statusIdsIn(await getSettings(scope)));
    return { ok: true as const };
  }),
});
