import type { trpc } from '../../api/trpc';

/*
 * The progress of the recompute the worker runs after 在庫数合算設定 / 有効在庫数計算設定
 * changed (apps/api settings.stockRecompute): one short line — its state, and while it runs the
 * phase with how many of how many are done.
 */

export type StockRecomputeView = NonNullable<
  Awaited<ReturnType<typeof trpc.settings.stockRecompute.query>>
>;

/** Queued or running: the screen reads it again every few seconds. */
export function isRecomputeActive(state: string | undefined): boolean {
  return state === 'queued' || state === 'running';
}

export interface RecomputeLine {
  /** Message key under `settings.allocation.recompute`, and its parameters. */
  key: 'queued' | 'orders' | 'stock' | 'plan' | 'succeeded' | 'failed' | 'canceled';
  params: { done: number; total: number; error: string };
}

/** The line of a run: the phase while it runs, else how it ended. */
export function recomputeLine(
  run: Pick<
    StockRecomputeView,
    | 'state'
    | 'phase'
    | 'ordersDone'
    | 'ordersTotal'
    | 'productsDone'
    | 'productsTotal'
    | 'lastError'
  >,
): RecomputeLine {
  const products = { done: run.productsDone, total: run.productsTotal, error: '' };
  switch (run.state) {
    case 'queued':
      return { key: 'queued', params: products };
    case 'running':
      if (run.phase === 'orders')
        return {
          key: 'orders',
          params: { done: run.ordersDone, total: run.ordersTotal, error: '' },
        };
      // Before its first phase is written the run is about to recompute the products.
      return { key: run.phase === 'plan' ? 'plan' : 'stock', params: products };
    case 'succeeded':
      return { key: 'succeeded', params: products };
    case 'failed':
      return { key: 'failed', params: { ...products, error: run.lastError ?? '' } };
    default:
      // canceled: a newer change took over (and carries its order re-read along).
      return { key: 'canceled', params: products };
  }
}
