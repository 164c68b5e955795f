import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  testDialects,
} from '@renkei/persistence/testing';
import { WorkerMetrics } from '../src/metrics.js';
import { CallPriority } from '@renkei/domain';
import {
  ORDER_QUEUE,
  PgBossDistributed,
  type JobTask,
  type OrderTask,
} from '../src/queue/distributed.js';
import { metricValue } from './support/processes.js';

/*
 * Issue 12 item 1, second half: pg-boss's fetch swallows its SQL errors, so the 19-minute stall
 * left nothing in the logs. The worker's queue must log such an error with its cause, count it
 * on /metrics, report itself not ready, and work again once the cause is gone. The failure is
 * produced exactly as in the incident: an order's job active and the same order queued again
 * under the `stately` unique index, which makes every fetch of a batch containing it fail.
 */
const pgOn = testDialects().includes('postgresql');

describe.skipIf(!pgOn)('the PostgreSQL work queue (pg-boss)', () => {
  let db: { url: string; name: string };
  beforeAll(async () => {
    db = await createPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', 'renkei_queue');
  });
  afterAll(async () => {
    if (db) await dropPostgresDatabase(process.env.RENKEI_TEST_PG_URL ?? '', db.name);
  });

  it('logs and counts a failing fetch, reports not ready, and works again once it clears', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const metrics = new WorkerMetrics();
    const queue = await PgBossDistributed.start(db.url, {
      logger,
      metrics,
      leaseMs: 3_000,
      pollMs: 100,
    });
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      const worked: string[] = [];
      await queue.workOrders(2, (task: OrderTask) => {
        worked.push(task.orderId);
        return Promise.resolve();
      });
      // The incident's rows: order "dead" active (its process was killed) and queued again.
      await sql.query(
        `INSERT INTO pgboss.job (name, data, state, policy, singleton_key, started_on)
         VALUES ($1, '{"tenantId":"t","orderId":"dead"}', 'active', 'stately', 'dead', now()),
                ($1, '{"tenantId":"t","orderId":"dead"}', 'created', 'stately', 'dead', NULL)`,
        [ORDER_QUEUE],
      );
      await queue.sendOrders([{ tenantId: 't', orderId: 'alive' }]);

      const fetchErrors = async () =>
        metricValue(
          await metrics.registry.metrics(),
          'renkei_worker_queue_errors_total',
          'operation="fetch"',
        );
      const until = Date.now() + 10_000;
      while ((await fetchErrors()) < 2) {
        expect(Date.now()).toBeLessThan(until);
        await new Promise((r) => setTimeout(r, 50));
      }
      const logged = lines
        .map((l) => JSON.parse(l) as { msg: string; level: number; err?: { message?: string } })
        .filter((l) => l.msg === 'work queue fetch failed');
      expect(logged.length).toBeGreaterThan(0);
      expect(logged[0]?.level).toBe(50);
      expect(logged[0]?.err?.message).toMatch(/duplicate key value violates unique constraint/);
      const ready = queue.readiness();
      expect(ready.ok).toBe(false);
      expect(ready.error).toMatch(/duplicate key/);
      // While the fetch fails nothing is taken, not even the healthy order behind it.
      expect(worked).toEqual([]);

      // The cause goes away (in production: the lease ends and the job expires): work resumes.
      await sql.query(`DELETE FROM pgboss.job WHERE name = $1 AND singleton_key = 'dead'`, [
        ORDER_QUEUE,
      ]);
      const resumeBy = Date.now() + 15_000;
      while (!worked.includes('alive')) {
        expect(Date.now()).toBeLessThan(resumeBy);
        await new Promise((r) => setTimeout(r, 50));
      }
      const settledBy = Date.now() + 2_000;
      while (!queue.readiness().ok) {
        expect(Date.now()).toBeLessThan(settledBy);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await sql.end();
      await queue.stop(1_000);
    }
  }, 40_000);

  it('queues an order once however often it is offered, and hands it to one process', async () => {
    const metrics = new WorkerMetrics();
    const logger = pino({ level: 'silent' });
    const a = await PgBossDistributed.start(db.url, { logger, metrics, leaseMs: 3_000 });
    const b = await PgBossDistributed.start(db.url, { logger, metrics, leaseMs: 3_000 });
    try {
      const tasks = Array.from({ length: 20 }, (_, i) => ({ tenantId: 't', orderId: `o-${i}` }));
      // Offered three times by two processes before anyone works: each order queued once.
      await a.sendOrders(tasks);
      await b.sendOrders(tasks);
      await a.sendOrders(tasks);
      const worked: string[] = [];
      const work = (task: OrderTask) => {
        worked.push(task.orderId);
        return new Promise<void>((r) => setTimeout(r, 20));
      };
      await a.workOrders(4, work);
      await b.workOrders(4, work);
      const until = Date.now() + 10_000;
      while (worked.length < tasks.length) {
        expect(Date.now()).toBeLessThan(until);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect([...worked].sort()).toEqual(tasks.map((t) => t.orderId).sort());
      // No queue error of any kind on the way.
      expect(await metrics.registry.metrics()).not.toContain('renkei_worker_queue_errors_total{');
    } finally {
      await a.stop(1_000);
      await b.stop(1_000);
    }
  }, 30_000);

  it('wakes the other processes when it queues new tasks, long before their poll', async () => {
    const metrics = new WorkerMetrics();
    const logger = pino({ level: 'silent' });
    // A poll far longer than the test: only the notification can bring the tasks to b.
    const slow = { logger, metrics, leaseMs: 3_000, pollMs: 60_000 };
    const a = await PgBossDistributed.start(db.url, slow);
    const b = await PgBossDistributed.start(db.url, slow);
    try {
      const started: { orderId: string; at: number }[] = [];
      const jobs: string[] = [];
      await b.workOrders(2, (task: OrderTask) => {
        started.push({ orderId: task.orderId, at: Date.now() });
        return Promise.resolve();
      });
      await b.workJobs(2, (task: JobTask) => {
        jobs.push(task.jobId);
        return Promise.resolve();
      });
      // b's first fetch found nothing and it now waits for its poll, or for a notification.
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      await a.sendOrders([{ tenantId: 't', orderId: 'woken-1' }]);
      await a.sendJobs([
        {
          tenantId: 't',
          jobId: 'woken-job',
          name: 'product.import',
          priority: CallPriority.products,
        },
      ]);
      const until = Date.now() + 5_000;
      while (started.length < 1 || jobs.length < 1) {
        expect(Date.now()).toBeLessThan(until);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(started[0]?.orderId).toBe('woken-1');
      expect(started[0]!.at - sentAt).toBeLessThan(2_000);
      expect(jobs).toEqual(['woken-job']);
      // Offered again while queued or done: nothing new, no notification needed, none sent twice.
      await a.sendOrders([{ tenantId: 't', orderId: 'woken-1' }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(started).toHaveLength(1);
      expect(await metrics.registry.metrics()).not.toContain('renkei_worker_queue_errors_total{');
    } finally {
      await a.stop(1_000);
      await b.stop(1_000);
    }
  }, 30_000);

  it('queues a job row once however often it is offered, and fetches by CallPriority (higher first)', async () => {
    const metrics = new WorkerMetrics();
    const logger = pino({ level: 'silent' });
    const a = await PgBossDistributed.start(db.url, { logger, metrics, leaseMs: 3_000 });
    const b = await PgBossDistributed.start(db.url, { logger, metrics, leaseMs: 3_000 });
    try {
      const job = (jobId: string, name: string, priority: number): JobTask => ({
        tenantId: 't',
        jobId,
        name,
        priority,
      });
      const tasks = [
        job('import', 'products.import', CallPriority.products),
        job('stock', 'webhook.process', CallPriority.stock),
        job('allocate', 'order.statusChanged', CallPriority.allocation),
      ];
      await a.sendJobs(tasks);
      await b.sendJobs(tasks);
      await a.sendJobs(tasks);
      const worked: string[] = [];
      // One slot: the queue hands them out one at a time, in priority order.
      await a.workJobs(1, (task) => {
        worked.push(task.jobId);
        return Promise.resolve();
      });
      const until = Date.now() + 10_000;
      while (worked.length < tasks.length) {
        expect(Date.now()).toBeLessThan(until);
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 300));
      expect(worked).toEqual(['allocate', 'stock', 'import']);
      expect(await metrics.registry.metrics()).not.toContain('renkei_worker_queue_errors_total{');
    } finally {
      await a.stop(1_000);
      await b.stop(1_000);
    }
  }, 30_000);
});
