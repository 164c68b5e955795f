import { CallPriority } from '@renkei/domain';
import {
  forkEm,
  tenantRepositories,
  WorkerQueries,
  type Em,
  type StockRecomputeRun,
} from '@renkei/persistence';
import { isSmaregiApiError } from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { copyAllocation } from '../orders/allocation.js';
import { readSettings } from '../orders/order-view.js';
import { smaregiReason } from '../smaregi/outcome.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import { planOmsAllocation } from './oms-allocation.js';
import type { StockSync } from './stock-sync.js';

/** Sync-event kind of a finished recompute after a stock settings change. */
export const STOCK_RECOMPUTED_KIND = 'stock.recomputed';
/** Sync-event kind of a recompute step that failed (retried on the next tick). */
export const STOCK_RECOMPUTE_FAILED_KIND = 'stock.recomputeFailed';

/** Marked products recomputed per tenant and tick (`StockSync.refreshProducts` reads them). */
const MARKED_PER_TICK = 50;
/** Orders whose allocation is read again from Smaregi per step. */
const ORDERS_PER_STEP = 50;

class Superseded extends Error {}

/**
 * After a change of 在庫数合算設定 / 有効在庫数計算設定 (saved by the API with a queued
 * `StockRecomputeRun`), every product's 有効在庫数 is recomputed at once, and every open order's
 * allocation follows the mode now in force (docs/flows.md §6):
 *
 * 1. `orders` — 有効在庫数計算設定 changed and Smaregi's allocation counts (スマレジの引当数): each
 *    open registered order's allocation is read again from Smaregi, replacing what Renkei's planner
 *    wrote under OMS購入数, so no order stays marked allocated that Smaregi says is not (and the
 *    allocated amounts taken from Renkei's orders are Smaregi's).
 * 2. `stock` — one full read of Smaregi's stock, every product recomputed under the new settings.
 * 3. `plan` — OMS購入数: Renkei's planner allocates the open orders from the new figures.
 *
 * Each step commits the run's phase, cursor and counters, so the admin sees the progress and a
 * restarted worker resumes where it stopped. It runs while the integration is stopped too
 * (settings are changed while stopped): it only reads Smaregi.
 */
export class StockRecompute {
  constructor(
    private readonly deps: WorkerDeps,
    private readonly stock: StockSync,
  ) {}

  /**
   * The stock loop: settings-change runs first (they recompute everything anyway), then the
   * products that order events marked, a batch per active tenant. True when more is waiting.
   */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let more = await this.#runs(signal, em);
    const active = await activeTenants(em);
    const marked = await new WorkerQueries(em).tenantsWithStockMarks(active.map((t) => t.tenantId));
    for (const tenant of active) {
      if (!marked.has(tenant.tenantId)) continue;
      if (stopRequested(this.deps, signal)) break;
      if ((await this.stock.recomputeMarked(tenant, signal, MARKED_PER_TICK)) === MARKED_PER_TICK)
        more = true;
    }
    return more;
  }

  async #runs(signal: AbortSignal, em: Em): Promise<boolean> {
    if (stopRequested(this.deps, signal)) return false;
    const queries = new WorkerQueries(em);
    const tenants = new Map((await queries.connectedTenants()).map((t) => [t.tenantId, t]));
    const runs = await queries.stockRecomputeRunsDue([...tenants.keys()], 20);
    let more = false;
    for (const run of runs) {
      if (stopRequested(this.deps, signal)) break;
      const tenant = tenants.get(run.tenantId);
      if (tenant === undefined) continue;
      if ((await this.step(tenant, run.id, signal)) === 'more') more = true;
    }
    return more;
  }

  /** One step of a run (one batch of orders, the stock pass, or the plan). */
  async step(
    tenant: ActiveTenant,
    runId: string,
    signal: AbortSignal,
  ): Promise<'more' | 'finished' | 'retry'> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const run = await repos.stockRecomputeRuns.findById(runId);
    if (run === null || (run.state !== 'queued' && run.state !== 'running')) return 'finished';
    const settings = await readSettings(em, tenant);
    try {
      if (run.state === 'queued') {
        run.state = 'running';
        run.startedAt = new Date(this.deps.clock.now());
        run.phase =
          run.rereadOrders && settings.effectiveStockMode === 'smaregiAllocation'
            ? 'orders'
            : 'stock';
        run.cursor = null;
        if (run.phase === 'orders') run.ordersTotal = await repos.orders.count(openRegistered());
        else run.productsTotal = await importedProducts(em, tenant.tenantId);
        await this.#save(em, run);
      }
      if (run.phase === 'orders') return await this.#orders(tenant, em, run, signal);
      if (run.phase === 'stock') {
        await this.stock.recomputeAll(tenant, run.cursor ?? null, signal, async (last, n) => {
          run.cursor = last;
          run.productsDone += n;
          await this.#save(em, run);
        });
        run.phase = settings.effectiveStockMode === 'omsPurchase' ? 'plan' : null;
        run.cursor = null;
        if (run.phase === null) return await this.#finish(tenant, em, run);
        await this.#save(em, run);
      }
      // OMS購入数: the planner allocates the open orders from the figures just computed.
      if (run.phase === 'plan') await planOmsAllocation(em, repos, settings);
      return await this.#finish(tenant, em, run);
    } catch (error) {
      if (error instanceof Superseded || stopRequested(this.deps, signal)) return 'finished';
      await this.#failed(tenant, run, error);
      return 'retry';
    }
  }

  /** Reads the allocation of the next open registered orders from Smaregi. */
  async #orders(
    tenant: ActiveTenant,
    em: Em,
    run: StockRecomputeRun,
    signal: AbortSignal,
  ): Promise<'more' | 'finished'> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const settings = await readSettings(em, tenant);
    const batch = await repos.orders.find(
      { ...openRegistered(), ...(run.cursor == null ? {} : { id: { $gt: run.cursor } }) },
      { populate: ['lines'], orderBy: { id: 'asc' }, limit: ORDERS_PER_STEP },
    );
    const orders = this.deps.smaregi.forContract(tenant.contractId).orderShipment.orders;
    // Only reads: a stop abandons them at once; the cursor says where to resume.
    const reading =
      this.deps.stopping === undefined ? signal : AbortSignal.any([signal, this.deps.stopping]);
    for (const order of batch) {
      if (stopRequested(this.deps, signal)) break;
      try {
        const remote = await orders.get(order.smaregiOrderHeadId ?? '', {
          signal: reading,
          priority: CallPriority.stock,
        });
        copyAllocation(order, remote, settings.syncEnclosures);
      } catch (error) {
        // Gone from Smaregi: nothing to follow (its events say what became of it).
        if (!isSmaregiApiError(error) || error.kind !== 'not_found') throw error;
      }
      run.cursor = order.id;
      run.ordersDone++;
    }
    if (batch.length < ORDERS_PER_STEP && !stopRequested(this.deps, signal)) {
      run.phase = 'stock';
      run.cursor = null;
      run.productsTotal = await importedProducts(em, tenant.tenantId);
    }
    // The orders' allocation and the run's cursor commit together.
    await this.#save(em, run);
    return 'more';
  }

  async #finish(tenant: ActiveTenant, em: Em, run: StockRecomputeRun): Promise<'finished'> {
    run.state = 'succeeded';
    run.phase = null;
    run.cursor = null;
    run.lastError = null;
    run.finishedAt = new Date(this.deps.clock.now());
    tenantRepositories(em, tenant.tenantId).syncEvents.record({
      subjectType: 'stock',
      kind: STOCK_RECOMPUTED_KIND,
      outcome: 'success',
      message: {
        code: 'stockRecomputed',
        params: {
          products: run.productsDone,
          orders: run.ordersDone,
          changed: Object.keys(run.changes),
        },
      },
      detail: { runId: run.id, products: run.productsDone, orders: run.ordersDone },
    });
    await this.#save(em, run);
    return 'finished';
  }

  /**
   * Commits the run (and whatever else `em` holds) unless a newer settings change superseded it
   * meanwhile: then nothing of this step is kept and the newer run takes over.
   */
  async #save(em: Em, run: StockRecomputeRun): Promise<void> {
    await em.transactional(async (tx) => {
      const still = await tenantRepositories(tx, run.tenant.id).stockRecomputeRuns.update(
        { id: run.id, state: { $in: ['queued', 'running'] } },
        { updatedAt: new Date(this.deps.clock.now()) },
      );
      if (still !== 1) throw new Superseded();
    });
    await em.flush();
  }

  async #failed(tenant: ActiveTenant, run: StockRecomputeRun, error: unknown): Promise<void> {
    const reason = smaregiReason(error);
    this.deps.logger.warn(
      { tenantId: tenant.tenantId, runId: run.id, err: reason },
      'stock recompute step failed; retried on the next tick',
    );
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const first = (await repos.stockRecomputeRuns.findById(run.id))?.lastError == null;
    await repos.stockRecomputeRuns.update({ id: run.id }, { lastError: reason });
    // Once per run in the sync log; the run itself keeps the latest reason.
    if (first)
      repos.syncEvents.record({
        subjectType: 'stock',
        kind: STOCK_RECOMPUTE_FAILED_KIND,
        outcome: 'warning',
        message: { code: 'stockRecomputeFailed', params: { reason } },
        detail: { runId: run.id },
      });
    await em.flush();
  }
}

/** Open orders registered in Smaregi (their allocation is Smaregi's to say). */
function openRegistered() {
  return {
    syncState: 'registered',
    smaregiOrderHeadId: { $ne: null },
    status: { category: 'open' },
  } as const;
}

function importedProducts(em: Em, tenantId: string): Promise<number> {
  return tenantRepositories(em, tenantId).products.count({ smaregiProductId: { $ne: null } });
}
