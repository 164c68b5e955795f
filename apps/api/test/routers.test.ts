import { TRPCError } from '@trpc/server';
import { forkEm, AuditEntry } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/trpc/context.js';
import { createCaller } from '../src/trpc/root.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

type Caller = Awaited<ReturnType<typeof signedInCaller>>['caller'];

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error('expected a TRPCError');
}

describe.each(testDialects())('tRPC routers (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let caller: Caller;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    ({ caller } = await signedInCaller(t.deps, a));
  });
  afterAll(() => t.close());

  it('refuses every procedure but login and me without a session', async () => {
    const anonymous = createCaller(await createContext(t.deps));
    expect(await anonymous.auth.me()).toBeNull();
    expect((await trpcError(anonymous.shops.list())).code).toBe('UNAUTHORIZED');
    expect((await trpcError(anonymous.settings.update({ syncEnclosures: true }))).code).toBe(
      'UNAUTHORIZED',
    );
  });

  it('reads and updates settings, naming bad fields, and audits who changed what', async () => {
    const settings = await caller.settings.get();
    expect(settings.integrationEnabled).toBe(false);
    const updated = await caller.settings.update({
      shippingCsvUnallocated: 'include',
      syncEnclosures: true,
    });
    expect(updated).toMatchObject({ shippingCsvUnallocated: 'include', syncEnclosures: true });
    const bad = await trpcError(caller.settings.update({ stockBasis: 'everywhere' } as never));
    expect(bad.code).toBe('BAD_REQUEST');
    const unknownStatus = await trpcError(
      caller.settings.update({ allocatedStatus: 'no-such-status' }),
    );
    expect(unknownStatus.code).toBe('BAD_REQUEST');
    const audit = await forkEm(t.deps.orm).find(AuditEntry, {
      tenant: a.tenantId,
      action: 'settings.update',
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actorLabel).toBe(a.email);
    expect((audit[0]!.before as { syncEnclosures: unknown }).syncEnclosures).toBe(false);
    expect((audit[0]!.after as { syncEnclosures: unknown }).syncEnclosures).toBe(true);
  });

  it('refuses to switch the integration on while blocking readiness items fail, listing them', async () => {
    const error = await trpcError(caller.settings.update({ integrationEnabled: true }));
    expect(error.code).toBe('PRECONDITION_FAILED');
    const readiness =
      (error.cause as { details?: { readiness?: { id: string }[] } }).details?.readiness ?? [];
    expect(readiness.map((r) => r.id)).toContain('connection');
    expect((await caller.settings.get()).integrationEnabled).toBe(false);
    const report = await caller.readiness.get();
    expect(report.canStart).toBe(false);
    expect(report.items.find((i) => i.id === 'connection')?.passed).toBe(false);
  });

  it('manages shops, payment methods and statuses; mapping needs a live Smaregi connection', async () => {
    const shop = await caller.shops.create({
      name: 'Amazon店',
      mallKind: 'amazon',
      taxMode: 'included',
    });
    expect(shop.orderStoreId).toBeNull();
    const renamed = await caller.shops.update({
      id: shop.id,
      name: 'Amazon本店',
      mallKind: 'amazon',
      taxMode: 'excluded',
    });
    expect(renamed.taxMode).toBe('excluded');
    const mapping = await trpcError(
      caller.shops.update({
        id: shop.id,
        name: 'Amazon本店',
        mallKind: 'amazon',
        taxMode: 'excluded',
        orderStoreId: '10',
      }),
    );
    expect(mapping.code).toBe('PRECONDITION_FAILED');
    const badShop = await trpcError(
      caller.shops.create({ name: '', mallKind: 'mars', taxMode: 'included' } as never),
    );
    expect(badShop.code).toBe('BAD_REQUEST');
    await caller.shops.delete({ id: shop.id });
    expect((await trpcError(caller.shops.get({ id: shop.id }))).code).toBe('NOT_FOUND');

    const method = await caller.paymentMethods.create({ name: '代金引換', code: 'cod' });
    expect(
      (await caller.paymentMethods.update({ id: method.id, name: '代引き', code: 'cod' })).name,
    ).toBe('代引き');
    expect((await trpcError(caller.paymentMethods.smaregiList())).code).toBe('PRECONDITION_FAILED');
    await caller.paymentMethods.delete({ id: method.id });

    const status = await caller.orderStatuses.create({
      name: '保留',
      category: 'open',
      sortOrder: 5,
    });
    await caller.settings.update({ bulkShippingTriggerStatus: status.id });
    expect((await trpcError(caller.orderStatuses.delete({ id: status.id }))).code).toBe('CONFLICT');
    await caller.settings.update({ bulkShippingTriggerStatus: null });
    await caller.orderStatuses.delete({ id: status.id });

    const actions = (await caller.audit.list({})).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'shop.create',
        'shop.update',
        'shop.delete',
        'paymentMethod.create',
        'orderStatus.delete',
      ]),
    );
  });

  it('lists, filters and shows orders with their history; changes status; retries', async () => {
    const created = await caller.orders.create(validOrder(a, { orderNumber: 'ADM-1' }) as never);
    expect(created.outcome).toBe('created');
    await caller.orders.create(validOrder(a, { orderNumber: 'ADM-2' }) as never);
    const page = await caller.orders.list({ page: 1, pageSize: 1 });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect((await caller.orders.list({ search: 'ADM-1' })).items.map((o) => o.orderNumber)).toEqual(
      ['ADM-1'],
    );
    expect((await caller.orders.list({ syncState: 'registered' })).total).toBe(0);

    const moved = await caller.orders.changeStatus({
      id: created.order.id,
      statusId: a.otherStatusId,
    });
    expect(moved.statusId).toBe(a.otherStatusId);
    expect(
      (await caller.orders.list({ statusId: a.otherStatusId })).items.map((o) => o.orderNumber),
    ).toEqual(['ADM-1']);
    await caller.orders.retry({ id: created.order.id });
    const detail = await caller.orders.get({ id: created.order.id });
    expect(detail.lines).toHaveLength(1);
    expect(detail.history.map((h) => h.kind)).toEqual([
      'order.received',
      'order.statusChanged',
      'order.retryRequested',
    ]);
    expect((await caller.syncLog.list({ subjectType: 'order' })).total).toBeGreaterThanOrEqual(3);
    const bad = await trpcError(caller.orders.list({ pageSize: 1000 }));
    expect(bad.code).toBe('BAD_REQUEST');
  });

  it('searches products and refuses an import before Smaregi is connected', async () => {
    expect((await caller.products.list({ search: '50%_' })).total).toBe(0);
    expect((await trpcError(caller.products.startImport())).code).toBe('PRECONDITION_FAILED');
  });

  it('creates an intake API key shown once, lists it without the key, revokes it', async () => {
    const created = await caller.apiKeys.create({ name: 'OMS' });
    expect(created.key).toMatch(/^rk_/);
    const listed = await caller.apiKeys.list();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await caller.apiKeys.revoke({ id: created.id });
    expect(
      (await caller.apiKeys.list()).find((k) => k.id === created.id)?.revokedAt,
    ).not.toBeNull();
  });

  it('logs out: the session no longer works', async () => {
    const { caller: other, token } = await signedInCaller(t.deps, a);
    await other.auth.logout();
    const after = createCaller(await createContext(t.deps, { sessionToken: token }));
    expect(await after.auth.me()).toBeNull();
  });
});
