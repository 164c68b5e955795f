import { shopInputSchema } from '@renkei/domain';
import { createShop, deleteShop, getShop, shopView, updateShop } from '../../services/catalog.js';
import { liveOrderStores } from '../../smaregi/live.js';
import { byId, idSchema } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const shopsRouter = router({
  list: authedProcedure.query(async ({ ctx }) => (await ctx.repos.shops.list()).map(shopView)),
  get: authedProcedure
    .input(byId)
    .query(async ({ ctx, input }) => shopView(await getShop(scopeOf(ctx), input.id))),
  create: authedProcedure
    .input(shopInputSchema)
    .mutation(async ({ ctx, input }) => shopView(await createShop(scopeOf(ctx), input))),
  update: authedProcedure
    .input(shopInputSchema.extend({ id: idSchema }))
    .mutation(async ({ ctx, input: { id, ...input } }) =>
      shopView(await updateShop(scopeOf(ctx), id, input)),
    ),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteShop(scopeOf(ctx), input.id);
    return { ok: true as const };
  }),
  /** Smaregi 受注店舗, read live, to choose a mapping from. */
  orderStores: authedProcedure.query(async ({ ctx }) =>
    (await liveOrderStores(scopeOf(ctx))).map((s) => ({
      storeId: s.storeId,
      storeName: s.storeName,
      sellDivision: s.sellDivision,
      stockStoreId: s.stockStoreId ?? null,
      autoAllocation: s.autoAllocation ?? null,
    })),
  ),
});
