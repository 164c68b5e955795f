import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

export const JOB_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/**
 * Job names the API enqueues and the worker handles. Payloads are IDs only (no secrets, no order
 * content): the worker re-reads current state.
 */
export const JOB_NAMES = {
  /** `{ orderId }`: register (or re-check) one order in Smaregi. */
  registerOrder: 'order.register',
  /** `{ runId }`: run or resume a product import. */
  importProducts: 'products.import',
  /** `{ webhookEventId }`: process a stored Smaregi webhook event. */
  processWebhook: 'webhook.process',
  /** `{ orderId, status }`: react to an order status change (allocation / shipping triggers). */
  orderStatusChanged: 'order.statusChanged',
  /**
   * `{ orderId }`: the status rules after a registration (allocation inquiry, allocated status).
   * Written with the registration and run only if the registering process did not get to it
   * (it died in between): the follow-up of a registration is never lost.
   */
  orderRegistered: 'order.registered',
  /**
   * `{ deliveryId }`: send one outbound webhook delivery (docs/webhooks.md). One job row per
   * delivery (its ID as `dedupKey`), retried with its backoff until delivered or failed. Run by
   * the worker's webhook lane, never by the sync loop.
   */
  deliverWebhook: 'webhook.deliver',
  /**
   * `{}`: gather the tenant's pending stock changes into `stock.changed` events (one queued per
   * tenant, `dedupKey` 'stock.changed', due one coalescing second after the first change).
   */
  sendStockChanges: 'webhook.stockChanged',
} as const;
export type JobName = (typeof JOB_NAMES)[keyof typeof JOB_NAMES];

/**
 * Transactional outbox and, on SQLite, the in-process queue itself. The API inserts a job in the
 * same transaction as the change that needs it; on SQLite the worker claims rows from here, on
 * PostgreSQL it relays them to pg-boss. `dedupKey` (unique per tenant and name) keeps a queued job
 * from being enqueued twice.
 */
export class Job {
  [OptionalProps]?: 'state' | 'priority' | 'attempts' | 'runAt' | 'createdAt' | 'updatedAt';
  id!: string;
  tenant!: Tenant;
  name!: string;
  payload!: Record<string, unknown>;
  state: JobState = 'queued';
  /** Higher runs first, on the `CallPriority` scale of @renkei/domain (like the rate budget). */
  priority = 0;
  runAt: Date = new Date();
  attempts = 0;
  lockedUntil?: Date | null;
  lockedBy?: string | null;
  lastError?: string | null;
  dedupKey?: string | null;
  finishedAt?: Date | null;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

export const JobSchema = new EntitySchema<Job>({
  class: Job,
  tableName: 'jobs',
  uniques: [{ name: 'jobs_tenant_name_dedup_unique', properties: ['tenant', 'name', 'dedupKey'] }],
  indexes: [
    { name: 'jobs_claim_idx', properties: ['state', 'priority', 'runAt'] },
    // One name's due jobs in order (`WorkerQueries.claimJobsNamed`: the outbound webhook lane).
    { name: 'jobs_name_state_run_at_idx', properties: ['name', 'state', 'runAt', 'id'] },
  ],
  properties: {
    id: { ...idColumn },
    tenant: { kind: 'm:1', entity: () => Tenant, deleteRule: 'cascade' },
    name: { type: 'string', length: 50 },
    payload: { type: 'json' },
    state: { type: 'string', length: 20, default: 'queued' },
    priority: { type: 'integer', default: 0 },
    runAt: { ...dateTimeColumn, onCreate: () => new Date() },
    attempts: { type: 'integer', default: 0 },
    lockedUntil: { ...dateTimeColumn, nullable: true },
    lockedBy: { type: 'string', length: 100, nullable: true },
    lastError: { type: 'text', nullable: true },
    dedupKey: { type: 'string', length: 200, nullable: true },
    finishedAt: { ...dateTimeColumn, nullable: true },
    createdAt: { ...dateTimeColumn, onCreate: () => new Date() },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
