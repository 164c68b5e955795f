import { forkEm, SmaregiConnection, tenantRepositories, type Em } from '@renkei/persistence';
import { isSmaregiApiError } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { smaregiReason } from '../smaregi/outcome.js';
import { connectedTenants } from './active-tenants.js';

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
    for (const tenant of await connectedTenants(em)) {
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
        const tx = forkEm(this.deps.orm);
        await tx.transactional(async (t) => {
          await t.nativeUpdate(
            SmaregiConnection,
            { tenant: tenant.tenantId },
            {
              status: 'reauthRequired',
              statusReason: reason,
              statusChangedAt: new Date(this.deps.clock.now()),
              lastError: smaregiReason(error),
            },
          );
          const repos = tenantRepositories(t, tenant.tenantId);
          await repos.tokens.destroyAll();
          repos.syncEvents.record({
            subjectType: 'connection',
            kind: 'connection.reauthRequired',
            outcome: 'failure',
            message: `スマレジがアプリのトークン発行を拒否しました(${reason})。[認証]からやり直してください / Smaregi refused the app token (${reason}); please authorise again`,
          });
        });
        await this.deps.smaregi.forgetToken(tenant.contractId);
      }
    }
    return false;
  }
}
