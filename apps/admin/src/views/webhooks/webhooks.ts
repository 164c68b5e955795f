import type { trpc } from '../../api/trpc';
import type webhooksMessages from '../../i18n/messages/webhooks';

/** One endpoint as the screen shows it (never its secret). */
export type WebhookEndpointRow = Awaited<
  ReturnType<typeof trpc.webhookEndpoints.list.query>
>[number];

/** What the API answers once, when an endpoint is added: the endpoint and its signing secret. */
export type CreatedWebhookEndpoint = Awaited<
  ReturnType<typeof trpc.webhookEndpoints.create.mutate>
>;

export type WebhookDeliveryPage = Awaited<
  ReturnType<typeof trpc.webhookEndpoints.deliveries.query>
>;
export type WebhookDeliveryRow = WebhookDeliveryPage['items'][number];

/** An event type an endpoint receives (`order.synced` ...), as the API names it. */
export type WebhookEventType = WebhookEndpointRow['events'][number];

type EventWord = keyof typeof webhooksMessages.ja.events;

/**
 * Each event type's key in the messages (`webhooks.events.<word>`), in the API's order: the
 * compiler fails when the API gains an event type this screen has no words for.
 */
export const EVENT_WORDS = {
  'order.synced': 'orderSynced',
  'order.held': 'orderHeld',
  'order.failed': 'orderFailed',
  'order.allocated': 'orderAllocated',
  'order.shipped': 'orderShipped',
  'order.canceled': 'orderCanceled',
  'stock.changed': 'stockChanged',
} as const satisfies Record<WebhookEventType, EventWord>;

export const WEBHOOK_EVENT_TYPES = Object.keys(EVENT_WORDS) as WebhookEventType[];

export const isWebhookEventType = (value: unknown): value is WebhookEventType =>
  typeof value === 'string' && Object.hasOwn(EVENT_WORDS, value);

/**
 * A delivery's result as the log words it: delivered, failed, or waiting — to be sent for the
 * first time, or to retry after failed attempts.
 */
export function deliveryResult(
  delivery: Pick<WebhookDeliveryRow, 'state' | 'attempts'>,
): 'delivered' | 'pending' | 'retrying' | 'failed' {
  if (delivery.state === 'pending') return delivery.attempts > 0 ? 'retrying' : 'pending';
  return delivery.state;
}

/** What the add / edit form checks before anything is sent ('' when fine), by field. */
export function endpointFormProblems(form: {
  url: string;
  description: string;
  events: readonly string[];
}): {
  url: 'urlRequired' | 'urlInvalid' | '';
  description: 'descriptionTooLong' | '';
  events: 'eventsRequired' | '';
} {
  const url = form.url.trim();
  let urlProblem: 'urlRequired' | 'urlInvalid' | '' = '';
  if (url === '') urlProblem = 'urlRequired';
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) urlProblem = 'urlInvalid';
  return {
    url: urlProblem,
    description: form.description.trim().length > 500 ? 'descriptionTooLong' : '',
    events: form.events.length === 0 ? 'eventsRequired' : '',
  };
}
