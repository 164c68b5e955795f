import { TRPCError } from '@trpc/server';
import { testDialects } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  startSimulator,
  type RunningSimulator,
} from '@renkei/smaregi-simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemoTenant } from '../src/demo/auto-connect.js';
import { DEMO_USER } from '../src/demo/constants.js';
import { seedDemo } from '../src/demo/seed.js';
import { createTestApp, signedInCaller, type TestApp } from './helpers.js';

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
 * 受注番号の接頭辞 per shop (issue 11 item 1): the fix for two shops of one 受注店舗 that receive
 * the same order number. Set on the shop screen, normalised like a code, refused naming the field
 * when Smaregi could not take it.
 */
describe.each(testDialects())('shop order-code prefix (%s)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5 });
    t = await createTestApp(dialect, {
      RENKEI_DEMO: 'true',
      SMAREGI_ID_BASE_URL: sim.idBaseUrl,
      SMAREGI_API_BASE_URL: sim.apiBaseUrl,
      SMAREGI_CLIENT_ID: DEMO_CLIENT_ID,
      SMAREGI_CLIENT_SECRET: DEMO_CLIENT_SECRET,
    });
    await seedDemo(t.deps);
    expect(await connectDemoTenant(t.deps)).toBe('connected');
    ({ caller } = await signedInCaller(t.deps, DEMO_USER));
  });
  afterAll(async () => {
    await sim.close();
    await t.close();
  });

  it('stores a prefix normalised, keeps it when omitted, clears it with null, and refuses a bad one naming the field', async () => {
    const [shop] = await caller.shops.list();
    expect(shop!.orderCodePrefix).toBeNull();
    const base = {
      id: shop!.id,
      name: shop!.name,
      mallKind: shop!.mallKind as 'ownSite',
      taxMode: shop!.taxMode as 'included',
      orderStoreId: shop!.orderStoreId,
    };
    // Full-width, as typed with a Japanese input method.
    expect(
      (await caller.shops.update({ ...base, orderCodePrefix: 'ＡＺ－' })).orderCodePrefix,
    ).toBe('AZ-');
    expect((await caller.shops.update(base)).orderCodePrefix).toBe('AZ-');
    expect((await caller.shops.get({ id: shop!.id })).orderCodePrefix).toBe('AZ-');

    for (const bad of ['楽天-', 'R T-', 'ABCDEFGHIJK']) {
      const error = await trpcError(caller.shops.update({ ...base, orderCodePrefix: bad }));
      expect(error.code).toBe('BAD_REQUEST');
      expect(JSON.stringify(error.cause ?? error.message)).toContain('orderCodePrefix');
    }
    expect((await caller.shops.get({ id: shop!.id })).orderCodePrefix).toBe('AZ-');
    expect(
      (await caller.shops.update({ ...base, orderCodePrefix: null })).orderCodePrefix,
    ).toBeNull();
    expect((await caller.shops.update({ ...base, orderCodePrefix: 'RT-' })).orderCodePrefix).toBe(
      'RT-',
    );
    expect(
      (await caller.shops.update({ ...base, orderCodePrefix: '' })).orderCodePrefix,
    ).toBeNull();
  });

  it('refuses a prefix another shop of the same 受注店舗 uses, naming the field and that shop, and keeps what was stored', async () => {
    // The demo maps two shops to one 受注店舗 (the case the prefix exists for).
    const shops = await caller.shops.list();
    const byStore = new Map<string, typeof shops>();
    for (const s of shops)
      if (s.orderStoreId !== null)
        byStore.set(s.orderStoreId, [...(byStore.get(s.orderStoreId) ?? []), s]);
    const pair = [...byStore.values()].find((list) => list.length >= 2);
    expect(pair).toBeDefined();
    const [first, second] = pair as [(typeof shops)[number], (typeof shops)[number]];
    const input = (s: (typeof shops)[number], orderCodePrefix: string | null) => ({
      id: s.id,
      name: s.name,
      mallKind: s.mallKind as 'ownSite',
      taxMode: s.taxMode as 'included',
      orderStoreId: s.orderStoreId,
      orderCodePrefix,
    });
    await caller.shops.update(input(first, 'RT-'));
    await caller.shops.update(input(second, 'AZ-'));
    const error = await trpcError(caller.shops.update(input(second, 'ＲＴ－')));
    expect(error.code).toBe('BAD_REQUEST');
    const said = JSON.stringify(error.cause ?? error.message);
    expect(said).toContain('orderCodePrefix');
    expect(said).toContain(first.name);
    expect((await caller.shops.get({ id: second.id })).orderCodePrefix).toBe('AZ-');
    // A new shop of that 受注店舗 cannot take it either; without a prefix it can.
    const added = {
      name: '別のモール店',
      mallKind: 'ownSite' as const,
      taxMode: first.taxMode as 'included',
      orderStoreId: first.orderStoreId,
    };
    expect((await trpcError(caller.shops.create({ ...added, orderCodePrefix: 'RT-' }))).code).toBe(
      'BAD_REQUEST',
    );
    expect(
      (await caller.shops.create({ ...added, orderCodePrefix: null })).orderCodePrefix,
    ).toBeNull();
  });
});
