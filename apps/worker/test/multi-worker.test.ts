import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Operation,
  Order,
  openDatabase,
  Shop,
  SyncEvent,
  type Orm,
} from '@renkei/persistence';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  testDialects,
} from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import {
  allocationProtocolBreaches,
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';
import {
  maxPerSecond,
  metricValue,
  startWorkerProcess,
  type WorkerProcess,
} from './support/processes.js';

/*
 * docs/reliability.md "Rate compliance" with several worker processes: two real worker processes
 * (src/main.ts) on one PostgreSQL database share a backlog through pg-boss and one contract rate
 * budget through the client's PostgreSQL budget store. Every order is registered, allocated (its
 * 受注店舗 does not allocate by itself) and bulk-shipped. The simulator enforces 10 reads/s and
 * 4 writes/s; its journal must show no one-second window above either limit, no 429, every order
 * registered, allocated and shipped once, work done by both processes, and both stopping cleanly
 * on SIGTERM.
 */
const ORDERS = 40;
const pg = testDialects().includes('postgresql');

describe.skipIf(!pg)('two worker processes on PostgreSQL', () => {
  let sim: RunningSimulator;
  let orm: Orm;
  let db: { url: string; name: string };
  let t: TenantFixture;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    const server = process.env.RENKEI_TEST_PG_URL ?? '';
    db = await createPostgresDatabase(server, 'renkei_mw');
    orm = await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 4 });
    sim = await startSimulator({ rateLimits: false, seed: 21 });
    t = await seedTenant(orm, testClient(sim), {
      allocationTriggerStatuses: [],
      allocatedStatus: null,
    });
    await updateSettings(orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.received],
      allocatedStatus: t.statuses.readyToShip,
      bulkShippingTriggerStatus: t.statuses.readyToShip,
    });
    const em = forkEm(orm);
    const shop = await em.findOneOrFail(Shop, { id: t.shops.included });
    shop.autoAllocation = false;
    shop.autoAllocationOrigin = 'merchant';
    await em.flush();
    sim.control.setRateLimits({ readsPerSecond: 10, writesPerSecond: 4 });
    for (let i = 0; i < ORDERS; i++) {
      const p = t.products[i % 20]!;
      await createOrder(orm, t.tenantId, {
        orderNumber: `MW-${i}`,
        shopId: t.shops.included,
        paymentMethodId: t.payments.card,
        statusId: t.statuses.received,
        shippingDate: '2026-12-01',
        lines: [
          {
            productCode: p.productCode,
            name: p.productName,
            unitPrice: Number(p.price),
            quantity: 1,
          },
        ],
      });
    }
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await orm?.close(true);
    await sim?.close();
    if (db) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', db.name);
  });

  it('shares the backlog and the rate budget; never over the limit, no order twice', async () => {
    sim.control.clearJournal();
    const env = {
      DATABASE_URL: db.url,
      RENKEI_DEMO: 'false',
      // Both processes share one encrypted app token per contract through the database.
      RENKEI_TOKEN_KEYS: `mw:${randomBytes(32).toString('base64')}`,
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
      SMAREGI_READS_PER_SECOND: '10',
      SMAREGI_WRITES_PER_SECOND: '4',
      WORKER_PORT: '0',
      WORKER_POLL_MS: '100',
      WORKER_SHUTDOWN_DEADLINE_MS: '5000',
    };
    workers.push(startWorkerProcess(env), startWorkerProcess(env));
    const urls = await Promise.all(workers.map((w) => w.ready));
    const deadline = Date.now() + 90_000;
    const shipped = () =>
      forkEm(orm).count(Operation, { tenant: t.tenantId, kind: 'shipOrders', state: 'succeeded' });
    while ((await shipped()) < ORDERS) {
      expect(Date.now(), workers.map((w) => w.output()).join('\n')).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 250));
    }
    const perWorker = await Promise.all(
      urls.map(async (url) =>
        metricValue(
          await (await fetch(`${url}/metrics`)).text(),
          'renkei_worker_operations_total',
          'kind="registerOrder",result="succeeded"',
        ),
      ),
    );
    expect((await fetch(`${urls[0]}/healthz`)).status).toBe(200);
    for (const w of workers) w.child.kill('SIGTERM');
    const codes = await Promise.all(workers.map((w) => w.exited));

    const journal = sim.control.journal({ host: 'api' });
    const tokenRequests = sim.control
      .journal({ host: 'id' })
      .filter((e) => e.path.includes('/token')).length;
    const writes = journal.filter((e) => e.method !== 'GET' && e.method !== 'HEAD');
    const reads = journal.filter((e) => e.method === 'GET' || e.method === 'HEAD');
    const counts = remoteOrdersByCode(sim);
    console.log(
      `two workers: ${writes.length} writes (max ${maxPerSecond(writes)}/s), ${reads.length} reads (max ${maxPerSecond(reads)}/s), 429s ${journal.filter((e) => e.status === 429).length}, registered per worker ${perWorker.join(' + ')}, app token requests ${tokenRequests}`,
    );
    expect(maxPerSecond(writes)).toBeLessThanOrEqual(4);
    expect(maxPerSecond(reads)).toBeLessThanOrEqual(10);
    expect(journal.filter((e) => e.status === 429)).toHaveLength(0);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect([...counts.keys()].filter((c) => c.startsWith('MW-'))).toHaveLength(ORDERS);
    expect(perWorker.every((n) => n > 0)).toBe(true);
    const orders = await forkEm(orm).find(Order, { tenant: t.tenantId });
    expect(
      orders.flatMap((o) => allocationProtocolBreaches(sim, o.smaregiOrderHeadId ?? '')),
    ).toEqual([]);
    expect(
      orders.filter((o) => sim.control.order(o.smaregiOrderHeadId ?? '')?.status !== 'shipped'),
    ).toEqual([]);
    const shippedEvents = await forkEm(orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: { $in: ['order.shipped', 'order.shippingFailed'] },
    });
    expect(shippedEvents.filter((e) => e.kind !== 'order.shipped')).toEqual([]);
    expect(shippedEvents).toHaveLength(ORDERS);
    expect(codes).toEqual([0, 0]);
  }, 120_000);
});
