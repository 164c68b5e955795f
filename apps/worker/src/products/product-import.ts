import { CallPriority, normalizeCode } from '@renkei/domain';
import {
  forkEm,
  productErrorColumns,
  tenantRepositories,
  WorkerQueries,
  type Em,
  type ImportRunMode,
  type ListedProduct,
} from '@renkei/persistence';
import type { Product } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { smaregiReason, isTransientRead } from '../smaregi/outcome.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { readSettings } from '../orders/order-view.js';

/** Smaregi's largest page: the fewest reads for the rate-limit bound. */
export const IMPORT_PAGE_SIZE = 1000;

class CursorMoved extends Error {}

/**
 * スマレジから新規商品情報一括取得 (run mode `createNew`) and スマレジから商品情報一括更新
 * (`createAndUpdate`): pages through every Smaregi product, ordered by productId, and matches each
 * to the listed products — by Smaregi product ID, then by normalised product code; new ones are
 * created, known ones updated or (createNew) skipped. Each page's upserts are committed in the
 * same transaction as the run's cursor (the next page) and counters, so a crashed run resumes at
 * the first page not yet committed and the admin's progress is always true. The commit is a
 * compare-and-set on the cursor and on the run still running: a page in flight when the merchant
 * cancels rolls back, and a cancelled run reads no further page. A few pages per step: memory
 * stays flat and shutdown is never held up for long. Runs for connected tenants even while the
 * integration is off (importing products is a setup step before switching on), and only while
 * 商品連携設定 is [連携する]: with [連携しない] a run is cancelled with that reason.
 */
export class ProductImport {
  constructor(private readonly deps: WorkerDeps) {}

  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    if (stopRequested(this.deps, signal)) return false;
    const queries = new WorkerQueries(em);
    const tenants = new Map((await queries.connectedTenants()).map((t) => [t.tenantId, t]));
    const runs = await queries.importRunsDue([...tenants.keys()], 20);
    let more = false;
    for (const run of runs) {
      if (stopRequested(this.deps, signal)) break;
      const tenant = tenants.get(run.tenantId);
      if (tenant === undefined) continue;
      const result = await this.step(tenant, run.id, signal);
      if (result === 'more') more = true;
    }
    return more;
  }

  /**
   * Imports the next pages of a run (at most `maxPages` per call, so shutdown is never held up):
   * page N+1 is read while page N is written, so the import runs at the read budget's pace.
   */
  async step(
    tenant: ActiveTenant,
    runId: string,
    signal: AbortSignal,
    maxPages = 5,
  ): Promise<'more' | 'finished' | 'busy' | 'retry'> {
    const em = forkEm(this.deps.orm);
    const run = await tenantRepositories(em, tenant.tenantId).importRuns.findById(runId);
    if (run === null || (run.state !== 'queued' && run.state !== 'running')) return 'finished';
    if (!(await readSettings(em, tenant)).productSyncEnabled) {
      // 商品連携設定 [連携しない]: the product list is left alone (a run queued before the
      // merchant turned it off ends here, with the reason in the sync log).
      await this.#cancelSyncOff(tenant, runId);
      return 'finished';
    }
    if (run.state === 'queued') {
      // Compare-and-set: a run cancelled while queued stays cancelled.
      const started = await tenantRepositories(em, tenant.tenantId).importRuns.update(
        { id: runId, state: 'queued' },
        { state: 'running', startedAt: new Date(this.deps.clock.now()) },
      );
      if (started !== 1) return 'finished';
    }
    const mode = run.mode;
    const products = this.deps.smaregi.forContract(tenant.contractId).pos.products;
    const read = (page: number) =>
      products.list(
        { page, limit: IMPORT_PAGE_SIZE, sort: 'productId' },
        { signal, priority: CallPriority.products },
      );
    let cursor = run.cursor ?? null;
    let page = Number(cursor ?? '1');
    const totals = {
      pagesDone: run.pagesDone,
      processed: run.processed,
      created: run.created,
      updated: run.updated,
      skipped: run.skipped,
      failed: run.failed,
    };
    let next: Promise<Product[]> = read(page);
    for (let n = 0; n < maxPages; n++) {
      let list: Product[];
      try {
        list = await next;
      } catch (error) {
        const failed = !isTransientRead(error);
        await tenantRepositories(em, tenant.tenantId).importRuns.update(
          { id: runId, state: 'running' },
          {
            lastError: smaregiReason(error),
            ...(failed ? { state: 'failed', finishedAt: new Date(this.deps.clock.now()) } : {}),
          },
        );
        return 'retry';
      }
      const last = list.length < IMPORT_PAGE_SIZE;
      // Read ahead while this page is written (a failed read-ahead is simply read again later),
      // only while the run has not been cancelled: a cancelled run reads no further page.
      if (!last && n + 1 < maxPages && !stopRequested(this.deps, signal)) {
        if (!(await this.#running(tenant, runId))) return 'finished';
        next = read(page + 1);
        next.catch(() => undefined);
      }
      try {
        await forkEm(this.deps.orm).transactional(async (tx) => {
          const counts = await upsertPage(
            tx,
            tenant.tenantId,
            list,
            new Date(this.deps.clock.now()),
            mode,
          );
          // Smaregi's page is in hand and written, not yet committed (crash and cancel tests).
          await this.deps.hooks?.afterRemoteCall?.('importProducts', `${runId}:${page}`);
          const after = {
            pagesDone: totals.pagesDone + 1,
            processed: totals.processed + list.length,
            created: totals.created + counts.created,
            updated: totals.updated + counts.updated,
            skipped: totals.skipped + counts.skipped,
            failed: totals.failed + counts.failed,
          };
          // Compare-and-set on the cursor and the state: if another worker committed this page
          // first, or the merchant cancelled the run meanwhile, the page rolls back.
          const moved = await tenantRepositories(tx, tenant.tenantId).importRuns.update(
            { id: runId, cursor, state: 'running' },
            {
              cursor: String(page + 1),
              ...after,
              lastError: null,
              ...(last ? { state: 'succeeded', finishedAt: new Date(this.deps.clock.now()) } : {}),
            },
          );
          if (moved !== 1) throw new CursorMoved();
          Object.assign(totals, after);
          if (last) {
            tenantRepositories(tx, tenant.tenantId).syncEvents.record({
              subjectType: 'productImport',
              subjectId: runId,
              kind: 'product.imported',
              outcome: 'success',
              message: {
                code: 'productImported',
                params: {
                  processed: after.processed,
                  created: after.created,
                  updated: after.updated,
                },
              },
            });
          }
        });
      } catch (error) {
        if (error instanceof CursorMoved)
          return (await this.#running(tenant, runId)) ? 'busy' : 'finished';
        throw error;
      }
      await this.deps.hooks?.afterCommit?.('importProducts', `${runId}:${page}`);
      if (last) return 'finished';
      cursor = String(page + 1);
      page += 1;
      // The page read ahead is only taken while the worker is not stopping (resumable run).
      if (stopRequested(this.deps, signal)) return 'more';
    }
    return 'more';
  }

  /** Whether the run is still running (not cancelled, nor ended by another worker). */
  async #running(tenant: ActiveTenant, runId: string): Promise<boolean> {
    const run = await tenantRepositories(
      forkEm(this.deps.orm),
      tenant.tenantId,
    ).importRuns.findById(runId);
    return run?.state === 'running';
  }

  async #cancelSyncOff(tenant: ActiveTenant, runId: string): Promise<void> {
    await forkEm(this.deps.orm).transactional(async (tx) => {
      const repos = tenantRepositories(tx, tenant.tenantId);
      await repos.importRuns.update(
        { id: runId, state: { $in: ['queued', 'running'] } },
        {
          state: 'canceled',
          finishedAt: new Date(this.deps.clock.now()),
          lastError: 'product sync is off (商品連携設定: 連携しない)',
        },
      );
      repos.syncEvents.record({
        subjectType: 'productImport',
        subjectId: runId,
        kind: 'product.importCanceled',
        outcome: 'warning',
        message: { code: 'productImportSyncOff', params: {} },
      });
    });
  }
}

/**
 * Upserts one page: match by Smaregi product ID, then by normalised code; create the rest. Known
 * products are updated (`createAndUpdate`) or left as they are and counted as skipped
 * (`createNew`). A product whose code already belongs to another Smaregi product is not taken:
 * it is marked failed with the reason, and counted as failed. Two queries per page whatever its
 * size.
 */
export async function upsertPage(
  em: Em,
  tenantId: string,
  products: readonly Product[],
  now: Date,
  mode: ImportRunMode = 'createAndUpdate',
): Promise<{ created: number; updated: number; skipped: number; failed: number }> {
  const repos = tenantRepositories(em, tenantId);
  const ids = products.map((p) => p.productId);
  const keys = products.map((p) => normalizeCode(p.productCode));
  const byId = new Map<string, ListedProduct>();
  const byKey = new Map<string, ListedProduct>();
  if (products.length > 0) {
    for (const p of await repos.products.find({
      $or: [{ smaregiProductId: { $in: ids } }, { productCodeKey: { $in: keys } }],
    })) {
      if (p.smaregiProductId != null) byId.set(p.smaregiProductId, p);
      byKey.set(p.productCodeKey, p);
    }
  }
  let updated = 0;
  let skipped = 0;
  let failed = 0;
  const seenKeys = new Set<string>();
  // New products are drafts written with one multi-row insert: the unit of work's bookkeeping
  // for 1,000 new entities costs more than the insert itself and sets the import's pace.
  const drafts: ListedProduct[] = [];
  for (const p of products) {
    const key = normalizeCode(p.productCode);
    if (key === '' || seenKeys.has(key)) {
      skipped++;
      continue;
    }
    seenKeys.add(key);
    const existing = byId.get(p.productId) ?? byKey.get(key);
    const price = Number(p.price);
    if (existing === undefined) {
      drafts.push(
        repos.products.draft({
          productCode: p.productCode,
          productCodeKey: key,
          name: p.productName,
          price: Number.isSafeInteger(price) ? price : null,
          smaregiProductId: p.productId,
          syncState: 'synced',
          lastSyncedAt: now,
        }),
      );
      continue;
    }
    if (existing.smaregiProductId != null && existing.smaregiProductId !== p.productId) {
      // The code belongs to another Smaregi product already linked: never relink silently.
      existing.syncState = 'failed';
      Object.assign(
        existing,
        productErrorColumns({
          code: 'productCodeTaken',
          params: {
            productCode: existing.productCode,
            productName: existing.name,
            smaregiProductId: existing.smaregiProductId,
            otherSmaregiProductId: p.productId,
          },
        }),
      );
      failed++;
      continue;
    }
    if (mode === 'createNew') {
      // [スマレジから新規商品情報一括取得]: a product Renkei already has is left as it is.
      skipped++;
      continue;
    }
    existing.smaregiProductId = p.productId;
    existing.productCode = p.productCode;
    existing.productCodeKey = key;
    existing.name = p.productName;
    existing.price = Number.isSafeInteger(price) ? price : null;
    existing.syncState = 'synced';
    existing.lastSyncedAt = now;
    Object.assign(existing, productErrorColumns(null));
    updated++;
  }
  await em.flush();
  await repos.products.insertAll(drafts);
  em.clear();
  return { created: drafts.length, updated, skipped, failed };
}
