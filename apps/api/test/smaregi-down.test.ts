import { forkEm, SmaregiConnection } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import type { TRPCError } from '@trpc/server';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

/** `pnpm start` may bring the API up before the simulator: live lists fail clearly, nothing crashes. */
describe.each(testDialects())('Smaregi unreachable (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;

  beforeAll(async () => {
    t = await createTestApp(dialect); // Smaregi hosts point at 127.0.0.1:9, where nothing listens
    a = await seedTenant(t.deps);
    const em = forkEm(t.deps.orm);
    const connection = await em.findOneOrFail(SmaregiConnection, { tenant: a.tenantId });
    Object.assign(connection, {
      status: 'active',
      contractId: 'sb_unreachable',
      scopes: ['pos.stores:read'],
      connectedAt: new Date(),
    });
    await em.flush();
  });
  afterAll(() => t.close());

  it('answers live lists with BAD_GATEWAY and a message for the merchant, and keeps serving', async () => {
    const { caller } = await signedInCaller(t.deps, a);
    const started = Date.now();
    const error = (await caller.shops.orderStores().catch((e: unknown) => e)) as TRPCError;
    expect(error.code).toBe('BAD_GATEWAY');
    expect(error.message).toContain('Smaregi');
    expect(Date.now() - started).toBeLessThan(5_000);
    const report = await caller.readiness.get();
    expect(report.liveError?.ja).toContain('スマレジ');
    expect((await caller.connection.status()).status).toBe('active'); // a network failure is not a lost grant
    expect((await request(t.app).get('/healthz')).status).toBe(200);
    expect((await caller.shops.list()).length).toBe(1);

    // A new product code cannot be checked: the whole save fails, nothing is stored.
    const save = (await caller.settings
      .update({ dummyProductCode: 'DUMMY' })
      .catch((e: unknown) => e)) as TRPCError;
    expect(save.code).toBe('BAD_GATEWAY');
    expect((await caller.settings.get()).dummyProductCode).toBeNull();
  }, 40_000);
});
