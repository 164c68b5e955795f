import { CallPriority, renderMessageBoth } from '@renkei/domain';
import {
  JOB_NAMES,
  parseSettings,
  productErrorOf,
  type ListedProduct,
  type ProductImportRun,
} from '@renkei/persistence';
import { AppError } from '../errors.js';
import { audit, type TenantScope } from './scope.js';

/**
 * A listed product as the admin sees it; why its import or update failed comes in both languages
 * with its message code (the admin picks its language).
 */
export function productView(p: ListedProduct) {
  const error = productErrorOf(p);
  return {
    id: p.id,
    productCode: p.productCode,
    managementNumber: p.managementNumber ?? null,
    name: p.name,
    price: p.price ?? null,
    smaregiProductId: p.smaregiProductId ?? null,
    effectiveStock: p.effectiveStock ?? null,
    stockAmount: p.stockAmount ?? null,
    allocatedAmount: p.allocatedAmount ?? null,
    stockUpdatedAt: p.stockUpdatedAt?.toISOString() ?? null,
    syncState: p.syncState,
    lastSyncedAt: p.lastSyncedAt?.toISOString() ?? null,
    lastError: error === null ? null : renderMessageBoth(error),
    lastErrorCode: error?.code ?? null,
  };
}

export function importRunView(run: ProductImportRun) {
  return {
    id: run.id,
    state: run.state,
    pagesDone: run.pagesDone,
    processed: run.processed,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    failed: run.failed,
    requestedBy: run.requestedBy ?? null,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    lastError: run.lastError ?? null,
    createdAt: run.createdAt.toISOString(),
  };
}

/**
 * スマレジから新規商品情報一括取得: queues a product import for the worker. One import at a time
 * per tenant: asking again while one is queued or running returns that one. Only with
 * 商品連携設定 [連携する]: with [連携しない] the product list is not touched by Renkei.
 */
export async function startProductImport(
  scope: TenantScope,
): Promise<{ run: ProductImportRun; alreadyRunning: boolean }> {
  const connection = await scope.repos.connection.getOrCreate();
  if (connection.status !== 'active') {
    throw new AppError('PRECONDITION_FAILED', {
      ja: '商品を取り込むには、先にスマレジと接続してください',
      en: 'Connect Smaregi before importing products',
    });
  }
  const settings = await scope.repos.settings.get();
  if (settings === null || !parseSettings(settings).productSyncEnabled) {
    throw new AppError(
      'PRECONDITION_FAILED',
      {
        ja: '商品連携設定が[連携しない]のため、商品を取り込めません。スマレジ連携設定の商品連携設定を[連携する]にしてから取り込んでください',
        en: 'Product sync (商品連携設定) is off ([連携しない]); set it to [連携する] in the integration settings, then import',
      },
      [],
      { reason: 'productSyncDisabled' },
    );
  }
  const active = await scope.repos.importRuns.findActive();
  if (active !== null) return { run: active, alreadyRunning: true };
  const run = scope.repos.importRuns.create({ requestedBy: scope.actor.label });
  await scope.repos.jobs.enqueue(
    JOB_NAMES.importProducts,
    { runId: run.id },
    { dedupKey: run.id, priority: CallPriority.products },
  );
  scope.repos.syncEvents.record({
    subjectType: 'productImport',
    subjectId: run.id,
    kind: 'products.importRequested',
    outcome: 'info',
    message: { code: 'productImportRequested', params: { actor: scope.actor.label } },
  });
  audit(scope, 'products.importStart', 'productImportRun', run.id, null, { state: run.state });
  await scope.em.flush();
  return { run, alreadyRunning: false };
}
