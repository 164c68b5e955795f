import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { ListedProduct } from '../products/listed-product.entity.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** Where a stock figure came from. */
export const STOCK_SOURCES = ['webhook', 'reconciliation', 'oms'] as const;
export type StockSource = (typeof STOCK_SOURCES)[number];

/** Smaregi's stock of one product in one Smaregi store / warehouse, as Renkei last saw it. */
export class StockLevel {
  [OptionalProps]?: 'allocatedAmount' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  product!: ListedProduct;
  smaregiStoreId!: string;
  stockAmount!: number;
  allocatedAmount = 0;
  source!: StockSource;
  updatedAt: Date = new Date();
}

export const StockLevelSchema = new EntitySchema<StockLevel>({
  class: StockLevel,
  tableName: 'stock_levels',
  uniques: [
    {
      name: 'stock_levels_tenant_product_store_unique',
      properties: ['tenant', 'product', 'smaregiStoreId'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    product: { kind: 'm:1', entity: () => ListedProduct, deleteRule: 'cascade' },
    smaregiStoreId: { type: 'string', length: 50 },
    stockAmount: { type: 'integer' },
    allocatedAmount: { type: 'integer', default: 0 },
    source: { type: 'string', length: 20 },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
