import { renderMessageBoth, type LocalizedMessage } from '@renkei/domain';
import {
  ORDER_SYNC_STATES,
  syncEventMessage,
  type OrderSyncState,
  type SyncEvent,
} from '@renkei/persistence';
import type { TenantScope } from './scope.js';

/** The sync event the worker records after each stock reconciliation pass of a tenant. */
export const STOCK_RECONCILED_KIND = 'stock.reconciled';

export type OrderCounts = Record<OrderSyncState, number> & {
  /** Waiting orders held for a reason the merchant must fix (a subset of `waiting`). */
  held: number;
};

export interface DashboardSummary {
  orders: OrderCounts;
  lastReconciliation: {
    at: string;
    outcome: 'success' | 'warning' | 'failure';
    message: LocalizedMessage;
  } | null;
  lastError: {
    at: string;
    subjectType: string;
    subjectId: string | null;
    kind: string;
    message: LocalizedMessage;
  } | null;
  lastOrderSyncedAt: string | null;
}

/** Orders per sync state (and the held ones) with one GROUP BY over the tenant's orders. */
async function orderCounts(scope: TenantScope): Promise<OrderCounts> {
  const rows = await scope.em
    .getConnection()
    .execute<{ sync_state: string; n: number | string; held: number | string | null }[]>(
      `select sync_state, count(*) as n,
              sum(case when sync_reason_code is not null then 1 else 0 end) as held
         from orders where tenant_id = ? group by sync_state`,
      [scope.tenantId],
    );
  const counts: OrderCounts = {
    waiting: 0,
    pending: 0,
    registered: 0,
    failed: 0,
    needsCheck: 0,
    canceled: 0,
    held: 0,
  };
  for (const row of rows) {
    // PostgreSQL answers count/sum as bigint strings, SQLite as numbers.
    if ((ORDER_SYNC_STATES as readonly string[]).includes(row.sync_state))
      counts[row.sync_state as OrderSyncState] = Number(row.n);
    if (row.sync_state === 'waiting') counts.held = Number(row.held ?? 0);
  }
  return counts;
}

async function latestEvent(
  scope: TenantScope,
  where: Parameters<TenantScope['repos']['syncEvents']['find']>[0],
): Promise<SyncEvent | null> {
  const [event] = await scope.repos.syncEvents.find(where, {
    orderBy: { at: 'desc', id: 'desc' },
    limit: 1,
  });
  return event ?? null;
}

/**
 * The dashboard's sync health: orders per sync state (waiting / held / failed ... link into the
 * order list), the last stock reconciliation the worker finished, the last failure of the sync
 * log and when an order last reached Smaregi.
 */
export async function dashboardSummary(scope: TenantScope): Promise<DashboardSummary> {
  const [orders, reconciled, failure, synced] = await Promise.all([
    orderCounts(scope),
    latestEvent(scope, { subjectType: 'stock', kind: STOCK_RECONCILED_KIND }),
    latestEvent(scope, { outcome: 'failure' }),
    scope.repos.orders.find(
      { lastSyncedAt: { $ne: null } },
      { orderBy: { lastSyncedAt: 'desc' }, limit: 1 },
    ),
  ]);
  return {
    orders,
    lastReconciliation:
      reconciled === null
        ? null
        : {
            at: reconciled.at.toISOString(),
            // The worker records success or warning (drift found); 'info' would mean success.
            outcome: reconciled.outcome === 'info' ? 'success' : reconciled.outcome,
            message: renderMessageBoth(syncEventMessage(reconciled)),
          },
    lastError:
      failure === null
        ? null
        : {
            at: failure.at.toISOString(),
            subjectType: failure.subjectType,
            subjectId: failure.subjectId ?? null,
            kind: failure.kind,
            message: renderMessageBoth(syncEventMessage(failure)),
          },
    lastOrderSyncedAt: synced[0]?.lastSyncedAt?.toISOString() ?? null,
  };
}
