import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * One outbound event (docs/webhooks.md), written only when an endpoint of the tenant receives
 * its type. Its `id` (`evt_…`) is the `webhook-id` of every delivery of it, the same on each
 * retry and re-delivery, so a receiver drops a duplicate by it.
 */
export class OutboundEvent {
  [OptionalProps]?: 'occurredAt';
  id!: string;
  tenant!: Tenant;
  /** One of the domain's `OUTBOUND_EVENT_TYPES`. */
  type!: string;
  /** The body's `data` (the domain's payload schema of the type). */
  payload!: Record<string, unknown>;
  occurredAt: Date = new Date();
}

export const OutboundEventSchema = new EntitySchema<OutboundEvent>({
  class: OutboundEvent,
  tableName: 'outbound_events',
  indexes: [{ name: 'outbound_events_tenant_occurred_idx', properties: ['tenant', 'occurredAt'] }],
  properties: {
    // `evt_` and a UUIDv7 (40 characters).
    id: { ...idColumn, length: 48 },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    type: { type: 'string', length: 50 },
    payload: { type: 'json' },
    occurredAt: { ...dateTimeColumn, onCreate: () => new Date() },
  },
});
