import { WorkerQueries, type ActiveTenant, type Em } from '@renkei/persistence';

export type { ActiveTenant } from '@renkei/persistence';

/**
 * Tenants the worker may call Smaregi for: integration switched on and the connection 有効化済み
 * (`WorkerQueries.activeTenants`, the worker's cross-tenant queries in one place).
 */
export function activeTenants(em: Em): Promise<ActiveTenant[]> {
  return new WorkerQueries(em).activeTenants();
}

/** The tenant when it is active (see {@link activeTenants}), else null. */
export function activeTenant(em: Em, tenantId: string): Promise<ActiveTenant | null> {
  return new WorkerQueries(em).activeTenant(tenantId);
}
