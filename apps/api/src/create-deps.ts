import { join } from 'node:path';
import {
  databaseLocation,
  forkEm,
  EncryptedTokenStore,
  loadOrCreateDemoKey,
  openDatabase,
  parseVaultKeys,
  TokenVault,
  type Orm,
} from '@renkei/persistence';
import { createSmaregiClient, RENKEI_APP_SCOPES } from '@renkei/smaregi-client';
import { ApiKeyRateLimiter } from './auth/api-key-rate-limiter.js';
import { LoginLimiter, type LoginLimits } from './auth/login-limiter.js';
import { scryptPasswords } from './auth/password.js';
import type { AppDeps } from './deps.js';
import type { Config } from './env.js';
import { createMetrics } from './http/metrics.js';
import { ApiKeyAuthenticator } from './http/api-key-auth.js';
import { createLogger, type Logger } from './logger.js';

/** Opens the configured database (SQLite under the data folder, or PostgreSQL) and migrates it. */
export function openConfiguredDatabase(config: Config): Promise<Orm> {
  return openDatabase({
    location: databaseLocation(config.databaseUrl, join(config.dataDir, 'renkei.sqlite')),
  });
}

/** Builds the API's dependencies from configuration (the database must be open). */
export function createDeps(
  config: Config,
  orm: Orm,
  options: { logger?: Logger; now?: () => Date } = {},
): AppDeps {
  const logger = options.logger ?? createLogger(config.env.LOG_LEVEL, config.smaregi.webhookHeader);
  const keys =
    config.tokenKeys !== undefined
      ? parseVaultKeys(config.tokenKeys)
      : loadOrCreateDemoKey(config.dataDir);
  const vault = new TokenVault(keys);
  const now = options.now ?? (() => new Date());
  // SMAREGI_APP_SCOPES when the configuration has it, else every scope Renkei's operations need:
  // the app token is always requested with an explicit scope (docs/smaregi-wire.md §2.1).
  const configured = (config.smaregi as { appScopes?: readonly string[] }).appScopes;
  const smaregi = createSmaregiClient({
    environment: { idBaseUrl: config.smaregi.idBaseUrl, apiBaseUrl: config.smaregi.apiBaseUrl },
    clientId: config.smaregi.clientId,
    clientSecret: config.smaregi.clientSecret,
    appScopes: configured && configured.length > 0 ? configured : RENKEI_APP_SCOPES,
    ...(config.smaregi.appScopes === undefined ? {} : { appScopes: config.smaregi.appScopes }),
    tokenStore: new EncryptedTokenStore(orm, vault),
    rateLimits: {
      readsPerSecond: config.smaregi.readsPerSecond,
      writesPerSecond: config.smaregi.writesPerSecond,
    },
    contractRateLimits: config.smaregi.contractRateLimits,
    logger: logger.child({ component: 'smaregi-client' }),
    // The API only reads live lists while the merchant waits: fail fast (one retry, short waits)
    // and let the merchant try again; the worker keeps the client's patient defaults.
    requestTimeoutMs: 8000,
    retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
  });
  return {
    config,
    orm,
    logger,
    vault,
    smaregi,
    loginLimiter: createLoginLimiter(config, orm),
    passwords: scryptPasswords,
    metrics: createMetrics(),
    apiKeys: new ApiKeyAuthenticator(orm, createApiKeyRateLimiter(config, orm), () =>
      now().getTime(),
    ),
    now,
  };
}

/** Whether the API runs on PostgreSQL (limits are then shared by every API process). */
function onPostgres(orm: Orm): boolean {
  const url = orm.config.get('clientUrl');
  return typeof url === 'string' && /^postgres(ql)?:/i.test(url);
}

/** The per-key request budget: shared through PostgreSQL when the API runs on it, as the login limits. */
function createApiKeyRateLimiter(config: Config, orm: Orm): ApiKeyRateLimiter {
  const perSecond = config.apiKeyRatePerSecond;
  return onPostgres(orm)
    ? ApiKeyRateLimiter.postgres(forkEm(orm).getConnection().getKnex(), perSecond)
    : ApiKeyRateLimiter.memory(perSecond);
}

/**
 * The login limiter: counts shared through PostgreSQL when the API runs on it (several API
 * processes must not each allow their own attempts), in memory on SQLite (one process).
 */
function createLoginLimiter(config: Config, orm: Orm): LoginLimiter {
  const limits: LoginLimits = {
    emailMaxFailures: config.login.maxFailures,
    emailWindowSeconds: config.login.lockSeconds,
    addressMaxFailures: config.login.ipMaxFailures,
    addressWindowSeconds: config.login.ipWindowSeconds,
  };
  return onPostgres(orm)
    ? LoginLimiter.postgres(forkEm(orm).getConnection().getKnex(), limits)
    : LoginLimiter.memory(limits);
}
