import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics.js';

/** One order registration to run somewhere in the cluster. */
export interface OrderTask {
  tenantId: string;
  orderId: string;
}

/**
 * How several worker processes share the work on PostgreSQL (docs/operations.md, "Deployment with
 * PostgreSQL and several workers"):
 * - order registrations go through a pg-boss queue worked by every process, so the backlog is
 *   spread over all of them. The queue only distributes: that an order is never sent by two
 *   processes at once is the operation ledger's compare-and-set, and a dead process's orders are
 *   taken over when their in-flight lease ends (the order loop queues them again then);
 * - the periodic loops (jobs, webhooks, shipping, reconciliation, import, tokens) run in one
 *   process at a time, by a PostgreSQL advisory lock held for the tick (released by the server
 *   if the process dies);
 * - the contract's rate budget is the client's PostgreSQL budget store (see shared-budget.ts).
 */
export interface Distributed {
  /** Queues the due orders (an order already queued is not queued twice). */
  sendOrders(tasks: readonly OrderTask[]): Promise<void>;
  /** Starts taking order tasks from the queue, at most `concurrency` running at a time. */
  workOrders(concurrency: number, handler: (task: OrderTask) => Promise<void>): Promise<void>;
  /** Runs `fn` unless another process is running the tick of this name; undefined if skipped. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /**
   * Shutdown begins: from now on no task is fetched or started. Resolves once the tasks already
   * running have ended (the worker aborts them when its deadline passes).
   */
  stopWorking(): Promise<void>;
  /** Able to work: the queue is started, not stopping, and its last fetch succeeded. */
  readiness(): { ok: boolean; error?: string };
  /** Closes the queue and the lock connection (after {@link stopWorking}). */
  stop(timeoutMs: number): Promise<void>;
}

/**
 * The order queue, policy `short`: at most one queued job per order (a second send while one is
 * queued is dropped), any number active. Earlier versions used `stately` (one queued AND one
 * active per order): when a process died with an order's job active, the order was queued again
 * and pg-boss's fetch, which moves a whole batch to active in one statement, failed on the
 * stately unique index for every batch containing it — every process stopped registering until
 * the dead job expired (15 min) and maintenance ran, and pg-boss swallowed the error.
 */
export const ORDER_QUEUE = 'renkei-order-registration';
/** The `stately` queue of earlier versions: dropped at start (the order rows are the truth). */
export const LEGACY_ORDER_QUEUE = 'renkei-order-register';

export interface PgBossDistributedOptions {
  logger: Logger;
  metrics: WorkerMetrics;
  /** The in-flight lease (WORKER_LEASE_MS): a job left active by a dead process expires after 2 leases. */
  leaseMs: number;
  /** How often an idle process looks at the queue (ms, default 500). */
  pollMs?: number;
}

/** pg-boss 10 (Node 20) over the same PostgreSQL database as the ORM, schema `pgboss`. */
export class PgBossDistributed implements Distributed {
  readonly #boss: PgBoss;
  readonly #url: string;
  /** The session holding the advisory locks; opened again after it was lost. */
  #locks: pg.Client | undefined;
  readonly #options: PgBossDistributedOptions;
  readonly #pollMs: number;
  readonly #expireInSeconds: number;
  #locking: Promise<unknown> = Promise.resolve();
  /** The fetch loop (set by workOrders). */
  #working: Promise<void> | undefined;
  readonly #running = new Set<Promise<void>>();
  #stopping = false;
  /** Ends the fetch loop's current pause (a task finished, something was sent, stop). */
  #wake: (() => void) | undefined;
  /** A poke that came while the fetch loop was not pausing: its next pause ends at once. */
  #poked = false;
  /** The error of the fetch in progress, as seen by the SQL executor below. */
  #fetchError: unknown;
  /** Consecutive failed fetches (0 = the last one worked). */
  #fetchFailures = 0;
  #lastFetchError: string | undefined;

  private constructor(boss: PgBoss, url: string, options: PgBossDistributedOptions) {
    this.#boss = boss;
    this.#url = url;
    this.#options = options;
    this.#pollMs = options.pollMs ?? 500;
    this.#expireInSeconds = Math.max(2, Math.ceil((2 * options.leaseMs) / 1000));
  }

  static async start(url: string, options: PgBossDistributedOptions): Promise<PgBossDistributed> {
    const { logger, metrics, leaseMs } = options;
    const boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: 4,
      application_name: 'renkei-worker',
      // Maintenance fails expired jobs (those a dead process left active): about once a lease,
      // so they do not linger for the default 2 minutes + 15 minutes.
      maintenanceIntervalSeconds: Math.min(120, Math.max(1, Math.ceil(leaseMs / 1000))),
    });
    boss.on('error', (error: unknown) => {
      metrics.queueErrors.inc({ operation: 'boss' });
      logger.error({ err: error }, 'pg-boss error');
    });
    await boss.start();
    const distributed = new PgBossDistributed(boss, url, options);
    const locks = await distributed.#lockClient();
    // Processes starting together would deadlock creating the queue (pg-boss inserts the queue
    // row and creates its partition in one statement): one at a time, under an advisory lock.
    await locks.query('SELECT pg_advisory_lock(hashtext($1))', ['renkei-worker:create-queue']);
    try {
      if ((await boss.getQueue(ORDER_QUEUE)) === null) {
        await boss.createQueue(ORDER_QUEUE, {
          name: ORDER_QUEUE,
          policy: 'short',
          retryLimit: 0,
          expireInSeconds: distributed.#expireInSeconds,
        });
      }
      if ((await boss.getQueue(LEGACY_ORDER_QUEUE)) !== null) {
        await boss.deleteQueue(LEGACY_ORDER_QUEUE);
        logger.info(
          { queue: LEGACY_ORDER_QUEUE },
          'removed the stately order queue of an earlier version (due orders are queued again)',
        );
      }
    } finally {
      await locks.query('SELECT pg_advisory_unlock(hashtext($1))', ['renkei-worker:create-queue']);
    }
    return distributed;
  }

  async sendOrders(tasks: readonly OrderTask[]): Promise<void> {
    if (this.#stopping || tasks.length === 0) return;
    // One statement per dispatch: an order already queued is skipped by the queue's unique index
    // (ON CONFLICT DO NOTHING), so the whole due list can be offered every tick without a round
    // trip per order, and an order taken over from a dead process is queued at once.
    await this.#boss.insert(
      tasks.map((task) => ({
        name: ORDER_QUEUE,
        data: { ...task },
        singletonKey: task.orderId,
        retryLimit: 0,
        expireInSeconds: this.#expireInSeconds,
      })),
    );
    this.#poke();
  }

  /**
   * Our own fetch loop instead of `boss.work()`: pg-boss's fetch swallows every SQL error (see
   * `manager.fetch` in pg-boss 10), so the queries go through an executor that records the error
   * for us to log and count; a slot is refilled as soon as one task ends (instead of waiting for
   * a whole batch); and stopping stops fetching at once.
   */
  async workOrders(
    concurrency: number,
    handler: (task: OrderTask) => Promise<void>,
  ): Promise<void> {
    if (this.#working !== undefined || this.#stopping) return;
    this.#working = this.#fetchLoop(Math.max(1, concurrency), handler).catch((error: unknown) => {
      // Not expected (every step handles its errors), but never silent: logged, counted, and
      // the worker reports itself not ready.
      this.#fetchFailures++;
      this.#lastFetchError = errorText(error);
      this.#error('fetch', error, { loopEnded: true });
    });
    return Promise.resolve();
  }

  async #fetchLoop(concurrency: number, handler: (task: OrderTask) => Promise<void>) {
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
    while (!this.#stopping) {
      const free = concurrency - this.#running.size;
      if (free <= 0) {
        await this.#pause(this.#pollMs);
        continue;
      }
      this.#fetchError = undefined;
      let jobs: PgBoss.Job<OrderTask>[] = [];
      try {
        jobs = await this.#boss.fetch<OrderTask>(ORDER_QUEUE, { batchSize: free, db: executor });
      } catch (error) {
        this.#fetchError = error;
      }
      if (this.#fetchError !== undefined) {
        this.#fetchFailures++;
        this.#lastFetchError = errorText(this.#fetchError);
        this.#error('fetch', this.#fetchError, { consecutiveFailures: this.#fetchFailures });
        // Back off (0.5 s, 1 s, 2 s ... 10 s) so a persistent failure is not a log flood.
        await this.#pause(Math.min(10_000, this.#pollMs * 2 ** (this.#fetchFailures - 1)));
        continue;
      }
      this.#fetchFailures = 0;
      this.#lastFetchError = undefined;
      if (this.#stopping) {
        // Fetched while the stop arrived: not started, handed back (the order stays due).
        await this.#settle(
          'fail',
          jobs.map((j) => j.id),
          'worker stopping: not started',
        );
        break;
      }
      for (const job of jobs) this.#run(job, handler);
      if (jobs.length < free) await this.#pause(this.#pollMs);
    }
  }

  #run(job: PgBoss.Job<OrderTask>, handler: (task: OrderTask) => Promise<void>): void {
    const run = (async () => {
      try {
        await handler(job.data);
      } catch (error) {
        this.#options.logger.warn(
          { err: error, orderId: job.data.orderId, tenantId: job.data.tenantId },
          'order task failed; the order stays due and is queued again',
        );
        await this.#settle('fail', [job.id], errorText(error));
        return;
      }
      await this.#settle('complete', [job.id]);
    })().finally(() => {
      this.#running.delete(run);
      this.#poke();
    });
    this.#running.add(run);
  }

  async #settle(operation: 'complete' | 'fail', ids: string[], message?: string): Promise<void> {
    if (ids.length === 0) return;
    try {
      if (operation === 'complete') await this.#boss.complete(ORDER_QUEUE, ids);
      else await Promise.all(ids.map((id) => this.#boss.fail(ORDER_QUEUE, id, { message })));
    } catch (error) {
      // The job then expires by itself; the order row, not the job, says what is left to do.
      this.#error(operation, error, { jobs: ids.length });
    }
  }

  #error(operation: string, error: unknown, detail: Record<string, unknown> = {}): void {
    this.#options.metrics.queueErrors.inc({ operation });
    this.#options.logger.error(
      { err: error, queue: ORDER_QUEUE, operation, ...detail },
      `work queue ${operation} failed`,
    );
  }

  /** Wakes the fetch loop: now if it is pausing, else its next pause is skipped. */
  #poke(): void {
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

  /**
   * The lock session. A lost connection (database restarted, connection cut) releases its locks
   * on the server; it is logged, counted, and a new session is opened at the next use — an
   * unhandled 'error' event would otherwise end the process.
   */
  async #lockClient(): Promise<pg.Client> {
    if (this.#locks !== undefined) return this.#locks;
    const client = new pg.Client({
      connectionString: this.#url,
      application_name: 'renkei-worker-locks',
    });
    client.on('error', (error) => {
      this.#error('locks', error);
      if (this.#locks === client) this.#locks = undefined;
      client.end().catch(() => undefined);
    });
    await client.connect();
    this.#locks = client;
    return client;
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    // One session connection holds the locks; calls on it are serialised.
    const key = `renkei-worker:${name}`;
    const acquired = await this.#serial(async () => {
      const r = await (
        await this.#lockClient()
      ).query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [key]);
      return r.rows[0]?.ok === true;
    });
    if (!acquired) return undefined;
    try {
      return await fn();
    } finally {
      await this.#serial(async () =>
        (await this.#lockClient()).query('SELECT pg_advisory_unlock(hashtext($1))', [key]),
      );
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#locking.then(fn, fn);
    this.#locking = run.catch(() => undefined);
    return run;
  }

  async stopWorking(): Promise<void> {
    this.#stopping = true;
    this.#poke();
    await this.#working;
    await Promise.allSettled([...this.#running]);
  }

  readiness(): { ok: boolean; error?: string } {
    if (this.#stopping) return { ok: false, error: 'stopping' };
    if (this.#working === undefined) return { ok: false, error: 'not working the queue yet' };
    if (this.#fetchFailures > 0)
      return { ok: false, error: `queue fetch failing: ${this.#lastFetchError ?? 'unknown'}` };
    return { ok: true };
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    this.#poke();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.stopWorking(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    // No pg-boss worker of ours is running (see workOrders): nothing for it to wait for.
    await this.#boss.stop({ graceful: false, close: true });
    await this.#locks?.end();
    this.#locks = undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
