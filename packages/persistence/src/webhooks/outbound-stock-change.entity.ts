import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { StockChange } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * A product whose 有効在庫数 changed and is not yet in a `stock.changed` event: one row per
 * product, overwritten by each further change (the latest figures win), gathered into one event
 * per tenant within the coalescing second (docs/webhooks.md). Written only when an endpoint of
 * the tenant receives `stock.changed`.
 */
export class OutboundStockChange {
  [OptionalProps]?: 'version';
  id!: string;
  tenant!: Tenant;
  productCode!: string;
  figures!: StockChange;
  /** Raised by each change: the flush removes the row only if no change came since it read it. */
  version = 1;
  changedAt!: Date;
}

export const OutboundStockChangeSchema = new EntitySchema<OutboundStockChange>({
  class: OutboundStockChange,
  tableName: 'outbound_stock_changes',
  uniques: [
    {
      name: 'outbound_stock_changes_tenant_product_unique',
      properties: ['tenant', 'productCode'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    productCode: { type: 'string', length: 100 },
    figures: { type: 'json' },
    version: { type: 'integer', default: 1 },
    changedAt: { ...dateTimeColumn },
  },
});
