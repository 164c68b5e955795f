/**
 * Webhook helpers (docs/smaregi-wire.md §6, docs/reliability.md item 8).
 *
 * Smaregi signs nothing: authenticity is a custom secret header configured for the app, compared
 * here in constant time. Bodies carry IDs only; the handler should answer fast, deduplicate by
 * `Smaregi-Event-Id` — or, where it is missing (the official pages list only `Smaregi-Event`;
 * app subscription notices have none, §6.3), by a hash of the body — and re-read current state
 * through the API.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { SmaregiApiError } from './errors.js';

/** Request headers as Node (`IncomingHttpHeaders`), Express or fetch (`Headers`) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/**
 * True when the secret header carries the expected value. Both sides are hashed first so the
 * comparison takes the same time whatever their lengths (`timingSafeEqual` needs equal lengths).
 */
export function verifyWebhookSecret(
  headers: WebhookHeaders,
  expected: { headerName: string; secret: string },
): boolean {
  if (!expected.secret) throw new TypeError('verifyWebhookSecret: secret is empty');
  const given = header(headers, expected.headerName);
  if (given === undefined) return false;
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected.secret, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const stockBody = z.looseObject({
  contractId: z.string(),
  event: z.literal('pos:stock'),
  action: z.string(),
  ids: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).transform(String),
      productId: z.union([z.string(), z.number()]).transform(String),
      storeId: z.union([z.string(), z.number()]).transform(String),
    }),
  ),
});

const productsBody = z.looseObject({
  contractId: z.string(),
  event: z.literal('pos:products'),
  action: z.string(),
  /** Key confirmed by the crawled POS spec [SEC] (docs/smaregi-wire.md §6.2). */
  productIds: z.array(z.union([z.string(), z.number()]).transform(String)),
});

const ordersBody = z.looseObject({
  contractId: z.string(),
  event: z.literal('order-shipment:orders'),
  /** `shipped` | `canceled`; "more may be added" per the official page. */
  action: z.string(),
  storeId: z.union([z.string(), z.number()]).transform(String),
  orderHeadIds: z.array(z.union([z.string(), z.number()]).transform(String)),
});

const subscriptionBody = z.looseObject({
  contractId: z.string(),
  event: z.literal('AppSubscription'),
  /** `start` | `end` | `change-plan` | `change-options` | `force-stop` | `cancel-force-stop`. */
  action: z.string(),
  date: z.string().optional(),
  clientId: z.string().optional(),
  plan: z.unknown().optional(),
  options: z.unknown().optional(),
});

interface EventBase {
  /**
   * The key for deduplication: `Smaregi-Event-Id`, or `body-sha256:<hex>` of the body as received
   * when the header is missing (`eventIdFromBody`).
   */
  eventId: string;
  /** True when `eventId` is the body hash (no `Smaregi-Event-Id` header). */
  eventIdFromBody: boolean;
  contractId: string;
}

/** The deduplication key of a delivery without `Smaregi-Event-Id`: a hash of its body. */
export function webhookBodyKey(body: string | Uint8Array | object): string {
  const bytes =
    typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return `body-sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export type SmaregiWebhookEvent =
  | (EventBase & { type: 'pos:stock'; action: string; ids: z.output<typeof stockBody>['ids'] })
  | (EventBase & { type: 'pos:products'; action: string; productIds: string[] })
  | (EventBase & {
      type: 'order-shipment:orders';
      action: string;
      storeId: string;
      orderHeadIds: string[];
    })
  | (EventBase & {
      type: 'AppSubscription';
      action: string;
      date?: string | undefined;
      clientId?: string | undefined;
      plan?: unknown;
      options?: unknown;
    })
  | (EventBase & { type: 'unknown'; event: string; body: unknown });

function invalid(message: string, path: string): SmaregiApiError {
  return new SmaregiApiError(`webhook: ${message}`, {
    kind: 'invalid_request',
    operation: 'webhook.parse',
    inputIssues: [{ path, message }],
  });
}

function parseWith<S extends z.ZodType>(schema: S, body: unknown, event: string): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const first = result.error.issues[0];
    const path = first?.path.map(String).join('.') || '(body)';
    throw invalid(`${event} body does not match at ${path}: ${first?.message ?? 'invalid'}`, path);
  }
  return result.data;
}

/**
 * The headers of a delivery kept without them (an inbox stores the event ID, kind and contract
 * next to the body), to parse it again later with {@link parseWebhookEvent}.
 */
export function storedWebhookHeaders(stored: {
  eventId: string;
  event: string;
  contractId: string;
}): WebhookHeaders {
  return {
    'smaregi-event-id': stored.eventId,
    'smaregi-event': stored.event,
    'smaregi-contract-id': stored.contractId,
  };
}

/**
 * Parses a webhook delivery into a typed event. Verify the secret first. `body` may be the raw
 * text / Buffer or an already parsed object. Unknown event kinds come back as `type: 'unknown'`
 * (so new Smaregi events never crash the endpoint); malformed known ones throw `invalid_request`.
 */
export function parseWebhookEvent(
  headers: WebhookHeaders,
  body: string | Uint8Array | object,
): SmaregiWebhookEvent {
  let parsed: unknown = body;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw invalid('body is not JSON', '(body)');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('body is not a JSON object', '(body)');
  }
  const record = parsed as Record<string, unknown>;
  const headerEventId = header(headers, 'smaregi-event-id');
  const eventIdFromBody = !headerEventId;
  const eventId = headerEventId || webhookBodyKey(body);
  const event =
    header(headers, 'smaregi-event') ??
    (typeof record.event === 'string' ? record.event : undefined);
  if (!event) throw invalid('Smaregi-Event header is missing', 'Smaregi-Event');
  if (typeof record.event === 'string' && record.event !== event) {
    throw invalid('Smaregi-Event header and body event differ', 'event');
  }
  const headerContract = header(headers, 'smaregi-contract-id');
  const bodyContract = typeof record.contractId === 'string' ? record.contractId : undefined;
  if (headerContract && bodyContract && headerContract !== bodyContract) {
    throw invalid('Smaregi-Contract-Id header and body contractId differ', 'contractId');
  }
  const contractId = headerContract ?? bodyContract;
  if (!contractId) throw invalid('contract ID is missing', 'Smaregi-Contract-Id');
  const base = { eventId, eventIdFromBody, contractId };
  const withEvent = { ...record, event, contractId };

  switch (event) {
    case 'pos:stock': {
      const b = parseWith(stockBody, withEvent, event);
      return { ...base, type: 'pos:stock', action: b.action, ids: b.ids };
    }
    case 'pos:products': {
      const b = parseWith(productsBody, withEvent, event);
      return { ...base, type: 'pos:products', action: b.action, productIds: b.productIds };
    }
    case 'order-shipment:orders': {
      const b = parseWith(ordersBody, withEvent, event);
      return {
        ...base,
        type: 'order-shipment:orders',
        action: b.action,
        storeId: b.storeId,
        orderHeadIds: b.orderHeadIds,
      };
    }
    case 'AppSubscription': {
      const b = parseWith(subscriptionBody, withEvent, event);
      return {
        ...base,
        type: 'AppSubscription',
        action: b.action,
        date: b.date,
        clientId: b.clientId,
        plan: b.plan,
        options: b.options,
      };
    }
    default:
      return { ...base, type: 'unknown', event, body: parsed };
  }
}
