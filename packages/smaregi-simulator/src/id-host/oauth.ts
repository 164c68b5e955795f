import type { Request, Response } from 'express';
import { notes } from '../control/request-notes.js';
import { OIDC_SCOPES } from '../constants.js';
import type { SimulatorContext } from '../context.js';
import type { AppRegistration } from '../state/contract.js';
import type { IssuedToken } from './tokens.js';

/**
 * Shared pieces of the ID host. Errors are RFC 6749 JSON `{error, error_description}`
 * (docs/smaregi-wire.md §2.3: the real body is not published).
 */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export function oauthError(status: number, error: string, description: string): OAuthError {
  return new OAuthError(status, error, description);
}

export const isOidcScope = (s: string): boolean => (OIDC_SCOPES as readonly string[]).includes(s);

export function single(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads the client credentials and checks them: HTTP Basic, or `client_id` / `client_secret` in
 * the form body (RFC 6749 §2.3.1 allows both; clients in the wild send either). Using both in one
 * request is `invalid_request`, as that section requires.
 */
export function authenticateClient(
  ctx: SimulatorContext,
  req: Request,
  res: Response,
): AppRegistration {
  const header = req.headers.authorization;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const bodyId = single(body.client_id);
  const bodySecret = single(body.client_secret);
  let clientId: string;
  let secret: string;
  if (header !== undefined && bodySecret !== undefined) {
    throw oauthError(
      400,
      'invalid_request',
      'クライアント認証は Basic とリクエストボディのどちらか一方で指定してください',
    );
  }
  if (header !== undefined) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!m?.[1]) {
      res.setHeader('WWW-Authenticate', 'Basic realm="smaregi"');
      throw oauthError(401, 'invalid_client', 'クライアント認証(Basic)が正しくありません');
    }
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: the Basic user and password are form-urlencoded first.
    clientId = formDecode(colon >= 0 ? decoded.slice(0, colon) : decoded);
    secret = formDecode(colon >= 0 ? decoded.slice(colon + 1) : '');
  } else if (bodyId !== undefined && bodySecret !== undefined) {
    clientId = bodyId;
    secret = bodySecret;
  } else {
    res.setHeader('WWW-Authenticate', 'Basic realm="smaregi"');
    throw oauthError(401, 'invalid_client', 'クライアント認証(Basic)が必要です');
  }
  notes(res).clientId = clientId;
  const app = ctx.platform.apps.get(clientId);
  if (!app || app.clientSecret !== secret || (bodyId !== undefined && bodyId !== clientId)) {
    res.setHeader('WWW-Authenticate', 'Basic realm="smaregi"');
    throw oauthError(
      401,
      'invalid_client',
      'クライアントIDまたはクライアントシークレットが正しくありません',
    );
  }
  return app;
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

export function tokenResponse(
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

export function redirectWith(
  res: Response,
  redirectUri: string,
  params: Record<string, string>,
): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
