import PgBoss from 'pg-boss';
import pg from 'pg';
import type { Logger } from '../logger.js';

/** One order registration to run somewhere in the cluster. */
export interface OrderTask {
  tenantId: string;
  orderId: string;
}

/**
 * How several worker processes share the work on PostgreSQL (DESIGN.md §7):
 * - order registrations go through a pg-boss queue (policy `stately`: per order at most one
 *   queued and one running, whichever process dispatched it), so the backlog is spread over
 *   every process and an order is never worked on by two at once;
 * - the periodic loops (jobs, webhooks, shipping, reconciliation, import, tokens) run in one
 *   process at a time, by a PostgreSQL advisory lock held for the tick (released by the server
 *   if the process dies);
 * - the contract's rate budget is the client's PostgreSQL budget store (see shared-budget.ts).
 */
export interface Distributed {
  sendOrders(tasks: readonly OrderTask[]): Promise<number>;
  workOrders(concurrency: number, handler: (task: OrderTask) => Promise<void>): Promise<void>;
  /** Runs `fn` unless another process is running the tick of this name; undefined if skipped. */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined>;
  stop(timeoutMs: number): Promise<void>;
}

export const ORDER_QUEUE = 'renkei-order-register';

/** pg-boss 10 (Node 20) over the same PostgreSQL database as the ORM, schema `pgboss`. */
export class PgBossDistributed implements Distributed {
  readonly #boss: PgBoss;
  readonly #locks: pg.Client;
  #locking: Promise<unknown> = Promise.resolve();

  private constructor(boss: PgBoss, locks: pg.Client) {
    this.#boss = boss;
    this.#locks = locks;
  }

  static async start(url: string, logger: Logger): Promise<PgBossDistributed> {
    const boss = new PgBoss({
      connectionString: url,
      schema: 'pgboss',
      max: 4,
      application_name: 'renkei-worker',
    });
    boss.on('error', (error: unknown) => logger.error({ err: error }, 'pg-boss error'));
    await boss.start();
    const locks = new pg.Client({ connectionString: url, application_name: 'renkei-worker-locks' });
    await locks.connect();
    // Processes starting together would deadlock creating the queue (pg-boss inserts the queue
    // row and creates its partition in one statement): one at a time, under an advisory lock.
    await locks.query('SELECT pg_advisory_lock(hashtext($1))', ['renkei-worker:create-queue']);
    try {
      if ((await boss.getQueue(ORDER_QUEUE)) === null) {
        await boss.createQueue(ORDER_QUEUE, {
          name: ORDER_QUEUE,
          policy: 'stately',
          retryLimit: 0,
          expireInSeconds: 900,
        });
      }
    } finally {
      await locks.query('SELECT pg_advisory_unlock(hashtext($1))', ['renkei-worker:create-queue']);
    }
    return new PgBossDistributed(boss, locks);
  }

  async sendOrders(tasks: readonly OrderTask[]): Promise<number> {
    // While a good part of the last dispatch is still queued there is nothing to add: the queue
    // drains at the contract's write rate, and re-sending hundreds of duplicates every tick
    // would only load the database.
    if ((await this.#boss.getQueueSize(ORDER_QUEUE)) > tasks.length / 2) return 0;
    let sent = 0;
    for (const task of tasks) {
      // stately + singletonKey: a second send while one is queued returns null (deduplicated).
      const id = await this.#boss.send(
        ORDER_QUEUE,
        { ...task },
        { singletonKey: task.orderId, retryLimit: 0 },
      );
      if (id !== null) sent++;
    }
    return sent;
  }

  async workOrders(
    concurrency: number,
    handler: (task: OrderTask) => Promise<void>,
  ): Promise<void> {
    await this.#boss.work<OrderTask>(
      ORDER_QUEUE,
      { batchSize: concurrency, pollingIntervalSeconds: 0.5 },
      async (jobs) => {
        await Promise.all(jobs.map((job) => handler(job.data)));
      },
    );
  }

  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
    // One session connection holds the locks; calls on it are serialised.
    const key = `renkei-worker:${name}`;
    const acquired = await this.#serial(async () => {
      const r = await this.#locks.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
        [key],
      );
      return r.rows[0]?.ok === true;
    });
    if (!acquired) return undefined;
    try {
      return await fn();
    } finally {
      await this.#serial(() => this.#locks.query('SELECT pg_advisory_unlock(hashtext($1))', [key]));
    }
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#locking.then(fn, fn);
    this.#locking = run.catch(() => undefined);
    return run;
  }

  async stop(timeoutMs: number): Promise<void> {
    await this.#boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: true });
    await this.#locks.end();
  }
}
