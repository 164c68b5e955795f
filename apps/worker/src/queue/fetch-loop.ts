import type PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics.js';

export interface FetchLoopOptions {
  queue: string;
  logger: Logger;
  metrics: WorkerMetrics;
  /** How often an idle loop looks at the queue (ms). */
  pollMs: number;
  /** What a failed task means for the log ("the order stays due", ...). */
  describe: (data: object) => Record<string, unknown>;
}

/**
 * One process's fetch loop over one pg-boss queue. Our own instead of `boss.work()`: pg-boss's
 * fetch swallows every SQL error (see `manager.fetch` in pg-boss 10), so the queries go through an
 * executor that records the error for us to log (`work queue fetch failed`, with the database's
 * error) and count (`renkei_worker_queue_errors_total{operation="fetch"}`); a slot is refilled as
 * soon as one task ends (instead of waiting for a whole batch); and stopping stops fetching at
 * once. A failed fetch is backed off (the poll interval, then twice that... up to 10 s) and reported
 * by `readiness`.
 */
export class FetchLoop<T extends object> {
  readonly #boss: PgBoss;
  readonly #options: FetchLoopOptions;
  #working: Promise<void> | undefined;
  readonly #running = new Set<Promise<void>>();
  #stopping = false;
  /** Ends the loop's current pause (a task finished, something was sent, stop). */
  #wake: (() => void) | undefined;
  /** A poke that came while the loop was not pausing: its next pause ends at once. */
  #poked = false;
  /** The error of the fetch in progress, as seen by the SQL executor below. */
  #fetchError: unknown;
  /** Consecutive failed fetches (0 = the last one worked). */
  #fetchFailures = 0;
  #lastFetchError: string | undefined;

  constructor(boss: PgBoss, options: FetchLoopOptions) {
    this.#boss = boss;
    this.#options = options;
  }

  get started(): boolean {
    return this.#working !== undefined;
  }

  /** Starts taking tasks, at most `concurrency` running at a time (once; not after a stop). */
  start(concurrency: number, handler: (task: T) => Promise<void>): void {
    if (this.#working !== undefined || this.#stopping) return;
    this.#working = this.#loop(Math.max(1, concurrency), handler).catch((error: unknown) => {
      // Not expected (every step handles its errors), but never silent: logged, counted, and
      // the worker reports itself not ready.
      this.#fetchFailures++;
      this.#lastFetchError = errorText(error);
      this.error('fetch', error, { loopEnded: true });
    });
  }

  async #loop(concurrency: number, handler: (task: T) => Promise<void>): Promise<void> {
    const db = this.#boss.getDb();
    const executor: PgBoss.Db = {
      executeSql: async (text, values) => {
        try {
          return await db.executeSql(text, values);
        } catch (error) {
          this.#fetchError = error;
          throw error;
        }
      },
    };
    const { queue, pollMs } = this.#options;
    while (!this.#stopping) {
      const free = concurrency - this.#running.size;
      if (free <= 0) {
        await this.#pause(pollMs);
        continue;
      }
      this.#fetchError = undefined;
      let jobs: PgBoss.Job<T>[] = [];
      try {
        jobs = await this.#boss.fetch<T>(queue, { batchSize: free, db: executor });
      } catch (error) {
        this.#fetchError = error;
      }
      if (this.#fetchError !== undefined) {
        this.#fetchFailures++;
        this.#lastFetchError = errorText(this.#fetchError);
        this.error('fetch', this.#fetchError, { consecutiveFailures: this.#fetchFailures });
        // Back off so a persistent failure is not a log flood.
        await this.#pause(Math.min(10_000, pollMs * 2 ** (this.#fetchFailures - 1)));
        continue;
      }
      this.#fetchFailures = 0;
      this.#lastFetchError = undefined;
      if (this.#stopping) {
        // Fetched while the stop arrived: not started, handed back (the rows say it is still due).
        await this.#settle(
          'fail',
          jobs.map((j) => j.id),
          'worker stopping: not started',
        );
        break;
      }
      for (const job of jobs) this.#run(job, handler);
      if (jobs.length < free) await this.#pause(pollMs);
    }
  }

  #run(job: PgBoss.Job<T>, handler: (task: T) => Promise<void>): void {
    const run = (async () => {
      try {
        await handler(job.data);
      } catch (error) {
        this.#options.logger.warn(
          { err: error, queue: this.#options.queue, ...this.#options.describe(job.data) },
          'queue task failed; its row stays due and is queued again',
        );
        await this.#settle('fail', [job.id], errorText(error));
        return;
      }
      await this.#settle('complete', [job.id]);
    })().finally(() => {
      this.#running.delete(run);
      this.poke();
    });
    this.#running.add(run);
  }

  async #settle(operation: 'complete' | 'fail', ids: string[], message?: string): Promise<void> {
    if (ids.length === 0) return;
    const { queue } = this.#options;
    try {
      if (operation === 'complete') await this.#boss.complete(queue, ids);
      else await Promise.all(ids.map((id) => this.#boss.fail(queue, id, { message })));
    } catch (error) {
      // The job then expires by itself; the row (order or job), not the queue job, says what is
      // left to do.
      this.error(operation, error, { jobs: ids.length });
    }
  }

  /** Logs and counts a queue error (`renkei_worker_queue_errors_total{operation}`). */
  error(operation: string, error: unknown, detail: Record<string, unknown> = {}): void {
    this.#options.metrics.queueErrors.inc({ operation });
    this.#options.logger.error(
      { err: error, queue: this.#options.queue, operation, ...detail },
      `work queue ${operation} failed`,
    );
  }

  /** Wakes the loop: now if it is pausing, else its next pause is skipped. */
  poke(): void {
    if (this.#wake !== undefined) this.#wake();
    else this.#poked = true;
  }

  #pause(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    if (this.#poked) {
      this.#poked = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Nothing more is fetched; resolves once the tasks already running have ended. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.poke();
    await this.#working;
    await Promise.allSettled([...this.#running]);
  }

  /** undefined = fetching fine (or not started); otherwise why not. */
  failure(): string | undefined {
    return this.#fetchFailures > 0
      ? `queue fetch failing: ${this.#lastFetchError ?? 'unknown'}`
      : undefined;
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
