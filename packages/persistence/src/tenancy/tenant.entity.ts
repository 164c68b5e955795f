import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';

/** One merchant = one Smaregi contract. Every other row belongs to exactly one tenant. */
export class Tenant {
  [OptionalProps]?: 'createdAt' | 'demo';
  id!: string;
  name!: string;
  /** Demo tenants are created by the demo seed; their intake key is public (README). */
  demo = false;
  createdAt: Date = new Date();
}

export const TenantSchema = new EntitySchema<Tenant>({
  class: Tenant,
  tableName: 'tenants',
  properties: {
    id: { ...idColumn },
    name: { type: 'string', length: 200 },
    demo: { type: 'boolean', default: false },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
  },
});
