import { omsOrderSchema } from '@renkei/domain';
import { forkEm, ListedProduct } from '@renkei/persistence';
import express, { type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { DEMO_INTAKE_KEY, DEMO_ORDER_EXAMPLE, DEMO_TENANT_ID } from '../demo/constants.js';

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

/** Builds the OpenAPI 3.1 document of the REST intake; the order schema comes from packages/domain. */
export async function openApiDocument(deps: AppDeps): Promise<Record<string, unknown>> {
  const orderSchema = z.toJSONSchema(omsOrderSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
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
  const problemResponse = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Renkei order intake API',
      version: '1.0.0',
      description: [
        '受注をRenkeiに登録します。店舗・支払方法・受注ステータスのIDは管理画面で確認できます。',
        'Registers OMS orders in Renkei. Idempotent on (shop, order number): the same content again returns the same order (200);',
        'posting an existing order with a different `statusId` and/or `shippingDate` updates those (200); any other difference is 409.',
        deps.config.demo
          ? `Demo mode: the API key \`${DEMO_INTAKE_KEY}\` belongs to the demo tenant (public, demo only).`
          : '',
      ].join('\n'),
    },
    servers: [{ url: deps.config.publicUrl }],
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/api/v1/orders': {
        post: {
          operationId: 'createOrder',
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
            '409': problemResponse(
              'The order is (or may be) in Smaregi and this content differs; before that a new version replaces it (200 updated)',
            ),
            '413': problemResponse('Body larger than 5 MB'),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: {
        OmsOrder: orderSchema,
        Problem: problem,
        IntakeResult: {
          type: 'object',
          properties: {
            outcome: { enum: ['created', 'unchanged', 'updated'] },
            order: {
              type: 'object',
              description: 'The stored order (id, orderCode, syncState, ...)',
            },
          },
        },
      },
    },
  };
}

export function openApiRouter(deps: AppDeps): Router {
  const router = express.Router();
  router.get('/api/v1/openapi.json', async (_req, res) => {
    res.json(await openApiDocument(deps));
  });
  return router;
}
