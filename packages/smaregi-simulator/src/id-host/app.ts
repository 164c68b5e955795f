import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { SimulatorContext } from '../context.js';
import { notes } from '../api-host/operation.js';
import { journalMiddleware } from '../control/journal-middleware.js';
import type { AppRegistration } from '../state/contract.js';
import { OIDC_SCOPES } from '../constants.js';
import { consentPage, errorPage, loginPage } from './html.js';
import { s256, type IssuedToken } from './tokens.js';

/**
 * The ID host (id.smaregi.dev, digest §2): authorization code + PKCE with a login form and a
 * 許可 screen, the token endpoint, UserInfo and the per-contract client-credentials endpoint.
 * Errors are RFC 6749 JSON `{error, error_description}` (wire.md; the real body is not published).
 */

/** Modeled: an unfinished login/consent transaction lives 30 minutes. */
const TRANSACTION_TTL_MS = 30 * 60 * 1000;

interface PendingAuthorization {
  transactionId: string;
  app: AppRegistration;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string | null;
  nonce: string | null;
  expMs: number;
  contractId: string | null;
  userId: string | null;
  userName: string | null;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

function oauthError(status: number, error: string, description: string): OAuthError {
  return new OAuthError(status, error, description);
}

const isOidcScope = (s: string): boolean => (OIDC_SCOPES as readonly string[]).includes(s);

function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads HTTP Basic client credentials and checks them. */
function authenticateClient(ctx: SimulatorContext, req: Request, res: Response): AppRegistration {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!m?.[1]) {
    res.setHeader('WWW-Authenticate', 'Basic realm="smaregi"');
    throw oauthError(401, 'invalid_client', 'クライアント認証(Basic)が必要です');
  }
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const clientId = colon >= 0 ? decoded.slice(0, colon) : decoded;
  const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
  notes(res).clientId = clientId;
  const app = ctx.platform.apps.get(clientId);
  if (!app || app.clientSecret !== secret) {
    res.setHeader('WWW-Authenticate', 'Basic realm="smaregi"');
    throw oauthError(
      401,
      'invalid_client',
      'クライアントIDまたはクライアントシークレットが正しくありません',
    );
  }
  return app;
}

function tokenResponse(
  res: Response,
  accessToken: string,
  record: IssuedToken,
  ttlSeconds: number,
  extra: Record<string, string> = {},
): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.json({
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ttlSeconds,
    scope: record.scopes.join(' '),
    ...extra,
  });
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string>): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Builds the ID host application. */
export function createIdHost(ctx: SimulatorContext): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(journalMiddleware(ctx, 'id'));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  const pending = new Map<string, PendingAuthorization>();
  /** OIDC nonce per authorization code, echoed in the ID token. */
  const nonces = new Map<string, string>();

  /** Injected faults on the token endpoints (only when the fault settings include the ID host). */
  const faults = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const decision = ctx.faults.decide('id', req.method, req.path);
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

  app.get('/authorize', (req, res) => {
    const q = req.query as Record<string, unknown>;
    const clientId = single(q.client_id);
    notes(res).clientId = clientId ?? null;
    const client = clientId ? ctx.platform.apps.get(clientId) : undefined;
    if (!client) {
      res.status(400).type('html').send(errorPage('client_id が正しくありません'));
      return;
    }
    const redirectUri = single(q.redirect_uri);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      res
        .status(400)
        .type('html')
        .send(errorPage('redirect_uri がアプリに登録されたURIと一致しません'));
      return;
    }
    const state = single(q.state);
    const fail = (error: string, description: string): void =>
      redirectWith(res, redirectUri, {
        error,
        error_description: description,
        ...(state ? { state } : {}),
      });
    if (single(q.response_type) !== 'code') {
      fail('unsupported_response_type', 'response_type は code を指定してください');
      return;
    }
    if (!state) {
      fail('invalid_request', 'state を指定してください');
      return;
    }
    const scopes = (single(q.scope) ?? '').split(' ').filter((s) => s !== '');
    if (scopes.length === 0) {
      fail('invalid_scope', 'scope を指定してください');
      return;
    }
    const unknown = scopes.filter((s) => !client.scopes.includes(s));
    if (unknown.length > 0) {
      fail('invalid_scope', `アプリに設定されていないスコープです: ${unknown.join(' ')}`);
      return;
    }
    const challenge = single(q.code_challenge);
    const method = single(q.code_challenge_method);
    if (method !== undefined && method !== 'S256') {
      fail('invalid_request', 'code_challenge_method は S256 を指定してください');
      return;
    }
    if (challenge !== undefined && !/^[A-Za-z0-9\-._~]{43,128}$/.test(challenge)) {
      fail('invalid_request', 'code_challenge の形式が正しくありません');
      return;
    }
    if (challenge !== undefined && method === undefined) {
      // RFC 7636 would default to "plain", which the simulator (like a careful server) refuses.
      fail('invalid_request', 'code_challenge_method は S256 を指定してください');
      return;
    }
    const transactionId = randomBytes(16).toString('base64url');
    // Forget abandoned logins so the map stays small.
    for (const [id, t] of pending) if (t.expMs <= ctx.now().getTime()) pending.delete(id);
    pending.set(transactionId, {
      transactionId,
      app: client,
      redirectUri,
      state,
      scopes,
      codeChallenge: challenge ?? null,
      nonce: single(q.nonce) ?? null,
      expMs: ctx.now().getTime() + TRANSACTION_TTL_MS,
      contractId: null,
      userId: null,
      userName: null,
    });
    res.type('html').send(loginPage({ transactionId, appName: client.name }));
  });

  app.post('/authorize', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const txn = pending.get(single(body.transaction_id) ?? '');
    if (!txn || txn.expMs <= ctx.now().getTime()) {
      res
        .status(400)
        .type('html')
        .send(errorPage('認可リクエストが見つからないか期限切れです。最初からやり直してください'));
      return;
    }
    notes(res).clientId = txn.app.clientId;
    const step = single(body.step);
    if (step === 'login') {
      const contractId = single(body.contract_id) ?? '';
      const loginId = single(body.login_id) ?? '';
      const password = single(body.password) ?? '';
      const contract = ctx.platform.contract(contractId);
      const user = contract?.users.get(loginId);
      if (!contract || !user || user.password !== password) {
        res
          .status(401)
          .type('html')
          .send(
            loginPage({
              transactionId: txn.transactionId,
              appName: txn.app.name,
              error: '契約ID、ログインIDまたはパスワードが正しくありません',
              contractId,
              loginId,
            }),
          );
        return;
      }
      notes(res).contractId = contractId;
      const approved = ctx.platform.approvedScopes(contractId, txn.app.clientId);
      if (!approved) {
        pending.delete(txn.transactionId);
        redirectWith(res, txn.redirectUri, {
          error: 'access_denied',
          error_description: 'この契約ではアプリが利用されていません',
          state: txn.state,
        });
        return;
      }
      const notApproved = txn.scopes.filter((s) => !isOidcScope(s) && !approved.includes(s));
      if (notApproved.length > 0) {
        pending.delete(txn.transactionId);
        redirectWith(res, txn.redirectUri, {
          error: 'invalid_scope',
          error_description: `契約で承認されていないスコープです: ${notApproved.join(' ')}`,
          state: txn.state,
        });
        return;
      }
      txn.contractId = contractId;
      txn.userId = user.userId;
      txn.userName = user.name;
      res.type('html').send(
        consentPage({
          transactionId: txn.transactionId,
          appName: txn.app.name,
          contractId,
          userName: user.name,
          scopes: txn.scopes,
        }),
      );
      return;
    }
    if (step === 'consent' && txn.contractId && txn.userId) {
      notes(res).contractId = txn.contractId;
      pending.delete(txn.transactionId);
      if (single(body.decision) !== 'allow') {
        redirectWith(res, txn.redirectUri, {
          error: 'access_denied',
          error_description: 'ユーザーが許可しませんでした',
          state: txn.state,
        });
        return;
      }
      const code = ctx.tokens.createCode({
        clientId: txn.app.clientId,
        redirectUri: txn.redirectUri,
        contractId: txn.contractId,
        userId: txn.userId,
        scopes: txn.scopes,
        codeChallenge: txn.codeChallenge,
      });
      if (txn.nonce) nonces.set(code.code, txn.nonce);
      redirectWith(res, txn.redirectUri, { code: code.code, state: txn.state });
      return;
    }
    res.status(400).type('html').send(errorPage('リクエストが正しくありません'));
  });

  app.post('/authorize/token', faults, async (req, res) => {
    const client = authenticateClient(ctx, req, res);
    if (!req.is('application/x-www-form-urlencoded')) {
      throw oauthError(
        400,
        'invalid_request',
        'Content-Type は application/x-www-form-urlencoded を指定してください',
      );
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = single(body.grant_type);
    if (grantType === 'authorization_code') {
      const code = ctx.tokens.code(single(body.code) ?? '');
      if (!code) throw oauthError(400, 'invalid_grant', '認可コードが正しくありません');
      notes(res).contractId = code.contractId;
      if (code.used) {
        // RFC 6749 §4.1.2: a second use revokes what the first one issued.
        ctx.tokens.revokeGrant(code.grantId);
        throw oauthError(400, 'invalid_grant', '認可コードは既に使用されています');
      }
      if (code.clientId !== client.clientId)
        throw oauthError(400, 'invalid_grant', '認可コードは別のクライアントに発行されたものです');
      if (code.expMs <= ctx.now().getTime())
        throw oauthError(400, 'invalid_grant', '認可コードの有効期限が切れています');
      if (single(body.redirect_uri) !== code.redirectUri)
        throw oauthError(400, 'invalid_grant', 'redirect_uri が認可リクエストと一致しません');
      if (code.codeChallenge !== null) {
        const verifier = single(body.code_verifier);
        if (
          !verifier ||
          !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) ||
          s256(verifier) !== code.codeChallenge
        ) {
          throw oauthError(400, 'invalid_grant', 'code_verifier が正しくありません');
        }
      }
      code.used = true;
      const { accessToken, record } = await ctx.tokens.issueAccessToken({
        kind: 'user',
        clientId: client.clientId,
        contractId: code.contractId,
        scopes: code.scopes,
        userId: code.userId,
        grantId: code.grantId,
      });
      const extra: Record<string, string> = {};
      if (code.scopes.includes('offline_access')) {
        extra.refresh_token = ctx.tokens.createRefreshGrant({
          clientId: client.clientId,
          contractId: code.contractId,
          userId: code.userId,
          scopes: code.scopes,
          grantId: code.grantId,
        }).refreshToken;
      }
      if (code.scopes.includes('openid')) {
        extra.id_token = await ctx.tokens.issueIdToken(
          client.clientId,
          code.contractId,
          code.userId,
          nonces.get(code.code) ?? null,
        );
        nonces.delete(code.code);
      }
      tokenResponse(res, accessToken, record, ctx.tokens.ttlSeconds, extra);
      return;
    }
    if (grantType === 'refresh_token') {
      const grant = ctx.tokens.refreshGrant(single(body.refresh_token) ?? '');
      if (!grant || grant.revoked)
        throw oauthError(400, 'invalid_grant', 'リフレッシュトークンが正しくないか無効です');
      notes(res).contractId = grant.contractId;
      if (grant.clientId !== client.clientId)
        throw oauthError(
          400,
          'invalid_grant',
          'リフレッシュトークンは別のクライアントに発行されたものです',
        );
      if (!ctx.platform.approvedScopes(grant.contractId, client.clientId)) {
        throw oauthError(400, 'invalid_grant', 'この契約ではアプリが利用されていません');
      }
      let scopes = grant.scopes;
      const requested = single(body.scope);
      if (requested !== undefined) {
        const list = requested.split(' ').filter((s) => s !== '');
        const extraScopes = list.filter((s) => !grant.scopes.includes(s));
        if (extraScopes.length > 0)
          throw oauthError(
            400,
            'invalid_scope',
            `許可されていないスコープです: ${extraScopes.join(' ')}`,
          );
        scopes = list;
      }
      const { accessToken, record } = await ctx.tokens.issueAccessToken({
        kind: 'user',
        clientId: client.clientId,
        contractId: grant.contractId,
        scopes,
        userId: grant.userId,
        grantId: grant.grantId,
      });
      // Modeled: the refresh token is not rotated (Smaregi's rotation policy is unpublished).
      tokenResponse(res, accessToken, record, ctx.tokens.ttlSeconds, {
        refresh_token: grant.refreshToken,
      });
      return;
    }
    throw oauthError(
      400,
      'unsupported_grant_type',
      'grant_type は authorization_code または refresh_token を指定してください',
    );
  });

  const userinfo = async (req: Request, res: Response): Promise<void> => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const result = m?.[1] ? await ctx.tokens.verify(m[1]) : null;
    if (!result?.ok) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      res.status(401).json({
        error: 'invalid_token',
        error_description: 'アクセストークンが不正または期限切れです',
      });
      return;
    }
    const token = result.token;
    notes(res).clientId = token.clientId;
    notes(res).contractId = token.contractId;
    if (token.kind !== 'user' || !token.scopes.includes('openid') || !token.userId) {
      res.setHeader('WWW-Authenticate', 'Bearer error="insufficient_scope", scope="openid"');
      res.status(403).json({
        error: 'insufficient_scope',
        error_description: 'openid スコープを含むユーザーアクセストークンが必要です',
      });
      return;
    }
    const contract = ctx.platform.contract(token.contractId);
    const user = contract
      ? [...contract.users.values()].find((u) => u.userId === token.userId)
      : undefined;
    const info: Record<string, unknown> = {
      sub: `${token.contractId}:${token.userId}`,
      contract: { id: token.contractId, user_id: token.userId, is_owner: user?.isOwner ?? false },
    };
    if (token.scopes.includes('profile') || token.scopes.includes('openid'))
      info.name = user?.name ?? null;
    if (token.scopes.includes('email')) {
      info.email = user?.email ?? null;
      info.email_verified = true;
    }
    res.json(info);
  };
  app.get('/userinfo', userinfo);
  app.post('/userinfo', userinfo);

  app.post('/app/:contractId/token', faults, async (req: Request<{ contractId: string }>, res) => {
    const contractId = req.params.contractId;
    notes(res).contractId = contractId;
    const client = authenticateClient(ctx, req, res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!req.is('application/x-www-form-urlencoded')) {
      throw oauthError(
        400,
        'invalid_request',
        'Content-Type は application/x-www-form-urlencoded を指定してください',
      );
    }
    if (single(body.grant_type) !== 'client_credentials') {
      throw oauthError(
        400,
        'unsupported_grant_type',
        'grant_type は client_credentials を指定してください',
      );
    }
    const approved = ctx.platform.contract(contractId)
      ? ctx.platform.approvedScopes(contractId, client.clientId)
      : undefined;
    if (!approved)
      throw oauthError(
        400,
        'unauthorized_client',
        `契約[${contractId}]ではこのアプリが利用されていません`,
      );
    const grantable = client.scopes.filter((s) => !isOidcScope(s) && approved.includes(s));
    const requested = single(body.scope);
    let scopes: string[];
    if (requested === undefined || requested.trim() === '') {
      scopes = grantable;
    } else {
      scopes = [...new Set(requested.split(' ').filter((s) => s !== ''))];
      const refused = scopes.filter((s) => !grantable.includes(s));
      if (refused.length > 0)
        throw oauthError(400, 'invalid_scope', `付与できないスコープです: ${refused.join(' ')}`);
    }
    const { accessToken, record } = await ctx.tokens.issueAccessToken({
      kind: 'app',
      clientId: client.clientId,
      contractId,
      scopes,
      userId: null,
      grantId: null,
    });
    tokenResponse(res, accessToken, record, ctx.tokens.ttlSeconds);
  });

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
