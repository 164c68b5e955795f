import { isAbsolute, join, resolve } from 'node:path';
import {
  ConfigError,
  milliseconds as ms,
  optional,
  parseEnv,
  port,
  processEnv,
  resolveShared,
  sharedEnvShape,
  type EnvSource,
  type SharedConfig,
} from '@renkei/config';
import { webhookUrlPolicy, type WebhookUrlPolicy } from '@renkei/domain';
import { SMAREGI_ENVIRONMENTS } from '@renkei/smaregi-client';
import { z } from 'zod';

export { ConfigError };

/*
 * The worker's configuration, validated once at start-up (docs/conventions.md item 4): the
 * variables shared with the API (@renkei/config: DATABASE_URL, RENKEI_TOKEN_KEYS, SMAREGI_*, ...)
 * plus the worker's own; every one is listed in docs/operations.md. With no configuration at all
 * the worker runs in demo mode: the API's SQLite file, the local simulator and its demo app
 * credentials.
 */

export const envSchema = z.object({
  ...sharedEnvShape,
  /** Port of /healthz and /metrics (0 = any free port). */
  WORKER_PORT: port(3001),
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  /** The API's data folder (SQLite file, demo token key); see `dataDirOf` for relative paths. */
  RENKEI_DATA_DIR: optional(z.string().min(1)),
  SMAREGI_REQUEST_TIMEOUT_MS: ms(30_000),
  /** How long SIGTERM waits for in-flight work before in-flight operations are released. */
  WORKER_SHUTDOWN_DEADLINE_MS: ms(20_000),
  /** Orders registered at the same time (the rate budget still spaces the calls). */
  WORKER_ORDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Poll interval of the order, job and webhook loops. */
  WORKER_POLL_MS: ms(250),
  /** How often orders waiting for a fix (unmapped product, payment, shop) are checked again. */
  WORKER_WAITING_RECHECK_MS: ms(15_000),
  /**
   * How long an order that may ship waits for a fuller 受注一括出荷 call (one call ships up to
   * 100 orders and costs one write of the contract's budget). Default 30 s; 2 s in the demo,
   * where the merchant watches the order.
   */
  WORKER_SHIPPING_MAX_WAIT_MS: optional(z.coerce.number().int().min(0).max(3_600_000)),
  /**
   * How often the products that order events marked are read again from Smaregi: the marks of
   * that time cost one read of the warehouse instead of two reads a product.
   */
  WORKER_STOCK_FOLLOW_UP_MS: ms(2_000),
  /** Full stock reconciliation interval. */
  WORKER_RECONCILE_MS: ms(600_000),
  /** Token upkeep interval (refresh of the merchant's user token). */
  WORKER_TOKEN_UPKEEP_MS: ms(600_000),
  /**
   * How long one loop tick may run before /healthz reports the loop stuck (a loop is stuck when
   * nothing started or ended for 3 of its intervals plus this).
   */
  WORKER_TICK_TIMEOUT_MS: ms(600_000),
  /** An in-flight operation whose worker vanished is taken over after this long (> request timeout). */
  WORKER_LEASE_MS: ms(60_000),
  /** Outbound webhook deliveries in flight in one worker process, all endpoints (docs/webhooks.md). */
  WORKER_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(32),
  /** Outbound webhook deliveries in flight to one endpoint, per worker process. */
  WORKER_WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(16),
  /** One outbound webhook attempt's timeout (connection to last byte of the answer). */
  WORKER_WEBHOOK_TIMEOUT_MS: ms(10_000),
  /** Set to use several worker processes on PostgreSQL through pg-boss (default on with PostgreSQL). */
  WORKER_QUEUE: z.enum(['inprocess', 'pgboss']).optional(),
});

export type Env = z.output<typeof envSchema>;

export interface WorkerConfig extends SharedConfig {
  env: Env;
  port: number;
  host: string;
  dataDir: string;
  /** Why `dataDir` is that folder, in words for the start-up log. */
  dataDirOrigin: string;
  sqlitePath: string;
  queue: 'inprocess' | 'pgboss';
  smaregi: SharedConfig['smaregi'] & {
    requestTimeoutMs: number;
  };
  shutdownDeadlineMs: number;
  orderConcurrency: number;
  pollMs: number;
  waitingRecheckMs: number;
  shippingMaxWaitMs: number;
  reconcileMs: number;
  stockFollowUpMs: number;
  tokenUpkeepMs: number;
  tickTimeoutMs: number;
  leaseMs: number;
  webhooks: {
    concurrency: number;
    endpointConcurrency: number;
    timeoutMs: number;
    /** The domain's `WebhookUrlPolicy` of NODE_ENV and RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS. */
    urlPolicy: WebhookUrlPolicy;
  };
}

/**
 * Warnings to log at every start: a production worker running the demo (only possible with
 * RENKEI_DEMO=true set explicitly).
 */
export function startupWarnings(config: Pick<WorkerConfig, 'env' | 'demo'>): string[] {
  if (config.demo && config.env.NODE_ENV === 'production')
    return [
      'DEMO MODE IN PRODUCTION (RENKEI_DEMO=true): the worker uses the demo Smaregi app credentials and a token key generated on disk. Unset RENKEI_DEMO and configure the Smaregi credentials for a real deployment.',
    ];
  return [];
}

/**
 * Validates the environment and derives the configuration.
 * @param source the environment (default: the process's)
 * @param cwd where relative paths start (default the working directory)
 */
export function loadConfig(
  source: EnvSource = processEnv(),
  cwd: string = process.cwd(),
): WorkerConfig {
  const env = parseEnv(envSchema, source);
  const shared = resolveShared(env, {
    required: ['SMAREGI_CLIENT_ID', 'SMAREGI_CLIENT_SECRET', 'RENKEI_TOKEN_KEYS'],
    environments: SMAREGI_ENVIRONMENTS,
  });
  if (env.WORKER_LEASE_MS <= env.SMAREGI_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'WORKER_LEASE_MS must be longer than SMAREGI_REQUEST_TIMEOUT_MS (a lease may only expire once its call cannot still arrive)',
    );
  }
  const data = dataDirOf(env.RENKEI_DATA_DIR, cwd);
  return {
    ...shared,
    env,
    port: env.WORKER_PORT,
    host: env.WORKER_HOST,
    dataDir: data.path,
    dataDirOrigin: data.origin,
    sqlitePath: join(data.path, 'renkei.sqlite'),
    queue: env.WORKER_QUEUE ?? (shared.databaseUrl === undefined ? 'inprocess' : 'pgboss'),
    smaregi: { ...shared.smaregi, requestTimeoutMs: env.SMAREGI_REQUEST_TIMEOUT_MS },
    shutdownDeadlineMs: env.WORKER_SHUTDOWN_DEADLINE_MS,
    orderConcurrency: env.WORKER_ORDER_CONCURRENCY,
    webhooks: {
      concurrency: env.WORKER_WEBHOOK_CONCURRENCY,
      endpointConcurrency: env.WORKER_WEBHOOK_ENDPOINT_CONCURRENCY,
      timeoutMs: env.WORKER_WEBHOOK_TIMEOUT_MS,
      urlPolicy: webhookUrlPolicy({
        production: env.NODE_ENV === 'production',
        allowPrivateUrls: env.RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS === true,
      }),
    },
    pollMs: env.WORKER_POLL_MS,
    waitingRecheckMs: env.WORKER_WAITING_RECHECK_MS,
    shippingMaxWaitMs: env.WORKER_SHIPPING_MAX_WAIT_MS ?? (shared.demo ? 2_000 : 30_000),
    reconcileMs: env.WORKER_RECONCILE_MS,
    stockFollowUpMs: env.WORKER_STOCK_FOLLOW_UP_MS,
    tokenUpkeepMs: env.WORKER_TOKEN_UPKEEP_MS,
    tickTimeoutMs: env.WORKER_TICK_TIMEOUT_MS,
    leaseMs: env.WORKER_LEASE_MS,
  };
}

/**
 * The data folder, which must be the API's: in demo mode both services open the same SQLite file
 * and the same generated token key. An absolute RENKEI_DATA_DIR is taken as given. A relative one
 * (or the API's default `./data` when unset) means the API's folder: `pnpm start` runs each
 * service in its own package folder, so when the worker is started from `apps/worker` it is taken
 * from the sibling `apps/api`, otherwise from the working directory. The rule is documented in
 * docs/operations.md and the worker logs the folder and the reason at start.
 */
export function dataDirOf(
  configured: string | undefined,
  cwd: string,
): { path: string; origin: string } {
  if (configured !== undefined && isAbsolute(configured))
    return { path: configured, origin: 'RENKEI_DATA_DIR' };
  const relative = configured ?? './data';
  const named =
    configured === undefined
      ? "RENKEI_DATA_DIR unset: the API's ./data"
      : `RENKEI_DATA_DIR ${configured}`;
  if (/[\\/]apps[\\/]worker[\\/]?$/.test(cwd))
    return {
      path: resolve(cwd, '../api', relative),
      origin: `${named}, from apps/api (the worker was started in apps/worker)`,
    };
  return { path: resolve(cwd, relative), origin: `${named}, from the working directory` };
}
