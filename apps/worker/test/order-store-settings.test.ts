import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '@renkei/domain';
import {
  forkEm,
  ListedProduct,
  Order,
  Shop,
  StockLevel,
  SyncEvent,
  syncEventMessage,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import {
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import { ALLOCATION_SETTING_MISSING_KIND } from '../src/stock/order-store-facts.js';
import {
  ALLOCATION_SOURCE_OFF_KIND,
  STOCK_RECONCILED_KIND,
  STOCK_WAREHOUSE_MISSING_KIND,
} from '../src/stock/stock-sync.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  updateSettings,
  type OrderSpec,
  type TenantFixture,
} from './support/fixture.js';

/** A sync event as the merchant reads it in Japanese. */
const ja = (event: SyncEvent) => renderMessage(syncEventMessage(event), 'ja');

/*
 * The real 受注店舗 object need not carry `stockStoreId` / `autoAllocation`, and 受注管理's stock
 * endpoint is unpublished (docs/smaregi-wire.md §4.4, §11). With the simulator answering like that,
 * the worker acts on the warehouse and auto-allocation stored in Renkei (or holds with a reason),
 * and takes stock from POS `GET /pos/stock`, switching the 404ing endpoint off visibly.
 */
describe.each(testDialects())('order store settings held by Renkei (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;
  let worker: Worker;
  let seq = 0;

  const tick = async (...names: string[]) => {
    for (const name of names) await worker.loop(name).tickOnce();
  };
  const load = (id: string) =>
    forkEm(db.orm).findOneOrFail(Order, { id }, { populate: ['status', 'lines'] });
  const spec = (productIndex: number, over: Partial<OrderSpec> = {}): OrderSpec => {
    const p = t.products[productIndex]!;
    return {
      orderNumber: `OS-${dialect}-${++seq}`,
      shopId: t.shops.excluded,
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
  const setShop = async (id: string, values: Partial<Shop>) => {
    const em = forkEm(db.orm);
    Object.assign(await em.findOneOrFail(Shop, { id }), values);
    await em.flush();
  };
  const stockEvents = (kind: string) =>
    forkEm(db.orm).find(
      SyncEvent,
      { tenant: t.tenantId, subjectType: 'stock', kind },
      { orderBy: { at: 'asc', id: 'asc' } },
    );
  const listed = (productId: string) =>
    forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: productId,
    });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 7 });
    // Smaregi as the public sources show it: no warehouse or auto-allocation on the 受注店舗.
    sim.control.setModeledSurface({ orderStoreStockFields: false });
    const client = testClient(sim);
    t = await seedTenant(db.orm, client, {
      allocationTriggerStatuses: [],
      allocatedStatus: null,
    });
    worker = new Worker(testDeps(db.orm, client));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it("acts on the merchant's auto-allocation ON although Smaregi's store object does not say", async () => {
    await updateSettings(db.orm, t.tenantId, { allocatedStatus: t.statuses.allocated });
    const id = await createOrder(db.orm, t.tenantId, spec(0));
    await tick('orders');
    const order = await load(id);
    // The 税別 受注店舗 allocates at registration; Renkei knows it from its own setting.
    expect(order.allocationStatus).toBe('allocated');
    expect(order.status.id).toBe(t.statuses.allocated);
    // The 受注店舗 list is read for its 販売区分 only (orders/order-store-refresh.ts); no single
    // store is read for the warehouse or auto-allocation, which its object does not carry here.
    expect(
      sim.control
        .journal({ method: 'GET' })
        .filter((e) => /\/order-shipment\/stores\/./.test(e.path)),
    ).toEqual([]);
  });

  it('holds the allocation with a reason while the auto-allocation is not set, and goes on once it is', async () => {
    await setShop(t.shops.included, { autoAllocation: null, autoAllocationOrigin: null });
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
      allocatedStatus: t.statuses.allocated,
    });
    const id = await createOrder(
      db.orm,
      t.tenantId,
      spec(1, { shopId: t.shops.included, statusId: t.statuses.waitingAllocation }),
    );
    await tick('orders');
    let order = await load(id);
    expect(order.smaregiOrderHeadId).toBeTruthy();
    expect(order.status.id).toBe(t.statuses.waitingAllocation);
    const allocations = () =>
      sim.control.journal({ method: 'POST' }).filter((e) => e.path.endsWith('/allocation'));
    expect(allocations()).toHaveLength(0);
    const held = await forkEm(db.orm).find(SyncEvent, {
      tenant: t.tenantId,
      subjectId: id,
      kind: ALLOCATION_SETTING_MISSING_KIND,
    });
    expect(held).toHaveLength(1);
    expect(ja(held[0]!)).toContain('店舗 (モール) ごとの設定');

    await setShop(t.shops.included, { autoAllocation: false, autoAllocationOrigin: 'merchant' });
    // The merchant moves the order into the trigger status again (as the admin would).
    await worker.orderActions.onStatusChanged(
      { tenantId: t.tenantId, contractId: DEMO_CONTRACT_ID },
      id,
      new AbortController().signal,
    );
    order = await load(id);
    expect(allocations()).toHaveLength(1);
    expect(order.status.id).toBe(t.statuses.allocated);
  });

  it('takes stock from POS for the warehouse set in Renkei; a 404 of the order-management stock endpoint switches it off visibly', async () => {
    sim.control.setModeledSurface({ orderShipmentStock: false });
    const p = t.products[5]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 12,
    });
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.kichijoji,
      productId: p.productId,
      stockAmount: 50,
    });
    // An order of the auto-allocating store holds 2 of them in Smaregi (and on Renkei's order).
    const id = await createOrder(db.orm, t.tenantId, {
      ...spec(5),
      lines: [
        {
          productCode: p.productCode,
          name: p.productName,
          unitPrice: Number(p.price),
          quantity: 2,
        },
      ],
    });
    await tick('orders');
    expect((await load(id)).lines[0]?.allocatedQuantity).toBe(2);

    await tick('reconcile');
    const product = await listed(p.productId);
    expect([product.stockAmount, product.allocatedAmount, product.effectiveStock]).toEqual([
      12, 2, 10,
    ]);
    const levels = await forkEm(db.orm).find(StockLevel, {
      tenant: t.tenantId,
      product: product.id,
    });
    expect(
      Object.fromEntries(levels.map((l) => [l.smaregiStoreId, [l.stockAmount, l.allocatedAmount]])),
    ).toMatchObject({ [DEMO_STORE_IDS.warehouse]: [12, 2], [DEMO_STORE_IDS.kichijoji]: [50, 0] });

    const off = await stockEvents(ALLOCATION_SOURCE_OFF_KIND);
    expect(off).toHaveLength(1);
    expect(off[0]!.outcome).toBe('warning');
    expect(ja(off[0]!)).toContain('404');
    const [pass] = await stockEvents(STOCK_RECONCILED_KIND);
    expect(pass?.detail).toMatchObject({ allocationSource: 'renkeiOrders' });
    expect(ja(pass!)).toContain('引当数: Renkeiの受注の引当数');

    // Switched off: the next pass does not ask again, and says nothing more about it.
    const asked = () =>
      sim.control.journal({ method: 'GET' }).filter((e) => e.path.endsWith('/order-shipment/stock'))
        .length;
    const before = asked();
    await tick('reconcile');
    expect(asked()).toBe(before);
    expect(await stockEvents(ALLOCATION_SOURCE_OFF_KIND)).toHaveLength(1);
  });

  it('computes no figure over a guessed store while the warehouse is not set, and says where to set it', async () => {
    const p = t.products[6]!;
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 7,
    });
    await tick('reconcile');
    expect((await listed(p.productId)).stockAmount).toBe(7);

    // The first mapped active shop by name is 楽天市場店 (the 税別 one).
    await setShop(t.shops.excluded, { warehouseStoreId: null, warehouseOrigin: null });
    sim.control.adjustStock({
      storeId: DEMO_STORE_IDS.warehouse,
      productId: p.productId,
      stockAmount: 3,
    });
    await tick('reconcile');
    await tick('reconcile');
    expect((await listed(p.productId)).stockAmount).toBe(7);
    const missing = await stockEvents(STOCK_WAREHOUSE_MISSING_KIND);
    expect(missing).toHaveLength(1);
    expect(ja(missing[0]!)).toContain('楽天市場店');
    expect(ja(missing[0]!)).toContain('店舗 (モール) ごとの設定');

    await setShop(t.shops.excluded, {
      warehouseStoreId: DEMO_STORE_IDS.warehouse,
      warehouseOrigin: 'merchant',
    });
    await tick('reconcile');
    expect((await listed(p.productId)).stockAmount).toBe(3);
  });
});
