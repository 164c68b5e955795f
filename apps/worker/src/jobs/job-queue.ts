import { forkEm, WorkerQueries, type ClaimedJob, type Em, type Orm } from '@renkei/persistence';
import type { Clock } from '@renkei/smaregi-client';
import type { Distributed } from '../queue/distributed.js';
import { whileLocked } from './job-lock.js';

export type { ClaimedJob } from '@renkei/persistence';

/** Works one claimed job to its end (completed, retried or failed on its row). */
export type RunJob = (job: ClaimedJob, em: Em) => Promise<void>;

/**
 * Where the worker's jobs come from. Worker code is the same on both: a job is enqueued as a row
 * of the `jobs` table (`repos.jobs.enqueue`, in the transaction of the change that needs it) and
 * handled by the handler registered for its name (`JobRunner.register`); the row is the truth on
 * both — claimed by a compare-and-set with a lock deadline, then done, retried or failed.
 * - SQLite ({@link TableJobQueue}): the `jobs` loop of the one process claims and runs due rows.
 * - PostgreSQL ({@link PgBossJobQueue}): the `jobs` loop (one process at a time) offers due rows
 *   to pg-boss, and every process takes them from there and claims the row before running it.
 */
export interface JobQueue {
  /**
   * The `jobs` loop's tick over jobs of these names (of these tenants only, when given); true when
   * more jobs are due at once.
   */
  tick(
    em: Em,
    names: readonly string[],
    run: RunJob,
    stopping: () => boolean,
    tenantIds?: readonly string[],
  ): Promise<boolean>;
  /** Starts taking jobs outside the loop (PostgreSQL: the queue's fetch loop); no-op on SQLite. */
  start(run: RunJob, stopping: () => boolean): Promise<void>;
  complete(em: Em, job: ClaimedJob): Promise<void>;
  /** Puts the job back for a later attempt, or marks it failed (shown, never silently dropped). */
  retryOrFail(em: Em, job: ClaimedJob, error: string, retryInMs: number | null): Promise<void>;
}

/** Due jobs looked at per tick. */
const BATCH = 50;

/**
 * The `jobs` table (persistence's transactional outbox) used as the in-process queue. A claim is
 * a compare-and-set from `queued` to `running` with a lock deadline (`WorkerQueries.claimJobs`),
 * so even two processes on one database never run a job twice at once; a job whose worker died is
 * taken again once its lock has expired. Higher `CallPriority` first, like the rate budget.
 */
export class TableJobQueue implements JobQueue {
  constructor(
    protected readonly clock: Clock,
    protected readonly workerId: string,
    protected readonly lockMs: number,
  ) {}

  async tick(
    em: Em,
    names: readonly string[],
    run: RunJob,
    stopping: () => boolean,
    tenantIds?: readonly string[],
  ): Promise<boolean> {
    if (stopping()) return false;
    const jobs = await this.claim(em, BATCH, names, tenantIds);
    for (const job of jobs) {
      if (stopping()) {
        // Claimed but not started: back to the queue at once, for this or another worker.
        await this.retryOrFail(em, job, 'worker stopped before the job ran', 0);
        continue;
      }
      await this.runLocked(job, em, run);
    }
    return jobs.length === BATCH;
  }

  /** Nothing runs outside the loop here. */
  start(_run: RunJob, _stopping: () => boolean): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Runs a claimed job with its row lock kept while it runs (job-lock.ts), so that a job longer
   * than its lock is not run by a second process meanwhile. The extensions go through a session
   * of their own: the handler's may be inside a transaction.
   */
  protected async runLocked(job: ClaimedJob, em: Em, run: RunJob): Promise<void> {
    const extend = () =>
      new WorkerQueries(em.fork()).extendJobLock(
        this.workerId,
        job,
        new Date(this.clock.now()),
        this.lockMs,
      );
    await whileLocked({ clock: this.clock, lockMs: this.lockMs, extend }, () => run(job, em));
  }

  /** Claims up to `limit` due jobs (any tenant), oldest first within a priority. */
  claim(
    em: Em,
    limit: number,
    names?: readonly string[],
    tenantIds?: readonly string[],
  ): Promise<ClaimedJob[]> {
    const now = new Date(this.clock.now());
    return new WorkerQueries(em).claimJobs(
      this.workerId,
      now,
      this.lockMs,
      limit,
      names,
      tenantIds,
    );
  }

  complete(em: Em, job: ClaimedJob): Promise<void> {
    return new WorkerQueries(em).completeJob(this.workerId, job.id, new Date(this.clock.now()));
  }

  retryOrFail(em: Em, job: ClaimedJob, error: string, retryInMs: number | null): Promise<void> {
    return new WorkerQueries(em).retryOrFailJob(
      this.workerId,
      job.id,
      error,
      retryInMs,
      new Date(this.clock.now()),
    );
  }
}

/** Due rows offered to pg-boss per tick (offering one already queued is a no-op). */
const OFFER = 500;

/**
 * The `jobs` table distributed through pg-boss (PostgreSQL, several processes). The loop's tick
 * offers every due row — queued and due, or running under an expired lock (its process died) —
 * to the job queue, the row ID as singleton key; whichever process fetches it claims the row by
 * the same compare-and-set and runs it. A row offered again while its queue job is being fetched
 * is claimed once; the loser finds it claimed and lets it be. A killed process leaves its row
 * `running` until the lock (two leases, like the queue job's expiry) ends; then it is offered again
 * and the survivor runs it, its Smaregi writes resolved by the ledger's lease and reads. A live
 * process extends the lock of the job it runs ({@link TableJobQueue.runLocked}), so a job that
 * outlasts its lock (and its queue job's expiry) is not offered again while it runs.
 * Delayed rows (`runAt` later: a retry's backoff, a registration's follow-up) stay in the table
 * until due.
 */
export class PgBossJobQueue extends TableJobQueue {
  constructor(
    clock: Clock,
    workerId: string,
    lockMs: number,
    private readonly orm: Orm,
    private readonly distributed: Distributed,
    private readonly concurrency: number,
  ) {
    super(clock, workerId, lockMs);
  }

  override async tick(
    em: Em,
    names: readonly string[],
    _run: RunJob,
    stopping: () => boolean,
    tenantIds?: readonly string[],
  ): Promise<boolean> {
    if (stopping()) return false;
    const due = await new WorkerQueries(em).dueJobs(
      new Date(this.clock.now()),
      OFFER,
      names,
      tenantIds,
    );
    await this.distributed.sendJobs(
      due.map((job) => ({
        tenantId: job.tenantId,
        jobId: job.id,
        name: job.name,
        priority: job.priority,
      })),
    );
    return false;
  }

  override start(run: RunJob, stopping: () => boolean): Promise<void> {
    return this.distributed.workJobs(this.concurrency, async (task) => {
      // Taken from the queue as the stop came: not started (the row stays due).
      if (stopping()) return;
      const em = forkEm(this.orm);
      const now = new Date(this.clock.now());
      const job = await new WorkerQueries(em).claimJob(this.workerId, task.jobId, now, this.lockMs);
      // Not due any more: done, failed, delayed, or another process holds it.
      if (job === undefined) return;
      if (stopping()) {
        await this.retryOrFail(em, job, 'worker stopped before the job ran', 0);
        return;
      }
      await this.runLocked(job, em, run);
    });
  }
}
