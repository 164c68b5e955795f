import PgBoss from 'pg-boss';
import pg from 'pg';
import { CallPriority } from '@renkei/domain';
import type { Logger } from '../logger.js';
import type { WorkerMetrics } from '../metrics.js';
import { FetchLoop } from './fetch-loop.js';

/** One order registration to run somewhere in the cluster. */
export interface OrderTask {
  tenantId: string;
  orderId: string;
}

/** One row of the `jobs` table to run somewhere in the cluster (the row is the truth). */
export interface JobTask {
  tenantId: string;
  jobId: string;
  /** The job's kind (`JOB_NAMES`), for the logs; the handler is chosen from the row. */
  name: string;
  /** The row's priority, on the `CallPriority` scale of @renkei/domain. */
  priority: number;
}

/**
 * How several worker processes share the work on PostgreSQL (docs/operations.md, "Deployment with
 * PostgreSQL and several workers"):
 * - order registrations and every kind of job go through pg-boss queues worked by every process,
 *   so the backlog is spread over all of them. The queues only distribute: that an order is never
 *   sent by two processes at once is the operation ledger's compare-and-set, that a job runs in
 *   one process at a time is the compare-and-set of its `jobs` row, and a dead process's work is
 *   taken over when its lease (order) or row lock (job) ends — the loops queue it again then;
 * - the periodic loops (offering due orders and jobs, webhooks, shipping, reconciliation, import,
 *   tokens) run in one process at a time, by a PostgreSQL advisory lock held for the tick
 *   (released by the server if the process dies);
 * - the contract's rate budget is the client's PostgreSQL budget store (see shared-budget.ts).
 */
export interface Distributed {
  /** Queues the due orders (an order already queued is not queued twice). */
  sendOrders(tasks: readonly OrderTask[]): Promise<void>;
  /** Starts taking order tasks from the queue, at most `concurrency` running at a time. */
  workOrders(concurrency: number, handler: (task: OrderTask) => Promise<void>): Promise<void>;
  /** Queues the due rows of the `jobs` table (a row already queued is not queued twice). */
  sendJobs(tasks: readonly JobTask[]): Promise<void>;
  /** Starts taking job tasks from the queue, at most `concurrency` running at a time. */
  workJobs(concurrency: number, handler: (task: JobTask) => Promise<void>): Promise<void>;
  /** Runs `fn` unless another process is running the tick of this name; undefined if skipped. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  /** How many worker processes work the queues now (at least 1; read at most every few seconds). */
  processes(): Promise<number>;
  /**
   * Shutdown begins: from now on no task is fetched or started. Resolves once the tasks already
   * running have ended (the worker aborts them when its deadline passes).
   */
  stopWorking(): Promise<void>;
  /** Able to work: a queue is being worked, not stopping, and no queue's last fetch failed. */
  readiness(): { ok: boolean; error?: string };
  /** Closes the queues and the lock connection (after {@link stopWorking}). */
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
/**
 * Every kind of job in one queue, the kind in the payload, the `jobs` row ID as singleton key
 * (policy `short`, like the order queue). One queue rather than one per kind: pg-boss orders a
 * fetch by priority within one queue only, so this is what makes `CallPriority` hold across kinds
 * (a status change's allocation before a product import); one fetch loop per process instead of
 * one per kind; and the handler is already chosen by name from the row (`JobRunner`).
 */
export const JOB_QUEUE = 'renkei-jobs';

/**
 * The channel on which a process that queued new tasks tells every process to fetch (payload:
 * `orders` or `jobs`), listened to on each process's lock session. Without it a process took
 * tasks queued by another only at its next poll: up to half a second during which an order
 * task sat queued while the process had free slots, and at a tenant's pace of a few writes a
 * second that gap showed as its contract idle (`pnpm bench:scale`, the contracts' timelines).
 */
export const QUEUE_CHANNEL = 'renkei_worker_queue';

/**
 * pg-boss's priority for a `CallPriority`: pg-boss fetches `priority desc` (higher first), the
 * same direction as the scale, so the number is used as it is; it must be an integer.
 */
export function pgBossPriority(priority: number): number {
  if (!Number.isInteger(priority)) {
    throw new Error(`priority must be an integer on the CallPriority scale, got ${priority}`);
  }
  return priority;
}

export interface PgBossDistributedOptions {
  logger: Logger;
  metrics: WorkerMetrics;
  /** The in-flight lease (WORKER_LEASE_MS): a job left active by a dead process expires after 2 leases. */
  leaseMs: number;
  /**
   * How often an idle process looks at the queue (ms, default 2000). A task queued by any process
   * wakes every process at once (a notification on {@link QUEUE_CHANNEL}); this poll only covers
   * a notification lost with a lock session.
   */
  pollMs?: number;
  /**
   * How often a process that does not hold a periodic tick's lock asks for it again (ms, default
   * 2000): how long a dead holder's ticks pause before another process takes them over.
   */
  lockRetryMs?: number;
}

/** pg-boss 10 (Node 20) over the same PostgreSQL database as the ORM, schema `pgboss`. */
export class PgBossDistributed implements Distributed {
  readonly #boss: PgBoss;
  readonly #url: string;
  /** The session holding the advisory locks; opened again after it was lost. */
  #locks: pg.Client | undefined;
  /** The tick locks the current session holds: kept until the process stops or loses it. */
  readonly #held = new Set<string>();
  /** When this process last asked for each tick lock it does not hold. */
  readonly #triedAt = new Map<string, number>();
  readonly #lockRetryMs: number;
  readonly #expireInSeconds: number;
  #locking: Promise<unknown> = Promise.resolve();
  readonly #orders: FetchLoop<OrderTask>;
  readonly #jobs: FetchLoop<JobTask>;
  #stopping = false;

  private constructor(boss: PgBoss, url: string, options: PgBossDistributedOptions) {
    this.#boss = boss;
    this.#url = url;
    this.#expireInSeconds = expireInSeconds(options.leaseMs);
    this.#lockRetryMs = options.lockRetryMs ?? 2_000;
    const loop = {
      logger: options.logger,
      metrics: options.metrics,
      pollMs: options.pollMs ?? 2_000,
    };
    this.#orders = new FetchLoop<OrderTask>(boss, {
      ...loop,
      queue: ORDER_QUEUE,
      describe: (task) => ({ ...task }),
    });
    this.#jobs = new FetchLoop<JobTask>(boss, {
      ...loop,
      queue: JOB_QUEUE,
      describe: (task) => ({ ...task }),
    });
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
      for (const name of [ORDER_QUEUE, JOB_QUEUE]) {
        if ((await boss.getQueue(name)) === null) {
          await boss.createQueue(name, {
            name,
            policy: 'short',
            retryLimit: 0,
            expireInSeconds: distributed.#expireInSeconds,
          });
        }
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
        priority: pgBossPriority(CallPriority.registerOrder),
        retryLimit: 0,
        expireInSeconds: this.#expireInSeconds,
      })),
    );
    this.#orders.poke();
    await this.#notifyIfNew(
      'orders',
      tasks.map((t) => t.orderId),
    );
  }

  async sendJobs(tasks: readonly JobTask[]): Promise<void> {
    if (this.#stopping || tasks.length === 0) return;
    // As for orders: one statement, a row already queued skipped by its singleton key.
    await this.#boss.insert(
      tasks.map((task) => ({
        name: JOB_QUEUE,
        data: { ...task },
        singletonKey: task.jobId,
        priority: pgBossPriority(task.priority),
        retryLimit: 0,
        expireInSeconds: this.#expireInSeconds,
      })),
    );
    this.#jobs.poke();
    await this.#notifyIfNew(
      'jobs',
      tasks.map((t) => t.jobId),
    );
  }

  /** What each queue was last offered by this process (see {@link #notifyIfNew}). */
  readonly #lastOffered = { orders: new Set<string>(), jobs: new Set<string>() };

  /**
   * Tells every process (this one too) that new tasks are queued, when this offer holds a task
   * the previous one did not. The due list is offered again every tick, the same tasks until
   * they are done, and pg-boss's insert does not say whether it queued anything: only a task not
   * offered last time may be new to the queue (one statement then, instead of one every tick).
   * A failed notification is only counted: the tasks are queued, and the others' poll takes them.
   */
  async #notifyIfNew(queue: 'orders' | 'jobs', keys: readonly string[]): Promise<void> {
    const last = this.#lastOffered[queue];
    this.#lastOffered[queue] = new Set(keys);
    if (keys.every((key) => last.has(key))) return;
    try {
      await this.#boss.getDb().executeSql('SELECT pg_notify($1, $2)', [QUEUE_CHANNEL, queue]);
    } catch (error) {
      (queue === 'jobs' ? this.#jobs : this.#orders).error('notify', error);
    }
  }

  workOrders(concurrency: number, handler: (task: OrderTask) => Promise<void>): Promise<void> {
    if (!this.#stopping) this.#orders.start(concurrency, handler);
    return Promise.resolve();
  }

  workJobs(concurrency: number, handler: (task: JobTask) => Promise<void>): Promise<void> {
    if (!this.#stopping) this.#jobs.start(concurrency, handler);
    return Promise.resolve();
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
      this.#orders.error('locks', error);
      if (this.#locks === client) {
        this.#locks = undefined;
        // The server released this session's locks: ask for them again like any other process.
        this.#held.clear();
      }
      client.end().catch(() => undefined);
    });
    client.on('notification', (message) => {
      if (message.channel !== QUEUE_CHANNEL) return;
      if (message.payload === 'jobs') this.#jobs.poke();
      else this.#orders.poke();
    });
    await client.connect();
    // The lock session also hears that tasks were queued (see QUEUE_CHANNEL).
    await client.query(`LISTEN ${QUEUE_CHANNEL}`);
    this.#locks = client;
    return client;
  }

  /**
   * A periodic tick (orders, shipping, stock...) runs in one process at a time. The process that
   * gets its advisory lock keeps it for as long as its lock session lives, instead of taking and
   * releasing it around every tick: two round trips per tick and loop in every process were the
   * larger part of an idle worker's database traffic (`pnpm bench:scale`). The others ask again
   * every `lockRetryMs`; when the holder dies or stops, its session ends, PostgreSQL releases the
   * lock, and one of them takes the ticks over.
   */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    const key = `renkei-worker:${name}`;
    if (!this.#held.has(key)) {
      if (this.#stopping) return undefined;
      const now = Date.now();
      if (now - (this.#triedAt.get(key) ?? -Infinity) < this.#lockRetryMs) return undefined;
      this.#triedAt.set(key, now);
      // One session connection holds the locks; calls on it are serialised.
      const acquired = await this.#serial(async () => {
        const client = await this.#lockClient();
        const r = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
          [key],
        );
        const ok = r.rows[0]?.ok === true;
        if (ok && this.#locks === client) this.#held.add(key);
        return ok;
      });
      if (!acquired) return undefined;
    }
    return await fn();
  }

  #processes = { count: 1, readAt: -Infinity };

  /**
   * Every worker process holds one lock session (`application_name` renkei-worker-locks) on the
   * database: counting them says how many processes share the queues, so a tenant's share of the
   * slots can be taken of all of them. Read at most every 5 s; a failed read keeps the last count.
   */
  async processes(): Promise<number> {
    const now = Date.now();
    if (now - this.#processes.readAt < 5_000) return this.#processes.count;
    this.#processes.readAt = now;
    try {
      const count = await this.#serial(async () => {
        const r = await (
          await this.#lockClient()
        ).query<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'renkei-worker-locks'",
        );
        return r.rows[0]?.n ?? 1;
      });
      this.#processes.count = Math.max(1, count);
    } catch {
      // Counted again at the next read; the share stays as it was.
    }
    return this.#processes.count;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#locking.then(fn, fn);
    this.#locking = run.catch(() => undefined);
    return run;
  }

  async stopWorking(): Promise<void> {
    this.#stopping = true;
    await Promise.all([this.#orders.stop(), this.#jobs.stop()]);
  }

  readiness(): { ok: boolean; error?: string } {
    if (this.#stopping) return { ok: false, error: 'stopping' };
    const loops = [this.#orders, this.#jobs];
    if (!loops.some((l) => l.started)) return { ok: false, error: 'not working the queue yet' };
    const failure = loops.map((l) => l.failure()).find((f) => f !== undefined);
    return failure === undefined ? { ok: true } : { ok: false, error: failure };
  }

  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.stopWorking(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    // No pg-boss worker of ours is running (see FetchLoop): nothing for it to wait for.
    await this.#boss.stop({ graceful: false, close: true });
    this.#held.clear();
    await this.#locks?.end();
    this.#locks = undefined;
  }
}

/** A queue job left active by a dead process expires after two leases (at least 2 s). */
export function expireInSeconds(leaseMs: number): number {
  return Math.max(2, Math.ceil((2 * leaseMs) / 1000));
}
