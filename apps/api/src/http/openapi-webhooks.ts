import { OUTBOUND_EVENT_TYPES, WEBHOOK_URL_REFUSALS } from '@renkei/domain';
import { WEBHOOK_DELIVERY_STATES, WEBHOOK_ENDPOINT_STATES } from '@renkei/persistence';

/*
 * The webhook endpoint operations of the OpenAPI document (http/openapi.ts builds the document
 * and merges these in): managing the tenant's outbound webhook endpoints and their delivery log
 * with a key holding `webhooks:manage` (http/webhook-endpoints-v1.ts).
 */

type Json = Record<string, unknown>;

/** The document's own helpers for problem answers (http/openapi.ts). */
export interface ProblemHelpers {
  problemResponse: (description: string, example?: Record<string, unknown>) => Json;
  problemExample: (
    status: number,
    title: string,
    detail: string,
    detailEn: string,
    errors?: { field: string; ja: string; en: string }[],
    details?: Record<string, unknown>,
  ) => Record<string, unknown>;
  forbidden: (scope: string) => Json;
}

const SCOPE = 'webhooks:manage';
const TAG = 'webhooks';

export const webhookEndpointsTag = {
  name: TAG,
  description:
    'Webhook の送信先と配信履歴 / Outbound webhook endpoints and their delivery log (scope `webhooks:manage`)',
};

const endpointExample = {
  id: '0193a1b2-0000-7000-8000-0000000000e1',
  url: 'https://oms.example.com/webhooks/renkei',
  description: '基幹OMS',
  events: ['order.synced', 'order.failed', 'stock.changed'],
  state: 'active',
  failingSince: null,
  lastDeliveredAt: '2026-12-03T01:00:02.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

const deliveryExample = {
  id: '0193a1b2-0000-7000-8000-0000000000d1',
  endpointId: endpointExample.id,
  eventId: 'evt_0193a1b2-0000-7000-8000-0000000000a1',
  eventType: 'order.synced',
  state: 'delivered',
  attempts: 2,
  status: 200,
  latencyMs: 85,
  responseSnippet: '{"ok":true}',
  error: null,
  createdAt: '2026-12-03T01:00:00.000Z',
  lastAttemptAt: '2026-12-03T01:00:02.000Z',
  nextAttemptAt: null,
  deliveredAt: '2026-12-03T01:00:02.000Z',
  history: [
    {
      at: '2026-12-03T01:00:02.000Z',
      status: 200,
      latencyMs: 85,
      responseSnippet: '{"ok":true}',
      error: null,
    },
    {
      at: '2026-12-03T01:00:00.000Z',
      status: 503,
      latencyMs: 120,
      responseSnippet: 'Service Unavailable',
      error: null,
    },
  ],
};

const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

const languageParameter = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  description: 'ja (default) or en: the language of problem details',
  schema: { type: 'string' },
  example: 'en',
};

const nullable = (type: string, extra: Json = {}) => ({ type: [type, 'null'], ...extra });

/** The schemas of the webhook operations (merged into `components.schemas`). */
export const webhookEndpointSchemas: Record<string, Json> = {
  WebhookEventType: {
    enum: [...OUTBOUND_EVENT_TYPES],
    description: [
      'order.synced: registered in Smaregi; order.held: waits (a product, shop or setting, an outcome to check, a colliding 受注コード);',
      'order.failed: a step was refused and needs a person; order.allocated, order.shipped, order.canceled;',
      'stock.changed: effective stock of products changed (batched, coalesced within a second)',
    ].join(' '),
  },
  WebhookEndpoint: {
    type: 'object',
    description: 'An endpoint Renkei sends the events it subscribes to (never its secret)',
    required: [
      'id',
      'url',
      'description',
      'events',
      'state',
      'failingSince',
      'lastDeliveredAt',
      'createdAt',
      'updatedAt',
    ],
    properties: {
      id: { type: 'string' },
      url: { type: 'string', format: 'uri' },
      description: nullable('string'),
      events: {
        type: 'array',
        items: { $ref: '#/components/schemas/WebhookEventType' },
        minItems: 1,
      },
      state: {
        enum: [...WEBHOOK_ENDPOINT_STATES],
        description:
          'active: delivered; paused: paused by the merchant or an integrator (events meanwhile are not delivered); failing: a delivery kept failing for 24 hours (still delivered; the first success makes it active)',
      },
      failingSince: nullable('string', { format: 'date-time' }),
      lastDeliveredAt: nullable('string', { format: 'date-time' }),
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  WebhookEndpointCreate: {
    type: 'object',
    additionalProperties: false,
    required: ['url', 'events'],
    properties: {
      url: {
        type: 'string',
        maxLength: 2000,
        description:
          'http(s) URL. In production only https: to a public address (the host name is resolved: every address must be public); private, loopback, link-local and metadata addresses are refused, unless the operator runs Renkei self-hosted (RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS)',
      },
      description: nullable('string', { maxLength: 500 }),
      events: {
        type: 'array',
        items: { $ref: '#/components/schemas/WebhookEventType' },
        minItems: 1,
      },
    },
  },
  WebhookEndpointChange: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      url: { type: 'string', maxLength: 2000 },
      description: nullable('string', { maxLength: 500, description: 'null or empty clears it' }),
      events: {
        type: 'array',
        items: { $ref: '#/components/schemas/WebhookEventType' },
        minItems: 1,
      },
      state: {
        enum: ['active', 'paused'],
        description: 'paused pauses deliveries; active resumes them (a failing endpoint too)',
      },
    },
  },
  WebhookEndpointCreated: {
    type: 'object',
    required: ['endpoint', 'secret'],
    properties: {
      endpoint: { $ref: '#/components/schemas/WebhookEndpoint' },
      secret: {
        type: 'string',
        description:
          'The signing secret (Standard Webhooks `whsec_…`), returned this once: Renkei keeps it only encrypted',
      },
    },
  },
  WebhookDelivery: {
    type: 'object',
    description:
      'One event to one endpoint: its state, the outcome of its last attempt, and every attempt (newest first)',
    required: [
      'id',
      'endpointId',
      'eventId',
      'eventType',
      'state',
      'attempts',
      'status',
      'latencyMs',
      'responseSnippet',
      'error',
      'createdAt',
      'lastAttemptAt',
      'nextAttemptAt',
      'deliveredAt',
      'history',
    ],
    properties: {
      id: { type: 'string' },
      endpointId: { type: 'string' },
      eventId: {
        type: 'string',
        description: 'The `webhook-id` the receiver sees (the same on every retry)',
      },
      eventType: { type: 'string', description: 'A WebhookEventType (or one of a later version)' },
      state: {
        enum: [...WEBHOOK_DELIVERY_STATES],
        description:
          'pending: to be sent (again); delivered: answered 2xx; failed: every attempt of 24 hours failed',
      },
      attempts: {
        type: 'integer',
        minimum: 0,
        description: 'Attempts since the retry window began',
      },
      status: nullable('integer', {
        description: 'HTTP status of the last attempt; null: no answer',
      }),
      latencyMs: nullable('integer', { minimum: 0 }),
      responseSnippet: nullable('string', {
        description: 'The first 500 characters of the answer',
      }),
      error: nullable('string', { description: 'Why no answer came (timeout, reset...)' }),
      createdAt: { type: 'string', format: 'date-time' },
      lastAttemptAt: nullable('string', { format: 'date-time' }),
      nextAttemptAt: nullable('string', { format: 'date-time' }),
      deliveredAt: nullable('string', { format: 'date-time' }),
      history: {
        type: 'array',
        items: {
          type: 'object',
          required: ['at', 'status', 'latencyMs', 'responseSnippet', 'error'],
          properties: {
            at: { type: 'string', format: 'date-time' },
            status: nullable('integer'),
            latencyMs: { type: 'integer', minimum: 0 },
            responseSnippet: nullable('string'),
            error: nullable('string'),
          },
        },
      },
    },
  },
};

/** The webhook operations (merged into `paths`). */
export function webhookEndpointPaths({
  problemResponse,
  problemExample,
  forbidden,
}: ProblemHelpers): Record<string, Json> {
  const unauthorized = problemResponse('Missing or invalid API key');
  const notFound = problemResponse(
    "No such endpoint in the key's tenant (another tenant's is not found either)",
    problemExample(
      404,
      'Not Found',
      'Webhook の送信先が見つかりません',
      'Webhook endpoint not found',
    ),
  );
  const sameUrl = problemResponse(
    'Another endpoint of the tenant already has this URL (named at `url`)',
    problemExample(
      409,
      'Conflict',
      'この URL の送信先はすでに登録されています。受け取るイベントは登録済みの送信先を編集して変えてください',
      'An endpoint with this URL is already registered; change the events it receives by editing it',
    ),
  );
  const invalid = problemResponse(
    'Invalid body: `errors` names each field (`url`: not a URL, or refused by the address rule; `events.N`: an unknown event type; `description`; unknown fields)',
    problemExample(
      400,
      'Bad Request',
      '入力内容に誤りがあります: この URL はプライベートネットワークのアドレスを指しているため登録できません',
      'Invalid input: The URL points at a private network address and cannot be used',
      [
        {
          field: 'url',
          ja: 'この URL はプライベートネットワークのアドレスを指しているため登録できません',
          en: 'The URL points at a private network address and cannot be used',
        },
      ],
    ),
  );
  const json = (schema: string, example?: unknown) => ({
    'application/json': {
      schema: { $ref: `#/components/schemas/${schema}` },
      ...(example === undefined ? {} : { example }),
    },
  });
  const keyed = { 'x-required-scopes': [SCOPE], tags: [TAG] };
  const endpointId = idParameter('The endpoint ID');

  return {
    '/api/v1/webhook-endpoints': {
      get: {
        ...keyed,
        operationId: 'listWebhookEndpoints',
        summary: 'Webhook の送信先の一覧 / List webhook endpoints',
        description: 'Requires the scope `webhooks:manage`. Oldest first.',
        parameters: [languageParameter],
        responses: {
          '200': {
            description: "The tenant's endpoints",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['endpoints'],
                  properties: {
                    endpoints: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/WebhookEndpoint' },
                    },
                  },
                },
                example: { endpoints: [endpointExample] },
              },
            },
          },
          '401': unauthorized,
          '403': forbidden(SCOPE),
        },
      },
      post: {
        ...keyed,
        operationId: 'createWebhookEndpoint',
        summary: 'Webhook の送信先を登録する / Register a webhook endpoint',
        description: [
          'Requires the scope `webhooks:manage`. The endpoint is active at once; the answer holds its signing secret,',
          'shown this once (receivers verify `webhook-signature` with it, Standard Webhooks). Recorded in the 操作履歴 under the key.',
          `URL refusals (named at \`url\`): ${WEBHOOK_URL_REFUSALS.join(', ')}.`,
        ].join(' '),
        parameters: [languageParameter],
        requestBody: {
          required: true,
          content: json('WebhookEndpointCreate', {
            url: 'https://oms.example.com/webhooks/renkei',
            description: '基幹OMS',
            events: ['order.synced', 'order.failed', 'stock.changed'],
          }),
        },
        responses: {
          '201': {
            description: 'Registered; `secret` is shown only in this answer',
            headers: {
              Location: {
                description: 'The new endpoint',
                required: true,
                schema: { type: 'string' },
              },
            },
            content: json('WebhookEndpointCreated', {
              endpoint: endpointExample,
              secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw2ZXD9WH1MNQ=',
            }),
          },
          '400': invalid,
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '409': sameUrl,
        },
      },
    },
    '/api/v1/webhook-endpoints/{id}': {
      get: {
        ...keyed,
        operationId: 'getWebhookEndpoint',
        summary: 'Webhook の送信先を読む / Read a webhook endpoint',
        description: 'Requires the scope `webhooks:manage`. Never its secret.',
        parameters: [endpointId, languageParameter],
        responses: {
          '200': {
            description: 'The endpoint',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['endpoint'],
                  properties: { endpoint: { $ref: '#/components/schemas/WebhookEndpoint' } },
                },
                example: { endpoint: endpointExample },
              },
            },
          },
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '404': notFound,
        },
      },
      patch: {
        ...keyed,
        operationId: 'updateWebhookEndpoint',
        summary: 'Webhook の送信先を変更・一時停止・再開する / Change, pause or resume an endpoint',
        description:
          'Requires the scope `webhooks:manage`. A field left out stays as it is. `state: paused` pauses deliveries, `state: active` resumes them. Each change is recorded in the 操作履歴.',
        parameters: [endpointId, languageParameter],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { $ref: '#/components/schemas/WebhookEndpointChange' },
              examples: {
                events: { value: { events: ['order.shipped', 'order.canceled'] } },
                pause: { value: { state: 'paused' } },
                resume: { value: { state: 'active' } },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The endpoint as it is now',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['endpoint'],
                  properties: { endpoint: { $ref: '#/components/schemas/WebhookEndpoint' } },
                },
                example: { endpoint: { ...endpointExample, state: 'paused' } },
              },
            },
          },
          '400': invalid,
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '404': notFound,
          '409': sameUrl,
        },
      },
      delete: {
        ...keyed,
        operationId: 'deleteWebhookEndpoint',
        summary: 'Webhook の送信先を削除する / Delete a webhook endpoint',
        description:
          'Requires the scope `webhooks:manage`. Its delivery log goes with it; events not yet delivered to it are not.',
        parameters: [endpointId, languageParameter],
        responses: {
          '204': { description: 'Deleted' },
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '404': notFound,
        },
      },
    },
    '/api/v1/webhook-endpoints/{id}/deliveries': {
      get: {
        ...keyed,
        operationId: 'listWebhookDeliveries',
        summary: 'Webhook の配信履歴 / The delivery log of an endpoint',
        description:
          'Requires the scope `webhooks:manage`. Newest first, with the last attempt (HTTP status, latency, the beginning of the answer) and every attempt.',
        parameters: [
          endpointId,
          {
            name: 'page',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, default: 1 },
          },
          {
            name: 'pageSize',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
          languageParameter,
        ],
        responses: {
          '200': {
            description: 'One page of deliveries',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['deliveries', 'page', 'pageSize', 'total'],
                  properties: {
                    deliveries: {
                      type: 'array',
                      items: { $ref: '#/components/schemas/WebhookDelivery' },
                    },
                    page: { type: 'integer', minimum: 1 },
                    pageSize: { type: 'integer', minimum: 1 },
                    total: { type: 'integer', minimum: 0 },
                  },
                },
                example: { deliveries: [deliveryExample], page: 1, pageSize: 20, total: 1 },
              },
            },
          },
          '400': problemResponse(
            'Invalid `page` or `pageSize` (named in `errors`)',
            problemExample(
              400,
              'Bad Request',
              '入力内容に誤りがあります: page は1以上の整数にしてください',
              'Invalid input: page must be an integer of 1 or more',
              [
                {
                  field: 'page',
                  ja: 'page は1以上の整数にしてください',
                  en: 'page must be an integer of 1 or more',
                },
              ],
            ),
          ),
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '404': notFound,
        },
      },
    },
    '/api/v1/webhook-deliveries/{id}/redeliver': {
      post: {
        ...keyed,
        operationId: 'redeliverWebhook',
        summary: 'Webhook を再送する / Re-deliver',
        description:
          'Requires the scope `webhooks:manage`. Sends the delivery again now, with the same event ID (`webhook-id`) and a new 24-hour retry window. Recorded in the 操作履歴.',
        parameters: [idParameter('The delivery ID'), languageParameter],
        responses: {
          '202': {
            description: 'Queued: the delivery is pending',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['delivery'],
                  properties: { delivery: { $ref: '#/components/schemas/WebhookDelivery' } },
                },
                example: {
                  delivery: {
                    ...deliveryExample,
                    state: 'pending',
                    attempts: 0,
                    nextAttemptAt: '2026-12-03T02:00:00.000Z',
                    deliveredAt: null,
                  },
                },
              },
            },
          },
          '401': unauthorized,
          '403': forbidden(SCOPE),
          '404': problemResponse(
            "No such delivery in the key's tenant",
            problemExample(
              404,
              'Not Found',
              'Webhook の配信が見つかりません',
              'Webhook delivery not found',
            ),
          ),
          '409': problemResponse(
            'The endpoint is paused: resume it first',
            problemExample(
              409,
              'Conflict',
              '送信先が一時停止中です。再開してから再送してください',
              'The endpoint is paused; resume it before re-delivering',
            ),
          ),
        },
      },
    },
  };
}
