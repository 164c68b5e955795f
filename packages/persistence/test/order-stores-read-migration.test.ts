import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261203050000 keeps the worker's 受注店舗 read times on the Smaregi connection. A
 * database made by the previous schema must keep every connection as it was (never read: null,
 * so the next read is due at once), and the `down` drops the columns and keeps the rows.
 */
const MIGRATION = 'Migration20261203050000';

describe.each(testDialects())('order-store read times migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps every connection and adds its read times as never read', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const t0 = at('2026-12-01T00:00:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: t0 });
    await insert('smaregi_connections', {
      id: 'c-1',
      tenant_id: 't-1',
      contract_id: 'sb_test',
      status: 'active',
      scopes: JSON.stringify(['pos.orders:read']),
      connected_at: t0,
      status_changed_at: t0,
      updated_at: t0,
    });
    expect(await before.columnsOf('smaregi_connections')).not.toContain('order_stores_read_at');

    await before.migrateRest();
    expect(
      await before.select('smaregi_connections', [
        'id',
        'contract_id',
        'status',
        'order_stores_read_started_at',
        'order_stores_read_at',
      ]),
    ).toEqual([
      {
        id: 'c-1',
        contract_id: 'sb_test',
        status: 'active',
        order_stores_read_started_at: null,
        order_stores_read_at: null,
      },
    ]);

    await before.migrateBack();
    const columns = await before.columnsOf('smaregi_connections');
    expect(columns).not.toContain('order_stores_read_at');
    expect(columns).not.toContain('order_stores_read_started_at');
    expect(await before.select('smaregi_connections', ['id', 'contract_id'])).toEqual([
      { id: 'c-1', contract_id: 'sb_test' },
    ]);
  });
});
