import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Operation, Order, Shop, SyncEvent } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import type { FetchLike } from '@renkei/smaregi-client';
import { createFakeClock } from '@renkei/smaregi-client/testing';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  testDeps,
  until,
  updateSettings,
  allocationProtocolBreaches,
  type TenantFixture,
} from './support/fixture.js';

/*
 * docs/reliability.md "Fault storm": 30% of calls fail — 429 with Retry-After, 500, 503, dropped
 * connections, "500 after the change was applied" (simulator faults) and timeouts after the
 * request reached Smaregi (a transport that answers too late). Every order must be registered,
 * allocated (its 受注店舗 does not allocate by itself) and bulk-shipped, each exactly once, with no
 * operation failed because of a transient fault.
 */
const ORDERS = 120;

/** 5% of writes: the request reaches Smaregi, but the answer comes after the client's timeout. */
function lateAnswers(rate: number, timeoutMs: number): { fetch: FetchLike; count: () => number } {
  let n = 0;
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fetchLike: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (init?.method === 'POST' && next() < rate) {
      n++;
      await new Promise((resolve) => setTimeout(resolve, timeoutMs + 50));
    }
    return response;
  };
  return { fetch: fetchLike, count: () => n };
}

describe.each(testDialects())('fault storm (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 5 });
    t = await seedTenant(db.orm, testClient(sim), {
      allocationTriggerStatuses: [],
      allocatedStatus: null,
    });
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.received],
      allocatedStatus: t.statuses.readyToShip,
      bulkShippingTriggerStatus: t.statuses.readyToShip,
    });
    const em = forkEm(db.orm);
    const shop = await em.findOneOrFail(Shop, { id: t.shops.included });
    shop.autoAllocation = false;
    shop.autoAllocationOrigin = 'merchant';
    await em.flush();
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await sim?.close();
  });

  it('syncs every order once through 30% faults, with no dead letters', async () => {
    for (let i = 0; i < ORDERS; i++) {
      const p = t.products[i % 30]!;
      await createOrder(db.orm, t.tenantId, {
        orderNumber: `STORM-${i}`,
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
    const late = lateAnswers(0.05, 300);
    // The client waits (Retry-After, read backoff) on a fake clock: no real sleeping for 429s.
    const client = testClient(sim, {
      requestTimeoutMs: 300,
      fetch: late.fetch,
      clock: createFakeClock({ autoAdvance: true, start: Date.now() }),
    });
    const worker = new Worker(
      testDeps(db.orm, client, { orderConcurrency: 8, leaseMs: 5_000, shippingBatchSize: 10 }),
    );
    sim.control.setFaults({
      errorRates: { 429: 0.08, 500: 0.05, 503: 0.05 },
      dropRate: 0.05,
      failAfterApplyRate: 0.05,
      retryAfterSeconds: 1,
    });
    const shipped = () =>
      forkEm(db.orm).count(Operation, {
        tenant: t.tenantId,
        kind: 'shipOrders',
        state: 'succeeded',
      });
    await until(
      async () => (await shipped()) === ORDERS,
      async () => {
        for (const loop of ['orders', 'jobs', 'shipping']) await worker.loop(loop).tickOnce();
      },
      90_000,
    );
    sim.control.clearFaults();

    const counts = remoteOrdersByCode(sim);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(counts.size).toBe(ORDERS);
    const ops = await forkEm(db.orm).find(Operation, { tenant: t.tenantId });
    expect(ops.filter((o) => o.state !== 'succeeded').map((o) => [o.kind, o.lastError])).toEqual(
      [],
    );
    expect(ops.filter((o) => o.kind === 'allocateOrder')).toHaveLength(ORDERS);
    expect(await forkEm(db.orm).count(Order, { tenant: t.tenantId, syncState: 'failed' })).toBe(0);
    // Allocated once: after an answered allocation request the order is never asked again, and
    // after one whose outcome was lost (no answer, 5xx) it is read back before anything is resent.
    const orders = await forkEm(db.orm).find(Order, { tenant: t.tenantId });
    expect(
      orders.flatMap((o) => allocationProtocolBreaches(sim, o.smaregiOrderHeadId ?? '')),
    ).toEqual([]);
    // Shipped once: in Smaregi, never refused as already shipped, one shipped event per order.
    expect(
      orders.filter((o) => sim.control.order(o.smaregiOrderHeadId ?? '')?.status !== 'shipped'),
    ).toEqual([]);
    const events = await forkEm(db.orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: { $in: ['order.shipped', 'order.shippingFailed'] },
    });
    expect(events.filter((e) => e.kind === 'order.shippingFailed')).toEqual([]);
    expect(new Set(events.map((e) => e.subjectId)).size).toBe(ORDERS);
    expect(events).toHaveLength(ORDERS);
    const faults = sim.control.journal().reduce<Record<string, number>>((acc, e) => {
      if (e.fault !== null)
        acc[`${e.fault}${e.status ?? ''}`] = (acc[`${e.fault}${e.status ?? ''}`] ?? 0) + 1;
      return acc;
    }, {});
    console.log(
      `fault storm (${dialect}): ${sim.control.journal().length} requests, faults ${JSON.stringify(faults)}, late answers ${late.count()}`,
    );
    // The storm really happened, with each kind of fault.
    expect(faults['fail-after-apply500'] ?? 0).toBeGreaterThan(0);
    expect(faults.drop ?? 0).toBeGreaterThan(0);
    expect(faults.error429 ?? 0).toBeGreaterThan(0);
    expect((faults.error500 ?? 0) + (faults.error503 ?? 0)).toBeGreaterThan(0);
    expect(late.count()).toBeGreaterThan(0);
  }, 120_000);
});
