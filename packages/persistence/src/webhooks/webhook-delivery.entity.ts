import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';
import { OutboundEvent } from './outbound-event.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

/**
 * - `pending`: to be sent (again) at `nextAttemptAt`.
 * - `delivered`: the endpoint answered 2xx.
 * - `failed`: every attempt of the retry window failed (docs/webhooks.md); a re-delivery puts it
 *   back to `pending`.
 */
export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** Characters of a response body kept on a delivery and its attempts. */
export const RESPONSE_SNIPPET_LENGTH = 500;

/** One event to one endpoint: its state and the outcome of its last attempt. */
export class WebhookDelivery {
  [OptionalProps]?: 'state' | 'attempts' | 'retryFrom' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  endpoint!: WebhookEndpoint;
  event!: OutboundEvent;
  state: WebhookDeliveryState = 'pending';
  /** Attempts made since `retryFrom` (the backoff schedule counts from it). */
  attempts = 0;
  /** When the retry window began: the first attempt, or the last manual re-delivery. */
  retryFrom: Date = new Date();
  nextAttemptAt?: Date | null;
  /** HTTP status of the last attempt; null when it got no answer (network error, timeout). */
  lastStatus?: number | null;
  lastLatencyMs?: number | null;
  lastResponseSnippet?: string | null;
  lastError?: string | null;
  deliveredAt?: Date | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const WebhookDeliverySchema = new EntitySchema<WebhookDelivery>({
  class: WebhookDelivery,
  tableName: 'webhook_deliveries',
  uniques: [
    { name: 'webhook_deliveries_endpoint_event_unique', properties: ['endpoint', 'event'] },
  ],
  indexes: [
    // The delivery log of one endpoint, newest first.
    {
      name: 'webhook_deliveries_tenant_endpoint_created_idx',
      properties: ['tenant', 'endpoint', 'createdAt'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    endpoint: { kind: 'm:1', entity: () => WebhookEndpoint, deleteRule: 'cascade' },
    event: { kind: 'm:1', entity: () => OutboundEvent, deleteRule: 'cascade' },
    state: { type: 'string', length: 20, default: 'pending' },
    attempts: { type: 'integer', default: 0 },
    retryFrom: { ...dateTimeColumn, onCreate: () => new Date() },
    nextAttemptAt: { ...dateTimeColumn, nullable: true },
    lastStatus: { type: 'integer', nullable: true },
    lastLatencyMs: { type: 'integer', nullable: true },
    lastResponseSnippet: { type: 'string', length: 500, nullable: true },
    lastError: { type: 'text', nullable: true },
    deliveredAt: { ...dateTimeColumn, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

/** One HTTP attempt of a delivery: what the per-endpoint delivery log shows. */
export class WebhookDeliveryAttempt {
  [OptionalProps]?: 'attemptedAt';
  id!: string;
  tenant!: Tenant;
  delivery!: WebhookDelivery;
  attemptedAt: Date = new Date();
  /** HTTP status; null when no answer came (network error, reset, timeout). */
  status?: number | null;
  latencyMs!: number;
  responseSnippet?: string | null;
  error?: string | null;
}

export const WebhookDeliveryAttemptSchema = new EntitySchema<WebhookDeliveryAttempt>({
  class: WebhookDeliveryAttempt,
  tableName: 'webhook_delivery_attempts',
  indexes: [
    {
      name: 'webhook_delivery_attempts_delivery_at_idx',
      properties: ['delivery', 'attemptedAt'],
    },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    delivery: { kind: 'm:1', entity: () => WebhookDelivery, deleteRule: 'cascade' },
    attemptedAt: { ...dateTimeColumn, onCreate: () => new Date() },
    status: { type: 'integer', nullable: true },
    latencyMs: { type: 'integer' },
    responseSnippet: { type: 'string', length: 500, nullable: true },
    error: { type: 'text', nullable: true },
  },
});
