import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202010000 gives product import runs their mode, the estimate of their total and
 * who cancelled them. Runs made by the previous schema keep every counter, and read as what they
 * did (create and update), with no estimate; a new run's estimate comes from the linked products
 * or the last finished run; a running run can be cancelled once, a finished one not; and `down`
 * gives the previous schema back with the runs.
 */
const MIGRATION = 'Migration20261202010000';

describe.each(testDialects())('product import panel migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps every run as it was, then estimates, cancels and migrates back', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const t0 = at('2026-11-01T00:00:00Z');
    const t1 = at('2026-11-01T00:05:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: t0 });
    const run = (id: string, state: string, processed: number, extra = {}) =>
      insert('product_import_runs', {
        id,
        tenant_id: 't-1',
        state,
        cursor: String(Math.ceil(processed / 1000) + 1),
        pages_done: Math.ceil(processed / 1000),
        processed,
        created: processed - 1,
        updated: 1,
        skipped: 0,
        failed: 0,
        requested_by: 'owner@example.jp',
        started_at: t0,
        created_at: t0,
        updated_at: t0,
        ...extra,
      });
    await run('r-1', 'succeeded', 2500, { finished_at: t1 });
    await run('r-2', 'running', 1000);
    for (const [id, code, smaregi] of [
      ['p-1', 'A-1', '8000001'],
      ['p-2', 'A-2', null],
    ] as const)
      await insert('listed_products', {
        id,
        tenant_id: 't-1',
        product_code: code,
        product_code_key: code,
        name: `商品${code}`,
        smaregi_product_id: smaregi,
        sync_state: smaregi === null ? 'notImported' : 'synced',
        created_at: t0,
        updated_at: t0,
      });
    expect(await before.columnsOf('product_import_runs')).not.toContain('mode');

    await before.migrateRest();
    expect(
      await before.select('product_import_runs', [
        'id',
        'state',
        'mode',
        'expected_total',
        'canceled_by',
        'processed',
        'created',
        'cursor',
      ]),
    ).toEqual([
      {
        id: 'r-1',
        state: 'succeeded',
        mode: 'createAndUpdate',
        expected_total: null,
        canceled_by: null,
        processed: 2500,
        created: 2499,
        cursor: '4',
      },
      {
        id: 'r-2',
        state: 'running',
        mode: 'createAndUpdate',
        expected_total: null,
        canceled_by: null,
        processed: 1000,
        created: 999,
        cursor: '2',
      },
    ]);

    const repos = tenantRepositories(forkEm(before.db.orm), 't-1');
    // One linked product, 2,500 read by the last finished run: the larger one.
    expect(await repos.importRuns.estimateTotal()).toBe(2500);
    const now = new Date('2026-11-02T00:00:00Z');
    expect(await repos.importRuns.cancel('r-2', 'owner@example.jp', now)).toBe(true);
    expect(await repos.importRuns.cancel('r-2', 'owner@example.jp', now)).toBe(false);
    expect(await repos.importRuns.cancel('r-1', 'owner@example.jp', now)).toBe(false);
    const canceled = await tenantRepositories(forkEm(before.db.orm), 't-1').importRuns.findById(
      'r-2',
    );
    expect(canceled).toMatchObject({
      state: 'canceled',
      canceledBy: 'owner@example.jp',
      finishedAt: now,
      processed: 1000,
    });
    // Another tenant sees no estimate (its first import).
    expect(await tenantRepositories(forkEm(before.db.orm), 't-2').importRuns.estimateTotal()).toBe(
      null,
    );

    await before.migrateBack();
    expect(await before.columnsOf('product_import_runs')).not.toContain('mode');
    expect(await before.select('product_import_runs', ['id', 'state', 'processed'])).toEqual([
      { id: 'r-1', state: 'succeeded', processed: 2500 },
      { id: 'r-2', state: 'canceled', processed: 1000 },
    ]);
  });
});
