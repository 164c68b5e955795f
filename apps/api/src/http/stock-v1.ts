import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { readFeedQuery } from '../services/feeds/feed-query.js';
import { stockFeedPage, stockOfProduct } from '../services/stock/rest-stock.js';
import { apiKeyScope } from './api-key-auth.js';
import { answerJson, failWith } from './feeds-v1.js';

/**
 * `GET /api/v1/stock` (the stock change feed) and `GET /api/v1/stock/{productCode}` (one
 * product's stock with its breakdown), for a key with `stock:read`: services/stock/rest-stock.ts.
 * Another tenant's product is not found.
 */
export function stockV1Router(deps: AppDeps): Router {
  const router = express.Router();

  router.get('/api/v1/stock', async (req, res) => {
    const principal = await deps.apiKeys.authorize(req, res, 'stock:read');
    if (principal === null) return;
    try {
      const query = readFeedQuery(principal.tenantId, 'stock', req.query);
      answerJson(req, res, await stockFeedPage(apiKeyScope(deps, principal, req), query));
    } catch (error) {
      failWith(deps, res, error, 'stock feed');
    }
  });

  router.get('/api/v1/stock/:productCode', async (req, res) => {
    const principal = await deps.apiKeys.authorize(req, res, 'stock:read');
    if (principal === null) return;
    try {
      const scope = apiKeyScope(deps, principal, req);
      answerJson(req, res, await stockOfProduct(scope, req.params.productCode));
    } catch (error) {
      failWith(deps, res, error, 'stock API');
    }
  });

  return router;
}
