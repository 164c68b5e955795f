import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkEm, Shop, Tenant, tenantRepositories } from '../src/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../src/testing.js';

/*
 * What Smaregi says of the 受注店舗 (name, 販売区分) is kept on the shops mapped to them, so the
 * worker can hold the orders of a shop whose 税込 / 税別 does not match without a call per order.
 */
describe.each(testDialects())('shops record their order stores (%s)', (dialect) => {
  let db: TestDatabase;
  let tenantId: string;
  let otherTenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    const em = forkEm(db.orm);
    const tenant = em.create(Tenant, { name: 'A' });
    const other = em.create(Tenant, { name: 'B' });
    await em.flush();
    tenantId = tenant.id;
    otherTenantId = other.id;
    const shop = (t: string, name: string, orderStoreId: string | null) =>
      em.create(Shop, {
        tenant: t,
        name,
        mallKind: 'rakuten',
        taxMode: 'included',
        orderStoreId,
        orderStoreName: orderStoreId === null ? null : '旧名',
      });
    shop(tenantId, '楽天市場店', '23');
    shop(tenantId, 'Amazon店', '23');
    shop(tenantId, 'Yahoo店', '24');
    shop(tenantId, '自社サイト', null);
    shop(otherTenantId, '他社の店', '23');
    await em.flush();
  });
  afterAll(async () => {
    await db.close();
  });

  const shopsOf = async (t: string) =>
    (await tenantRepositories(forkEm(db.orm), t).shops.list()).map((s) => [
      s.name,
      s.orderStoreName ?? null,
      s.orderStoreSellDivision ?? null,
    ]);

  it('stores name and sell division on every shop of the store, and only those', async () => {
    const repos = tenantRepositories(forkEm(db.orm), tenantId);
    const changed = await repos.shops.recordOrderStores([
      { storeId: '23', storeName: 'EC楽天', sellDivision: 'excluded' },
      { storeId: '99', storeName: '未使用', sellDivision: 'included' },
    ]);
    expect(changed).toBe(2);
    expect(await shopsOf(tenantId)).toEqual([
      ['Amazon店', 'EC楽天', 'excluded'],
      ['Yahoo店', '旧名', null],
      ['楽天市場店', 'EC楽天', 'excluded'],
      ['自社サイト', null, null],
    ]);
    // Another tenant's shop on a store with the same ID is not touched.
    expect(await shopsOf(otherTenantId)).toEqual([['他社の店', '旧名', null]]);
  });

  it('writes nothing when nothing changed, and forgets a division Smaregi stops sending', async () => {
    const repos = tenantRepositories(forkEm(db.orm), tenantId);
    const same = { storeId: '23', storeName: 'EC楽天', sellDivision: 'excluded' };
    expect(await repos.shops.recordOrderStores([same])).toBe(0);
    expect(await repos.shops.recordOrderStores([{ ...same, sellDivision: null }])).toBe(2);
    expect((await shopsOf(tenantId))[0]).toEqual(['Amazon店', 'EC楽天', null]);
  });
});
