import { forkEm, JOB_NAMES, syncReasonColumns, tenantRepositories } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPublicError } from '../src/trpc/errors.js';
import {
  createTestApp,
  seedTenant,
  signedInCaller,
  validOrder,
  type SeededTenant,
  type TestApp,
} from './helpers.js';

type Caller = Awaited<ReturnType<typeof signedInCaller>>['caller'];

/** The public error (code, field errors) of a refused call. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return toPublicError(error);
    throw error;
  }
  throw new Error('expected a refusal');
}

/*
 * The order list's filters, the bulk status change and the 出荷日 entry, through tRPC as the
 * admin calls them, on a real database.
 */
describe.each(testDialects())('order list and order actions (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let caller: Caller;
  let callerB: Caller;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps);
    b = await seedTenant(t.deps, '別の商店');
    ({ caller } = await signedInCaller(t.deps, a));
    ({ caller: callerB } = await signedInCaller(t.deps, b));
    // Orders of tenant A in every state the list filters by (order dates in Japan time).
    const orders = [
      ['RT-1001', '2026-01-05T00:30:00+09:00'], // 未連携
      ['RT-1002', '2026-01-06T23:59:00+09:00'], // 保留
      ['RT-1003', '2026-01-07T10:00:00+09:00'], // 連携済み, partly allocated, shipping 01-10
      ['AZ-2001', '2026-01-08T10:00:00+09:00'], // 連携済み, allocated, shipping 01-12
      ['AZ-2002', '2026-01-09T10:00:00+09:00'], // エラー
    ] as const;
    for (const [orderNumber, orderedAt] of orders) {
      const created = await caller.orders.create(
        validOrder(a, { orderNumber, orderedAt }) as never,
      );
      ids[orderNumber] = created.order.id;
    }
    await callerB.orders.create(validOrder(b, { orderNumber: 'RT-1001' }) as never);
    const repo = tenantRepositories(forkEm(t.deps.orm), a.tenantId).orders;
    await repo.update({ id: ids['RT-1001'] }, { syncState: 'waiting' });
    await repo.update(
      { id: ids['RT-1002'] },
      {
        syncState: 'waiting',
        ...syncReasonColumns({
          code: 'orderHeld',
          params: {
            orderNumber: 'RT-1002',
            problems: [{ code: 'paymentMethodNotMapped', params: {} }],
          },
        }),
      },
    );
    await repo.update(
      { id: ids['RT-1003'] },
      {
        syncState: 'registered',
        smaregiOrderHeadId: '9001',
        allocationStatus: 'partial',
        shippingDate: '2026-01-10',
      },
    );
    await repo.update(
      { id: ids['AZ-2001'] },
      {
        syncState: 'registered',
        smaregiOrderHeadId: '9002',
        allocationStatus: 'allocated',
        shippingDate: '2026-01-12',
      },
    );
    // Registered once, nothing allocated; then Smaregi refused a later change.
    await repo.update(
      { id: ids['AZ-2002'] },
      { syncState: 'failed', smaregiOrderHeadId: '9003', allocationStatus: 'unallocated' },
    );
  });
  afterAll(() => t.close());

  const numbers = async (filter: Parameters<Caller['orders']['list']>[0]) =>
    (await caller.orders.list(filter)).items.map((o) => o.orderNumber);

  it('lists newest order date first, this tenant only, with the shop and status names', async () => {
    const page = await caller.orders.list({});
    expect(page.total).toBe(5);
    expect(page.items.map((o) => o.orderNumber)).toEqual([
      'AZ-2002',
      'AZ-2001',
      'RT-1003',
      'RT-1002',
      'RT-1001',
    ]);
    expect(page.items[0]).toMatchObject({
      shopName: '楽天市場店',
      statusName: '新規受付',
      statusCategory: 'open',
    });
  });

  it('filters by sync state as the merchant reads it: 未連携, 保留 with its fix, 連携済み, エラー', async () => {
    expect(await numbers({ syncState: 'notSynced' })).toEqual(['RT-1001']);
    const held = await caller.orders.list({ syncState: 'held' });
    expect(held.items.map((o) => o.orderNumber)).toEqual(['RT-1002']);
    expect(held.items[0]?.syncReason?.ja).toContain('RT-1002');
    expect(held.items[0]?.fixAt).toEqual(['paymentMethods']);
    expect(await numbers({ syncState: 'waiting' })).toEqual(['RT-1002', 'RT-1001']);
    expect(await numbers({ syncState: 'registered' })).toEqual(['AZ-2001', 'RT-1003']);
    expect(await numbers({ syncState: 'failed' })).toEqual(['AZ-2002']);
    expect(await numbers({ syncState: 'pending' })).toEqual([]);
  });

  it('filters by allocation, 出荷日 and 受注日 (days in Japan time, both ends included)', async () => {
    expect(await numbers({ allocation: 'full' })).toEqual(['AZ-2001']);
    expect(await numbers({ allocation: 'partial' })).toEqual(['RT-1003']);
    // Orders not in Smaregi have no allocation to filter by (their sync state finds them).
    expect(await numbers({ allocation: 'none' })).toEqual(['AZ-2002']);
    expect(await numbers({ shippingDateFrom: '2026-01-10', shippingDateTo: '2026-01-11' })).toEqual(
      ['RT-1003'],
    );
    expect(await numbers({ shippingDateFrom: '2026-01-11' })).toEqual(['AZ-2001']);
    // 00:30 on the 5th and 23:59 on the 6th in Japan are inside 5th..6th, whatever UTC says.
    expect(await numbers({ orderedFrom: '2026-01-05', orderedTo: '2026-01-06' })).toEqual([
      'RT-1002',
      'RT-1001',
    ]);
    expect(await numbers({ orderedTo: '2026-01-04' })).toEqual([]);
  });

  it('searches the beginning or the whole of the order number, combined with a filter and paged', async () => {
    expect(await numbers({ search: 'AZ-' })).toEqual(['AZ-2002', 'AZ-2001']);
    expect(await numbers({ search: 'AZ-2001' })).toEqual(['AZ-2001']);
    // The number as the mall wrote it, on both databases: case counts, and only its beginning
    // (an index serves a beginning, so the search stays fast with 100,000 orders).
    expect(await numbers({ search: 'az-2001' })).toEqual([]);
    expect(await numbers({ search: '2001' })).toEqual([]);
    expect(await numbers({ search: 'RT-100', syncState: 'registered' })).toEqual(['RT-1003']);
    const second = await caller.orders.list({ page: 2, pageSize: 2 });
    expect([second.total, second.items.map((o) => o.orderNumber)]).toEqual([
      5,
      ['RT-1003', 'RT-1002'],
    ]);
    expect(await numbers({ shopId: b.shopId })).toEqual([]);
  });

  it('refuses a bad filter at its field', async () => {
    const range = await refusal(
      caller.orders.list({ shippingDateFrom: '2026-01-10', shippingDateTo: '2026-01-09' }),
    );
    expect(range.code).toBe('BAD_REQUEST');
    expect(range.fieldErrors.map((e) => e.path)).toEqual(['shippingDateTo']);
    expect(range.fieldErrors[0]?.message.ja).toContain('出荷日(終了)');
    const date = await refusal(caller.orders.list({ orderedFrom: '2026-02-30' }));
    expect(date.fieldErrors.map((e) => e.path)).toEqual(['orderedFrom']);
    expect(date.fieldErrors[0]?.message.ja).toContain('受注日(開始)');
    const state = await refusal(caller.orders.list({ syncState: 'lost' as never }));
    expect(state.fieldErrors.map((e) => e.path)).toEqual(['syncState']);
  });

  it('changes the status of several orders and says what happened to each', async () => {
    const { results } = await caller.orders.changeStatusMany({
      ids: [ids['RT-1001']!, ids['RT-1003']!, 'no-such-order', ids['RT-1001']!],
      statusId: a.otherStatusId,
    });
    expect(results.map((r) => [r.orderNumber, r.outcome])).toEqual([
      ['RT-1001', 'changed'],
      ['RT-1003', 'changed'],
      [null, 'failed'],
    ]);
    expect(results[2]?.error?.ja).toContain('受注が見つかりません');
    // Moved again: already there.
    const again = await caller.orders.changeStatusMany({
      ids: [ids['RT-1001']!],
      statusId: a.otherStatusId,
    });
    expect(again.results[0]?.outcome).toBe('unchanged');
    expect(await numbers({ statusId: a.otherStatusId })).toEqual(['RT-1003', 'RT-1001']);
    const story = await caller.orders.get({ id: ids['RT-1003']! });
    expect(story.history.map((h) => h.kind)).toContain('order.statusChanged');
    // Another tenant cannot move A's orders; an unknown status refuses the whole request.
    const foreign = await callerB.orders.changeStatusMany({
      ids: [ids['AZ-2001']!],
      statusId: b.otherStatusId,
    });
    expect(foreign.results[0]?.outcome).toBe('failed');
    const badStatus = await refusal(
      caller.orders.changeStatusMany({ ids: [ids['AZ-2001']!], statusId: b.otherStatusId }),
    );
    expect(badStatus.fieldErrors.map((e) => e.path)).toEqual(['statusId']);
    const none = await refusal(caller.orders.changeStatusMany({ ids: [], statusId: a.statusId }));
    expect(none.fieldErrors.map((e) => e.path)).toEqual(['ids']);
  });

  it('sets and clears the 出荷日, refusing a date that is not one at the field', async () => {
    const id = ids['AZ-2002']!;
    const set = await caller.orders.setShippingDate({ id, shippingDate: '2026-01-20' });
    expect(set.shippingDate).toBe('2026-01-20');
    expect(await numbers({ shippingDateFrom: '2026-01-20' })).toEqual(['AZ-2002']);
    const story = await caller.orders.get({ id });
    const updated = story.history.find((h) => h.kind === 'order.updated');
    expect(updated?.message.ja).toContain('shippingDate');
    const bad = await refusal(caller.orders.setShippingDate({ id, shippingDate: '2026/01/20' }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.fieldErrors.map((e) => e.path)).toEqual(['shippingDate']);
    expect(bad.fieldErrors[0]?.message.ja).toContain('出荷日');
    expect((await caller.orders.setShippingDate({ id, shippingDate: null })).shippingDate).toBe(
      null,
    );
    expect((await refusal(callerB.orders.setShippingDate({ id, shippingDate: null }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('asks the worker to judge bulk shipping again when the date comes for an order in its status', async () => {
    await caller.settings.update({ bulkShippingTriggerStatus: a.otherStatusId });
    const id = ids['RT-1003']!;
    await caller.orders.changeStatus({ id, statusId: a.otherStatusId });
    const jobs = tenantRepositories(forkEm(t.deps.orm), a.tenantId).jobs;
    const queued = () => jobs.count({ name: JOB_NAMES.orderStatusChanged, state: 'queued' });
    // The worker has run the decisions of the status change (no shipping date then).
    await jobs.update({ name: JOB_NAMES.orderStatusChanged }, { state: 'done' });
    await caller.orders.setShippingDate({ id, shippingDate: '2026-01-15' });
    expect(await queued()).toBe(1);
    await jobs.update({ name: JOB_NAMES.orderStatusChanged }, { state: 'done' });
    // An order in another status waits for its status: nothing to judge.
    await caller.orders.setShippingDate({ id: ids['AZ-2001']!, shippingDate: '2026-01-16' });
    expect(await queued()).toBe(0);
    await caller.settings.update({ bulkShippingTriggerStatus: null });
  });

  it('an order not yet sent says it waits for the start while the integration is stopped, and stops saying so once it runs', async () => {
    const created = await caller.orders.create(
      validOrder(a, { orderNumber: 'RT-1009', orderedAt: '2026-01-04T10:00:00+09:00' }) as never,
    );
    const stopped = await caller.orders.get({ id: created.order.id });
    expect(stopped.syncState).toBe('pending');
    expect(stopped.syncReasonCode).toBe('orderWaitingIntegrationStopped');
    expect(stopped.syncReason?.ja).toContain('連携が停止中のため');
    const listed = await caller.orders.list({ page: 1, pageSize: 50, search: 'RT-1009' });
    expect(listed.items[0]?.syncReasonCode).toBe('orderWaitingIntegrationStopped');
    // An order held for its own reason keeps that reason.
    const held = await caller.orders.get({ id: ids['RT-1002']! });
    expect(held.syncReasonCode).toBe('orderHeld');

    // Started (written as the switch does, without touching the settings' version).
    const settings = tenantRepositories(forkEm(t.deps.orm), a.tenantId).settings;
    await settings.update({}, { integrationEnabled: true });
    try {
      const running = await caller.orders.get({ id: created.order.id });
      expect(running.syncReasonCode).toBeNull();
      expect(running.syncReason).toBeNull();
    } finally {
      await settings.update({}, { integrationEnabled: false });
      await tenantRepositories(forkEm(t.deps.orm), a.tenantId).orders.update(
        { id: created.order.id },
        { syncState: 'canceled' },
      );
    }
  });
});
