import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { OutboundEventType } from '@renkei/domain';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * - `active`: events are delivered.
 * - `paused`: the merchant paused it; no delivery is made for events meanwhile.
 * - `failing`: a delivery kept failing for the whole retry window (docs/webhooks.md); events
 *   are still delivered, and the first success makes it `active` again.
 */
export const WEBHOOK_ENDPOINT_STATES = ['active', 'paused', 'failing'] as const;
export type WebhookEndpointState = (typeof WEBHOOK_ENDPOINT_STATES)[number];

/** States whose endpoints get deliveries of new events. */
export const RECEIVING_ENDPOINT_STATES: readonly WebhookEndpointState[] = ['active', 'failing'];

/**
 * A URL of the tenant's that Renkei sends outbound events to, signed with its secret (Standard
 * Webhooks `whsec_…`). The secret is shown once when made and kept only encrypted with the token
 * vault, the tenant as associated data (as Smaregi tokens: docs/reliability.md).
 */
export class WebhookEndpoint {
  [OptionalProps]?: 'state' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  url!: string;
  description?: string | null;
  /** The {@link OutboundEventType}s it receives (a type of another version is kept, unused). */
  eventTypes!: OutboundEventType[];
  secretCiphertext!: string;
  secretKeyId!: string;
  state: WebhookEndpointState = 'active';
  /** When it became `failing` (null otherwise). */
  failingSince?: Date | null;
  lastDeliveredAt?: Date | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const WebhookEndpointSchema = new EntitySchema<WebhookEndpoint>({
  class: WebhookEndpoint,
  tableName: 'webhook_endpoints',
  // The fan-out's one read per transaction: the tenant's receiving endpoints.
  indexes: [{ name: 'webhook_endpoints_tenant_state_idx', properties: ['tenant', 'state'] }],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    url: { type: 'string', length: 2000 },
    description: { type: 'string', length: 500, nullable: true },
    eventTypes: { type: 'json' },
    secretCiphertext: { type: 'text' },
    secretKeyId: { type: 'string', length: 100 },
    state: { type: 'string', length: 20, default: 'active' },
    failingSince: { ...dateTimeColumn, nullable: true },
    lastDeliveredAt: { ...dateTimeColumn, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
