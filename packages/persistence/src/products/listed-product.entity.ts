import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { MessageRef } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { messageColumns, storedMessage } from '../stored-message.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** not imported yet | imported and current | import or update failed (`lastErrorCode`). */
export const PRODUCT_SYNC_STATES = ['notImported', 'synced', 'failed'] as const;
export type ProductSyncState = (typeof PRODUCT_SYNC_STATES)[number];

/** 出品商品: an OMS product; after import it carries its Smaregi product ID and stock figures. */
export class ListedProduct {
  [OptionalProps]?: 'syncState' | 'stockRecomputeRequests' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  /** 商品番号 as displayed (original characters). */
  productCode!: string;
  /** NFKC-normalised product code, the matching key (unique per tenant). */
  productCodeKey!: string;
  /** 商品管理番号 (SKU). */
  managementNumber?: string | null;
  name!: string;
  price?: number | null;
  smaregiProductId?: string | null;
  /** Effective stock (有効在庫数) as last computed by the worker. */
  effectiveStock?: number | null;
  stockAmount?: number | null;
  allocatedAmount?: number | null;
  stockUpdatedAt?: Date | null;
  /**
   * Recomputes of the stock figures asked for since the last one (an allocation, registration,
   * shipment or cancel of an order with this product): > 0 means they are stale. A counter, not a
   * flag, so that a request made while a recompute runs is not cleared by it (docs/flows.md §6).
   */
  stockRecomputeRequests = 0;
  syncState: ProductSyncState = 'notImported';
  lastSyncedAt?: Date | null;
  /** Why the import or update failed, as a message code with parameters (see {@link productErrorOf}). */
  lastErrorCode?: string | null;
  lastErrorParams?: Record<string, unknown> | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
  /**
   * Where the product's last change of stock figures stands in the stock feed
   * (`GET /api/v1/stock`) and when it was made: set by database triggers when a figure the feed
   * shows or one of its stock rows changes (Migration20261203010000), never by the application;
   * not loaded unless asked for.
   */
  stockFeedPosition?: string | null;
  stockFeedChangedAt?: Date | null;
}

export const ListedProductSchema = new EntitySchema<ListedProduct>({
  class: ListedProduct,
  tableName: 'listed_products',
  uniques: [
    { name: 'listed_products_tenant_code_key_unique', properties: ['tenant', 'productCodeKey'] },
    {
      name: 'listed_products_tenant_smaregi_id_unique',
      properties: ['tenant', 'smaregiProductId'],
    },
  ],
  indexes: [
    // 出品商品一覧: each sort after the tenant, the ID breaking ties, and the sync state filter in
    // 商品ID order (Migration20261202020000; products/product-list.ts).
    { name: 'listed_products_tenant_name_idx', properties: ['tenant', 'name', 'id'] },
    {
      name: 'listed_products_tenant_stock_idx',
      properties: ['tenant', 'effectiveStock', 'id'],
    },
    { name: 'listed_products_tenant_updated_idx', properties: ['tenant', 'updatedAt', 'id'] },
    // スマレジ商品ID by number: by length, then by text (Migration20261202080000; on PostgreSQL
    // with nulls first, which the migration says).
    {
      name: 'listed_products_tenant_smaregi_number_idx',
      expression: (table, columns, name) =>
        `create index ${name} on ${table.name} (${columns.tenant}, length(${columns.smaregiProductId}), ${columns.smaregiProductId}, ${columns.id})`,
    },
    {
      name: 'listed_products_tenant_sync_code_idx',
      properties: ['tenant', 'syncState', 'productCodeKey'],
    },
    // Lines naming a product by 商品管理番号 (productIndexFor) and the list's search.
    {
      name: 'listed_products_tenant_management_number_idx',
      properties: ['tenant', 'managementNumber'],
    },
    {
      name: 'listed_products_tenant_stock_recompute_idx',
      properties: ['tenant', 'stockRecomputeRequests'],
    },
    // The stock feed reads a tenant's products in position order, `updatedSince` checked on the
    // index itself (changes/change-feed.ts).
    {
      name: 'listed_products_tenant_stock_feed_idx',
      properties: ['tenant', 'stockFeedPosition', 'id', 'stockFeedChangedAt'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    productCode: { type: 'string', length: 100 },
    productCodeKey: { type: 'string', length: 100 },
    managementNumber: { type: 'string', length: 100, nullable: true },
    name: { type: 'string', length: 255 },
    price: { type: 'integer', nullable: true },
    smaregiProductId: { type: 'string', length: 50, nullable: true },
    effectiveStock: { type: 'integer', nullable: true },
    stockAmount: { type: 'integer', nullable: true },
    allocatedAmount: { type: 'integer', nullable: true },
    stockUpdatedAt: { ...dateTimeColumn, nullable: true },
    stockRecomputeRequests: { type: 'integer', default: 0 },
    syncState: { type: 'string', length: 20, default: 'notImported' },
    lastSyncedAt: { ...dateTimeColumn, nullable: true },
    lastErrorCode: { type: 'string', length: 50, nullable: true },
    lastErrorParams: { type: 'json', nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
    stockFeedPosition: { type: 'bigint', nullable: true, lazy: true },
    stockFeedChangedAt: { ...dateTimeColumn, nullable: true, lazy: true },
  },
});

/** Why the product's import or update failed, ready to render; null when it did not. */
export function productErrorOf(
  product: Pick<ListedProduct, 'lastErrorCode' | 'lastErrorParams'>,
): MessageRef | null {
  return storedMessage(product.lastErrorCode, product.lastErrorParams);
}

/** The columns of a product's failure; null clears it. */
export const productErrorColumns = (ref: MessageRef | null) => messageColumns('lastError', ref);
