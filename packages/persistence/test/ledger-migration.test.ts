import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, Job, Operation, WorkerQueries } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261130210000 adds `operations.leased_by` and the per-tenant due index, and moves the
 * jobs table's priority to the one CallPriority scale (higher first). A database made by the
 * previous schema keeps its ledger rows as they were, and its queued jobs keep their order:
 * orders before webhook re-reads before stock before products.
 */
describe.each(testDialects())('ledger and job priority migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps ledger rows and maps queued jobs onto the higher-first scale in their old order', async () => {
    before = await schemaBefore(dialect, 'Migration20261130210000');
    const at = (ms: number) =>
      before!.at(new Date(Date.parse('2026-11-30T00:00:00Z') + ms).toISOString());
    await before.insert('tenants', {
      id: 't-1',
      name: 'テスト商店',
      demo: false,
      created_at: at(0),
    });
    await before.insert('operations', {
      id: 'op-1',
      tenant_id: 't-1',
      kind: 'registerOrder',
      business_key: 'order:o-1',
      state: 'in_flight',
      attempts: 2,
      lease_until: at(60_000),
      remote_id: null,
      subject_type: 'order',
      subject_id: 'o-1',
      created_at: at(0),
      updated_at: at(0),
    });
    // Old scale, lower first: products 20, stock webhook 10, order-shipment webhook 0, order 0.
    const jobs: [string, string, number, number][] = [
      ['j-products', 'products.import', 20, 1],
      ['j-stock', 'webhook.process', 10, 2],
      ['j-shipment', 'webhook.process', 0, 3],
      ['j-status', 'order.statusChanged', 0, 4],
      ['j-order', 'order.register', 0, 5],
    ];
    for (const [id, name, priority, n] of jobs)
      await before.insert('jobs', {
        id,
        tenant_id: 't-1',
        name,
        payload: '{}',
        state: 'queued',
        priority,
        run_at: at(n),
        attempts: 0,
        dedup_key: id,
        created_at: at(n),
        updated_at: at(n),
      });

    await before.migrateRest();
    const orm = before.db.orm;

    const op = await forkEm(orm).findOneOrFail(Operation, { id: 'op-1' });
    expect([op.state, op.attempts, op.businessKey, op.subjectId, op.leasedBy]).toEqual([
      'in_flight',
      2,
      'order:o-1',
      'o-1',
      null,
    ]);
    const priorities = Object.fromEntries(
      (await forkEm(orm).find(Job, {})).map((j) => [j.id, j.priority]),
    );
    expect(priorities).toEqual({
      'j-order': 30,
      'j-status': 25,
      'j-shipment': 20,
      'j-stock': 10,
      'j-products': 0,
    });
    // The queue now takes the highest first: the order, the status change, then the rest.
    const claimed = await new WorkerQueries(forkEm(orm)).claimJobs(
      'w-1',
      new Date(Date.parse('2026-11-30T01:00:00Z')),
      60_000,
      5,
    );
    expect(claimed.map((j) => j.id)).toEqual([
      'j-order',
      'j-status',
      'j-shipment',
      'j-stock',
      'j-products',
    ]);
  });
});
