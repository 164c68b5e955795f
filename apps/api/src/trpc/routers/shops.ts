import { shopInputSchema } from '@renkei/domain';
import {
  createShop,
  deleteShop,
  getShop,
  recordOrderStores,
  shopView,
  smaregiStoreSettings,
  updateShop,
} from '../../services/catalog.js';
import { liveOrderStores, livePosStores } from '../../smaregi/live.js';
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
  /**
   * Smaregi 受注店舗, read live, to choose a mapping from. `stockStoreId` / `autoAllocation` are
   * what the store object says, null when it says nothing (no public source shows them): the
   * admin offers them as the prefill of the shop's own settings, never as the settings.
   */
  orderStores: authedProcedure.query(async ({ ctx }) => {
    const scope = scopeOf(ctx);
    const stores = await liveOrderStores(scope);
    // What the merchant sees here is what the worker holds orders by (販売区分).
    await recordOrderStores(scope, stores);
    return stores.map((s) => {
      const said = smaregiStoreSettings(s);
      return {
        storeId: s.storeId,
        storeName: s.storeName,
        sellDivision: s.sellDivision,
        stockStoreId: said.warehouseStoreId,
        autoAllocation: said.autoAllocation,
      };
    });
  }),
  /** Smaregi POS stores and warehouses, read live: what a 受注店舗's 倉庫 can be. */
  posStores: authedProcedure.query(async ({ ctx }) =>
    (await livePosStores(scopeOf(ctx))).map((s) => ({
      storeId: s.storeId,
      storeName: s.storeName,
      /** "1" store, "2" warehouse (docs/smaregi-wire.md §4.3); null when not sent. */
      division: s.division ?? null,
    })),
  ),
});
