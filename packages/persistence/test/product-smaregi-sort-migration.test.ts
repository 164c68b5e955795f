import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261202080000 gives 出品商品一覧's スマレジ商品ID sort (by number: length, then text)
 * its index. A database made by the previous schema must come out with every product as it was,
 * the index in place and the list sorting by it; its `down` drops the index and keeps the rows.
 */
const MIGRATION = 'Migration20261202080000';
const INDEX = 'listed_products_tenant_smaregi_number_idx';

describe.each(testDialects())('product Smaregi ID sort migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  async function indexesOf(db: SchemaBefore): Promise<string[]> {
    const sql =
      dialect === 'sqlite'
        ? `select name from sqlite_master where type = 'index' and tbl_name = 'listed_products'`
        : `select indexname as name from pg_indexes where tablename = 'listed_products'`;
    const rows = (await db.db.orm.em.getConnection().execute(sql)) as { name: string }[];
    return rows.map((r) => r.name);
  }

  it('keeps every product, adds the index, and sorts スマレジ商品ID by number', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const t0 = at('2026-11-01T00:00:00Z');
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: t0 });
    const products = [
      ['p-1', 'A', '10'],
      ['p-2', 'B', '9'],
      ['p-3', 'C', null],
      ['p-4', 'D', '100'],
    ] as const;
    for (const [id, code, smaregi] of products)
      await insert('listed_products', {
        id,
        tenant_id: 't-1',
        product_code: code,
        product_code_key: code,
        name: `商品 ${code}`,
        smaregi_product_id: smaregi,
        sync_state: smaregi === null ? 'notImported' : 'synced',
        stock_recompute_requests: 0,
        created_at: t0,
        updated_at: t0,
      });
    expect(await indexesOf(before)).not.toContain(INDEX);

    await before.migrateRest();
    expect(await indexesOf(before)).toContain(INDEX);
    const repo = tenantRepositories(forkEm(before.db.orm), 't-1').products;
    const codes = async (order: 'asc' | 'desc') =>
      (await repo.page({ sort: 'smaregiId', order }, 1, 50)).items.map((p) => p.productCode);
    expect(await codes('asc')).toEqual(['C', 'B', 'A', 'D']);
    expect(await codes('desc')).toEqual(['D', 'A', 'B', 'C']);

    await before.migrateBack();
    expect(await indexesOf(before)).not.toContain(INDEX);
    expect(await before.select('listed_products', ['id', 'smaregi_product_id'])).toEqual(
      products.map(([id, , smaregi]) => ({ id, smaregi_product_id: smaregi })),
    );
  });
});
