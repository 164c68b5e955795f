import type { Localized, UiError } from '../../api/errors';
import type { trpc } from '../../api/trpc';

/*
 * The integration settings form (■スマレジ連携開始設定 + EC受注・在庫連携設定) as plain data, and
 * the decisions of its [設定を保存する], kept out of the components so that they are tested
 * without a browser. The rules themselves (what may be saved, when starting is allowed) are the
 * API's; this only shapes what the form sends and reads what the API answered.
 */

/** The settings as the API returns them (`settings.get`, `settings.update`). */
export type IntegrationSettings = Awaited<ReturnType<typeof trpc.settings.get.query>>;
/** What `settings.update` accepts (any subset). */
export type SettingsUpdate = Parameters<typeof trpc.settings.update.mutate>[0];

/** What the controls hold. Product codes are text fields: '' is "not set". */
export interface SettingsForm {
  /** The merchant's choice [連携を開始する] (true) / [連携を停止する] (false), saved with the rest. */
  integrationEnabled: boolean;
  syncEnclosures: boolean;
  adjustmentProductCode: string;
  dummyProductCode: string;
  shippingCsvUnallocated: IntegrationSettings['shippingCsvUnallocated'];
  stockBasis: IntegrationSettings['stockBasis'];
  effectiveStockMode: IntegrationSettings['effectiveStockMode'];
  allocationTriggerStatuses: string[];
  /** A cleared select leaves '' or undefined depending on the library: both mean "not set". */
  allocatedStatus: string | null | undefined;
  bulkShippingTriggerStatus: string | null | undefined;
  productSyncEnabled: boolean;
}

/** The settings fields of an update, without the integration switch. */
export type SettingsValues = Required<Omit<NonNullable<SettingsUpdate>, 'integrationEnabled'>>;

export function fromSettings(settings: IntegrationSettings): SettingsForm {
  return {
    integrationEnabled: settings.integrationEnabled,
    syncEnclosures: settings.syncEnclosures,
    adjustmentProductCode: settings.adjustmentProductCode ?? '',
    dummyProductCode: settings.dummyProductCode ?? '',
    shippingCsvUnallocated: settings.shippingCsvUnallocated,
    stockBasis: settings.stockBasis,
    effectiveStockMode: settings.effectiveStockMode,
    allocationTriggerStatuses: [...settings.allocationTriggerStatuses],
    allocatedStatus: settings.allocatedStatus,
    bulkShippingTriggerStatus: settings.bulkShippingTriggerStatus,
    productSyncEnabled: settings.productSyncEnabled,
  };
}

function code(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function status(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The settings the form holds, as the update sends them: every field of the EC settings (never
 * more: the API rejects unknown keys), an empty or blank code as null, a cleared select as null.
 * The integration switch is added by {@link planSave}, which knows whether it may be sent.
 */
export function toUpdate(form: SettingsForm): SettingsValues {
  return {
    syncEnclosures: form.syncEnclosures,
    adjustmentProductCode: code(form.adjustmentProductCode),
    dummyProductCode: code(form.dummyProductCode),
    shippingCsvUnallocated: form.shippingCsvUnallocated,
    stockBasis: form.stockBasis,
    effectiveStockMode: form.effectiveStockMode,
    allocationTriggerStatuses: [...new Set(form.allocationTriggerStatuses)],
    allocatedStatus: status(form.allocatedStatus),
    bulkShippingTriggerStatus: status(form.bulkShippingTriggerStatus),
    productSyncEnabled: form.productSyncEnabled,
  };
}

function sameValues(a: SettingsValues, b: SettingsValues): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** True when the EC settings of the form differ from the saved ones (the switch not counted). */
export function settingsChanged(saved: IntegrationSettings, form: SettingsForm): boolean {
  return !sameValues(toUpdate(fromSettings(saved)), toUpdate(form));
}

/** True when anything on the page is not saved yet (the switch included). */
export function hasUnsavedChanges(saved: IntegrationSettings, form: SettingsForm): boolean {
  return saved.integrationEnabled !== form.integrationEnabled || settingsChanged(saved, form);
}

/** What [設定を保存する] does. */
export type SavePlan =
  /** Send this update. */
  | { kind: 'save'; update: SettingsValues & { integrationEnabled: boolean } }
  /**
   * The integration runs, stays chosen on and settings changed: the API refuses changes while it
   * runs (configure while stopped, as the help page says), so ask whether to stop and save; the
   * update stops it in the same call.
   */
  | { kind: 'confirmStop'; update: SettingsValues & { integrationEnabled: false } }
  /** Running, nothing changed: nothing to send. */
  | { kind: 'nothing' };

export function planSave(saved: IntegrationSettings, form: SettingsForm): SavePlan {
  const values = toUpdate(form);
  if (!saved.integrationEnabled)
    return { kind: 'save', update: { ...values, integrationEnabled: form.integrationEnabled } };
  if (!form.integrationEnabled)
    return { kind: 'save', update: { ...values, integrationEnabled: false } };
  if (settingsChanged(saved, form))
    return { kind: 'confirmStop', update: { ...values, integrationEnabled: false } };
  return { kind: 'nothing' };
}

/** One unmet readiness item of a refused start. */
export interface RefusedItem {
  id: string;
  message: Localized;
}

function isLocalized(value: unknown): value is Localized {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Localized).ja === 'string' &&
    typeof (value as Localized).en === 'string'
  );
}

/**
 * The unmet readiness items when the API refused to start the integration
 * (PRECONDITION_FAILED with `details.readiness`), or null for any other error.
 */
export function refusedStart(error: UiError): RefusedItem[] | null {
  if (error.code !== 'PRECONDITION_FAILED') return null;
  const items = error.details?.readiness;
  if (!Array.isArray(items)) return null;
  return items.flatMap((item: unknown) => {
    const { id, message } = (item ?? {}) as { id?: unknown; message?: unknown };
    return typeof id === 'string' && isLocalized(message) ? [{ id, message }] : [];
  });
}

/** An unmet item as the page lists it: with where it is fixed and what exactly is wrong. */
export interface RefusalItem extends RefusedItem {
  /** `fixAt` of the readiness checklist (`settings.orderSync`, `shops` ...), null if unknown. */
  fixAt: string | null;
  /** Shop names, payment methods ... that fail the item. */
  details: string[];
}

/**
 * Adds where each refused item is fixed, from the full readiness list (`readiness.get`); an item
 * the list does not have (or a list that could not be read) is still shown, without a link.
 */
export function withFixes(
  refused: RefusedItem[],
  readiness: readonly { id: string; fixAt: string; details: string[] }[] | null,
): RefusalItem[] {
  return refused.map((item) => {
    const full = readiness?.find((r) => r.id === item.id);
    return { ...item, fixAt: full?.fixAt ?? null, details: full?.details ?? [] };
  });
}

/** True when the API refused a change because the integration is running. */
export function refusedWhileRunning(error: UiError): boolean {
  return error.code === 'PRECONDITION_FAILED' && error.details?.reason === 'integrationRunning';
}
