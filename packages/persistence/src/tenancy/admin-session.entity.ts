import { EntitySchema, OptionalProps } from '@mikro-orm/core';
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
    createdAt: { type: 'datetime', onCreate: () => new Date() },
    lastSeenAt: { type: 'datetime', onCreate: () => new Date() },
    expiresAt: { type: 'datetime', index: true },
    userAgent: { type: 'string', length: 500, nullable: true },
  },
});
