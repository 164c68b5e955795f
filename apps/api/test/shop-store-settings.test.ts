import { TRPCError } from '@trpc/server';
import { testDialects } from '@renkei/persistence/testing';
import {
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  DEMO_STORE_IDS,
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
const fieldsOf = (error: TRPCError) =>
  (error.cause as unknown as { fieldErrors: { path: string; message: { ja: string } }[] })
    .fieldErrors;

/*
 * The 倉庫 and 自動引当 of each shop's 受注店舗 are Renkei's settings (docs/smaregi-wire.md §4.4):
 * with Smaregi's store object lacking them (as every public source shows it), a mapped shop starts
 * unknown and is not ready until the merchant sets them; when Smaregi does send them they prefill
 * the shop with origin `smaregi`.
 */
describe.each(testDialects())('shop warehouse and auto-allocation settings (%s)', (dialect) => {
  let sim: RunningSimulator;
  let t: TestApp;
  let caller: Awaited<ReturnType<typeof signedInCaller>>['caller'];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 5 });
    sim.control.setModeledSurface({ orderStoreStockFields: false });
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

  it('a mapped shop whose store object says nothing is unknown, not "no warehouse / OFF", and not ready', async () => {
    const shops = await caller.shops.list();
    expect(shops.length).toBeGreaterThan(0);
    for (const shop of shops)
      expect(shop).toMatchObject({
        orderStoreId: DEMO_STORE_IDS.orderStoreIncluded,
        warehouseStoreId: null,
        warehouseOrigin: null,
        autoAllocation: null,
        autoAllocationOrigin: null,
      });
    const stores = await caller.shops.orderStores();
    expect(stores.every((s) => s.stockStoreId === null && s.autoAllocation === null)).toBe(true);
    const item = (await caller.readiness.get()).items.find((i) => i.id === 'orderStoreWarehouse');
    expect(item).toMatchObject({ passed: false, blocking: true, fixAt: 'shops' });
    expect(item?.message.ja).toContain('店舗 (モール) ごとの設定');
    expect(item?.details).toContain(`${shops[0]!.name}: 倉庫・自動引当`);
  });

  it('the merchant sets them from the live POS store list; a wrong warehouse is refused naming the field', async () => {
    const posStores = await caller.shops.posStores();
    expect(posStores.map((s) => s.storeId)).toContain(DEMO_STORE_IDS.warehouse);
    expect(posStores.map((s) => s.storeId)).not.toContain(DEMO_STORE_IDS.orderStoreIncluded);

    const [shop] = await caller.shops.list();
    const base = {
      id: shop!.id,
      name: shop!.name,
      mallKind: shop!.mallKind as 'ownSite',
      taxMode: shop!.taxMode as 'included',
      orderStoreId: shop!.orderStoreId,
    };
    const wrong = await trpcError(
      caller.shops.update({ ...base, warehouseStoreId: DEMO_STORE_IDS.orderStoreIncluded }),
    );
    expect(wrong.code).toBe('BAD_REQUEST');
    expect(fieldsOf(wrong).map((f) => f.path)).toEqual(['warehouseStoreId']);
    expect(fieldsOf(wrong)[0]?.message.ja).toContain('倉庫');

    for (const s of await caller.shops.list()) {
      const saved = await caller.shops.update({
        id: s.id,
        name: s.name,
        mallKind: s.mallKind as 'ownSite',
        taxMode: s.taxMode as 'included',
        orderStoreId: s.orderStoreId,
        warehouseStoreId: DEMO_STORE_IDS.warehouse,
        autoAllocation: false,
      });
      expect(saved).toMatchObject({
        warehouseStoreId: DEMO_STORE_IDS.warehouse,
        warehouseOrigin: 'merchant',
        autoAllocation: false,
        autoAllocationOrigin: 'merchant',
      });
    }
    // Omitted = unchanged (older clients, the add form).
    const renamed = await caller.shops.update({ ...base, name: `${base.name}` });
    expect(renamed.autoAllocation).toBe(false);
    const item = (await caller.readiness.get()).items.find((i) => i.id === 'orderStoreWarehouse');
    expect(item?.passed).toBe(true);
  });

  it('prefills from Smaregi when its store object carries them, with origin smaregi', async () => {
    sim.control.setModeledSurface({ orderStoreStockFields: true });
    const created = await caller.shops.create({
      name: '楽天市場店(外税)',
      mallKind: 'rakuten',
      taxMode: 'excluded',
      orderStoreId: DEMO_STORE_IDS.orderStoreExcluded,
    });
    expect(created).toMatchObject({
      warehouseStoreId: DEMO_STORE_IDS.warehouse,
      warehouseOrigin: 'smaregi',
      autoAllocation: true,
      autoAllocationOrigin: 'smaregi',
    });
    // The merchant turns it OFF: their setting wins and says so.
    const changed = await caller.shops.update({
      id: created.id,
      name: created.name,
      mallKind: 'rakuten',
      taxMode: 'excluded',
      orderStoreId: created.orderStoreId,
      autoAllocation: false,
    });
    expect(changed).toMatchObject({ autoAllocation: false, autoAllocationOrigin: 'merchant' });
    // Setting it back to what Smaregi says is Smaregi's value again.
    const back = await caller.shops.update({
      id: created.id,
      name: created.name,
      mallKind: 'rakuten',
      taxMode: 'excluded',
      orderStoreId: created.orderStoreId,
      autoAllocation: true,
    });
    expect(back.autoAllocationOrigin).toBe('smaregi');
  });
});
