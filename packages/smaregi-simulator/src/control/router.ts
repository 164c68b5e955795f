import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { formatPath } from '../lib/validation.js';
import { POS_PRODUCT_FIELDS } from '../state/types.js';
import { ControlError, type SimulatorControl } from './control.js';

/**
 * The control API over HTTP, under `/__sim` on the API host. It is not part of Smaregi: no
 * auth, no rate limit, not journaled. Errors are JSON `{error}` with status 400.
 */
const rate = z.number().min(0).max(1);
const faultSchema = z.strictObject({
  errorRates: z
    .strictObject({
      429: rate.optional(),
      500: rate.optional(),
      502: rate.optional(),
      503: rate.optional(),
      504: rate.optional(),
    })
    .optional(),
  retryAfterSeconds: z.number().int().min(1).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  dropRate: rate.optional(),
  failAfterApplyRate: rate.optional(),
  hosts: z.array(z.enum(['api', 'id'])).optional(),
  methods: z.array(z.string()).optional(),
  pathIncludes: z.string().optional(),
  contractId: z.string().optional(),
});
const rateLimitSchema = z.union([
  z.strictObject({
    readsPerSecond: z.number().int().min(1),
    writesPerSecond: z.number().int().min(1),
  }),
  z.strictObject({ enabled: z.literal(false) }),
]);
const endpointSchema = z.strictObject({
  url: z.string(),
  secretHeaderName: z.string(),
  secretHeaderValue: z.string(),
  events: z.array(z.string()).optional(),
});
const appSubscriptionSchema = z.strictObject({ url: z.string() });
const quirksSchema = z.strictObject({ ignoreOrderCodeFilter: z.boolean().optional() });
const behaviourSchema = z.strictObject({
  duplicateRate: rate.optional(),
  delayMs: z.number().int().min(0).max(60_000).optional(),
  shuffle: z.boolean().optional(),
  dropRate: rate.optional(),
});
const contractIdField = z.string().optional();
const saleSchema = z.strictObject({
  contractId: contractIdField,
  storeId: z.string(),
  lines: z.array(z.strictObject({ productId: z.string(), quantity: z.number().int() })),
});
const activitySchema = z.strictObject({
  contractId: contractIdField,
  intervalMs: z.number().int(),
});
const adjustmentSchema = z.strictObject({
  contractId: contractIdField,
  storeId: z.string(),
  productId: z.string(),
  amount: z.number().int().optional(),
  stockAmount: z.number().int().optional(),
  memo: z.string().max(100).optional(),
});
const seedSchema = z.strictObject({
  contractId: contractIdField,
  count: z.number().int(),
  categoryId: z.string().optional(),
  codePrefix: z.string().optional(),
});
/** A product as the admin screen would create it (POS wire strings; defaults as the API's). */
const optionalProductFields = Object.fromEntries(
  POS_PRODUCT_FIELDS.filter((f) => !['productId', 'insDateTime', 'updDateTime'].includes(f)).map(
    (f) => [f, z.string().max(1000).nullable().optional()],
  ),
);
const productSchema = z.strictObject({
  ...optionalProductFields,
  contractId: contractIdField,
  categoryId: z.string(),
  productCode: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[ -~]+$/),
  productName: z.string().min(1).max(85),
  price: z.string().regex(/^-?\d{1,8}$/),
});
const orderStoreSchema = z.strictObject({
  contractId: contractIdField,
  stockStoreId: z.string().nullable().optional(),
  autoAllocation: z.boolean().optional(),
  sellDivision: z.enum(['included', 'excluded']).optional(),
  pauseFlag: z.boolean().optional(),
});
const modeledSurfaceSchema = z.strictObject({
  contractId: contractIdField,
  orderShipmentStock: z.boolean().optional(),
  orderStoreStockFields: z.boolean().optional(),
});
const contractSchema = z.strictObject({
  contractId: z.string(),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  user: z
    .strictObject({ loginId: z.string(), password: z.string(), name: z.string().optional() })
    .optional(),
  withDemoShop: z.boolean().optional(),
  rateLimits: rateLimitSchema.optional(),
});
const contractsSchema = z.strictObject({
  count: z.number().int(),
  contractIdPrefix: z.string().optional(),
  clientId: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  withDemoShop: z.boolean().optional(),
  rateLimits: rateLimitSchema.optional(),
});
const limitsOf = (body: z.output<typeof rateLimitSchema>) => ('enabled' in body ? false : body);
const subscriptionSchema = z.strictObject({
  contractId: contractIdField,
  clientId: z.string().optional(),
  action: z.enum([
    'start',
    'end',
    'change-plan',
    'change-options',
    'force-stop',
    'cancel-force-stop',
  ]),
});

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ControlError(
      issue ? `${formatPath(issue.path)}: ${issue.message}` : 'リクエストが正しくありません',
    );
  }
  return r.data;
}

function q(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/** Builds the `/__sim` router. */
export function createControlRouter(control: SimulatorControl): Router {
  const r = Router();
  r.use(express.json({ limit: '1mb' }));

  r.get('/journal', (req, res) => {
    const since = q(req, 'sinceSeq');
    const host = q(req, 'host');
    res.json({
      entries: control.journal({
        ...(host === 'api' || host === 'id' ? { host } : {}),
        ...(q(req, 'contractId') ? { contractId: q(req, 'contractId') } : {}),
        ...(q(req, 'clientId') ? { clientId: q(req, 'clientId') } : {}),
        ...(q(req, 'method') ? { method: q(req, 'method') } : {}),
        ...(q(req, 'pathPrefix') ? { pathPrefix: q(req, 'pathPrefix') } : {}),
        ...(since !== undefined ? { sinceSeq: Number(since) } : {}),
      }),
    });
  });
  r.delete('/journal', (_req, res) => {
    control.clearJournal();
    res.status(204).end();
  });

  r.get('/faults', (req, res) => {
    res.json(control.faults(q(req, 'contractId')));
  });
  r.put('/faults', (req, res) => {
    const body = parse(faultSchema, req.body);
    control.setFaults(body);
    res.json(control.faults(body.contractId));
  });
  r.delete('/faults', (req, res) => {
    control.clearFaults(q(req, 'contractId'));
    res.status(204).end();
  });

  r.post('/tokens/expire', (req, res) => {
    res.json({ expired: control.expireTokens(q(req, 'contractId')) });
  });

  r.get('/rate-limits', (req, res) => {
    const limits = control.rateLimits(q(req, 'contractId'));
    res.json(limits === false ? { enabled: false } : limits);
  });
  r.put('/rate-limits', (req, res) => {
    const body = parse(rateLimitSchema, req.body);
    control.setRateLimits(limitsOf(body), q(req, 'contractId'));
    res.json(body);
  });
  r.delete('/rate-limits', (req, res) => {
    const contractId = q(req, 'contractId');
    if (contractId === undefined) throw new ControlError('contractId: 指定してください');
    control.setRateLimits(null, contractId);
    res.status(204).end();
  });

  r.get('/webhooks/endpoint', (_req, res) => {
    res.json(control.webhookEndpoint());
  });
  r.put('/webhooks/endpoint', (req, res) => {
    control.setWebhookEndpoint(parse(endpointSchema, req.body));
    res.json(control.webhookEndpoint());
  });
  r.delete('/webhooks/endpoint', (_req, res) => {
    control.setWebhookEndpoint(null);
    res.status(204).end();
  });
  r.get('/app-subscription/endpoint', (_req, res) => {
    res.json({ url: control.appSubscriptionUrl() });
  });
  r.put('/app-subscription/endpoint', (req, res) => {
    control.setAppSubscriptionUrl(parse(appSubscriptionSchema, req.body).url);
    res.json({ url: control.appSubscriptionUrl() });
  });
  r.delete('/app-subscription/endpoint', (_req, res) => {
    control.setAppSubscriptionUrl(null);
    res.status(204).end();
  });
  r.get('/quirks', (_req, res) => {
    res.json(control.quirks());
  });
  r.put('/quirks', (req, res) => {
    const input = parse(quirksSchema, req.body);
    res.json(
      control.setQuirks(
        input.ignoreOrderCodeFilter === undefined
          ? {}
          : { ignoreOrderCodeFilter: input.ignoreOrderCodeFilter },
      ),
    );
  });
  r.put('/webhooks/behaviour', (req, res) => {
    control.setWebhookBehaviour(parse(behaviourSchema, req.body));
    res.json(control.webhookBehaviour());
  });
  r.get('/webhooks/deliveries', (_req, res) => {
    res.json({ deliveries: control.webhookDeliveries() });
  });
  r.delete('/webhooks/deliveries', (_req, res) => {
    control.clearWebhookDeliveries();
    res.status(204).end();
  });
  r.post('/flush', async (req, res) => {
    await control.flush({ now: q(req, 'now') === 'true' });
    res.status(204).end();
  });
  r.get('/callbacks', (_req, res) => {
    res.json({ callbacks: control.callbacks() });
  });

  r.post('/pos/sales', (req, res) => {
    res.json(control.posSale(parse(saleSchema, req.body)));
  });
  r.post('/pos/activity', (req, res) => {
    control.startPosActivity(parse(activitySchema, req.body));
    res.status(204).end();
  });
  r.delete('/pos/activity', (_req, res) => {
    control.stopPosActivity();
    res.status(204).end();
  });
  r.post('/pos/stock-adjustments', (req, res) => {
    res.json(control.adjustStock(parse(adjustmentSchema, req.body)));
  });

  r.post('/seed/products', (req, res) => {
    res.json(control.seedProducts(parse(seedSchema, req.body)));
  });
  r.post('/products', (req, res) => {
    res.status(201).json(control.addProduct(parse(productSchema, req.body)));
  });
  r.put('/modeled-surface', (req, res) => {
    res.json(control.setModeledSurface(parse(modeledSurfaceSchema, req.body)));
  });
  r.patch('/order-stores/:storeId', (req: Request<{ storeId: string }>, res) => {
    const body = parse(orderStoreSchema, req.body);
    res.json(control.updateOrderStore({ ...body, storeId: req.params.storeId }));
  });
  r.post('/contracts', (req, res) => {
    const { rateLimits, ...body } = parse(contractSchema, req.body);
    control.addContract({
      ...body,
      ...(rateLimits === undefined ? {} : { rateLimits: limitsOf(rateLimits) }),
    });
    res.status(201).json({ contractId: body.contractId });
  });
  r.post('/contracts/batch', (req, res) => {
    const { rateLimits, ...body } = parse(contractsSchema, req.body);
    const contractIds = control.addContracts({
      ...body,
      ...(rateLimits === undefined ? {} : { rateLimits: limitsOf(rateLimits) }),
    });
    res.status(201).json({ contractIds });
  });
  r.post('/app-subscription', (req, res) => {
    control.sendAppSubscription(parse(subscriptionSchema, req.body));
    res.status(204).end();
  });
  r.get('/state', (req, res) => {
    res.json({ now: control.now().toISOString(), ...control.summary(q(req, 'contractId')) });
  });

  r.use((_req: Request, res: Response) => {
    res.status(404).json({ error: '制御APIにそのパスはありません' });
  });
  r.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (error instanceof ControlError) {
      res.status(400).json({ error: error.message });
      return;
    }
    const e = error as { type?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'JSONが正しくありません' });
      return;
    }
    next(error);
  });
  return r;
}
