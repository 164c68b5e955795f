import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** 受注ステータス: a merchant-defined workflow state, referenced by code from orders and settings. */
export class OrderStatus {
  [OptionalProps]?: 'active' | 'displayOrder' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  code!: string;
  name!: string;
  displayOrder = 0;
  active = true;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const OrderStatusSchema = new EntitySchema<OrderStatus>({
  class: OrderStatus,
  tableName: 'order_statuses',
  uniques: [{ name: 'order_statuses_tenant_code_unique', properties: ['tenant', 'code'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    code: { type: 'string', length: 50 },
    name: { type: 'string', length: 100 },
    displayOrder: { type: 'integer', default: 0 },
    active: { type: 'boolean', default: true },
    createdAt: { type: 'datetime', onCreate: () => new Date() },
    updatedAt: { type: 'datetime', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
