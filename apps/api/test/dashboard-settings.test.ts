import {
  forkEm,
  IntegrationSettings,
  Order,
  SmaregiConnection,
  SyncEvent,
  syncReasonColumns,
  Tenant,
} from '@renkei/persistence';
import { testDialects } from '@renkei/persistence/testing';
import type { MessageRef } from '@renkei/domain';
import { TRPCError } from '@trpc/server';
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

/** The AppError behind a tRPC error: field errors and details as the admin receives them. */
function appErrorOf(error: TRPCError) {
  return error.cause as unknown as {
    localized: { ja: string; en: string };
    fieldErrors: { path: string; message: { ja: string; en: string } }[];
    details?: Record<string, unknown>;
  };
}

describe.each(testDialects())('dashboard summary and settings rules (%s)', (dialect) => {
  let t: TestApp;
  let a: SeededTenant;
  let b: SeededTenant;
  let caller: Caller;
  let callerB: Caller;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await seedTenant(t.deps, 'A');
    b = await seedTenant(t.deps, 'B');
    ({ caller } = await signedInCaller(t.deps, a));
    ({ caller: callerB } = await signedInCaller(t.deps, b));
  });
  afterAll(() => t.close());

  const setSwitch = async (tenantId: string, on: boolean) => {
    const em = forkEm(t.deps.orm);
    const row = await em.findOneOrFail(IntegrationSettings, { tenant: tenantId });
    row.integrationEnabled = on;
    await em.flush();
  };

  it('is empty for a new tenant', async () => {
    expect(await callerB.dashboard.summary()).toEqual({
      orders: {
        waiting: 0,
        pending: 0,
        registered: 0,
        failed: 0,
        needsCheck: 0,
        canceled: 0,
        held: 0,
      },
      lastReconciliation: null,
      lastError: null,
      lastOrderSyncedAt: null,
    });
  });

  it('counts the tenant’s orders per sync state (held = waiting with a reason) and shows the latest reconciliation and error', async () => {
    const held = (orderNumber: string): MessageRef => ({
      code: 'orderHeld',
      params: { orderNumber, problems: [{ code: 'dummyProductCodeNotSet', params: { line: 1 } }] },
    });
    const states: [string, string, MessageRef | null][] = [
      ['D-1', 'waiting', held('D-1')],
      ['D-2', 'waiting', null],
      ['D-3', 'pending', null],
      ['D-4', 'registered', null],
      ['D-5', 'registered', null],
      ['D-6', 'failed', null],
      ['D-7', 'canceled', null],
      [
        'D-8',
        'needsCheck',
        {
          code: 'orderNeedsCheck',
          params: { orderNumber: 'D-8', orderCode: 'D-8', cause: 'unreadable', detail: '' },
        },
      ],
    ];
    const em = forkEm(t.deps.orm);
    for (const [number, syncState, reason] of states) {
      const { order } = await caller.orders.create(validOrder(a, { orderNumber: number }) as never);
      await em.nativeUpdate(Order, { id: order.id }, {
        syncState,
        ...syncReasonColumns(reason),
      } as never);
    }
    const syncedAt = new Date('2026-02-01T09:30:00.000Z');
    await em.nativeUpdate(
      Order,
      { tenant: a.tenantId, orderNumber: 'D-4' },
      { lastSyncedAt: new Date('2026-01-31T00:00:00.000Z') },
    );
    await em.nativeUpdate(
      Order,
      { tenant: a.tenantId, orderNumber: 'D-5' },
      { lastSyncedAt: syncedAt },
    );
    // Another tenant's orders and events never show up.
    await callerB.orders.create(validOrder(b, { orderNumber: 'B-1' }) as never);

    const tenant = em.getReference(Tenant, a.tenantId);
    // Events are stored as a message code with parameters, rendered when read.
    const msg = (ref: MessageRef) => ({
      messageCode: ref.code,
      messageParams: ref.params as unknown as Record<string, unknown>,
    });
    const event = (at: string, fields: Partial<SyncEvent>) =>
      em.create(SyncEvent, {
        tenant,
        subjectType: 'order',
        kind: 'order.note',
        outcome: 'info',
        ...msg({ code: 'orderReceived', params: { orderNumber: 'D-1', source: 'admin' } }),
        at: new Date(at),
        ...fields,
      });
    event('2026-02-01T08:00:00.000Z', {
      subjectType: 'stock',
      kind: 'stock.reconciled',
      outcome: 'warning',
      ...msg({
        code: 'stockReconciled',
        params: { products: 12, drifts: 2, allocationSource: 'renkeiOrders' },
      }),
    });
    event('2026-02-01T10:00:00.000Z', {
      subjectType: 'stock',
      kind: 'stock.reconciled',
      outcome: 'success',
      ...msg({
        code: 'stockReconciled',
        params: { products: 12, drifts: 0, allocationSource: 'orderShipmentStock' },
      }),
    });
    event('2026-02-01T07:00:00.000Z', {
      subjectId: 'old',
      kind: 'order.rejected',
      outcome: 'failure',
      ...msg({ code: 'legacyText', params: { ja: '古いエラー', en: 'Old error' } }),
    });
    event('2026-02-01T09:00:00.000Z', {
      subjectId: 'order-9',
      kind: 'order.rejected',
      outcome: 'failure',
      ...msg({
        code: 'orderRegistrationRefused',
        params: { orderNumber: 'D-9', reason: 'no product' },
      }),
    });
    event('2026-02-01T11:00:00.000Z', {
      outcome: 'success',
      ...msg({
        code: 'orderRegistered',
        params: { orderNumber: 'A-5', orderHeadId: '5', orderCode: 'A-5' },
      }),
    });
    em.create(SyncEvent, {
      tenant: em.getReference(Tenant, b.tenantId),
      subjectType: 'order',
      kind: 'order.rejected',
      outcome: 'failure',
      ...msg({ code: 'legacyText', params: { ja: 'B のエラー', en: 'B error' } }),
      at: new Date('2026-03-01T00:00:00.000Z'),
    });
    await em.flush();

    expect(await caller.dashboard.summary()).toEqual({
      orders: {
        waiting: 2,
        pending: 1,
        registered: 2,
        failed: 1,
        needsCheck: 1,
        canceled: 1,
        held: 1,
      },
      lastReconciliation: {
        at: '2026-02-01T10:00:00.000Z',
        outcome: 'success',
        message: {
          ja: '在庫照合を完了しました(商品 12 件、差異 0 件、引当数: スマレジ受注管理の在庫)',
          en: "Stock reconciliation finished (12 product(s), 0 drift(s), allocated amounts from Smaregi's order management stock)",
        },
      },
      lastError: {
        at: '2026-02-01T09:00:00.000Z',
        subjectType: 'order',
        subjectId: 'order-9',
        kind: 'order.rejected',
        message: {
          ja: '受注番号 D-9: スマレジが受注登録を拒否しました: no product',
          en: 'Order D-9: Smaregi refused the order: no product',
        },
      },
      lastOrderSyncedAt: syncedAt.toISOString(),
    });
    const other = await callerB.dashboard.summary();
    expect(other.orders.waiting + other.orders.pending).toBe(1);
    expect(other.lastError?.message.en).toBe('B error');
    expect(other.lastReconciliation).toBeNull();

    // The sync log renders each event from its code, in both languages for the admin.
    const log = await caller.syncLog.list({ subjectType: 'stock' });
    expect(log.items.map((e) => [e.messageCode, e.message])).toEqual([
      [
        'stockReconciled',
        {
          ja: '在庫照合を完了しました(商品 12 件、差異 0 件、引当数: スマレジ受注管理の在庫)',
          en: "Stock reconciliation finished (12 product(s), 0 drift(s), allocated amounts from Smaregi's order management stock)",
        },
      ],
      [
        'stockReconciled',
        {
          ja: '在庫照合を完了しました(商品 12 件、差異 2 件、引当数: Renkeiの受注の引当数)',
          en: "Stock reconciliation finished (12 product(s), 2 drift(s), allocated amounts from the allocations on Renkei's orders)",
        },
      ],
    ]);
    const failures = await caller.syncLog.list({ outcome: 'failure' });
    expect(failures.items.map((e) => e.message)).toEqual([
      {
        ja: '受注番号 D-9: スマレジが受注登録を拒否しました: no product',
        en: 'Order D-9: Smaregi refused the order: no product',
      },
      { ja: '古いエラー', en: 'Old error' },
    ]);
  });

  it('refuses a product code it cannot check against Smaregi (not connected, or re-authorisation needed) at the field', async () => {
    const error = await trpcError(
      caller.settings.update({ dummyProductCode: 'DUMMY', adjustmentProductCode: 'ADJ' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const fields = appErrorOf(error).fieldErrors;
    expect(fields.map((f) => f.path).sort()).toEqual(['adjustmentProductCode', 'dummyProductCode']);
    expect(fields.find((f) => f.path === 'dummyProductCode')?.message.ja).toBe(
      'スマレジと接続するまでダミー商品番号「DUMMY」を確認できません。先に[認証]でスマレジと接続してください',
    );
    expect((await caller.settings.get()).dummyProductCode).toBeNull();

    const em = forkEm(t.deps.orm);
    const connection = await em.findOneOrFail(SmaregiConnection, { tenant: a.tenantId });
    Object.assign(connection, { status: 'reauthRequired', contractId: 'sb_lost' });
    await em.flush();
    const reauth = await trpcError(caller.settings.update({ dummyProductCode: 'DUMMY' }));
    expect(appErrorOf(reauth).fieldErrors[0]?.message.ja).toContain('再認証が必要');
    Object.assign(connection, { status: 'unauthenticated', contractId: null });
    await em.flush();

    // Clearing a code, or saving the one already set, needs no look-up.
    expect((await caller.settings.update({ dummyProductCode: null })).dummyProductCode).toBeNull();
  });

  it('refuses to change settings while the integration runs; stopping with changes, or starting alone, is allowed', async () => {
    await setSwitch(a.tenantId, true);
    // One unit of work per request, as over HTTP (the switch was flipped behind the caller's back).
    const { token } = await signedInCaller(t.deps, a);
    const request = async () => createCaller(await createContext(t.deps, { sessionToken: token }));
    const running = await trpcError((await request()).settings.update({ syncEnclosures: true }));
    expect(running.code).toBe('PRECONDITION_FAILED');
    const refusal = appErrorOf(running);
    expect(refusal.localized.ja).toBe(
      '連携中は設定を変更できません。[連携を停止する]で停止してから保存してください',
    );
    expect(refusal.details).toMatchObject({ reason: 'integrationRunning' });
    expect((await (await request()).settings.get()).syncEnclosures).toBe(false);

    // The whole form saved again unchanged while running is not a change.
    const unchanged = await (await request()).settings.get();
    expect((await (await request()).settings.update(unchanged)).integrationEnabled).toBe(true);

    // [連携を停止する] + [設定を保存する]: off and the change in one update.
    const stopped = await (
      await request()
    ).settings.update({
      integrationEnabled: false,
      syncEnclosures: true,
      shippingCsvUnallocated: 'include',
    });
    expect(stopped).toMatchObject({
      integrationEnabled: false,
      syncEnclosures: true,
      shippingCsvUnallocated: 'include',
    });
    // Stopped: any change is saved.
    expect(
      (await (await request()).settings.update({ syncEnclosures: false })).syncEnclosures,
    ).toBe(false);
    // Starting (with or without changes) is judged by readiness, not refused as "running".
    const start = await trpcError(
      (await request()).settings.update({ integrationEnabled: true, syncEnclosures: true }),
    );
    expect(appErrorOf(start).details).toHaveProperty('readiness');
  });
});
