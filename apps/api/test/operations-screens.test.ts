import { forkEm, tenantRepositories } from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import { TRPCError } from '@trpc/server';
import request from 'supertest';
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
const fieldsOf = (e: Awaited<ReturnType<typeof refusal>>) => e.fieldErrors.map((f) => f.path);

/*
 * The 連携ログ, 操作履歴 and APIキー screens' procedures, through tRPC as the admin calls them,
 * on a real database; the intake key's life checked at the real REST intake.
 */
describe.each(testDialects())('sync log, audit and API keys (%s)', (dialect) => {
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
    for (const orderNumber of ['LOG-1', 'LOG-2'])
      ids[orderNumber] = (
        await caller.orders.create(validOrder(a, { orderNumber }) as never)
      ).order.id;
    await callerB.orders.create(validOrder(b, { orderNumber: 'LOG-1' }) as never);
    await caller.orders.changeStatus({ id: ids['LOG-1']!, statusId: a.otherStatusId });
    // A failure and a stock event on known days (Japan time).
    const em = forkEm(t.deps.orm);
    const repos = tenantRepositories(em, a.tenantId);
    const failed = repos.syncEvents.record({
      subjectType: 'order',
      subjectId: ids['LOG-2']!,
      kind: 'order.registrationFailed',
      outcome: 'failure',
      message: { code: 'legacyText', params: { ja: '登録できませんでした', en: 'Not registered' } },
    });
    failed.at = new Date('2026-03-10T23:30:00+09:00');
    const stock = repos.syncEvents.record({
      subjectType: 'product',
      kind: 'product.followedSmaregi',
      outcome: 'success',
      message: { code: 'productsFollowedSmaregi', params: { created: 0, updated: 1 } },
      detail: { productIds: ['8000001'] },
    });
    stock.at = new Date('2026-03-11T00:30:00+09:00');
    await em.flush();
  });
  afterAll(() => t.close());

  it('lists the sync log newest first, with the order number and both languages', async () => {
    const page = await caller.syncLog.list({});
    expect(page.totalCapped).toBe(false);
    expect(page.orders).toBeNull();
    const kinds = page.items.map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['order.received', 'order.statusChanged', 'order.registrationFailed']),
    );
    expect(page.items.map((e) => e.at)).toEqual([...page.items.map((e) => e.at)].sort().reverse());
    const received = page.items.find(
      (e) => e.kind === 'order.received' && e.subjectId === ids['LOG-1'],
    );
    expect(received).toMatchObject({ orderNumber: 'LOG-1', subjectType: 'order' });
    expect(received?.message.ja).toContain('LOG-1');
    expect(received?.message.en).toContain('LOG-1');
    const product = page.items.find((e) => e.kind === 'product.followedSmaregi');
    expect(product?.productIds).toEqual(['8000001']);
    // Tenant B's order of the same number is not in A's log.
    const subjects = new Set(page.items.map((e) => e.subjectId));
    expect([...subjects].filter((id) => id !== null && !Object.values(ids).includes(id))).toEqual(
      [],
    );
  });

  it('filters by order (number or ID), kind, outcome, subject type and days', async () => {
    const byNumber = await caller.syncLog.list({ orderNumber: 'LOG-1' });
    expect(byNumber.orders).toEqual([{ id: ids['LOG-1'], orderNumber: 'LOG-1' }]);
    expect(byNumber.items.map((e) => e.kind)).toEqual(['order.statusChanged', 'order.received']);
    expect(byNumber.items.every((e) => e.subjectId === ids['LOG-1'])).toBe(true);
    const byId = await caller.syncLog.list({ orderId: ids['LOG-1']! });
    expect(byId.items.map((e) => e.id)).toEqual(byNumber.items.map((e) => e.id));
    // A number no order has: no order, nothing listed (not the whole log).
    const none = await caller.syncLog.list({ orderNumber: 'NO-SUCH' });
    expect(none).toMatchObject({ orders: [], total: 0, items: [] });
    // Another tenant's order ID finds nothing.
    expect((await callerB.syncLog.list({ orderId: ids['LOG-1']! })).total).toBe(0);

    const kinds = async (filter: Parameters<Caller['syncLog']['list']>[0]) =>
      (await caller.syncLog.list(filter)).items.map((e) => e.kind);
    expect(await kinds({ kind: 'order.received' })).toEqual(['order.received', 'order.received']);
    expect(await kinds({ outcome: 'failure' })).toEqual(['order.registrationFailed']);
    expect(await kinds({ subjectType: 'product' })).toEqual(['product.followedSmaregi']);
    expect(await kinds({ orderNumber: 'LOG-2', outcome: 'failure' })).toEqual([
      'order.registrationFailed',
    ]);
    expect(await kinds({ orderNumber: 'LOG-2', subjectType: 'product' })).toEqual([]);
    // Days are Japan time, both ends included: 23:30 on the 10th is the 10th, 00:30 the 11th.
    expect(await kinds({ from: '2026-03-10', to: '2026-03-10' })).toEqual([
      'order.registrationFailed',
    ]);
    expect(await kinds({ from: '2026-03-11', to: '2026-03-11' })).toEqual([
      'product.followedSmaregi',
    ]);
    const paged = await caller.syncLog.list({ page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBe((await caller.syncLog.list({})).total);
  });

  it('refuses bad filters at their field', async () => {
    expect(fieldsOf(await refusal(caller.syncLog.list({ kind: 'order.lost' as never })))).toEqual([
      'kind',
    ]);
    expect(fieldsOf(await refusal(caller.syncLog.list({ outcome: 'fine' as never })))).toEqual([
      'outcome',
    ]);
    expect(fieldsOf(await refusal(caller.syncLog.list({ from: '2026/03/10' })))).toEqual(['from']);
    const backwards = await refusal(caller.syncLog.list({ from: '2026-03-11', to: '2026-03-10' }));
    expect(fieldsOf(backwards)).toEqual(['to']);
    expect(backwards.fieldErrors[0]?.message.ja).toContain('期間');
    expect(fieldsOf(await refusal(caller.syncLog.list({ orderNumber: ' ' })))).toEqual([
      'orderNumber',
    ]);
    expect(fieldsOf(await refusal(caller.syncLog.list({ pageSize: 500 })))).toEqual(['pageSize']);
    expect(fieldsOf(await refusal(caller.audit.list({ action: 'shop.explode' as never })))).toEqual(
      ['action'],
    );
    expect(
      fieldsOf(await refusal(caller.audit.list({ from: '2026-03-11', to: '2026-03-01' }))),
    ).toEqual(['to']);
  });

  it('pages the audit entries, filters by action and day, names the order', async () => {
    await caller.orders.changeStatus({ id: ids['LOG-2']!, statusId: a.otherStatusId });
    const all = await caller.audit.list({});
    expect(all.items[0]).toMatchObject({
      action: 'order.statusChange',
      actor: a.email,
      entityType: 'order',
      entityId: ids['LOG-2'],
      orderNumber: 'LOG-2',
      after: { statusId: a.otherStatusId },
    });
    const moves = await caller.audit.list({ action: 'order.statusChange', pageSize: 1 });
    expect(moves.total).toBe(2);
    expect(moves.items).toHaveLength(1);
    const second = await caller.audit.list({ action: 'order.statusChange', pageSize: 1, page: 2 });
    expect(second.items[0]?.orderNumber).toBe('LOG-1');
    expect((await caller.audit.list({ from: '2000-01-01', to: '2000-01-02' })).total).toBe(0);
    expect((await callerB.audit.list({ action: 'order.statusChange' })).total).toBe(0);
  });

  it('creates a key shown once, takes orders with it, refuses it at once when revoked', async () => {
    expect(fieldsOf(await refusal(caller.apiKeys.create({ name: '   ' })))).toEqual(['name']);
    expect(fieldsOf(await refusal(caller.apiKeys.create({ name: 'x'.repeat(101) })))).toEqual([
      'name',
    ]);
    const created = await caller.apiKeys.create({ name: ' 基幹OMS ' });
    expect(created).toMatchObject({ name: '基幹OMS', keyPrefix: created.key.slice(0, 8) });
    const listed = await caller.apiKeys.list();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed.find((k) => k.id === created.id)).toMatchObject({
      name: '基幹OMS',
      lastUsedAt: null,
      revokedAt: null,
    });

    const post = (orderNumber: string) =>
      request(t.app)
        .post('/api/v1/orders')
        .set('Authorization', `Bearer ${created.key}`)
        .send(validOrder(a, { orderNumber }));
    expect((await post('KEY-1')).status).toBe(201);
    expect(
      (await caller.apiKeys.list()).find((k) => k.id === created.id)?.lastUsedAt,
    ).not.toBeNull();
    // Another tenant cannot revoke it.
    expect((await refusal(callerB.apiKeys.revoke({ id: created.id }))).code).toBe('NOT_FOUND');

    const revoked = await caller.apiKeys.revoke({ id: created.id });
    const refused = await post('KEY-2');
    expect(refused.status).toBe(401);
    // Revoking again keeps the first time and records nothing more.
    expect((await caller.apiKeys.revoke({ id: created.id })).revokedAt).toBe(revoked.revokedAt);
    const entries = (await caller.audit.list({})).items.filter((e) => e.entityId === created.id);
    expect(entries.map((e) => e.action)).toEqual(['apiKey.revoke', 'apiKey.create']);
    expect(entries[0]).toMatchObject({
      before: { revokedAt: null },
      after: { name: '基幹OMS', revokedAt: revoked.revokedAt },
    });
    // The seeded key of the tenant still works.
    const other = await request(t.app)
      .post('/api/v1/orders')
      .set('Authorization', `Bearer ${a.apiKey}`)
      .send(validOrder(a, { orderNumber: 'KEY-3' }));
    expect(other.status).toBe(201);
  });
});
