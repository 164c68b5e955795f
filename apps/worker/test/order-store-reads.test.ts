import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Shop } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { systemClock } from '@renkei/smaregi-client';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { OrderSync } from '../src/orders/order-sync.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  until,
  type TenantFixture,
} from './support/fixture.js';

/*
 * The worker reads a tenant's 受注店舗 (for their 販売区分, which hold orders) once per recheck
 * interval, whichever worker process runs the order loop's tick. Two `OrderSync`s over one
 * database stand for two processes: each has its own memory, as two processes do. Before the
 * read's time was kept in the database, each process read again after taking the tick over (a
 * profiled 100-tenant bench run read every tenant's 受注店舗 two to six times before its first
 * order).
 */
describe.each(testDialects())('one 受注店舗 read per interval across processes (%s)', (dialect) => {
  const INTERVAL_MS = 15_000;
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;
  let offset = 0;
  const clock = { ...systemClock, now: () => Date.now() + offset };
  let a: OrderSync;
  let b: OrderSync;

  const storeReads = () =>
    sim.control
      .journal({ method: 'GET' })
      .filter((e) => /\/order-shipment\/stores$/.test(e.path.split('?')[0]!)).length;
  const offered = async (process: OrderSync) =>
    (await process.dueTasks(forkEm(db.orm))).filter((task) => task.tenantId === t.tenantId).length;
  const shopSellDivision = async () =>
    (await forkEm(db.orm).findOneOrFail(Shop, { id: t.shops.included })).orderStoreSellDivision;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 12 });
    const client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    const deps = () => ({
      ...testDeps(db.orm, client, { waitingRecheckMs: INTERVAL_MS }),
      clock,
    });
    a = new OrderSync(deps());
    b = new OrderSync(deps());
    const p = t.products[0]!;
    await createOrder(db.orm, t.tenantId, {
      orderNumber: `SR-${dialect}-1`,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ productCode: p.productCode, name: p.productName, unitPrice: 1000, quantity: 1 }],
    });
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('holds a never-read tenant’s orders for its first read, then reads once per interval in all', async () => {
    const before = storeReads();
    // Never read: the first process starts the read and offers nothing of the tenant yet; the
    // other, asking meanwhile, neither reads nor offers.
    expect(await offered(a)).toBe(0);
    expect(await offered(b)).toBe(0);
    await until(
      async () => (await offered(b)) > 0,
      () => Promise.resolve(),
    );
    // One read: its pages (the list's page size is unpublished, so a short page is followed by
    // one more request to be sure of the end: smaregi-client's paginate.ts).
    const perRead = storeReads() - before;
    expect(perRead).toBeGreaterThan(0);
    expect(perRead).toBeLessThanOrEqual(2);
    // Within the interval, neither process reads again, whoever ticks.
    for (const process of [a, b, a, b]) expect(await offered(process)).toBe(1);
    expect(storeReads() - before).toBe(perRead);

    // Smaregi's 販売区分 changes; once the interval is over, one read sees it. The orders are
    // offered meanwhile with what is stored (the tenant was read before).
    sim.control.updateOrderStore({
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      sellDivision: 'excluded',
    });
    offset += INTERVAL_MS;
    expect(await offered(b)).toBe(1);
    expect(await offered(a)).toBe(1);
    await until(
      async () => (await shopSellDivision()) === 'excluded',
      () => Promise.resolve(),
    );
    for (const process of [a, b]) expect(await offered(process)).toBe(1);
    expect(storeReads() - before).toBe(2 * perRead);
  });
});
