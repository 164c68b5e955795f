import type { Em } from '../config.js';
import { SmaregiConnection } from './smaregi-connection.entity.js';

/**
 * The one transition to 要再認証 (`reauthRequired`): Smaregi refused the app token, the app
 * subscription ended, or token upkeep was refused. From then on the worker runs nothing for the
 * tenant until the merchant authorises again. Returns the number of connections changed.
 */
export async function markReauthRequired(
  em: Em,
  tenantId: string,
  change: { reason: string; lastError?: string | null; at: Date; contractId?: string },
): Promise<number> {
  return em.nativeUpdate(
    SmaregiConnection,
    {
      tenant: tenantId,
      ...(change.contractId === undefined ? {} : { contractId: change.contractId }),
    },
    {
      status: 'reauthRequired',
      statusReason: change.reason,
      statusChangedAt: change.at,
      ...(change.lastError === undefined ? {} : { lastError: change.lastError }),
    },
  );
}
