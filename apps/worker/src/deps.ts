import type { Orm } from '@renkei/persistence';
import type { Clock, SmaregiClient } from '@renkei/smaregi-client';
import type { Logger } from './logger.js';
import type { WorkerMetrics } from './metrics.js';
import type { OutboundSettings } from './outbound/outbound-deliveries.js';

/**
 * Points in the life of a remote operation where tests kill the process (crash-point tests). In
 * production none is set.
 */
export interface OperationHooks {
  /** After the in-flight mark is committed, before the call is sent. */
  beforeRemoteCall?: (kind: string, key: string) => void | Promise<void>;
  /** After Smaregi answered, before the local commit. */
  afterRemoteCall?: (kind: string, key: string) => void | Promise<void>;
  /** After the local commit. */
  afterCommit?: (kind: string, key: string) => void | Promise<void>;
}

/** Tunables of the engine (config in production, small numbers in tests). */
export interface EngineSettings {
  /** In-flight lease; must exceed the client's request timeout. */
  leaseMs: number;
  /** First retry delay of an operation whose outcome was unknown; doubles per attempt. */
  retryBaseMs: number;
  retryMaxMs: number;
  orderConcurrency: number;
  /**
   * Registrations of one tenant running (and, on PostgreSQL, queued) at a time in a process
   * (default {@link DEFAULT_TENANT_ORDER_CAP}): a tenant's calls wait for its own contract's rate
   * budget, so a tenant with a large backlog must not take every slot while the others wait.
   */
  tenantOrderCap?: number;
  /** Orders waiting for a fix are evaluated again at this interval. */
  waitingRecheckMs: number;
  /**
   * True when this is the only worker of the database (SQLite): in-flight marks left by a previous
   * run of this process are then known to be dead at start and are resolved at once.
   */
  singleProcess: boolean;
  /** Orders per bulk-shipping call (Smaregi: at most 100). */
  shippingBatchSize: number;
  /**
   * How long an order that may ship waits for a fuller bulk-shipping call (default 0: shipped at
   * the next tick). Full calls go at once; a call with fewer orders goes when its oldest order
   * has waited this long. The process sets it from WORKER_SHIPPING_MAX_WAIT_MS.
   */
  shippingMaxWaitMs?: number;
  /**
   * Pages of 100 a lookup by order code may read when Smaregi ignores the order-code filter,
   * before the order is left 要確認 (optional: the client's default, 20).
   */
  orderLookupMaxPages?: number;
}

/**
 * See {@link EngineSettings.tenantOrderCap}: two seconds' worth at the sandbox's 4 writes/s, and
 * enough in flight to keep a 20 writes/s contract at its limit with calls of about 400 ms.
 */
export const DEFAULT_TENANT_ORDER_CAP = 8;

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  leaseMs: 60_000,
  retryBaseMs: 1_000,
  retryMaxMs: 300_000,
  orderConcurrency: 8,
  waitingRecheckMs: 15_000,
  singleProcess: true,
  shippingBatchSize: 100,
};

/** Everything the engine needs, built once by the process (or by a test). */
export interface WorkerDeps {
  orm: Orm;
  smaregi: SmaregiClient;
  clock: Clock;
  logger: Logger;
  metrics: WorkerMetrics;
  settings: EngineSettings;
  hooks?: OperationHooks;
  /**
   * Outbound webhooks (docs/webhooks.md): absent, their jobs wait in the queue (tests of other
   * parts); the process always sets it.
   */
  outbound?: OutboundSettings;
  /** Jitter source (default Math.random). */
  random?: () => number;
  /**
   * Aborted when the worker is asked to stop (SIGTERM): from then on no new work begins — no
   * claim, no job, no Smaregi write — while work already in flight goes on. The Worker sets it;
   * components built without a Worker (tests) may leave it out.
   */
  stopping?: AbortSignal;
}

/** True once no new work may begin: the worker is stopping, or the caller's signal aborted. */
export function stopRequested(deps: Pick<WorkerDeps, 'stopping'>, signal?: AbortSignal): boolean {
  return deps.stopping?.aborted === true || signal?.aborted === true;
}
