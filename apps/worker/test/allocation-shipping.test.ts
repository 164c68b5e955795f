import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  forkEm,
  Job,
  ListedProduct,
  Order,
  OrderStatus,
  StockDrift,
  SyncEvent,
  Tenant,
  WebhookEvent,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { systemClock, type SmaregiClient } from '@renkei/smaregi-client';
import { BulkShipping } from '../src/shipping/bulk-shipping.js';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  updateSettings,
  type OrderSpec,
  type TenantFixture,
} from './support/fixture.js';
import { lastErrorOf, reasonOf } from './support/messages.js';
import { startInbox, WEBHOOK_SECRET, WEBHOOK_SECRET_HEADER } from './support/webhook-inbox.js';

/*
 * End to end after registration: both allocation modes, trigger and allocated statuses, bulk
 * shipping (preconditions, batches), Smaregi events (shipped / canceled, pos:stock) through the
 * webhook inbox with duplicated and shuffled deliveries, and reconciliation catching a dropped one.
 */
describe.each(testDialects())('allocation, shipping and Smaregi events (%s)', (dialect) => {
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
  const remote = (id: string) => sim.control.order(id);
  const spec = (
    over: Partial<OrderSpec> & { productIndex: number; quantity?: number },
  ): OrderSpec => {
    const p = t.products[over.productIndex]!;
    return {
      orderNumber: `AL-${dialect}-${++seq}`,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: over.quantity ?? 1,
        },
      ],
      ...over,
    };
  };
  const setStatus = async (orderId: string, statusId: string) => {
    const em = forkEm(db.orm);
    const order = await em.findOneOrFail(Order, { id: orderId });
    order.status = em.getReference(OrderStatus, statusId);
    // As apps/api does on a status change: the job carries the event.
    em.create(Job, {
      tenant: em.getReference(Tenant, t.tenantId),
      name: 'order.statusChanged',
      payload: { orderId, statusId },
    });
    await em.flush();
  };
  const events = async (orderId: string, kind: string) =>
    forkEm(db.orm).count(SyncEvent, { tenant: t.tenantId, subjectId: orderId, kind });

  /**
   * A shipping pass of its own, in calls of 2 with a 60 s wait for fuller ones, on a clock that
   * moves only when the test says so; and the bulk-shipping calls Smaregi received.
   */
  const waitingShipping = () => {
    let now = Date.now();
    const shipping = new BulkShipping(
      {
        ...worker.deps,
        clock: { now: () => now, sleep: systemClock.sleep.bind(systemClock) },
        settings: { ...worker.deps.settings, shippingBatchSize: 2, shippingMaxWaitMs: 60_000 },
      },
      worker.orderEvents,
    );
    return {
      shipping,
      shipPass: () => shipping.tick({ signal: new AbortController().signal, em: forkEm(db.orm) }),
      bulkCalls: () =>
        sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/shipping/bulk'))
          .length,
      advance: (ms: number) => {
        now += ms;
      },
    };
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    inbox = await startInbox(db.orm);
    sim = await startSimulator({
      rateLimits: false,
      seed: 3,
      webhook: {
        url: inbox.url,
        secretHeaderName: WEBHOOK_SECRET_HEADER,
        secretHeaderValue: WEBHOOK_SECRET,
      },
    });
    client = testClient(sim);
    t = await seedTenant(db.orm, client, {
      allocationTriggerStatuses: [],
      allocatedStatus: null,
    });
    worker = new Worker(testDeps(db.orm, client, { shippingBatchSize: 2 }));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await inbox?.close();
    await db?.close();
  });

  it('auto allocation ON: reads the allocation at registration and moves the order to the allocated status', async () => {
    await updateSettings(db.orm, t.tenantId, { allocatedStatus: t.statuses.allocated });
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 0, shopId: t.shops.excluded }),
    );
    await tick('orders');
    const order = await load(id);
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
    expect(order.lines[0]?.allocatedQuantity).toBe(1);
    expect(
      sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/allocation')),
    ).toHaveLength(0);
  });

  it('auto allocation OFF: entering a trigger status asks Smaregi to allocate, then moves the order', async () => {
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
    });
    const id = await createOrder(db.orm, t.tenantId, spec({ productIndex: 1 }));
    await tick('orders');
    let order = await load(id);
    expect(order.allocationStatus).toBe('unallocated');
    expect(order.status.id).toBe(t.statuses.received);
    // Nobody asked Smaregi to allocate yet: the order is not reported as short of stock.
    expect(reasonOf(order)).toBeNull();
    await setStatus(id, t.statuses.waitingAllocation);
    await tick('jobs');
    order = await load(id);
    expect(remote(order.smaregiOrderHeadId!)?.allocationStatus).toBe('allocated');
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
  });

  it('commits the allocated status with the allocation: a worker that dies right after that commit leaves nothing undone', async () => {
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
    });
    // A worker frozen right after the allocation's commit, as one killed there would be.
    let atCommit!: () => void;
    const committed = new Promise<void>((resolve) => (atCommit = resolve));
    let thaw!: () => void;
    const thawed = new Promise<void>((resolve) => (thaw = resolve));
    const frozen = new Worker(
      testDeps(
        db.orm,
        client,
        { shippingBatchSize: 2 },
        {
          afterCommit: async (kind) => {
            if (kind !== 'allocateOrder') return;
            atCommit();
            await thawed;
          },
        },
      ),
    );
    const id = await createOrder(db.orm, t.tenantId, spec({ productIndex: 4 }));
    await frozen.loop('orders').tickOnce();
    await setStatus(id, t.statuses.waitingAllocation);
    const ticking = frozen.loop('jobs').tickOnce();
    await committed;
    // Nothing after this commit moves the order: the status rules acted in it.
    const order = await load(id);
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
    expect(await events(id, 'order.allocatedStatus')).toBe(1);
    thaw();
    await ticking;
    expect((await load(id)).status.id).toBe(t.statuses.allocated);
    expect(await events(id, 'order.allocatedStatus')).toBe(1);
  });

  it('leaves an order the merchant moved while Smaregi allocated it where the merchant put it', async () => {
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
    });
    let id = '';
    const moving = new Worker(
      testDeps(
        db.orm,
        client,
        { shippingBatchSize: 2 },
        {
          // The merchant moves the order back to 新規受付 while the allocation call is answered.
          afterRemoteCall: async (kind) => {
            if (kind === 'allocateOrder') await setStatus(id, t.statuses.received);
          },
        },
      ),
    );
    id = await createOrder(db.orm, t.tenantId, spec({ productIndex: 5 }));
    await moving.loop('orders').tickOnce();
    await setStatus(id, t.statuses.waitingAllocation);
    await moving.loop('jobs').tickOnce();
    let order = await load(id);
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.received);
    // The move's own job evaluates the order on its allocation: 新規受付 is no trigger status.
    await moving.loop('jobs').tickOnce();
    order = await load(id);
    expect(order.status.id).toBe(t.statuses.received);
    expect(await events(id, 'order.allocatedStatus')).toBe(0);
  });

  it('shows which lines lack stock and leaves the status when allocation is partial', async () => {
    const p = t.products[2]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 1,
    });
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 2, quantity: 3, statusId: t.statuses.waitingAllocation }),
    );
    await tick('orders');
    const order = await load(id);
    expect(order.allocationStatus).not.toBe('allocated');
    expect(order.status.id).toBe(t.statuses.waitingAllocation);
    expect(reasonOf(order)).toMatch(/在庫が不足/);
    expect(await events(id, 'order.allocationShort')).toBe(1);
  });

  it('effectiveStockMode omsPurchase: Renkei plans the allocation from its own stock figures', async () => {
    await updateSettings(db.orm, t.tenantId, {
      effectiveStockMode: 'omsPurchase',
      allocationTriggerStatuses: [],
      allocatedStatus: t.statuses.allocated,
    });
    const p = t.products[3]!;
    const em = forkEm(db.orm);
    const listed = await em.findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: p.productId,
    });
    listed.stockAmount = 2;
    await em.flush();
    const allocations = () =>
      sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/allocation')).length;
    const before = allocations();
    const first = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 3, quantity: 2, orderedAt: new Date('2026-11-02T09:00:00+09:00') }),
    );
    const second = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 3, quantity: 1, orderedAt: new Date('2026-11-02T10:00:00+09:00') }),
    );
    await tick('orders');
    expect((await load(first)).allocationStatus).toBe('allocated');
    expect((await load(first)).status.id).toBe(t.statuses.allocated);
    expect((await load(second)).allocationStatus).toBe('unallocated');
    expect(allocations()).toBe(before);
    await updateSettings(db.orm, t.tenantId, {
      effectiveStockMode: 'smaregiAllocation',
      allocatedStatus: null,
    });
  });

  it('bulk-ships registered, allocated orders with a shipping date in batches, and skips the rest', async () => {
    await updateSettings(db.orm, t.tenantId, {
      bulkShippingTriggerStatus: t.statuses.readyToShip,
      allocatedStatus: null,
    });
    const ready = [];
    for (let i = 0; i < 3; i++) {
      ready.push(
        await createOrder(
          db.orm,
          t.tenantId,
          spec({
            productIndex: 4 + i,
            shopId: t.shops.excluded,
            statusId: t.statuses.readyToShip,
            shippingDate: '2026-11-20',
          }),
        ),
      );
    }
    const noDate = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 8, shopId: t.shops.excluded, statusId: t.statuses.readyToShip }),
    );
    await tick('orders');
    const before = sim.control
      .journal({ method: 'POST' })
      .filter((e) => e.path.endsWith('/shipping/bulk')).length;
    await tick('shipping');
    const calls =
      sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/shipping/bulk'))
        .length - before;
    expect(calls).toBe(2); // 3 orders in batches of 2
    for (const id of ready) {
      const order = await load(id);
      expect(remote(order.smaregiOrderHeadId!)?.status).toBe('shipped');
      expect(order.status.id).toBe(t.statuses.shipped);
    }
    const waiting = await load(noDate);
    expect(remote(waiting.smaregiOrderHeadId!)?.status).not.toBe('shipped');
    await tick('shipping');
    expect(
      sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/shipping/bulk'))
        .length - before,
    ).toBe(2);
  });

  it('waits for a fuller call: full calls go at once, the rest once its oldest order has waited', async () => {
    await updateSettings(db.orm, t.tenantId, {
      bulkShippingTriggerStatus: t.statuses.readyToShip,
      allocatedStatus: null,
    });
    const { shipPass, bulkCalls, advance } = waitingShipping();
    const ready: string[] = [];
    for (let i = 0; i < 3; i++)
      ready.push(
        await createOrder(
          db.orm,
          t.tenantId,
          spec({
            productIndex: 4 + i,
            shopId: t.shops.excluded,
            statusId: t.statuses.readyToShip,
            shippingDate: '2026-11-21',
          }),
        ),
      );
    await tick('orders');
    const before = bulkCalls();
    const shippedNow = async () => {
      let n = 0;
      for (const id of ready)
        if (remote((await load(id)).smaregiOrderHeadId!)?.status === 'shipped') n++;
      return n;
    };
    await shipPass();
    // One full call of 2; the third waits for a partner.
    expect(bulkCalls() - before).toBe(1);
    expect(await shippedNow()).toBe(2);
    advance(59_000);
    await shipPass();
    expect(bulkCalls() - before).toBe(1);
    advance(1_000);
    await shipPass();
    expect(bulkCalls() - before).toBe(2);
    expect(await shippedNow()).toBe(3);
  });

  it('does not count an order Smaregi refused towards a fuller call', async () => {
    await updateSettings(db.orm, t.tenantId, {
      bulkShippingTriggerStatus: t.statuses.readyToShip,
      allocatedStatus: null,
    });
    const { shipPass, bulkCalls, advance } = waitingShipping();
    // Refused: cancelled in Smaregi meanwhile. It stays in the bulk-shipping status until the
    // merchant moves it again, and must not make the next order's call go before its wait.
    const refused = await createOrder(
      db.orm,
      t.tenantId,
      spec({
        productIndex: 9,
        shopId: t.shops.excluded,
        statusId: t.statuses.received,
        shippingDate: '2026-11-22',
      }),
    );
    await tick('orders');
    await client
      .forContract(DEMO_CONTRACT_ID)
      .orderShipment.orders.cancel((await load(refused)).smaregiOrderHeadId!);
    await setStatus(refused, t.statuses.readyToShip);
    await tick('jobs', 'shipping');
    expect((await load(refused)).lastSyncErrorCode).toBe('orderShippingRefused');

    const next = await createOrder(
      db.orm,
      t.tenantId,
      spec({
        productIndex: 10,
        shopId: t.shops.excluded,
        statusId: t.statuses.readyToShip,
        shippingDate: '2026-11-22',
      }),
    );
    await tick('orders');
    const before = bulkCalls();
    await shipPass();
    expect(bulkCalls() - before).toBe(0);
    advance(60_000);
    await shipPass();
    expect(bulkCalls() - before).toBe(1);
    expect(remote((await load(next)).smaregiOrderHeadId!)?.status).toBe('shipped');
  });

  it('reads waiting orders again only when they change or a wait ends, and then ships at once', async () => {
    await updateSettings(db.orm, t.tenantId, {
      bulkShippingTriggerStatus: t.statuses.readyToShip,
      allocatedStatus: null,
    });
    const { shipping, shipPass, bulkCalls, advance } = waitingShipping();
    const reads = vi.spyOn(shipping.ledger, 'openMany');
    const order = (productIndex: number, shippingDate: string | null) =>
      createOrder(
        db.orm,
        t.tenantId,
        spec({
          productIndex,
          shopId: t.shops.excluded,
          statusId: t.statuses.readyToShip,
          shippingDate,
        }),
      );
    const first = await order(12, '2026-11-23');
    const undated = await order(13, null);
    await tick('orders');
    const before = bulkCalls();
    await shipPass();
    expect(reads).toHaveBeenCalledTimes(1);
    // Nothing changed and the first order's wait is not over: no read, no call.
    advance(10_000);
    await shipPass();
    await shipPass();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(bulkCalls() - before).toBe(0);
    // The merchant gives the second order its 出荷日: seen on the next pass, a full call of 2.
    const em = forkEm(db.orm);
    (await em.findOneOrFail(Order, { id: undated })).shippingDate = '2026-11-23';
    await em.flush();
    await shipPass();
    expect(reads).toHaveBeenCalledTimes(2);
    expect(bulkCalls() - before).toBe(1);
    for (const id of [first, undated])
      expect(remote((await load(id)).smaregiOrderHeadId!)?.status).toBe('shipped');
  });

  it('says on the order and in the sync log why it was not shipped, and clears it when the cause goes', async () => {
    await updateSettings(db.orm, t.tenantId, {
      bulkShippingTriggerStatus: t.statuses.readyToShip,
      allocatedStatus: null,
    });
    // No 出荷日 yet: bulk shipping is skipped, with that reason, once in the log.
    const noDate = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 10, shopId: t.shops.excluded, statusId: t.statuses.readyToShip }),
    );
    await tick('orders');
    await tick('shipping');
    await tick('shipping');
    let order = await load(noDate);
    expect(remote(order.smaregiOrderHeadId!)?.status).not.toBe('shipped');
    expect(order.syncReasonCode).toBe('orderActionSkipped');
    expect(reasonOf(order)).toBe(
      `受注番号 ${order.orderNumber}: 一括出荷を行いません: 出荷日が入力されていません。`,
    );
    expect(reasonOf(order, 'en')).toBe(
      `Order ${order.orderNumber}: No bulk shipping: The order has no shipping date.`,
    );
    expect(await events(noDate, 'order.actionSkipped')).toBe(1);
    // The merchant enters the date: shipped, and the reason is gone.
    const em = forkEm(db.orm);
    (await em.findOneOrFail(Order, { id: noDate })).shippingDate = '2026-11-21';
    await em.flush();
    await tick('shipping');
    order = await load(noDate);
    expect(order.status.id).toBe(t.statuses.shipped);
    expect(reasonOf(order)).toBeNull();

    // Smaregi refuses the shipment (the order was cancelled there meanwhile): the refusal shows
    // on the order itself, in the merchant's words, not only in the log.
    const refused = await createOrder(
      db.orm,
      t.tenantId,
      spec({
        productIndex: 11,
        shopId: t.shops.excluded,
        statusId: t.statuses.received,
        shippingDate: '2026-11-21',
      }),
    );
    await tick('orders');
    order = await load(refused);
    await client
      .forContract(DEMO_CONTRACT_ID)
      .orderShipment.orders.cancel(order.smaregiOrderHeadId!);
    await setStatus(refused, t.statuses.readyToShip);
    await tick('jobs');
    await tick('shipping');
    order = await load(refused);
    expect(order.lastSyncErrorCode).toBe('orderShippingRefused');
    expect(lastErrorOf(order)).toContain(
      `受注番号 ${order.orderNumber}: スマレジが一括出荷を受け付けませんでした`,
    );
    expect(await events(refused, 'order.shippingFailed')).toBe(1);
    // Moved into the bulk-shipping status again (after fixing the cause): asked again, and the
    // old refusal no longer stands.
    await setStatus(refused, t.statuses.received);
    await tick('jobs');
    await setStatus(refused, t.statuses.readyToShip);
    await tick('jobs');
    expect(lastErrorOf(await load(refused))).toBeNull();
  });

  it('applies a cancel from Smaregi once, releasing the allocation, through duplicated and shuffled webhooks', async () => {
    sim.control.setWebhookBehaviour({ duplicateRate: 1, shuffle: true });
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec({ productIndex: 9, shopId: t.shops.excluded }),
    );
    await tick('orders');
    const order = await load(id);
    expect(order.lines[0]?.allocatedQuantity).toBe(1);
    await client
      .forContract(DEMO_CONTRACT_ID)
      .orderShipment.orders.cancel(order.smaregiOrderHeadId!);
    await sim.control.flush({ now: true });
    expect(inbox.duplicates()).toBeGreaterThan(0);
    await tick('webhooks', 'webhooks');
    const after = await load(id);
    expect(after.syncState).toBe('canceled');
    expect(after.status.id).toBe(t.statuses.cancelled);
    expect(after.lines[0]?.allocatedQuantity).toBe(0);
    expect(await events(id, 'order.canceled')).toBe(1);
    // The same notice again much later, under another event ID, changes nothing.
    const em = forkEm(db.orm);
    const original = await em.findOneOrFail(WebhookEvent, {
      tenant: t.tenantId,
      event: 'order-shipment:orders',
      action: 'canceled',
    });
    em.create(WebhookEvent, {
      tenant: original.tenant,
      eventId: `replay-${original.eventId}`,
      event: original.event,
      action: original.action ?? null,
      contractId: original.contractId,
      body: original.body,
    });
    await em.flush();
    await tick('webhooks');
    expect(
      await forkEm(db.orm).count(WebhookEvent, { tenant: t.tenantId, state: 'received' }),
    ).toBe(0);
    expect(await events(id, 'order.canceled')).toBe(1);
    sim.control.setWebhookBehaviour({});
  });

  it('pos:stock refreshes effective stock; reconciliation catches a dropped webhook and records the drift', async () => {
    const p = t.products[12]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 40,
    });
    await sim.control.flush({ now: true });
    await tick('webhooks');
    let listed = await forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: p.productId,
    });
    expect(listed.stockAmount).toBe(40);
    expect(listed.effectiveStock).toBe(40 - (listed.allocatedAmount ?? 0));

    sim.control.setWebhookBehaviour({ dropRate: 1 });
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 33,
    });
    await sim.control.flush({ now: true });
    await tick('webhooks');
    listed = await forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: p.productId,
    });
    expect(listed.stockAmount).toBe(40);
    await tick('reconcile');
    listed = await forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: p.productId,
    });
    expect(listed.stockAmount).toBe(33);
    const drifts = await forkEm(db.orm).find(StockDrift, {
      tenant: t.tenantId,
      product: listed.id,
    });
    expect(drifts.map((d) => [d.renkeiAmount, d.smaregiAmount])).toEqual([[40, 33]]);
    // The pass is in the sync log (the dashboard's 最終在庫照合), as a warning since it drifted.
    const passes = await forkEm(db.orm).find(
      SyncEvent,
      { tenant: t.tenantId, subjectType: 'stock', kind: 'stock.reconciled' },
      { orderBy: { at: 'desc', id: 'desc' } },
    );
    expect(passes).toHaveLength(1);
    expect(passes[0]!.outcome).toBe('warning');
    const found = (passes[0]!.detail as { drifts: number }).drifts;
    expect(found).toBeGreaterThanOrEqual(1);
    expect(passes[0]!.messageCode).toBe('stockReconciled');
    expect(passes[0]!.messageParams).toMatchObject({ drifts: found });

    await tick('reconcile'); // nothing drifted since: a success line
    const again = await forkEm(db.orm).find(
      SyncEvent,
      { tenant: t.tenantId, subjectType: 'stock', kind: 'stock.reconciled' },
      { orderBy: { at: 'desc', id: 'desc' } },
    );
    expect(again.map((e) => e.outcome).sort()).toEqual(['success', 'warning']);
    sim.control.setWebhookBehaviour({});
  });
});
