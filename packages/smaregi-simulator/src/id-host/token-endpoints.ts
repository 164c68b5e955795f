import type { Express, RequestHandler, Request } from 'express';
import { notes } from '../control/request-notes.js';
import type { SimulatorContext } from '../context.js';
import { authenticateClient, isOidcScope, oauthError, single, tokenResponse } from './oauth.js';
import { s256 } from './tokens.js';

/**
 * The token endpoints: `POST /authorize/token` (authorization_code with PKCE, refresh_token;
 * docs/smaregi-wire.md §2.2 [CODE]) and `POST /app/{contract_id}/token` (client credentials with
 * the scope rules; docs/smaregi-wire.md §2.1 [OFF]). Client authentication is HTTP Basic.
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
}
