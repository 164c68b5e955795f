import express, { type Request, type Response, type Router } from 'express';
import type { AppDeps } from '../deps.js';
import { AppError, fieldError, invalid } from '../errors.js';
import {
  applyOrderPatch,
  orderByNumber,
  parseOrderPatch,
  patchChanges,
  restOrder,
} from '../services/orders/rest-order.js';
import {
  idempotencyKeyOf,
  keepAnswer,
  keptAnswer,
  requestFingerprint,
} from '../services/request-idempotency.js';
import type { TenantScope } from '../services/scope.js';
import { apiKeyScope, type ApiPrincipal } from './api-key-auth.js';
import { bodyErrorOf } from './json-body.js';
import { requestLocale, sendProblem } from './problem.js';

/** The version as an `ETag` (a strong validator: any change of the order changes it). */
const etagOf = (version: string) => `"${version}"`;

/**
 * Whether `If-Match` names the current version: `*`, or a list holding it (quoted as sent in the
 * ETag; a bare version is accepted too). A weak tag never matches (RFC 9110 §13.1.1).
 */
function ifMatchHolds(header: string, version: string): boolean {
  if (header.trim() === '*') return true;
  return header
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === etagOf(version) || t === version);
}

/** The optional `shopId` query parameter (which shop, when shops share an order number). */
function shopIdOf(req: Request): string | undefined {
  const value = req.query.shopId;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64)
    throw invalid([fieldError('shopId', '店舗IDが正しくありません', 'Invalid shopId')]);
  return value.trim();
}

/**
 * `GET` and `PATCH /api/v1/orders/{orderNumber}`: an OMS reads an order as Renkei holds it (sync
 * state and reason, Smaregi 受注 ID, allocation per line, shipping) and changes its status, 出荷日
 * or cancels it, through the admin's own services (services/orders/rest-order.ts). Reading needs
 * a key with `orders:read`, changing `orders:write`; a change names the version it was made
 * against (`If-Match`) and may carry an `Idempotency-Key`. Another tenant's order is not found.
 */
export function ordersV1Router(deps: AppDeps): Router {
  const router = express.Router();
  const keys = deps.apiKeys;

  const scopeFor = (principal: ApiPrincipal, req: Request): TenantScope =>
    apiKeyScope(deps, principal, req);

  const answer = (req: Request, res: Response, status: number, body: unknown, etag: string) => {
    res
      .status(status)
      .set('ETag', etag)
      .set('Content-Language', requestLocale(req))
      .vary('Accept-Language')
      .json(body);
  };

  const failed = (res: Response, error: unknown) => {
    if (!(error instanceof AppError)) deps.logger.error({ err: error }, 'orders API failed');
    sendProblem(res, error);
  };

  router.get('/api/v1/orders/:orderNumber', async (req, res) => {
    const principal = await keys.authorize(req, res, 'orders:read');
    if (principal === null) return;
    try {
      const scope = scopeFor(principal, req);
      const order = await orderByNumber(scope, req.params.orderNumber, shopIdOf(req));
      const view = await restOrder(scope, order, requestLocale(req));
      answer(req, res, 200, { order: view }, etagOf(view.version));
    } catch (error) {
      failed(res, error);
    }
  });

  router.patch('/api/v1/orders/:orderNumber', async (req, res) => {
    const principal = await keys.authorize(req, res, 'orders:write');
    if (principal === null) return;
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
      sendProblem(res, bodyError);
      return;
    }
    const locale = requestLocale(req);
    const scope = scopeFor(principal, req);
    let current: string | null = null;
    try {
      const patch = parseOrderPatch(req.body);
      const key = idempotencyKeyOf(req.get('idempotency-key'));
      const shopId = shopIdOf(req);
      const fingerprint = requestFingerprint(req.method, req.originalUrl, req.body);
      await scope.em.begin();
      try {
        if (key !== undefined) {
          const kept = await keptAnswer(scope, key, fingerprint);
          if (kept !== null) {
            await scope.em.commit();
            // The first answer as it was given (its language too), marked as a replay.
            res.set('Idempotent-Replayed', 'true');
            if (kept.etag !== null) res.set('ETag', kept.etag);
            if (kept.language !== null) res.set('Content-Language', kept.language);
            res.status(kept.status).json(kept.body);
            return;
          }
        }
        const order = await orderByNumber(scope, req.params.orderNumber, shopId);
        const before = await restOrder(scope, order, locale);
        current = before.version;
        const ifMatch = req.get('if-match');
        if (ifMatch === undefined)
          throw new AppError(
            'PRECONDITION_REQUIRED',
            {
              ja: 'If-Match ヘッダーに受注の version(GET で返る ETag)を指定してください',
              en: "Send the order's version (the ETag of GET) in the If-Match header",
            },
            [fieldError('If-Match', 'If-Match がありません', 'If-Match is missing')],
            { version: before.version },
          );
        if (!ifMatchHolds(ifMatch, before.version)) throw staleVersion(before.version);
        const changes = await patchChanges(scope, order, patch);
        const changed = changes.statusId !== undefined || changes.shippingDate !== undefined;
        if (changed) {
          // Compare-and-set on the row: a change committed by anyone since the order was read
          // (the admin, the intake, another PATCH) makes this a 412 instead of a lost update.
          const won = await scope.repos.orders.update(
            { id: order.id, updatedAt: order.updatedAt },
            { updatedAt: deps.now() },
          );
          if (won === 0) {
            current = null;
            throw staleVersion(null);
          }
          await applyOrderPatch(scope, order, changes);
        }
        await scope.em.flush();
        const after = await restOrder(scope, order, locale);
        const body = { outcome: changed ? 'updated' : 'unchanged', order: after };
        if (key !== undefined)
          keepAnswer(scope, key, fingerprint, {
            status: 200,
            body,
            etag: etagOf(after.version),
            language: locale,
          });
        await scope.em.commit();
        answer(req, res, 200, body, etagOf(after.version));
      } catch (error) {
        await scope.em.rollback();
        throw error;
      }
    } catch (error) {
      if (error instanceof AppError && error.code === 'PRECONDITION_FAILED') {
        // The current version, for the client to read the order again and decide.
        current ??= await currentVersion(principal, req).catch(() => null);
        if (current !== null) res.set('ETag', etagOf(current));
      } else if (
        current !== null &&
        error instanceof AppError &&
        error.code === 'PRECONDITION_REQUIRED'
      ) {
        res.set('ETag', etagOf(current));
      }
      failed(res, error);
    }
  });

  /** The order's version as committed now (after a compare-and-set lost to another change). */
  const currentVersion = async (principal: ApiPrincipal, req: Request): Promise<string | null> => {
    const scope = scopeFor(principal, req);
    const order = await orderByNumber(scope, String(req.params.orderNumber), shopIdOf(req));
    return (await restOrder(scope, order, requestLocale(req))).version;
  };

  return router;
}

/** 412: the version named in If-Match is not the order's any more. */
function staleVersion(version: string | null): AppError {
  return new AppError(
    'PRECONDITION_FAILED',
    {
      ja: '受注はこの version の後に変更されています。GET で読み直してから、新しい version で送ってください',
      en: 'The order has changed since this version; GET it again and send the new version in If-Match',
    },
    [
      fieldError(
        'If-Match',
        '受注の現在の version ではありません',
        "Not the order's current version",
      ),
    ],
    version === null ? undefined : { version },
  );
}
