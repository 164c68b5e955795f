import { IntegrationSettings, SmaregiConnection, type Em } from '@renkei/persistence';

/** A tenant the worker may call Smaregi for. */
export interface ActiveTenant {
  tenantId: string;
  contractId: string;
}

/**
 * Tenants whose integration is switched on AND whose Smaregi connection is 有効化済み with a
 * contract (docs/flows.md "Settings"): nothing runs for anyone else, in particular not for a
 * connection that needs re-authorisation. This is the worker's only cross-tenant query; everything
 * after it goes through tenant-scoped repositories.
 */
export async function activeTenants(em: Em): Promise<ActiveTenant[]> {
  const enabled = await em.find(
    IntegrationSettings,
    { integrationEnabled: true },
    { fields: ['tenant'] },
  );
  if (enabled.length === 0) return [];
  const connections = await em.find(SmaregiConnection, {
    tenant: { $in: enabled.map((s) => s.tenant.id) },
    status: 'active',
    contractId: { $ne: null },
  });
  return connections
    .map((c) => ({ tenantId: c.tenant.id, contractId: c.contractId ?? '' }))
    .sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1));
}

/** Tenants connected to Smaregi (whatever the switch): token upkeep and subscription notices. */
export async function connectedTenants(em: Em): Promise<ActiveTenant[]> {
  const connections = await em.find(SmaregiConnection, {
    status: 'active',
    contractId: { $ne: null },
  });
  return connections.map((c) => ({ tenantId: c.tenant.id, contractId: c.contractId ?? '' }));
}
