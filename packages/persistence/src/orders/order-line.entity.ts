import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { Order } from './order.entity.js';

/** 受注明細: one product line. Quantities are positive integers; money in yen. */
export class OrderLine {
  [OptionalProps]?: 'isEnclosure' | 'allocatedQuantity';
  id!: string;
  tenant!: Tenant;
  order!: Order;
  /** 1-based position in the order. */
  lineNo!: number;
  productCode?: string | null;
  managementNumber?: string | null;
  name!: string;
  unitPrice!: number;
  quantity!: number;
  /** 封入物 line added by an OMS rule. */
  isEnclosure = false;
  allocatedQuantity = 0;
}

export const OrderLineSchema = new EntitySchema<OrderLine>({
  class: OrderLine,
  tableName: 'order_lines',
  uniques: [{ name: 'order_lines_order_line_no_unique', properties: ['order', 'lineNo'] }],
  indexes: [{ name: 'order_lines_tenant_product_code_idx', properties: ['tenant', 'productCode'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    order: { kind: 'm:1', entity: () => Order, deleteRule: 'cascade' },
    lineNo: { type: 'integer' },
    productCode: { type: 'string', length: 100, nullable: true },
    managementNumber: { type: 'string', length: 100, nullable: true },
    name: { type: 'string', length: 255 },
    unitPrice: { type: 'integer' },
    quantity: { type: 'integer' },
    isEnclosure: { type: 'boolean', default: false },
    allocatedQuantity: { type: 'integer', default: 0 },
  },
});
