import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Order,
  OrderLine,
  orderRegistrationKey,
  supersedeOperation,
} from '@renkei/persistence';
import { createTestDatabase, testDialects, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_CONTRACT_ID, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { planRegistration } from '../src/orders/registration-plan.js';
import { Worker } from '../src/worker.js';
import {
  createOrder,
  seedTenant,
  testClient,
  testDeps,
  until,
  type TenantFixture,
} from './support/fixture.js';

/*
 * Issue 11 item 9: the OMS corrects an order before it is in Smaregi (the intake supersedes its
 * registration and replaces its content in one transaction, apps/api revision.ts). A worker that
 * had already read the old version must not send it: its claim fails, and the next pass sends the
 * corrected order, once.
 */
describe.each(testDialects())('an order corrected while the worker reads it (%s)', (dialect) => {
  let db: TestDatabase;
  let sim: RunningSimulator;
  let t: TenantFixture;
  let worker: Worker;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    sim = await startSimulator({ rateLimits: false, seed: 12 });
    const client = testClient(sim);
    t = await seedTenant(db.orm, client, { allocationTriggerStatuses: [], allocatedStatus: null });
    worker = new Worker(testDeps(db.orm, client, { waitingRecheckMs: 0 }));
  }, 30_000);
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('never sends the version it read before the correction', async () => {
    const p = t.products[0]!;
    const orderNumber = `CORR-${dialect}`;
    const id = await createOrder(db.orm, t.tenantId, {
      orderNumber,
      shopId: t.shops.excluded,
      paymentMethodId: t.payments.card,
      statusId: t.statuses.received,
      lines: [{ productCode: p.productCode, name: p.productName, unitPrice: 9999, quantity: 1 }],
    });
    const tenant = { tenantId: t.tenantId, contractId: DEMO_CONTRACT_ID };
    const ledger = worker.orderSync.registrar.ledger;
    const stale = await planRegistration(worker.deps, ledger, tenant, id);
    if (typeof stale === 'string') throw new Error(`no plan: ${stale}`);
    expect(stale.built.ok && stale.built.payload.details[0]?.salesPrice).toBe(9999);

    // The correction, as the intake writes it: one transaction.
    await forkEm(db.orm).transactional(async (tx) => {
      const superseded = await supersedeOperation(
        tx,
        t.tenantId,
        'registerOrder',
        orderRegistrationKey(id),
        { type: 'order', id },
        new Date(),
      );
      expect(superseded).toEqual({ ok: true });
      await tx.nativeUpdate(OrderLine, { order: id }, { unitPrice: 1980 });
    });

    expect(await ledger.claim(stale.entry, stale.sent)).toBeNull();
    await until(
      async () => (await forkEm(db.orm).findOneOrFail(Order, { id })).syncState === 'registered',
      () => worker.loop('orders').tickOnce(),
    );
    const sent = sim.control.orders().filter((o) => o.orderCode === orderNumber);
    expect(sent.map((o) => o.details.map((d) => d.salesPrice))).toEqual([[1980]]);
  });
});
