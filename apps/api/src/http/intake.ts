import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { GroupCommitIntake } from '../services/group-commit.js';
import { orderViewIn } from '../services/orders/views.js';
import { bodyErrorOf } from './json-body.js';
import { requestLocale, sendProblem } from './problem.js';

/** Largest intake body: a 1,000-line order (Smaregi's modeled cap) fits with room to spare. */
export const INTAKE_BODY_LIMIT = '5mb';

/**
 * `POST /api/v1/orders`: the REST intake for integrators. Authenticated by the tenant's API key
 * holding `orders:write` (403 naming the scope otherwise);
 * the tenant comes from the key, never from the body. 201 for a new order, 200 for a repeat, a
 * documented update (status / shipping date) or a corrected version of an order not yet in
 * Smaregi, 409 for different content once it is (or may be), 400 naming the fields.
 */
export function intakeRouter(deps: AppDeps): Router {
  const router = express.Router();
  const keys = deps.apiKeys;
  // Orders arriving while others are being written are written together (group commit).
  const intake = new GroupCommitIntake(deps, 'api', { userId: null, label: 'api-key' });
  router.post('/api/v1/orders', async (req, res) => {
    const principal = await keys.authorize(req, res, 'orders:write');
    if (principal === null) return;
    const tenantId = principal.tenantId;
    if (!req.is('application/json')) {
      sendProblem(
        res,
        new AppError('BAD_REQUEST', {
          ja: 'Content-Type は application/json にしてください',
          en: 'Content-Type must be application/json',
        }),
      );
      return;
    }
    const bodyError = bodyErrorOf(res);
    if (bodyError !== undefined) {
      deps.metrics.ordersReceived.inc({ source: 'api', result: 'rejected' });
      sendProblem(res, bodyError);
      return;
    }
    try {
      const result = await intake.receive(tenantId, req.body);
      deps.metrics.ordersReceived.inc({ source: 'api', result: result.outcome });
      // The order's reason, if any, in the language asked for (as problem details are).
      res
        .status(result.outcome === 'created' ? 201 : 200)
        .set('Content-Language', requestLocale(req))
        .vary('Accept-Language')
        .json({ outcome: result.outcome, order: orderViewIn(result.order, requestLocale(req)) });
    } catch (error) {
      deps.metrics.ordersReceived.inc({ source: 'api', result: 'rejected' });
      if (!(error instanceof AppError)) deps.logger.error({ err: error }, 'order intake failed');
      sendProblem(res, error);
    }
  });
  return router;
}
