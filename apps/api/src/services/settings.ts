import {
  applySettingsUpdate,
  integrationSettingsSchema,
  type IntegrationSettings,
} from '@renkei/domain';
import type { IntegrationSettings as SettingsRow } from '@renkei/persistence';
import { AppError, fieldError, invalid } from '../errors.js';
import { audit, type TenantScope } from './scope.js';

/** The readiness evaluation the settings need before switching the integration on. */
export interface ReadinessGate {
  /** Items that fail and block the start (empty = may start). */
  blockingFailures(
    scope: TenantScope,
  ): Promise<{ id: string; message: { ja: string; en: string } }[]>;
}

async function row(scope: TenantScope): Promise<SettingsRow> {
  const existing = await scope.repos.settings.get();
  if (existing !== null) return existing;
  return scope.repos.settings.create({ values: {}, integrationEnabled: false });
}

/** Parses the stored settings with the domain schema (defaults for missing keys). */
export function parseSettings(stored: SettingsRow): IntegrationSettings {
  return integrationSettingsSchema.parse({
    ...stored.values,
    integrationEnabled: stored.integrationEnabled,
  });
}

export async function getSettings(scope: TenantScope): Promise<IntegrationSettings> {
  return parseSettings(await row(scope));
}

/** Every status ID the settings refer to. */
export function statusIdsIn(settings: IntegrationSettings): string[] {
  return [
    ...settings.allocationTriggerStatuses,
    settings.allocatedStatus,
    settings.bulkShippingTriggerStatus,
  ].filter((s): s is string => s !== null);
}

/**
 * Saves a settings change (any subset, validated and merged by the domain), checks that every
 * status named exists for this tenant, and refuses to switch the integration on while a blocking
 * readiness item fails (the error lists them). Audited with before and after.
 */
export async function updateSettings(
  scope: TenantScope,
  update: unknown,
  gate: ReadinessGate,
): Promise<IntegrationSettings> {
  const stored = await row(scope);
  const current = parseSettings(stored);
  const result = applySettingsUpdate(current, update);
  if (!result.ok) throw invalid(result.errors);
  const next = result.settings;

  const statuses = new Set((await scope.repos.orderStatuses.list()).map((s) => s.id));
  const errors = [];
  for (const [key, ids] of [
    ['allocationTriggerStatuses', next.allocationTriggerStatuses],
    ['allocatedStatus', next.allocatedStatus === null ? [] : [next.allocatedStatus]],
    [
      'bulkShippingTriggerStatus',
      next.bulkShippingTriggerStatus === null ? [] : [next.bulkShippingTriggerStatus],
    ],
  ] as const) {
    for (const id of ids) {
      if (!statuses.has(id))
        errors.push(
          fieldError(
            key,
            `受注ステータス(ID: ${id})がありません`,
            `${key}: order status ${id} does not exist`,
          ),
        );
    }
  }
  if (errors.length > 0) throw invalid(errors);

  if (next.integrationEnabled && !current.integrationEnabled) {
    // Judge readiness with the new settings in place (e.g. a dummy code entered in the same save).
    const { integrationEnabled: _ignored, ...values } = next;
    stored.values = values;
    const failures = await gate.blockingFailures(scope);
    if (failures.length > 0) {
      scope.em.clear();
      throw new AppError(
        'PRECONDITION_FAILED',
        {
          ja: `連携を開始できません。未完了の準備項目があります: ${failures.map((f) => f.message.ja).join(' / ')}`,
          en: `The integration cannot start; readiness items fail: ${failures.map((f) => f.message.en).join(' / ')}`,
        },
        [],
        { readiness: failures },
      );
    }
  }
  const { integrationEnabled, ...values } = next;
  stored.values = values;
  stored.integrationEnabled = integrationEnabled;
  audit(scope, 'settings.update', 'settings', stored.id, current, next);
  await scope.em.flush();
  return next;
}
