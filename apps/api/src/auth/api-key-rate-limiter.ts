import type { Em } from '@renkei/persistence';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/*
 * The per-key request budget of the REST API (RENKEI_API_KEY_RATE_PER_SECOND): every request a
 * known API key makes takes one point of the key's budget for the current one-second window
 * (rate-limiter-flexible, fixed window starting at the key's first request in it); over it the
 * request is answered 429 without running. A runaway integration then slows itself down instead
 * of starving the intake and the other tenants' keys.
 *
 * Storage as the login limits (auth/login-limiter.ts): in this process's memory on SQLite (one
 * API process per SQLite file); in a PostgreSQL table (`renkei_api_key_limits`, created on first
 * use, one row per key ID, no key material) when the API runs on PostgreSQL, so several API
 * processes share one budget per key. Should the table be unreachable, each process keeps
 * counting in memory (the insurance limiter) rather than refusing every request: the database the
 * request itself needs is then the real problem, and the key stays limited either way.
 */

/** What a request's key has left, as the `RateLimit-*` headers tell it. */
export interface KeyRateDecision {
  allowed: boolean;
  /** Requests per window. */
  limit: number;
  /** Requests left in the current window (0 when refused). */
  remaining: number;
  /** Seconds until the window resets (at least 1 while it is running). */
  resetSeconds: number;
  /** The window in seconds (`RateLimit-Policy: <limit>;w=<window>`). */
  windowSeconds: number;
}

type Limiter = Pick<RateLimiterAbstract, 'consume'>;

/** The ORM's knex instance (`em.getConnection().getKnex()`). */
type Knex = ReturnType<ReturnType<Em['getConnection']>['getKnex']>;

export const API_KEY_LIMITS_TABLE = 'renkei_api_key_limits';

/** One second: the budget is "per second" (RENKEI_API_KEY_RATE_PER_SECOND). */
const WINDOW_SECONDS = 1;

export class ApiKeyRateLimiter {
  private constructor(
    readonly perSecond: number,
    private readonly limiter: () => Promise<Limiter>,
  ) {}

  /** Counts in this process's memory (SQLite deployments: one API process). */
  static memory(perSecond: number): ApiKeyRateLimiter {
    const limiter = memoryLimiter(perSecond);
    return new ApiKeyRateLimiter(perSecond, () => Promise.resolve(limiter));
  }

  /**
   * Counts in a PostgreSQL table shared by every API process, through the ORM's connection pool
   * (knex). The table is created on the first request; until that succeeds (and whenever the
   * table cannot be reached) this process counts in memory.
   */
  static postgres(
    knex: Knex,
    perSecond: number,
    tableName = API_KEY_LIMITS_TABLE,
  ): ApiKeyRateLimiter {
    const insurance = memoryLimiter(perSecond);
    let ready: Promise<Limiter> | undefined;
    const create = () =>
      new Promise<Limiter>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          {
            storeClient: knex,
            storeType: 'knex',
            tableName,
            keyPrefix: 'api-key',
            points: perSecond,
            duration: WINDOW_SECONDS,
            insuranceLimiter: insurance,
          },
          // Called once the table exists (asynchronously, so `limiter` is assigned by then).
          (error?: unknown) => (error ? reject(toError(error)) : resolve(limiter)),
        );
      });
    return new ApiKeyRateLimiter(perSecond, () => {
      ready ??= create().catch(() => {
        ready = undefined;
        return insurance;
      });
      return ready;
    });
  }

  /** Takes one request from the key's budget and says whether it may run. */
  async take(keyId: string): Promise<KeyRateDecision> {
    const limiter = await this.limiter();
    const decision = (res: RateLimiterRes, allowed: boolean): KeyRateDecision => ({
      allowed,
      limit: this.perSecond,
      remaining: allowed ? Math.max(0, res.remainingPoints) : 0,
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
      windowSeconds: WINDOW_SECONDS,
    });
    try {
      return decision(await limiter.consume(keyId), true);
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return decision(refusal, false);
      throw toError(refusal);
    }
  }
}

function memoryLimiter(perSecond: number): RateLimiterMemory {
  return new RateLimiterMemory({
    keyPrefix: 'api-key',
    points: perSecond,
    duration: WINDOW_SECONDS,
  });
}

function toError(error: unknown): Error {
  return error instanceof Error
    ? error
    : new Error('API key rate limiter failed', { cause: error });
}
