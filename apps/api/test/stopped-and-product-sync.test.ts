import { TRPCError } from '@trpc/server';
import { forkEm, Job, JOB_NAMES, ProductImportRun, SmaregiConnection } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected a TRPCError');
}

/*
 * Issue 11 items 6 and 8 at the API: a status change made while the integration is stopped leaves
 * one waiting job per order (the worker runs it when the integration starts), and 商品連携設定
 * [連携しない] refuses the product import with a message naming the setting.
 */
describe.each(testDialects())('stopped integration and product sync (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller } = await signedInCaller(t.deps, a));
    // Connected to Smaregi (the import needs it); the integration itself stays stopped.
    const em = forkEm(t.deps.orm);
    const connection = await em.findOneOrFail(SmaregiConnection, { tenant: a.tenantId });
    Object.assign(connection, { contractId: 'sim-contract', status: 'active' });
    await em.flush();
  });
  afterAll(() => t.close());

  const statusJobs = async (orderId: string) =>
    (
      await forkEm(t.deps.orm).find(Job, {
        tenant: a.tenantId,
        name: JOB_NAMES.orderStatusChanged,
      })
    ).filter((j) => j.payload.orderId === orderId);

  it('keeps one waiting status job per order, however often it is moved before the worker runs it', async () => {
    expect((await caller.settings.get()).integrationEnabled).toBe(false);
    const created = await caller.orders.create(validOrder(a, { orderNumber: 'STOP-1' }) as never);
    const id = created.order.id;
    for (const statusId of [a.otherStatusId, a.statusId, a.otherStatusId])
      await caller.orders.changeStatus({ id, statusId });
    const jobs = await statusJobs(id);
    expect(jobs.map((j) => [j.state, j.payload.statusId])).toEqual([['queued', a.otherStatusId]]);

    // Once the worker has run it, the next move queues it again.
    const em = forkEm(t.deps.orm);
    const job = await em.findOneOrFail(Job, { id: jobs[0]!.id });
    job.state = 'done';
    await em.flush();
    await caller.orders.changeStatus({ id, statusId: a.statusId });
    expect((await statusJobs(id)).map((j) => [j.state, j.payload.statusId])).toEqual([
      ['queued', a.statusId],
    ]);
  });

  it('商品連携設定 [連携しない] refuses the product import naming the setting; [連携する] queues it', async () => {
    expect((await caller.settings.get()).productSyncEnabled).toBe(false);
    const refused = await trpcError(caller.products.startImport());
    expect(refused.code).toBe('PRECONDITION_FAILED');
    expect(refused.message).toMatch(/商品連携設定/);
    expect(await forkEm(t.deps.orm).count(ProductImportRun, { tenant: a.tenantId })).toBe(0);

    await caller.settings.update({ productSyncEnabled: true });
    const started = await caller.products.startImport();
    expect(started.alreadyRunning).toBe(false);
    expect(started.run.state).toBe('queued');
  });
});
