import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  forkEm,
  Tenant,
  tenantRepositories,
  type ListedProduct,
  type ProductListQuery,
} from '../src/index.js';
import { COUNT_LIMIT } from '../src/capped-count.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/*
 * 出品商品一覧's page query: the search (beginning of the code as typed or normalised, the
 * management number, any part of the name, the whole Smaregi ID), each filter (sync state, open
 * drift, out of stock / in stock), each sort both ways with ties broken by ID, paging, and
 * another tenant's products never in the list.
 */
describe.each(testDialects())('product list (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantA: string;
  let tenantB: string;
  const ids: Record<string, string> = {};

  // code, name, Smaregi ID, effective stock, sync state, management number
  const PRODUCTS = [
    ['TS-001', 'Tシャツ 白 M', '8000001', 5, 'synced', 'SKU-1'],
    ['TS-002', 'Tシャツ 黒 M', '8000002', 0, 'synced', null],
    ['TS-010', 'Tシャツ 白 L', '8000010', -2, 'synced', null],
    ['CAP-1', 'キャップ Blue', '8000100', 12, 'synced', null],
    ['BAG-9', 'トートバッグ', null, null, 'failed', null],
    ['MUG_50%', 'マグカップ 50%', null, null, 'notImported', null],
  ] as const;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const a = em.create(Tenant, { name: 'A' });
    const b = em.create(Tenant, { name: 'B' });
    await em.flush();
    tenantA = a.id;
    tenantB = b.id;
    const repos = tenantRepositories(em, tenantA);
    let minute = 0;
    for (const [code, name, smaregiId, stock, syncState, mgmt] of PRODUCTS) {
      const at = new Date(Date.UTC(2026, 10, 1, 0, minute++));
      const p = repos.products.create({
        productCode: code,
        productCodeKey: code,
        name,
        managementNumber: mgmt,
        smaregiProductId: smaregiId,
        effectiveStock: stock,
        syncState,
        createdAt: at,
        updatedAt: at,
      });
      ids[code] = p.id;
    }
    // Another tenant's product with the same code and name: never in A's list.
    tenantRepositories(em, tenantB).products.create({
      productCode: 'TS-001',
      productCodeKey: 'TS-001',
      name: 'Tシャツ 白 M',
      smaregiProductId: '8000001',
      effectiveStock: 0,
      syncState: 'failed',
    });
    await em.flush();
    // updatedAt is set on every flush: give each product its own, in list order.
    let minute2 = 0;
    for (const [code] of PRODUCTS)
      await repos.products.update(
        { id: ids[code] },
        { updatedAt: new Date(Date.UTC(2026, 10, 2, 0, minute2++)) },
      );
    const product = (code: string) => em.getReference('ListedProduct', ids[code]!) as ListedProduct;
    // Open drift on TS-002 (twice) and CAP-1; TS-001's drift was resolved.
    for (const [code, resolved] of [
      ['TS-002', false],
      ['TS-002', false],
      ['CAP-1', false],
      ['TS-001', true],
    ] as const)
      repos.stockDrifts.create({
        product: product(code),
        smaregiStoreId: '1',
        renkeiAmount: 3,
        smaregiAmount: 1,
        resolvedAt: resolved ? new Date() : null,
      });
    await em.flush();
  });

  afterAll(async () => {
    await db?.close();
  });

  async function codes(query: ProductListQuery, page = 1, pageSize = 50, tenant = tenantA) {
    const result = await tenantRepositories(forkEm(db.orm), tenant).products.page(
      query,
      page,
      pageSize,
    );
    return result.items.map((p) => p.productCode);
  }

  it('lists by 商品ID by default, with the total and which rows have an open drift', async () => {
    const repo = tenantRepositories(forkEm(db.orm), tenantA).products;
    const page = await repo.page({}, 1, 4);
    expect(page.total).toBe(6);
    expect(page.items.map((p) => p.productCode)).toEqual(['BAG-9', 'CAP-1', 'MUG_50%', 'TS-001']);
    expect([...page.withOpenDrift]).toEqual([ids['CAP-1']]);
    expect(await codes({}, 2, 4)).toEqual(['TS-002', 'TS-010']);
  });

  it('searches the beginning of the code, as typed or normalised', async () => {
    expect(await codes({ search: 'TS-00' })).toEqual(['TS-001', 'TS-002']);
    // Full-width letters and a full-width minus, as a merchant may paste them.
    expect(await codes({ search: 'ＴＳ－０１' })).toEqual(['TS-010']);
    // Not the middle of a code.
    expect(await codes({ search: 'S-00' })).toEqual([]);
  });

  it('searches the management number, any part of the name and the whole Smaregi ID', async () => {
    expect(await codes({ search: 'SKU-' })).toEqual(['TS-001']);
    expect(await codes({ search: '白' })).toEqual(['TS-001', 'TS-010']);
    expect(await codes({ search: 'Blue' })).toEqual(['CAP-1']);
    // Case-sensitive on both dialects (SQLite's LIKE would ignore the case, PostgreSQL's not).
    expect(await codes({ search: 'blue' })).toEqual([]);
    expect(await codes({ search: '8000100' })).toEqual(['CAP-1']);
    expect(await codes({ search: '800010' })).toEqual([]);
  });

  it('takes wildcard characters literally', async () => {
    expect(await codes({ search: 'MUG_' })).toEqual(['MUG_50%']);
    expect(await codes({ search: '50%' })).toEqual(['MUG_50%']);
    expect(await codes({ search: 'M_G' })).toEqual([]);
    expect(await codes({ search: '%' })).toEqual(['MUG_50%']);
  });

  it('filters by sync state, open drift and stock', async () => {
    expect(await codes({ syncState: 'failed' })).toEqual(['BAG-9']);
    expect(await codes({ syncState: 'synced' })).toEqual(['CAP-1', 'TS-001', 'TS-002', 'TS-010']);
    expect(await codes({ syncState: 'notImported' })).toEqual(['MUG_50%']);
    expect(await codes({ drift: true })).toEqual(['CAP-1', 'TS-002']);
    expect(await codes({ drift: false })).toEqual(['BAG-9', 'MUG_50%', 'TS-001', 'TS-010']);
    // 0 and oversold are out of stock; products without a figure are in neither.
    expect(await codes({ stock: 'out' })).toEqual(['TS-002', 'TS-010']);
    expect(await codes({ stock: 'in' })).toEqual(['CAP-1', 'TS-001']);
    expect(await codes({ stock: 'out', drift: true, search: 'TS' })).toEqual(['TS-002']);
  });

  it('sorts by each column both ways', async () => {
    expect(await codes({ sort: 'code', order: 'desc' })).toEqual([
      'TS-010',
      'TS-002',
      'TS-001',
      'MUG_50%',
      'CAP-1',
      'BAG-9',
    ]);
    expect(await codes({ sort: 'smaregiId', search: 'TS' })).toEqual([
      'TS-001',
      'TS-002',
      'TS-010',
    ]);
    expect(await codes({ sort: 'smaregiId', order: 'desc', syncState: 'synced' })).toEqual([
      'CAP-1',
      'TS-010',
      'TS-002',
      'TS-001',
    ]);
    // Products without a figure count as the lowest, on both dialects.
    const byStock = await codes({ sort: 'effectiveStock' });
    expect(byStock.slice(2)).toEqual(['TS-010', 'TS-002', 'TS-001', 'CAP-1']);
    expect(byStock.slice(0, 2).sort()).toEqual(['BAG-9', 'MUG_50%']);
    const byStockDesc = await codes({ sort: 'effectiveStock', order: 'desc' });
    expect(byStockDesc.slice(0, 4)).toEqual(['CAP-1', 'TS-001', 'TS-002', 'TS-010']);
    expect(byStockDesc).toEqual([...byStock].reverse());
    expect(await codes({ sort: 'updatedAt', order: 'desc' })).toEqual([
      'MUG_50%',
      'BAG-9',
      'CAP-1',
      'TS-010',
      'TS-002',
      'TS-001',
    ]);
    // 白 L, 白 M, 黒 M (by code point on both dialects' test databases).
    expect(await codes({ sort: 'name', search: 'Tシャツ' })).toEqual([
      'TS-010',
      'TS-001',
      'TS-002',
    ]);
    expect(await codes({ sort: 'name', order: 'desc', search: 'Tシャツ' })).toEqual([
      'TS-002',
      'TS-001',
      'TS-010',
    ]);
  });

  it('counts the matches of a search on a page past the first, and past the last', async () => {
    const repo = tenantRepositories(forkEm(db.orm), tenantA).products;
    const second = await repo.page({ search: 'Tシャツ', sort: 'name' }, 2, 2);
    expect(second).toMatchObject({ total: 3, totalCapped: false });
    expect(second.items.map((p) => p.productCode)).toEqual(['TS-002']);
    expect([...second.withOpenDrift]).toEqual([ids['TS-002']]);
    const past = await repo.page({ search: 'Tシャツ' }, 3, 2);
    expect(past).toMatchObject({ items: [], total: 3, totalCapped: false });
    expect(await repo.page({ search: 'Tシャツ', stock: 'out' }, 2, 1)).toMatchObject({
      total: 2,
      totalCapped: false,
    });
    expect(await repo.page({ search: 'ZZ' }, 1, 2)).toMatchObject({ items: [], total: 0 });
  });

  it('sorts the matches of a search as the whole list, without a figure lowest', async () => {
    // 'M': two names (Tシャツ … M) and a code (MUG_50%, no 有効在庫数).
    expect(await codes({ search: 'M', sort: 'effectiveStock' })).toEqual([
      'MUG_50%',
      'TS-002',
      'TS-001',
    ]);
    expect(await codes({ search: 'M', sort: 'effectiveStock', order: 'desc' })).toEqual([
      'TS-001',
      'TS-002',
      'MUG_50%',
    ]);
    expect(await codes({ search: 'M', sort: 'updatedAt', order: 'desc' })).toEqual([
      'MUG_50%',
      'TS-002',
      'TS-001',
    ]);
  });

  it('sorts スマレジ商品ID by number, products without one lowest', async () => {
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: 'D' });
    await em.flush();
    const repos = tenantRepositories(em, tenant.id);
    for (const [code, smaregiId] of [
      ['A', '10'],
      ['B', '9'],
      ['C', null],
      ['D', '100'],
      ['E', '8000001'],
      ['F', '11'],
    ] as const)
      repos.products.create({
        productCode: code,
        productCodeKey: code,
        name: `数字 ${code}`,
        smaregiProductId: smaregiId,
      });
    await em.flush();
    const asc = ['C', 'B', 'A', 'F', 'D', 'E'];
    for (const search of [undefined, '数字']) {
      expect(await codes({ sort: 'smaregiId', search }, 1, 50, tenant.id)).toEqual(asc);
      expect(await codes({ sort: 'smaregiId', order: 'desc', search }, 1, 50, tenant.id)).toEqual(
        [...asc].reverse(),
      );
      expect(await codes({ sort: 'smaregiId', search }, 2, 4, tenant.id)).toEqual(['D', 'E']);
    }
  });

  it('counts a search up to COUNT_LIMIT matches, and still pages past them', async () => {
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: 'C' });
    await em.flush();
    const repos = tenantRepositories(em, tenant.id);
    const n = COUNT_LIMIT + 5;
    const code = (i: number) => `BULK-${String(i).padStart(5, '0')}`;
    await repos.products.insertAll(
      Array.from({ length: n }, (_, i) =>
        repos.products.draft({
          productCode: code(i),
          productCodeKey: code(i),
          // Names in the opposite order of the codes.
          name: `大量 ${String(n - i).padStart(5, '0')}`,
          effectiveStock: i % 7,
        }),
      ),
    );
    const page = (query: ProductListQuery, p: number, size: number) =>
      tenantRepositories(forkEm(db.orm), tenant.id).products.page(query, p, size);
    const codesOf = (found: { items: ListedProduct[] }) => found.items.map((p) => p.productCode);

    // Every product matches: the total stops at the limit, the page is still the first in order.
    const first = await page({ search: '大量' }, 1, 3);
    expect(first).toMatchObject({ total: COUNT_LIMIT, totalCapped: true });
    expect(codesOf(first)).toEqual([code(0), code(1), code(2)]);
    expect(codesOf(await page({ search: '大量', sort: 'name' }, 1, 2))).toEqual([
      code(n - 1),
      code(n - 2),
    ]);
    // The products past the limit are still there, page by page.
    const past = await page({ search: '大量' }, COUNT_LIMIT / 50 + 1, 50);
    expect(past).toMatchObject({ total: COUNT_LIMIT, totalCapped: true });
    expect(codesOf(past)).toEqual([0, 1, 2, 3, 4].map((i) => code(COUNT_LIMIT + i)));
    // Past the last page: nothing, and still "more than COUNT_LIMIT".
    expect(await page({ search: '大量' }, COUNT_LIMIT / 50 + 2, 50)).toMatchObject({
      items: [],
      total: COUNT_LIMIT,
      totalCapped: true,
    });
    // A search finding fewer is counted exactly, as is a filter whatever it finds.
    expect(await page({ search: 'BULK-0000' }, 2, 3)).toMatchObject({
      total: 10,
      totalCapped: false,
    });
    expect(await page({}, 1, 1)).toMatchObject({ total: n, totalCapped: false });
    expect(await page({ stock: 'in' }, 1, 1)).toMatchObject({
      total: n - Math.ceil(n / 7),
      totalCapped: false,
    });
  });

  it('pages through equal keys without losing or repeating a product', async () => {
    const em = forkEm(db.orm);
    const repos = tenantRepositories(em, tenantA);
    for (let i = 0; i < 7; i++)
      repos.products.create({
        productCode: `SAME-${i}`,
        productCodeKey: `SAME-${i}`,
        name: '同じ名前',
        effectiveStock: 1,
      });
    await em.flush();
    for (const sort of ['name', 'effectiveStock'] as const)
      for (const order of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        for (let page = 1; page <= 5; page++)
          seen.push(...(await codes({ search: '同じ', sort, order }, page, 2)));
        expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `SAME-${i}`));
      }
  });

  it("never lists another tenant's products", async () => {
    expect(await codes({}, 1, 50, tenantB)).toEqual(['TS-001']);
    expect(await codes({ syncState: 'synced' }, 1, 50, tenantB)).toEqual([]);
    expect(await codes({ drift: true }, 1, 50, tenantB)).toEqual([]);
    const page = await tenantRepositories(forkEm(db.orm), tenantB).products.page(
      { search: 'TS-001' },
      1,
      50,
    );
    expect(page.total).toBe(1);
    expect(page.withOpenDrift.size).toBe(0);
  });
});
