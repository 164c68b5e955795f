import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { notes } from '../control/request-notes.js';
import type { SimulatorContext } from '../context.js';
import { journalMiddleware } from '../control/journal-middleware.js';
import { registerAuthorizeRoutes } from './authorize.js';
import { OAuthError, sleep } from './oauth.js';
import { registerTokenRoutes } from './token-endpoints.js';
import { registerUserinfoRoutes } from './userinfo.js';

/**
 * The ID host (id.smaregi.dev, docs/smaregi-wire.md §2): authorization code + PKCE with a login
 * form and a 許可 screen, the token endpoint, UserInfo and the per-contract client-credentials
 * endpoint.
 */
export function createIdHost(ctx: SimulatorContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(journalMiddleware(ctx, 'id'));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  /** OIDC nonce per authorization code, echoed in the ID token. */
  const nonces = new Map<string, string>();

  /** Injected faults on the token endpoints (only when the fault settings include the ID host). */
  const faults = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    // The contract of an app-token request is in its path; the user flow's token has none.
    const contract = /^\/app\/([^/]+)\/token$/.exec(req.path)?.[1];
    const decision = ctx.faults.decide('id', req.method, req.path, contract);
    if (decision.latencyMs > 0) {
      notes(res).fault = 'latency';
      await sleep(decision.latencyMs);
    }
    if (decision.kind === 'drop') {
      notes(res).fault = 'drop';
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'error') {
      notes(res).fault = 'error';
      if (decision.status === 429) res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      res.status(decision.status).json({
        error: decision.status === 500 ? 'server_error' : 'temporarily_unavailable',
        error_description: 'サーバーで一時的なエラーが発生しました',
      });
      return;
    }
    next();
  };

  registerAuthorizeRoutes(app, ctx, nonces);
  registerTokenRoutes(app, ctx, faults, nonces);
  registerUserinfoRoutes(app, ctx);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', error_description: '指定されたURLは存在しません' });
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof OAuthError) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(error.status).json({ error: error.error, error_description: error.description });
      return;
    }
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 413 || status === 415) {
      res.status(status).json({
        error: 'invalid_request',
        error_description: 'リクエストの形式が正しくありません',
      });
      return;
    }
    console.error('[smaregi-simulator] id host error', error);
    res
      .status(500)
      .json({ error: 'server_error', error_description: 'サーバーでエラーが発生しました' });
  });

  return app;
}
