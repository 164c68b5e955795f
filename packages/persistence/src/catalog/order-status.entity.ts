import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** 受注ステータス: a merchant-defined workflow state, referenced by ID from orders and settings. */
export class OrderStatus {
  [OptionalProps]?: 'active' | 'sortOrder' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  name!: string;
  /** open | shipped | cancelled (domain `orderStatusCategories`). */
  category!: string;
  sortOrder = 0;
  active = true;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OrderStatusSchema = new EntitySchema<OrderStatus>({
  class: OrderStatus,
  tableName: 'order_statuses',
  indexes: [{ name: 'order_statuses_tenant_idx', properties: ['tenant'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    name: { type: 'string', length: 100 },
    category: { type: 'string', length: 20 },
    sortOrder: { type: 'integer', default: 0 },
    active: { type: 'boolean', default: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
