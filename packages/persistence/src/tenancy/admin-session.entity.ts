import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { dateTimeColumn } from '../columns.js';
import { AdminUser } from './admin-user.entity.js';
import { Tenant } from './tenant.entity.js';

/**
 * A signed-in browser. The primary key is the SHA-256 of the cookie value, so a database dump
 * does not contain usable session tokens.
 */
export class AdminSession {
  [OptionalProps]?: 'createdAt' | 'lastSeenAt';
  id!: string;
  tenant!: Tenant;
  user!: AdminUser;
  createdAt: Date = new Date();
  lastSeenAt: Date = new Date();
  expiresAt!: Date;
  userAgent?: string | null;
}

export const AdminSessionSchema = new EntitySchema<AdminSession>({
  class: AdminSession,
  tableName: 'admin_sessions',
  properties: {
    id: { type: 'string', length: 64, primary: true },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    user: { kind: 'm:1', entity: () => AdminUser, deleteRule: 'cascade' },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    lastSeenAt: { ...dateTimeColumn, onCreate: () => new Date() },
    expiresAt: { ...dateTimeColumn, index: true },
    userAgent: { type: 'string', length: 500, nullable: true },
  },
});
