import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

/*
 * The worker's configuration, validated once at start-up (docs/conventions.md item 4). Nothing else
 * reads process.env. The names match apps/api/src/env.ts so that one environment serves both
 * services (DATABASE_URL, RENKEI_DATA_DIR, SMAREGI_*). With no configuration at all the worker runs
 * in demo mode: the API's SQLite file, the local simulator and its demo app credentials.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/ });
const ms = (fallback: number) => z.coerce.number().int().min(1).max(86_400_000).default(fallback);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Port of /healthz and /metrics (0 = any free port). */
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL URL; SQLite file `renkei.sqlite` in RENKEI_DATA_DIR when unset. */
  DATABASE_URL: z.string().optional(),
  /**
   * The API's data folder. Relative paths are taken from the repository's `apps/api` folder when
   * the worker runs from `apps/worker` (pnpm runs each service in its own folder), so that both
   * services open the same SQLite file in demo mode.
   */
  RENKEI_DATA_DIR: z.string().min(1).optional(),
  RENKEI_DEMO: bool.optional(),
  /**
   * Token encryption keys `id:base64(32 bytes)`, comma separated, the first one encrypts: the same
   * value as the API's, so both share one encrypted app token per contract. Required outside demo
   * mode; in demo mode the key file the API keeps in RENKEI_DATA_DIR is used (created if missing).
   */
  RENKEI_TOKEN_KEYS: z.string().min(1).optional(),
  SMAREGI_ID_BASE_URL: url.default('http://127.0.0.1:4011'),
  SMAREGI_API_BASE_URL: url.default('http://127.0.0.1:4010'),
  SMAREGI_CLIENT_ID: z.string().min(1).optional(),
  SMAREGI_CLIENT_SECRET: z.string().min(1).optional(),
  /** Per contract, as agreed with Smaregi (sandbox: 10 reads/s, 4 writes/s). */
  SMAREGI_READS_PER_SECOND: z.coerce.number().positive().max(1000).default(10),
  SMAREGI_WRITES_PER_SECOND: z.coerce.number().positive().max(1000).default(4),
  SMAREGI_REQUEST_TIMEOUT_MS: ms(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long SIGTERM waits for in-flight work before in-flight operations are released. */
  WORKER_SHUTDOWN_DEADLINE_MS: ms(20_000),
  /** Orders registered at the same time (the rate budget still spaces the calls). */
  WORKER_ORDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** Poll interval of the order, job and webhook loops. */
  WORKER_POLL_MS: ms(250),
  /** How often orders waiting for a fix (unmapped product, payment, shop) are checked again. */
  WORKER_WAITING_RECHECK_MS: ms(15_000),
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
  /** Set to use several worker processes on PostgreSQL through pg-boss (default on with PostgreSQL). */
  WORKER_QUEUE: z.enum(['inprocess', 'pgboss']).optional(),
});

export type Env = z.output<typeof envSchema>;

/** The demo credentials of the simulator (packages/smaregi-simulator DEMO_CLIENT_*). */
const DEMO_SMAREGI = {
  clientId: 'renkei-demo-client',
  clientSecret: 'renkei-demo-secret',
} as const;

export interface WorkerConfig {
  env: Env;
  demo: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sqlitePath: string;
  tokenKeys: string | undefined;
  queue: 'inprocess' | 'pgboss';
  smaregi: {
    idBaseUrl: string;
    apiBaseUrl: string;
    clientId: string;
    clientSecret: string;
    readsPerSecond: number;
    writesPerSecond: number;
    requestTimeoutMs: number;
  };
  shutdownDeadlineMs: number;
  orderConcurrency: number;
  pollMs: number;
  waitingRecheckMs: number;
  reconcileMs: number;
  tokenUpkeepMs: number;
  tickTimeoutMs: number;
  leaseMs: number;
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
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
 * @param source the environment (default `process.env`)
 * @param cwd where relative paths start (default the working directory)
 */
export function loadConfig(
  source: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): WorkerConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const demo = env.RENKEI_DEMO ?? env.SMAREGI_CLIENT_ID === undefined;
  const missing = (
    ['SMAREGI_CLIENT_ID', 'SMAREGI_CLIENT_SECRET', 'RENKEI_TOKEN_KEYS'] as const
  ).filter((k) => env[k] === undefined);
  if (!demo && missing.length > 0)
    throw new ConfigError(`outside demo mode these are required: ${missing.join(', ')}`);
  // Secure by default (same rule as the API): production never falls into demo mode (the
  // simulator's demo app credentials, a token key generated on disk) by a forgotten variable.
  if (demo && env.NODE_ENV === 'production' && env.RENKEI_DEMO !== true)
    throw new ConfigError(
      `NODE_ENV=production refuses to start in demo mode: set ${(missing.length > 0 ? missing : ['SMAREGI_CLIENT_ID']).join(', ')}, or RENKEI_DEMO=true to run the demo on purpose`,
    );
  if (env.WORKER_LEASE_MS <= env.SMAREGI_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'WORKER_LEASE_MS must be longer than SMAREGI_REQUEST_TIMEOUT_MS (a lease may only expire once its call cannot still arrive)',
    );
  }
  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  return {
    env,
    demo,
    port: env.WORKER_PORT,
    host: env.WORKER_HOST,
    databaseUrl,
    dataDir: dataDir(env.RENKEI_DATA_DIR, cwd),
    sqlitePath: join(dataDir(env.RENKEI_DATA_DIR, cwd), 'renkei.sqlite'),
    tokenKeys: env.RENKEI_TOKEN_KEYS,
    queue: env.WORKER_QUEUE ?? (databaseUrl === undefined ? 'inprocess' : 'pgboss'),
    smaregi: {
      idBaseUrl: env.SMAREGI_ID_BASE_URL.replace(/\/+$/, ''),
      apiBaseUrl: env.SMAREGI_API_BASE_URL.replace(/\/+$/, ''),
      clientId: env.SMAREGI_CLIENT_ID ?? DEMO_SMAREGI.clientId,
      clientSecret: env.SMAREGI_CLIENT_SECRET ?? DEMO_SMAREGI.clientSecret,
      readsPerSecond: env.SMAREGI_READS_PER_SECOND,
      writesPerSecond: env.SMAREGI_WRITES_PER_SECOND,
      requestTimeoutMs: env.SMAREGI_REQUEST_TIMEOUT_MS,
    },
    shutdownDeadlineMs: env.WORKER_SHUTDOWN_DEADLINE_MS,
    orderConcurrency: env.WORKER_ORDER_CONCURRENCY,
    pollMs: env.WORKER_POLL_MS,
    waitingRecheckMs: env.WORKER_WAITING_RECHECK_MS,
    reconcileMs: env.WORKER_RECONCILE_MS,
    tokenUpkeepMs: env.WORKER_TOKEN_UPKEEP_MS,
    tickTimeoutMs: env.WORKER_TICK_TIMEOUT_MS,
    leaseMs: env.WORKER_LEASE_MS,
  };
}

/**
 * The data folder. pnpm starts each service in its own package folder, so a relative
 * RENKEI_DATA_DIR (or the default `./data`) started from `apps/worker` means the API's folder
 * `apps/api/data`: both services must open the same SQLite file.
 */
function dataDir(configured: string | undefined, cwd: string): string {
  if (configured !== undefined && isAbsolute(configured)) return configured;
  const relative = configured ?? './data';
  const inWorkerPackage = /[\\/]apps[\\/]worker[\\/]?$/.test(cwd);
  return resolve(inWorkerPackage ? resolve(cwd, '../api') : cwd, relative);
}
