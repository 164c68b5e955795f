import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Job,
  ListedProduct,
  Order,
  OrderStatus,
  StockRecomputeRun,
  SyncEvent,
  Tenant,
  tenantRepositories,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { allocationStateOf, type IntegrationSettings } from '@renkei/domain';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import type { SmaregiClient } from '@renkei/smaregi-client';
import { activeTenants } from '../src/tenants/active-tenants.js';
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

/*
 * Allocation and stock are never stale (docs/flows.md §6). The simulator sends no webhook here
 * (no `pos:stock`, and Smaregi sends none for an allocation anyway) and the reconciliation does
 * not run between the steps: the figures must follow Smaregi from the order events themselves —
 * registered, allocated, cancelled, shipped — for just the products concerned, coalesced; and
 * after a change of 有効在庫数計算設定 every product and every open order's allocation follow the
 * mode now in force, back and forth, in a run that shows its progress and survives a restart.
 */
describe.each(testDialects())('stock and allocation follow Smaregi (%s)', (dialect) => {
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
  const listed = (productId: string) =>
    forkEm(db.orm).findOneOrFail(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: productId,
    });
  /** Smaregi's figures of the warehouse: [stock, allocated, stock − allocated]. */
  const smaregi = (productId: string) => {
    const row = sim.control.stock(DEMO_STORE_IDS.warehouse, productId);
    const stock = Number(row?.stockAmount ?? 0);
    const allocated = row?.allocatedAmount ?? 0;
    return [stock, allocated, stock - allocated];
  };
  const renkei = async (productId: string) => {
    const p = await listed(productId);
    return [p.stockAmount, p.allocatedAmount, p.effectiveStock];
  };
  const setStock = (productId: string, stockAmount: number) =>
    sim.control.adjustStock({ storeId: DEMO_STORE_IDS.warehouse, productId, stockAmount });
  const posStockReads = () =>
    sim.control.journal({ method: 'GET' }).filter((e) => e.path.endsWith('/pos/stock')).length;
  const line = (index: number, quantity: number) => {
    const p = t.products[index]!;
    return {
      productCode: p.productCode,
      name: p.productName,
      unitPrice: Number(p.price),
      quantity,
    };
  };
  const order = (over: Partial<OrderSpec> & Pick<OrderSpec, 'lines'>) =>
    createOrder(db.orm, t.tenantId, {
      orderNumber: `SF-${dialect}-${++seq}`,
      shopId: t.shops.excluded,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      ...over,
    });
  const setStatus = async (orderId: string, statusId: string) => {
    const em = forkEm(db.orm);
    const row = await em.findOneOrFail(Order, { id: orderId });
    row.status = em.getReference(OrderStatus, statusId);
    // As apps/api does on a status change: the job carries the event.
    em.create(Job, {
      tenant: em.getReference(Tenant, t.tenantId),
      name: 'order.statusChanged',
      payload: { orderId, statusId },
    });
    await em.flush();
  };
  /** As apps/api's settings service saves 有効在庫数計算設定: the settings and a queued run. */
  const changeMode = async (to: IntegrationSettings['effectiveStockMode']) => {
    const em = forkEm(db.orm);
    const from = to === 'omsPurchase' ? 'smaregiAllocation' : 'omsPurchase';
    await updateSettings(db.orm, t.tenantId, { effectiveStockMode: to });
    const run = await tenantRepositories(em, t.tenantId).stockRecomputeRuns.request(
      { effectiveStockMode: { from, to } },
      true,
      'admin@example.com',
      new Date(),
    );
    await em.flush();
    return run.id;
  };
  const runOf = (id: string) => forkEm(db.orm).findOneOrFail(StockRecomputeRun, { id });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    // No webhook URL: nothing but the order events can bring the figures in step.
    sim = await startSimulator({ rateLimits: false, seed: 29 });
    client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    worker = new Worker(testDeps(db.orm, client));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('registered, allocated, cancelled and shipped orders bring just their products in step, coalesced', async () => {
    const [a, b, c, d] = [0, 1, 2, 5].map((i) => t.products[i]!.productId) as [
      string,
      string,
      string,
      string,
    ];
    for (const id of [a, b, c, d]) setStock(id, 10);
    await tick('reconcile');
    for (const id of [a, b, c, d]) expect(await renkei(id)).toEqual(smaregi(id));

    // Registered in a 受注店舗 that allocates by itself: Smaregi reserves a ×5 and b ×1.
    const first = await order({ lines: [line(0, 3)], shippingDate: '2026-11-20' });
    const second = await order({ lines: [line(0, 2), line(1, 1)] });
    await tick('orders');
    expect(smaregi(a)).toEqual([10, 5, 5]);
    // Changed in Smaregi without any event of Renkei's: not Renkei's to follow now.
    setStock(c, 4);
    const reads = posStockReads();
    await tick('stock');
    expect(await renkei(a)).toEqual(smaregi(a));
    expect(await renkei(b)).toEqual([10, 1, 9]);
    // Two orders of a, one of b: one read of the warehouse (coalesced), no full reconciliation.
    expect(posStockReads() - reads).toBe(1);
    expect((await listed(c)).stockAmount).toBe(10);

    // An allocation Renkei asks for (受注店舗 without automatic allocation).
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [t.statuses.waitingAllocation],
    });
    const asked = await order({ shopId: t.shops.included, lines: [line(5, 4)] });
    await tick('orders', 'stock');
    expect(await renkei(d)).toEqual([10, 0, 10]);
    await setStatus(asked, t.statuses.waitingAllocation);
    await tick('jobs');
    expect((await load(asked)).allocationStatus).toBe('allocated');
    await tick('stock');
    expect(await renkei(d)).toEqual([10, 4, 6]);

    // Cancelled from the OMS: its allocation is released in Smaregi, and here.
    await setStatus(second, t.statuses.cancelled);
    await tick('jobs');
    expect((await load(second)).syncState).toBe('canceled');
    await tick('stock');
    expect(await renkei(a)).toEqual([10, 3, 7]);
    expect(await renkei(b)).toEqual([10, 0, 10]);

    // Shipped in bulk: the stock leaves the warehouse.
    await updateSettings(db.orm, t.tenantId, { bulkShippingTriggerStatus: t.statuses.readyToShip });
    await setStatus(first, t.statuses.readyToShip);
    await tick('jobs', 'shipping');
    expect((await load(first)).status.id).toBe(t.statuses.shipped);
    await tick('stock');
    expect(await renkei(a)).toEqual([7, 0, 7]);
    expect(await renkei(a)).toEqual(smaregi(a));
    await updateSettings(db.orm, t.tenantId, {
      allocationTriggerStatuses: [],
      bulkShippingTriggerStatus: null,
    });
  }, 30_000);

  it('many marked products, or a webhook naming only the warehouse, are read for the whole warehouse when that takes fewer reads', async () => {
    const picked = [8, 9, 10, 11, 12].map((i) => t.products[i]!.productId);
    for (const id of picked) setStock(id, 20);
    const other = t.products[13]!.productId;
    setStock(other, 20);
    await tick('reconcile');
    const reads = () => {
      const gets = sim.control.journal({ method: 'GET' });
      return [
        gets.filter((e) => e.path.endsWith('/pos/stock')).length,
        gets.filter((e) => e.path.endsWith('/order-shipment/stock')).length,
      ];
    };
    const since = (before: number[]) => reads().map((n, i) => n - before[i]!);

    // Five orders of five products, allocated by their 受注店舗 at registration.
    for (const [i, index] of [8, 9, 10, 11, 12].entries())
      await order({ lines: [line(index, i + 1)] });
    await tick('orders');
    setStock(other, 15);
    // The fixture's 270 imported products: one POS page (1,000 a page), three of 受注管理 (100).
    expect(
      await forkEm(db.orm).count(ListedProduct, {
        tenant: t.tenantId,
        smaregiProductId: { $ne: null },
      }),
    ).toBe(270);
    let before = reads();
    await tick('stock');
    // By product: five POS reads and ten of 受注管理 (a short page is read past: its largest
    // page is unpublished).
    expect(since(before)).toEqual([1, 3]);
    for (const id of picked) expect(await renkei(id)).toEqual(smaregi(id));
    expect(await renkei(picked[4]!)).toEqual([20, 5, 15]);
    // Read with the warehouse, but not Renkei's to change: no event of its own moved it.
    expect((await listed(other)).stockAmount).toBe(20);

    // A `pos:stock` webhook of two products. The client has now seen a full 受注管理 page (the
    // warehouse read above), so a product's read there is one call. Naming only the warehouse:
    // one POS read of it, and the allocated amounts by product (two reads against three pages);
    // naming another store too, each product's rows in every store.
    const me = (await activeTenants(forkEm(db.orm))).find((a) => a.tenantId === t.tenantId);
    const signal = new AbortController().signal;
    setStock(picked[0]!, 18);
    setStock(picked[1]!, 17);
    before = reads();
    await worker.stock.refreshProducts(me!, [picked[0]!, picked[1]!], signal, [
      DEMO_STORE_IDS.warehouse,
      DEMO_STORE_IDS.warehouse,
    ]);
    expect(since(before)).toEqual([1, 2]);
    expect(await renkei(picked[0]!)).toEqual(smaregi(picked[0]!));
    expect(await renkei(picked[1]!)).toEqual(smaregi(picked[1]!));
    before = reads();
    await worker.stock.refreshProducts(me!, [picked[0]!, picked[1]!], signal, [
      DEMO_STORE_IDS.warehouse,
      DEMO_STORE_IDS.kichijoji,
    ]);
    expect(since(before)).toEqual([2, 2]);
  }, 30_000);

  it('有効在庫数計算設定 back and forth: every product recomputed, no order left allocated that Smaregi says is not', async () => {
    const p = t.products[7]!.productId;
    setStock(p, 2);
    // A 受注店舗 without automatic allocation and no inquiry: Smaregi allocates nothing.
    const early = await order({
      shopId: t.shops.included,
      lines: [line(7, 2)],
      orderedAt: new Date('2026-11-03T09:00:00+09:00'),
      shippingDate: '2026-11-21',
    });
    const late = await order({
      shopId: t.shops.included,
      lines: [line(7, 2)],
      orderedAt: new Date('2026-11-03T10:00:00+09:00'),
    });
    await tick('orders', 'stock');
    expect((await load(early)).allocationStatus).toBe('unallocated');

    // OMS購入数: Renkei's planner allocates from its figures; stock minus open orders.
    const toOms = await changeMode('omsPurchase');
    await until(
      async () => (await runOf(toOms)).state === 'succeeded',
      () => tick('stock'),
    );
    const products = await forkEm(db.orm).count(ListedProduct, {
      tenant: t.tenantId,
      smaregiProductId: { $ne: null },
    });
    expect(await runOf(toOms)).toMatchObject({ productsTotal: products, productsDone: products });
    expect((await load(early)).allocationStatus).toBe('allocated');
    expect((await load(late)).allocationStatus).toBe('unallocated');
    expect((await listed(p)).effectiveStock).toBe(2 - 4);

    // Back to スマレジの引当数: Smaregi's allocation again, for every open order.
    const back = await changeMode('smaregiAllocation');
    await until(
      async () => (await runOf(back)).state === 'succeeded',
      () => tick('stock'),
    );
    const run = await runOf(back);
    expect(run.ordersDone).toBe(run.ordersTotal);
    expect(run.ordersTotal).toBeGreaterThanOrEqual(2);
    for (const id of [early, late]) {
      const row = await load(id);
      expect(row.allocationStatus).toBe(
        sim.control.order(row.smaregiOrderHeadId!)?.allocationStatus,
      );
      expect(row.lines.getItems().map((l) => l.allocatedQuantity)).toEqual([0]);
    }
    expect(await renkei(p)).toEqual(smaregi(p));
    expect(
      await forkEm(db.orm).count(SyncEvent, { tenant: t.tenantId, kind: 'stock.recomputed' }),
    ).toBe(2);

    // Bulk shipping (and the shipping CSV's 引当状態, the same reading) see Smaregi's state.
    const row = await load(early);
    expect(allocationStateOf(row)).toBe('unallocated');
    await updateSettings(db.orm, t.tenantId, { bulkShippingTriggerStatus: t.statuses.readyToShip });
    await setStatus(early, t.statuses.readyToShip);
    await tick('jobs', 'shipping');
    expect(sim.control.order(row.smaregiOrderHeadId!)?.status).not.toBe('shipped');
    await updateSettings(db.orm, t.tenantId, { bulkShippingTriggerStatus: null });
  }, 30_000);

  it('a recompute left running by a stopped worker is resumed where it stopped', async () => {
    const em = forkEm(db.orm);
    const ids = (
      await em.find(
        ListedProduct,
        { tenant: t.tenantId, smaregiProductId: { $ne: null } },
        { orderBy: { smaregiProductId: 'asc' } },
      )
    ).map((p) => p.smaregiProductId!);
    const half = Math.floor(ids.length / 2);
    const done = ids[half - 1]!;
    const before = ids[0]!;
    const after = ids[ids.length - 1]!;
    const run = await tenantRepositories(em, t.tenantId).stockRecomputeRuns.request(
      { stockBasis: { from: 'allStores', to: 'orderStoreWarehouse' } },
      false,
      'admin@example.com',
      new Date(),
    );
    // As a worker killed in the stock pass leaves it: the first half committed.
    Object.assign(run, {
      state: 'running',
      phase: 'stock',
      cursor: done,
      productsTotal: ids.length,
      productsDone: half,
    });
    await em.flush();
    const old = [(await listed(before)).stockAmount, (await listed(after)).stockAmount];
    setStock(before, (old[0] ?? 0) + 3);
    setStock(after, (old[1] ?? 0) + 3);

    const restarted = new Worker(testDeps(db.orm, client));
    await until(
      async () => (await runOf(run.id)).state === 'succeeded',
      () => restarted.loop('stock').tickOnce(),
    );
    expect(await runOf(run.id)).toMatchObject({
      productsDone: ids.length,
      productsTotal: ids.length,
    });
    // Resumed after the cursor: the second half recomputed, the first half not again.
    expect((await listed(after)).stockAmount).toBe((old[1] ?? 0) + 3);
    expect((await listed(before)).stockAmount).toBe(old[0]);
  }, 30_000);
});
