import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { serialize } from 'cookie';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { AppDeps } from './deps.js';
import { AppError } from './errors.js';
import { adminRoutes, sessionTokenOf } from './http/admin-routes.js';
import { csrfGuard } from './http/csrf.js';
import { INTAKE_BODY_LIMIT, intakeRouter } from './http/intake.js';
import { bodyErrorOf, jsonBody, unbatched } from './http/json-body.js';
import { openApiRouter } from './http/openapi.js';
import { ordersV1Router } from './http/orders-v1.js';
import { feedsV1Router } from './http/feeds-v1.js';
import { stockV1Router } from './http/stock-v1.js';
import { sendProblem } from './http/problem.js';
import { webhookEndpointsV1Router } from './http/webhook-endpoints-v1.js';
import { webhookRouter } from './http/webhooks.js';
import { createContext, SESSION_COOKIE, type CookieJar } from './trpc/context.js';
import { toTRPCError } from './trpc/errors.js';
import { appRouter } from './trpc/root.js';

function cookieJar(deps: AppDeps, res: Response): CookieJar {
  const base = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.secureCookies,
    path: '/',
  };
  return {
    setSession: (token, expires) =>
      res.append('Set-Cookie', serialize(SESSION_COOKIE, token, { ...base, expires })),
    clearSession: () =>
      res.append('Set-Cookie', serialize(SESSION_COOKIE, '', { ...base, expires: new Date(0) })),
  };
}

/**
 * The API's HTTP application: admin tRPC (session cookie + CSRF guard), OAuth callback, REST
 * intake (API key), Smaregi webhooks (secret header), OpenAPI, health and metrics.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.use(helmet());

  app.use((req, res, next) => {
    const end = deps.metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ??
        (req.baseUrl || (req.path.startsWith('/api/trpc') ? '/api/trpc' : 'other'));
      end({ route, status: String(res.statusCode) });
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch (error) {
      deps.logger.error({ err: error }, 'database not reachable');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res
      .set('Content-Type', deps.metrics.registry.contentType)
      .send(await deps.metrics.registry.metrics());
  });

  app.use(webhookRouter(deps));
  app.use(openApiRouter(deps));
  // Strict decoding (UTF-8, or Shift_JIS when declared): see http/json-body.ts.
  app.use('/api/v1', jsonBody(INTAKE_BODY_LIMIT));
  app.use(intakeRouter(deps));
  app.use(ordersV1Router(deps));
  app.use(feedsV1Router(deps));
  app.use(stockV1Router(deps));
  app.use(webhookEndpointsV1Router(deps));
  app.use(adminRoutes(deps));

  app.use(
    '/api/trpc',
    csrfGuard(deps.config.allowedOrigins),
    // BODY_LIMIT: the CSV import travels base64-encoded inside the admin's requests.
    jsonBody(deps.config.bodyLimit),
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) => {
        // A body that is not valid in its charset: a tRPC error naming the fields (the admin
        // shows it like any validation error).
        const bodyError = bodyErrorOf(res);
        if (bodyError !== undefined)
          throw toTRPCError(req.query.batch === undefined ? bodyError : unbatched(bodyError));
        return createContext(deps, {
          sessionToken: sessionTokenOf(req),
          ip: req.ip ?? null,
          userAgent: req.get('user-agent') ?? null,
          cookies: cookieJar(deps, res),
        });
      },
      // A locked login says when to retry in the header too (HTTP clients, proxies).
      responseMeta: ({ errors }) => {
        const wait = errors
          .map((e) =>
            e.cause instanceof AppError ? e.cause.details?.retryAfterSeconds : undefined,
          )
          .find((s): s is number => typeof s === 'number');
        return wait === undefined ? {} : { headers: { 'Retry-After': String(wait) } };
      },
      onError: ({ error, path }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR')
          deps.logger.error({ err: error.cause ?? error, path }, 'tRPC error');
      },
    }),
  );

  // The built admin SPA (apps/admin), when present: static files, index.html for its routes.
  const adminDist =
    deps.config.adminDist ?? fileURLToPath(new URL('../../admin/dist', import.meta.url));
  if (existsSync(join(adminDist, 'index.html'))) {
    app.use(express.static(adminDist, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|webhooks\/).*/, (_req, res) => {
      res.sendFile(join(adminDist, 'index.html'));
    });
  }

  app.use('/api', (_req, res) => {
    sendProblem(res, new AppError('NOT_FOUND', { ja: 'ページが見つかりません', en: 'Not found' }));
  });

  // Body parser failures (too large, malformed JSON) and anything unexpected: problem+json, never a stack trace.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      sendProblem(
        res,
        new AppError('PAYLOAD_TOO_LARGE', {
          ja: 'リクエストが大きすぎます',
          en: 'Request body too large',
        }),
      );
      return;
    }
    if (
      type === 'entity.parse.failed' ||
      type === 'encoding.unsupported' ||
      type === 'charset.unsupported'
    ) {
      sendProblem(
        res,
        new AppError('BAD_REQUEST', {
          ja: 'JSONとして読み取れません',
          en: 'Body is not valid JSON',
        }),
      );
      return;
    }
    deps.logger.error({ err: error }, 'unhandled request error');
    sendProblem(res, error);
  });
  return app;
}
