import { WorkerQueries, type Em } from '@renkei/persistence';
import { isSmaregiApiError } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { smaregiReason } from '../smaregi/outcome.js';
import { requireReauthorization } from './reauth.js';

/**
 * Token upkeep: for every connected contract, ask Smaregi for an app token (client credentials;
 * not counted against the API budgets). A refusal (`invalid_client`, `unauthorized_client`,
 * `invalid_grant`: the app was uninstalled or its grant withdrawn) turns the connection to
 * 要再認証 with the reason and destroys the stored tokens, so nothing keeps calling with a dead
 * grant and the merchant sees red instead of "connected but failing". Network trouble changes
 * nothing (next round).
 */
export class TokenUpkeep {
  constructor(private readonly deps: WorkerDeps) {}

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    for (const tenant of await new WorkerQueries(em).connectedTenants()) {
      if (stopRequested(this.deps, signal)) break;
      try {
        await this.deps.smaregi.auth.requestAppToken(tenant.contractId);
      } catch (error) {
        if (
          !isSmaregiApiError(error) ||
          (error.kind !== 'unauthorized' && error.kind !== 'forbidden_scope')
        ) {
          this.deps.logger.warn(
            { tenantId: tenant.tenantId, err: smaregiReason(error) },
            'token upkeep: Smaregi not reachable; will try again',
          );
          continue;
        }
        const reason = error.oauthError ?? error.kind;
        await requireReauthorization(this.deps, tenant, {
          reason,
          lastError: smaregiReason(error),
          destroyTokens: true,
          event: {
            kind: 'connection.reauthRequired',
            message: () => ({ code: 'connectionTokenRefused', params: { reason } }),
          },
        });
      }
    }
    return false;
  }
}
