import { TRPCError } from '@trpc/server';
import {
  AuditEntry,
  forkEm,
  ListedProduct,
  ProductImportRun,
  SmaregiConnection,
  SyncEvent,
} from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPublicError } from '../src/trpc/errors.js';
import { createTestApp, seedTenant, signedInCaller, type TestApp } from './helpers.js';

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
 * The product import panel at the API: [API連携する] queues the chosen operation with an estimate
 * of its total (Smaregi gives no count), and [中止] cancels a queued or running run once — with
 * who did it in the 操作履歴 and the sync log — while a finished one is refused in words.
 */
describe.each(testDialects())('product import start and cancel (%s)', (dialect) => {
  let t: TestApp;
  let tenantId: string;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];
  let email: string;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const a = await seedTenant(t.deps);
    tenantId = a.tenantId;
    email = a.email;
    ({ caller } = await signedInCaller(t.deps, a));
    const em = forkEm(t.deps.orm);
    const connection = await em.findOneOrFail(SmaregiConnection, { tenant: tenantId });
    Object.assign(connection, { contractId: 'sim-contract', status: 'active' });
    await em.flush();
    await caller.settings.update({ productSyncEnabled: true });
  });
  afterAll(() => t.close());

  const finish = async (id: string, processed: number) => {
    const em = forkEm(t.deps.orm);
    const run = await em.findOneOrFail(ProductImportRun, { id });
    Object.assign(run, { state: 'succeeded', processed, finishedAt: new Date() });
    await em.flush();
  };

  it('the first import has no estimate; later ones estimate from the last run or the linked products', async () => {
    const first = await caller.products.startImport({ mode: 'createNew' });
    expect(first.run).toMatchObject({ state: 'queued', mode: 'createNew', expectedTotal: null });
    await finish(first.run.id, 1200);

    const em = forkEm(t.deps.orm);
    for (let i = 0; i < 3; i++)
      em.create(ListedProduct, {
        tenant: tenantId,
        productCode: `L-${i}`,
        productCodeKey: `L-${i}`,
        name: `商品${i}`,
        smaregiProductId: String(8000 + i),
      });
    await em.flush();
    const second = await caller.products.startImport({ mode: 'createAndUpdate' });
    expect(second.run).toMatchObject({ mode: 'createAndUpdate', expectedTotal: 1200 });
    await finish(second.run.id, 2);
    // The last run read 2; 3 products are linked: the larger one.
    const third = await caller.products.startImport();
    expect(third.run).toMatchObject({ mode: 'createNew', expectedTotal: 3 });
    // Asking again while it is queued returns the same run.
    expect((await caller.products.startImport({ mode: 'createAndUpdate' })).run.id).toBe(
      third.run.id,
    );
    await caller.products.cancelImport({ id: third.run.id });
  });

  it('an unknown operation is refused naming the field', async () => {
    const bad = await trpcError(caller.products.startImport({ mode: 'everything' } as never));
    const error = toPublicError(bad);
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.fieldErrors.map((f) => f.path)).toEqual(['mode']);
    expect(error.message.ja).toContain('操作');
  });

  it('[中止] cancels a queued run once, with who did it; a finished run is refused in words', async () => {
    const { run } = await caller.products.startImport({ mode: 'createAndUpdate' });
    const canceled = await caller.products.cancelImport({ id: run.id });
    expect(canceled).toMatchObject({ id: run.id, state: 'canceled', canceledBy: email });
    expect(canceled.finishedAt).not.toBeNull();
    expect((await caller.products.importRun({ id: run.id })).state).toBe('canceled');

    const again = toPublicError(await trpcError(caller.products.cancelImport({ id: run.id })));
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message.ja).toBe('この商品取込はすでに中止されているため、中止できません');

    const next = await caller.products.startImport({ mode: 'createNew' });
    expect(next.alreadyRunning).toBe(false);
    await finish(next.run.id, 10);
    const done = toPublicError(await trpcError(caller.products.cancelImport({ id: next.run.id })));
    expect(done.code).toBe('PRECONDITION_FAILED');
    expect(done.message.ja).toBe('この商品取込はすでに完了しているため、中止できません');
    expect((await caller.products.importRun({ id: next.run.id })).state).toBe('succeeded');

    const audit = await forkEm(t.deps.orm).find(AuditEntry, {
      tenant: tenantId,
      action: 'products.importCancel',
      entityId: run.id,
    });
    expect(audit.map((a) => [a.actorLabel, a.after])).toEqual([
      [email, { state: 'canceled', processed: 0 }],
    ]);
    const events = await forkEm(t.deps.orm).find(
      SyncEvent,
      { tenant: tenantId, subjectId: run.id },
      { orderBy: { at: 'asc' } },
    );
    expect(events.map((e) => [e.kind, e.outcome, e.messageCode])).toEqual([
      ['products.importRequested', 'info', 'productImportRequested'],
      ['product.importCanceled', 'warning', 'productImportCanceled'],
    ]);
  });

  it("another tenant's run is not found", async () => {
    const b = await seedTenant(t.deps, '別の店');
    const { caller: asB } = await signedInCaller(t.deps, b);
    const { run } = await caller.products.startImport();
    const error = await trpcError(asB.products.cancelImport({ id: run.id }));
    expect(error.code).toBe('NOT_FOUND');
    expect((await caller.products.importRun({ id: run.id })).state).toBe('queued');
  });
});
