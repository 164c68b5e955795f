import { afterEach, describe, expect, it } from 'vitest';
import {
  changeFeedPage,
  FEED_START,
  forkEm,
  ListedProduct,
  Order,
  OrderLine,
  OrderStatus,
  PaymentMethod,
  Shop,
  StockLevel,
  tenantRepositories,
  type ChangeFeed,
  type Dialect,
  type Em,
} from '../src/index.js';
import { feedsCaughtUp, testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261203010000 gives every order and listed product a change position and instant,
 * kept by triggers (the REST API's change feeds). A database made by the previous schema must come
 * out with every row, each in the feed once, older changes first; after it, every write path moves
 * a row to the end of its feed: the unit of work, a raw update, a line, a shipment in the ledger,
 * a stock row — and a reconciliation that only confirms the figures does not. `down` gives the
 * previous schema back with the rows.
 */
const MIGRATION = 'Migration20261203010000';

async function feedIds(em: Em, feed: ChangeFeed, tenantId: string, since?: Date) {
  // Other test files' transactions on the same PostgreSQL server hold the feed back meanwhile.
  await feedsCaughtUp(em);
  const page = await changeFeedPage(em, feed, tenantId, {
    after: FEED_START,
    changedSince: since ?? null,
    limit: 100,
  });
  expect(page.more).toBe(false);
  return page.rows.map((r) => r.id);
}

/** Triggers and functions of the migration still in the database. */
async function triggersOf(db: SchemaBefore, dialect: Dialect): Promise<string[]> {
  const sql =
    dialect === 'sqlite'
      ? `select name from sqlite_master where type = 'trigger' order by name`
      : `select distinct trigger_name as name from information_schema.triggers order by 1`;
  const rows = (await db.db.orm.em.getConnection().execute(sql)) as { name: string }[];
  return rows.map((r) => r.name).filter((n) => n.includes('feed'));
}

describe.each(testDialects())('change feed migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('puts every existing row in its feed once, then every write moves its row to the end', async () => {
    before = await schemaBefore(dialect, MIGRATION);
    const { insert, at } = before;
    const stamps = (iso: string) => ({ created_at: at(iso), updated_at: at(iso) });
    for (const tenant of ['t-1', 't-2']) {
      const now = stamps('2026-11-01T00:00:00Z');
      await insert('tenants', {
        id: tenant,
        name: tenant,
        demo: false,
        created_at: now.created_at,
      });
      await insert('shops', {
        id: `s-${tenant}`,
        tenant_id: tenant,
        name: '楽天市場店',
        mall_kind: 'rakuten',
        tax_mode: 'included',
        active: true,
        ...now,
      });
      await insert('payment_methods', {
        id: `pm-${tenant}`,
        tenant_id: tenant,
        name: 'カード',
        active: true,
        ...now,
      });
      await insert('order_statuses', {
        id: `st-${tenant}`,
        tenant_id: tenant,
        name: '新規受付',
        category: 'open',
        active: true,
        ...now,
      });
    }
    // Inserted out of the order of their last update: the feed follows the updates.
    const orders = [
      ['o-1', 't-1', '2026-11-03T00:00:00Z'],
      ['o-2', 't-1', '2026-11-01T00:00:00Z'],
      ['o-3', 't-2', '2026-11-02T00:00:00Z'],
      ['o-4', 't-1', '2026-11-02T00:00:00Z'],
    ] as const;
    for (const [id, tenant, updated] of orders) {
      await insert('orders', {
        id,
        tenant_id: tenant,
        shop_id: `s-${tenant}`,
        order_number: id,
        order_code: id,
        status_id: `st-${tenant}`,
        ordered_at: at('2026-11-01T00:00:00Z'),
        payment_method_id: `pm-${tenant}`,
        source: 'api',
        ...stamps(updated),
      });
      await insert('order_lines', {
        id: `l-${id}`,
        tenant_id: tenant,
        order_id: id,
        line_no: 1,
        product_code: 'A-1',
        name: 'Tシャツ',
        unit_price: 1000,
        quantity: 1,
        is_enclosure: false,
        allocated_quantity: 0,
      });
    }
    for (const [id, updated] of [
      ['p-1', '2026-11-02T00:00:00Z'],
      ['p-2', '2026-11-01T00:00:00Z'],
    ] as const) {
      await insert('listed_products', {
        id,
        tenant_id: 't-1',
        product_code: id.toUpperCase(),
        product_code_key: id.toUpperCase(),
        name: `商品${id}`,
        smaregi_product_id: id === 'p-1' ? '8000001' : '8000002',
        stock_amount: 5,
        effective_stock: 5,
        sync_state: 'synced',
        stock_recompute_requests: 0,
        ...stamps(updated),
      });
      await insert('stock_levels', {
        id: `sl-${id}`,
        tenant_id: 't-1',
        product_id: id,
        smaregi_store_id: '1',
        stock_amount: 5,
        allocated_amount: 0,
        source: 'reconciliation',
        updated_at: at(updated),
      });
    }
    expect(await before.columnsOf('orders')).not.toContain('feed_position');

    await before.migrateRest();
    const { orm } = before.db;
    const em = () => forkEm(orm);
    expect(await feedIds(em(), 'orders', 't-1')).toEqual(
      dialect === 'sqlite' ? ['o-2', 'o-4', 'o-1'] : ['o-1', 'o-2', 'o-4'],
    );
    expect(await feedIds(em(), 'orders', 't-2')).toEqual(['o-3']);
    expect(await feedIds(em(), 'stock', 't-1')).toEqual(
      dialect === 'sqlite' ? ['p-2', 'p-1'] : ['p-1', 'p-2'],
    );
    expect(await feedIds(em(), 'stock', 't-2')).toEqual([]);
    // The instant of each row's last change is its last update.
    expect(await feedIds(em(), 'orders', 't-1', new Date('2026-11-02T00:00:00Z'))).toEqual(
      expect.arrayContaining(['o-1', 'o-4']),
    );
    expect((await feedIds(em(), 'orders', 't-1', new Date('2026-11-02T00:00:00Z'))).length).toBe(2);

    const last = async (feed: ChangeFeed) => (await feedIds(em(), feed, 't-1')).at(-1);

    // The unit of work.
    const w = em();
    const o2 = await w.findOneOrFail(Order, { id: 'o-2' });
    o2.shippingDate = '2026-11-10';
    await w.flush();
    expect(await last('orders')).toBe('o-2');
    // A raw update.
    await em().nativeUpdate(Order, { id: 'o-1' }, { syncState: 'pending' });
    expect(await last('orders')).toBe('o-1');
    // A line's allocation.
    await em().nativeUpdate(OrderLine, { id: 'l-o-4' }, { allocatedQuantity: 1 });
    expect(await last('orders')).toBe('o-4');
    // The order's shipment in the ledger: opened, then its state.
    const ledger = em();
    const ship = tenantRepositories(ledger, 't-1').operations.create({
      kind: 'shipOrders',
      businessKey: 'ship:o-2',
    });
    await ledger.flush();
    expect(await last('orders')).toBe('o-2');
    await em().nativeUpdate(Order, { id: 'o-1' }, { syncState: 'registered' });
    expect(await last('orders')).toBe('o-1');
    ship.state = 'succeeded';
    await ledger.flush();
    expect(await last('orders')).toBe('o-2');
    // Another kind of operation on the same key moves nothing.
    await em().nativeUpdate(Order, { id: 'o-4' }, { syncState: 'pending' });
    const other = em();
    tenantRepositories(other, 't-1').operations.create({
      kind: 'registerOrder',
      businessKey: 'ship:o-2',
    });
    await other.flush();
    expect(await last('orders')).toBe('o-4');
    // A new order comes last, in its own tenant's feed only.
    const fresh = em();
    const repos = tenantRepositories(fresh, 't-1');
    const order = repos.orders.draft({
      shop: fresh.getReference(Shop, 's-t-1'),
      orderNumber: 'o-5',
      orderCode: 'o-5',
      status: fresh.getReference(OrderStatus, 'st-t-1'),
      orderedAt: new Date(),
      paymentMethod: fresh.getReference(PaymentMethod, 'pm-t-1'),
      source: 'api',
    });
    await fresh.begin();
    await repos.orders.insertAll([order]);
    await repos.orderLines.insertAll([
      repos.orderLines.draft({
        order,
        lineNo: 1,
        name: 'Tシャツ',
        unitPrice: 1000,
        quantity: 1,
      }),
    ]);
    await fresh.commit();
    expect(await feedIds(em(), 'orders', 't-1')).toEqual(['o-1', 'o-2', 'o-4', order.id]);
    expect(await feedIds(em(), 'orders', 't-2')).toEqual(['o-3']);

    // Stock: a stock row's amount moves its product.
    await em().nativeUpdate(StockLevel, { id: 'sl-p-1' }, { stockAmount: 4 });
    expect(await last('stock')).toBe('p-1');
    // A reconciliation that only confirms the figures moves nothing; the figure moves it.
    const s = em();
    const p2 = await s.findOneOrFail(ListedProduct, { id: 'p-2' });
    p2.stockUpdatedAt = new Date();
    p2.lastSyncedAt = new Date();
    await s.flush();
    await em().nativeUpdate(StockLevel, { id: 'sl-p-2' }, { source: 'webhook' });
    expect(await last('stock')).toBe('p-1');
    p2.effectiveStock = 3;
    await s.flush();
    expect(await last('stock')).toBe('p-2');
    // A recompute mark (a raw query-builder update) moves it; a second mark does not.
    await tenantRepositories(em(), 't-1').stockMarks.request(['8000001']);
    expect(await last('stock')).toBe('p-1');
    await em().nativeUpdate(ListedProduct, { id: 'p-2' }, { stockAmount: 9 });
    await tenantRepositories(em(), 't-1').stockMarks.request(['8000001']);
    expect(await last('stock')).toBe('p-2');

    await before.migrateBack();
    expect(await before.columnsOf('orders')).not.toContain('feed_position');
    expect(await before.columnsOf('listed_products')).not.toContain('stock_feed_position');
    expect(await triggersOf(before, dialect)).toEqual([]);
    expect((await before.select('orders', ['id'])).map((r) => r.id)).toEqual(
      ['o-1', 'o-2', 'o-3', 'o-4', order.id].sort(),
    );
  });
});
