import type { Express, RequestHandler, Request } from 'express';
import { notes } from '../control/request-notes.js';
import type { SimulatorContext } from '../context.js';
import { authenticateClient, isOidcScope, oauthError, single, tokenResponse } from './oauth.js';
import { s256 } from './tokens.js';

/**
 * The token endpoints: `POST /authorize/token` (authorization_code with PKCE, refresh_token;
 * docs/smaregi-wire.md §2.2 [CODE]) and `POST /app/{contract_id}/token` (client credentials with
 * the scope rules; docs/smaregi-wire.md §2.1 [OFF]). Client authentication is HTTP Basic or the
 * form body (RFC 6749 §2.3.1).
 */
export function registerTokenRoutes(
  app: Express,
  ctx: SimulatorContext,
  faults: RequestHandler,
  nonces: Map<string, string>,
): void {
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
    // `scope` is required: the crawled common spec marks it so and every client sends it
    // (docs/smaregi-wire.md §2.1).
    const requested = single(body.scope);
    if (requested === undefined || requested.trim() === '') {
      throw oauthError(400, 'invalid_request', 'scope を指定してください(スペース区切り)');
    }
    const list = [...new Set(requested.split(' ').filter((s) => s !== ''))];
    const unknown = list.filter((s) => isOidcScope(s) || !client.scopes.includes(s));
    if (unknown.length > 0)
      throw oauthError(400, 'invalid_scope', `付与できないスコープです: ${unknown.join(' ')}`);
    // Modeled (RFC 6749 §3.3): a scope the app has but the contract has not approved (yet) is
    // left out of the grant, and the answer's `scope` says what was granted.
    const scopes = list.filter((s) => approved.includes(s));
    if (scopes.length === 0)
      throw oauthError(
        400,
        'invalid_scope',
        `契約[${contractId}]で承認されたスコープがありません: ${list.join(' ')}`,
      );
    // Token requests count against the app's and contract's limit (docs/smaregi-wire.md §5.2
    // [SEC]), as writes.
    const rate = ctx.rateLimiter.check(client.clientId, contractId, 'POST', ctx.now().getTime());
    if (!rate.allowed) {
      res.setHeader('Retry-After', String(rate.retryAfterSeconds));
      throw oauthError(
        429,
        'temporarily_unavailable',
        'リクエスト数が上限を超えました。しばらく待ってから再度お試しください',
      );
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
}
