import {
  forkEm,
  markReauthRequired,
  tenantRepositories,
  type SyncEventKind,
} from '@renkei/persistence';
import type { MessageRef } from '@renkei/domain';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from './active-tenants.js';

export interface ReauthCause {
  /** Why, as stored on the connection (`unauthorized`, `invalid_grant`, `app subscription ended`). */
  reason: string;
  /** Smaregi's words, when there were any. */
  lastError?: string;
  /** Destroy the stored tokens too (the grant is gone for good). */
  destroyTokens: boolean;
  /** What the merchant reads in the sync log; the destroyed token count is passed in. */
  event?: {
    kind: SyncEventKind;
    message: (destroyed: number) => MessageRef;
    detail?: Record<string, unknown>;
  };
}

/**
 * The one way the worker turns a connection to 要再認証: the status with its reason, optionally
 * the stored tokens destroyed and a line in the sync log, in one transaction; then the client
 * forgets the token so nothing calls Smaregi for the contract any more.
 */
export async function requireReauthorization(
  deps: WorkerDeps,
  tenant: ActiveTenant,
  cause: ReauthCause,
): Promise<void> {
  await forkEm(deps.orm).transactional(async (tx) => {
    await markReauthRequired(tx, tenant.tenantId, {
      reason: cause.reason,
      at: new Date(deps.clock.now()),
      contractId: tenant.contractId,
      ...(cause.lastError === undefined ? {} : { lastError: cause.lastError }),
    });
    const repos = tenantRepositories(tx, tenant.tenantId);
    const destroyed = cause.destroyTokens ? await repos.tokens.destroyAll() : 0;
    if (cause.event !== undefined) {
      repos.syncEvents.record({
        subjectType: 'connection',
        subjectId: null,
        kind: cause.event.kind,
        outcome: 'failure',
        message: cause.event.message(destroyed),
        ...(cause.event.detail === undefined ? {} : { detail: cause.event.detail }),
      });
    }
  });
  await deps.smaregi.forgetToken(tenant.contractId);
  deps.logger.warn(
    { tenantId: tenant.tenantId, contractId: tenant.contractId, reason: cause.reason },
    'smaregi connection needs re-authorisation: calls for it stopped',
  );
}
