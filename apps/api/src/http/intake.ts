import express, { type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { GroupCommitIntake } from '../services/group-commit.js';
import { orderView } from '../services/orders/views.js';
import { ApiKeyAuthenticator } from './api-key-auth.js';
import { bodyErrorOf } from './json-body.js';
import { sendProblem } from './problem.js';

/** Largest intake body: a 1,000-line order (Smaregi's modeled cap) fits with room to spare. */
export const INTAKE_BODY_LIMIT = '5mb';

/**
 * `POST /api/v1/orders`: the REST intake for integrators. Authenticated by the tenant's API key;
 * the tenant comes from the key, never from the body. 201 for a new order, 200 for a repeat or a
 * documented update (status / shipping date), 409 for different content, 400 naming the fields.
 */
export function intakeRouter(deps: AppDeps): Router {
  const router = express.Router();
  const keys = new ApiKeyAuthenticator(deps.orm, () => deps.now().getTime());
  // Orders arriving while others are being written are written together (group commit).
  const intake = new GroupCommitIntake(deps, 'api', { userId: null, label: 'api-key' });
  router.post('/api/v1/orders', async (req, res) => {
    const key = ApiKeyAuthenticator.keyOf(req);
    const tenantId = key === null ? null : await keys.tenantFor(key);
    if (tenantId === null) {
      res.set('WWW-Authenticate', 'Bearer');
      sendProblem(
        res,
        new AppError('UNAUTHORIZED', {
          ja: 'APIキーが正しくありません',
          en: 'Missing or invalid API key',
        }),
      );
      return;
    }
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
      res
        .status(result.outcome === 'created' ? 201 : 200)
        .json({ outcome: result.outcome, order: orderView(result.order) });
    } catch (error) {
      deps.metrics.ordersReceived.inc({ source: 'api', result: 'rejected' });
      if (!(error instanceof AppError)) deps.logger.error({ err: error }, 'order intake failed');
      sendProblem(res, error);
    }
  });
  return router;
}
