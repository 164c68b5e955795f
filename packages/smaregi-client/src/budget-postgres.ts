/**
 * A `BudgetStore` shared through PostgreSQL, for several worker processes calling Smaregi for the
 * same contracts (`@renkei/smaregi-client/budget-postgres`; needs the optional peer `pg`).
 *
 * Built on rate-limiter-flexible's `RateLimiterPostgres` (atomic upserts in one table; no
 * home-made locking). Time is cut into slots of one permit interval, aligned on the epoch, so
 * every process computes the same slots; a slot is a limiter key worth one point. Booking a
 * permit = consuming the point of the first free slot; a slot some other process took answers
 * "no points left" and the next one is tried. Permits are thus spaced one interval apart across
 * all processes, which keeps any one-second window within the limit (see `rate-budget.ts`).
 *
 * Every process sharing a table must use the same rate limits and have synchronised clocks
 * (NTP); slot starts are epoch-aligned.
 */
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { BudgetReserveRequest, BudgetStore } from './rate-budget.js';

export interface PostgresBudgetStoreOptions {
  /** A `pg` Pool owned by the app (the store never ends it). */
  pool: Pool;
  /** Table for the slots, created if missing (default `smaregi_rate_budget`). */
  tableName?: string;
  /** Schema of the table (default: the connection's search path). */
  schemaName?: string;
  /**
   * A slot whose start passed less than this many ms ago may still be taken, so an idle caller
   * need not wait for the next boundary. Must stay below the rate limits' safety margin
   * (default 10 ms; the default margin is 75 ms).
   */
  lateToleranceMs?: number;
  /** Give up (and fail the call) after probing this many taken slots in a row (default 1,000). */
  maxProbes?: number;
}

/** `BudgetStore` in PostgreSQL; create with `PostgresBudgetStore.create(...)`. */
export class PostgresBudgetStore implements BudgetStore {
  readonly #limiter: RateLimiterPostgres;
  readonly #lateToleranceMs: number;
  readonly #maxProbes: number;
  /** Last slot this process booked per key: slots before it need no probing. */
  readonly #lastSlot = new Map<string, number>();

  private constructor(limiter: RateLimiterPostgres, options: PostgresBudgetStoreOptions) {
    this.#limiter = limiter;
    this.#lateToleranceMs = options.lateToleranceMs ?? 10;
    this.#maxProbes = options.maxProbes ?? 1_000;
  }

  /** Creates the store and its table (if missing); resolves when it is ready. */
  static create(options: PostgresBudgetStoreOptions): Promise<PostgresBudgetStore> {
    return new Promise((resolve, reject) => {
      const limiter = new RateLimiterPostgres(
        {
          storeClient: options.pool,
          storeType: 'pool',
          tableName: options.tableName ?? 'smaregi_rate_budget',
          ...(options.schemaName ? { schemaName: options.schemaName } : {}),
          keyPrefix: 'smaregi',
          points: 1,
          // A slot row only has to outlive the slot; booked slots are at most seconds ahead.
          // rate-limiter-flexible deletes expired rows every 5 minutes.
          duration: 120,
        },
        (error?: unknown) => {
          if (error)
            reject(
              error instanceof Error
                ? error
                : new Error('PostgresBudgetStore: setup failed', { cause: error }),
            );
          else resolve(new PostgresBudgetStore(limiter, options));
        },
      );
    });
  }

  async reserve({ key, intervalMs, now }: BudgetReserveRequest): Promise<number> {
    const earliest = Math.ceil((now - this.#lateToleranceMs) / intervalMs);
    let slot = Math.max(earliest, (this.#lastSlot.get(key) ?? -Infinity) + 1);
    for (let probe = 0; probe < this.#maxProbes; probe++, slot++) {
      try {
        await this.#limiter.consume(`${key}:${slot}`, 1);
        this.#lastSlot.set(key, slot);
        return Math.max(now, slot * intervalMs);
      } catch (error) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the point is gone (another
        // process has the slot) and with an Error when the database failed.
        if (!(error instanceof RateLimiterRes)) throw error;
      }
    }
    throw new Error(
      `PostgresBudgetStore: no free slot for ${key} within ${this.#maxProbes} probes`,
    );
  }
}
