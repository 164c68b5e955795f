import { paymentMethodInputSchema } from '@renkei/domain';
import {
  createPaymentMethod,
  deletePaymentMethod,
  getPaymentMethod,
  paymentMethodView,
  updatePaymentMethod,
} from '../../services/payment-methods.js';
import { livePaymentMethods } from '../../smaregi/live.js';
import { byId, idSchema } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const paymentMethodsRouter = router({
  list: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.paymentMethods.list()).map(paymentMethodView),
  ),
  get: authedProcedure
    .input(byId)
    .query(async ({ ctx, input }) =>
      paymentMethodView(await getPaymentMethod(scopeOf(ctx), input.id)),
    ),
  create: authedProcedure
    .input(paymentMethodInputSchema)
    .mutation(async ({ ctx, input }) =>
      paymentMethodView(await createPaymentMethod(scopeOf(ctx), input)),
    ),
  update: authedProcedure
    .input(paymentMethodInputSchema.extend({ id: idSchema }))
    .mutation(async ({ ctx, input: { id, ...input } }) =>
      paymentMethodView(await updatePaymentMethod(scopeOf(ctx), id, input)),
    ),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deletePaymentMethod(scopeOf(ctx), input.id);
    return { ok: true as const };
  }),
  /** Smaregi payment methods, read live, to choose a mapping from. */
  smaregiList: authedProcedure.query(async ({ ctx }) =>
    (await livePaymentMethods(scopeOf(ctx))).map((m) => ({
      paymentMethodId: m.paymentMethodId,
      paymentMethodCode: m.paymentMethodCode ?? null,
      paymentMethodName: m.paymentMethodName,
    })),
  ),
});
