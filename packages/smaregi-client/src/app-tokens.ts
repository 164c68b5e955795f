/*
 * The per-contract app access token (client credentials), cached until shortly before expiry, one
 * request in flight per contract, dropped and fetched once more when the API host answers 401.
 */

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

/** Where new app tokens come from: `SmaregiAuth.requestAppToken` (client credentials). */
export interface AppTokenSource {
  requestAppToken(contractId: string): Promise<AppToken>;
}

export interface AppTokenManagerOptions {
  /** Renew this long before expiry (default 5 minutes). */
  expirySkewMs: number;
  /**
   * How long a token read from the store is used without reading the store again (default 0:
   * every call reads it). A database-backed store costs two queries per read, which made token
   * reads a good part of a registration's database round trips; a token another process replaced
   * meanwhile is at worst refused once (401), dropped, and read again.
   */
  memoMs?: number;
}

/**
 * Caches app tokens per contract in a `TokenStore` and makes sure that concurrent callers who
 * find no valid token share one token request.
 */
export class AppTokenManager {
  readonly #inFlight = new Map<string, Promise<AppToken>>();
  /** Tokens read from the store, per contract, with when they were read (see `memoMs`). */
  readonly #memo = new Map<string, { token: AppToken; readAt: number }>();

  constructor(
    private readonly auth: AppTokenSource,
    private readonly store: TokenStore,
    private readonly now: () => number,
    private readonly options: AppTokenManagerOptions,
  ) {}

  /** A valid access token for the contract, from the store or freshly requested. */
  async getAccessToken(contractId: string): Promise<string> {
    const memoMs = this.options.memoMs ?? 0;
    const memo = this.#memo.get(contractId);
    if (memo && this.now() - memo.readAt < memoMs && this.#fresh(memo.token))
      return memo.token.accessToken;
    const stored = await this.store.get(contractId);
    if (stored && this.#fresh(stored)) {
      if (memoMs > 0) this.#memo.set(contractId, { token: stored, readAt: this.now() });
      return stored.accessToken;
    }
    this.#memo.delete(contractId);
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
    this.#memo.delete(contractId);
    const stored = await this.store.get(contractId);
    if (stored?.accessToken === usedToken) await this.store.delete(contractId);
  }

  /** Drops the contract's token (e.g. when the app is uninstalled). */
  async forget(contractId: string): Promise<void> {
    this.#memo.delete(contractId);
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
