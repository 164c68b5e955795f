import { applySettingsUpdate, type IntegrationSettings } from '@renkei/domain';
import type { FieldError } from '@renkei/domain';
import { parseSettings, type IntegrationSettings as SettingsRow } from '@renkei/persistence';
import { AppError, fieldError, invalid } from '../errors.js';
import { live } from '../smaregi/live.js';
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

/** The product-code settings that must name a product Smaregi has. */
const PRODUCT_CODE_SETTINGS = [
  { key: 'adjustmentProductCode', ja: '調整額用商品番号', en: 'adjustment product code' },
  { key: 'dummyProductCode', ja: 'ダミー商品番号', en: 'dummy product code' },
] as const;

/** Settings other than the switch that differ between the two. */
function changedSettings(a: IntegrationSettings, b: IntegrationSettings): string[] {
  return (Object.keys(b) as (keyof IntegrationSettings)[]).filter(
    (key) => key !== 'integrationEnabled' && JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}

/**
 * Looks each newly set product code up in Smaregi (the orders would name it as a line, and
 * Smaregi refuses an order with an unknown product). Field errors for codes Smaregi does not have,
 * or for every new code while the connection cannot be used; Smaregi unreachable throws (the
 * whole form fails with BAD_GATEWAY).
 */
async function checkProductCodes(
  scope: TenantScope,
  current: IntegrationSettings,
  next: IntegrationSettings,
): Promise<FieldError[]> {
  const changed = PRODUCT_CODE_SETTINGS.flatMap((s) => {
    const code = next[s.key];
    return code !== null && code !== current[s.key] ? [{ ...s, code }] : [];
  });
  if (changed.length === 0) return [];
  const connection = await scope.repos.connection.getOrCreate();
  if (connection.status !== 'active' || connection.contractId == null) {
    const reauth = connection.status === 'reauthRequired';
    return changed.map((s) =>
      fieldError(
        s.key,
        reauth
          ? `スマレジの再認証が必要なため、${s.ja}「${s.code}」を確認できません。[認証]で再認証してから設定してください`
          : `スマレジと接続するまで${s.ja}「${s.code}」を確認できません。先に[認証]でスマレジと接続してください`,
        reauth
          ? `The ${s.en} "${s.code}" cannot be checked: Smaregi needs re-authorisation ([認証])`
          : `The ${s.en} "${s.code}" cannot be checked until Renkei is connected to Smaregi ([認証])`,
      ),
    );
  }
  const found = await live(scope, (contract, signal) =>
    Promise.all(
      changed.map((s) => contract.pos.products.list({ productCode: s.code, limit: 1 }, { signal })),
    ),
  );
  return changed.flatMap((s, i) =>
    found[i]!.some((p) => p.productCode === s.code)
      ? []
      : [
          fieldError(
            s.key,
            `${s.ja}「${s.code}」の商品がスマレジにありません。スマレジに商品を登録してから設定してください`,
            `Smaregi has no product with the ${s.en} "${s.code}"; register the product in Smaregi first`,
          ),
        ],
  );
}

/** The settings whose change makes every product's 有効在庫数 (and allocation) stale. */
const STOCK_SETTINGS = ['stockBasis', 'effectiveStockMode'] as const;

/**
 * 在庫数合算設定 / 有効在庫数計算設定 changed: the worker recomputes every product at once (and,
 * when the mode changed, re-derives every open order's allocation from the mode now in force),
 * queued in the same unit of work as the settings. A run not finished yet is superseded.
 */
async function requestStockRecompute(
  scope: TenantScope,
  current: IntegrationSettings,
  next: IntegrationSettings,
): Promise<void> {
  const changes = Object.fromEntries(
    STOCK_SETTINGS.filter((key) => current[key] !== next[key]).map((key) => [
      key,
      { from: current[key], to: next[key] },
    ]),
  );
  if (Object.keys(changes).length === 0) return;
  await scope.repos.stockRecomputeRuns.request(
    changes,
    current.effectiveStockMode !== next.effectiveStockMode,
    scope.actor.label,
    new Date(),
  );
}

/** The latest recompute after a stock settings change, with its progress (null: none yet). */
export async function stockRecomputeStatus(scope: TenantScope) {
  const [run] = await scope.repos.stockRecomputeRuns.latest(1);
  if (run === undefined) return null;
  return {
    id: run.id,
    state: run.state,
    phase: run.phase ?? null,
    changes: run.changes,
    ordersTotal: run.ordersTotal,
    ordersDone: run.ordersDone,
    productsTotal: run.productsTotal,
    productsDone: run.productsDone,
    lastError: run.lastError ?? null,
    requestedBy: run.requestedBy ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Saves a settings change (any subset, validated and merged by the domain), checks that every
 * status named exists for this tenant and that new product codes exist in Smaregi, and refuses to
 * switch the integration on while a blocking readiness item fails (the error lists them).
 * Settings are changed while the integration is stopped (the help page: stop, configure, save,
 * start): a change that keeps it running is refused; stopping together with changes, starting
 * alone and starting together with changes are allowed. Audited with before and after.
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

  if (current.integrationEnabled && next.integrationEnabled) {
    const changed = changedSettings(current, next);
    if (changed.length > 0)
      throw new AppError(
        'PRECONDITION_FAILED',
        {
          ja: '連携中は設定を変更できません。[連携を停止する]で停止してから保存してください',
          en: 'Settings cannot be changed while the integration is running; stop it ([連携を停止する]) and save again',
        },
        [],
        { reason: 'integrationRunning', changed },
      );
  }

  const statuses = new Set((await scope.repos.orderStatuses.list()).map((s) => s.id));
  const errors: FieldError[] = [];
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
  errors.push(...(await checkProductCodes(scope, current, next)));
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
          ja: `連携を開始できません。未完了の準備項目があります: ${failures.map((f) => f.message.ja).join('、')}`,
          en: `The integration cannot start; readiness items fail: ${failures.map((f) => f.message.en).join('; ')}`,
        },
        [],
        { readiness: failures },
      );
    }
  }
  const { integrationEnabled, ...values } = next;
  stored.values = values;
  stored.integrationEnabled = integrationEnabled;
  await requestStockRecompute(scope, current, next);
  audit(scope, 'settings.update', 'settings', stored.id, current, next);
  await scope.em.flush();
  return next;
}
