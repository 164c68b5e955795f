/**
 * Authentication with the Smaregi ID host (docs/smaregi-wire.md §1-2).
 *
 * - Merchant connection: authorize URL with `state` and PKCE S256, code exchange, refresh,
 *   userinfo (which tells the contract ID).
 * - Server-to-server: the per-contract app access token by client credentials, cached until
 *   shortly before expiry, one request in flight per contract, dropped and fetched once more when
 *   the API host answers 401.
 *
 * The hosts are in environments.ts, the app-token cache in app-tokens.ts.
 *
 * Tokens never appear in logs or errors; requests to the ID host carry Basic client
 * authentication, which is redacted like every Authorization header.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SmaregiApiError } from './errors.js';
import { runWithRetry, type RetryContext } from './execute.js';
import { oauthError, parseBody, send, type HttpCall, type TransportConfig } from './http.js';
import type { AppToken } from './app-tokens.js';
import type { SmaregiHosts } from './environments.js';

export {
  AppTokenManager,
  MemoryTokenStore,
  type AppToken,
  type AppTokenManagerOptions,
  type AppTokenSource,
  type TokenStore,
} from './app-tokens.js';
export {
  SMAREGI_ENVIRONMENTS,
  smaregiEnvironment,
  type SmaregiEnvironmentName,
  type SmaregiHosts,
} from './environments.js';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().positive(),
  scope: z.string().optional(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
});

/** User tokens from the authorization-code flow, for the app to store (encrypted). */
export interface UserTokens {
  accessToken: string;
  /** Present when `offline_access` was granted. */
  refreshToken?: string;
  /** Present when `openid` was granted. */
  idToken?: string;
  expiresAt: number;
  scopes: string[];
}

const userInfoSchema = z.looseObject({
  sub: z.string(),
  contract: z.looseObject({
    id: z.string().min(1),
    user_id: z.string().nullish(),
    is_owner: z.boolean().nullish(),
  }),
  name: z.string().nullish(),
  email: z.string().nullish(),
  email_verified: z.boolean().nullish(),
});

/** `/userinfo` answer: `contract.id` is the contract ID to use for API calls. */
export type UserInfo = z.infer<typeof userInfoSchema>;

/** A PKCE verifier and its S256 challenge (RFC 7636). */
export interface PkcePair {
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256';
}

/** Creates a PKCE pair: a 43-character random verifier and its SHA-256 challenge. */
export function createPkcePair(): PkcePair {
  const codeVerifier = randomBytes(32).toString('base64url');
  return {
    codeVerifier,
    codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    codeChallengeMethod: 'S256',
  };
}

/** Creates an unguessable OAuth `state` value (32 random bytes, base64url). */
export function createState(): string {
  return randomBytes(32).toString('base64url');
}

export interface AuthorizeUrlInput {
  /** Must equal the redirect URI registered for the app, exactly. */
  redirectUri: string;
  /** e.g. `['openid', 'offline_access', 'pos.products:read']`. */
  scopes: readonly string[];
  state: string;
  codeChallenge: string;
}

function toScopeList(scope: string | undefined): string[] {
  return scope ? scope.split(/\s+/).filter(Boolean) : [];
}

function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64')}`;
}

export interface AuthConfig {
  transport: TransportConfig;
  retryContext: RetryContext;
  hosts: SmaregiHosts;
  clientId: string;
  clientSecret: string;
  /** Scopes of every app-token request (non-empty; see `RENKEI_APP_SCOPES`). */
  appScopes: readonly string[];
  /**
   * Waits for the contract's rate budget before an app-token request: the only public source on
   * Smaregi's limits says token requests count (docs/smaregi-wire.md §5.2).
   */
  beforeAppToken?: (contractId: string, signal?: AbortSignal) => Promise<void>;
}

function idUrl(hosts: SmaregiHosts, path: string): URL {
  return new URL(hosts.idBaseUrl.replace(/\/+$/, '') + path);
}

async function tokenCall(config: AuthConfig, call: HttpCall): Promise<UserTokens> {
  const result = await send(config.transport, call);
  if (result.status < 200 || result.status >= 300)
    throw oauthError(call, result, config.transport.clock.now());
  const body = parseBody(call, result, tokenResponseSchema);
  const tokens: UserTokens = {
    accessToken: body.access_token,
    expiresAt: config.transport.clock.now() + body.expires_in * 1000,
    scopes: toScopeList(body.scope),
  };
  if (body.refresh_token) tokens.refreshToken = body.refresh_token;
  if (body.id_token) tokens.idToken = body.id_token;
  return tokens;
}

/** The OAuth side of the client, bound to one app (client ID and secret). */
export class SmaregiAuth {
  constructor(private readonly config: AuthConfig) {}

  /** Builds the `/authorize` URL to send the merchant's browser to. */
  buildAuthorizeUrl(input: AuthorizeUrlInput): string {
    for (const field of ['redirectUri', 'state', 'codeChallenge'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '') {
        throw new TypeError(`buildAuthorizeUrl: ${field} is required`);
      }
    }
    if (input.scopes.length === 0) throw new TypeError('buildAuthorizeUrl: scopes is empty');
    const url = idUrl(this.config.hosts, '/authorize');
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('scope', input.scopes.join(' '));
    url.searchParams.set('state', input.state);
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return url.toString();
  }

  /**
   * Exchanges the `code` of the callback for user tokens. Not retried: a code is single-use.
   * `invalid_grant` (reused or expired code, wrong verifier) → `unauthorized` with `oauthError`.
   */
  exchangeCode(
    input: { code: string; redirectUri: string; codeVerifier: string },
    signal?: AbortSignal,
  ): Promise<UserTokens> {
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    });
    return tokenCall(this.config, {
      operation: 'auth.exchangeCode',
      method: 'POST',
      url: idUrl(this.config.hosts, '/authorize/token'),
      headers: { authorization: basicAuth(this.config.clientId, this.config.clientSecret) },
      form,
      signal,
    });
  }

  /**
   * Gets new user tokens with a refresh token. `invalid_grant` means the merchant must connect
   * again (`error.needsReauthorization`).
   */
  refreshUserToken(refreshToken: string, signal?: AbortSignal): Promise<UserTokens> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    return tokenCall(this.config, {
      operation: 'auth.refreshUserToken',
      method: 'POST',
      url: idUrl(this.config.hosts, '/authorize/token'),
      headers: { authorization: basicAuth(this.config.clientId, this.config.clientSecret) },
      form,
      signal,
    });
  }

  /** Reads `/userinfo` with a user access token (scope `openid`): gives the contract ID. */
  async getUserInfo(userAccessToken: string, signal?: AbortSignal): Promise<UserInfo> {
    const call: HttpCall = {
      operation: 'auth.userInfo',
      method: 'GET',
      url: idUrl(this.config.hosts, '/userinfo'),
      headers: { authorization: `Bearer ${userAccessToken}` },
      signal,
    };
    return runWithRetry(this.config.retryContext, call, async () => {
      const result = await send(this.config.transport, call);
      if (result.status < 200 || result.status >= 300) throw oauthError(call, result);
      return parseBody(call, result, userInfoSchema);
    });
  }

  /**
   * Requests an app access token for a contract by client credentials, always with a space
   * separated `scope` (the configured `appScopes` unless `scopes` is given). Retried like a read
   * on 5xx / network errors, since asking for a token twice does no harm. Each attempt waits for
   * the contract's rate budget as a write.
   */
  requestAppToken(contractId: string, scopes?: readonly string[]): Promise<AppToken> {
    const list = scopes ?? this.config.appScopes;
    if (list.length === 0 || list.some((s) => typeof s !== 'string' || !/^\S+$/.test(s))) {
      return Promise.reject(
        new SmaregiApiError('auth.appToken: scopes must be a non-empty list of scope names', {
          kind: 'invalid_request',
          operation: 'auth.appToken',
          inputIssues: [{ path: 'scopes', message: 'non-empty list of scope names required' }],
        }),
      );
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: list.join(' ') });
    const call: HttpCall = {
      operation: 'auth.appToken',
      method: 'POST',
      url: idUrl(this.config.hosts, `/app/${encodeURIComponent(contractId)}/token`),
      headers: { authorization: basicAuth(this.config.clientId, this.config.clientSecret) },
      form,
    };
    return runWithRetry(this.config.retryContext, { ...call, idempotent: true }, async () => {
      await this.config.beforeAppToken?.(contractId);
      const tokens = await tokenCall(this.config, call);
      return {
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        scopes: tokens.scopes,
        obtainedAt: this.config.transport.clock.now(),
      };
    });
  }
}

/** Throws a clear error when a required option is missing (never echoes the value). */
export function requireNonEmpty(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new SmaregiApiError(`createSmaregiClient: ${name} is required`, {
      kind: 'invalid_request',
      operation: 'createSmaregiClient',
      inputIssues: [{ path: name, message: 'required' }],
    });
  }
  return value;
}
