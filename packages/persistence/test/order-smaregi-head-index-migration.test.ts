import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202070000 indexes orders by (tenant, Smaregi 受注 ID), which Smaregi's order
 * webhooks name. A database made by the previous schema must come out with every order as it
 * was, found by its 受注 ID through the index and only in its own tenant; `down` drops the index.
 */
const MIGRATION = 'Migration20261202070000';
const INDEX = 'orders_tenant_smaregi_head_idx';

describe.each(testDialects())('order Smaregi 受注 ID index migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  async function indexesOf(db: SchemaBefore): Promise<string[]> {
    const sql =
      dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'index' and tbl_name = 'orders'`
        : `select indexname as name from pg_indexes where tablename = 'orders'`;
    const rows = (await db.db.orm.em.getConnection().execute(sql)) as { name: string }[];
    return rows.map((r) => r.name);
  }

  it('keeps every order and finds one by its 受注 ID in its own tenant', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const now = at('2026-11-01T00:00:00Z');
    const stamps = { created_at: now, updated_at: now };
    for (const tenant of ['t-1', 't-2']) {
      await insert('tenants', { id: tenant, name: tenant, demo: false, created_at: now });
      await insert('shops', {
        id: `s-${tenant}`,
        tenant_id: tenant,
        name: '楽天市場店',
        mall_kind: 'rakuten',
        tax_mode: 'included',
        active: true,
        ...stamps,
      });
      await insert('payment_methods', {
        id: `pm-${tenant}`,
        tenant_id: tenant,
        name: 'カード',
        active: true,
        ...stamps,
      });
      await insert('order_statuses', {
        id: `st-${tenant}`,
        tenant_id: tenant,
        name: '新規受付',
        category: 'open',
        active: true,
        ...stamps,
      });
    }
    const orders = [
      // id, tenant, number, Smaregi 受注 ID (the same ID in two contracts is possible)
      ['o-1', 't-1', 'RT-1', '101'],
      ['o-2', 't-1', 'RT-2', null],
      ['o-3', 't-2', 'RT-1', '101'],
    ] as const;
    for (const [id, tenant, number, head] of orders)
      await insert('orders', {
        id,
        tenant_id: tenant,
        shop_id: `s-${tenant}`,
        order_number: number,
        order_code: number,
        status_id: `st-${tenant}`,
        ordered_at: now,
        payment_method_id: `pm-${tenant}`,
        source: 'api',
        sync_state: head === null ? 'waiting' : 'registered',
        smaregi_order_head_id: head,
        ...stamps,
      });
    expect(await indexesOf(before)).not.toContain(INDEX);

    await before.migrateRest();
    expect(await indexesOf(before)).toContain(INDEX);
    const found = await tenantRepositories(forkEm(before.db.orm), 't-1').orders.findOne({
      smaregiOrderHeadId: '101',
    });
    expect(found?.id).toBe('o-1');
    if (dialect === 'sqlite') {
      const plan = (await before.db.orm.em
        .getConnection()
        .execute(
          "explain query plan select id from orders where tenant_id = 't-1' and smaregi_order_head_id = '101'",
        )) as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toContain(`USING INDEX ${INDEX}`);
    }

    await before.migrateBack();
    expect(await indexesOf(before)).not.toContain(INDEX);
    expect((await before.select('orders', ['id'])).map((r) => r.id)).toEqual(['o-1', 'o-2', 'o-3']);
  });
});
