import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { idColumn } from '../ids.js';
import { dateTimeColumn } from '../columns.js';
import { Tenant } from '../tenancy/tenant.entity.js';

/**
 * The tenant's integration settings (docs/flows.md "Settings"). The switch is its own column (the
 * worker filters on it); the other settings are one JSON document validated by the domain's
 * settings schema on every write and read, so the rules about them live in one place
 * (packages/domain).
 */
export class IntegrationSettings {
  [OptionalProps]?: 'integrationEnabled' | 'updatedAt' | 'version';
  id!: string;
  tenant!: Tenant;
  integrationEnabled = false;
  values!: Record<string, unknown>;
  version = 1;
  updatedAt: Date = new Date();
}

export const IntegrationSettingsSchema = new EntitySchema<IntegrationSettings>({
  class: IntegrationSettings,
  tableName: 'integration_settings',
  properties: {
    id: { ...idColumn },
    tenant: {
      kind: '1:1',
      entity: () => Tenant,
      owner: true,
      deleteRule: 'cascade',
      unique: 'integration_settings_tenant_unique',
    },
    integrationEnabled: { type: 'boolean', default: false },
    values: { type: 'json' },
    version: { type: 'integer', version: true },
    updatedAt: { ...dateTimeColumn, onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
