import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Em } from '@renkei/persistence';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

/*
 * Limits password guessing, per email and per client address.
 *
 * An attempt is counted BEFORE its password is checked, by an atomic consume of one point
 * (rate-limiter-flexible): of any number of simultaneous attempts for one email, at most
 * `emailMaxFailures` reach the password hash in a window, whatever their timing. The earlier
 * limiter checked a counter, hashed (~100 ms) and only then counted, so a burst all passed the
 * check before the first failure was recorded.
 *
 * The window is fixed: it starts at the first counted attempt and lasts `...WindowSeconds`;
 * until it ends, attempts beyond the limit are refused even with the right password. A successful
 * login clears the email's count and gives back the address's point, so only failures add up.
 * The email is counted first, the address only for attempts the email's limit lets through;
 * an attempt the address's limit refuses gives the email its point back. An attempt that checks
 * no password is no failure: a burst against one email does not also lock the office's address.
 *
 * Storage: in memory for SQLite (one API process per SQLite file); in a PostgreSQL table
 * (`renkei_login_limits`, created on first use, rows hold SHA-256 of the keys, no emails) when
 * the API runs on PostgreSQL, so every API process shares one count.
 */

/** The limits (from LOGIN_MAX_FAILURES / LOGIN_LOCK_SECONDS / LOGIN_IP_*). */
export interface LoginLimits {
  emailMaxFailures: number;
  emailWindowSeconds: number;
  addressMaxFailures: number;
  addressWindowSeconds: number;
}

/** Thrown by {@link LoginLimiter.begin} when the attempt is over a limit. */
export class LoginLockedError extends Error {
  override name = 'LoginLockedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many login attempts; retry in ${retryAfterSeconds} s`);
  }
}

type Limiter = Pick<RateLimiterAbstract, 'consume' | 'reward' | 'delete'>;
interface Limiters {
  email: Limiter;
  address: Limiter;
}

/** The ORM's knex instance (`em.getConnection().getKnex()`). */
type Knex = ReturnType<ReturnType<Em['getConnection']>['getKnex']>;

export const LOGIN_LIMITS_TABLE = 'renkei_login_limits';

export class LoginLimiter {
  private constructor(private readonly limiters: () => Promise<Limiters>) {}

  /** Counts in this process's memory (SQLite deployments: one API process). */
  static memory(limits: LoginLimits): LoginLimiter {
    const limiters: Limiters = {
      email: new RateLimiterMemory({
        keyPrefix: 'email',
        points: limits.emailMaxFailures,
        duration: limits.emailWindowSeconds,
      }),
      address: new RateLimiterMemory({
        keyPrefix: 'ip',
        points: limits.addressMaxFailures,
        duration: limits.addressWindowSeconds,
      }),
    };
    return new LoginLimiter(() => Promise.resolve(limiters));
  }

  /**
   * Counts in a PostgreSQL table shared by every API process, through the ORM's connection pool
   * (knex). The table is created on the first attempt; a failed creation is tried again on the
   * next one, and until then logins fail (closed, never unlimited).
   */
  static postgres(knex: Knex, limits: LoginLimits, tableName = LOGIN_LIMITS_TABLE): LoginLimiter {
    let ready: Promise<Limiters> | undefined;
    const create = async (): Promise<Limiters> => {
      const common = { storeClient: knex, storeType: 'knex', tableName };
      const email = await new Promise<RateLimiterPostgres>((resolve, reject) => {
        const limiter: RateLimiterPostgres = new RateLimiterPostgres(
          {
            ...common,
            keyPrefix: 'email',
            points: limits.emailMaxFailures,
            duration: limits.emailWindowSeconds,
          },
          // Called once the table exists (asynchronously, so `limiter` is assigned by then).
          (error?: unknown) => (error ? reject(toError(error)) : resolve(limiter)),
        );
      });
      const address = new RateLimiterPostgres({
        ...common,
        keyPrefix: 'ip',
        points: limits.addressMaxFailures,
        duration: limits.addressWindowSeconds,
        tableCreated: true,
        // The first limiter's cleaner already deletes expired rows of the whole table.
        clearExpiredByTimeout: false,
      });
      return { email, address };
    };
    return new LoginLimiter(() => {
      ready ??= create().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      return ready;
    });
  }

  /**
   * Counts one attempt for the email and the client address, before the password is checked.
   * Throws {@link LoginLockedError} when either is over its limit (the point taken from the
   * other is given back); rethrows a storage failure (the login fails, it is never let through
   * unlimited).
   */
  async begin(email: string, address: string | null): Promise<void> {
    const limiters = await this.limiters();
    // The email first, then the address: a burst against one email that is already locked
    // takes nothing from its address, so it cannot lock out the rest of the office.
    const taken: [Limiter, string][] = [];
    for (const [limiter, key] of this.keys(limiters, email, address)) {
      try {
        await limiter.consume(key);
        taken.push([limiter, key]);
      } catch (refusal) {
        // Not checked, so not a failure: give back what the attempt took from the other limit.
        await Promise.all(taken.map(([l, k]) => l.reward(k)));
        if (!(refusal instanceof RateLimiterRes)) throw toError(refusal);
        throw new LoginLockedError(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
      }
    }
  }

  /** After a successful login: the email's failures are forgotten, the address's point returned. */
  async succeeded(email: string, address: string | null): Promise<void> {
    const limiters = await this.limiters();
    await limiters.email.delete(hashKey(normaliseEmail(email)));
    const ip = addressKey(address);
    if (ip !== null) await limiters.address.reward(hashKey(ip));
  }

  private keys(limiters: Limiters, email: string, address: string | null): [Limiter, string][] {
    const ip = addressKey(address);
    return [
      [limiters.email, hashKey(normaliseEmail(email))],
      ...(ip === null ? [] : [[limiters.address, hashKey(ip)] as [Limiter, string]]),
    ];
  }
}

function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Keys are stored hashed: the table holds no emails or addresses. */
function hashKey(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error('login limiter failed', { cause: error });
}

/**
 * The key of a client address: IPv4 as is (also when mapped into IPv6), IPv6 by its /64 prefix,
 * since one IPv6 client usually owns a whole /64 and could otherwise change its address at will.
 */
export function addressKey(ip: string | null): string | null {
  if (ip === null || ip === '') return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip)) return ip;
  const bare = ip.replace(/%.*$/, '');
  if (!isIPv6(bare)) return ip;
  const [head = '', tail] = bare.split('::') as [string, string | undefined];
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const tailGroups = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail takes two groups; only the first four groups are kept anyway.
  const tailLength = tailGroups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const full = [
    ...groups(head),
    ...Array<string>(Math.max(0, 8 - groups(head).length - tailLength)).fill('0'),
    ...tailGroups,
  ];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
