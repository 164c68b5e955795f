import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, SmaregiConnection, SyncEvent } from '@renkei/persistence';
import { createTestDatabase, type TestDatabase } from '@renkei/persistence/testing';
import { DEMO_CONTRACT_ID, startSimulator, type RunningSimulator } from '@renkei/smaregi-simulator';
import { Worker } from '../src/worker.js';
import { createOrder, seedTenant, testClient, testDeps } from './support/fixture.js';

/*
 * Token upkeep: the app was uninstalled and the notice never arrived (dropped webhook). The next
 * upkeep round finds Smaregi refusing the app token, marks the connection 要再認証 with the reason
 * and tells the merchant; from then on nothing calls Smaregi for the contract.
 */
describe('token upkeep', () => {
  let db: TestDatabase;
  let sim: RunningSimulator;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    sim = await startSimulator({ rateLimits: false, seed: 23 });
  });
  afterAll(async () => {
    await sim?.close();
    await db?.close();
  });

  it('turns a refused app token into 要再認証 and stops calling', async () => {
    const client = testClient(sim);
    const t = await seedTenant(db.orm, client);
    const worker = new Worker(testDeps(db.orm, client));
    await worker.loop('tokens').tickOnce();
    expect(
      (await forkEm(db.orm).findOneOrFail(SmaregiConnection, { tenant: t.tenantId })).status,
    ).toBe('active');

    sim.control.setWebhookBehaviour({ dropRate: 1 });
    sim.control.uninstallApp({ contractId: DEMO_CONTRACT_ID });
    await worker.loop('tokens').tickOnce();
    const connection = await forkEm(db.orm).findOneOrFail(SmaregiConnection, {
      tenant: t.tenantId,
    });
    expect(connection.status).toBe('reauthRequired');
    expect(connection.statusReason).not.toBe('');
    expect(
      await forkEm(db.orm).count(SyncEvent, {
        tenant: t.tenantId,
        kind: 'connection.reauthRequired',
      }),
    ).toBe(1);

    const p = t.products[0]!;
    await createOrder(db.orm, t.tenantId, {
      orderNumber: 'UPKEEP-1',
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
