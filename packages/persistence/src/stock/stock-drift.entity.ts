import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { MessageRef } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { ListedProduct } from '../products/listed-product.entity.js';
import { messageColumns, storedMessage } from '../stored-message.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * A difference found by reconciliation between Renkei's figure and Smaregi's. Recorded and shown,
 * never silently overwritten (docs/flows.md §6); resolved when the merchant acknowledges it or the
 * figures agree again.
 */
export class StockDrift {
  [OptionalProps]?: 'detectedAt';
  id!: string;
  tenant!: Tenant;
  product!: ListedProduct;
  smaregiStoreId!: string;
  renkeiAmount!: number;
  smaregiAmount!: number;
  detectedAt: Date = new Date();
  resolvedAt?: Date | null;
  /** What was done about the difference, as a message code with parameters ({@link driftNoteOf}). */
  noteCode?: string | null;
  noteParams?: Record<string, unknown> | null;
}

export const StockDriftSchema = new EntitySchema<StockDrift>({
  class: StockDrift,
  tableName: 'stock_drifts',
  indexes: [
    { name: 'stock_drifts_tenant_detected_idx', properties: ['tenant', 'detectedAt'] },
    // The products with a drift not resolved yet (出品商品一覧's filter; Migration20261202020000).
    {
      name: 'stock_drifts_tenant_open_idx',
      properties: ['tenant', 'resolvedAt', 'product'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    product: { kind: 'm:1', entity: () => ListedProduct, deleteRule: 'cascade' },
    smaregiStoreId: { type: 'string', length: 50 },
    renkeiAmount: { type: 'integer' },
    smaregiAmount: { type: 'integer' },
    detectedAt: { ...dateTimeColumn, onCreate: () => new Date() },
    resolvedAt: { ...dateTimeColumn, nullable: true },
    noteCode: { type: 'string', length: 50, nullable: true },
    noteParams: { type: 'json', nullable: true },
  },
});

/** The drift's note, ready to render; null when it has none. */
export function driftNoteOf(drift: Pick<StockDrift, 'noteCode' | 'noteParams'>): MessageRef | null {
  return storedMessage(drift.noteCode, drift.noteParams);
}

/** The columns of a drift's note; null clears it. */
export const driftNoteColumns = (ref: MessageRef | null) => messageColumns('note', ref);
