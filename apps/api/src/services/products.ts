import { CallPriority, renderMessageBoth } from '@renkei/domain';
import {
  JOB_NAMES,
  parseSettings,
  productErrorOf,
  productStockFigures,
  type ImportRunMode,
  type ListedProduct,
  type ProductImportRun,
  type ProductStockFigures,
} from '@renkei/persistence';
import { AppError, notFound } from '../errors.js';
import { audit, type TenantScope } from './scope.js';

/**
 * A listed product as the admin sees it; why its import or update failed comes in both languages
 * with its message code (the admin picks its language). `openDrift`: reconciliation found a
 * difference in its stock that nobody resolved yet (null when not looked up).
 */
export function productView(p: ListedProduct, openDrift: boolean | null = null) {
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
    updatedAt: p.updatedAt.toISOString(),
    openDrift,
  };
}

/**
 * The figures behind a product's 有効在庫数 as the API answers them (the admin's [内訳] and
 * `GET /api/v1/stock/{productCode}` alike): the settings, the warehouse, each stock row, open
 * order demand, the computed figure and what stopped it.
 */
export function stockFiguresView(figures: ProductStockFigures) {
  return {
    stockBasis: figures.stockBasis,
    effectiveStockMode: figures.effectiveStockMode,
    warehouse: figures.warehouse,
    rows: figures.rows.map((r) => ({ ...r, readAt: r.readAt.toISOString() })),
    openOrderQuantity: figures.openOrderQuantity,
    computed: figures.computed,
    problem: figures.problem,
  };
}

/**
 * 出品商品一覧's [内訳]: what the product's 有効在庫数 comes from under the current settings, the
 * figure the worker's rule gives over it now (`productStockFigures`, the same facts and domain
 * rule as the worker), and the differences reconciliation found that are not resolved yet.
 */
export async function productStockFiguresView(scope: Pick<TenantScope, 'repos'>, id: string) {
  const product = await scope.repos.products.findById(id);
  if (product === null) throw notFound('商品', 'Product');
  const settings = parseSettings(await scope.repos.settings.get());
  const figures = await productStockFigures(scope.repos, product, settings);
  const drifts = await scope.repos.stockDrifts.find(
    { product: product.id, resolvedAt: null },
    { orderBy: { detectedAt: 'desc', id: 'desc' }, limit: 20 },
  );
  return {
    id: product.id,
    productCode: product.productCode,
    name: product.name,
    smaregiProductId: product.smaregiProductId ?? null,
    ...stockFiguresView(figures),
    listed: {
      ...figures.listed,
      stockUpdatedAt: figures.listed.stockUpdatedAt?.toISOString() ?? null,
    },
    drifts: drifts.map((d) => ({
      id: d.id,
      smaregiStoreId: d.smaregiStoreId,
      expected: d.renkeiAmount,
      smaregi: d.smaregiAmount,
      detectedAt: d.detectedAt.toISOString(),
    })),
  };
}

export function importRunView(run: ProductImportRun) {
  return {
    id: run.id,
    state: run.state,
    mode: run.mode,
    /** The estimate of the products this run reads (Smaregi gives no count); null: unknown. */
    expectedTotal: run.expectedTotal ?? null,
    pagesDone: run.pagesDone,
    processed: run.processed,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    failed: run.failed,
    requestedBy: run.requestedBy ?? null,
    canceledBy: run.canceledBy ?? null,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    lastError: run.lastError ?? null,
    createdAt: run.createdAt.toISOString(),
  };
}

/**
 * [API連携する]: queues a product import for the worker — [スマレジから新規商品情報一括取得]
 * (`createNew`) or [スマレジから商品情報一括更新] (`createAndUpdate`). One import at a time per
 * tenant: asking again while one is queued or running returns that one. Only with
 * 商品連携設定 [連携する]: with [連携しない] the product list is not touched by Renkei. The run
 * keeps an estimate of its total for the progress bar (Smaregi does not say how many products it
 * has).
 */
export async function startProductImport(
  scope: TenantScope,
  mode: ImportRunMode = 'createNew',
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
  const run = scope.repos.importRuns.create({
    requestedBy: scope.actor.label,
    mode,
    expectedTotal: await scope.repos.importRuns.estimateTotal(),
  });
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
  audit(scope, 'products.importStart', 'productImportRun', run.id, null, {
    state: run.state,
    mode,
  });
  await scope.em.flush();
  return { run, alreadyRunning: false };
}

/**
 * [中止]: cancels a queued or running import. The worker's page commit only lands on a running
 * run, so the page in flight rolls back and no further page is read; products of pages already
 * committed stay. A run that has already ended is refused, saying how it ended.
 */
export async function cancelProductImport(
  scope: TenantScope,
  id: string,
): Promise<ProductImportRun> {
  const run = await scope.repos.importRuns.findById(id);
  if (run === null) throw notFound('商品取込', 'Product import');
  const now = scope.deps.now();
  if (!(await scope.repos.importRuns.cancel(id, scope.actor.label, now))) {
    await scope.em.refresh(run);
    const ended = ENDED_AS[run.state as keyof typeof ENDED_AS] ?? ENDED_AS.succeeded;
    throw new AppError(
      'PRECONDITION_FAILED',
      {
        ja: `この商品取込はすでに${ended.ja}ため、中止できません`,
        en: `This product import has already ${ended.en}; it cannot be cancelled`,
      },
      [],
      { reason: 'importEnded', state: run.state },
    );
  }
  await scope.em.refresh(run);
  scope.repos.syncEvents.record({
    subjectType: 'productImport',
    subjectId: id,
    kind: 'product.importCanceled',
    outcome: 'warning',
    message: {
      code: 'productImportCanceled',
      params: { actor: scope.actor.label, processed: run.processed },
    },
  });
  audit(scope, 'products.importCancel', 'productImportRun', id, null, {
    state: run.state,
    processed: run.processed,
  });
  await scope.em.flush();
  return run;
}

const ENDED_AS = {
  succeeded: { ja: '完了している', en: 'finished' },
  failed: { ja: '失敗で終了している', en: 'failed' },
  canceled: { ja: '中止されている', en: 'been cancelled' },
} as const;
