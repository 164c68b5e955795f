import { forkEm, tenantRepositories, type ListedProduct } from '@renkei/persistence';
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
 * 出品商品一覧 through tRPC as the admin calls it, on a real database: the filters and sorts, the
 * drift mark, bad values refused at their field, and [内訳] (`products.stockFigures`) computing
 * the effective stock with the worker's rule over the stored facts under each setting.
 */
describe.each(testDialects())('product list and stock figures (%s)', (dialect) => {
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
    const em = forkEm(t.deps.orm);
    const repos = tenantRepositories(em, a.tenantId);
    const rows = [
      // code, name, Smaregi ID, effective stock, sync state
      ['TS-001', 'Tシャツ 白', '8001', 3, 'synced'],
      ['TS-002', 'Tシャツ 黒', '8002', 0, 'synced'],
      ['BAG-1', 'トートバッグ', null, null, 'failed'],
    ] as const;
    for (const [code, name, smaregiProductId, effectiveStock, syncState] of rows) {
      const p = repos.products.create({
        productCode: code,
        productCodeKey: code,
        name,
        smaregiProductId,
        effectiveStock,
        stockAmount: effectiveStock,
        syncState,
        stockUpdatedAt: effectiveStock === null ? null : new Date('2026-11-30T08:00:00Z'),
      });
      ids[code] = p.id;
    }
    const product = (code: string) => em.getReference('ListedProduct', ids[code]!) as ListedProduct;
    // TS-001: 5 in the warehouse (store 1, 2 allocated), 9 in a POS store (store 2).
    repos.stockLevels.create({
      product: product('TS-001'),
      smaregiStoreId: '1',
      stockAmount: 5,
      allocatedAmount: 2,
      source: 'reconciliation',
    });
    repos.stockLevels.create({
      product: product('TS-001'),
      smaregiStoreId: '2',
      stockAmount: 9,
      allocatedAmount: 0,
      source: 'webhook',
    });
    repos.stockDrifts.create({
      product: product('TS-001'),
      smaregiStoreId: '1',
      renkeiAmount: 7,
      smaregiAmount: 5,
    });
    repos.stockDrifts.create({
      product: product('TS-002'),
      smaregiStoreId: '1',
      renkeiAmount: 1,
      smaregiAmount: 0,
      resolvedAt: new Date(),
    });
    // Another tenant's product with the same code.
    tenantRepositories(em, b.tenantId).products.create({
      productCode: 'TS-001',
      productCodeKey: 'TS-001',
      name: 'Tシャツ 白',
      syncState: 'failed',
    });
    // The warehouse of the shop's 受注店舗: store 1.
    await repos.shops.update({ id: a.shopId }, { orderStoreId: '10', warehouseStoreId: '1' });
    await em.flush();
  });

  afterAll(async () => {
    await t?.close();
  });

  const codes = async (input: Parameters<Caller['products']['list']>[0]) =>
    (await caller.products.list(input)).items.map((p) => p.productCode);

  it('filters and sorts, with the open drift marked on its row', async () => {
    const all = await caller.products.list({});
    expect(all.items.map((p) => [p.productCode, p.openDrift])).toEqual([
      ['BAG-1', false],
      ['TS-001', true],
      ['TS-002', false],
    ]);
    expect(all.total).toBe(3);
    expect(all.totalCapped).toBe(false);
    // A search counts every match, on a page past the first too.
    const second = await caller.products.list({ search: 'Tシャツ', page: 2, pageSize: 1 });
    expect(second).toMatchObject({ total: 2, totalCapped: false });
    expect(second.items.map((p) => [p.productCode, p.openDrift])).toEqual([['TS-002', false]]);
    expect(await codes({ syncState: 'failed' })).toEqual(['BAG-1']);
    expect(await codes({ drift: true })).toEqual(['TS-001']);
    expect(await codes({ stock: 'out' })).toEqual(['TS-002']);
    expect(await codes({ stock: 'in' })).toEqual(['TS-001']);
    expect(await codes({ sort: 'effectiveStock', order: 'desc' })).toEqual([
      'TS-001',
      'TS-002',
      'BAG-1',
    ]);
    expect(await codes({ sort: 'smaregiId', order: 'desc', syncState: 'synced' })).toEqual([
      'TS-002',
      'TS-001',
    ]);
    expect(await codes({ search: 'ＴＳ－００２' })).toEqual(['TS-002']);
    expect(await codes({ search: '8001' })).toEqual(['TS-001']);
  });

  it("never lists or explains another tenant's products", async () => {
    const other = await callerB.products.list({});
    expect(other.items.map((p) => p.productCode)).toEqual(['TS-001']);
    expect(other.items[0]?.openDrift).toBe(false);
    expect((await callerB.products.list({ drift: true })).total).toBe(0);
    const refused = await refusal(callerB.products.stockFigures({ id: ids['TS-001']! }));
    expect(refused.code).toBe('NOT_FOUND');
  });

  it('refuses an unknown sort, order or filter at its field', async () => {
    for (const [input, field, ja] of [
      [{ sort: 'price' }, 'sort', '並び順'],
      [{ order: 'up' }, 'order', '昇順・降順'],
      [{ syncState: 'lost' }, 'syncState', '連携状態'],
      [{ stock: 'some' }, 'stock', '在庫'],
      [{ drift: 'yes' }, 'drift', '在庫差異'],
    ] as const) {
      const error = await refusal(caller.products.list(input as never));
      expect(error.fieldErrors.map((e) => e.path)).toEqual([field]);
      expect(error.fieldErrors[0]?.message.ja).toContain(ja);
    }
  });

  it('[内訳] under 受注店舗の倉庫 and 受注在庫引当数量: the warehouse row less its allocation', async () => {
    const f = await caller.products.stockFigures({ id: ids['TS-001']! });
    expect(f.stockBasis).toBe('orderStoreWarehouse');
    expect(f.effectiveStockMode).toBe('smaregiAllocation');
    expect(f.warehouse).toEqual({ storeId: '1', shopName: '楽天市場店' });
    expect(
      f.rows.map((r) => [r.smaregiStoreId, r.stockAmount, r.allocatedAmount, r.counted]),
    ).toEqual([
      ['1', 5, 2, true],
      ['2', 9, 0, false],
    ]);
    expect(f.computed).toEqual({ stockAmount: 5, reserved: 2, effectiveStock: 3 });
    expect(f.openOrderQuantity).toBeNull();
    expect(f.listed.effectiveStock).toBe(3);
    expect(f.drifts).toEqual([
      expect.objectContaining({ smaregiStoreId: '1', expected: 7, smaregi: 5 }),
    ]);
    // A product not imported has no figure, and says why.
    const bag = await caller.products.stockFigures({ id: ids['BAG-1']! });
    expect(bag.computed).toBeNull();
    expect(bag.problem).toBe('notImported');
  });

  it('[内訳] under all stores and 受注購入数量: every store less the open orders', async () => {
    // An open order for 2 of TS-001 (validOrder's line).
    await caller.orders.create(validOrder(a, { orderNumber: 'R-9001' }) as never);
    await caller.settings.update({ stockBasis: 'allStores', effectiveStockMode: 'omsPurchase' });
    const f = await caller.products.stockFigures({ id: ids['TS-001']! });
    expect(f.warehouse).toBeNull();
    expect(f.rows.every((r) => r.counted)).toBe(true);
    expect(f.openOrderQuantity).toBe(2);
    expect(f.computed).toEqual({ stockAmount: 14, reserved: 2, effectiveStock: 12 });
    // The list still shows the stored figure until the worker recomputes it.
    expect(f.listed.effectiveStock).toBe(3);
  });

  it('[内訳] under 受注店舗の倉庫 without a warehouse set: no figure, and why', async () => {
    await caller.settings.update({ stockBasis: 'orderStoreWarehouse' });
    const repos = tenantRepositories(forkEm(t.deps.orm), a.tenantId);
    await repos.shops.update({ id: a.shopId }, { warehouseStoreId: null });
    // A caller of its own: one context keeps what it loaded, as one HTTP request does.
    ({ caller } = await signedInCaller(t.deps, a));
    const f = await caller.products.stockFigures({ id: ids['TS-001']! });
    expect(f.warehouse).toEqual({ storeId: null, shopName: '楽天市場店' });
    expect(f.computed).toBeNull();
    expect(f.problem).toBe('warehouseNotSet');
  });
});
