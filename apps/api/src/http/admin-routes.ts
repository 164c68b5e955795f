import { parse as parseCookies } from 'cookie';
import { fieldErrorsOf } from '@renkei/domain';
import express, { type Request, type Router } from 'express';
import { tenantRepositories } from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { AppError, invalid } from '../errors.js';
import { sha256Hex } from '../security/secrets.js';
import {
  attachmentDisposition,
  exportShippingCsv,
  shippingCsvFileName,
} from '../services/shipping-csv.js';
import { completeConnection } from '../smaregi/connection-service.js';
import { createContext, SESSION_COOKIE } from '../trpc/context.js';
import { orderListRangeErrors, shippingCsvInput } from '../trpc/inputs.js';
import { sendProblem } from './problem.js';

export function sessionTokenOf(req: Request): string | undefined {
  const header = req.get('cookie');
  return header === undefined ? undefined : parseCookies(header)[SESSION_COOKIE];
}

/** Browser routes outside tRPC: the OAuth callback and the shipping CSV download. */
export function adminRoutes(deps: AppDeps): Router {
  const router = express.Router();

  /** Smaregi redirects the browser here after login + consent. */
  router.get('/api/smaregi/callback', async (req, res) => {
    const q = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : undefined);
    const token = sessionTokenOf(req);
    const outcome = await completeConnection(deps, {
      state: q('state'),
      code: q('code'),
      error: q('error'),
      sessionId: token === undefined ? null : sha256Hex(token),
      ip: req.ip ?? null,
    });
    // Back to the admin's connection screen on the origin the flow started from (HTML5 history
    // paths); the reason is a fixed word, never request text.
    const target = new URL(`${outcome.adminBase}/settings/connection`);
    target.searchParams.set('smaregi', outcome.ok ? 'connected' : 'error');
    if (!outcome.ok) target.searchParams.set('reason', outcome.reason);
    res.redirect(303, target.toString());
  });

  /**
   * 送り状・出荷CSV (Shift_JIS), a plain GET so that the browser saves the file. The filters of
   * the screen's preview (tRPC orders.shippingCsvReport): `shopId`, `statusId` (may repeat),
   * `shippingDateFrom` / `shippingDateTo` (YYYY-MM-DD), `lang=en` for English headers; a bad one
   * is refused naming the field. A read: the session cookie (SameSite=Lax) is enough, no CSRF
   * header, as for the tRPC queries (apps/api/src/http/csrf.ts guards mutations).
   */
  router.get('/api/admin/shipping.csv', async (req, res) => {
    const ctx = await createContext(deps, { sessionToken: sessionTokenOf(req) });
    if (ctx.user === null) {
      sendProblem(
        res,
        new AppError('UNAUTHORIZED', { ja: 'ログインしてください', en: 'Please sign in' }),
      );
      return;
    }
    const parsed = shippingCsvInput.safeParse(shippingCsvQuery(req.query));
    if (!parsed.success) {
      sendProblem(res, invalid(fieldErrorsOf(parsed.error)));
      return;
    }
    const rangeErrors = orderListRangeErrors(parsed.data);
    if (rangeErrors.length > 0) {
      sendProblem(res, invalid(rangeErrors));
      return;
    }
    const scope = {
      deps,
      em: ctx.em,
      tenantId: ctx.user.tenantId,
      repos: tenantRepositories(ctx.em, ctx.user.tenantId),
      actor: { userId: ctx.user.userId, label: ctx.user.email },
    };
    const { bytes, selection, encoding } = await exportShippingCsv(scope, parsed.data);
    res
      .status(200)
      .set('Content-Type', 'text/csv; charset=Shift_JIS')
      .set('Content-Disposition', attachmentDisposition(shippingCsvFileName(deps.now())))
      // Names and addresses: not kept by any cache on the way.
      .set('Cache-Control', 'no-store')
      .set('X-Renkei-Orders-Included', String(selection.included.length))
      .set(
        'X-Renkei-Orders-Excluded',
        String(selection.excluded.filter((e) => e.reason === 'notAllocated').length),
      )
      // Characters the file could not carry as typed (details: tRPC orders.shippingCsvReport).
      .set('X-Renkei-Characters-Folded', String(encoding.folded.reduce((n, f) => n + f.count, 0)))
      .set('X-Renkei-Characters-Unencodable', String(encoding.losses.length))
      .send(bytes);
  });

  return router;
}

/**
 * The download's query as the filters' input: `statusId` may repeat (`?statusId=a&statusId=b`);
 * a parameter given twice where one is expected is kept as a list, so the schema names it. Other
 * parameters (a cache-buster) are ignored.
 */
function shippingCsvQuery(query: Request['query']): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const statusIds = query.statusId;
  if (statusIds !== undefined) input.statusIds = Array.isArray(statusIds) ? statusIds : [statusIds];
  for (const key of ['shopId', 'shippingDateFrom', 'shippingDateTo'] as const)
    if (query[key] !== undefined) input[key] = query[key];
  if (query.lang !== undefined) input.language = query.lang;
  return input;
}
