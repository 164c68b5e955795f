import { TRPCError } from '@trpc/server';
import { forkEm, ProductImportRun, ListedProduct, Tenant } from '@renkei/persistence';
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

type Caller = Awaited<ReturnType<typeof signedInCaller>>['caller'];

/**
 * docs/reliability.md "Tenant isolation": every procedure that takes an ID, called by tenant B with
 * tenant A's IDs, answers NOT_FOUND and changes nothing.
 */
describe.each(testDialects())('tenant isolation (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let asA: Caller;
  let asB: Caller;
  const ids = { order: '', product: '', run: '', apiKey: '' };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
    ({ caller: asA } = await signedInCaller(t.deps, a));
    ({ caller: asB } = await signedInCaller(t.deps, b));
    ids.order = (await asA.orders.create(validOrder(a) as never)).order.id;
    ids.apiKey = (await asA.apiKeys.create({ name: 'A key' })).id;
    const em = forkEm(t.deps.orm);
    const tenant = em.getReference(Tenant, a.tenantId);
    const product = em.create(ListedProduct, {
      tenant,
      productCode: 'TS-001',
      productCodeKey: 'TS-001',
      name: 'Tシャツ',
      smaregiProductId: '8000001',
    });
    const run = em.create(ProductImportRun, { tenant });
    await em.flush();
    ids.product = product.id;
    ids.run = run.id;
  });
  afterAll(() => t.close());

  const cases: [string, (c: Caller) => Promise<unknown>][] = [
    ['shops.get', (c) => c.shops.get({ id: a.shopId })],
    [
      'shops.update',
      (c) => c.shops.update({ id: a.shopId, name: 'x', mallKind: 'other', taxMode: 'included' }),
    ],
    ['shops.delete', (c) => c.shops.delete({ id: a.shopId })],
    ['paymentMethods.get', (c) => c.paymentMethods.get({ id: a.paymentMethodId })],
    ['paymentMethods.update', (c) => c.paymentMethods.update({ id: a.paymentMethodId, name: 'x' })],
    ['paymentMethods.delete', (c) => c.paymentMethods.delete({ id: a.paymentMethodId })],
    ['orderStatuses.get', (c) => c.orderStatuses.get({ id: a.statusId })],
    [
      'orderStatuses.update',
      (c) => c.orderStatuses.update({ id: a.statusId, name: 'x', category: 'open' }),
    ],
    ['orderStatuses.delete', (c) => c.orderStatuses.delete({ id: a.otherStatusId })],
    ['orders.get', (c) => c.orders.get({ id: ids.order })],
    ['orders.payloadPreview', (c) => c.orders.payloadPreview({ id: ids.order })],
    [
      'orders.changeStatus',
      (c) => c.orders.changeStatus({ id: ids.order, statusId: b.otherStatusId }),
    ],
    ['orders.retry', (c) => c.orders.retry({ id: ids.order })],
    ['products.get', (c) => c.products.get({ id: ids.product })],
    ['products.importRun', (c) => c.products.importRun({ id: ids.run })],
    ['apiKeys.revoke', (c) => c.apiKeys.revoke({ id: ids.apiKey })],
  ];

  it.each(cases)("%s with another tenant's ID is NOT_FOUND", async (_name, call) => {
    const before = await snapshot();
    const error = await call(asB).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('NOT_FOUND');
    expect(await snapshot()).toEqual(before);
    // The owner still reaches it.
    expect(await asA.shops.get({ id: a.shopId })).toMatchObject({ id: a.shopId });
  });

  it("moving one's own order to another tenant's status is refused (field error), nothing changes", async () => {
    const own = (await asB.orders.create(validOrder(b, { orderNumber: 'B-1' }) as never)).order.id;
    const error = await asB.orders
      .changeStatus({ id: own, statusId: a.otherStatusId })
      .catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    expect((await asB.orders.get({ id: own })).statusId).toBe(b.statusId);
  });

  it('lists only show the caller’s rows', async () => {
    const shopsB = await asB.shops.list();
    expect(shopsB.map((s) => s.id)).toEqual([b.shopId]);
    expect((await asB.orders.list({})).items.every((o) => o.shopId === b.shopId)).toBe(true);
    expect((await asB.products.list({})).total).toBe(0);
    expect((await asB.products.importRuns()).length).toBe(0);
    expect((await asB.paymentMethods.list()).map((m) => m.id)).toEqual([b.paymentMethodId]);
    expect((await asB.orderStatuses.list()).map((s) => s.id).sort()).toEqual(
      [b.statusId, b.otherStatusId].sort(),
    );
    expect((await asB.syncLog.list({})).items.every((e) => e.subjectId !== ids.order)).toBe(true);
    expect((await asB.audit.list({})).items.every((e) => e.entityId !== ids.apiKey)).toBe(true);
    expect((await asB.apiKeys.list()).map((k) => k.id)).not.toContain(ids.apiKey);
  });

  async function snapshot() {
    const [shop, method, status, order] = await Promise.all([
      asA.shops.get({ id: a.shopId }),
      asA.paymentMethods.get({ id: a.paymentMethodId }),
      asA.orderStatuses.get({ id: a.statusId }),
      asA.orders.get({ id: ids.order }),
    ]);
    const keys = await asA.apiKeys.list();
    return {
      shop: { ...shop, updatedAt: null },
      method: { ...method, updatedAt: null },
      status,
      order: {
        statusId: order.statusId,
        syncState: order.syncState,
        history: order.history.length,
      },
      keys,
    };
  }
});
