/**
 * A `BudgetStore` shared through PostgreSQL, for several worker processes calling Smaregi for the
 * same contracts (`@renkei/smaregi-client/budget-postgres`; needs the optional peer `pg`).
 *
 * The table is rate-limiter-flexible's `RateLimiterPostgres` table (it creates the table and
 * deletes expired rows). Time is cut into slots of one permit interval, aligned on the epoch, so
 * every process computes the same slots; a slot is a limiter key worth one point. Booking a
 * permit = taking the first free slot in ONE statement: an INSERT of the first of the next
 * slots that has no row, `ON CONFLICT DO NOTHING` (the primary key is what makes two processes
 * never take one slot; one that lost a race tries again after it). Probing slot by slot with
 * the library's `consume` cost a round trip per slot another process had taken, about three per
 * permit with two processes sharing a contract (`pnpm bench:scale`). A row written here is what
 * the library's own consume of that key would have written (one point used), so both ways of
 * booking agree. Permits are thus spaced one interval apart across all processes, which keeps
 * any one-second window within the limit (see `rate-budget.ts`).
 *
 * Every process sharing a table must use the same rate limits and have synchronised clocks
 * (NTP); slot starts are epoch-aligned.
 */
import type { Pool } from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
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

const DEFAULT_TABLE = 'smaregi_rate_budget';
const KEY_PREFIX = 'smaregi';
/** A slot row only has to outlive the slot; booked slots are at most seconds ahead. */
const SLOT_ROW_SECONDS = 120;
/** The most a booking looks ahead of `now` for its database's answer time. */
const MAX_LEAD_MS = 250;
/** Slots one booking statement looks at. */
const SLOTS_PER_STATEMENT = 64;

/** `BudgetStore` in PostgreSQL; create with `PostgresBudgetStore.create(...)`. */
export class PostgresBudgetStore implements BudgetStore {
  readonly #pool: Pool;
  readonly #table: string;
  readonly #lateToleranceMs: number;
  readonly #maxProbes: number;
  /** Last slot this process booked per key: slots before it need no probing. */
  readonly #lastSlot = new Map<string, number>();
  /** How long a booking statement takes, recently (moving average, ms). */
  #bookingMs = 0;

  private constructor(options: PostgresBudgetStoreOptions) {
    this.#pool = options.pool;
    this.#table = [options.schemaName, options.tableName ?? DEFAULT_TABLE]
      .filter((name): name is string => name !== undefined)
      .map((name) => `"${name.replace(/"/g, '""')}"`)
      .join('.');
    this.#lateToleranceMs = options.lateToleranceMs ?? 10;
    this.#maxProbes = options.maxProbes ?? 1_000;
  }

  /** Creates the store and its table (if missing); resolves when it is ready. */
  static create(options: PostgresBudgetStoreOptions): Promise<PostgresBudgetStore> {
    return new Promise((resolve, reject) => {
      // The limiter creates the table (if missing) and deletes its expired rows every 5
      // minutes, for as long as the process lives; bookings are `reserve`'s own statement.
      new RateLimiterPostgres(
        {
          storeClient: options.pool,
          storeType: 'pool',
          tableName: options.tableName ?? DEFAULT_TABLE,
          ...(options.schemaName ? { schemaName: options.schemaName } : {}),
          keyPrefix: KEY_PREFIX,
          points: 1,
          // A slot row only has to outlive the slot; booked slots are at most seconds ahead.
          // rate-limiter-flexible deletes expired rows every 5 minutes.
          duration: SLOT_ROW_SECONDS,
        },
        (error?: unknown) => {
          if (error)
            reject(
              error instanceof Error
                ? error
                : new Error('PostgresBudgetStore: setup failed', { cause: error }),
            );
          else resolve(new PostgresBudgetStore(options));
        },
      );
    });
  }

  async reserve({ key, intervalMs, now }: BudgetReserveRequest): Promise<number> {
    // A slot must not have started long before the booking is back: the caller drops a permit
    // that comes later than its tolerance (rate-budget.ts) and books again, so with a booking
    // that takes 30 ms (a busy database) a slot that started at `now` was dropped every time,
    // and the contract lost that slot (a profiled bench:scale run at 100 tenants booked 1.7
    // slots per call; 1.17 with this). The first slot looked at starts after about twice the
    // recent booking time.
    const lead = Math.min(MAX_LEAD_MS, 2 * this.#bookingMs);
    const earliest = Math.ceil((now + lead - this.#lateToleranceMs) / intervalMs);
    let slot = Math.max(earliest, (this.#lastSlot.get(key) ?? -Infinity) + 1);
    for (let probed = 0; probed < this.#maxProbes;) {
      const span = Math.min(SLOTS_PER_STATEMENT, this.#maxProbes - probed);
      // The library's key of a slot is `<prefix>:<key>:<slot>` (its keyPrefix, then ours).
      const started = performance.now();
      const { rows } = await this.#pool.query<{ slot: string }>(
        `INSERT INTO ${this.#table} (key, points, expire)
         SELECT $1::text || s::text, 1, $4::bigint
           FROM generate_series($2::bigint, $2::bigint + $3::bigint - 1) AS s
          WHERE NOT EXISTS (SELECT 1 FROM ${this.#table} t WHERE t.key = $1::text || s::text)
          ORDER BY s
          LIMIT 1
         ON CONFLICT (key) DO NOTHING
         RETURNING substr(key, length($1::text) + 1) AS slot`,
        [`${KEY_PREFIX}:${key}:`, slot, span, now + SLOT_ROW_SECONDS * 1000],
      );
      const took = performance.now() - started;
      this.#bookingMs = this.#bookingMs === 0 ? took : 0.8 * this.#bookingMs + 0.2 * took;
      const booked = rows[0] === undefined ? undefined : Number(rows[0].slot);
      if (booked !== undefined) {
        this.#lastSlot.set(key, booked);
        return Math.max(now, booked * intervalMs);
      }
      // Every slot of the span taken, or the first free one taken by another process between
      // the look and the insert: go on from the first slot still free (or after the span).
      const free = await this.#pool.query<{ first: string | null }>(
        `SELECT min(s)::text AS first
           FROM generate_series($2::bigint, $2::bigint + $3::bigint - 1) AS s
          WHERE NOT EXISTS (SELECT 1 FROM ${this.#table} t WHERE t.key = $1::text || s::text)`,
        [`${KEY_PREFIX}:${key}:`, slot, span],
      );
      const first = free.rows[0]?.first;
      const next = first === null || first === undefined ? slot + span : Number(first);
      probed += Math.max(1, next - slot);
      slot = next;
    }
    throw new Error(
      `PostgresBudgetStore: no free slot for ${key} within ${this.#maxProbes} probes`,
    );
  }
}
