/**
 * A `BudgetStore` shared through PostgreSQL, for several worker processes calling Smaregi for the
 * same contracts (`@renkei/smaregi-client/budget-postgres`; needs the optional peer `pg`).
 *
 * One row per budget (contract and kind) holds the times of its last N permits (`sends`, epoch
 * ms, ascending): the sliding log of `rate-budget.ts`, kept where every process sees it. Taking a
 * permit is ONE statement: an upsert of the row whose `DO UPDATE ... WHERE` is the rule of
 * `decideTake` in `rate-budget.ts` (fewer than N permits in the window before the new one, and
 * none closer than the least gap). PostgreSQL locks the row for the upsert and checks the
 * condition on its newest version, so two processes can never both take the last permit of a
 * window; a process that is refused learns from the same statement when the next one is due.
 *
 * An earlier version booked epoch-aligned slots (rate-limiter-flexible's table
 * `smaregi_rate_budget`, one row per slot). Its rows are not read any more, and the table can be
 * dropped. Do not run processes of both versions at once: each would count only its own permits.
 *
 * Every process sharing a table must use the same rate limits and have synchronised clocks (NTP):
 * a permit is recorded at its taker's time.
 */
import type { Pool } from 'pg';
import {
  decideTake,
  permitGapMs,
  type BudgetStore,
  type BudgetTake,
  type BudgetTakeRequest,
} from './rate-budget.js';

export interface PostgresBudgetStoreOptions {
  /** A `pg` Pool owned by the app (the store never ends it). */
  pool: Pool;
  /** Table of the permit logs, created if missing (default `smaregi_rate_log`). */
  tableName?: string;
  /** Schema of the table (default: the connection's search path). */
  schemaName?: string;
}

const DEFAULT_TABLE = 'smaregi_rate_log';
/** The most a permit is recorded ahead of `now` for its database's answer time. */
const MAX_LEAD_MS = 250;

/** `BudgetStore` in PostgreSQL; create with `PostgresBudgetStore.create(...)`. */
export class PostgresBudgetStore implements BudgetStore {
  readonly #pool: Pool;
  readonly #table: string;
  /** How long a take statement takes, recently (moving average, ms). */
  #takeMs = 0;

  private constructor(pool: Pool, table: string) {
    this.#pool = pool;
    this.#table = table;
  }

  /** Creates the store and its table (if missing); resolves when it is ready. */
  static async create(options: PostgresBudgetStoreOptions): Promise<PostgresBudgetStore> {
    const table = [options.schemaName, options.tableName ?? DEFAULT_TABLE]
      .filter((name): name is string => name !== undefined)
      .map((name) => `"${name.replace(/"/g, '""')}"`)
      .join('.');
    // Processes starting together may race here (CREATE TABLE IF NOT EXISTS is not safe against
    // a concurrent create in PostgreSQL); the worker's createSharedBudget tries again.
    await options.pool.query(
      `CREATE TABLE IF NOT EXISTS ${table} (key text PRIMARY KEY, sends bigint[] NOT NULL)`,
    );
    return new PostgresBudgetStore(options.pool, table);
  }

  async take({ key, limit, windowMs, now }: BudgetTakeRequest): Promise<BudgetTake> {
    // The permit is recorded a little ahead of `now`, by about twice the recent statement time:
    // the caller drops a permit that is back later than its tolerance (20 ms) after its recorded
    // time, so with a busy database (30 ms a statement) a permit recorded at `now` would be
    // dropped every time. The caller sleeps until the recorded time when the answer is early.
    const at = Math.ceil(now + Math.min(MAX_LEAD_MS, 2 * this.#takeMs));
    const started = performance.now();
    // The rule of `decideTake`: `last` (the newest permit) at least a gap before the new one,
    // `nth` (the N-th newest) at least a window before it. A permit taken is kept with the
    // N - 1 newest.
    const { rows } = await this.#pool.query<{ at: string | null; sends: string[] | null }>(
      `WITH taken AS (
         INSERT INTO ${this.#table} AS b (key, sends) VALUES ($1, ARRAY[$2::bigint])
         ON CONFLICT (key) DO UPDATE
            SET sends = b.sends[greatest(1, cardinality(b.sends) - $3::int + 2):cardinality(b.sends)]
                        || $2::bigint
          WHERE b.sends[cardinality(b.sends)] + $5::float8 <= $2::bigint
            AND (cardinality(b.sends) < $3::int
                 OR b.sends[cardinality(b.sends) - $3::int + 1] + $4::float8 <= $2::bigint)
         RETURNING $2::bigint AS at
       )
       SELECT (SELECT at FROM taken)::text AS at,
              (SELECT s.sends FROM ${this.#table} s WHERE s.key = $1)::text[] AS sends`,
      [key, at, limit, windowMs, permitGapMs({ limit, windowMs })],
    );
    const took = performance.now() - started;
    this.#takeMs = this.#takeMs === 0 ? took : 0.8 * this.#takeMs + 0.2 * took;
    const row = rows[0];
    if (row?.at != null) return { granted: true, at: Number(row.at) };
    // Refused. `sends` is read from the statement's snapshot, which may be older than the row
    // the condition was checked on (another process took a permit meanwhile): the retry may
    // then come early and be refused once more, never late.
    const decision = decideTake((row?.sends ?? []).map(Number), { limit, windowMs, now: at });
    return decision.granted ? { granted: false, retryAt: now } : decision;
  }
}
