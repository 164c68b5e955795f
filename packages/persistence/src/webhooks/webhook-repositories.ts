import { randomBytes } from 'node:crypto';
import type { OutboundEventType } from '@renkei/domain';
import type { Em } from '../config.js';
import type { TokenVault } from '../security/token-vault.js';
import { newId } from '../ids.js';
import { JobRepository } from '../sync/sync-repositories.js';
import { JOB_NAMES } from '../sync/job.entity.js';
import { TenantScopedRepository, type Page } from '../tenant-scoped.repository.js';
import { OutboundEvent } from './outbound-event.entity.js';
import { RECEIVING_ENDPOINT_STATES, WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhookDelivery, WebhookDeliveryAttempt } from './webhook-delivery.entity.js';

/*
 * The tenant's outbound webhooks (docs/webhooks.md): endpoints, the events written for them, and
 * the deliveries of each event to each endpoint with their attempts.
 */

/**
 * A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the key the HMAC is
 * keyed with; the specification asks for 24 to 64 bytes).
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A new outbound event ID (`webhook-id`): `evt_` and a UUIDv7, unique and increasing. */
export function newOutboundEventId(): string {
  return `evt_${newId()}`;
}

export interface WebhookEndpointInput {
  url: string;
  description?: string | null;
  eventTypes: readonly OutboundEventType[];
}

export class WebhookEndpointRepository extends TenantScopedRepository<WebhookEndpoint> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, WebhookEndpoint);
  }
  list(): Promise<WebhookEndpoint[]> {
    return this.find({}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }
  /**
   * A new active endpoint with a new secret, persisted on the next flush. The secret is returned
   * here once (to show the merchant) and stored only encrypted.
   */
  register(
    input: WebhookEndpointInput,
    vault: TokenVault,
  ): { endpoint: WebhookEndpoint; secret: string } {
    const secret = newWebhookSecret();
    const sealed = vault.encrypt(secret, this.tenantId);
    const endpoint = this.create({
      url: input.url,
      description: input.description ?? null,
      eventTypes: [...input.eventTypes],
      secretCiphertext: sealed.ciphertext,
      secretKeyId: sealed.keyId,
    });
    return { endpoint, secret };
  }
  /** Replaces the endpoint's secret (persisted on the next flush); returns the new one, once. */
  rotateSecret(endpoint: WebhookEndpoint, vault: TokenVault): string {
    if (endpoint.tenant.id !== this.tenantId) throw new Error("refusing another tenant's endpoint");
    const secret = newWebhookSecret();
    const sealed = vault.encrypt(secret, this.tenantId);
    endpoint.secretCiphertext = sealed.ciphertext;
    endpoint.secretKeyId = sealed.keyId;
    return secret;
  }
  /** The endpoint's secret in clear (to sign a delivery). */
  secretOf(endpoint: WebhookEndpoint, vault: TokenVault): string {
    return vault.decrypt(endpoint.secretCiphertext, endpoint.secretKeyId, this.tenantId);
  }
  /** Whether an endpoint gets deliveries of this type now (one indexed read). */
  async receives(type: OutboundEventType): Promise<boolean> {
    return (await this.receiving(type)).length > 0;
  }
  /** The endpoints that get a delivery of an event of this type now (active or failing). */
  async receiving(type: OutboundEventType): Promise<WebhookEndpoint[]> {
    const endpoints = await this.find(
      { state: { $in: [...RECEIVING_ENDPOINT_STATES] } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    return endpoints.filter((e) => e.eventTypes.includes(type));
  }
}

export class OutboundEventRepository extends TenantScopedRepository<OutboundEvent> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, OutboundEvent);
  }
  /**
   * Writes an event with one delivery per endpoint and its delivery job, in the current unit of
   * work (no flush: with the change that caused it). Nothing is written for no endpoint.
   */
  emit(
    type: OutboundEventType,
    payload: object,
    endpoints: readonly WebhookEndpoint[],
    now: Date,
  ): OutboundEvent | null {
    if (endpoints.length === 0) return null;
    const event = this.create({
      id: newOutboundEventId(),
      type,
      payload,
      occurredAt: now,
    });
    const deliveries = new WebhookDeliveryRepository(this.em, this.tenantId);
    for (const endpoint of endpoints) deliveries.start(endpoint, event, now);
    return event;
  }
}

/** A delivery of the log with its event (type, ID) loaded. */
export type WebhookDeliveryPage = Page<WebhookDelivery>;

export class WebhookDeliveryRepository extends TenantScopedRepository<WebhookDelivery> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, WebhookDelivery);
  }
  /**
   * A pending delivery of `event` to `endpoint` and its job, in the current unit of work, without
   * a query (the fan-out runs inside a flush): a new delivery has no job yet to deduplicate.
   */
  start(endpoint: WebhookEndpoint, event: OutboundEvent, now: Date): WebhookDelivery {
    const delivery = this.create({
      endpoint,
      event,
      retryFrom: now,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    });
    new JobRepository(this.em, this.tenantId).create({
      name: JOB_NAMES.deliverWebhook,
      payload: { deliveryId: delivery.id },
      dedupKey: delivery.id,
      runAt: now,
    });
    return delivery;
  }
  private enqueue(delivery: WebhookDelivery, now: Date) {
    // One job row per delivery (its ID as the key): a re-delivery while it is queued or running
    // queues that row again instead of adding a second one.
    return new JobRepository(this.em, this.tenantId).enqueue(
      JOB_NAMES.deliverWebhook,
      { deliveryId: delivery.id },
      { dedupKey: delivery.id, runAt: now },
    );
  }
  /** One page of an endpoint's delivery log, newest first, with each delivery's event. */
  forEndpoint(endpointId: string, page: number, pageSize: number): Promise<WebhookDeliveryPage> {
    return this.findPage({ endpoint: endpointId }, page, pageSize, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      populate: ['event'],
    });
  }
  /** The attempts of one delivery, newest first. */
  attemptsOf(deliveryId: string): Promise<WebhookDeliveryAttempt[]> {
    return this.em.find(
      WebhookDeliveryAttempt,
      { delivery: deliveryId, tenant: this.tenantId },
      { orderBy: { attemptedAt: 'desc', id: 'desc' } },
    );
  }
  /**
   * Manual re-delivery: the delivery goes back to `pending` with a new retry window from `now`,
   * and its job is queued, both in the current unit of work, so the caller's flush writes them in
   * one transaction. The event keeps its ID (the receiver sees the same `webhook-id`). Null when
   * the tenant has no such delivery.
   */
  async redeliver(deliveryId: string, now: Date): Promise<WebhookDelivery | null> {
    const delivery = await this.findById(deliveryId);
    if (delivery === null) return null;
    Object.assign(delivery, {
      state: 'pending',
      attempts: 0,
      retryFrom: now,
      nextAttemptAt: now,
      updatedAt: now,
    });
    await this.enqueue(delivery, now);
    return delivery;
  }
}
