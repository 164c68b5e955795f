import {
  createSmaregiClient,
  MemoryBudgetStore,
  RENKEI_APP_SCOPES,
  type BudgetObserver,
  type BudgetStore,
  type Clock,
  type ContractRateLimits,
  type FetchLike,
  type SmaregiClient,
  type SmaregiLogger,
  type TokenStore,
} from '@renkei/smaregi-client';
import { gateTransport } from './send-gate.js';

export interface WorkerClientOptions {
  idBaseUrl: string;
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  readsPerSecond: number;
  writesPerSecond: number;
  /** Contracts with limits of their own (SMAREGI_CONTRACT_RATE_LIMITS), by contract ID. */
  contractRateLimits?: ContractRateLimits;
  requestTimeoutMs: number;
  /**
   * Scopes of the app-token request (SMAREGI_APP_SCOPES); default the scopes of every operation
   * Renkei uses (docs/smaregi-wire.md §2.1).
   */
  appScopes?: readonly string[] | undefined;
  /** Shared through PostgreSQL when several workers call for the same contracts. */
  budgetStore?: BudgetStore;
  /** Told of dropped permits (main.ts counts them on /metrics). */
  budgetObserver?: BudgetObserver;
  tokenStore?: TokenStore;
  clock?: Clock;
  logger?: SmaregiLogger;
  /** Transport (default global fetch; tests wrap it to inject timeouts). */
  fetch?: FetchLike;
}

/**
 * The worker's Smaregi client: the contract's rate budget (in memory with one process, in
 * PostgreSQL with several), the app token per contract, the request timeout that the in-flight
 * lease must outlast.
 */
export function createWorkerClient(options: WorkerClientOptions): SmaregiClient {
  return createSmaregiClient({
    environment: { idBaseUrl: options.idBaseUrl, apiBaseUrl: options.apiBaseUrl },
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    rateLimits: {
      readsPerSecond: options.readsPerSecond,
      writesPerSecond: options.writesPerSecond,
    },
    ...(options.contractRateLimits ? { contractRateLimits: options.contractRateLimits } : {}),
    requestTimeoutMs: options.requestTimeoutMs,
    appScopes:
      options.appScopes && options.appScopes.length > 0 ? options.appScopes : RENKEI_APP_SCOPES,
    budgetStore: options.budgetStore ?? new MemoryBudgetStore(),
    ...(options.budgetObserver ? { budgetObserver: options.budgetObserver } : {}),
    ...(options.tokenStore ? { tokenStore: options.tokenStore } : {}),
    // The shared store costs two queries a read; a token is reread at most every 10 s (a token
    // another process replaced meanwhile is refused once, dropped and read again).
    tokenMemoMs: 10_000,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    // Writes started through gatedWrite() are held back here once the worker is stopping.
    fetch: gateTransport(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
    userAgent: 'renkei-worker',
  });
}
