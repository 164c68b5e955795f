import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Order, Shop } from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  remoteOrdersByCode,
  seedTenant,
  testClient,
  testDeps,
  until,
  type OrderSpec,
  type TenantFixture,
} from './support/fixture.js';
import { reasonOf } from './support/messages.js';

/*
 * Issue 11 item 2: an order of a shop whose 税込 / 税別 does not match its 受注店舗's 販売区分
 * (内税販売 / 外税販売), or of an inactive shop, is held with that reason whenever it comes (not
 * only when the integration is switched on), never registered, and goes through by itself once
 * the merchant fixes it — in Renkei (the shop) or in Smaregi (the 受注店舗).
 */
describe.each(testDialects())('orders held by their shop (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;
  let worker: Worker;
  let seq = 0;

  const tick = () => worker.loop('orders').tickOnce();
  const load = (id: string) => forkEm(db.orm).findOneOrFail(Order, { id });
  const setShop = async (id: string, values: Partial<Shop>) => {
    const em = forkEm(db.orm);
    Object.assign(await em.findOneOrFail(Shop, { id }), values);
    await em.flush();
  };
  const spec = (shopId: string): OrderSpec => {
    const p = t.products[0]!;
    return {
      orderNumber: `SH-${dialect}-${++seq}`,
      shopId,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ productCode: p.productCode, name: p.productName, unitPrice: 1000, quantity: 1 }],
    };
  };
  const inSmaregi = (orderNumber: string) => remoteOrdersByCode(sim).get(orderNumber) ?? 0;
  const registered = async (id: string) => (await load(id)).syncState === 'registered';

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 11 });
    const client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    // Waiting orders are looked at again on every tick (and the 受注店舗 read again with them).
    worker = new Worker(testDeps(db.orm, client, { waitingRecheckMs: 0 }));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('holds a 税込 shop mapped to a 外税販売 store, and sends the order once the shop is fixed', async () => {
    // The merchant switched the Rakuten shop to 税込; its 受注店舗 still sells 外税販売.
    await setShop(t.shops.excluded, { taxMode: 'included' });
    const order = spec(t.shops.excluded);
    const id = await createOrder(db.orm, t.tenantId, order);
    await tick();
    await tick();
    const held = await load(id);
    expect(held.syncState).toBe('waiting');
    expect(held.syncReasonCode).toBe('orderHeld');
    const reason = reasonOf(held) ?? '';
    expect(reason).toContain('楽天市場店');
    expect(reason).toContain('税込');
    expect(reason).toContain(`(${DEMO_STORE_IDS.orderStoreExcluded})`);
    expect(reason).toContain('外税販売');
    expect(reasonOf(held, 'en')).toContain('tax-included');
    expect(inSmaregi(order.orderNumber)).toBe(0);

    await setShop(t.shops.excluded, { taxMode: 'excluded' });
    await until(() => registered(id), tick);
    const done = await load(id);
    expect(done.smaregiOrderHeadId).toBeTruthy();
    expect(done.syncReasonCode ?? null).toBeNull();
    expect(inSmaregi(order.orderNumber)).toBe(1);
  });

  it('holds when the 受注店舗 is switched in Smaregi, and releases when it is switched back', async () => {
    // Mapped and matching when the integration was started; then changed in Smaregi's admin.
    sim.control.updateOrderStore({
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      sellDivision: 'excluded',
    });
    const order = spec(t.shops.included);
    const id = await createOrder(db.orm, t.tenantId, order);
    await tick();
    await tick();
    const held = await load(id);
    expect(held.syncState).toBe('waiting');
    const reason = reasonOf(held) ?? '';
    expect(reason).toContain('自社サイト');
    expect(reason).toContain('外税販売');
    expect(inSmaregi(order.orderNumber)).toBe(0);
    const shop = await forkEm(db.orm).findOneOrFail(Shop, { id: t.shops.included });
    expect(shop.orderStoreSellDivision).toBe('excluded');

    sim.control.updateOrderStore({
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      sellDivision: 'included',
    });
    await until(() => registered(id), tick);
    expect(inSmaregi(order.orderNumber)).toBe(1);
  });

  it('holds the orders of a shop made inactive while they wait, until it is active again', async () => {
    const order = spec(t.shops.included);
    const id = await createOrder(db.orm, t.tenantId, order);
    await setShop(t.shops.included, { active: false });
    for (let i = 0; i < 3; i++) await tick();
    const held = await load(id);
    expect(held.syncState).toBe('waiting');
    expect(reasonOf(held)).toContain('自社サイト');
    expect(reasonOf(held)).toContain('無効');
    expect(inSmaregi(order.orderNumber)).toBe(0);

    await setShop(t.shops.included, { active: true });
    await until(() => registered(id), tick);
    expect(inSmaregi(order.orderNumber)).toBe(1);
  });
});
