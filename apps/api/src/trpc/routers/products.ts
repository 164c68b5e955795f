import { renderMessageBoth } from '@renkei/domain';
import { syncEventMessage } from '@renkei/persistence';
import {
  cancelProductImport,
  importRunView,
  productStockFiguresView,
  productView,
  startProductImport,
} from '../../services/products.js';
import { notFound } from '../../errors.js';
import { byId, productImportStartInput, productListInput } from '../inputs.js';
import { authedProcedure, router } from '../trpc.js';
import { scopeOf } from '../scope.js';

export const productsRouter = router({
  /** 出品商品一覧: one page, searched, filtered and sorted (the repository's `page`). */
  list: authedProcedure.input(productListInput).query(async ({ ctx, input }) => {
    const { page, pageSize, ...query } = input;
    const result = await ctx.repos.products.page(query, page, pageSize);
    return {
      items: result.items.map((p) => productView(p, result.withOpenDrift.has(p.id))),
      total: result.total,
      // A search counts up to COUNT_LIMIT matches (persistence's capped-count): more than `total`.
      totalCapped: result.totalCapped,
      page: result.page,
      pageSize: result.pageSize,
    };
  }),
  /** [内訳]: what one product's 有効在庫数 comes from, and its open drift. */
  stockFigures: authedProcedure
    .input(byId)
    .query(({ ctx, input }) => productStockFiguresView(ctx, input.id)),
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
  /** [API連携する]: queues an import of the chosen operation for the worker. */
  startImport: authedProcedure.input(productImportStartInput).mutation(async ({ ctx, input }) => {
    const { run, alreadyRunning } = await startProductImport(scopeOf(ctx), input?.mode);
    return { run: importRunView(run), alreadyRunning };
  }),
  /** [中止]: cancels a queued or running import; an ended one is refused. */
  cancelImport: authedProcedure
    .input(byId)
    .mutation(async ({ ctx, input }) =>
      importRunView(await cancelProductImport(scopeOf(ctx), input.id)),
    ),
  importRuns: authedProcedure.query(async ({ ctx }) =>
    (await ctx.repos.importRuns.latest(10)).map(importRunView),
  ),
  importRun: authedProcedure.input(byId).query(async ({ ctx, input }) => {
    const run = await ctx.repos.importRuns.findById(input.id);
    if (run === null) throw notFound('商品取込', 'Product import');
    return importRunView(run);
  }),
});
