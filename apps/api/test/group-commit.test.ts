import { forkEm, Order, SyncEvent, tenantRepositories } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors.js';
import { GroupCommitIntake } from '../src/services/group-commit.js';
import { receiveOrder } from '../src/services/orders/receive.js';
import { receiveOrderGroup } from '../src/services/orders/receive-group.js';
import type { TenantScope } from '../src/services/scope.js';
import {
  createTestApp,
  seedTenant,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

describe.each(testDialects())('group commit of the REST intake (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let intake: GroupCommitIntake;
  const actor = { userId: null, label: 'test' };
  const scopeOf = (tenant: SeededTenant) => (): TenantScope => {
    const em = forkEm(t.deps.orm);
    return {
      deps: t.deps,
      em,
      tenantId: tenant.tenantId,
      repos: tenantRepositories(em, tenant.tenantId),
      actor,
    };
  };
  const stored = async (tenant: SeededTenant, orderNumber: string) => {
    const em = forkEm(t.deps.orm);
    const orders = await em.find(Order, { tenant: tenant.tenantId, orderNumber });
    // Its first history line, written with it: one per order, however often it arrived.
    const received = await em.count(SyncEvent, {
      tenant: tenant.tenantId,
      kind: 'order.received',
      subjectId: { $in: orders.map((o) => o.id) },
    });
    return { orders: orders.length, received };
  };
  /** Settles every promise, keeping the error of each rejected one. */
  const settle = <T>(promises: Promise<T>[]) =>
    Promise.allSettled(promises).then((all) =>
      all.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as unknown))),
    );

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
    intake = new GroupCommitIntake(t.deps, 'api', actor);
  });
  afterAll(() => t.close());

  it('writes identical orders arriving together once: one order, one history line, the same answer', async () => {
    const order = validOrder(a, { orderNumber: 'G-SAME' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => intake.receive(a.tenantId, order)),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual([
      'created',
      ...Array.from({ length: 7 }, () => 'unchanged'),
    ]);
    expect(new Set(results.map((r) => r.order.id)).size).toBe(1);
    expect(await stored(a, 'G-SAME')).toEqual({ orders: 1, received: 1 });
  });

  it('answers a bad or conflicting order with its own error and still stores the others', async () => {
    const old = await intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-OLD' }));
    // G-OLD is in Smaregi: other content for it is a conflict (a not-yet-sent order takes it).
    await forkEm(t.deps.orm).nativeUpdate(
      Order,
      { id: old.order.id },
      { syncState: 'registered', smaregiOrderHeadId: '700' },
    );
    const results = await settle([
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-1' })),
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-2', lines: [] })),
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-OLD', shippingFee: 0 })),
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-3', shopId: b.shopId })),
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-4' })),
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-1', shippingFee: 1 })),
    ]);
    const [first, empty, conflict, foreignShop, fourth, sameKeyDifferent] = results;
    expect(first).toMatchObject({ outcome: 'created' });
    expect(fourth).toMatchObject({ outcome: 'created' });
    expect(empty).toBeInstanceOf(AppError);
    expect((empty as AppError).code).toBe('BAD_REQUEST');
    expect((empty as AppError).fieldErrors.map((e) => e.path)).toContain('lines');
    expect((conflict as AppError).code).toBe('CONFLICT');
    expect((conflict as AppError).fieldErrors.map((e) => e.path)).toEqual(['shippingFee']);
    expect((foreignShop as AppError).fieldErrors.map((e) => e.path)).toEqual(['shopId']);
    // The second G-1 of the group is compared with the first one, written just before it: not
    // sent yet, so it is a corrected version of it.
    expect(sameKeyDifferent).toMatchObject({ outcome: 'updated' });
    expect((sameKeyDifferent as { order: Order }).order.shippingFee).toBe(1);
    for (const n of ['G-1', 'G-4', 'G-OLD'])
      expect(await stored(a, n)).toEqual({ orders: 1, received: 1 });
    for (const n of ['G-2', 'G-3']) expect(await stored(a, n)).toEqual({ orders: 0, received: 0 });
  });

  it('keeps tenants apart: the same order number for two tenants is two orders', async () => {
    const [forA, forB] = await Promise.all([
      intake.receive(a.tenantId, validOrder(a, { orderNumber: 'G-TWO' })),
      intake.receive(b.tenantId, validOrder(b, { orderNumber: 'G-TWO' })),
    ]);
    expect(forA.outcome).toBe('created');
    expect(forB.outcome).toBe('created');
    expect(forA.order.id).not.toBe(forB.order.id);
    expect(await stored(a, 'G-TWO')).toEqual({ orders: 1, received: 1 });
    expect(await stored(b, 'G-TWO')).toEqual({ orders: 1, received: 1 });
  });

  it('when the shared transaction fails, writes nothing of it and receives each order alone', async () => {
    const raws = ['G-RACE-1', 'G-RACE-2', 'G-RACE-3'].map((n) => validOrder(a, { orderNumber: n }));
    const newScope = scopeOf(a);
    let first = true;
    const racingScope = (): TenantScope => {
      const scope = newScope();
      if (first) {
        first = false;
        // Another writer (another API process) stores G-RACE-2 after the group looked it up
        // and before the group commits: the group's insert of it violates the unique key.
        scope.em.getEventManager().registerSubscriber({
          beforeTransactionStart: async (args) => {
            if (args.em !== scope.em) return;
            await receiveOrder(newScope(), raws[1], 'api');
          },
        });
      }
      return scope;
    };
    const outcomes = await receiveOrderGroup(racingScope, raws, 'api');
    expect(outcomes.map((o) => (o.ok ? o.result.outcome : o.error))).toEqual([
      'created',
      'unchanged',
      'created',
    ]);
    for (const n of ['G-RACE-1', 'G-RACE-2', 'G-RACE-3'])
      expect(await stored(a, n)).toEqual({ orders: 1, received: 1 });
    // One history line per order: nothing of the failed group was kept.
    const em = forkEm(t.deps.orm);
    const orders = await em.find(Order, { orderNumber: { $like: 'G-RACE-%' } });
    expect(
      await em.count(SyncEvent, {
        kind: 'order.received',
        subjectId: { $in: orders.map((o) => o.id) },
      }),
    ).toBe(3);
  });
});
