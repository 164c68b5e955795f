import { JOB_NAMES, type Em } from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderActions } from '../orders/order-actions.js';
import { backoffMs, isTransientRead, smaregiReason } from '../smaregi/outcome.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import type { ClaimedJob, TableJobQueue } from './job-queue.js';

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
 * Runs the jobs the API (and the worker itself) enqueue in the `jobs` table. Jobs carry IDs only
 * and the handlers re-read current state. Nothing runs for a tenant whose integration is off or
 * whose connection needs re-authorisation: such jobs are closed as done (the order rows keep
 * their state, and the order loop picks them up once the tenant is active again).
 */
export class JobRunner {
  readonly #handlers = new Map<string, JobHandler>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly queue: TableJobQueue,
    parts: JobRunnerParts,
  ) {
    this.register(JOB_NAMES.registerOrder, () => {
      parts.wakeOrders();
      return Promise.resolve();
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

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    const batch = 50;
    if (stopRequested(this.deps, signal)) return false;
    const jobs = await this.queue.claim(em, batch, [...this.#handlers.keys()]);
    if (jobs.length === 0) return false;
    const active = new Map((await activeTenants(em)).map((t) => [t.tenantId, t]));
    for (const job of jobs) {
      if (stopRequested(this.deps, signal)) {
        // Claimed but not started: back to the queue at once, for this or another worker.
        await this.queue.retryOrFail(em, job, 'worker stopped before the job ran', 0);
        continue;
      }
      const tenant = active.get(job.tenantId);
      const handler = this.#handlers.get(job.name);
      if (tenant === undefined || handler === undefined) {
        await this.queue.complete(em, job);
        this.deps.metrics.jobs.inc({ name: job.name, outcome: 'skipped' });
        continue;
      }
      try {
        await handler(job, tenant, signal);
        await this.queue.complete(em, job);
        this.deps.metrics.jobs.inc({ name: job.name, outcome: 'done' });
      } catch (error) {
        const transient = isTransientRead(error) && job.attempts < MAX_JOB_ATTEMPTS;
        const { retryBaseMs, retryMaxMs } = this.deps.settings;
        await this.queue.retryOrFail(
          em,
          job,
          smaregiReason(error),
          transient
            ? backoffMs(job.attempts, retryBaseMs, retryMaxMs, this.deps.random ?? Math.random)
            : null,
        );
        this.deps.metrics.jobs.inc({ name: job.name, outcome: transient ? 'retry' : 'failed' });
        this.deps.logger.warn(
          { job: job.name, jobId: job.id, err: smaregiReason(error) },
          'job failed',
        );
      }
    }
    return jobs.length === batch;
  }
}

/** A required string field of a job payload (payloads carry IDs only). */
export function stringField(job: ClaimedJob, name: string): string {
  const value = job.payload[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`job ${job.name} ${job.id}: payload.${name} is missing`);
  }
  return value;
}
