import { renderMessageBoth } from '@renkei/domain';
import { syncEventMessage } from '@renkei/persistence';
import { importRunView, productView, startProductImport } from '../../services/products.js';
import { notFound } from '../../errors.js';
import { byId, productListInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const productsRouter = router({
  /** Paged search by code, management number, name or Smaregi product ID. */
  list: authedProcedure.input(productListInput).query(async ({ ctx, input }) => {
    const page = await ctx.repos.products.page(input.search, input.page, input.pageSize);
    return { ...page, items: page.items.map(productView) };
  }),
  get: authedProcedure.input(byId).query(async ({ ctx, input }) => {
    const product = await ctx.repos.products.findById(input.id);
    if (product === null) throw notFound('商品', 'Product');
    return {
      ...productView(product),
      history: (await ctx.repos.syncEvents.history('product', product.id)).map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        outcome: e.outcome,
        messageCode: e.messageCode,
        message: renderMessageBoth(syncEventMessage(e)),
      })),
    };
  }),
  /** スマレジから新規商品情報一括取得: queues an import for the worker. */
  startImport: authedProcedure.mutation(async ({ ctx }) => {
    const { run, alreadyRunning } = await startProductImport(scopeOf(ctx));
    return { run: importRunView(run), alreadyRunning };
  }),
  importRuns: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.importRuns.latest(10)).map(importRunView),
  ),
  importRun: authedProcedure.input(byId).query(async ({ ctx, input }) => {
    const run = await ctx.repos.importRuns.findById(input.id);
    if (run === null) throw notFound('商品取込', 'Product import');
    return importRunView(run);
  }),
});
