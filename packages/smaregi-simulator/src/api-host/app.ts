import express, {
  Router,
  type Express,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import type { SimulatorContext } from '../context.js';
import { journalMiddleware } from '../control/journal-middleware.js';
import { ProblemError, sendProblem } from '../lib/problem.js';
import { registerConfirmedOrderShipmentRoutes } from './order-shipment/confirmed.js';
import { registerModeledOrderShipmentRoutes } from './order-shipment/modeled.js';
import { registerCategoryRoutes } from './pos/categories.js';
import { registerPaymentMethodRoutes } from './pos/payment-methods.js';
import { registerProductRoutes } from './pos/products.js';
import { registerStockRoutes } from './pos/stock.js';
import { registerStoreRoutes } from './pos/stores.js';

/** Request bodies above this size are refused with 413 (a 1,000-line order fits easily). */
const BODY_LIMIT = '2mb';

/**
 * The API host (api.smaregi.dev): `/{contract_id}/pos/...` and `/{contract_id}/order-shipment/...`.
 * `control` is mounted first (the control API under `/__sim`), so it bypasses auth and limits.
 */
export function createApiHost(ctx: SimulatorContext, control: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('strict routing', true);
  app.use(journalMiddleware(ctx, 'api'));
  app.use(express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  app.use('/__sim', control);
  // The official reference's own request example writes collection paths with a trailing slash
  // (`/pos/products/?limit=10`, docs/smaregi-wire.md §1) and real clients send it: same resource.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    if (path.length > 1 && path.endsWith('/')) {
      req.url = path.replace(/\/+$/, '') + (q < 0 ? '' : req.url.slice(q));
    }
    next();
  });

  const pos = Router({ mergeParams: true, strict: true });
  registerProductRoutes(pos, ctx);
  registerCategoryRoutes(pos, ctx);
  registerStockRoutes(pos, ctx);
  registerStoreRoutes(pos, ctx);
  registerPaymentMethodRoutes(pos, ctx);
  app.use('/:contractId/pos', pos);

  const orderShipment = Router({ mergeParams: true, strict: true });
  registerConfirmedOrderShipmentRoutes(orderShipment, ctx);
  registerModeledOrderShipmentRoutes(orderShipment, ctx);
  app.use('/:contractId/order-shipment', orderShipment);

  app.use((_req: Request, res: Response) => {
    sendProblem(res, 404, '指定されたURLのリソースが見つかりません');
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (error instanceof ProblemError) {
      sendProblem(res, error.status, error.detail, error.options);
      return;
    }
    const e = error as { status?: number; type?: string };
    if (e.type === 'entity.too.large') {
      sendProblem(res, 413, 'リクエストボディが大きすぎます');
      return;
    }
    if (e.type === 'entity.parse.failed') {
      sendProblem(res, 400, 'リクエストボディのJSONが正しくありません');
      return;
    }
    if (e.status !== undefined && e.status >= 400 && e.status < 500) {
      sendProblem(res, e.status, 'リクエストが正しくありません');
      return;
    }
    console.error('[smaregi-simulator] api host error', error);
    sendProblem(res, 500, 'サーバーでエラーが発生しました');
  });

  return app;
}
