import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * Where a shop's warehouse or auto-allocation setting came from: read from the 受注店舗 object
 * Smaregi sent (`smaregi`), or chosen by the merchant on the shop screen (`merchant`).
 */
export const settingOrigins = ['smaregi', 'merchant'] as const;
export type SettingOrigin = (typeof settingOrigins)[number];

/** 店舗(モール): an OMS sales channel, mapped to one Smaregi 受注店舗. */
export class Shop {
  [OptionalProps]?: 'active' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  name!: string;
  /** rakuten | amazon | yahoo | ownSite | other (domain `mallKinds`). */
  mallKind!: string;
  /** 税込 = included, 税別 = excluded; must equal the order store's sellDivision. */
  taxMode!: string;
  active = true;
  orderStoreId?: string | null;
  orderStoreName?: string | null;
  /**
   * 販売区分 of the mapped 受注店舗 as last read from Smaregi (`sellDivision`: `included` 内税販売 /
   * `excluded` 外税販売), kept so that the worker can hold the orders of a shop whose 税込 / 税別
   * does not match it without asking Smaregi per order. Refreshed whenever Renkei reads the
   * 受注店舗 (mapping, readiness, the worker's periodic read). null = not known.
   */
  orderStoreSellDivision?: string | null;
  /**
   * 倉庫: the Smaregi POS store (normally a warehouse) whose stock serves the mapped 受注店舗.
   * Renkei's own setting: no public Smaregi source shows it on the 受注店舗 object
   * (docs/smaregi-wire.md §4.4), so it is prefilled from Smaregi only when Smaregi sends it.
   * null = unknown (not set yet).
   */
  warehouseStoreId?: string | null;
  /** Where {@link warehouseStoreId} came from (`settingOrigins`); null while unknown. */
  warehouseOrigin?: string | null;
  /** 自動引当: the 受注店舗 allocates at registration (自動処理 tab). null = unknown. */
  autoAllocation?: boolean | null;
  /** Where {@link autoAllocation} came from (`settingOrigins`); null while unknown. */
  autoAllocationOrigin?: string | null;
  /**
   * 受注番号の接頭辞 (e.g. `RT-`): put before the order number in the Smaregi order code (domain
   * `shopOrderCode`). Two shops mapped to one 受注店舗 need different prefixes when their malls
   * can hand out the same order number. null = none.
   */
  orderCodePrefix?: string | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const ShopSchema = new EntitySchema<Shop>({
  class: Shop,
  tableName: 'shops',
  indexes: [{ name: 'shops_tenant_idx', properties: ['tenant'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    name: { type: 'string', length: 200 },
    mallKind: { type: 'string', length: 20 },
    taxMode: { type: 'string', length: 10 },
    active: { type: 'boolean', default: true },
    orderStoreId: { type: 'string', length: 50, nullable: true },
    orderStoreName: { type: 'string', length: 200, nullable: true },
    orderStoreSellDivision: { type: 'string', length: 10, nullable: true },
    warehouseStoreId: { type: 'string', length: 50, nullable: true },
    warehouseOrigin: { type: 'string', length: 10, nullable: true },
    autoAllocation: { type: 'boolean', nullable: true },
    autoAllocationOrigin: { type: 'string', length: 10, nullable: true },
    orderCodePrefix: { type: 'string', length: 10, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
