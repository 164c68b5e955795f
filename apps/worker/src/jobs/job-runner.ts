import { JOB_NAMES, type Em } from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderActions } from '../orders/order-actions.js';
import { retryDelayMs } from '../smaregi/ledger.js';
import { isTransientRead, smaregiReason } from '../smaregi/outcome.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import type { ClaimedJob, JobQueue } from './job-queue.js';

/** A job handler; throws to have the job retried (transient) or failed (anything else). */
export type JobHandler = (
  job: ClaimedJob,
  tenant: ActiveTenant,
  signal: AbortSignal,
) => Promise<void>;

export interface JobRunnerParts {
  wakeOrders: () => void;
  orderActions: OrderActions;
}

/** Jobs after this many attempts are marked failed (with their last error) instead of retried. */
const MAX_JOB_ATTEMPTS = 20;

/**
 * Runs the jobs the API (and the worker itself) enqueue in the `jobs` table, from whichever
 * {@link JobQueue} the database calls for (the same handlers on SQLite and PostgreSQL). Jobs carry IDs only
 * and the handlers re-read current state. Nothing runs for a tenant whose integration is off or
 * whose connection needs re-authorisation: such jobs are closed as done (the order rows keep
 * their state, and the order loop picks them up once the tenant is active again).
 */
export class JobRunner {
  readonly #handlers = new Map<string, JobHandler>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly queue: JobQueue,
    parts: JobRunnerParts,
  ) {
    this.register(JOB_NAMES.registerOrder, () => {
      parts.wakeOrders();
      return Promise.resolve();
    });
    this.register(JOB_NAMES.orderRegistered, async (job, tenant, signal) => {
      // The registering process died before the status rules ran: run them now.
      await parts.orderActions.afterRegistration(tenant, stringField(job, 'orderId'), signal);
      await parts.orderActions.flushPlans(signal);
    });
    this.register(JOB_NAMES.orderStatusChanged, async (job, tenant, signal) => {
      const orderId = stringField(job, 'orderId');
      await parts.orderActions.onStatusChanged(tenant, orderId, signal);
    });
  }

  /** Adds (or replaces) the handler of a job name. */
  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  /** The `jobs` loop's tick: run due jobs (SQLite) or offer them to every process (PostgreSQL). */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let active: Map<string, ActiveTenant> | undefined;
    return this.queue.tick(
      em,
      [...this.#handlers.keys()],
      async (job, jobEm) => {
        active ??= await activeById(jobEm);
        await this.#run(job, jobEm, active, signal);
      },
      () => stopRequested(this.deps, signal),
    );
  }

  /**
   * Starts taking jobs outside the loop (PostgreSQL: from the queue, in every process); `signal`
   * aborts the jobs running when the shutdown deadline passes.
   */
  start(signal: AbortSignal): Promise<void> {
    return this.queue.start(
      async (job, em) => this.#run(job, em, await activeById(em), signal),
      () => stopRequested(this.deps),
    );
  }

  async #run(
    job: ClaimedJob,
    em: Em,
    active: Map<string, ActiveTenant>,
    signal: AbortSignal,
  ): Promise<void> {
    const tenant = active.get(job.tenantId);
    const handler = this.#handlers.get(job.name);
    if (tenant === undefined || handler === undefined) {
      await this.queue.complete(em, job);
      this.deps.metrics.jobs.inc({ name: job.name, outcome: 'skipped' });
      return;
    }
    try {
      await handler(job, tenant, signal);
      await this.queue.complete(em, job);
      this.deps.metrics.jobs.inc({ name: job.name, outcome: 'done' });
    } catch (error) {
      const transient = isTransientRead(error) && job.attempts < MAX_JOB_ATTEMPTS;
      await this.queue.retryOrFail(
        em,
        job,
        smaregiReason(error),
        transient ? retryDelayMs(this.deps, job.attempts) : null,
      );
      this.deps.metrics.jobs.inc({ name: job.name, outcome: transient ? 'retry' : 'failed' });
      this.deps.logger.warn(
        { job: job.name, jobId: job.id, err: smaregiReason(error) },
        'job failed',
      );
    }
  }
}

async function activeById(em: Em): Promise<Map<string, ActiveTenant>> {
  return new Map((await activeTenants(em)).map((t) => [t.tenantId, t]));
}

/** A required string field of a job payload (payloads carry IDs only). */
export function stringField(job: ClaimedJob, name: string): string {
  const value = job.payload[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`job ${job.name} ${job.id}: payload.${name} is missing`);
  }
  return value;
}
