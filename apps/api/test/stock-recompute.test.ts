import { forkEm, StockRecomputeRun } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedTenant, signedInCaller, type TestApp } from './helpers.js';

/*
 * Saving 在庫数合算設定 / 有効在庫数計算設定 queues the recompute of every product (the worker
 * runs it, apps/worker/src/stock/stock-recompute.ts) in the same save, and the admin reads its
 * progress; switching back before it ran supersedes it and keeps the orders' re-read.
 */
describe.each(testDialects())('stock settings queue a recompute (%s)', (dialect) => {
  let t: TestApp;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let tenantId: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const a = await seedTenant(t.deps, 'A');
    tenantId = a.tenantId;
    ({ caller } = await signedInCaller(t.deps, a));
  });
  afterAll(() => t.close());

  const runs = () =>
    forkEm(t.deps.orm).find(
      StockRecomputeRun,
      { tenant: tenantId },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );

  it('queues one run per change of the stock settings, none for other settings', async () => {
    expect(await caller.settings.stockRecompute()).toBeNull();
    await caller.settings.update({ syncEnclosures: true });
    expect(await runs()).toHaveLength(0);

    await caller.settings.update({ effectiveStockMode: 'omsPurchase' });
    const first = await caller.settings.stockRecompute();
    expect(first).toMatchObject({
      state: 'queued',
      changes: { effectiveStockMode: { from: 'smaregiAllocation', to: 'omsPurchase' } },
      productsDone: 0,
      ordersDone: 0,
    });

    // Back again (and the basis) before the worker ran it: one run, covering both.
    await caller.settings.update({
      effectiveStockMode: 'smaregiAllocation',
      stockBasis: 'allStores',
    });
    const all = await runs();
    expect(all.map((r) => r.state)).toEqual(['canceled', 'queued']);
    expect(all[1]).toMatchObject({
      rereadOrders: true,
      changes: {
        effectiveStockMode: { from: 'omsPurchase', to: 'smaregiAllocation' },
        stockBasis: { from: 'orderStoreWarehouse', to: 'allStores' },
      },
    });
    expect((await caller.settings.stockRecompute())?.id).toBe(all[1]!.id);
  });
});
