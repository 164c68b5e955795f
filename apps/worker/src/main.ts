/**
 * `pnpm start`: the worker process. It owns the environment (env.ts), the signals and the
 * shutdown deadline; the engine (Worker) owns the loops.
 */
import {
  databaseLocation,
  EncryptedTokenStore,
  loadOrCreateDemoKey,
  openDatabase,
  parseVaultKeys,
  TokenVault,
} from '@renkei/persistence';
import { systemClock } from '@renkei/smaregi-client';
import { DEFAULT_ENGINE_SETTINGS } from './deps.js';
import { ConfigError, loadConfig, startupWarnings } from './env.js';
import { startHealthServer } from './http/health-server.js';
import { createLogger } from './logger.js';
import { WorkerMetrics } from './metrics.js';
import { createWorkerClient } from './smaregi/client.js';
import { createSharedBudget } from './smaregi/shared-budget.js';
import { PgBossDistributed } from './queue/distributed.js';
import { Worker } from './worker.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.env.LOG_LEVEL);
  // Loud on purpose, at every start: a production worker running the demo.
  for (const warning of startupWarnings(config)) {
    logger.warn({ demo: true, nodeEnv: config.env.NODE_ENV }, warning);
    console.error(`\n  !!! WARNING: ${warning}\n`);
  }
  const location = databaseLocation(config.databaseUrl, config.sqlitePath);
  // openDatabase retries when the API migrates the same database at the same moment.
  const orm = await openDatabase({ location });
  const shared =
    location.dialect === 'postgresql'
      ? await createSharedBudget(location.url, undefined, (error) =>
          logger.warn({ err: error }, 'rate budget connection lost; a new one is opened'),
        )
      : undefined;
  const metrics = new WorkerMetrics({ defaultMetrics: true });
  const distributed =
    location.dialect === 'postgresql' && config.queue === 'pgboss'
      ? await PgBossDistributed.start(location.url, { logger, metrics, leaseMs: config.leaseMs })
      : undefined;
  // App tokens are shared with the API (and every worker) through the encrypted token store.
  const vault = new TokenVault(
    config.tokenKeys !== undefined
      ? parseVaultKeys(config.tokenKeys)
      : loadOrCreateDemoKey(config.dataDir),
  );
  const smaregi = createWorkerClient({
    ...config.smaregi,
    ...(shared ? { budgetStore: shared.store } : {}),
    tokenStore: new EncryptedTokenStore(orm, vault),
    budgetObserver: { permitDropped: (kind) => metrics.permitsDropped.inc({ kind }) },
    logger,
  });
  const worker = new Worker(
    {
      orm,
      smaregi,
      clock: systemClock,
      logger,
      metrics,
      settings: {
        ...DEFAULT_ENGINE_SETTINGS,
        leaseMs: config.leaseMs,
        orderConcurrency: config.orderConcurrency,
        waitingRecheckMs: config.waitingRecheckMs,
        shippingMaxWaitMs: config.shippingMaxWaitMs,
        // Only the single worker of a SQLite file may treat leftover in-flight marks as dead.
        singleProcess: distributed === undefined && location.dialect === 'sqlite',
      },
      outbound: { vault, ...config.webhooks },
    },
    {
      pollMs: config.pollMs,
      reconcileMs: config.reconcileMs,
      stockFollowUpMs: config.stockFollowUpMs,
      tokenUpkeepMs: config.tokenUpkeepMs,
      tickTimeoutMs: config.tickTimeoutMs,
    },
    distributed,
  );
  await worker.start();
  const health = await startHealthServer({ host: config.host, port: config.port, worker, metrics });
  logger.info(
    {
      database: location.dialect === 'sqlite' ? location.path : 'postgresql',
      // Which SQLite file is read is not a guess: the log says why it is that folder.
      ...(location.dialect === 'sqlite' ? { dataDir: config.dataDirOrigin } : {}),
      queue: distributed ? 'pg-boss' : 'in-process',
      smaregi: config.smaregi.apiBaseUrl,
      health: `${health.url}/healthz`,
      ready: `${health.url}/readyz`,
      demo: config.demo,
    },
    'renkei worker started',
  );

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info(
      { signal, deadlineMs: config.shutdownDeadlineMs },
      'stopping: finishing in-flight work',
    );
    void (async () => {
      const { clean } = await worker.stop(config.shutdownDeadlineMs);
      await health.close();
      await shared?.close();
      await orm.close(true);
      logger.info(
        { clean },
        clean
          ? 'stopped cleanly'
          : 'stopped at the deadline; in-flight work is resolved by a read at next start',
      );
      process.exit(0);
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
