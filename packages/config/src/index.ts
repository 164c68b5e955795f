/**
 * @renkei/config: the environment of Renkei's services. The only module that reads
 * `process.env`; the building blocks of each service's schema; the variables the API and the
 * worker share; the simulator's demo app.
 */
export { ConfigError, parseEnv, processEnv, type EnvSource } from './parse.js';
export {
  bool,
  commaSeparated,
  contractRateLimits,
  httpUrl,
  logLevel,
  milliseconds,
  nodeEnv,
  optional,
  perSecond,
  port,
  spaceSeparated,
  type ContractLimitFigures,
} from './fields.js';
export {
  DEMO_SIMULATOR,
  DEMO_SMAREGI_APP,
  resolveShared,
  sharedEnvShape,
  SMAREGI_ENVIRONMENT_NAMES,
  SMAREGI_RATE_LIMIT_DEFAULTS,
  type ResolveOptions,
  type SharedConfig,
  type SharedEnv,
  type SmaregiEnvironmentName,
  type SmaregiHosts,
} from './shared.js';
