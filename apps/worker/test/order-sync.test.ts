import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  until,
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';
import { lastErrorOf, reasonOf } from './support/messages.js';

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
    expect(reasonOf(stored)).toMatch(/外税/);
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
    // In the merchant's words: the payment method by its name, the order by its number.
    const payReason = reasonOf(await order(payId));
    expect(payReason).toMatch(/支払方法「[^」]+」/);
    expect(payReason).not.toContain(t.payments.unmapped);
    expect(payReason).toContain(pay);
    expect(reasonOf(await order(shopId))).toMatch(/受注店舗/);
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
    expect(lastErrorOf(stored)).toMatch(/HTTP 400/);
    const writes = sim.control.journal({ method: 'POST', pathPrefix: '/' }).length;
    await tick();
    expect(sim.control.journal({ method: 'POST', pathPrefix: '/' }).length).toBe(writes);
  });

  it('holds the second of two shops’ orders with the same number, and sends it once the shop has a prefix', async () => {
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
    const spec = {
      orderNumber: code,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(8, 2)],
    };
    // The same number and the same content from two shops of one 受注店舗.
    const first = await createOrder(db.orm, t.tenantId, { ...spec, shopId: t.shops.included });
    await tick();
    const second = await createOrder(db.orm, t.tenantId, { ...spec, shopId: other.id });
    await tick();
    expect(remote(code)).toHaveLength(1);
    const registered = await order(first);
    expect(registered.syncState).toBe('registered');
    const held = await order(second);
    expect(held.syncState).toBe('waiting');
    expect(held.smaregiOrderHeadId ?? null).toBeNull();
    expect(reasonOf(held)).toContain(code);
    expect(reasonOf(held)).toContain('Amazon店');
    expect(reasonOf(held)).toContain('自社サイト');
    expect(reasonOf(held)).toContain('接頭辞');

    // Held, not sent again and again.
    const posts = () =>
      sim.control
        .journal({ method: 'POST' })
        .filter((e) => e.path.endsWith('/order-shipment/orders')).length;
    const before = posts();
    await tick();
    await tick();
    expect(posts()).toBe(before);
    expect((await order(second)).syncState).toBe('waiting');

    // The fix: a prefix on the shop. The held order goes through by itself with it.
    await forkEm(db.orm).nativeUpdate(Shop, { id: other.id }, { orderCodePrefix: 'AZ-' });
    await tick();
    const sent = await order(second);
    expect(sent.syncState).toBe('registered');
    expect(remote(`AZ-${code}`)).toHaveLength(1);
    expect(remote(code)).toHaveLength(1);
    expect(sent.smaregiOrderHeadId).toBe(remote(`AZ-${code}`)[0]!.orderHeadId);
    expect(sent.smaregiOrderHeadId).not.toBe(registered.smaregiOrderHeadId);
    expect(reasonOf(sent)).toBeNull();
  });

  it('does not take another order’s Smaregi order for this one after a lost answer', async () => {
    const em = forkEm(db.orm);
    const other = em.create(Shop, {
      tenant: t.tenantId,
      name: 'Yahoo!ショッピング店',
      mallKind: 'yahoo',
      taxMode: 'included',
      orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
    });
    await em.flush();
    const code = number('LOST');
    const spec = {
      orderNumber: code,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(10)],
    };
    const first = await createOrder(db.orm, t.tenantId, { ...spec, shopId: t.shops.included });
    await tick();
    const second = await createOrder(db.orm, t.tenantId, { ...spec, shopId: other.id });
    // The second order's registration gets no answer: its outcome is unknown, and the lookup
    // finds an order with its code and content — the first one's.
    sim.control.setFaults({
      dropRate: 1,
      methods: ['POST'],
      pathIncludes: '/order-shipment/orders',
    });
    try {
      await tick();
    } finally {
      sim.control.clearFaults();
    }
    await until(async () => (await order(second)).syncState === 'waiting', tick);
    const held = await order(second);
    expect(held.smaregiOrderHeadId ?? null).toBeNull();
    expect(reasonOf(held)).toContain('Yahoo!ショッピング店');
    expect((await order(first)).syncState).toBe('registered');
    expect(remote(code)).toHaveLength(1);
  });

  it('leaves an order 要確認 when Smaregi cannot tell whether it is there, and never sends it twice', async () => {
    const narrow = new Worker(
      testDeps(db.orm, client, { waitingRecheckMs: 0, orderLookupMaxPages: 1 }),
    );
    const narrowTick = () => narrow.loop('orders').tickOnce();
    // A full page of the store's orders on the order's day, so one page cannot reach the end.
    const day = new Date('2026-10-15T10:00:00+09:00');
    const fillers: string[] = [];
    for (let i = 0; i < 101; i++) {
      fillers.push(
        await createOrder(db.orm, t.tenantId, {
          orderNumber: number('FILL'),
          shopId: t.shops.included,
          paymentMethodId: t.payments.card,
          statusId: t.statuses.received,
          orderedAt: day,
          lines: [line(i % 20)],
        }),
      );
    }
    await until(
      async () =>
        (await forkEm(db.orm).count(Order, { id: { $in: fillers }, syncState: 'registered' })) ===
        fillers.length,
      narrowTick,
      60_000,
    );
    const code = number('CHECK');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      orderedAt: day,
      lines: [line(3)],
    });
    // Registered, but the answer is lost (a 500 after applying), and the order-code filter is
    // ignored: the lookup cannot read the store's orders to the end.
    sim.control.setQuirks({ ignoreOrderCodeFilter: true });
    sim.control.setFaults({
      failAfterApplyRate: 1,
      methods: ['POST'],
      pathIncludes: '/order-shipment/orders',
    });
    const posts = () =>
      sim.control
        .journal({ method: 'POST' })
        .filter((e) => e.path.endsWith('/order-shipment/orders')).length;
    try {
      await narrowTick();
    } finally {
      sim.control.clearFaults();
    }
    const postsAfterLost = posts();
    expect(remote(code)).toHaveLength(1);
    try {
      await until(async () => (await order(id)).syncState === 'needsCheck', narrowTick);
      for (let i = 0; i < 3; i++) await narrowTick();
      const stored = await order(id);
      expect(stored.syncState).toBe('needsCheck');
      expect(reasonOf(stored)).toContain('要確認');
      expect(reasonOf(stored)).toContain(code);
      expect(remote(code)).toHaveLength(1);
      expect(posts()).toBe(postsAfterLost);
    } finally {
      sim.control.setQuirks({ ignoreOrderCodeFilter: false });
    }
    // The merchant asks again once Smaregi answers the lookup: found, registered, still once.
    await tenantRepositories(forkEm(db.orm), t.tenantId).orders.update(
      { id },
      { syncState: 'pending' },
    );
    await until(async () => (await order(id)).syncState === 'registered', narrowTick);
    expect(remote(code)).toHaveLength(1);
    expect(posts()).toBe(postsAfterLost);
    expect((await order(id)).smaregiOrderHeadId).toBe(remote(code)[0]!.orderHeadId);
  }, 90_000);

  it('keeps the orderHeadId of a registration whose answer is not our model, and never sends it again', async () => {
    // A proxy in front of the simulator that drops `details` from registration answers: the
    // order is created in Smaregi, but the answer does not match the modeled order.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const upstream = await fetch(new URL(req.url ?? '/', sim.apiBaseUrl), {
            method: req.method,
            headers: Object.fromEntries(
              Object.entries(req.headers).filter(
                (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'host',
              ),
            ),
            ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks) }),
          });
          let body = await upstream.text();
          if (
            req.method === 'POST' &&
            /\/order-shipment\/orders$/.test(req.url ?? '') &&
            upstream.ok
          ) {
            const { details: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
            body = JSON.stringify(rest);
          }
          res.writeHead(upstream.status, {
            'content-type': upstream.headers.get('content-type') ?? 'application/json',
          });
          res.end(body);
        })();
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const { port } = proxy.address() as AddressInfo;
    const apiBase = new URL(sim.apiBaseUrl);
    apiBase.host = `127.0.0.1:${port}`;
    const viaProxy = new Worker(
      testDeps(db.orm, testClient(sim, { apiBaseUrl: apiBase.toString().replace(/\/$/, '') }), {
        waitingRecheckMs: 0,
      }),
    );
    try {
      const code = number('SHAPE');
      const id = await createOrder(db.orm, t.tenantId, {
        orderNumber: code,
        shopId: t.shops.included,
        paymentMethodId: t.payments.card,
        statusId: t.statuses.received,
        lines: [line(11)],
      });
      // One pass: registered from the answer's ID at once, not left unknown to be looked up.
      await viaProxy.loop('orders').tickOnce();
      expect(remote(code)).toHaveLength(1);
      const stored = await order(id);
      expect(stored.syncState).toBe('registered');
      expect(stored.smaregiOrderHeadId).toBe(remote(code)[0]!.orderHeadId);
      await tick();
      expect(remote(code)).toHaveLength(1);
    } finally {
      await new Promise<void>((r) => proxy.close(() => r()));
    }
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
