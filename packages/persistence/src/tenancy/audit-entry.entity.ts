import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from './tenant.entity.js';

/**
 * Every action the API records in the 操作履歴, by what it changes. `audit()` takes only these,
 * so the admin can offer each as a filter with words for it.
 */
export const AUDIT_ACTIONS = [
  'settings.update',
  'connection.start',
  'connection.callbackRejected',
  'connection.connected',
  'connection.disconnect',
  'demo.autoConnect',
  'shop.create',
  'shop.update',
  'shop.delete',
  'paymentMethod.create',
  'paymentMethod.update',
  'paymentMethod.delete',
  'orderStatus.create',
  'orderStatus.update',
  'orderStatus.delete',
  'order.statusChange',
  'order.shippingDate',
  'products.importStart',
  'products.importCancel',
  'apiKey.create',
  'apiKey.revoke',
  'webhook.create',
  'webhook.update',
  'webhook.pause',
  'webhook.resume',
  'webhook.delete',
  'webhook.redeliver',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who changed which setting or mapping, when, from what to what. Append-only. */
export class AuditEntry {
  [OptionalProps]?: 'at';
  id!: string;
  tenant!: Tenant;
  /** Admin user ID, or null for system actors (CLI, OAuth callback without a session, webhook). */
  actorUserId?: string | null;
  /** Human-readable actor: the user's email, `cli`, `system`... */
  actorLabel!: string;
  /** One of {@link AUDIT_ACTIONS} (a row of another version may hold another). */
  action!: string;
  entityType!: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  at: Date = new Date();
}

export const AuditEntrySchema = new EntitySchema<AuditEntry>({
  class: AuditEntry,
  tableName: 'audit_entries',
  indexes: [{ properties: ['tenant', 'at'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    actorUserId: { type: 'string', length: 36, nullable: true },
    actorLabel: { type: 'string', length: 254 },
    action: { type: 'string', length: 100 },
    entityType: { type: 'string', length: 50 },
    entityId: { type: 'string', length: 100, nullable: true },
    before: { type: 'json', nullable: true },
    after: { type: 'json', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    at: { ...dateTimeColumn, onCreate: () => new Date() },
  },
});
