import { hostname } from 'node:os';
import { OperationLedger, type LedgerClaim } from '@renkei/persistence';
import { backoffDelayMs } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { requireReauthorization } from '../tenants/reauth.js';
import type { WriteFailure } from './outcome.js';

/**
 * The wait before attempt `attempts + 1` of work that failed for a passing reason (an unknown
 * outcome, a 429 that outlasted the client's waits, a failed re-read): the client's one backoff
 * (full jitter) with the engine's base and ceiling.
 */
export function retryDelayMs(
  deps: Pick<WorkerDeps, 'settings' | 'random'>,
  attempts: number,
): number {
  const { retryBaseMs, retryMaxMs } = deps.settings;
  return backoffDelayMs(attempts, retryBaseMs, retryMaxMs, deps.random ?? Math.random);
}

/**
 * The operation ledger as the worker uses it: every Smaregi write is claimed, resolved, released,
 * failed or succeeded through it (docs/reliability.md item 1), with the engine's lease and
 * backoff, and each transition counted on /metrics.
 */
export function createLedger(deps: WorkerDeps): OperationLedger {
  return new OperationLedger(deps.orm, {
    clock: deps.clock,
    leaseMs: deps.settings.leaseMs,
    backoffMs: (attempts) => retryDelayMs(deps, attempts),
    holder: `${hostname()}:${process.pid}`,
    onTransition: (kind, result) => {
      // Claims are counted as in-flight work elsewhere; the rest are outcomes.
      if (result !== 'claimed') deps.metrics.operations.inc({ kind, result });
    },
  });
}

/**
 * A failed write that is not a refusal, given back for later through the ledger: `unknown`
 * (read first), `noEffect` (after Smaregi's wait or the backoff), `reauth` (and the connection
 * turns 要再認証, so nothing is sent for it until the merchant authorises again).
 */
export async function releaseAfterFailure(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  claim: LedgerClaim,
  failure: Extract<WriteFailure, { kind: 'unknown' | 'noEffect' | 'reauth' }>,
): Promise<void> {
  switch (failure.kind) {
    case 'unknown':
      return ledger.release(claim, 'unknown', failure.message);
    case 'noEffect':
      return ledger.release(claim, 'pending', failure.message, failure.retryAfterMs);
    case 'reauth':
      await ledger.release(claim, 'pending', failure.message);
      return requireReauthorization(deps, tenant, {
        reason: 'unauthorized',
        lastError: failure.message,
        destroyTokens: false,
      });
  }
}
