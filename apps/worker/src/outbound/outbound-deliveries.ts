import type { WebhookUrlPolicy } from '@renkei/domain';
import {
  forkEm,
  JOB_NAMES,
  newId,
  type OutboundEvent,
  RESPONSE_SNIPPET_LENGTH,
  tenantRepositories,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookEndpoint,
  WorkerQueries,
  type ClaimedJob,
  type Em,
  type TokenVault,
} from '@renkei/persistence';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { TableJobQueue } from '../jobs/job-queue.js';
import { nextAttemptAt, RETRY_DELAYS_MS, RETRY_WINDOW_MS } from './retry-schedule.js';
import { sendStockChanges } from './stock-changes.js';
import { WebhookSender, type AttemptResult } from './webhook-sender.js';

/** What the outbound webhooks need beyond the engine (config in production). */
export interface OutboundSettings {
  /** Decrypts the endpoints' secrets (the token vault, as for Smaregi tokens). */
  vault: TokenVault;
  /** The SSRF rule at delivery time (the domain's `webhookUrlPolicy`). */
  urlPolicy: WebhookUrlPolicy;
  /** Deliveries in flight in this process at most (all endpoints). */
  concurrency: number;
  /** Deliveries in flight to one endpoint at most (in this process). */
  endpointConcurrency: number;
  /** One attempt's timeout, connection to last byte. */
  timeoutMs: number;
  /** Tests: other delays than the 24-hour schedule (retry-schedule.ts). */
  retryDelaysMs?: readonly number[];
}

export const DEFAULT_OUTBOUND_CONCURRENCY = 32;
export const DEFAULT_OUTBOUND_ENDPOINT_CONCURRENCY = 16;
export const DEFAULT_OUTBOUND_TIMEOUT_MS = 10_000;

/** The jobs of the outbound lane, and only of it (the sync's job loop never claims them). */
export const OUTBOUND_JOB_NAMES: readonly string[] = [
  JOB_NAMES.sendStockChanges,
  JOB_NAMES.deliverWebhook,
];

/** A job whose endpoint is at its concurrency goes back to the queue for this long. */
const ENDPOINT_BUSY_DELAY_MS = 250;
/** While deliveries run, newly due jobs are looked for this often. */
const CLAIM_POLL_MS = 50;
/** A tick stops claiming after this long (and returns once its deliveries are done). */
const TICK_BUDGET_MS = 20_000;

/**
 * The outbound webhook lane (docs/webhooks.md, "Delivery"): the worker's jobs of names
 * {@link OUTBOUND_JOB_NAMES}, claimed from the same `jobs` table as every job (a compare-and-set
 * with a lock, so several processes share them on PostgreSQL, and a job of a process that died
 * is taken again once its lock ends) but run here, never by the sync's job loop: a receiver that
 * is slow or down holds only this lane's slots, never the order loop, the job loop or the
 * Smaregi rate budget (a delivery makes no Smaregi call). At most `concurrency` deliveries run at
 * once, `endpointConcurrency` to one endpoint; a tick keeps its slots filled as deliveries end.
 */
export class OutboundDeliveries {
  readonly sender: WebhookSender;
  readonly #queue: TableJobQueue;
  readonly #workerId: string;
  readonly #lockMs: number;
  #expiredCheckedAt = -Infinity;
  /** Endpoint ID → when its `lastDeliveredAt` was last written by this process. */
  readonly #lastDeliveredWritten = new Map<string, number>();
  readonly #secrets = new Map<string, string>();
  readonly #perEndpoint = new Map<string, number>();
  /** Deliveries attempted since start, by outcome (tests, bench). */
  readonly counts = { delivered: 0, retried: 0, failed: 0 };

  constructor(
    private readonly deps: WorkerDeps,
    private readonly settings: OutboundSettings,
    workerId: string,
  ) {
    this.sender = new WebhookSender(
      settings.urlPolicy,
      settings.timeoutMs,
      settings.endpointConcurrency,
    );
    this.#workerId = workerId;
    // A delivery lasts at most its timeout plus a few writes: one lock of a minute (or the lease)
    // is never outlived, so no extension is needed.
    this.#lockMs = Math.max(deps.settings.leaseMs, 60_000);
    this.#queue = new TableJobQueue(deps.clock, workerId, this.#lockMs);
  }

  /**
   * One tick: claims due outbound jobs into the free slots and runs them, claiming more as slots
   * free up, until nothing is due and nothing runs (or the tick's budget is spent).
   */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    const running = new Set<Promise<void>>();
    const started = this.deps.clock.now();
    for (;;) {
      const stopping = stopRequested(this.deps, signal);
      const overBudget = this.deps.clock.now() - started > TICK_BUDGET_MS;
      const free = this.settings.concurrency - running.size;
      // Claims in batches while deliveries run (a claim per finished delivery would cost more
      // than the delivery); at once when nothing runs.
      const batch = running.size === 0 ? 1 : Math.max(1, Math.floor(this.settings.concurrency / 8));
      if (!stopping && !overBudget && free >= batch) {
        const jobs = await this.#claim(em, free);
        const deliveries = await this.#load(jobs);
        for (const job of jobs) {
          const run = this.#run(job, deliveries).finally(() => running.delete(run));
          running.add(run);
        }
      }
      if (running.size === 0) return overBudget && !stopping;
      if (stopping || overBudget) {
        await Promise.all(running);
        return !stopping;
      }
      // Until a slot frees, looking for newly due jobs meanwhile (a new event, a retry's time).
      await Promise.race([...running, delay(CLAIM_POLL_MS)]);
    }
  }

  /** Stock flushes first (one per tenant at most), then deliveries, each by due time. */
  async #claim(em: Em, limit: number): Promise<ClaimedJob[]> {
    const queries = new WorkerQueries(em);
    const now = new Date(this.deps.clock.now());
    // Jobs a dead process left running are looked for every 10 s, not at every claim (their
    // lock lasts a minute or more anyway).
    const expired = now.getTime() - this.#expiredCheckedAt >= 10_000;
    if (expired) this.#expiredCheckedAt = now.getTime();
    // Idle, the lane ticks several times a second in every process: one statement says whether
    // there is anything to claim, instead of a claim per job name.
    if (!expired && !(await queries.hasDueJobs(OUTBOUND_JOB_NAMES, now))) return [];
    const claimed: ClaimedJob[] = [];
    for (const name of OUTBOUND_JOB_NAMES) {
      if (claimed.length >= limit) break;
      claimed.push(
        ...(await queries.claimJobsNamed(
          this.#workerId,
          now,
          this.#lockMs,
          limit - claimed.length,
          name,
          expired,
        )),
      );
    }
    return claimed;
  }

  /** The deliveries of the claimed jobs, with endpoint and event, in one query. */
  async #load(jobs: readonly ClaimedJob[]): Promise<Map<string, WebhookDelivery>> {
    const ids = jobs
      .filter((j) => j.name === JOB_NAMES.deliverWebhook)
      .map((j) => j.payload.deliveryId)
      .filter((id): id is string => typeof id === 'string');
    if (ids.length === 0) return new Map();
    const rows = await forkEm(this.deps.orm).find(
      WebhookDelivery,
      { id: { $in: ids } },
      { populate: ['endpoint', 'event'], strategy: 'joined' },
    );
    return new Map(rows.map((d) => [d.id, d]));
  }

  async #run(job: ClaimedJob, loaded: ReadonlyMap<string, WebhookDelivery>): Promise<void> {
    const em = forkEm(this.deps.orm);
    try {
      if (job.name === JOB_NAMES.sendStockChanges) {
        const more = await sendStockChanges(em, job.tenantId, new Date(this.deps.clock.now()));
        if (more) await this.#queue.retryOrFail(em, job, 'more stock changes', 0);
        else await this.#queue.complete(em, job);
        return;
      }
      await this.#deliver(em, job, loaded);
    } catch (error) {
      // A database error (not the receiver's): the job is tried again shortly.
      const reason = error instanceof Error ? error.message : String(error);
      this.deps.logger.warn({ job: job.name, jobId: job.id, err: reason }, 'outbound job failed');
      await this.#queue.retryOrFail(forkEm(this.deps.orm), job, reason, 5_000);
    }
  }

  async #deliver(
    em: Em,
    job: ClaimedJob,
    loaded: ReadonlyMap<string, WebhookDelivery>,
  ): Promise<void> {
    const found = loaded.get(String(job.payload.deliveryId));
    // The job's tenant only (a payload naming another tenant's delivery sends nothing).
    const delivery = found?.tenant.id === job.tenantId ? found : null;
    // Gone (its endpoint was deleted) or already ended (a re-run after a crash): nothing to send.
    if (delivery === null || delivery.state !== 'pending') {
      await this.#queue.complete(em, job);
      return;
    }
    const now = this.deps.clock.now();
    const due = delivery.nextAttemptAt?.getTime() ?? now;
    if (due > now) {
      // Claimed early (a lock that ended after a crash): back until its time.
      await this.#queue.retryOrFail(em, job, 'not due yet', due - now);
      return;
    }
    const endpoint = delivery.endpoint;
    if (endpoint.state === 'paused') {
      await this.#end(em, job, delivery, 'failed', 'endpoint paused: re-deliver once resumed');
      return;
    }
    const busy = this.#perEndpoint.get(endpoint.id) ?? 0;
    if (busy >= this.settings.endpointConcurrency) {
      await this.#queue.retryOrFail(em, job, 'endpoint busy', ENDPOINT_BUSY_DELAY_MS);
      return;
    }
    this.#perEndpoint.set(endpoint.id, busy + 1);
    let result: AttemptResult;
    const at = new Date(now);
    try {
      result = await this.sender.send({
        url: endpoint.url,
        id: delivery.event.id,
        body: outboundBody(delivery.event),
        secret: this.#secretOf(job.tenantId, endpoint),
        at,
      });
    } finally {
      const left = (this.#perEndpoint.get(endpoint.id) ?? 1) - 1;
      if (left <= 0) this.#perEndpoint.delete(endpoint.id);
      else this.#perEndpoint.set(endpoint.id, left);
    }
    await this.#record(job, delivery, result, at);
  }

  /** The endpoint's secret, decrypted once per ciphertext (a rotation changes the ciphertext). */
  #secretOf(tenantId: string, endpoint: WebhookEndpoint): string {
    const key = `${endpoint.id}:${endpoint.secretKeyId}:${endpoint.secretCiphertext}`;
    let secret = this.#secrets.get(key);
    if (secret === undefined) {
      secret = this.settings.vault.decrypt(
        endpoint.secretCiphertext,
        endpoint.secretKeyId,
        tenantId,
      );
      if (this.#secrets.size > 1000) this.#secrets.clear();
      this.#secrets.set(key, secret);
    }
    return secret;
  }

  /**
   * Records the attempt and its consequence in one transaction with the job's own row: delivered
   * (and a failing endpoint active again), another attempt scheduled, or — the window spent —
   * failed, the endpoint marked failing and the merchant told in the 連携ログ. The delivery is
   * changed only if it is still as read (a re-delivery asked for meanwhile wins).
   */
  async #record(
    job: ClaimedJob,
    delivery: WebhookDelivery,
    result: AttemptResult,
    at: Date,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const failures = delivery.attempts + 1;
    const next = result.ok
      ? null
      : nextAttemptAt(
          failures,
          now,
          delivery.retryFrom.getTime(),
          this.deps.random ?? Math.random,
          this.settings.retryDelaysMs ?? RETRY_DELAYS_MS,
          RETRY_WINDOW_MS,
        );
    const state = result.ok ? 'delivered' : next === null ? 'failed' : 'pending';
    const endpoint = delivery.endpoint;
    await forkEm(this.deps.orm).transactional(async (tx) => {
      // Written directly (not through the unit of work): one row, never changed afterwards.
      await tx.insert(WebhookDeliveryAttempt, {
        id: newId(),
        tenant: job.tenantId,
        delivery: delivery.id,
        attemptedAt: at,
        status: result.status,
        latencyMs: result.latencyMs,
        responseSnippet: result.snippet,
        error: result.error,
      });
      const changed = await tx.nativeUpdate(
        WebhookDelivery,
        {
          id: delivery.id,
          state: 'pending',
          attempts: delivery.attempts,
          retryFrom: delivery.retryFrom,
        },
        {
          state,
          attempts: failures,
          nextAttemptAt: next === null ? null : new Date(next),
          lastStatus: result.status,
          lastLatencyMs: result.latencyMs,
          lastResponseSnippet: result.snippet?.slice(0, RESPONSE_SNIPPET_LENGTH) ?? null,
          lastError: result.error,
          deliveredAt: result.ok ? new Date(now) : null,
          updatedAt: new Date(now),
        },
      );
      if (changed === 1) {
        if (result.ok) await this.#delivered(tx, job.tenantId, endpoint, now);
        else if (state === 'failed')
          await this.#failing(tx, job.tenantId, endpoint, result.error ?? '-', now);
      }
      if (changed === 1 && state === 'pending')
        await this.#queue.retryOrFail(tx, job, result.error ?? 'failed', next! - now);
      else await this.#queue.complete(tx, job);
    });
    const outcome = result.ok ? 'delivered' : state === 'failed' ? 'failed' : 'retried';
    this.counts[outcome]++;
    this.deps.metrics.jobs.inc({ name: JOB_NAMES.deliverWebhook, outcome });
    if (!result.ok)
      this.deps.logger.info(
        { deliveryId: delivery.id, endpointId: endpoint.id, error: result.error, state },
        'webhook delivery attempt failed',
      );
  }

  /**
   * A success: the endpoint's last delivery (written at most once a second per endpoint: a
   * busy endpoint's row is not rewritten by every delivery), and a failing endpoint active again.
   */
  async #delivered(tx: Em, tenantId: string, endpoint: WebhookEndpoint, now: number) {
    if (now - (this.#lastDeliveredWritten.get(endpoint.id) ?? -Infinity) >= 1_000) {
      this.#lastDeliveredWritten.set(endpoint.id, now);
      if (this.#lastDeliveredWritten.size > 10_000) this.#lastDeliveredWritten.clear();
      await tx.nativeUpdate(
        WebhookEndpoint,
        { id: endpoint.id, tenant: tenantId },
        { lastDeliveredAt: new Date(now) },
      );
    }
    // Read with the delivery: an endpoint marked failing since is made active by a later one.
    if (endpoint.state !== 'failing') return;
    const recovered = await tx.nativeUpdate(
      WebhookEndpoint,
      { id: endpoint.id, tenant: tenantId, state: 'failing' },
      { state: 'active', failingSince: null, updatedAt: new Date(now) },
    );
    if (recovered === 0) return;
    tenantRepositories(tx, tenantId).syncEvents.record({
      subjectType: 'webhookEndpoint',
      subjectId: endpoint.id,
      kind: 'webhookEndpoint.recovered',
      outcome: 'success',
      message: { code: 'webhookEndpointRecovered', params: { url: endpoint.url } },
    });
    await tx.flush();
  }

  /** A delivery failed for the whole window: the endpoint is failing, the merchant told once. */
  async #failing(
    tx: Em,
    tenantId: string,
    endpoint: WebhookEndpoint,
    lastError: string,
    now: number,
  ) {
    const marked = await tx.nativeUpdate(
      WebhookEndpoint,
      { id: endpoint.id, tenant: tenantId, state: 'active' },
      { state: 'failing', failingSince: new Date(now), updatedAt: new Date(now) },
    );
    if (marked === 0) return;
    tenantRepositories(tx, tenantId).syncEvents.record({
      subjectType: 'webhookEndpoint',
      subjectId: endpoint.id,
      kind: 'webhookEndpoint.failing',
      outcome: 'failure',
      message: {
        code: 'webhookEndpointFailing',
        params: { url: endpoint.url, hours: RETRY_WINDOW_MS / 3_600_000, lastError },
      },
      detail: { endpointId: endpoint.id },
    });
    await tx.flush();
  }

  /** Ends a delivery without an attempt (its endpoint is paused). */
  async #end(
    em: Em,
    job: ClaimedJob,
    delivery: WebhookDelivery,
    state: 'failed',
    reason: string,
  ): Promise<void> {
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(
        WebhookDelivery,
        { id: delivery.id, state: 'pending', attempts: delivery.attempts },
        {
          state,
          nextAttemptAt: null,
          lastError: reason,
          updatedAt: new Date(this.deps.clock.now()),
        },
      );
      await this.#queue.complete(tx, job);
    });
  }

  close(): void {
    this.sender.close();
  }

  /** The worker ID the lane claims under (tests). */
  get workerId(): string {
    return this.#workerId;
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The body of every delivery of an event (Standard Webhooks: type, timestamp, data). */
export function outboundBody(event: OutboundEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toISOString(),
    data: event.payload,
  });
}
