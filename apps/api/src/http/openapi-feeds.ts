import { effectiveStockModeValues, stockBasisValues } from '@renkei/domain';
import { STOCK_SOURCES } from '@renkei/persistence';
import { FEED_LIMIT_DEFAULT, FEED_LIMIT_MAX } from '../services/feeds/feed-query.js';
import type { ProblemHelpers } from './openapi-webhooks.js';

/*
 * The change feeds and the stock operations of the OpenAPI document (http/openapi.ts builds the
 * document and merges these in): `GET /api/v1/orders` (http/feeds-v1.ts) and
 * `GET /api/v1/stock`, `GET /api/v1/stock/{productCode}` (http/stock-v1.ts).
 */

type Json = Record<string, unknown>;

export const stockTag = {
  name: 'stock',
  description: '有効在庫数 / Effective stock per product and its change feed (scope `stock:read`)',
};

const FEED_DESCRIPTION = [
  'A change feed: every change in the order it was committed, read page by page from a cursor.',
  'Start without a cursor (from the beginning, or from `updatedSince`), then send the `nextCursor` of each answer to get the next page;',
  'keep the last `nextCursor` and ask with it again later to get what changed since (it is given even when the page is empty).',
  'Nothing is skipped and nothing is repeated: an item comes again on a later page only when it changed after the page that carried it,',
  'and then as it is at that later read. `hasMore` says whether more changes are readable right now.',
  'On PostgreSQL a change appears once every transaction that began writing before it has ended: a long transaction delays the feed, it never makes it lose a change.',
].join(' ');

const acceptLanguage = {
  name: 'Accept-Language',
  in: 'header',
  required: false,
  description: 'ja (default) or en: the language of reasons and problem details',
  schema: { type: 'string' },
  example: 'en',
};

const feedParameters = (what: string): Json[] => [
  {
    name: 'updatedSince',
    in: 'query',
    required: false,
    description: `Only ${what} changed at or after this instant (ISO 8601 with a time and an offset). The cursor carries it: on later pages leave it out or send the same instant.`,
    schema: { type: 'string', format: 'date-time' },
    example: '2026-12-01T09:00:00+09:00',
  },
  {
    name: 'cursor',
    in: 'query',
    required: false,
    description:
      'The `nextCursor` of the previous answer, as given (opaque, base64url). An edited cursor, or one of another feed or tenant, is 400.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
  },
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Items per page, 1 to ${FEED_LIMIT_MAX} (default ${FEED_LIMIT_DEFAULT})`,
    schema: { type: 'integer', minimum: 1, maximum: FEED_LIMIT_MAX, default: FEED_LIMIT_DEFAULT },
  },
  acceptLanguage,
];

const contentLanguage = {
  'Content-Language': {
    description: 'The language of the texts in the answer (ja or en, from Accept-Language)',
    required: true,
    schema: { enum: ['ja', 'en'] },
  },
};

const feedProperties = {
  nextCursor: {
    type: 'string',
    description:
      'Send it as `cursor` for the next page, or keep it to ask later what changed since',
  },
  hasMore: { type: 'boolean', description: 'More changes are readable right now' },
};

const cursorExample = 'eyJmIjoib3JkZXJzIiwicCI6IjEyMzQ1IiwiaSI6IjAxOTNhMWIyIn0';

function badQuery(h: ProblemHelpers): Json {
  return h.problemResponse(
    '`updatedSince` is not an ISO 8601 date-time, `cursor` is not one this feed gave, or `limit` is out of 1..500; `errors` names the field',
    h.problemExample(
      400,
      'Bad Request',
      '入力内容に誤りがあります: limit は 1 から 500 までの整数で指定してください',
      'Invalid input: limit must be an integer from 1 to 500',
      [
        {
          field: 'limit',
          ja: 'limit は 1 から 500 までの整数で指定してください',
          en: 'limit must be an integer from 1 to 500',
        },
      ],
    ),
  );
}

/** `GET /api/v1/orders`: the order change feed (merged into the path of `POST`). */
export function orderFeedOperation(h: ProblemHelpers, orderExample: Json): Json {
  return {
    operationId: 'listOrderChanges',
    tags: ['orders'],
    summary: '受注の変更を順に読む / Read the order change feed',
    description: `Requires the scope \`orders:read\`. ${FEED_DESCRIPTION} Each order is as \`GET /api/v1/orders/{orderNumber}\` answers it (with its \`version\`); an order changes in the feed when the order, one of its lines (allocation) or its shipment in Smaregi changes.`,
    'x-required-scopes': ['orders:read'],
    parameters: feedParameters('orders'),
    responses: {
      '200': {
        description: 'A page of changed orders, oldest change first',
        headers: contentLanguage,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/OrderFeedPage' },
            example: { orders: [orderExample], nextCursor: cursorExample, hasMore: false },
          },
        },
      },
      '400': badQuery(h),
      '401': h.problemResponse('Missing or invalid API key'),
      '403': h.forbidden('orders:read'),
    },
  };
}

const stockItemExample = {
  productCode: 'TS-001',
  name: 'Tシャツ ホワイト M',
  smaregiProductId: '8000001',
  effectiveStock: 7,
  stockAmount: 9,
  allocatedAmount: 2,
  recomputeDue: false,
  stockUpdatedAt: '2026-12-01T00:10:00.000Z',
  stores: [
    { smaregiStoreId: '1', stockAmount: 9, allocatedAmount: 2 },
    { smaregiStoreId: '2', stockAmount: 4, allocatedAmount: 0 },
  ],
};

/** `GET /api/v1/stock` and `GET /api/v1/stock/{productCode}`. */
export function stockPaths(h: ProblemHelpers): Record<string, Json> {
  return {
    '/api/v1/stock': {
      get: {
        operationId: 'listStockChanges',
        tags: ['stock'],
        summary: '有効在庫数の変更を順に読む / Read the stock change feed',
        description: `Requires the scope \`stock:read\`. ${FEED_DESCRIPTION} A product comes in the feed when its 有効在庫数, its stock or allocated amounts, a store's stock, its code, name or Smaregi product ID change, or when a recompute becomes due or is done; a reconciliation that finds the same figures does not bring it again. \`settings\` are the tenant's stock settings now.`,
        'x-required-scopes': ['stock:read'],
        parameters: feedParameters('products whose stock figures'),
        responses: {
          '200': {
            description: 'A page of products whose stock figures changed, oldest change first',
            headers: contentLanguage,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/StockFeedPage' },
                example: {
                  products: [stockItemExample],
                  settings: {
                    stockBasis: 'orderStoreWarehouse',
                    effectiveStockMode: 'smaregiAllocation',
                    warehouseStoreId: '1',
                  },
                  nextCursor: cursorExample,
                  hasMore: false,
                },
              },
            },
          },
          '400': badQuery(h),
          '401': h.problemResponse('Missing or invalid API key'),
          '403': h.forbidden('stock:read'),
        },
      },
    },
    '/api/v1/stock/{productCode}': {
      get: {
        operationId: 'getStock',
        tags: ['stock'],
        summary: '商品の有効在庫数を読む / Read the effective stock of a product',
        description:
          "Requires the scope `stock:read`. The product's stock item (as in the feed) and its breakdown under the current settings: the stored stock rows per store (counted or not), the warehouse, the open orders' quantity, and the figure the rule gives over them now (`computed`, the admin's [内訳]; it may differ from `effectiveStock` while `recomputeDue`).",
        'x-required-scopes': ['stock:read'],
        parameters: [
          {
            name: 'productCode',
            in: 'path',
            required: true,
            description:
              '商品番号 (URL-encoded); matched as the product list matches it (full-width and half-width alike)',
            schema: { type: 'string' },
            example: 'TS-001',
          },
          acceptLanguage,
        ],
        responses: {
          '200': {
            description: "The product's stock",
            headers: contentLanguage,
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/ProductStock' },
                example: {
                  product: stockItemExample,
                  figures: {
                    stockBasis: 'orderStoreWarehouse',
                    effectiveStockMode: 'smaregiAllocation',
                    warehouse: { storeId: '1', shopName: '楽天市場店' },
                    rows: [
                      {
                        smaregiStoreId: '1',
                        stockAmount: 9,
                        allocatedAmount: 2,
                        counted: true,
                        source: 'webhook',
                        readAt: '2026-12-01T00:09:58.000Z',
                      },
                      {
                        smaregiStoreId: '2',
                        stockAmount: 4,
                        allocatedAmount: 0,
                        counted: false,
                        source: 'reconciliation',
                        readAt: '2026-12-01T00:00:00.000Z',
                      },
                    ],
                    openOrderQuantity: null,
                    computed: { stockAmount: 9, reserved: 2, effectiveStock: 7 },
                    problem: null,
                  },
                },
              },
            },
          },
          '400': h.problemResponse(
            '`productCode` is longer than any product code (100 characters); `errors` names it',
            h.problemExample(
              400,
              'Bad Request',
              '入力内容に誤りがあります: 商品番号は100文字以下で指定してください',
              'Invalid input: productCode must be at most 100 characters',
              [
                {
                  field: 'productCode',
                  ja: '商品番号は100文字以下で指定してください',
                  en: 'productCode must be at most 100 characters',
                },
              ],
            ),
          ),
          '401': h.problemResponse('Missing or invalid API key'),
          '403': h.forbidden('stock:read'),
          '404': h.problemResponse(
            "The key's tenant lists no product with this code (another tenant's product is not found either); `errors` names productCode",
            h.problemExample(
              404,
              'Not Found',
              '商品番号 TS-001 の出品商品が見つかりません',
              'No listed product with the product code TS-001',
              [
                {
                  field: 'productCode',
                  ja: 'この商品番号の出品商品はありません',
                  en: 'No listed product has this product code',
                },
              ],
              { productCode: 'TS-001' },
            ),
          ),
        },
      },
    },
  };
}

const nullableInteger = (description: string) => ({ type: ['integer', 'null'], description });

export const feedSchemas: Record<string, Json> = {
  OrderFeedPage: {
    type: 'object',
    required: ['orders', 'nextCursor', 'hasMore'],
    properties: {
      orders: {
        type: 'array',
        items: { $ref: '#/components/schemas/RestOrder' },
        description: 'Changed orders, oldest change first',
      },
      ...feedProperties,
    },
  },
  StockItem: {
    type: 'object',
    description:
      "A listed product's 有効在庫数 as Renkei last computed it (what the admin's product list shows and Smaregi-side figures are compared with), with the stored figures it came from",
    required: [
      'productCode',
      'name',
      'smaregiProductId',
      'effectiveStock',
      'stockAmount',
      'allocatedAmount',
      'recomputeDue',
      'stockUpdatedAt',
      'stores',
    ],
    properties: {
      productCode: { type: 'string', description: '商品番号' },
      name: { type: 'string' },
      smaregiProductId: { type: ['string', 'null'], description: 'null until imported' },
      effectiveStock: nullableInteger('有効在庫数; null until computed'),
      stockAmount: nullableInteger('在庫数 counted under 在庫数合算設定'),
      allocatedAmount: nullableInteger(
        "Smaregi's allocated amount (smaregiAllocation mode; null in omsPurchase mode)",
      ),
      recomputeDue: {
        type: 'boolean',
        description:
          'An order event changed what the figures come from; Renkei recomputes them shortly (the product then comes again)',
      },
      stockUpdatedAt: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When Renkei last computed or confirmed the figures',
      },
      stores: {
        type: 'array',
        description: "Smaregi's stock per store as Renkei last read it",
        items: {
          type: 'object',
          required: ['smaregiStoreId', 'stockAmount', 'allocatedAmount'],
          properties: {
            smaregiStoreId: { type: 'string' },
            stockAmount: { type: 'integer' },
            allocatedAmount: { type: 'integer' },
          },
        },
      },
    },
  },
  StockSettings: {
    type: 'object',
    description: "The tenant's stock settings now",
    required: ['stockBasis', 'effectiveStockMode', 'warehouseStoreId'],
    properties: {
      stockBasis: { enum: [...stockBasisValues], description: '在庫数合算設定' },
      effectiveStockMode: {
        enum: [...effectiveStockModeValues],
        description: '有効在庫数計算設定',
      },
      warehouseStoreId: {
        type: ['string', 'null'],
        description:
          'The store counted under orderStoreWarehouse (the warehouse of the shops’ 受注店舗); null with allStores or while not set',
      },
    },
  },
  StockFeedPage: {
    type: 'object',
    required: ['products', 'settings', 'nextCursor', 'hasMore'],
    properties: {
      products: {
        type: 'array',
        items: { $ref: '#/components/schemas/StockItem' },
        description: 'Products whose stock figures changed, oldest change first',
      },
      settings: { $ref: '#/components/schemas/StockSettings' },
      ...feedProperties,
    },
  },
  ProductStock: {
    type: 'object',
    required: ['product', 'figures'],
    properties: {
      product: { $ref: '#/components/schemas/StockItem' },
      figures: {
        type: 'object',
        description:
          "What the product's 有効在庫数 comes from under the current settings, and the figure the rule gives over it now",
        required: [
          'stockBasis',
          'effectiveStockMode',
          'warehouse',
          'rows',
          'openOrderQuantity',
          'computed',
          'problem',
        ],
        properties: {
          stockBasis: { enum: [...stockBasisValues] },
          effectiveStockMode: { enum: [...effectiveStockModeValues] },
          warehouse: {
            type: ['object', 'null'],
            description: 'The warehouse counted under orderStoreWarehouse (null with allStores)',
            required: ['storeId', 'shopName'],
            properties: {
              storeId: { type: ['string', 'null'] },
              shopName: { type: ['string', 'null'] },
            },
          },
          rows: {
            type: 'array',
            items: {
              type: 'object',
              required: [
                'smaregiStoreId',
                'stockAmount',
                'allocatedAmount',
                'counted',
                'source',
                'readAt',
              ],
              properties: {
                smaregiStoreId: { type: 'string' },
                stockAmount: { type: 'integer' },
                allocatedAmount: { type: 'integer' },
                counted: { type: 'boolean', description: 'Counts under 在庫数合算設定' },
                source: { enum: [...STOCK_SOURCES] },
                readAt: { type: 'string', format: 'date-time' },
              },
            },
          },
          openOrderQuantity: nullableInteger(
            "The open orders' purchase quantity (omsPurchase mode; null otherwise)",
          ),
          computed: {
            type: ['object', 'null'],
            description: 'null with a `problem` when no figure can be computed',
            required: ['stockAmount', 'reserved', 'effectiveStock'],
            properties: {
              stockAmount: { type: 'integer' },
              reserved: { type: 'integer' },
              effectiveStock: { type: 'integer' },
            },
          },
          problem: {
            enum: ['notImported', 'warehouseNotSet', null],
            description: 'Why no figure: the product is not imported, or the warehouse is not set',
          },
        },
      },
    },
  },
};
