import type { Orm } from '@renkei/persistence';
import type { SmaregiClient } from '@renkei/smaregi-client';
import type { LoginLimiter } from './auth/login-limiter.js';
import type { PasswordChecker } from './auth/password.js';
import type { Config } from './env.js';
import type { Logger } from './logger.js';
import type { Metrics } from './http/metrics.js';
import type { ApiKeyAuthenticator } from './http/api-key-auth.js';
import type { TokenVault } from '@renkei/persistence';

/** Everything a request handler needs, built once at start-up (or by a test). */
export interface AppDeps {
  config: Config;
  orm: Orm;
  logger: Logger;
  vault: TokenVault;
  smaregi: SmaregiClient;
  loginLimiter: LoginLimiter;
  /** Password verification (scrypt); tests wrap it to observe the checks. */
  passwords: PasswordChecker;
  metrics: Metrics;
  /** The intake's API key lookup, shared so that revoking a key through the admin takes effect. */
  apiKeys: ApiKeyAuthenticator;
  /** The clock (tests pass a fixed one). */
  now: () => Date;
}
