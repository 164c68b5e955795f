import {
  checkReadiness,
  createProductIndex,
  normalizeCode,
  sellDivisionOf,
  type ReadinessResult,
  type ReadinessSnapshot,
  type TaxMode,
} from '@renkei/domain';
import { Order } from '@renkei/persistence';
import { toPublicError } from '../trpc/errors.js';
import { liveOrderStores, livePaymentMethods } from '../smaregi/live.js';
import type { TenantScope } from './scope.js';
import { recordOrderStores } from './catalog.js';
import { getSettings, type ReadinessGate } from './settings.js';

/** Orders of the last this-many days define the "payment methods used by recent orders". */
const RECENT_ORDER_DAYS = 90;

export interface ReadinessReport extends ReadinessResult {
  /** Why the live part could not be read (Smaregi unreachable...), or null. */
  liveError: { ja: string; en: string } | null;
}

/**
 * Assembles the readiness snapshot from the database and live Smaregi lists and evaluates the
 * domain's checklist (`checkReadiness`). When Smaregi cannot be reached the live items fail and
 * `liveError` says why; the report itself never fails.
 */
export async function evaluateReadiness(scope: TenantScope): Promise<ReadinessReport> {
  const settings = await getSettings(scope);
  const connection = await scope.repos.connection.getOrCreate();
  const [shops, paymentMethods, statuses] = await Promise.all([
    scope.repos.shops.list(),
    scope.repos.paymentMethods.list(),
    scope.repos.orderStatuses.list(),
  ]);
  let orderStores: ReadinessSnapshot['orderStores'] = [];
  let smaregiPaymentMethodIds: string[] = [];
  let liveError: ReadinessReport['liveError'] = null;
  if (connection.status === 'active') {
    try {
      const [stores, methods] = await Promise.all([
        liveOrderStores(scope),
        livePaymentMethods(scope),
      ]);
      orderStores = stores.map((s) => ({
        storeId: s.storeId,
        storeName: s.storeName,
        sellDivision: sellDivisionOf(s.sellDivision),
      }));
      // Fresh facts for the worker too: it holds the orders of a mismatched shop by them.
      await recordOrderStores(scope, stores);
      smaregiPaymentMethodIds = methods.map((m) => m.paymentMethodId);
    } catch (error) {
      liveError = toPublicError(error).message;
    }
  }
  const since = new Date(scope.deps.now().getTime() - RECENT_ORDER_DAYS * 86_400_000);
  const recent = await scope.em
    .createQueryBuilder(Order, 'o')
    .select('o.payment_method_id', true)
    .where({ tenant: scope.tenantId, orderedAt: { $gte: since } })
    .execute<{ payment_method_id: string }[]>('all', false);
  const codes = [settings.adjustmentProductCode, settings.dummyProductCode]
    .filter((c): c is string => c !== null)
    .map(normalizeCode);
  const known = (await scope.repos.products.findByCodeKeys(codes)).filter(
    (p) => p.smaregiProductId != null,
  );
  const importedProductCount = await scope.repos.products.count({
    smaregiProductId: { $ne: null },
  });

  const connectionState: ReadinessSnapshot['connection'] =
    connection.status === 'unauthenticated'
      ? null
      : {
          status: connection.status === 'active' ? 'active' : 'expired',
          grantedScopes: connection.scopes,
        };
  const result = checkReadiness({
    settings,
    connection: connectionState,
    shops: shops.map((s) => ({
      id: s.id,
      name: s.name,
      active: s.active,
      taxMode: s.taxMode as TaxMode,
      orderStoreId: s.orderStoreId ?? null,
      // Renkei's own settings: Smaregi's store object need not carry them (smaregi-wire §4.4).
      warehouseStoreId: s.warehouseStoreId ?? null,
      autoAllocation: s.autoAllocation ?? null,
    })),
    orderStores,
    paymentMethods: paymentMethods.map((m) => ({
      id: m.id,
      name: m.name,
      smaregiPaymentMethodId: m.smaregiPaymentMethodId ?? null,
    })),
    recentPaymentMethodIds: recent.map((r) => r.payment_method_id),
    smaregiPaymentMethodIds,
    products: createProductIndex(
      known.map((p) => ({
        productId: p.smaregiProductId!,
        productCode: p.productCode,
        managementNumber: p.managementNumber ?? null,
      })),
    ).index,
    importedProductCount,
    orderStatusIds: statuses.map((s) => s.id),
  });
  return { ...result, liveError };
}

/** The gate the settings use before switching the integration on. */
export const readinessGate: ReadinessGate = {
  async blockingFailures(scope) {
    const report = await evaluateReadiness(scope);
    return report.items
      .filter((i) => i.blocking && !i.passed)
      .map((i) => ({ id: i.id, message: i.message }));
  },
};
