/**
 * Authentication with the Smaregi ID host (docs/smaregi-wire.md §1-2).
 *
 * - Merchant connection: authorize URL with `state` and PKCE S256, code exchange, refresh,
 *   userinfo (which tells the contract ID).
 * - Server-to-server: the per-contract app access token by client credentials, cached until
 *   shortly before expiry, one request in flight per contract, dropped and fetched once more when
 *   the API host answers 401.
 *
 * Tokens never appear in logs or errors; requests to the ID host carry Basic client
 * authentication, which is redacted like every Authorization header.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SmaregiApiError } from './errors.js';
import { runWithRetry, type RetryContext } from './execute.js';
import { oauthError, parseBody, send, type HttpCall, type TransportConfig } from './http.js';

/** Base URLs of the two Smaregi hosts. */
export interface SmaregiHosts {
  idBaseUrl: string;
  apiBaseUrl: string;
}

export const SMAREGI_ENVIRONMENTS = {
  sandbox: { idBaseUrl: 'https://id.smaregi.dev', apiBaseUrl: 'https://api.smaregi.dev' },
  production: { idBaseUrl: 'https://id.smaregi.jp', apiBaseUrl: 'https://api.smaregi.jp' },
} as const satisfies Record<string, SmaregiHosts>;

/** The two Smaregi environments (`SMAREGI_ENV`). */
export type SmaregiEnvironmentName = keyof typeof SMAREGI_ENVIRONMENTS;

/**
 * Hosts and per-contract rate limits of an environment (docs/smaregi-wire.md §1, §5.2). The
 * limits are the reported ones [SEC]: 10 reads / 4 writes per second in the sandbox, 50 / 20 in
 * production; Smaregi has not published official figures.
 */
export function smaregiEnvironment(name: SmaregiEnvironmentName): SmaregiHosts & {
  name: SmaregiEnvironmentName;
  readsPerSecond: number;
  writesPerSecond: number;
} {
  switch (name) {
    case 'sandbox':
      return { name, ...SMAREGI_ENVIRONMENTS.sandbox, readsPerSecond: 10, writesPerSecond: 4 };
    case 'production':
      return { name, ...SMAREGI_ENVIRONMENTS.production, readsPerSecond: 50, writesPerSecond: 20 };
    default:
      throw new TypeError(
        `smaregiEnvironment: ${String(name)} is not 'sandbox' or 'production' (SMAREGI_ENV)`,
      );
  }
}

/** An app access token as kept in a `TokenStore`. */
export interface AppToken {
  accessToken: string;
  /** Epoch ms at which Smaregi stops accepting the token. */
  expiresAt: number;
  /** Scopes granted, as the ID host reported them. */
  scopes: string[];
  /** Epoch ms at which the token was obtained (lets short-lived tokens be renewed at half-life). */
  obtainedAt?: number;
}

/**
 * Where app tokens are kept, per contract. The default keeps them in memory; Renkei supplies one
 * that stores them encrypted in its database so that every worker shares them.
 */
export interface TokenStore {
  get(contractId: string): Promise<AppToken | undefined>;
  set(contractId: string, token: AppToken): Promise<void>;
  delete(contractId: string): Promise<void>;
  /**
   * Optional: runs `fn` while holding a lock on the contract's token shared by every process
   * (e.g. a PostgreSQL advisory lock). With it, processes that find the token expired at the
   * same time make one token request between them: the lock holder re-reads the store first.
   * Without it, the single flight holds within one process only.
   */
  withLock?<T>(contractId: string, fn: () => Promise<T>): Promise<T>;
}

/** The default `TokenStore`: a Map in this process. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, AppToken>();
  get(contractId: string): Promise<AppToken | undefined> {
    return Promise.resolve(this.#tokens.get(contractId));
  }
  set(contractId: string, token: AppToken): Promise<void> {
    this.#tokens.set(contractId, token);
    return Promise.resolve();
  }
  delete(contractId: string): Promise<void> {
    this.#tokens.delete(contractId);
    return Promise.resolve();
  }
}

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

export interface AppTokenManagerOptions {
  /** Renew this long before expiry (default 5 minutes). */
  expirySkewMs: number;
}

/**
 * Caches app tokens per contract in a `TokenStore` and makes sure that concurrent callers who
 * find no valid token share one token request.
 */
export class AppTokenManager {
  readonly #inFlight = new Map<string, Promise<AppToken>>();

  constructor(
    private readonly auth: SmaregiAuth,
    private readonly store: TokenStore,
    private readonly now: () => number,
    private readonly options: AppTokenManagerOptions,
  ) {}

  /** A valid access token for the contract, from the store or freshly requested. */
  async getAccessToken(contractId: string): Promise<string> {
    const stored = await this.store.get(contractId);
    if (stored && this.#fresh(stored)) return stored.accessToken;
    return (await this.#fetchOnce(contractId)).accessToken;
  }

  /**
   * Makes sure the contract has a valid app token (requesting one if needed) and tells when it
   * expires and what it covers, without handing out the token itself: a "connected?" check.
   */
  async ensureToken(contractId: string): Promise<{ expiresAt: number; scopes: string[] }> {
    await this.getAccessToken(contractId);
    const stored = await this.store.get(contractId);
    return { expiresAt: stored?.expiresAt ?? 0, scopes: [...(stored?.scopes ?? [])] };
  }

  /**
   * Renew `expirySkewMs` before expiry, or at half-life for tokens shorter than twice that
   * (e.g. a test simulator issuing 60 s tokens), so a token is never used to its last second.
   */
  #fresh(token: AppToken): boolean {
    const lifetime = token.obtainedAt === undefined ? Infinity : token.expiresAt - token.obtainedAt;
    const skew = Math.min(this.options.expirySkewMs, lifetime / 2);
    return token.expiresAt - skew > this.now();
  }

  /**
   * Forgets `usedToken` after the API host refused it (401). A token that another caller has
   * already replaced is left alone, so a burst of 401s leads to one new token, not many.
   */
  async invalidate(contractId: string, usedToken: string): Promise<void> {
    const stored = await this.store.get(contractId);
    if (stored?.accessToken === usedToken) await this.store.delete(contractId);
  }

  /** Drops the contract's token (e.g. when the app is uninstalled). */
  async forget(contractId: string): Promise<void> {
    await this.store.delete(contractId);
  }

  #fetchOnce(contractId: string): Promise<AppToken> {
    const pending = this.#inFlight.get(contractId);
    if (pending) return pending;
    const fetchAndStore = async (): Promise<AppToken> => {
      // Under a shared lock another process may have stored a fresh token meanwhile.
      const current = this.store.withLock ? await this.store.get(contractId) : undefined;
      if (current && this.#fresh(current)) return current;
      const token = await this.auth.requestAppToken(contractId);
      await this.store.set(contractId, token);
      return token;
    };
    const request = (async () => {
      try {
        return this.store.withLock
          ? await this.store.withLock(contractId, fetchAndStore)
          : await fetchAndStore();
      } finally {
        this.#inFlight.delete(contractId);
      }
    })();
    this.#inFlight.set(contractId, request);
    return request;
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
