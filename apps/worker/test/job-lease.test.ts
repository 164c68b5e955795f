import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { forkEm, Job, openDatabase, Tenant, type Orm } from '@renkei/persistence';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  testDialects,
} from '@renkei/persistence/testing';
import { systemClock } from '@renkei/smaregi-client';
import { PgBossJobQueue, type RunJob } from '../src/jobs/job-queue.js';
import { WorkerMetrics } from '../src/metrics.js';
import { PgBossDistributed } from '../src/queue/distributed.js';

/*
 * Issue 10: a job that runs longer than its lock (a product import's page loop, a large bulk
 * shipping) must not be taken for a dead process's job and handed to a second process while the
 * first still runs it. Two "processes" (two pg-boss queues and two job queues with their own
 * worker IDs) on one PostgreSQL database; the jobs loop offers due rows all along, as it does in
 * production; the job runs for more than twice its lock and its queue job's expiry.
 */
const LEASE_MS = 1_000;
/** The row lock of a claimed job: two leases, like the worker's (worker.ts). */
const LOCK_MS = 2 * LEASE_MS;
const JOB_RUNS_MS = 3 * LOCK_MS;
const pgOn = testDialects().includes('postgresql');

describe.skipIf(!pgOn)('a job that runs past its lock (PostgreSQL, two processes)', () => {
  const server = process.env.RENKEI_TEST_PG_URL ?? '';
  let db: { url: string; name: string };
  let orm: Orm;
  const processes: PgBossDistributed[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase(server, 'renkei_lease');
    orm = await openDatabase({ location: { dialect: 'postgresql', url: db.url }, poolMax: 6 });
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await p.stop(1_000);
    await orm?.close(true);
    if (db) await dropPostgresDatabase(server, db.name);
  });

  it('runs once: its lock is kept while it runs, so no other process claims it', async () => {
    const em = forkEm(orm);
    const tenant = em.create(Tenant, { name: 'リース' });
    const job = em.create(Job, { tenant, name: 'test.slow', payload: {} });
    await em.flush();

    const started: string[] = [];
    const queues = await Promise.all(
      ['worker-a', 'worker-b'].map(async (workerId) => {
        const distributed = await PgBossDistributed.start(db.url, {
          logger: pino({ level: 'silent' }),
          metrics: new WorkerMetrics(),
          leaseMs: LEASE_MS,
          pollMs: 50,
        });
        processes.push(distributed);
        return new PgBossJobQueue(systemClock, workerId, LOCK_MS, orm, distributed, 2);
      }),
    );
    const runIn =
      (queue: PgBossJobQueue, workerId: string): RunJob =>
      async (claimed, jobEm) => {
        started.push(workerId);
        await new Promise((resolve) => setTimeout(resolve, JOB_RUNS_MS));
        await queue.complete(jobEm, claimed);
      };
    for (const [i, queue] of queues.entries()) {
      await queue.start(runIn(queue, `worker-${'ab'[i]}`), () => false);
    }

    // The jobs loop of one process, every 100 ms: it offers every due row, and a `running` row
    // whose lock has ended counts as due (its process is taken for dead).
    const offerer = queues[0]!;
    const until = Date.now() + JOB_RUNS_MS + 3 * LOCK_MS;
    let state = 'queued';
    let lockedUntilSeen = 0;
    while (Date.now() < until && state !== 'done') {
      await offerer.tick(
        forkEm(orm),
        ['test.slow'],
        () => Promise.resolve(),
        () => false,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const row = await forkEm(orm).findOneOrFail(Job, job.id);
      state = row.state;
      lockedUntilSeen = Math.max(lockedUntilSeen, row.lockedUntil?.getTime() ?? 0);
    }

    const row = await forkEm(orm).findOneOrFail(Job, job.id);
    expect(started).toHaveLength(1);
    expect(row.state).toBe('done');
    expect(row.attempts).toBe(1);
    // The lock was extended while the job ran (a claim alone locks for LOCK_MS).
    expect(lockedUntilSeen - row.createdAt.getTime()).toBeGreaterThan(JOB_RUNS_MS);
  }, 60_000);
});
