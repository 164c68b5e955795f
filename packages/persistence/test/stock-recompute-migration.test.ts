import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261201070000 adds the stock recompute marks on listed products and the recompute runs
 * of a settings change. A database made by the previous schema must keep every product with its
 * figures, unmarked; marks then coalesce and clear only what was seen; a settings change's run
 * supersedes an unfinished one; and `down` gives the previous schema back with the products.
 */
const MIGRATION = 'Migration20261201070000';

describe.each(testDialects())('stock recompute migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps every product unmarked, then marks, clears and records runs', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const now = at('2026-11-01T00:00:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    for (const [id, code, smaregi, stock] of [
      ['p-1', 'A-1', '8000001', 5],
      ['p-2', 'A-2', '8000002', 7],
      ['p-3', 'A-3', null, null],
    ] as const)
      await insert('listed_products', {
        id,
        tenant_id: 't-1',
        product_code: code,
        product_code_key: code,
        name: `商品${code}`,
        smaregi_product_id: smaregi,
        stock_amount: stock,
        effective_stock: stock,
        sync_state: smaregi === null ? 'notImported' : 'synced',
        created_at: now,
        updated_at: now,
      });
    expect(await before.columnsOf('listed_products')).not.toContain('stock_recompute_requests');

    await before.migrateRest();
    expect(
      await before.select('listed_products', ['id', 'stock_amount', 'stock_recompute_requests']),
    ).toEqual([
      { id: 'p-1', stock_amount: 5, stock_recompute_requests: 0 },
      { id: 'p-2', stock_amount: 7, stock_recompute_requests: 0 },
      { id: 'p-3', stock_amount: null, stock_recompute_requests: 0 },
    ]);

    const em = forkEm(before.db.orm);
    const repos = tenantRepositories(em, 't-1');
    await repos.stockMarks.request(['8000001', '8000001', '8000002', 'unknown']);
    await repos.stockMarks.request(['8000001']);
    const seen = await repos.stockMarks.due(10);
    expect(seen).toEqual([
      { smaregiProductId: '8000001', requests: 2 },
      { smaregiProductId: '8000002', requests: 1 },
    ]);
    // A request made while the recompute ran keeps its product marked.
    await repos.stockMarks.request(['8000002']);
    await repos.stockMarks.done(seen);
    expect(await repos.stockMarks.due(10)).toEqual([{ smaregiProductId: '8000002', requests: 2 }]);

    const first = await repos.stockRecomputeRuns.request(
      { effectiveStockMode: { from: 'smaregiAllocation', to: 'omsPurchase' } },
      true,
      'admin@example.com',
      new Date(),
    );
    await em.flush();
    const second = await repos.stockRecomputeRuns.request(
      { stockBasis: { from: 'orderStoreWarehouse', to: 'allStores' } },
      false,
      'admin@example.com',
      new Date(),
    );
    await em.flush();
    const runs = tenantRepositories(forkEm(before.db.orm), 't-1').stockRecomputeRuns;
    expect((await runs.findById(first.id))?.state).toBe('canceled');
    const active = await runs.findActive();
    expect(active?.id).toBe(second.id);
    // The superseded run's order re-read is carried along.
    expect(active?.rereadOrders).toBe(true);

    await before.migrateBack();
    expect(await before.columnsOf('listed_products')).not.toContain('stock_recompute_requests');
    expect((await before.select('listed_products', ['id'])).map((r) => r.id)).toEqual([
      'p-1',
      'p-2',
      'p-3',
    ]);
  });
});
