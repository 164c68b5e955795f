import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { readFeedQuery } from '../services/feeds/feed-query.js';
import { orderFeedPage } from '../services/feeds/order-feed.js';
import { apiKeyScope } from './api-key-auth.js';
import { requestLocale, sendProblem } from './problem.js';

/** A 200 JSON answer in the reader's language (the views carry reasons rendered in it). */
export function answerJson(req: Request, res: Response, body: unknown): void {
  res
    .status(200)
    .set('Content-Language', requestLocale(req))
    .set('Cache-Control', 'no-store')
    .vary('Accept-Language')
    .json(body);
}

/** A refusal as problem+json; anything but an AppError is logged first. */
export function failWith(deps: AppDeps, res: Response, error: unknown, what: string): void {
  if (!(error instanceof AppError)) deps.logger.error({ err: error }, `${what} failed`);
  sendProblem(res, error);
}

/**
 * `GET /api/v1/orders`: the tenant's order change feed (services/feeds/order-feed.ts), for a key
 * with `orders:read`. `updatedSince`, `cursor` and `limit` are read by services/feeds/feed-query.ts
 * (a bad one is a 400 naming it).
 */
export function feedsV1Router(deps: AppDeps): Router {
  const router = express.Router();

  router.get('/api/v1/orders', async (req, res) => {
    const principal = await deps.apiKeys.authorize(req, res, 'orders:read');
    if (principal === null) return;
    try {
      const query = readFeedQuery(principal.tenantId, 'orders', req.query);
      const scope = apiKeyScope(deps, principal, req);
      answerJson(req, res, await orderFeedPage(scope, query, requestLocale(req)));
    } catch (error) {
      failWith(deps, res, error, 'order feed');
    }
  });

  return router;
}
