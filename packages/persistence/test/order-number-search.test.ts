import { MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, ormOptions, tenantRepositories, type Orm } from '../src/index.js';
import { postgresqlMigrations } from '../src/migrations/postgresql/index.js';
import { prefixRange } from '../src/tenant-scoped.repository.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';
import { dropPostgresDatabase } from '../src/testing/postgres-admin.js';

/*
 * The order list's search: the beginning of the order number (or the whole of it), as a merchant
 * pastes or types it, read as a range from the (tenant, order number) index so it stays fast with
 * 100,000 orders. The same answers on both dialects: literal, case-sensitive.
 */

const NUMBERS = [
  ['RT-123456-20261130-0000001', '2026-11-30T01:00:00Z'],
  ['RT-123456-20261130-0000002', '2026-11-30T02:00:00Z'],
  ['RT-123456-20261201-0000001', '2026-12-01T01:00:00Z'],
  ['503-1234567-1234567', '2026-11-29T01:00:00Z'],
  ['503-1234567-7654321', '2026-11-29T02:00:00Z'],
  ['EC_10', '2026-11-28T01:00:00Z'],
  ['ECX10', '2026-11-28T02:00:00Z'],
  ['ec-11', '2026-11-28T03:00:00Z'],
] as const;

/** Inserts a tenant with one shop, payment method and status, and these orders (plain SQL). */
async function seedOrders(
  orm: Orm,
  dialect: string,
  tenantId: string,
  numbers: readonly (readonly [string, string])[],
): Promise<void> {
  const conn = forkEm(orm).getConnection();
  const q = (name: string) => (dialect === 'sqlite' ? `\`${name}\`` : `"${name}"`);
  const at = (iso: string) => (dialect === 'sqlite' ? Date.parse(iso) : iso);
  const insert = async (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    await conn.execute(
      `insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      Object.values(row),
    );
  };
  const now = at('2026-11-01T00:00:00Z');
  const stamps = { created_at: now, updated_at: now };
  await insert('tenants', { id: tenantId, name: 'テスト商店', demo: false, created_at: now });
  const ref = (kind: string) => `${kind}-${tenantId}`;
  await insert('shops', {
    id: ref('s'),
    tenant_id: tenantId,
    name: '楽天市場店',
    mall_kind: 'rakuten',
    tax_mode: 'included',
    active: true,
    ...stamps,
  });
  await insert('payment_methods', {
    id: ref('pm'),
    tenant_id: tenantId,
    name: 'カード',
    active: true,
    ...stamps,
  });
  await insert('order_statuses', {
    id: ref('st'),
    tenant_id: tenantId,
    name: '新規受付',
    category: 'open',
    active: true,
    ...stamps,
  });
  // Many rows per statement: the broad search needs thousands of orders.
  const rows = numbers.map(([number, orderedAt]) => ({
    id: `o-${tenantId}-${number}`,
    tenant_id: tenantId,
    shop_id: ref('s'),
    order_number: number,
    order_code: number,
    status_id: ref('st'),
    ordered_at: at(orderedAt),
    payment_method_id: ref('pm'),
    source: 'api',
    sync_state: 'waiting',
    ...stamps,
  }));
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500);
    const columns = Object.keys(chunk[0]!);
    await conn.execute(
      `insert into ${q('orders')} (${columns.map(q).join(', ')}) values ${chunk
        .map(() => `(${columns.map(() => '?').join(', ')})`)
        .join(', ')}`,
      chunk.flatMap((r) => Object.values(r)),
    );
  }
}

describe('prefixRange', () => {
  it('ends the range at the prefix with its last character raised', () => {
    expect(prefixRange('AZ-00')).toEqual({ $gte: 'AZ-00', $lt: 'AZ-01' });
    expect(prefixRange('受注')).toEqual({ $gte: '受注', $lt: '受\u6ce9' });
    // Past the surrogates, and past a last character that cannot be raised.
    expect(prefixRange('A\ud7ff')).toEqual({ $gte: 'A\ud7ff', $lt: 'A\ue000' });
    expect(prefixRange('A\u{10ffff}')).toEqual({ $gte: 'A\u{10ffff}', $lt: 'B' });
    expect(prefixRange('\u{10ffff}')).toEqual({ $gte: '\u{10ffff}' });
  });
});

describe.each(testDialects())('order number search (%s)', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('finds the orders whose number begins with the text, literally and case-sensitively', async () => {
    db = await createTestDatabase(dialect);
    await seedOrders(db.orm, dialect, 't-1', NUMBERS);
    await seedOrders(db.orm, dialect, 't-2', [['RT-123456-20261130-0000009', NUMBERS[0][1]]]);
    const repo = tenantRepositories(forkEm(db.orm), 't-1').orders;
    const found = async (search: string) => {
      const page = await repo.page({ search }, 1, 50);
      return [page.total, page.items.map((o) => o.orderNumber)];
    };
    // A whole Rakuten or Amazon number, pasted.
    expect(await found('RT-123456-20261130-0000002')).toEqual([1, ['RT-123456-20261130-0000002']]);
    expect(await found('503-1234567-7654321')).toEqual([1, ['503-1234567-7654321']]);
    // Its beginning, typed: newest first; the other tenant's order stays out.
    expect(await found('RT-123456-20261130')).toEqual([
      2,
      ['RT-123456-20261130-0000002', 'RT-123456-20261130-0000001'],
    ]);
    expect(await found('503-')).toEqual([2, ['503-1234567-7654321', '503-1234567-1234567']]);
    // `_` and `%` are characters, not wildcards; case counts.
    expect(await found('EC_')).toEqual([1, ['EC_10']]);
    expect(await found('EC%')).toEqual([0, []]);
    expect(await found('ec')).toEqual([1, ['ec-11']]);
    // Not the middle or the end of a number.
    expect(await found('0000001')).toEqual([0, []]);
    expect(await found('20261130')).toEqual([0, []]);
  });

  it('pages a search that matches thousands of orders newest first, with the exact count', async () => {
    db = await createTestDatabase(dialect);
    // More matches than BROAD_SEARCH (5,000): SQLite reads this page from the order-date index.
    const many: [string, string][] = [];
    const hour = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString();
    for (let i = 0; i < 6000; i++) many.push([`AZ-${String(i).padStart(5, '0')}`, hour(i)]);
    // Next to them in number order, and newer: not found.
    many.push(['AZ+00001', hour(7000)], ['AZ.00001', hour(7001)], ['az-00001', hour(7002)]);
    await seedOrders(db.orm, dialect, 't-1', many);
    const repo = tenantRepositories(forkEm(db.orm), 't-1').orders;
    const first = await repo.page({ search: 'AZ-' }, 1, 50);
    expect(first.total).toBe(6000);
    expect(first.items.map((o) => o.orderNumber).slice(0, 3)).toEqual([
      'AZ-05999',
      'AZ-05998',
      'AZ-05997',
    ]);
    const last = await repo.page({ search: 'AZ-' }, 120, 50);
    expect(last.items.map((o) => o.orderNumber).slice(-2)).toEqual(['AZ-00001', 'AZ-00000']);
    // Fewer matches: read from the number index, same answers.
    const few = await repo.page({ search: 'AZ-014' }, 1, 50);
    expect([few.total, few.items[0]?.orderNumber]).toEqual([100, 'AZ-01499']);
  });
});

/*
 * Migration20261201080000: PostgreSQL compares `orders.order_number` by code point (collation
 * "C"), so the search's range is the beginning of the number whatever the database's collation.
 * The database here has a language collation that weighs punctuation last (as glibc's en_US and
 * ja_JP do), under which the range from `RT-` to `RT.` holds no `RT-…` number at all.
 */
describe.runIf(testDialects().includes('postgresql'))(
  'order number collation migration (postgresql)',
  () => {
    const MIGRATION = 'Migration20261201080000';
    let orm: Orm | undefined;
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await orm?.close(true);
      await drop?.();
      orm = undefined;
      drop = undefined;
    });

    /** An empty database with a language collation (ICU, punctuation shifted). */
    async function languageCollatedDatabase(): Promise<Orm> {
      const server = process.env.RENKEI_TEST_PG_URL ?? '';
      const name = `renkei_m_${Math.random().toString(16).slice(2, 10)}`;
      const client = new pg.Client({ connectionString: server });
      await client.connect();
      try {
        await client.query(
          `CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en-u-ka-shifted'`,
        );
      } finally {
        await client.end();
      }
      drop = () => dropPostgresDatabase(server, name);
      const url = new URL(server);
      url.pathname = `/${name}`;
      return MikroORM.init(
        ormOptions({ location: { dialect: 'postgresql', url: url.toString() } }),
      );
    }

    const collationOf = async (db: Orm) =>
      (
        await forkEm(db)
          .getConnection()
          .execute<{ collation: string | null }[]>(
            `select collation_name as collation from information_schema.columns where table_name = 'orders' and column_name = 'order_number'`,
          )
      )[0]?.collation;

    it('keeps every order and makes the search the beginning of the number', async () => {
      orm = await languageCollatedDatabase();
      const migrator = orm.getMigrator();
      const mine = postgresqlMigrations.findIndex((m) => m.name === MIGRATION);
      expect(mine).toBeGreaterThan(0);
      await migrator.up({ to: postgresqlMigrations[mine - 1]!.name });
      await seedOrders(orm, 'postgresql', 't-1', NUMBERS);
      expect(await collationOf(orm)).toBeNull();

      await migrator.up();
      expect(await migrator.getPendingMigrations()).toEqual([]);
      expect(await collationOf(orm)).toBe('C');
      const repo = tenantRepositories(forkEm(orm), 't-1').orders;
      const numbers = async (search?: string) =>
        (await repo.page({ search }, 1, 50)).items.map((o) => o.orderNumber).sort();
      expect(await numbers()).toEqual(NUMBERS.map(([n]) => n).sort());
      expect(await numbers('RT-')).toEqual([
        'RT-123456-20261130-0000001',
        'RT-123456-20261130-0000002',
        'RT-123456-20261201-0000001',
      ]);
      expect(await numbers('EC')).toEqual(['ECX10', 'EC_10']);
      expect(await numbers('EC_')).toEqual(['EC_10']);

      await migrator.down({ to: postgresqlMigrations[mine - 1]!.name });
      expect(await collationOf(orm)).toBeNull();
      expect(await numbers()).toEqual(NUMBERS.map(([n]) => n).sort());
    });
  },
);
