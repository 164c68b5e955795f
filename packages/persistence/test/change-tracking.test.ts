import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Order,
  OrderLine,
  OrderStatus,
  PaymentMethod,
  Shop,
  Tenant,
  tenantRepositories,
  type Em,
} from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/**
 * A loaded row must not be written back unless a property really changed: otherwise every unit of
 * work that merely reads master data (the order intake reads the shop, payment method and order
 * status for each group of orders) rewrites those rows and bumps their `updatedAt`, which both
 * costs a write per row and makes "last changed" meaningless in the admin screens.
 *
 * The rows' timestamps are first set to a fixed instant in the past, so a rewrite shows as an
 * `updatedAt` of "now" without waiting for the clock.
 */
const PAST = new Date('2020-01-02T03:04:05.678Z');

describe.each(testDialects())('change tracking on %s', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  let shopId: string;
  let statusId: string;
  let paymentId: string;
  let orderId: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: 'A' });
    await em.flush();
    tenantId = tenant.id;
    const repos = tenantRepositories(em, tenantId);
    const shop = repos.shops.create({
      name: '楽天市場店',
      mallKind: 'rakuten',
      taxMode: 'included',
    });
    const status = repos.orderStatuses.create({ name: '新規受付', category: 'open' });
    const payment = repos.paymentMethods.create({ name: 'クレジットカード' });
    const order = repos.orders.create({
      shop,
      orderNumber: 'R-1',
      orderCode: 'R-1',
      status,
      paymentMethod: payment,
      orderedAt: new Date('2026-11-01T10:00:00.123Z'),
      lastSyncedAt: new Date('2026-11-01T10:05:00.456Z'),
      total: 1100,
      source: 'api',
    });
    order.lines.add(
      em.create(OrderLine, {
        tenant,
        order,
        lineNo: 1,
        name: 'Tシャツ',
        unitPrice: 1100,
        quantity: 1,
      }),
    );
    await em.flush();
    [shopId, statusId, paymentId, orderId] = [shop.id, status.id, payment.id, order.id];
  });
  afterAll(async () => {
    await db?.close();
  });

  /** Puts every timestamp of the test rows at PAST, bypassing the unit of work (no onUpdate). */
  async function agePastRows(): Promise<void> {
    const em = forkEm(db.orm);
    const stamps = { createdAt: PAST, updatedAt: PAST };
    await em.nativeUpdate(Shop, { id: shopId }, stamps);
    await em.nativeUpdate(OrderStatus, { id: statusId }, stamps);
    await em.nativeUpdate(PaymentMethod, { id: paymentId }, stamps);
    await em.nativeUpdate(Order, { id: orderId }, stamps);
  }

  async function loadAll(em: Em) {
    const repos = tenantRepositories(em, tenantId);
    const order = await em.findOneOrFail(
      Order,
      { id: orderId, tenant: tenantId },
      { populate: ['lines', 'shop', 'status', 'paymentMethod', 'tenant'] },
    );
    return {
      order,
      shop: await repos.shops.findById(shopId),
      status: await repos.orderStatuses.findById(statusId),
      payment: await repos.paymentMethods.findById(paymentId),
    };
  }

  /** The stored timestamps of each test row, as milliseconds, read in a fresh entity manager. */
  async function storedStamps() {
    const rows = await loadAll(forkEm(db.orm));
    const stamps = (row: { createdAt: Date; updatedAt: Date } | null) => ({
      createdAt: row?.createdAt.getTime(),
      updatedAt: row?.updatedAt.getTime(),
    });
    return {
      shop: stamps(rows.shop),
      status: stamps(rows.status),
      payment: stamps(rows.payment),
      order: stamps(rows.order),
    };
  }

  const unchanged = { createdAt: PAST.getTime(), updatedAt: PAST.getTime() };

  it('finds no change set for rows that were only loaded', async () => {
    await agePastRows();
    const em = forkEm(db.orm);
    await loadAll(em);
    const uow = em.getUnitOfWork();
    uow.computeChangeSets();
    expect(uow.getChangeSets().map((cs) => [cs.name, cs.payload])).toEqual([]);
  });

  it('writes nothing back when rows that were only loaded are flushed', async () => {
    await agePastRows();
    const em = forkEm(db.orm);
    const loaded = await loadAll(em);
    expect(loaded.order.lines.count()).toBe(1);
    await em.flush();

    expect(await storedStamps()).toEqual({
      shop: unchanged,
      status: unchanged,
      payment: unchanged,
      order: unchanged,
    });
  });

  it('still bumps updatedAt (and only on the changed row) when a property really changes', async () => {
    await agePastRows();
    const em = forkEm(db.orm);
    const { shop, order } = await loadAll(em);
    shop!.name = '楽天市場店 (本店)';
    order.lastSyncedAt = new Date('2026-11-02T00:00:00.789Z');
    const before = Date.now();
    await em.flush();

    const stored = await storedStamps();
    expect(stored.shop.createdAt).toBe(PAST.getTime());
    expect(stored.shop.updatedAt).toBeGreaterThanOrEqual(before);
    expect(stored.order.createdAt).toBe(PAST.getTime());
    expect(stored.order.updatedAt).toBeGreaterThanOrEqual(before);
    expect(stored.status).toEqual(unchanged);
    expect(stored.payment).toEqual(unchanged);

    const again = await loadAll(forkEm(db.orm));
    expect(again.shop?.name).toBe('楽天市場店 (本店)');
    expect(again.order.lastSyncedAt?.toISOString()).toBe('2026-11-02T00:00:00.789Z');
    expect(again.order.orderedAt.toISOString()).toBe('2026-11-01T10:00:00.123Z');
  });

  it('sees a new instant in a date-time property as a change, and the same instant as none', async () => {
    await agePastRows();
    const em = forkEm(db.orm);
    const { order, shop } = await loadAll(em);
    // A different Date object holding the same instant is not a change...
    order.orderedAt = new Date(order.orderedAt.getTime());
    // ...a different instant is.
    shop!.updatedAt = new Date(PAST.getTime() + 1);
    const uow = em.getUnitOfWork();
    uow.computeChangeSets();
    expect(uow.getChangeSets().map((cs) => cs.name)).toEqual([Shop.name]);
  });

  it('compares every date-time property of every entity by its instant', () => {
    // MikroORM compares a property declared as `type: 'datetime'` (a column type name) with a
    // deep equality, and on SQLite the snapshot of a loaded row holds a Date while the current
    // value is prepared as epoch milliseconds, so every such row looked changed. Properties
    // whose type is the Date runtime type are compared by `valueOf()`.
    const offenders = Object.values(db.orm.getMetadata().getAll()).flatMap((meta) =>
      meta.props
        .filter((prop) => prop.runtimeType === 'Date' && prop.type !== 'Date')
        .map((prop) => `${meta.className}.${prop.name} (type ${prop.type})`),
    );
    expect(offenders).toEqual([]);
  });
});
