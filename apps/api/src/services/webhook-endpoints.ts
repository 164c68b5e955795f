import { OUTBOUND_EVENT_TYPES, type OutboundEventType } from '@renkei/domain';
import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookEndpoint } from '@renkei/persistence';
import { AppError, fieldError, notFound } from '../errors.js';
import { audit, type TenantScope } from './scope.js';
import { checkWebhookUrl } from './webhook-url.js';

/*
 * The tenant's outbound webhook endpoints as the merchant manages them, from the admin (tRPC) and
 * from an integrator's key with `webhooks:manage` (REST): register (the secret shown once),
 * change, pause and resume, delete, read the delivery log, re-deliver. Storage and the engine
 * that delivers are packages/persistence/src/webhooks and the worker; every change here is an
 * audit entry (操作履歴).
 */

/** What an endpoint is made with. */
export interface WebhookEndpointCreate {
  url: string;
  description?: string | null | undefined;
  events: readonly OutboundEventType[];
}

/** What a change names (a field left out stays as it is); `state` pauses or resumes. */
export interface WebhookEndpointChange {
  url?: string | undefined;
  description?: string | null | undefined;
  events?: readonly OutboundEventType[] | undefined;
  state?: 'active' | 'paused' | undefined;
}

/** The event types of an endpoint that this version knows, in the API's order. */
const knownEvents = (endpoint: WebhookEndpoint): OutboundEventType[] =>
  OUTBOUND_EVENT_TYPES.filter((t) => endpoint.eventTypes.includes(t));

/** An endpoint as clients see it (never its secret). */
export function endpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description ?? null,
    events: knownEvents(endpoint),
    state: endpoint.state,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    lastDeliveredAt: endpoint.lastDeliveredAt?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}
export type WebhookEndpointView = ReturnType<typeof endpointView>;

/** The fields an audit entry of an endpoint records (before / after). */
const audited = (endpoint: WebhookEndpoint) => ({
  url: endpoint.url,
  description: endpoint.description ?? null,
  eventTypes: knownEvents(endpoint),
});

/** One attempt of a delivery: when, the HTTP status (null: no answer), how long, what came back. */
function attemptView(attempt: WebhookDeliveryAttempt) {
  return {
    at: attempt.attemptedAt.toISOString(),
    status: attempt.status ?? null,
    latencyMs: attempt.latencyMs,
    responseSnippet: attempt.responseSnippet ?? null,
    error: attempt.error ?? null,
  };
}

/**
 * One delivery of the log: the event (`eventId` is the `webhook-id` the receiver saw), its state,
 * the outcome of its last attempt, and every attempt, newest first.
 */
export function deliveryView(delivery: WebhookDelivery, attempts: WebhookDeliveryAttempt[]) {
  return {
    id: delivery.id,
    endpointId: delivery.endpoint.id,
    eventId: delivery.event.id,
    eventType: delivery.event.type,
    state: delivery.state,
    /** Attempts since the retry window began (a re-delivery starts a new one). */
    attempts: delivery.attempts,
    status: delivery.lastStatus ?? null,
    latencyMs: delivery.lastLatencyMs ?? null,
    responseSnippet: delivery.lastResponseSnippet ?? null,
    error: delivery.lastError ?? null,
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: attempts[0]?.attemptedAt.toISOString() ?? null,
    nextAttemptAt:
      delivery.state === 'pending' ? (delivery.nextAttemptAt?.toISOString() ?? null) : null,
    deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    history: attempts.map(attemptView),
  };
}
export type WebhookDeliveryView = ReturnType<typeof deliveryView>;

/** The tenant's endpoint, or NOT_FOUND (another tenant's is not found either). */
export async function getEndpoint(scope: TenantScope, id: string): Promise<WebhookEndpoint> {
  const endpoint = await scope.repos.webhookEndpoints.findById(id);
  if (endpoint === null) throw notFound('Webhook の送信先', 'Webhook endpoint');
  return endpoint;
}

export async function listEndpoints(scope: TenantScope): Promise<WebhookEndpointView[]> {
  return (await scope.repos.webhookEndpoints.list()).map(endpointView);
}

/**
 * Registers an endpoint (active) after its URL passed the URL rule (and, where private addresses
 * are refused, its host's addresses); the signing secret is returned here once, Renkei keeps it
 * only encrypted.
 */
export async function createEndpoint(
  scope: TenantScope,
  input: WebhookEndpointCreate,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const url = await checkWebhookUrl(scope.deps, input.url);
  await refuseRegisteredUrl(scope, url, null);
  const { endpoint, secret } = scope.repos.webhookEndpoints.register(
    { url, description: emptyToNull(input.description), eventTypes: input.events },
    scope.deps.vault,
  );
  audit(scope, 'webhook.create', 'webhookEndpoint', endpoint.id, null, audited(endpoint));
  await scope.em.flush();
  return { endpoint: endpointView(endpoint), secret };
}

/**
 * One endpoint per URL: a second one would have the receiver get every event twice, under two
 * secrets. The events a URL receives are changed on its endpoint instead (409 naming `url`).
 */
async function refuseRegisteredUrl(
  scope: TenantScope,
  url: string,
  exceptId: string | null,
): Promise<void> {
  const taken = (await scope.repos.webhookEndpoints.list()).some(
    (e) => e.url === url && e.id !== exceptId,
  );
  if (taken)
    throw new AppError(
      'CONFLICT',
      {
        ja: 'この URL の送信先はすでに登録されています。受け取るイベントは登録済みの送信先を編集して変えてください',
        en: 'An endpoint with this URL is already registered; change the events it receives by editing it',
      },
      [
        fieldError(
          'url',
          'この URL の送信先はすでに登録されています',
          'An endpoint with this URL is already registered',
        ),
      ],
    );
}

const emptyToNull = (text: string | null | undefined): string | null =>
  text == null || text.trim() === '' ? null : text.trim();

/**
 * Changes an endpoint's URL, description or events and / or pauses or resumes it. A change of
 * content and a change of state are separate audit entries (変更 / 一時停止 / 再開); a request
 * that changes nothing records nothing. Resuming a failing endpoint makes it active: the merchant
 * says the receiver is back (the next failure window marks it again).
 */
export async function changeEndpoint(
  scope: TenantScope,
  id: string,
  change: WebhookEndpointChange,
): Promise<WebhookEndpointView> {
  const endpoint = await getEndpoint(scope, id);
  const before = audited(endpoint);
  if (change.url !== undefined && change.url !== endpoint.url) {
    const url = await checkWebhookUrl(scope.deps, change.url);
    await refuseRegisteredUrl(scope, url, endpoint.id);
    endpoint.url = url;
  }
  if (change.description !== undefined) endpoint.description = emptyToNull(change.description);
  if (change.events !== undefined) endpoint.eventTypes = [...change.events];
  const after = audited(endpoint);
  if (JSON.stringify(before) !== JSON.stringify(after))
    audit(scope, 'webhook.update', 'webhookEndpoint', endpoint.id, before, after);

  if (change.state === 'paused' && endpoint.state !== 'paused') {
    audit(
      scope,
      'webhook.pause',
      'webhookEndpoint',
      endpoint.id,
      { paused: false, url: endpoint.url },
      { paused: true, url: endpoint.url },
    );
    endpoint.state = 'paused';
  } else if (change.state === 'active' && endpoint.state !== 'active') {
    audit(
      scope,
      'webhook.resume',
      'webhookEndpoint',
      endpoint.id,
      {
        paused: endpoint.state === 'paused',
        failing: endpoint.state === 'failing',
        url: endpoint.url,
      },
      { paused: false, failing: false, url: endpoint.url },
    );
    endpoint.state = 'active';
    endpoint.failingSince = null;
  }
  await scope.em.flush();
  return endpointView(endpoint);
}

/** Deletes an endpoint with its delivery log (deliveries not yet made are not made). */
export async function deleteEndpoint(scope: TenantScope, id: string): Promise<void> {
  const endpoint = await getEndpoint(scope, id);
  audit(scope, 'webhook.delete', 'webhookEndpoint', endpoint.id, audited(endpoint), null);
  scope.repos.webhookEndpoints.remove(endpoint);
  await scope.em.flush();
}

export const DELIVERY_PAGE_SIZE_MAX = 100;

/** One page of an endpoint's delivery log, newest first. */
export async function endpointDeliveries(
  scope: TenantScope,
  endpointId: string,
  page: number,
  pageSize: number,
) {
  const endpoint = await getEndpoint(scope, endpointId);
  const found = await scope.repos.webhookDeliveries.forEndpoint(endpoint.id, page, pageSize);
  const items: WebhookDeliveryView[] = [];
  for (const delivery of found.items)
    items.push(deliveryView(delivery, await scope.repos.webhookDeliveries.attemptsOf(delivery.id)));
  return { items, total: found.total, page: found.page, pageSize: found.pageSize };
}

/**
 * Sends a delivery again (manual re-delivery): back to pending with a new retry window, its job
 * queued in the same transaction; the receiver sees the same event ID. A delivery of a paused
 * endpoint is refused (resume it first), as is one already waiting to be sent.
 */
export async function redeliver(
  scope: TenantScope,
  deliveryId: string,
): Promise<WebhookDeliveryView> {
  const found = await scope.repos.webhookDeliveries.findById(deliveryId);
  if (found === null) throw notFound('Webhook の配信', 'Webhook delivery');
  await scope.em.populate(found, ['endpoint', 'event']);
  if (found.endpoint.state === 'paused')
    throw new AppError('CONFLICT', {
      ja: '送信先が一時停止中です。再開してから再送してください',
      en: 'The endpoint is paused; resume it before re-delivering',
    });
  const before = found.state;
  const delivery = await scope.repos.webhookDeliveries.redeliver(deliveryId, scope.deps.now());
  if (delivery === null) throw notFound('Webhook の配信', 'Webhook delivery');
  // Which event to which URL: the same on both sides, so the 操作履歴 names it beside the result.
  const which = {
    eventType: delivery.event.type,
    eventId: delivery.event.id,
    url: delivery.endpoint.url,
  };
  audit(
    scope,
    'webhook.redeliver',
    'webhookDelivery',
    delivery.id,
    { result: before, ...which },
    { result: delivery.state, ...which },
  );
  await scope.em.flush();
  return deliveryView(delivery, await scope.repos.webhookDeliveries.attemptsOf(delivery.id));
}
