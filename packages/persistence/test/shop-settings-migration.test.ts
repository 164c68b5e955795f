import { afterEach, describe, expect, it } from 'vitest';
import { forkEm, Shop, tenantRepositories } from '../src/index.js';
import { testDialects } from '../src/testing.js';
import { schemaBefore, type SchemaBefore } from './support/schema-before.js';

/*
 * Migration20261130212000 adds the warehouse and auto-allocation settings to shops. A database
 * made by the previous schema, with a mapped shop in it, must come out with the shop intact and
 * both settings unknown (null), ready to be filled in.
 */
describe.each(testDialects())('shop settings migration (%s)', (dialect) => {
  let before: SchemaBefore | undefined;
  afterEach(async () => {
    await before?.close();
    before = undefined;
  });

  it('keeps existing shops and starts their warehouse and auto-allocation as unknown', async () => {
    before = await schemaBefore(dialect, 'Migration20261130212000');
    expect(await before.columnsOf('shops')).not.toContain('warehouse_store_id');
    const now = before.at('2026-11-01T00:00:00Z');
    await before.insert('tenants', { id: 't-1', name: 'テスト商店', demo: false, created_at: now });
    await before.insert('shops', {
      id: 's-1',
      tenant_id: 't-1',
      name: '楽天市場店',
      mall_kind: 'rakuten',
      tax_mode: 'excluded',
      active: true,
      order_store_id: '6',
      order_store_name: 'EC受注店舗(外税)',
      created_at: now,
      updated_at: now,
    });

    await before.migrateRest();
    const orm = before.db.orm;

    const em = forkEm(orm);
    const shop = await em.findOneOrFail(Shop, { id: 's-1' });
    expect({
      name: shop.name,
      taxMode: shop.taxMode,
      orderStoreId: shop.orderStoreId,
      orderStoreName: shop.orderStoreName,
      warehouseStoreId: shop.warehouseStoreId,
      warehouseOrigin: shop.warehouseOrigin,
      autoAllocation: shop.autoAllocation,
      autoAllocationOrigin: shop.autoAllocationOrigin,
    }).toEqual({
      name: '楽天市場店',
      taxMode: 'excluded',
      orderStoreId: '6',
      orderStoreName: 'EC受注店舗(外税)',
      warehouseStoreId: null,
      warehouseOrigin: null,
      autoAllocation: null,
      autoAllocationOrigin: null,
    });

    // The new columns take the merchant's setting, including an explicit OFF.
    shop.warehouseStoreId = '4';
    shop.warehouseOrigin = 'merchant';
    shop.autoAllocation = false;
    shop.autoAllocationOrigin = 'merchant';
    await em.flush();
    const again = await tenantRepositories(forkEm(orm), 't-1').shops.findById('s-1');
    expect([again?.warehouseStoreId, again?.autoAllocation]).toEqual(['4', false]);
  });
});
