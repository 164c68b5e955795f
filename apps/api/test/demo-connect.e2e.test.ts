import { forkEm, Job } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_CONTRACT_ID,
  DEMO_STORE_IDS,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectDemoTenant,
  DEMO_CONTRACT_ID as API_DEMO_CONTRACT,
} from '../src/demo/auto-connect.js';
import { DEMO_TENANT_ID, DEMO_USER } from '../src/demo/constants.js';
import { seedDemo } from '../src/demo/seed.js';
import { createTestApp, signedInCaller, type TestApp } from './helpers.js';

describe.each(testDialects())('demo tenant auto-connect to the simulator (%s)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 3 });
    t = await createTestApp(dialect, {
      RENKEI_DEMO: 'true',
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    });
    await seedDemo(t.deps);
  });
  afterAll(async () => {
    await sim.close();
    await t.close();
  });

  it('connects, maps every shop and payment method, switches on and queues a product import, once', async () => {
    expect(API_DEMO_CONTRACT).toBe(DEMO_CONTRACT_ID);
    expect(await connectDemoTenant(t.deps)).toBe('connected');
    expect(await connectDemoTenant(t.deps)).toBe('alreadyConnected');
    const { caller } = await signedInCaller(t.deps, DEMO_USER);
    expect(await caller.connection.status()).toMatchObject({
      status: 'active',
      contractId: DEMO_CONTRACT_ID,
    });
    expect((await caller.shops.list()).map((s) => s.orderStoreId)).toEqual(
      Array(4).fill(DEMO_STORE_IDS.orderStoreIncluded),
    );
    expect(
      (await caller.paymentMethods.list()).every((m) => m.smaregiPaymentMethodId !== null),
    ).toBe(true);
    expect((await caller.settings.get()).integrationEnabled).toBe(true);
    expect(
      await forkEm(t.deps.orm).count(Job, { tenant: DEMO_TENANT_ID, name: 'products.import' }),
    ).toBe(1);
    // The stored app token works for the client's own calls (EncryptedTokenStore).
    expect((await caller.shops.orderStores()).length).toBeGreaterThanOrEqual(2);
  });
});
