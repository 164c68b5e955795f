import { omsOrderSchema } from '@renkei/domain';
import { forkEm, ListedProduct } from '@renkei/persistence';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { DEMO_INTAKE_KEY, DEMO_ORDER_EXAMPLE, DEMO_TENANT_ID } from '../demo/constants.js';
import {
  webhookEndpointPaths,
  webhookEndpointSchemas,
  webhookEndpointsTag,
} from './openapi-webhooks.js';
import { feedSchemas, orderFeedOperation, stockPaths, stockTag } from './openapi-feeds.js';

/**
 * The request example: the demo order, with its first line pointing at an imported demo product
 * once products have been imported (so that copying the example registers a real product).
 */
async function example(deps: AppDeps): Promise<Record<string, unknown>> {
  if (!deps.config.demo) return { ...DEMO_ORDER_EXAMPLE };
  const product = await forkEm(deps.orm).findOne(
    ListedProduct,
    { tenant: DEMO_TENANT_ID, smaregiProductId: { $ne: null } },
    { orderBy: { productCodeKey: 'asc' } },
  );
  if (product === null) return { ...DEMO_ORDER_EXAMPLE };
  const [first, ...rest] = DEMO_ORDER_EXAMPLE.lines;
  return {
    ...DEMO_ORDER_EXAMPLE,
    lines: [{ ...first, productCode: product.productCode, name: product.name }, ...rest],
  };
}

/**
 * Builds the OpenAPI 3.1 document of the REST API v1 (intake, reading and changing an order); the
 * order schema comes from packages/domain.
 */
export async function openApiDocument(deps: AppDeps): Promise<Record<string, unknown>> {
  const orderSchema = z.toJSONSchema(omsOrderSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  // The OMS fields of a stored order are the intake's (every optional one present, null when unset).
  const { lines: _omsLines, ...omsHeader } =
    (orderSchema as { properties?: Record<string, unknown> }).properties ?? {};
  // What the API answers of a stored order (the intake's answer and the base of RestOrder): the
  // OMS fields with every optional one present (null when unset) and where it stands towards
  // Smaregi (services/orders/views.ts).
  const nullableString = (description?: string) => ({
    type: ['string', 'null'],
    ...(description === undefined ? {} : { description }),
  });
  const storedOrderProperties = {
    ...omsHeader,
    id: { type: 'string' },
    total: {
      type: ['integer', 'null'],
      minimum: 0,
      description: 'The total as the OMS sent it; null when it sent none',
    },
    shipTo: {
      type: 'object',
      required: ['name', 'postalCode', 'address', 'phone'],
      properties: {
        name: nullableString(),
        postalCode: nullableString(),
        address: nullableString(),
        phone: nullableString(),
      },
    },
    orderCode: { type: 'string', description: 'The Smaregi order code' },
    syncState: {
      enum: ['waiting', 'pending', 'registered', 'failed', 'needsCheck', 'canceled'],
    },
    syncReason: nullableString(
      'Why it waits or needs the merchant, in the language of Accept-Language',
    ),
    syncReasonCode: nullableString(),
    smaregiOrderHeadId: nullableString('Smaregi 受注 ID'),
    allocationStatus: { enum: ['unallocated', 'partial', 'allocated', null] },
    lastSyncError: nullableString(
      'Why Smaregi refused it last, in the language of Accept-Language',
    ),
    lastSyncErrorCode: nullableString(),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  };
  const storedOrderRequired = [
    'id',
    'shopId',
    'orderNumber',
    'orderedAt',
    'paymentMethodId',
    'statusId',
    'orderCode',
    'syncState',
    'smaregiOrderHeadId',
  ];
  const problem = {
    type: 'object',
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: {
        type: 'string',
        description: 'In the language of Accept-Language: Japanese (default) or English (en)',
      },
      detail_en: { type: 'string', description: 'English message' },
      details: {
        type: 'object',
        description:
          'Machine-readable facts: `missingScope` (403), `version` (the current version; 412, 428)',
      },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            field: { type: 'string' },
            detail: { type: 'string', description: 'In the language of Accept-Language' },
            message: {
              type: 'object',
              properties: { ja: { type: 'string' }, en: { type: 'string' } },
            },
          },
        },
      },
    },
  };
  const problemResponse = (description: string, example?: Record<string, unknown>) => ({
    description,
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        ...(example === undefined ? {} : { example }),
      },
    },
  });
  const problemExample = (
    status: number,
    title: string,
    detail: string,
    detailEn: string,
    errors: { field: string; ja: string; en: string }[] = [],
    details?: Record<string, unknown>,
  ) => ({
    type: 'about:blank',
    title,
    status,
    detail,
    detail_en: detailEn,
    errors: errors.map((e) => ({ field: e.field, detail: e.ja, message: { ja: e.ja, en: e.en } })),
    ...(details === undefined ? {} : { details }),
  });
  const forbidden = (scope: string) =>
    problemResponse(
      `The API key lacks the scope \`${scope}\` (named in \`detail\` and \`details.missingScope\`)`,
      problemExample(
        403,
        'Forbidden',
        `このAPIキーには権限 ${scope} がありません。管理画面のAPIキーで権限を持つキーを発行してください`,
        `This API key lacks the scope ${scope}; issue a key with it in the admin's API keys`,
        [],
        { missingScope: scope, scopes: ['orders:read'] },
      ),
    );
  const notFoundResponse = problemResponse(
    "No order with this number in the key's tenant (another tenant's order is not found either)",
    problemExample(
      404,
      'Not Found',
      '受注番号 R-0001 の受注が見つかりません',
      'Order R-0001 not found',
    ),
  );
  const ambiguous = problemResponse(
    'Several shops have an order with this number: add `?shopId=`',
    problemExample(
      409,
      'Conflict',
      '受注番号 R-0001 の受注が複数の店舗にあります。shopId で店舗を指定してください',
      'Several shops have an order R-0001; choose one with the shopId query parameter',
      [
        {
          field: 'shopId',
          ja: '受注番号が複数の店舗にあるため、店舗IDの指定が必要です',
          en: 'Several shops have this order number: shopId is required',
        },
      ],
    ),
  );
  const orderParameters = [
    {
      name: 'orderNumber',
      in: 'path',
      required: true,
      description: 'The order number as the mall wrote it (URL-encoded)',
      schema: { type: 'string' },
      example: 'R-0001',
    },
    {
      name: 'shopId',
      in: 'query',
      required: false,
      description: 'Which shop, when several shops have an order with this number',
      schema: { type: 'string' },
    },
    {
      name: 'Accept-Language',
      in: 'header',
      required: false,
      description:
        'ja (default) or en: the language of `syncReason`, `lastSyncError` and problem details',
      schema: { type: 'string' },
      example: 'en',
    },
  ];
  const etagHeader = {
    ETag: {
      description: "The order's `version`, quoted (send it back in If-Match)",
      schema: { type: 'string' },
      example: '"Zm9vYmFyYmF6cXV4cXV1eA"',
    },
  };
  const orderExample = {
    id: '0193a1b2-0000-7000-8000-000000000001',
    shopId: '00000000-0000-4000-8000-000000000101',
    orderNumber: 'R-0001',
    orderCode: 'R-0001',
    orderedAt: '2026-01-05T01:00:00.000Z',
    paymentMethodId: '00000000-0000-4000-8000-000000000201',
    statusId: '00000000-0000-4000-8000-000000000303',
    statusName: '出荷待ち',
    statusCategory: 'open',
    shippingDate: '2026-01-07',
    syncState: 'registered',
    syncReason: null,
    syncReasonCode: null,
    smaregiOrderHeadId: '1234',
    allocationStatus: 'allocated',
    lastSyncError: null,
    lastSyncErrorCode: null,
    lines: [
      {
        lineNo: 1,
        productCode: 'TS-001',
        managementNumber: null,
        name: 'Tシャツ',
        unitPrice: 3300,
        quantity: 2,
        isEnclosure: false,
        allocatedQuantity: 2,
      },
    ],
    shipping: {
      shippingDate: '2026-01-07',
      slipNumber: null,
      shipped: false,
      smaregiShipment: null,
    },
    version: 'Zm9vYmFyYmF6cXV4cXV1eA',
  };
  const document = {
    openapi: '3.1.0',
    info: {
      title: 'Renkei REST API v1',
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      description: [
        '受注をRenkeiに登録します。店舗・支払方法・受注ステータスのIDは管理画面で確認できます。',
        'Registers OMS orders in Renkei. Idempotent on (shop, order number): the same content again returns the same order (200);',
        'posting an existing order with a different `statusId` and/or `shippingDate` updates those (200); any other difference is 409.',
        '',
        '`GET /api/v1/orders/{orderNumber}` reads an order as Renkei holds it (sync state, Smaregi 受注 ID, allocation per line, shipping);',
        '`PATCH` changes its status, shipping date (出荷日) or cancels it exactly as the admin does (在庫引当自動照会, 受注一括出荷 and the cancel in Smaregi follow).',
        'A PATCH names the version it was made against in `If-Match` (428 without, 412 when stale) and may carry an `Idempotency-Key`',
        '(the same key and body replay the first answer for 24 hours; the same key with another body is 422).',
        '',
        '`GET /api/v1/orders` and `GET /api/v1/stock` are change feeds: pages in commit order from a cursor (`nextCursor`), nothing skipped or repeated;',
        "`GET /api/v1/stock/{productCode}` reads one product's 有効在庫数 with the figures it comes from.",
        '',
        'API keys hold scopes: `orders:write` (POST and PATCH), `orders:read` (GET), `stock:read`, `webhooks:manage` (the webhook endpoints). Keys made before scopes existed hold the first three;',
        'a key without the scope an operation needs gets 403 naming it.',
        '',
        'Each API key may make a number of requests per second over all its operations (100 unless the operator sets RENKEI_API_KEY_RATE_PER_SECOND);',
        'every answer to a key says what is left (`RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, `RateLimit-Policy`), and a request over it is 429 with `Retry-After`.',
        deps.config.demo
          ? `Demo mode: the API key \`${DEMO_INTAKE_KEY}\` belongs to the demo tenant (public, demo only).`
          : '',
      ].join('\n'),
    },
    servers: [{ url: deps.config.publicUrl, description: 'This Renkei (PUBLIC_URL)' }],
    tags: [
      {
        name: 'orders',
        description: '受注: register, read and change orders / Orders',
      },
      webhookEndpointsTag,
      stockTag,
    ],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      ...webhookEndpointPaths({ problemResponse, problemExample, forbidden }),
      ...stockPaths({ problemResponse, problemExample, forbidden }),
      '/api/v1/orders': {
        get: orderFeedOperation({ problemResponse, problemExample, forbidden }, orderExample),
        post: {
          operationId: 'createOrder',
          tags: ['orders'],
          summary: '受注を登録する / Register an order',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/OmsOrder' },
                example: await example(deps),
              },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/IntakeResult' } },
              },
            },
            '200': {
              description: 'Same order again (unchanged) or a documented update (updated)',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/IntakeResult' } },
              },
            },
            '400': problemResponse(
              'Invalid order; `errors` names each field (Japanese and English)',
            ),
            '401': problemResponse('Missing or invalid API key'),
            '403': forbidden('orders:write'),
            '409': problemResponse(
              'The order is (or may be) in Smaregi and this content differs; before that a new version replaces it (200 updated)',
            ),
            '413': problemResponse('Body larger than 5 MB'),
          },
          'x-required-scopes': ['orders:write'],
        },
      },
      '/api/v1/orders/{orderNumber}': {
        get: {
          operationId: 'getOrder',
          tags: ['orders'],
          summary: '受注を読む / Read an order',
          description:
            'Requires the scope `orders:read`. The order as Renkei holds it, with its `version` (also the `ETag`; `If-None-Match` answers 304 when unchanged).',
          'x-required-scopes': ['orders:read'],
          parameters: orderParameters,
          responses: {
            '200': {
              description: 'The order',
              headers: etagHeader,
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/OrderEnvelope' },
                  example: { order: orderExample },
                },
              },
            },
            '304': { description: 'Not modified (If-None-Match named the current version)' },
            '400': problemResponse('Invalid `shopId`'),
            '401': problemResponse('Missing or invalid API key'),
            '403': forbidden('orders:read'),
            '404': notFoundResponse,
            '409': ambiguous,
          },
        },
        patch: {
          operationId: 'updateOrder',
          tags: ['orders'],
          summary: '受注ステータス・出荷日を変更する、キャンセルする / Change an order',
          description: [
            'Requires the scope `orders:write`. Changes the status, the shipping date (null clears it) or cancels the order',
            '(`cancel: true`: into the first active status of category cancelled, or into `statusId` when it names one),',
            "through the admin's own services: 在庫引当自動照会, 受注一括出荷 and the cancel in Smaregi follow as from the admin.",
            'The shipping date is applied before the status. A body that changes nothing already true answers 200 `unchanged`.',
          ].join(' '),
          'x-required-scopes': ['orders:write'],
          parameters: [
            ...orderParameters,
            {
              name: 'If-Match',
              in: 'header',
              required: true,
              description: "The order's version (the ETag of GET), quoted; `*` matches any",
              schema: { type: 'string' },
              example: '"Zm9vYmFyYmF6cXV4cXV1eA"',
            },
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                '1-255 printable ASCII characters (a UUID). Kept per tenant for 24 hours with the first successful answer: the same key and request replay it (header `Idempotent-Replayed: true`); the same key with another request is 422. Refused requests keep nothing.',
              schema: { type: 'string', maxLength: 255 },
              example: '5f0c6c1e-8d0b-4b7e-9d55-0a4f4a1c2b3d',
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/OrderPatch' },
                examples: {
                  status: { value: { statusId: '00000000-0000-4000-8000-000000000303' } },
                  shippingDate: { value: { shippingDate: '2026-01-07' } },
                  cancel: { value: { cancel: true } },
                },
              },
            },
          },
          responses: {
            '200': {
              description:
                'Changed (`updated`) or already so (`unchanged`); or the replay of an Idempotency-Key',
              headers: {
                ...etagHeader,
                'Idempotent-Replayed': {
                  description: '`true` when this is the first answer to the Idempotency-Key again',
                  schema: { type: 'string' },
                },
              },
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/OrderChangeResult' },
                  example: { outcome: 'updated', order: orderExample },
                },
              },
            },
            '400': problemResponse(
              'Invalid body (`errors` names each field: unknown fields, statusId, shippingDate, cancel), a malformed Idempotency-Key, or an unknown status',
              problemExample(
                400,
                'Bad Request',
                '入力内容に誤りがあります: 出荷日は日付(YYYY-MM-DD)で指定してください',
                'Invalid input: Shipping date (shippingDate) must be a date (YYYY-MM-DD)',
                [
                  {
                    field: 'shippingDate',
                    ja: '出荷日は日付(YYYY-MM-DD)で指定してください',
                    en: 'Shipping date (shippingDate) must be a date (YYYY-MM-DD)',
                  },
                ],
              ),
            ),
            '401': problemResponse('Missing or invalid API key'),
            '403': forbidden('orders:write'),
            '404': notFoundResponse,
            '409': problemResponse(
              'Several shops have this order number (add `?shopId=`), a concurrent request with the same Idempotency-Key (retry), or `cancel` without a status of category cancelled',
              problemExample(
                409,
                'Conflict',
                '区分がキャンセルの受注ステータスがありません。管理画面の受注ステータスで作成してください',
                'There is no order status of category cancelled; create one in the admin (order statuses)',
                [
                  {
                    field: 'cancel',
                    ja: '区分がキャンセルの受注ステータスがありません',
                    en: 'No order status of category cancelled',
                  },
                ],
              ),
            ),
            '412': {
              ...problemResponse(
                'The order changed since the version in If-Match; the current version is in the ETag (and `details.version`)',
                problemExample(
                  412,
                  'Precondition Failed',
                  '受注はこの version の後に変更されています。GET で読み直してから、新しい version で送ってください',
                  'The order has changed since this version; GET it again and send the new version in If-Match',
                  [
                    {
                      field: 'If-Match',
                      ja: '受注の現在の version ではありません',
                      en: "Not the order's current version",
                    },
                  ],
                  { version: 'Zm9vYmFyYmF6cXV4cXV1eA' },
                ),
              ),
              headers: etagHeader,
            },
            '422': problemResponse(
              'The Idempotency-Key was used with a different request',
              problemExample(
                422,
                'Unprocessable Content',
                'この Idempotency-Key は別の内容のリクエストで使われています。別の変更には新しいキーを使ってください',
                'This Idempotency-Key was used with a different request; use a new key for another change',
                [
                  {
                    field: 'Idempotency-Key',
                    ja: '別の内容のリクエストで使用済みのキーです',
                    en: 'Already used with a different request',
                  },
                ],
              ),
            ),
            '428': {
              ...problemResponse(
                'If-Match is missing; the current version is in the ETag',
                problemExample(
                  428,
                  'Precondition Required',
                  'If-Match ヘッダーに受注の version(GET で返る ETag)を指定してください',
                  "Send the order's version (the ETag of GET) in the If-Match header",
                  [{ field: 'If-Match', ja: 'If-Match がありません', en: 'If-Match is missing' }],
                  { version: 'Zm9vYmFyYmF6cXV4cXV1eA' },
                ),
              ),
              headers: etagHeader,
            },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'Authorization: Bearer <API key>. Each key holds scopes (orders:write, orders:read, stock:read, webhooks:manage; chosen when the key is made; without a choice the first three); an operation names the one it needs in `x-required-scopes`.',
        },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        ...webhookEndpointSchemas,
        ...feedSchemas,
        OmsOrder: orderSchema,
        Problem: problem,
        StoredOrder: {
          type: 'object',
          description:
            'The order as stored: its OMS fields (every optional one present, null when unset) and where it stands towards Smaregi',
          required: storedOrderRequired,
          properties: storedOrderProperties,
        },
        IntakeResult: {
          type: 'object',
          required: ['outcome', 'order'],
          properties: {
            outcome: { enum: ['created', 'unchanged', 'updated'] },
            order: { $ref: '#/components/schemas/StoredOrder' },
          },
        },
        OrderPatch: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            statusId: { type: 'string', description: 'An order status of the tenant' },
            shippingDate: {
              type: ['string', 'null'],
              format: 'date',
              description: '出荷日 (YYYY-MM-DD); null clears it',
            },
            cancel: {
              const: true,
              description:
                'Cancel: into the first active status of category cancelled (or `statusId`, which must be one)',
            },
          },
        },
        RestOrder: {
          type: 'object',
          description:
            'The order as Renkei holds it: its OMS fields, where it stands towards Smaregi, its lines with what Smaregi allocated, its shipping and its version',
          required: [
            ...storedOrderRequired,
            'statusName',
            'statusCategory',
            'lines',
            'shipping',
            'version',
          ],
          properties: {
            ...storedOrderProperties,
            statusName: { type: 'string' },
            statusCategory: { enum: ['open', 'shipped', 'cancelled'] },
            lines: {
              type: 'array',
              items: {
                type: 'object',
                required: [
                  'lineNo',
                  'productCode',
                  'managementNumber',
                  'name',
                  'unitPrice',
                  'quantity',
                  'isEnclosure',
                  'allocatedQuantity',
                ],
                properties: {
                  lineNo: { type: 'integer', minimum: 1 },
                  productCode: nullableString('商品コード; null for a line sent without one'),
                  managementNumber: nullableString("商品管理番号 (the mall's)"),
                  name: { type: 'string' },
                  unitPrice: { type: 'integer' },
                  quantity: { type: 'integer', minimum: 1 },
                  isEnclosure: { type: 'boolean', description: '同梱物 (enclosure)' },
                  allocatedQuantity: {
                    type: 'integer',
                    description: 'Allocated in Smaregi (引当数)',
                  },
                },
              },
            },
            shipping: {
              type: 'object',
              required: ['shippingDate', 'slipNumber', 'shipped', 'smaregiShipment'],
              properties: {
                shippingDate: { type: ['string', 'null'], format: 'date' },
                slipNumber: { type: ['string', 'null'] },
                shipped: {
                  type: 'boolean',
                  description: 'In a status of category shipped, or shipped in Smaregi',
                },
                smaregiShipment: {
                  enum: ['pending', 'in_flight', 'succeeded', 'failed', 'unknown', null],
                  description: 'Its shipment in Smaregi (受注一括出荷), null when none',
                },
              },
            },
            version: { type: 'string', description: 'Changes whenever the order does; the ETag' },
          },
        },
        OrderEnvelope: {
          type: 'object',
          required: ['order'],
          properties: { order: { $ref: '#/components/schemas/RestOrder' } },
        },
        OrderChangeResult: {
          type: 'object',
          required: ['outcome', 'order'],
          properties: {
            outcome: { enum: ['updated', 'unchanged'] },
            order: { $ref: '#/components/schemas/RestOrder' },
          },
        },
      },
    },
  };
  return withKeyBudget(document);
}

/**
 * Every operation an API key calls (it names its `x-required-scopes`) is under the key's
 * per-second budget (auth/api-key-rate-limiter.ts): its answers carry the `RateLimit-*` headers
 * (not the 401, which has no key to count), and it may answer 429. Added here once, so that no
 * keyed operation can forget them.
 */
function withKeyBudget<T extends { paths: Record<string, Record<string, unknown>> }>(
  document: T,
): T {
  const header = (description: string, required: boolean, example: number | string) => ({
    description,
    required,
    schema: typeof example === 'number' ? { type: 'integer', minimum: 0 } : { type: 'string' },
    example,
  });
  const budget = (required: boolean) => ({
    'RateLimit-Limit': header(
      'Requests the API key may make per window (one second)',
      required,
      100,
    ),
    'RateLimit-Remaining': header('Requests the key has left in the current window', required, 99),
    'RateLimit-Reset': header('Seconds until the current window ends', required, 1),
    'RateLimit-Policy': header(
      'The quota: `<requests>;w=<window in seconds>` (IETF RateLimit header fields, draft 07)',
      required,
      '100;w=1',
    ),
  });
  const tooMany = {
    description:
      "Over the API key's budget (RENKEI_API_KEY_RATE_PER_SECOND requests per second, every route of the key together): wait `Retry-After` seconds",
    headers: {
      'Retry-After': header('Seconds to wait before the next request', true, 1),
      ...budget(true),
    },
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        example: {
          type: 'about:blank',
          title: 'Too Many Requests',
          status: 429,
          detail:
            'このAPIキーのリクエストが多すぎます(毎秒100件まで)。1秒後にもう一度送ってください',
          detail_en: 'Too many requests with this API key (at most 100 per second); retry in 1 s',
          errors: [],
          details: { limit: 100, retryAfterSeconds: 1 },
        },
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as {
      'x-required-scopes'?: unknown;
      responses?: Record<string, { headers?: Record<string, unknown> }>;
    }[]) {
      if (!Array.isArray(operation?.['x-required-scopes']) || operation.responses === undefined)
        continue;
      const responses = operation.responses;
      for (const [code, response] of Object.entries(responses)) {
        if (code === '401') continue;
        // A body the JSON parser refuses (400, 413) is answered before the key is looked at.
        const always = !['400', '413', '500'].includes(code);
        responses[code] = { ...response, headers: { ...response.headers, ...budget(always) } };
      }
      responses['429'] ??= tooMany;
    }
  }
  return document;
}

export function openApiRouter(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/api/v1/openapi.json', async (_req, res) => {
    res.json(await openApiDocument(deps));
  });
  return router;
}
