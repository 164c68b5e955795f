import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  ListedProduct,
  Order,
  PaymentMethod,
  Shop,
  SmaregiConnection,
  tenantRepositories,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import type { SmaregiClient } from '@renkei/smaregi-client';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  testDeps,
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';

/*
 * End to end: order rows as the intake stores them -> worker -> the simulator's 受注, for the
 * order sync settings of docs/flows.md "Settings" (enclosures, adjustment, promotion discount,
 * dummy code, payment mapping, tax) and the waiting / failed paths.
 */
describe.each(testDialects())('order registration against the simulator (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let client: SmaregiClient;
  let t: TenantFixture;
  let worker: Worker;
  let seq = 0;

  const tick = () => worker.loop('orders').tickOnce();
  const order = async (id: string) => {
    const o = await forkEm(db.orm).findOneOrFail(Order, { id });
    return o;
  };
  const remote = (orderCode: string) =>
    sim.control.orders().filter((o) => o.orderCode === orderCode);
  const number = (prefix: string) => `${prefix}-${dialect}-${++seq}`;
  const line = (i: number, quantity = 1) => {
    const p = t.products[i]!;
    return {
      productCode: p.productCode,
      name: p.productName,
      unitPrice: Number(p.price),
      quantity,
    };
  };

  beforeAll(async () => {
    sim = await startSimulator({ rateLimits: false, seed: 7 });
    db = await createTestDatabase(dialect);
    client = testClient(sim);
    t = await seedTenant(db.orm, client);
    worker = new Worker(testDeps(db.orm, client, { waitingRecheckMs: 0 }));
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await sim?.close();
  });

  it('registers an order once, with its money fields, payment method and store', async () => {
    const code = number('RT');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(0, 2), line(1)],
      shippingFee: 550,
      pointUse: 100,
      coupon: 200,
    });
    await tick();
    await tick();
    const [r, ...more] = remote(code);
    expect(more).toHaveLength(0);
    expect(r?.storeId).toBe(DEMO_STORE_IDS.orderStoreIncluded);
    expect(r?.paymentMethodId).toBe(t.smaregiPaymentIds.card);
    const goods = Number(t.products[0]!.price) * 2 + Number(t.products[1]!.price);
    expect(r?.total).toBe(goods + 550 - 100 - 200);
    expect(r?.details.map((d) => d.quantity)).toEqual([2, 1]);
    const stored = await order(id);
    expect(stored.syncState).toBe('registered');
    expect(stored.smaregiOrderHeadId).toBe(r?.orderHeadId);
    const history = await tenantRepositories(forkEm(db.orm), t.tenantId).syncEvents.history(
      'order',
      id,
    );
    expect(history.map((e) => e.kind)).toContain('order.registered');
  });

  it('sends enclosure lines only with syncEnclosures on', async () => {
    const off = number('ENC');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: off,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(2), { ...line(3), unitPrice: 0, isEnclosure: true }],
    });
    await tick();
    expect(remote(off)[0]?.details).toHaveLength(1);
    await updateSettings(db.orm, t.tenantId, { syncEnclosures: true });
    const on = number('ENC');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: on,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(2), { ...line(3), unitPrice: 0, isEnclosure: true }],
    });
    await tick();
    expect(remote(on)[0]?.details.map((d) => d.productId)).toEqual([
      t.products[2]!.productId,
      t.products[3]!.productId,
    ]);
    await updateSettings(db.orm, t.tenantId, { syncEnclosures: false });
  });

  it('turns a positive adjustment into the adjustment line and a negative one into promotion discount', async () => {
    const plus = number('ADJ');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: plus,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(4)],
      adjustment: 300,
    });
    const minus = number('ADJ');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: minus,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(4)],
      adjustment: -250,
      coupon: 50,
    });
    await tick();
    const p = remote(plus)[0]!;
    expect(p.details.at(-1)).toMatchObject({
      productCode: 'ADJUSTMENT',
      quantity: 1,
      salesPrice: 300,
    });
    expect(p.totalPromotionDiscount).toBe(0);
    const m = remote(minus)[0]!;
    expect(m.details).toHaveLength(1);
    expect(m.totalPromotionDiscount).toBe(250);
    expect(m.total).toBe(Number(t.products[4]!.price) - 250 - 50);
  });

  it('sends lines without any code as the dummy product', async () => {
    const code = number('DUM');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ name: '手書きの特注品', unitPrice: 1234, quantity: 1 }],
    });
    await tick();
    expect(remote(code)[0]?.details[0]).toMatchObject({ productCode: 'DUMMY', salesPrice: 1234 });
  });

  it('sends external tax for 税別 shops and refuses it on 税込 shops with the reason shown', async () => {
    const ex = number('TAX');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: ex,
      shopId: t.shops.excluded,
      paymentMethodId: t.payments.cod,
      statusId: t.statuses.received,
      lines: [line(5)],
      externalTax: 80,
    });
    const inc = number('TAX');
    const incId = await createOrder(db.orm, t.tenantId, {
      orderNumber: inc,
      shopId: t.shops.included,
      paymentMethodId: t.payments.cod,
      statusId: t.statuses.received,
      lines: [line(5)],
      externalTax: 80,
    });
    await tick();
    expect(remote(ex)[0]).toMatchObject({
      storeId: DEMO_STORE_IDS.orderStoreExcluded,
      taxExclude: 80,
    });
    expect(remote(inc)).toHaveLength(0);
    const stored = await order(incId);
    expect(stored.syncState).toBe('failed');
    expect(stored.syncReason).toMatch(/外税/);
  });

  it('keeps orders with an unmapped payment method or shop waiting, and sends them once fixed', async () => {
    const pay = number('WAIT');
    const payId = await createOrder(db.orm, t.tenantId, {
      orderNumber: pay,
      shopId: t.shops.included,
      paymentMethodId: t.payments.unmapped,
      statusId: t.statuses.received,
      lines: [line(6)],
    });
    const shop = number('WAIT');
    const shopId = await createOrder(db.orm, t.tenantId, {
      orderNumber: shop,
      shopId: t.shops.unmapped,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(6)],
    });
    await tick();
    expect((await order(payId)).syncState).toBe('waiting');
    expect((await order(payId)).syncReason).toMatch(/支払方法/);
    expect((await order(shopId)).syncReason).toMatch(/受注店舗/);
    expect(remote(pay)).toHaveLength(0);

    const em = forkEm(db.orm);
    (await em.findOneOrFail(PaymentMethod, { id: t.payments.unmapped })).smaregiPaymentMethodId =
      t.smaregiPaymentIds.card;
    (await em.findOneOrFail(Shop, { id: t.shops.unmapped })).orderStoreId =
      DEMO_STORE_IDS.orderStoreIncluded;
    await em.flush();
    await tick();
    expect(remote(pay)).toHaveLength(1);
    expect(remote(shop)).toHaveLength(1);
    expect((await order(payId)).syncState).toBe('registered');
  });

  it('waits for an unknown product until it is imported', async () => {
    const code = number('NEWP');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ productCode: 'ＮＥＷ－００１', name: '新商品', unitPrice: 1000, quantity: 1 }],
    });
    await tick();
    expect((await order(id)).syncState).toBe('waiting');
    const created = sim.control.addProduct({
      categoryId: t.products[0]!.categoryId,
      productCode: 'NEW-001',
      productName: '新商品',
      price: '1000',
    });
    const em = forkEm(db.orm);
    em.create(ListedProduct, {
      tenant: t.tenantId,
      productCode: 'NEW-001',
      productCodeKey: 'NEW-001',
      name: '新商品',
      smaregiProductId: created.productId,
    });
    await em.flush();
    await tick();
    expect(remote(code)[0]?.details[0]?.productId).toBe(created.productId);
  });

  it("shows Smaregi's reason when it refuses an order, and never resends it by itself", async () => {
    const em = forkEm(db.orm);
    em.create(ListedProduct, {
      tenant: t.tenantId,
      productCode: 'GONE-1',
      productCodeKey: 'GONE-1',
      name: '削除済み商品',
      smaregiProductId: '99999999',
    });
    await em.flush();
    const code = number('BAD');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ productCode: 'GONE-1', name: '削除済み商品', unitPrice: 500, quantity: 1 }],
    });
    await tick();
    const stored = await order(id);
    expect(stored.syncState).toBe('failed');
    expect(stored.lastSyncError).toMatch(/HTTP 400/);
    const writes = sim.control.journal({ method: 'POST', pathPrefix: '/' }).length;
    await tick();
    expect(sim.control.journal({ method: 'POST', pathPrefix: '/' }).length).toBe(writes);
  });

  it('never takes another shop’s order with the same number for this one', async () => {
    const em = forkEm(db.orm);
    const other = em.create(Shop, {
      tenant: t.tenantId,
      name: 'Amazon店',
      mallKind: 'amazon',
      taxMode: 'included',
      orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
    });
    await em.flush();
    const code = number('SAME');
    const first = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(8)],
    });
    await tick();
    const second = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: other.id,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(9, 3)],
    });
    await tick();
    expect(remote(code)).toHaveLength(1);
    expect((await order(first)).syncState).toBe('registered');
    const refused = await order(second);
    expect(refused.syncState).toBe('failed');
    expect(refused.smaregiOrderHeadId ?? null).toBeNull();
    expect(refused.lastSyncError).toMatch(/別の受注/);
  });

  it('sends nothing while the integration is off or the connection needs re-authorisation', async () => {
    await updateSettings(db.orm, t.tenantId, { integrationEnabled: false });
    const off = number('OFF');
    await createOrder(db.orm, t.tenantId, {
      orderNumber: off,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(7)],
    });
    const before = sim.control.journal().length;
    await tick();
    expect(sim.control.journal().length).toBe(before);
    await updateSettings(db.orm, t.tenantId, { integrationEnabled: true });
    const em = forkEm(db.orm);
    const conn = await em.findOneOrFail(SmaregiConnection, { tenant: t.tenantId });
    conn.status = 'reauthRequired';
    await em.flush();
    await tick();
    expect(sim.control.journal().length).toBe(before);
    conn.status = 'active';
    await em.flush();
    await tick();
    expect(remote(off)).toHaveLength(1);
    expect([...remoteOrdersByCode(sim).values()].every((n) => n === 1)).toBe(true);
  });
});
