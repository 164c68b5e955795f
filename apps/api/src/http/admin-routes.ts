import { parse as parseCookies } from 'cookie';
import express, { type Request, type Router } from 'express';
import { tenantRepositories } from '@renkei/persistence';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { sha256Hex } from '../security/secrets.js';
import { exportShippingCsv } from '../services/shipping-csv.js';
import { completeConnection } from '../smaregi/connection-service.js';
import { createContext, SESSION_COOKIE } from '../trpc/context.js';
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

  /** 送り状・出荷CSV (Shift_JIS). `statusId` may repeat; `lang=en` for English headers. */
  router.get('/api/admin/shipping.csv', async (req, res) => {
    const ctx = await createContext(deps, { sessionToken: sessionTokenOf(req) });
    if (ctx.user === null) {
      sendProblem(
        res,
        new AppError('UNAUTHORIZED', { ja: 'ログインしてください', en: 'Please sign in' }),
      );
      return;
    }
    const raw = req.query.statusId;
    const statusIds =
      raw === undefined
        ? undefined
        : (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    const scope = {
      deps,
      em: ctx.em,
      tenantId: ctx.user.tenantId,
      repos: tenantRepositories(ctx.em, ctx.user.tenantId),
      actor: { userId: ctx.user.userId, label: ctx.user.email },
    };
    const { bytes, selection, encoding } = await exportShippingCsv(scope, {
      ...(statusIds === undefined ? {} : { statusIds }),
      language: req.query.lang === 'en' ? 'en' : 'ja',
    });
    res
      .status(200)
      .set('Content-Type', 'text/csv; charset=Shift_JIS')
      .set(
        'Content-Disposition',
        `attachment; filename="shipping-${deps.now().toISOString().slice(0, 10)}.csv"`,
      )
      .set('X-Renkei-Orders-Included', String(selection.included.length))
      .set('X-Renkei-Orders-Excluded', String(selection.excluded.length))
      // Characters the file could not carry as typed (details: tRPC orders.shippingCsvReport).
      .set('X-Renkei-Characters-Folded', String(encoding.folded.reduce((n, f) => n + f.count, 0)))
      .set('X-Renkei-Characters-Unencodable', String(encoding.losses.length))
      .send(bytes);
  });

  return router;
}
