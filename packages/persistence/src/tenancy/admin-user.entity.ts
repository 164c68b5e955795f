import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from './tenant.entity.js';

/** A merchant's staff member who signs in to the admin. Emails are unique across tenants (login needs no tenant field). */
export class AdminUser {
  [OptionalProps]?: 'createdAt';
  id!: string;
  tenant!: Tenant;
  /** Lower-cased, trimmed. */
  email!: string;
  displayName!: string;
  /** `scrypt$N$r$p$salt$hash` (see apps/api password hashing). Never leaves the API. */
  passwordHash!: string;
  createdAt: Date = new Date();
  lastLoginAt?: Date | null;
}

export const AdminUserSchema = new EntitySchema<AdminUser>({
  class: AdminUser,
  tableName: 'admin_users',
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    email: { type: 'string', length: 254, unique: 'admin_users_email_unique' },
    displayName: { type: 'string', length: 200 },
    passwordHash: { type: 'string', length: 255, hidden: true, lazy: false },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastLoginAt: { ...dateTimeColumn, nullable: true },
  },
});
