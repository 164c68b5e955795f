import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/** 支払方法 on the OMS side, mapped to one Smaregi payment method. */
export class PaymentMethod {
  [OptionalProps]?: 'active' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  /** The OMS's own code for the method (optional, for CSV imports). */
  code?: string | null;
  name!: string;
  active = true;
  smaregiPaymentMethodId?: string | null;
  smaregiPaymentMethodName?: string | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const PaymentMethodSchema = new EntitySchema<PaymentMethod>({
  class: PaymentMethod,
  tableName: 'payment_methods',
  indexes: [{ name: 'payment_methods_tenant_code_idx', properties: ['tenant', 'code'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    code: { type: 'string', length: 64, nullable: true },
    name: { type: 'string', length: 200 },
    active: { type: 'boolean', default: true },
    smaregiPaymentMethodId: { type: 'string', length: 50, nullable: true },
    smaregiPaymentMethodName: { type: 'string', length: 200, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
