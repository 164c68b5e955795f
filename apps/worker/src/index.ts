/**
 * @renkei/worker: the sync engine between the OMS and Smaregi. The process entry point is
 * `src/main.ts`; these exports serve tests and the benchmark.
 */
export { loadConfig, ConfigError, type WorkerConfig } from './env.js';
export {
  DEFAULT_ENGINE_SETTINGS,
  type EngineSettings,
  type OperationHooks,
  type WorkerDeps,
} from './deps.js';
export { Worker, DEFAULT_INTERVALS, type WorkerIntervals } from './worker.js';
export { OrderRegistrar, registerOrderKey, type RegisterResult } from './orders/register-order.js';
export { createWorkerClient } from './smaregi/client.js';
export { WorkerMetrics } from './metrics.js';
export { createLogger } from './logger.js';
