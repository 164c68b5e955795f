import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202020000 gives 出品商品一覧 its indexes (each sort after the tenant, the sync
 * state filter, 商品管理番号, open drifts) and, on PostgreSQL, compares the searched columns by code
 * point. A database made by the previous schema must come out with every product and drift as it
 * was, the indexes in place, and the list answering its search, filters and sorts over them; its
 * `down` must give the old (tenant, name) index back with the rows.
 */
const MIGRATION = 'Migration20261202020000';

const NEW_INDEXES = [
  'listed_products_tenant_stock_idx',
  'listed_products_tenant_updated_idx',
  'listed_products_tenant_sync_code_idx',
  'listed_products_tenant_management_number_idx',
  'stock_drifts_tenant_open_idx',
];

describe.each(testDialects())('product list indexes migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  async function indexesOf(db: SchemaBefore): Promise<{ name: string; sql: string }[]> {
    const sql =
      dialect === 'sqlite'
        ? `select name, sql from sqlite_master where type = 'index' and tbl_name in ('listed_products', 'stock_drifts')`
        : `select indexname as name, indexdef as sql from pg_indexes where tablename in ('listed_products', 'stock_drifts')`;
    return (await db.db.orm.em.getConnection().execute(sql)) as { name: string; sql: string }[];
  }

  it('keeps every product, adds the list indexes, and lists by each filter and sort', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const t0 = at('2026-11-01T00:00:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: t0 });
    const products = [
      // id, code, management number, name, Smaregi ID, effective stock, sync state, updated
      ['p-1', 'ts-1', null, 'Tシャツ', '8000001', 4, 'synced', '2026-11-02T00:00:00Z'],
      ['p-2', 'TS-2', 'SKU-9', 'キャップ', '8000002', 0, 'synced', '2026-11-04T00:00:00Z'],
      ['p-3', 'TS-10', null, 'バッグ', null, null, 'failed', '2026-11-03T00:00:00Z'],
    ] as const;
    for (const [id, code, mgmt, name, smaregi, stock, sync, updated] of products)
      await insert('listed_products', {
        id,
        tenant_id: 't-1',
        product_code: code,
        product_code_key: code,
        management_number: mgmt,
        name,
        smaregi_product_id: smaregi,
        effective_stock: stock,
        sync_state: sync,
        stock_recompute_requests: 0,
        created_at: t0,
        updated_at: at(updated),
      });
    await insert('stock_drifts', {
      id: 'd-1',
      tenant_id: 't-1',
      product_id: 'p-2',
      smaregi_store_id: '1',
      renkei_amount: 3,
      smaregi_amount: 0,
      detected_at: t0,
    });
    expect((await indexesOf(before)).map((i) => i.name)).toContain(
      'listed_products_tenant_name_idx',
    );

    await before.migrateRest();
    const indexes = await indexesOf(before);
    expect(indexes.map((i) => i.name)).toEqual(expect.arrayContaining(NEW_INDEXES));
    expect(indexes.find((i) => i.name === 'listed_products_tenant_name_idx')?.sql).toMatch(
      /name.*id/,
    );

    if (dialect === 'postgresql') {
      // The searched columns compare by code point whatever the database's own collation.
      const columns = (await before.db.orm.em
        .getConnection()
        .execute(
          `select column_name, collation_name from information_schema.columns where table_name = 'listed_products' and column_name in ('product_code_key', 'management_number') order by column_name`,
        )) as { column_name: string; collation_name: string }[];
      expect(columns.map((c) => c.collation_name)).toEqual(['C', 'C']);
    }
    const repo = tenantRepositories(forkEm(before.db.orm), 't-1').products;
    const codes = async (query: Parameters<typeof repo.page>[0]) =>
      (await repo.page(query, 1, 50)).items.map((p) => p.productCode);
    // Code point order on both dialects: upper case before lower case, '1' before '2'.
    expect(await codes({})).toEqual(['TS-10', 'TS-2', 'ts-1']);
    expect(await codes({ search: 'TS-1' })).toEqual(['TS-10']);
    expect(await codes({ search: 'SKU' })).toEqual(['TS-2']);
    expect(await codes({ syncState: 'failed' })).toEqual(['TS-10']);
    expect(await codes({ drift: true })).toEqual(['TS-2']);
    expect(await codes({ stock: 'in' })).toEqual(['ts-1']);
    expect(await codes({ sort: 'effectiveStock', order: 'desc' })).toEqual([
      'ts-1',
      'TS-2',
      'TS-10',
    ]);
    expect(await codes({ sort: 'updatedAt', order: 'desc' })).toEqual(['TS-2', 'TS-10', 'ts-1']);

    await before.migrateBack();
    const back = (await indexesOf(before)).map((i) => i.name);
    expect(back).toContain('listed_products_tenant_name_idx');
    expect(back.filter((i) => NEW_INDEXES.includes(i))).toEqual([]);
    expect(
      await before.select('listed_products', ['id', 'product_code', 'management_number']),
    ).toEqual([
      { id: 'p-1', product_code: 'ts-1', management_number: null },
      { id: 'p-2', product_code: 'TS-2', management_number: 'SKU-9' },
      { id: 'p-3', product_code: 'TS-10', management_number: null },
    ]);
  });
});
