import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const WEBHOOK_EVENT_STATES = ['received', 'processed', 'failed', 'ignored'] as const;
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

/** Inbox of Smaregi webhooks, deduplicated by `Smaregi-Event-Id` per tenant (unique). */
export class WebhookEvent {
  [OptionalProps]?: 'state' | 'receivedAt';
  id!: string;
  tenant!: Tenant;
  eventId!: string;
  /** `Smaregi-Event` header, e.g. `pos:stock`, `order-shipment:orders`, `AppSubscription`. */
  event!: string;
  action?: string | null;
  contractId!: string;
  body!: Record<string, unknown>;
  state: WebhookEventState = 'received';
  receivedAt: Date = new Date();
  processedAt?: Date | null;
  lastError?: string | null;
}

export const WebhookEventSchema = new EntitySchema<WebhookEvent>({
  class: WebhookEvent,
  tableName: 'webhook_events',
  uniques: [{ name: 'webhook_events_tenant_event_unique', properties: ['tenant', 'eventId'] }],
  indexes: [{ name: 'webhook_events_tenant_state_idx', properties: ['tenant', 'state'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    eventId: { type: 'string', length: 100 },
    event: { type: 'string', length: 100 },
    action: { type: 'string', length: 50, nullable: true },
    contractId: { type: 'string', length: 100 },
    body: { type: 'json' },
    state: { type: 'string', length: 20, default: 'received' },
    receivedAt: { ...dateTimeColumn, onCreate: () => new Date() },
    processedAt: { ...dateTimeColumn, nullable: true },
    lastError: { type: 'text', nullable: true },
  },
});
