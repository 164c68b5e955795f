import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { AppError, fieldError, invalid } from '../errors.js';
import type { TenantScope } from '../services/scope.js';
import {
  changeEndpoint,
  createEndpoint,
  deleteEndpoint,
  endpointDeliveries,
  endpointView,
  getEndpoint,
  listEndpoints,
  redeliver,
} from '../services/webhook-endpoints.js';
import { webhookEndpointChangeShape, webhookEndpointCreateInput } from '../trpc/inputs.js';
import { apiKeyScope, type ApiPrincipal } from './api-key-auth.js';
import { bodyErrorOf } from './json-body.js';
import { requestLocale, sendProblem } from './problem.js';

/** Deliveries per page of `GET .../deliveries` unless `pageSize` says otherwise. */
const DELIVERIES_PAGE_SIZE = 20;

/**
 * REST API v1 for the tenant's outbound webhook endpoints, with a key holding `webhooks:manage`:
 * the same services as the admin's Webhook screen (services/webhook-endpoints.ts), so every
 * change is in the 操作履歴 under the key's name. Another tenant's endpoint or delivery is not
 * found. Errors are problem+json naming the field, in the language of `Accept-Language`.
 */
export function webhookEndpointsV1Router(deps: AppDeps): Router {
  const router = express.Router();
  const keys = deps.apiKeys;

  const scopeFor = (principal: ApiPrincipal, req: Request): TenantScope =>
    apiKeyScope(deps, principal, req);

  const answer = (req: Request, res: Response, status: number, body: unknown) => {
    res
      .status(status)
      .set('Content-Language', requestLocale(req))
      .vary('Accept-Language')
      .json(body);
  };

  /**
   * Runs one route for a key with `webhooks:manage`: the body (when `withBody`) must be JSON and
   * valid in its charset; any failure is answered as problem+json.
   */
  const route =
    (
      withBody: boolean,
      handle: (scope: TenantScope, req: Request, res: Response) => Promise<void>,
    ) =>
    async (req: Request, res: Response) => {
      const principal = await keys.authorize(req, res, 'webhooks:manage');
      if (principal === null) return;
      try {
        if (withBody) {
          if (!req.is('application/json'))
            throw new AppError('BAD_REQUEST', {
              ja: 'Content-Type は application/json にしてください',
              en: 'Content-Type must be application/json',
            });
          const bodyError = bodyErrorOf(res);
          if (bodyError !== undefined) throw bodyError;
        }
        await handle(scopeFor(principal, req), req, res);
      } catch (error) {
        if (!(error instanceof AppError) && !(error instanceof z.ZodError))
          deps.logger.error({ err: error }, 'webhook endpoints API failed');
        sendProblem(res, error);
      }
    };

  router.get(
    '/api/v1/webhook-endpoints',
    route(false, async (scope, req, res) => {
      answer(req, res, 200, { endpoints: await listEndpoints(scope) });
    }),
  );

  router.post(
    '/api/v1/webhook-endpoints',
    route(true, async (scope, req, res) => {
      const input = webhookEndpointCreateInput.parse(req.body);
      const created = await createEndpoint(scope, input);
      res.location(`/api/v1/webhook-endpoints/${created.endpoint.id}`);
      answer(req, res, 201, created);
    }),
  );

  router.get(
    '/api/v1/webhook-endpoints/:id',
    route(false, async (scope, req, res) => {
      const endpoint = await getEndpoint(scope, String(req.params.id));
      answer(req, res, 200, { endpoint: endpointView(endpoint) });
    }),
  );

  router.patch(
    '/api/v1/webhook-endpoints/:id',
    route(true, async (scope, req, res) => {
      const change = webhookEndpointChangeShape.parse(req.body);
      if (Object.keys(change).length === 0)
        throw new AppError('BAD_REQUEST', {
          ja: '変更する項目(url、description、events、state のいずれか)を指定してください',
          en: 'Name what to change: url, description, events or state',
        });
      const endpoint = await changeEndpoint(scope, String(req.params.id), change);
      answer(req, res, 200, { endpoint });
    }),
  );

  router.delete(
    '/api/v1/webhook-endpoints/:id',
    route(false, async (scope, _req, res) => {
      await deleteEndpoint(scope, String(_req.params.id));
      res.status(204).end();
    }),
  );

  router.get(
    '/api/v1/webhook-endpoints/:id/deliveries',
    route(false, async (scope, req, res) => {
      const query = z
        .strictObject({
          page: z.coerce.number().int().min(1).max(100_000).optional(),
          pageSize: z.coerce.number().int().min(1).max(100).optional(),
        })
        .safeParse(req.query);
      if (!query.success)
        throw invalid(
          query.error.issues.map((issue) => {
            const name = String(issue.path[0] ?? issue.path.join('.'));
            return name === 'pageSize'
              ? fieldError(
                  'pageSize',
                  'pageSize は1から100までの整数にしてください',
                  'pageSize must be an integer from 1 to 100',
                )
              : name === 'page'
                ? fieldError(
                    'page',
                    'page は1以上の整数にしてください',
                    'page must be an integer of 1 or more',
                  )
                : fieldError(name, `${name} は使えない項目です`, `Unknown parameter ${name}`);
          }),
        );
      const page = await endpointDeliveries(
        scope,
        String(req.params.id),
        query.data.page ?? 1,
        query.data.pageSize ?? DELIVERIES_PAGE_SIZE,
      );
      answer(req, res, 200, {
        deliveries: page.items,
        page: page.page,
        pageSize: page.pageSize,
        total: page.total,
      });
    }),
  );

  router.post(
    '/api/v1/webhook-deliveries/:id/redeliver',
    route(false, async (scope, req, res) => {
      const delivery = await redeliver(scope, String(req.params.id));
      answer(req, res, 202, { delivery });
    }),
  );

  return router;
}
