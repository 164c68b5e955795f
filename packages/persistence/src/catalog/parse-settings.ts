import { integrationSettingsSchema, type IntegrationSettings } from '@renkei/domain';
import type { IntegrationSettings as SettingsRow } from './integration-settings.entity.js';

/**
 * A tenant's settings row as the domain's settings: the document and the switch column, parsed
 * by the domain's schema (defaults for missing keys; a tenant without a row has the defaults and
 * the integration off).
 */
export function parseSettings(row: SettingsRow | null): IntegrationSettings {
  return integrationSettingsSchema.parse({
    ...(row?.values ?? {}),
    integrationEnabled: row?.integrationEnabled ?? false,
  });
}
