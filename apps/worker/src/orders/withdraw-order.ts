import {
  forkEm,
  lastSyncErrorColumns,
  syncReasonColumns,
  tenantRepositories,
  type LedgerClaim,
  type LedgerEntry,
  type OperationLedger,
} from '@renkei/persistence';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';

/*
 * Withdrawing an order that never reached Smaregi: the merchant cancelled it in the OMS while it
 * was waiting, queued or refused (docs/flows.md §5). Used by the cancel (cancel-order.ts) and by
 * the registration itself when it meets a cancelled order (registration-plan.ts,
 * register-order.ts), so that whichever runs first, the order is never sent.
 */

/**
 * An earlier registration attempt may have reached Smaregi (in flight, outcome unknown, or
 * recorded as registered): it must be resolved before the order can be called unsent.
 */
export function registrationUnresolved(entry: LedgerEntry): boolean {
  return entry.mustResolve || entry.verdict === 'busy' || entry.verdict === 'succeeded';
}

/**
 * Withdraws the order whose registration row is `entry`: the row is claimed — so a registration
 * that read the order before it was cancelled can no longer claim it — and failed with the
 * order's sync state canceled. `later` when the row is unresolved or another process changed it.
 */
export async function withdrawUnsent(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
  entry: LedgerEntry,
): Promise<'withdrawn' | 'later'> {
  if (registrationUnresolved(entry)) return 'later';
  const claim = await ledger.claim(entry);
  if (claim === null) return 'later';
  await commitWithdrawn(deps, ledger, tenant, orderId, claim);
  return 'withdrawn';
}

/** The registration row held as `claim` (nothing of it is in Smaregi) ends with the order withdrawn. */
export async function commitWithdrawn(
  deps: WorkerDeps,
  ledger: OperationLedger,
  tenant: ActiveTenant,
  orderId: string,
  claim: LedgerClaim,
): Promise<void> {
  await forkEm(deps.orm).transactional(async (tx) => {
    await ledger.fail(tx, claim, 'cancelled in the OMS before it was sent');
    const repos = tenantRepositories(tx, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return;
    order.syncState = 'canceled';
    Object.assign(order, syncReasonColumns(null), lastSyncErrorColumns(null));
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: orderId,
      kind: 'order.withdrawn',
      outcome: 'info',
      message: {
        code: 'orderWithdrawn',
        params: { orderNumber: order.orderNumber, status: order.status.name },
      },
      operationId: claim.id,
    });
  });
}

/** Whether the order is in a cancel status of the OMS now (re-read: it may have just changed). */
export async function cancelledInOms(
  deps: WorkerDeps,
  tenant: ActiveTenant,
  orderId: string,
): Promise<boolean> {
  const repos = tenantRepositories(forkEm(deps.orm), tenant.tenantId);
  const order = await repos.orders.findOne({ id: orderId, status: { category: 'cancelled' } });
  return order !== null;
}
