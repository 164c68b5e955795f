import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Operation,
  Order,
  Shop,
  orderRegistrationKey,
  sentBodyReachedSmaregi,
  sentRegistrationOf,
  type SentRegistration,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_STORE_IDS, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  until,
  updateSettings,
  type TenantFixture,
} from './support/fixture.js';

/*
 * The exact body of 受注登録 is kept on the registration's ledger row (`sent`), written with the
 * in-flight mark before the call (docs/reliability.md item 1), so that the order page shows what
 * went on the wire: compared here with the bytes the simulator was sent.
 */
describe.each(testDialects())('the body sent to 受注登録, kept on the ledger (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;
  let worker: Worker;
  let seq = 0;
  /** Bodies of every POST …/order-shipment/orders, in order. */
  const wire: string[] = [];
  /** The ledger row as the call saw it, read just before each registration call. */
  const atCall: { state: string; sent: SentRegistration | null }[] = [];

  const tick = () => worker.loop('orders').tickOnce();
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
  const row = (orderId: string) =>
    forkEm(db.orm).findOneOrFail(Operation, {
      tenant: t.tenantId,
      kind: 'registerOrder',
      businessKey: orderRegistrationKey(orderId),
    });
  const order = (id: string) => forkEm(db.orm).findOneOrFail(Order, { id });

  beforeAll(async () => {
    sim = await startSimulator({ rateLimits: false, seed: 11 });
    db = await createTestDatabase(dialect);
    const client = testClient(sim, {
      fetch: async (input, init) => {
        const url = input.toString();
        if (init?.method === 'POST' && url.endsWith('/order-shipment/orders'))
          wire.push(typeof init.body === 'string' ? init.body : '');
        return globalThis.fetch(input, init);
      },
    });
    t = await seedTenant(db.orm, client);
    await updateSettings(db.orm, t.tenantId, { syncEnclosures: true });
    worker = new Worker(
      testDeps(
        db.orm,
        client,
        { waitingRecheckMs: 0 },
        {
          beforeRemoteCall: async (kind, key) => {
            if (kind !== 'registerOrder') return;
            const op = await forkEm(db.orm).findOneOrFail(Operation, { businessKey: key, kind });
            atCall.push({ state: op.state, sent: sentRegistrationOf(op.payload) });
          },
        },
      ),
    );
  }, 30_000);
  afterAll(async () => {
    await db?.close();
    await sim?.close();
  });

  it('keeps the exact body with the in-flight mark, each line with where it came from', async () => {
    const code = number('SENT');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(0, 2), { ...line(1), unitPrice: 0, isEnclosure: true }],
      shippingFee: 550,
      adjustment: -300,
    });
    const calls = atCall.length;
    const posts = wire.length;
    await tick();
    expect((await order(id)).syncState).toBe('registered');
    expect(wire).toHaveLength(posts + 1);
    const onTheWire = JSON.parse(wire.at(-1)!) as Record<string, unknown>;

    // Already on the row, in flight, before the call went.
    expect(atCall).toHaveLength(calls + 1);
    const before = atCall.at(-1)!;
    expect(before.state).toBe('in_flight');
    expect(before.sent?.body).toEqual(onTheWire);

    const kept = sentRegistrationOf((await row(id)).payload);
    expect(kept?.body).toEqual(onTheWire);
    if (dialect === 'sqlite') expect(JSON.stringify(kept?.body)).toBe(wire.at(-1));
    expect(onTheWire).toMatchObject({
      orderCode: code,
      storeId: DEMO_STORE_IDS.orderStoreIncluded,
      carriage: 550,
      totalPromotionDiscount: 300,
    });
    expect(kept?.detailSources).toEqual([
      { kind: 'line', lineIndex: 0 },
      { kind: 'enclosure', lineIndex: 1 },
    ]);
    expect(Date.parse(kept!.at)).toBeLessThanOrEqual(Date.now());
  });

  it('after a lost answer, keeps the body that went (found by reading Smaregi, not sent again)', async () => {
    const code = number('LOST');
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber: code,
      shopId: t.shops.included,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(2)],
    });
    const posts = wire.length;
    // Smaregi registers it, but answers 500: the outcome is unknown.
    sim.control.setFaults({
      failAfterApplyRate: 1,
      methods: ['POST'],
      pathIncludes: '/order-shipment/orders',
    });
    try {
      await tick();
    } finally {
      sim.control.clearFaults();
    }
    const lost = await row(id);
    expect(lost.state).toBe('unknown');
    const first = sentRegistrationOf(lost.payload);
    expect(sentBodyReachedSmaregi(lost.state, lost.payload)).toBe(true);
    await until(async () => (await order(id)).syncState === 'registered', tick);
    expect(wire).toHaveLength(posts + 1);
    const kept = sentRegistrationOf((await row(id)).payload);
    expect(kept).toEqual(first);
    expect(kept?.body).toEqual(JSON.parse(wire.at(-1)!));
  });

  it('a resend replaces it: the latest body that went, with when it went', async () => {
    const em = forkEm(db.orm);
    const other = em.create(Shop, {
      tenant: t.tenantId,
      name: 'Amazon店',
      mallKind: 'amazon',
      taxMode: 'included',
      orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
    });
    await em.flush();
    const code = number('AGAIN');
    const spec = {
      orderNumber: code,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [line(3)],
    };
    await createOrder(db.orm, t.tenantId, { ...spec, shopId: t.shops.included });
    await tick();
    const second = await createOrder(db.orm, t.tenantId, { ...spec, shopId: other.id });
    await tick();
    // Refused: the code is another order's. What went is kept, and it reached Smaregi.
    const refused = await row(second);
    expect((await order(second)).syncState).toBe('waiting');
    const firstSend = sentRegistrationOf(refused.payload);
    expect(firstSend?.body.orderCode).toBe(code);
    expect(sentBodyReachedSmaregi(refused.state, refused.payload)).toBe(true);

    await forkEm(db.orm).nativeUpdate(Shop, { id: other.id }, { orderCodePrefix: 'AZ-' });
    await until(async () => (await order(second)).syncState === 'registered', tick);
    const latest = sentRegistrationOf((await row(second)).payload);
    expect(latest?.body.orderCode).toBe(`AZ-${code}`);
    expect(latest?.body).toEqual(JSON.parse(wire.at(-1)!));
    expect(Date.parse(latest!.at)).toBeGreaterThanOrEqual(Date.parse(firstSend!.at));
  });
});
