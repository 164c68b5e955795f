import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Job, Operation, Order, OrderStatus, SyncEvent, Tenant } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import type { SmaregiClient } from '@renkei/smaregi-client';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  until,
  updateSettings,
  type OrderSpec,
  type TenantFixture,
} from './support/fixture.js';
import { lastErrorOf } from './support/messages.js';
import { startInbox, WEBHOOK_SECRET, WEBHOOK_SECRET_HEADER } from './support/webhook-inbox.js';

/*
 * キャンセル連携 (issue 11 item 3): the merchant moves an order into a cancel status (a status of
 * category 'cancelled') and the 受注 is cancelled in Smaregi once, releasing its allocation; a
 * refusal (already shipped) is shown on the order; an order not in Smaregi yet is never sent; a
 * cancel made while the integration is stopped is sent when it starts again; a lost answer is
 * read back, never sent twice.
 */
describe.each(testDialects())('cancel from the OMS reaches Smaregi (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let client: SmaregiClient;
  let t: TenantFixture;
  let worker: Worker;
  let inbox: Awaited<ReturnType<typeof startInbox>>;
  let seq = 0;

  const tick = async (...names: string[]) => {
    for (const name of names) await worker.loop(name).tickOnce();
  };
  const load = (id: string) =>
    forkEm(db.orm).findOneOrFail(Order, { id }, { populate: ['status', 'lines'] });
  const spec = (productIndex: number, over: Partial<OrderSpec> = {}): OrderSpec => {
    const p = t.products[productIndex]!;
    return {
      orderNumber: `CX-${dialect}-${++seq}`,
      // The 受注店舗 of this shop allocates by itself at registration.
      shopId: t.shops.excluded,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 2,
        },
      ],
      ...over,
    };
  };
  /** As apps/api does on the admin's status change: the status and its job, in one unit. */
  const setStatus = async (orderId: string, statusId: string) => {
    const em = forkEm(db.orm);
    const order = await em.findOneOrFail(Order, { id: orderId });
    order.status = em.getReference(OrderStatus, statusId);
    em.create(Job, {
      tenant: em.getReference(Tenant, t.tenantId),
      name: 'order.statusChanged',
      payload: { orderId, statusId },
    });
    await em.flush();
  };
  const cancelCalls = (headId: string) =>
    sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith(`/order-shipment/orders/${headId}/cancel`));
  const events = (orderId: string, kind: string) =>
    forkEm(db.orm).find(SyncEvent, { tenant: t.tenantId, subjectId: orderId, kind });
  const registeredOrder = async (productIndex: number) => {
    const id = await createOrder(db.orm, t.tenantId, spec(productIndex));
    await tick('orders');
    const order = await load(id);
    expect(order.syncState).toBe('registered');
    return { id, headId: order.smaregiOrderHeadId! };
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    inbox = await startInbox(db.orm);
    sim = await startSimulator({
      rateLimits: false,
      seed: 5,
      webhook: {
        url: inbox.url,
        secretHeaderName: WEBHOOK_SECRET_HEADER,
        secretHeaderValue: WEBHOOK_SECRET,
      },
    });
    client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    worker = new Worker(testDeps(db.orm, client));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await inbox?.close();
    await db?.close();
  });

  it('cancels the 受注 in Smaregi once when the merchant moves the order to キャンセル, releasing its allocation', async () => {
    const { id, headId } = await registeredOrder(3);
    const productId = sim.control.order(headId)!.details[0]!.productId;
    const heldBefore = sim.control.stock(DEMO_STORE_IDS.warehouse, productId)!.allocatedAmount;
    expect((await load(id)).lines[0]?.allocatedQuantity).toBe(2);

    await setStatus(id, t.statuses.cancelled);
    await tick('jobs');

    expect(sim.control.order(headId)?.status).toBe('canceled');
    expect(sim.control.stock(DEMO_STORE_IDS.warehouse, productId)!.allocatedAmount).toBe(
      heldBefore - 2,
    );
    const after = await load(id);
    expect(after.syncState).toBe('canceled');
    expect(after.status.id).toBe(t.statuses.cancelled);
    expect(after.allocationStatus).toBe('unallocated');
    expect(after.lines[0]?.allocatedQuantity).toBe(0);
    const canceled = await events(id, 'order.canceled');
    expect(canceled.map((e) => e.messageCode)).toEqual(['orderCancelSent']);

    // Smaregi's own `canceled` notice of this cancel, the sweep, and the same status change
    // again: nothing more is sent or applied.
    await sim.control.flush({ now: true });
    await tick('webhooks', 'shipping');
    await setStatus(id, t.statuses.cancelled);
    await tick('jobs', 'shipping');
    expect(cancelCalls(headId)).toHaveLength(1);
    expect(await events(id, 'order.canceled')).toHaveLength(1);
  });

  it('shows on the order that Smaregi refused the cancel of a shipped order, and leaves it registered', async () => {
    const { id, headId } = await registeredOrder(4);
    const api = client.forContract(DEMO_CONTRACT_ID).orderShipment.orders;
    await api.bulkShip({ orders: [{ orderHeadId: headId, shippingDate: '2026-12-01' }] });

    await setStatus(id, t.statuses.cancelled);
    await tick('jobs');

    expect(sim.control.order(headId)?.status).toBe('shipped');
    const order = await load(id);
    expect(order.syncState).toBe('registered');
    expect(lastErrorOf(order)).toContain('スマレジがキャンセルを受け付けませんでした');
    expect(lastErrorOf(order)).toContain('出荷済みの受注はキャンセルできません');
    expect(lastErrorOf(order, 'en')).toContain('NOT cancelled in Smaregi');
    const refused = await events(id, 'order.cancelRefused');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.outcome).toBe('failure');
    // Refused stays refused: the sweep does not send it again by itself.
    await tick('shipping', 'shipping');
    expect(cancelCalls(headId)).toHaveLength(1);
    const op = await forkEm(db.orm).findOneOrFail(Operation, {
      tenant: t.tenantId,
      kind: 'cancelOrder',
      businessKey: `cancel:${id}`,
    });
    expect(op.state).toBe('failed');
  });

  it('never registers an order cancelled before it reached Smaregi, and sends it once moved back', async () => {
    // Waiting: its product is not in Smaregi (held, rechecked by the order loop).
    const waiting = await createOrder(
      db.orm,
      t.tenantId,
      spec(5, {
        lines: [{ productCode: 'NO-SUCH-PRODUCT', name: '未登録', unitPrice: 100, quantity: 1 }],
      }),
    );
    await tick('orders');
    expect((await load(waiting)).syncState).toBe('waiting');
    // Queued: cancelled before the order loop ever saw it.
    const queued = await createOrder(db.orm, t.tenantId, spec(6));
    const queuedCode = (await load(queued)).orderCode;

    // Racing: the order loop sees the cancel before the status-change job has run.
    const racing = await createOrder(db.orm, t.tenantId, spec(6));
    const racingCode = (await load(racing)).orderCode;

    await setStatus(waiting, t.statuses.cancelled);
    await setStatus(queued, t.statuses.cancelled);
    await tick('jobs');
    await setStatus(racing, t.statuses.cancelled);
    await tick('orders', 'orders', 'jobs', 'shipping');

    for (const id of [waiting, queued, racing]) {
      const order = await load(id);
      expect(order.syncState).toBe('canceled');
      expect(order.smaregiOrderHeadId ?? null).toBeNull();
      expect(await events(id, 'order.withdrawn')).toHaveLength(1);
    }
    expect(
      sim.control.orders().filter((o) => [queuedCode, racingCode].includes(o.orderCode)),
    ).toEqual([]);

    // The merchant takes the cancel back: the order goes out, once.
    await setStatus(queued, t.statuses.received);
    await tick('jobs', 'orders');
    const back = await load(queued);
    expect(back.syncState).toBe('registered');
    expect(sim.control.orders().filter((o) => o.orderCode === queuedCode)).toHaveLength(1);
    expect(await events(queued, 'order.reinstated')).toHaveLength(1);
  });

  it('sends a cancel made while the integration was stopped once it starts again', async () => {
    const { id, headId } = await registeredOrder(7);
    await updateSettings(db.orm, t.tenantId, { integrationEnabled: false });
    await setStatus(id, t.statuses.cancelled);
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).not.toBe('canceled');
    expect((await load(id)).syncState).toBe('registered');

    await updateSettings(db.orm, t.tenantId, { integrationEnabled: true });
    await tick('jobs', 'shipping');
    expect(sim.control.order(headId)?.status).toBe('canceled');
    expect((await load(id)).syncState).toBe('canceled');
    expect(cancelCalls(headId)).toHaveLength(1);
  });

  it('reads a lost cancel answer back from Smaregi and never sends the cancel twice', async () => {
    const { id, headId } = await registeredOrder(8);
    // Smaregi cancels, but the answer is a 500: the outcome is unknown.
    sim.control.setFaults({ failAfterApplyRate: 1, methods: ['POST'], pathIncludes: '/cancel' });
    await setStatus(id, t.statuses.cancelled);
    await tick('jobs');
    sim.control.clearFaults();
    expect(sim.control.order(headId)?.status).toBe('canceled');
    expect((await load(id)).syncState).toBe('registered');
    expect(await events(id, 'order.cancelRetry')).toHaveLength(1);

    // The sweep, once the backoff is over, reads the order and applies what it finds.
    await until(
      async () => (await load(id)).syncState === 'canceled',
      () => tick('shipping'),
    );
    expect(cancelCalls(headId)).toHaveLength(1);
    expect((await load(id)).lines[0]?.allocatedQuantity).toBe(0);
    expect(await events(id, 'order.canceled')).toHaveLength(1);
  });
});
