import { z } from 'zod';
import { normalizeCode } from './codes.js';
import {
  fieldError,
  fieldErrorsOf,
  issueMessage,
  type FieldError,
  type FieldLabel,
} from './field-errors.js';
import { PRINTABLE_ASCII, SMAREGI_PRODUCT_CODE_MAX_LENGTH } from './limits.js';

/*
 * Integration settings (docs/flows.md "Settings"), in the merchant's words:
 *
 * | setting | 画面の名前 | default |
 * |---|---|---|
 * | integrationEnabled | 連携を開始する / 連携を停止する | false (stopped until the readiness list passes) |
 * | syncEnclosures | 封入物商品連携 | false |
 * | adjustmentProductCode | 調整額用商品番号 | null (not set) |
 * | dummyProductCode | ダミー商品番号 | null (not set) |
 * | shippingCsvUnallocated | 送り状・出荷CSV出力制御 | 'exclude' (never print a label for goods not reserved) |
 * | stockBasis | 在庫数合算設定 | 'orderStoreWarehouse' |
 * | effectiveStockMode | 有効在庫数計算設定 | 'smaregiAllocation' (recommended) |
 * | allocationTriggerStatuses | 在庫引当自動照会: 照会するステータス | [] |
 * | allocatedStatus | 在庫引当自動照会: 引当済みにするステータス | null |
 * | bulkShippingTriggerStatus | 受注一括出荷連携: 出荷するステータス | null |
 * | productSyncEnabled | 商品連携設定 | false |
 *
 * Status references are OMS order-status IDs (strings). Product codes are normalised with
 * `normalizeCode` (a full-width code typed in the form is stored in ASCII) and must be Smaregi
 * product codes (1..20 printable ASCII); an empty field means "not set" (null).
 */

/** 送り状・出荷CSV出力制御: include or exclude orders whose stock is not (fully) allocated. */
export const shippingCsvUnallocatedValues = ['include', 'exclude'] as const;
/** 在庫数合算設定. */
export const stockBasisValues = ['orderStoreWarehouse', 'allStores'] as const;
/** 有効在庫数計算設定. */
export const effectiveStockModeValues = ['smaregiAllocation', 'omsPurchase'] as const;

export type ShippingCsvUnallocated = (typeof shippingCsvUnallocatedValues)[number];
export type StockBasis = (typeof stockBasisValues)[number];
export type EffectiveStockMode = (typeof effectiveStockModeValues)[number];

const labels = {
  integrationEnabled: { ja: '連携状態', en: 'Integration switch', key: 'integrationEnabled' },
  syncEnclosures: { ja: '封入物商品連携', en: 'Enclosure sync', key: 'syncEnclosures' },
  adjustmentProductCode: {
    ja: '調整額用商品番号',
    en: 'Adjustment product code',
    key: 'adjustmentProductCode',
  },
  dummyProductCode: { ja: 'ダミー商品番号', en: 'Dummy product code', key: 'dummyProductCode' },
  shippingCsvUnallocated: {
    ja: '送り状・出荷CSV出力制御',
    en: 'Shipping CSV for unallocated orders',
    key: 'shippingCsvUnallocated',
  },
  stockBasis: { ja: '在庫数合算設定', en: 'Stock basis', key: 'stockBasis' },
  effectiveStockMode: {
    ja: '有効在庫数計算設定',
    en: 'Effective stock mode',
    key: 'effectiveStockMode',
  },
  allocationTriggerStatuses: {
    ja: '在庫引当を照会するステータス',
    en: 'Allocation trigger statuses',
    key: 'allocationTriggerStatuses',
  },
  allocatedStatus: {
    ja: '引当済みにするステータス',
    en: 'Allocated status',
    key: 'allocatedStatus',
  },
  bulkShippingTriggerStatus: {
    ja: '一括出荷するステータス',
    en: 'Bulk shipping trigger status',
    key: 'bulkShippingTriggerStatus',
  },
  productSyncEnabled: { ja: '商品連携設定', en: 'Product sync', key: 'productSyncEnabled' },
} satisfies Record<string, FieldLabel>;

/** A merchant-entered product code setting: normalised; '' or null = not set. */
function productCodeSetting(label: FieldLabel) {
  const e = fieldError(label);
  return z
    .string({ error: e })
    .nullable()
    .transform((v) => (v === null ? null : normalizeCode(v) || null))
    .pipe(
      z
        .string({ error: e })
        .max(SMAREGI_PRODUCT_CODE_MAX_LENGTH, { error: e })
        .regex(PRINTABLE_ASCII, { error: e })
        .nullable(),
    );
}

/** An OMS order-status ID (受注ステータスID). */
export function statusIdSchema(label: FieldLabel) {
  const e = fieldError(label);
  return z.string({ error: e }).trim().min(1, { error: e }).max(64, { error: e });
}

function enumOf<T extends readonly [string, ...string[]]>(values: T, label: FieldLabel) {
  return z.enum(values, { error: fieldError(label) });
}

function flag(label: FieldLabel) {
  return z.boolean({ error: fieldError(label) });
}

/** The settings fields without defaults: the shape of an update. */
const settingsShape = {
  integrationEnabled: flag(labels.integrationEnabled),
  syncEnclosures: flag(labels.syncEnclosures),
  adjustmentProductCode: productCodeSetting(labels.adjustmentProductCode),
  dummyProductCode: productCodeSetting(labels.dummyProductCode),
  shippingCsvUnallocated: enumOf(shippingCsvUnallocatedValues, labels.shippingCsvUnallocated),
  stockBasis: enumOf(stockBasisValues, labels.stockBasis),
  effectiveStockMode: enumOf(effectiveStockModeValues, labels.effectiveStockMode),
  allocationTriggerStatuses: z
    .array(statusIdSchema(labels.allocationTriggerStatuses), {
      error: fieldError(labels.allocationTriggerStatuses),
    })
    .max(50, { error: fieldError(labels.allocationTriggerStatuses) }),
  allocatedStatus: statusIdSchema(labels.allocatedStatus).nullable(),
  bulkShippingTriggerStatus: statusIdSchema(labels.bulkShippingTriggerStatus).nullable(),
  productSyncEnabled: flag(labels.productSyncEnabled),
};

/** The settings every new tenant starts with (integration stopped, nothing mapped). */
export const defaultIntegrationSettings = Object.freeze({
  integrationEnabled: false,
  syncEnclosures: false,
  adjustmentProductCode: null,
  dummyProductCode: null,
  shippingCsvUnallocated: 'exclude',
  stockBasis: 'orderStoreWarehouse',
  effectiveStockMode: 'smaregiAllocation',
  allocationTriggerStatuses: [] as readonly string[],
  allocatedStatus: null,
  bulkShippingTriggerStatus: null,
  productSyncEnabled: false,
} as const);

/**
 * Cross-field rule: the allocated status must not itself be a trigger status, otherwise moving an
 * allocated order would ask Smaregi to allocate it again, for ever.
 */
function checkStatusLoop(
  s: { allocationTriggerStatuses: readonly string[]; allocatedStatus: string | null },
  ctx: z.core.$RefinementCtx,
): void {
  if (s.allocatedStatus !== null && s.allocationTriggerStatuses.includes(s.allocatedStatus)) {
    ctx.addIssue({
      code: 'custom',
      path: ['allocatedStatus'],
      input: s.allocatedStatus,
      message: issueMessage({ code: 'allocatedStatusIsTrigger', params: {} }),
    });
  }
}

/**
 * Every integration setting with its default: parse stored settings with it (missing keys get
 * defaults, unknown keys are dropped so that old rows still load).
 */
export const integrationSettingsSchema = z
  .object({
    integrationEnabled: settingsShape.integrationEnabled.default(
      defaultIntegrationSettings.integrationEnabled,
    ),
    syncEnclosures: settingsShape.syncEnclosures.default(defaultIntegrationSettings.syncEnclosures),
    adjustmentProductCode: settingsShape.adjustmentProductCode.default(null),
    dummyProductCode: settingsShape.dummyProductCode.default(null),
    shippingCsvUnallocated: settingsShape.shippingCsvUnallocated.default(
      defaultIntegrationSettings.shippingCsvUnallocated,
    ),
    stockBasis: settingsShape.stockBasis.default(defaultIntegrationSettings.stockBasis),
    effectiveStockMode: settingsShape.effectiveStockMode.default(
      defaultIntegrationSettings.effectiveStockMode,
    ),
    allocationTriggerStatuses: settingsShape.allocationTriggerStatuses.default(() => []),
    allocatedStatus: settingsShape.allocatedStatus.default(null),
    bulkShippingTriggerStatus: settingsShape.bulkShippingTriggerStatus.default(null),
    productSyncEnabled: settingsShape.productSyncEnabled.default(
      defaultIntegrationSettings.productSyncEnabled,
    ),
  })
  .superRefine(checkStatusLoop);

/** Integration settings after parsing (every field present). */
export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;

/**
 * Input of the "save settings" form / tRPC mutation: any subset of the settings, unknown keys
 * rejected (a typo must not be silently ignored). Apply it with {@link applySettingsUpdate}, which
 * also checks the cross-field rules against the merged result.
 */
export const integrationSettingsUpdateInputSchema = z.strictObject(
  {
    integrationEnabled: settingsShape.integrationEnabled.optional(),
    syncEnclosures: settingsShape.syncEnclosures.optional(),
    adjustmentProductCode: settingsShape.adjustmentProductCode.optional(),
    dummyProductCode: settingsShape.dummyProductCode.optional(),
    shippingCsvUnallocated: settingsShape.shippingCsvUnallocated.optional(),
    stockBasis: settingsShape.stockBasis.optional(),
    effectiveStockMode: settingsShape.effectiveStockMode.optional(),
    allocationTriggerStatuses: settingsShape.allocationTriggerStatuses.optional(),
    allocatedStatus: settingsShape.allocatedStatus.optional(),
    bulkShippingTriggerStatus: settingsShape.bulkShippingTriggerStatus.optional(),
    productSyncEnabled: settingsShape.productSyncEnabled.optional(),
  },
  { error: fieldError({ ja: '連携設定', en: 'Integration settings', key: 'settings' }) },
);

export type IntegrationSettingsUpdateInput = z.input<typeof integrationSettingsUpdateInputSchema>;

/** Result of {@link applySettingsUpdate}. */
export type SettingsUpdateResult =
  { ok: true; settings: IntegrationSettings } | { ok: false; errors: FieldError[] };

/**
 * Applies a settings update (as received from a form) to the current settings and validates the
 * merged result, cross-field rules included. Never throws.
 */
export function applySettingsUpdate(
  current: IntegrationSettings,
  update: unknown,
): SettingsUpdateResult {
  const parsedUpdate = integrationSettingsUpdateInputSchema.safeParse(update);
  if (!parsedUpdate.success) return { ok: false, errors: fieldErrorsOf(parsedUpdate.error) };
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(parsedUpdate.data))
    if (value !== undefined) merged[key] = value;
  const parsed = integrationSettingsSchema.safeParse(merged);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  return { ok: true, settings: parsed.data };
}
