import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Job,
  ListedProduct,
  Order,
  OrderStatus,
  Operation,
  ProductImportRun,
  SmaregiConnection,
  SmaregiToken,
  SyncEvent,
  Tenant,
  WebhookEvent,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
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
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';
import { startInbox, WEBHOOK_SECRET, WEBHOOK_SECRET_HEADER } from './support/webhook-inbox.js';

/*
 * Smaregi events through the webhook inbox, delivered as the simulator delivers them (here:
 * every event twice, in shuffled order): one effect each, and a final state equal to Smaregi's.
 * Plus a refused shipment retried by the merchant, and the end of the app subscription.
 */
describe.each(testDialects())('Smaregi events (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let client: SmaregiClient;
  let t: TenantFixture;
  let worker: Worker;
  let inbox: Awaited<ReturnType<typeof startInbox>>;

  const listed = (productId: string) =>
    forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: productId,
    });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    inbox = await startInbox(db.orm);
    sim = await startSimulator({
      rateLimits: false,
      seed: 17,
      webhook: {
        url: inbox.url,
        secretHeaderName: WEBHOOK_SECRET_HEADER,
        secretHeaderValue: WEBHOOK_SECRET,
      },
      appSubscriptionUrl: inbox.appSubscriptionUrl,
    });
    client = testClient(sim);
    t = await seedTenant(db.orm, client);
    worker = new Worker(testDeps(db.orm, client));
    sim.control.setWebhookBehaviour({ duplicateRate: 1, shuffle: true, delayMs: 50 });
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await inbox?.close();
    await db?.close();
  });

  it('ends with Smaregi’s stock after many duplicated, shuffled pos:stock deliveries', async () => {
    const p = t.products[0]!;
    const q = t.products[1]!;
    for (const amount of [10, 11, 12, 13, 14]) {
      sim.control.adjustStock({
        storeId: DEMO_STORE_IDS.warehouse,
        productId: p.productId,
        stockAmount: amount,
      });
      sim.control.adjustStock({
        storeId: DEMO_STORE_IDS.warehouse,
        productId: q.productId,
        amount: -1,
      });
    }
    await sim.control.flush({ now: true });
    expect(inbox.duplicates()).toBeGreaterThanOrEqual(10);
    while (await worker.loop('webhooks').tickOnce());
    await worker.loop('webhooks').tickOnce();
    expect((await listed(p.productId)).stockAmount).toBe(14);
    expect((await listed(q.productId)).stockAmount).toBe(
      Number(sim.control.stock(DEMO_STORE_IDS.warehouse, q.productId)?.stockAmount),
    );
  });

  it('商品連携設定 [連携する]: a product created or changed in Smaregi is taken into the product list by itself', async () => {
    const p = t.products[2]!;
    await client
      .forContract(DEMO_CONTRACT_ID)
      .pos.products.update(p.productId, { productName: '改名した商品' });
    const fresh = sim.control.addProduct({
      categoryId: p.categoryId,
      productCode: 'EVT-NEW',
      productName: '新商品',
      price: '100',
    });
    await sim.control.flush({ now: true });
    while (await worker.loop('webhooks').tickOnce());
    await worker.loop('webhooks').tickOnce();
    expect((await listed(p.productId)).name).toBe('改名した商品');
    // Created once, whatever the duplicated deliveries, without a manual import.
    const created = await forkEm(db.orm).find(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: fresh.productId,
    });
    expect(created.map((c) => [c.productCode, c.name, c.price])).toEqual([
      ['EVT-NEW', '新商品', 100],
    ]);
    expect(await forkEm(db.orm).count(ProductImportRun, { tenant: t.tenantId })).toBe(0);
  });

  it('商品連携設定 [連携しない]: a product created or changed in Smaregi leaves the product list alone, and says why', async () => {
    await updateSettings(db.orm, t.tenantId, { productSyncEnabled: false });
    try {
      const p = t.products[3]!;
      const before = (await listed(p.productId)).name;
      await client
        .forContract(DEMO_CONTRACT_ID)
        .pos.products.update(p.productId, { productName: '連携しない間の改名' });
      const fresh = sim.control.addProduct({
        categoryId: p.categoryId,
        productCode: 'EVT-OFF',
        productName: '連携しない間の新商品',
        price: '200',
      });
      await sim.control.flush({ now: true });
      while (await worker.loop('webhooks').tickOnce());
      await worker.loop('webhooks').tickOnce();
      expect((await listed(p.productId)).name).toBe(before);
      expect(
        await forkEm(db.orm).count(ListedProduct, {
          tenant: t.tenantId,
          smaregiProductId: fresh.productId,
        }),
      ).toBe(0);
      const notes = await forkEm(db.orm).find(SyncEvent, {
        tenant: t.tenantId,
        kind: 'product.changeNotTaken',
      });
      expect(notes.length).toBeGreaterThanOrEqual(1);
      expect(notes.every((n) => n.messageCode === 'productChangeNotTaken')).toBe(true);
      expect(notes.map((n) => String(n.messageParams.productIds)).join(',')).toContain(
        fresh.productId,
      );
      // Nothing was held back: the deliveries are closed, not waiting for the setting.
      expect(
        await forkEm(db.orm).count(WebhookEvent, {
          tenant: t.tenantId,
          event: 'pos:products',
          state: 'received',
        }),
      ).toBe(0);
    } finally {
      await updateSettings(db.orm, t.tenantId, { productSyncEnabled: true });
    }
  });

  it('records a shipment Smaregi refuses, and retries it once the merchant moves the order into the shipping status again', async () => {
    await updateSettings(db.orm, t.tenantId, { bulkShippingTriggerStatus: t.statuses.readyToShip });
    const p = t.products[3]!;
    // No stock: the auto-allocating store allocates nothing.
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 0,
    });
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: `SHIPRETRY-${dialect}`,
      shopId: t.shops.excluded,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      shippingDate: '2026-11-30',
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 2,
        },
      ],
    });
    await worker.loop('orders').tickOnce();
    const em = forkEm(db.orm);
    const order = await em.findOneOrFail(Order, { id });
    expect(order.allocationStatus).toBe('unallocated');
    // Renkei's view goes stale (as if an allocation was released in Smaregi unseen): it believes
    // the order allocated, so it asks Smaregi to ship, and Smaregi refuses with its reason.
    order.allocationStatus = 'allocated';
    order.status = em.getReference(OrderStatus, t.statuses.readyToShip);
    await em.flush();
    await worker.loop('shipping').tickOnce();
    const headId = order.smaregiOrderHeadId!;
    expect(sim.control.order(headId)?.status).not.toBe('shipped');
    const op = await forkEm(db.orm).findOneOrFail(Operation, {
      tenant: t.tenantId,
      kind: 'shipOrders',
      businessKey: `ship:${id}`,
    });
    expect(op.state).toBe('failed');
    expect(op.lastError).not.toBe('');
    expect(
      await forkEm(db.orm).count(SyncEvent, {
        tenant: t.tenantId,
        subjectId: id,
        kind: 'order.shippingFailed',
      }),
    ).toBe(1);
    // Never resent by itself.
    await worker.loop('shipping').tickOnce();
    expect(
      await forkEm(db.orm).count(SyncEvent, {
        tenant: t.tenantId,
        subjectId: id,
        kind: 'order.shippingFailed',
      }),
    ).toBe(1);
    // Stock arrives and is allocated in Smaregi; the merchant moves the order into the shipping status again.
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 5,
    });
    await client.forContract(DEMO_CONTRACT_ID).orderShipment.orders.allocate(headId);
    const em2 = forkEm(db.orm);
    em2.create(Job, {
      tenant: em2.getReference(Tenant, t.tenantId),
      name: 'order.statusChanged',
      payload: { orderId: id, statusId: t.statuses.readyToShip },
    });
    await em2.flush();
    await worker.loop('jobs').tickOnce();
    await worker.loop('shipping').tickOnce();
    expect(sim.control.order(headId)?.status).toBe('shipped');
    expect(
      (await forkEm(db.orm).findOneOrFail(Order, { id }, { populate: ['status'] })).status.id,
    ).toBe(t.statuses.shipped);
  });

  it('a forged subscription end (Smaregi still serves the app) stops nothing and is shown', async () => {
    // The notice URL has no secret: anyone knowing the contract and the public client ID can post.
    const forged = await fetch(inbox.appSubscriptionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'Smaregi-Event': 'AppSubscription' },
      body: JSON.stringify({
        contractId: DEMO_CONTRACT_ID,
        event: 'AppSubscription',
        action: 'end',
        date: '2026-11-30',
        clientId: DEMO_CLIENT_ID,
      }),
    });
    expect(forged.status).toBe(200);
    await worker.loop('webhooks').tickOnce();

    const connection = await forkEm(db.orm).findOneOrFail(SmaregiConnection, {
      tenant: t.tenantId,
    });
    expect(connection.status).not.toBe('reauthRequired');
    const events = await forkEm(db.orm).find(SyncEvent, {
      tenant: t.tenantId,
      kind: { $in: ['connection.subscriptionEnded', 'connection.subscriptionNoticeUnconfirmed'] },
    });
    expect(events.map((e) => e.kind)).toEqual(['connection.subscriptionNoticeUnconfirmed']);
  });

  it('app subscription end: stops every call for the contract, destroys tokens, tells the merchant', async () => {
    const em = forkEm(db.orm);
    em.create(SmaregiToken, {
      tenant: em.getReference(Tenant, t.tenantId),
      kind: 'appAccess',
      contractId: DEMO_CONTRACT_ID,
      ciphertext: 'x.y.z',
      keyId: 'k1',
    });
    await em.flush();
    sim.control.uninstallApp({ contractId: DEMO_CONTRACT_ID });
    await sim.control.flush({ now: true });
    await worker.loop('webhooks').tickOnce();
    const connection = await forkEm(db.orm).findOneOrFail(SmaregiConnection, {
      tenant: t.tenantId,
    });
    expect(connection.status).toBe('reauthRequired');
    expect(connection.statusReason).toBe('app subscription ended');
    expect(await forkEm(db.orm).count(SmaregiToken, { tenant: t.tenantId })).toBe(0);
    expect(
      await forkEm(db.orm).count(SyncEvent, {
        tenant: t.tenantId,
        kind: 'connection.subscriptionEnded',
      }),
    ).toBe(1);
    const p = t.products[5]!;
    await createOrder(db.orm, t.tenantId, {
      orderNumber: `AFTER-END-${dialect}`,
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
    });
    const before = sim.control.journal().length;
    for (const loop of worker.loops) await loop.tickOnce();
    expect(sim.control.journal().length).toBe(before);
  });
});
