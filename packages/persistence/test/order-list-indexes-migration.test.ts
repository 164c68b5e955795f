import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261201060000 gives the order list its indexes (each filter followed by the order
 * date) and replaces (tenant, status) by (tenant, status, ordered_at). A database made by the
 * previous schema must come out with every order as it was, the indexes in place, and the list
 * answering each filter over those orders; its `down` must give the old index back.
 */
const MIGRATION = 'Migration20261201060000';

const NEW_INDEXES = [
  'orders_tenant_ordered_idx',
  'orders_tenant_shop_ordered_idx',
  'orders_tenant_status_ordered_idx',
  'orders_tenant_sync_ordered_idx',
  'orders_tenant_allocation_ordered_idx',
  'orders_tenant_shipping_date_idx',
];

describe.each(testDialects())('order list indexes migration (%s)', (dialect) => {
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

  it('keeps every order, adds the list indexes and lists by each filter', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const now = at('2026-11-01T00:00:00Z');
    const stamps = { created_at: now, updated_at: now };
    await insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    for (const [id, name] of [
      ['s-1', '楽天市場店'],
      ['s-2', 'Amazon店'],
    ])
      await insert('shops', {
        id,
        tenant_id: 't-1',
        name,
        mall_kind: 'rakuten',
        tax_mode: 'included',
        active: true,
        ...stamps,
      });
    await insert('payment_methods', {
      id: 'pm-1',
      tenant_id: 't-1',
      name: 'カード',
      active: true,
      ...stamps,
    });
    for (const [id, name] of [
      ['st-new', '新規受付'],
      ['st-ship', '出荷待ち'],
    ])
      await insert('order_statuses', {
        id,
        tenant_id: 't-1',
        name,
        category: 'open',
        active: true,
        ...stamps,
      });
    const orders = [
      // number, shop, status, sync state, reason, allocation, shipping date, ordered at
      ['RT-1', 's-1', 'st-new', 'waiting', null, null, null, '2026-11-01T01:00:00Z'],
      [
        'RT-2',
        's-1',
        'st-new',
        'waiting',
        'orderHeld',
        'unallocated',
        null,
        '2026-11-02T01:00:00Z',
      ],
      [
        'AZ-3',
        's-2',
        'st-ship',
        'registered',
        null,
        'partial',
        '2026-11-05',
        '2026-11-03T01:00:00Z',
      ],
      [
        'AZ-4',
        's-2',
        'st-ship',
        'registered',
        null,
        'allocated',
        '2026-11-06',
        '2026-11-04T01:00:00Z',
      ],
    ] as const;
    for (const [number, shop, status, sync, reason, allocation, shipping, ordered] of orders)
      await insert('orders', {
        id: `o-${number}`,
        tenant_id: 't-1',
        shop_id: shop,
        order_number: number,
        order_code: number,
        status_id: status,
        ordered_at: at(ordered),
        payment_method_id: 'pm-1',
        shipping_date: shipping,
        source: 'api',
        sync_state: sync,
        sync_reason_code: reason,
        sync_reason_params: reason === null ? null : JSON.stringify({ orderNumber: number }),
        allocation_status: allocation,
        ...stamps,
      });
    expect(await indexesOf(before)).toContain('orders_tenant_status_idx');

    await before.migrateRest();
    const indexes = await indexesOf(before);
    expect(indexes).toEqual(expect.arrayContaining(NEW_INDEXES));
    expect(indexes).not.toContain('orders_tenant_status_idx');

    const repo = tenantRepositories(forkEm(before.db.orm), 't-1').orders;
    const numbers = async (filter: Parameters<typeof repo.page>[0]) =>
      (await repo.page(filter, 1, 50)).items.map((o) => o.orderNumber);
    // Newest order date first.
    expect(await numbers({})).toEqual(['AZ-4', 'AZ-3', 'RT-2', 'RT-1']);
    expect(await numbers({ shopId: 's-1' })).toEqual(['RT-2', 'RT-1']);
    expect(await numbers({ statusId: 'st-ship' })).toEqual(['AZ-4', 'AZ-3']);
    expect(await numbers({ syncState: 'held' })).toEqual(['RT-2']);
    expect(await numbers({ syncState: 'notSynced' })).toEqual(['RT-1']);
    expect(await numbers({ syncState: 'waiting' })).toEqual(['RT-2', 'RT-1']);
    expect(await numbers({ allocation: 'none' })).toEqual(['RT-2']);
    expect(await numbers({ allocation: 'partial' })).toEqual(['AZ-3']);
    expect(await numbers({ allocation: 'full' })).toEqual(['AZ-4']);
    expect(await numbers({ shippingDateFrom: '2026-11-06', shippingDateTo: '2026-11-30' })).toEqual(
      ['AZ-4'],
    );
    expect(
      await numbers({
        orderedFrom: new Date('2026-11-02T00:00:00Z'),
        orderedBefore: new Date('2026-11-04T00:00:00Z'),
      }),
    ).toEqual(['AZ-3', 'RT-2']);
    expect(await numbers({ search: 'AZ' })).toEqual(['AZ-4', 'AZ-3']);

    await before.migrateBack();
    const back = await indexesOf(before);
    expect(back).toContain('orders_tenant_status_idx');
    expect(back.filter((i) => NEW_INDEXES.includes(i))).toEqual([]);
    expect((await before.select('orders', ['order_number'])).map((r) => r.order_number)).toEqual([
      'AZ-3',
      'AZ-4',
      'RT-1',
      'RT-2',
    ]);
  });
});
