import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Job,
  JOB_NAMES,
  Operation,
  Order,
  OrderStatus,
  SmaregiConnection,
  tenantRepositories,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import type { SmaregiClient } from '@renkei/smaregi-client';
import { activeTenant } from '../src/tenants/active-tenants.js';
import { Worker } from '../src/worker.js';
import {
  allocationProtocolBreaches,
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  updateSettings,
  type OrderSpec,
  type TenantFixture,
} from './support/fixture.js';

/*
 * Nothing is lost while the integration is stopped (the help page: stop, configure, save,
 * start): orders that entered a trigger status (在庫引当自動照会, 受注一括出荷) while it was
 * stopped are acted on once it starts again — once, not once per move — and orders received
 * while stopped are registered after the start.
 */
describe.each(testDialects())('while the integration is stopped (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let client: SmaregiClient;
  let t: TenantFixture;
  let worker: Worker;
  let seq = 0;

  const tick = async (...names: string[]) => {
    for (const name of names) await worker.loop(name).tickOnce();
  };
  const load = (id: string) =>
    forkEm(db.orm).findOneOrFail(Order, { id }, { populate: ['status', 'lines'] });
  const spec = (over: Partial<OrderSpec> & { productIndex: number }): OrderSpec => {
    const p = t.products[over.productIndex]!;
    return {
      orderNumber: `ST-${dialect}-${++seq}`,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 1,
        },
      ],
      ...over,
    };
  };
  /**
   * As apps/api does on a status change (the admin or the intake, `queueStatusDecisions`): the
   * job carries the event, one per order while it waits.
   */
  const setStatus = async (orderId: string, statusId: string) => {
    const em = forkEm(db.orm);
    const order = await em.findOneOrFail(Order, { id: orderId });
    order.status = em.getReference(OrderStatus, statusId);
    await tenantRepositories(em, t.tenantId).jobs.enqueue(
      JOB_NAMES.orderStatusChanged,
      { orderId, statusId },
      { dedupKey: orderId },
    );
    await em.flush();
  };
  const statusJob = (orderId: string) =>
    forkEm(db.orm).findOneOrFail(Job, {
      tenant: t.tenantId,
      name: JOB_NAMES.orderStatusChanged,
      dedupKey: orderId,
    });
  const allocationCalls = (headId: string) =>
    sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith(`/orders/${headId}/allocation`)).length;
  const stop = () => updateSettings(db.orm, t.tenantId, { integrationEnabled: false });
  const start = () => updateSettings(db.orm, t.tenantId, { integrationEnabled: true });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 5 });
    client = testClient(sim);
    t = await seedTenant(db.orm, client);
    // The statuses exist only once the tenant is seeded: set the trigger settings afterwards.
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
      bulkShippingTriggerStatus: t.statuses.readyToShip,
    });
    worker = new Worker(testDeps(db.orm, client));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('an order moved into the allocation trigger status while stopped is allocated after the start, once', async () => {
    const id = await createOrder(db.orm, t.tenantId, spec({ productIndex: 0 }));
    await tick('orders');
    const headId = (await load(id)).smaregiOrderHeadId!;
    expect(headId).toBeTruthy();
    expect((await load(id)).allocationStatus).toBe('unallocated');

    await stop();
    // The merchant moves it in, out and in again: one inquiry when it starts, not three.
    await setStatus(id, t.statuses.waitingAllocation);
    await setStatus(id, t.statuses.received);
    await setStatus(id, t.statuses.waitingAllocation);
    await tick('jobs', 'orders', 'shipping', 'jobs');
    expect(allocationCalls(headId)).toBe(0);
    expect((await load(id)).allocationStatus).toBe('unallocated');
    // It waits in the queue, untouched (not taken and put back on every tick).
    expect(await statusJob(id)).toMatchObject({ state: 'queued', attempts: 0 });

    await start();
    await tick('jobs', 'orders', 'shipping', 'jobs');
    const order = await load(id);
    expect(sim.control.order(headId)?.allocationStatus).toBe('allocated');
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
    expect(allocationCalls(headId)).toBe(1);
    expect(allocationProtocolBreaches(sim, headId)).toEqual([]);
  });

  it('an order short of stock is asked for once, however often it was moved while stopped', async () => {
    const p = t.products[4]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 1,
    });
    const id = await createOrder(db.orm, t.tenantId, {
      ...spec({ productIndex: 4 }),
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 3,
        },
      ],
    });
    await tick('orders');
    const headId = (await load(id)).smaregiOrderHeadId!;
    await stop();
    for (const status of [
      t.statuses.waitingAllocation,
      t.statuses.received,
      t.statuses.waitingAllocation,
    ])
      await setStatus(id, status);
    await start();
    await tick('jobs', 'orders', 'shipping', 'jobs', 'jobs');
    const order = await load(id);
    // Not enough stock (Smaregi allocates whole lines), so it stays in the trigger status: a
    // second job for the same order would have asked again.
    expect(order.allocationStatus).toBe('unallocated');
    expect(order.status.id).toBe(t.statuses.waitingAllocation);
    expect(allocationCalls(headId)).toBe(1);
    expect((await statusJob(id)).state).toBe('done');
  });

  it('a status change made while the connection needs re-authorisation acts once it is active again', async () => {
    const id = await createOrder(db.orm, t.tenantId, spec({ productIndex: 5 }));
    await tick('orders');
    const headId = (await load(id)).smaregiOrderHeadId!;
    const setConnection = async (status: 'active' | 'reauthRequired') => {
      const em = forkEm(db.orm);
      const c = await em.findOneOrFail(SmaregiConnection, { tenant: t.tenantId });
      c.status = status;
      await em.flush();
    };
    await setConnection('reauthRequired');
    try {
      await setStatus(id, t.statuses.waitingAllocation);
      await tick('jobs');
      expect(allocationCalls(headId)).toBe(0);
    } finally {
      await setConnection('active');
    }
    await tick('jobs');
    expect(allocationCalls(headId)).toBe(1);
    expect((await load(id)).status.id).toBe(t.statuses.allocated);
  });

  it('an order moved into the bulk-shipping status while stopped is shipped after the start', async () => {
    // The excluded shop's 受注店舗 allocates by itself: the order is allocated at registration.
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 1, shopId: t.shops.excluded, shippingDate: '2026-11-25' }),
    );
    await tick('orders');
    const headId = (await load(id)).smaregiOrderHeadId!;
    expect((await load(id)).allocationStatus).toBe('allocated');

    await stop();
    await setStatus(id, t.statuses.readyToShip);
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).not.toBe('shipped');

    await start();
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).toBe('shipped');
    expect((await load(id)).status.id).toBe(t.statuses.shipped);
  });

  it('a shipment Smaregi refused is retried when the merchant moves the order again while stopped', async () => {
    const p = t.products[2]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 0,
    });
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 2, shopId: t.shops.excluded, shippingDate: '2026-11-26' }),
    );
    await tick('orders');
    const em = forkEm(db.orm);
    const order = await em.findOneOrFail(Order, { id });
    const headId = order.smaregiOrderHeadId!;
    // Renkei's view goes stale, so it asks Smaregi to ship, and Smaregi refuses.
    order.allocationStatus = 'allocated';
    order.status = em.getReference(OrderStatus, t.statuses.readyToShip);
    await em.flush();
    await tick('shipping');
    const op = () =>
      forkEm(db.orm).findOneOrFail(Operation, {
        tenant: t.tenantId,
        kind: 'shipOrders',
        businessKey: `ship:${id}`,
      });
    expect((await op()).state).toBe('failed');

    // Stock arrives; the merchant stops, fixes things, and moves the order out and back in.
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 5,
    });
    await client.forContract(DEMO_CONTRACT_ID).orderShipment.orders.allocate(headId);
    await stop();
    await setStatus(id, t.statuses.received);
    await setStatus(id, t.statuses.readyToShip);
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).not.toBe('shipped');

    await start();
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).toBe('shipped');
    expect((await op()).state).toBe('succeeded');
  });

  it('an order received while stopped is registered after the start, and its trigger status acts', async () => {
    await stop();
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 3, statusId: t.statuses.waitingAllocation }),
    );
    await tick('orders', 'jobs');
    expect((await load(id)).syncState).toBe('pending');
    expect(sim.control.orders().some((o) => o.orderCode.includes(`ST-${dialect}-${seq}`))).toBe(
      false,
    );

    await start();
    await tick('orders', 'jobs');
    const order = await load(id);
    expect(order.syncState).toBe('registered');
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
    expect(allocationCalls(order.smaregiOrderHeadId!)).toBe(1);
  });

  it('a queued order task finds its tenant only while the integration runs', async () => {
    const active = () => activeTenant(forkEm(db.orm), t.tenantId);
    expect(await active()).toMatchObject({ tenantId: t.tenantId, contractId: DEMO_CONTRACT_ID });
    await stop();
    expect(await active()).toBeNull();
    await start();
    expect((await active())?.tenantId).toBe(t.tenantId);
    expect(await activeTenant(forkEm(db.orm), '00000000-0000-4000-8000-00000000dead')).toBeNull();
  });
});
