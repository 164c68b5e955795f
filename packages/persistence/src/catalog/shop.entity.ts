import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

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
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
