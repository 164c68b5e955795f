import { MikroORM } from '@mikro-orm/core';
import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, ormOptions, Shop, tenantRepositories, type Orm } from '../src/index.js';
import { postgresqlMigrations } from '../src/migrations/postgresql/index.js';
import { sqliteMigrations } from '../src/migrations/sqlite/index.js';
import { testDialects } from '../src/testing.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/testing/postgres-admin.js';

/*
 * Migration20261201020000 keeps the 販売区分 of each shop's 受注店舗 as last read from Smaregi. A
 * database made by the previous schema, with mapped shops in it, must come out with the shops
 * intact and the sell division unknown (null: nothing is held until Smaregi is read again).
 */
describe.each(testDialects())('shop sell-division migration (%s)', (dialect) => {
  let orm: Orm | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await orm?.close(true);
    await drop?.();
    orm = undefined;
    drop = undefined;
  });

  async function openUnmigrated(): Promise<Orm> {
    if (dialect === 'sqlite')
      return MikroORM.init(ormOptions({ location: { dialect: 'sqlite', path: ':memory:' } }));
    const server = process.env.RENKEI_TEST_PG_URL ?? '';
    const db = await createPostgresDatabase(server, 'renkei_m');
    drop = () => dropPostgresDatabase(server, db.name);
    return MikroORM.init(ormOptions({ location: { dialect: 'postgresql', url: db.url } }));
  }

  async function columnsOf(db: Orm, d: string): Promise<string[]> {
    const sql =
      d === 'sqlite'
        ? `pragma table_info('shops')`
        : `select column_name as name from information_schema.columns where table_name = 'shops'`;
    const rows = await forkEm(db).getConnection().execute<{ name: string }[]>(sql);
    return rows.map((r) => r.name);
  }

  it('keeps existing shops with an unknown sell division and stores one afterwards', async () => {
    orm = await openUnmigrated();
    const migrator = orm.getMigrator();
    const list = dialect === 'sqlite' ? sqliteMigrations : postgresqlMigrations;
    const mine = list.findIndex((m) => m.name === 'Migration20261201020000');
    expect(mine).toBeGreaterThan(0);
    await migrator.up({ to: list[mine - 1]!.name });
    expect(await columnsOf(orm, dialect)).not.toContain('order_store_sell_division');
    const q = (name: string) => (dialect === 'sqlite' ? `\`${name}\`` : `"${name}"`);
    const conn = forkEm(orm).getConnection();
    const now = dialect === 'sqlite' ? Date.now() : new Date().toISOString();
    await conn.execute(
      `insert into ${q('tenants')} (${q('id')}, ${q('name')}, ${q('demo')}, ${q('created_at')}) values (?, ?, ?, ?)`,
      ['t-1', 'テスト商店', false, now],
    );
    for (const [id, name, taxMode, active] of [
      ['s-1', '楽天市場店', 'included', true],
      ['s-2', 'Yahoo店', 'excluded', false],
    ] as const) {
      await conn.execute(
        `insert into ${q('shops')} (${q('id')}, ${q('tenant_id')}, ${q('name')}, ${q('mall_kind')}, ${q('tax_mode')}, ${q('active')}, ${q('order_store_id')}, ${q('order_store_name')}, ${q('order_code_prefix')}, ${q('created_at')}, ${q('updated_at')}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, 't-1', name, 'rakuten', taxMode, active, '5', 'EC受注店舗', 'RT-', now, now],
      );
    }

    await migrator.up();
    expect((await migrator.getPendingMigrations()).map((m) => m.name)).toEqual([]);

    const em = forkEm(orm);
    const shops = await em.find(Shop, { tenant: 't-1' }, { orderBy: { id: 'asc' } });
    expect(
      shops.map((s) => [
        s.name,
        s.taxMode,
        s.active,
        s.orderStoreId,
        s.orderCodePrefix,
        s.orderStoreSellDivision,
      ]),
    ).toEqual([
      ['楽天市場店', 'included', true, '5', 'RT-', null],
      ['Yahoo店', 'excluded', false, '5', 'RT-', null],
    ]);
    shops[0]!.orderStoreSellDivision = 'excluded';
    await em.flush();
    const again = await tenantRepositories(forkEm(orm), 't-1').shops.findById('s-1');
    expect(again?.orderStoreSellDivision).toBe('excluded');
  });
});
