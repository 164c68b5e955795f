import { forkEm, JOB_NAMES, type Em } from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import type { OrderActions } from '../orders/order-actions.js';
import { readSettings } from '../orders/order-view.js';
import { retryDelayMs } from '../smaregi/ledger.js';
import { isTransientRead, smaregiReason } from '../smaregi/outcome.js';
import { activeTenant, activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
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
 * Jobs that are the only record of what they ask for: an order entered a status (allocation
 * inquiry, bulk shipping, cancel react to the entry), or a registration's status rules did not
 * run yet. While their tenant is not active they wait in the queue, untouched, and run once it is
 * (連携を開始する, or a re-authorisation): nothing the merchant did while it was stopped is lost.
 */
export const JOBS_WAITING_FOR_START: readonly string[] = [
  JOB_NAMES.orderStatusChanged,
  JOB_NAMES.orderRegistered,
];

const WAITING_NOTE = 'integration stopped: runs once it is started again';

/** Thrown by a handler that finds its tenant's integration switched off meanwhile. */
class IntegrationStopped extends Error {}

/**
 * Runs the jobs the API (and the worker itself) enqueue in the `jobs` table, from whichever
 * {@link JobQueue} the database calls for (the same handlers on SQLite and PostgreSQL). Jobs carry IDs only
 * and the handlers re-read current state. Nothing runs for a tenant whose integration is off or
 * whose connection needs re-authorisation. Jobs that only wake a loop are closed as done (the rows
 * they point at keep their state, and the loop picks them up once the tenant is active again);
 * the jobs in {@link JOBS_WAITING_FOR_START} are not even claimed until then.
 */
export class JobRunner {
  readonly #handlers = new Map<string, JobHandler>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly queue: JobQueue,
    parts: JobRunnerParts,
  ) {
    // Written by earlier releases of the API for each new order; the loop finds them anyway.
    this.register(JOB_NAMES.registerOrder, () => {
      parts.wakeOrders();
      return Promise.resolve();
    });
    this.register(JOB_NAMES.orderRegistered, async (job, tenant, signal) => {
      // The registering process died before the status rules ran: run them now.
      await this.#stillStarted(tenant);
      await parts.orderActions.afterRegistration(tenant, stringField(job, 'orderId'), signal);
      await parts.orderActions.flushPlans(signal);
    });
    this.register(JOB_NAMES.orderStatusChanged, async (job, tenant, signal) => {
      await this.#stillStarted(tenant);
      const orderId = stringField(job, 'orderId');
      await parts.orderActions.onStatusChanged(tenant, orderId, signal);
    });
  }

  /** Adds (or replaces) the handler of a job name. */
  register(name: string, handler: JobHandler): void {
    this.#handlers.set(name, handler);
  }

  /**
   * The `jobs` loop's tick: run due jobs (SQLite) or offer them to every process (PostgreSQL);
   * the jobs that wait for the start only of the active tenants.
   */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    const active = await activeById(em);
    const names = [...this.#handlers.keys()];
    const run = (job: ClaimedJob, jobEm: Em) => this.#run(job, jobEm, active, signal);
    const stopping = () => stopRequested(this.deps, signal);
    const others = await this.queue.tick(
      em,
      names.filter((n) => !JOBS_WAITING_FOR_START.includes(n)),
      run,
      stopping,
    );
    const waiting = await this.queue.tick(
      em,
      names.filter((n) => JOBS_WAITING_FOR_START.includes(n)),
      run,
      stopping,
      [...active.keys()],
    );
    return others || waiting;
  }

  /**
   * Tenants listed active as their job started (the queue's path): nothing to check again. The
   * loop's tick lists every tenant once for all the jobs it runs, which may take a while.
   */
  readonly #listedAtStart = new WeakSet<ActiveTenant>();

  /** The tenant may have been stopped since the tick listed it active. */
  async #stillStarted(tenant: ActiveTenant): Promise<void> {
    if (this.#listedAtStart.has(tenant)) return;
    const settings = await readSettings(forkEm(this.deps.orm), tenant.tenantId);
    if (!settings.integrationEnabled) throw new IntegrationStopped(WAITING_NOTE);
  }

  /**
   * Starts taking jobs outside the loop (PostgreSQL: from the queue, in every process); `signal`
   * aborts the jobs running when the shutdown deadline passes.
   */
  start(signal: AbortSignal): Promise<void> {
    return this.queue.start(
      async (job, em) => {
        // The job's own tenant, listed as it starts: what `#stillStarted` would read again.
        const tenant = await activeTenant(em, job.tenantId);
        if (tenant !== null) this.#listedAtStart.add(tenant);
        return this.#run(
          job,
          em,
          new Map(tenant === null ? [] : [[tenant.tenantId, tenant]]),
          signal,
        );
      },
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
    if (tenant === undefined && JOBS_WAITING_FOR_START.includes(job.name)) {
      // Stopped after it was offered: back to the queue, where it waits for the start.
      await this.#wait(em, job);
      return;
    }
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
      if (error instanceof IntegrationStopped) {
        await this.#wait(em, job);
        return;
      }
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

  async #wait(em: Em, job: ClaimedJob): Promise<void> {
    await this.queue.retryOrFail(em, job, WAITING_NOTE, 0);
    this.deps.metrics.jobs.inc({ name: job.name, outcome: 'waiting' });
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
