import {
  CallPriority,
  type AllocationSource,
  computeEffectiveStock,
  type StockChange,
} from '@renkei/domain';
import {
  driftNoteColumns,
  forkEm,
  tenantRepositories,
  type StockSource,
} from '@renkei/persistence';
import {
  isSmaregiApiError,
  MAX_PAGE_SIZE,
  ORDER_SHIPMENT_PAGE_SIZE,
  ORDER_SHIPMENT_STOCK_LIST,
  type StockListInput,
} from '@renkei/smaregi-client';
import { stopRequested, type WorkerDeps } from '../deps.js';
import { readSettings } from '../orders/order-view.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { allocatedOnOrders, openDemand, stockKey } from './open-order-stock.js';
import { posRowsByProduct, stockRowsOf, type PosStockRow } from './stock-rows.js';
import { stockWarehouseOf } from './order-store-facts.js';

/** Sync-event kind of a finished reconciliation pass (read by the API's dashboard summary). */
export const STOCK_RECONCILED_KIND = 'stock.reconciled';
/** Sync-event kind written when 受注管理's stock endpoint answered 404 and was switched off. */
export const ALLOCATION_SOURCE_OFF_KIND = 'stock.allocationSourceOff';
/** Sync-event kind of a pass that could not compute figures: the warehouse is not set. */
export const STOCK_WAREHOUSE_MISSING_KIND = 'stock.warehouseMissing';

/** Stock reads go after orders and allocation in the contract's budget (`CallPriority`). */
export const STOCK_PRIORITY = CallPriority.stock;
/** After a 404, the optional endpoint is asked again only this much later (it may appear). */
const OPTIONAL_SOURCE_RETRY_MS = 24 * 3_600_000;

export interface StockRefreshResult {
  products: number;
  drifts: number;
  allocationSource: AllocationSource;
  /** True when nothing was computed because the warehouse is not set (sync log says so). */
  warehouseMissing: boolean;
}

/**
 * Keeps each listed product's stock figures and 有効在庫数 current (docs/flows.md §6): from
 * `pos:stock` webhooks (the products named) and from a periodic reconciliation over every stock
 * row. Stock amounts come from the confirmed POS `GET /pos/stock`, for the warehouse Renkei
 * stores per shop (never from the 受注店舗 object). Smaregi's allocated amounts come from
 * 受注管理's unpublished `GET /order-shipment/stock` while it answers; when it answers 404 it is
 * switched off for the contract, visibly (a sync event and a log line), and the allocated amounts
 * are those Renkei copied onto its own open orders from Smaregi's allocation results
 * (docs/smaregi-wire.md §11). The effective stock itself is the domain's `computeEffectiveStock`.
 * A difference that the reconciliation finds (a webhook that never arrived, a change made
 * elsewhere) is recorded as a drift the merchant sees, never silently overwritten.
 */
export class StockSync {
  /** contractId → when 受注管理's stock endpoint last answered 404. */
  readonly #optionalSourceOff = new Map<string, number>();
  /** Called after changes of figures were recorded for `stock.changed` (wakes the outbound lane). */
  onStockChanges: (() => void) | undefined;

  constructor(private readonly deps: WorkerDeps) {}

  /**
   * Refreshes the named Smaregi products: those a `pos:stock` webhook named (with the stores it
   * named) or those order events marked (`stores` undefined: an order moves only the stock of
   * its 受注店舗's warehouse).
   */
  async refreshProducts(
    tenant: ActiveTenant,
    smaregiProductIds: readonly string[],
    signal: AbortSignal,
    stores?: readonly string[],
  ): Promise<StockRefreshResult> {
    const ids = [...new Set(smaregiProductIds)];
    const whole = await this.#wholeWarehouseReads(tenant, ids.length, stores);
    const rows: PosStockRow[] = [];
    if (whole.stock !== null)
      rows.push(...(await this.readPosStock(tenant, { storeId: whole.stock }, signal)));
    else
      for (const productId of ids)
        rows.push(...(await this.readPosStock(tenant, { productId }, signal)));
    let allocated: Map<string, string> | null = new Map();
    if (whole.allocated !== null)
      allocated = await this.readAllocated(tenant, { storeId: whole.allocated }, signal);
    else
      for (const productId of ids) {
        const more = await this.readAllocated(tenant, { productId }, signal);
        if (more === null) {
          allocated = null;
          break;
        }
        for (const [k, v] of more) allocated.set(k, v);
      }
    return this.apply(tenant, ids, rows, allocated, 'webhook');
  }

  /**
   * Which of the two stock reads to make for the whole warehouse instead of product by product
   * (null: by product). Each product costs a read of the contract's budget on POS and up to two
   * on 受注管理; a warehouse comes 1,000 rows a page from POS and 100 from 受注管理. With 在庫数合算
   * 「受注店舗の倉庫」 only that warehouse's rows make the figures, so when the change is known to
   * be there (order events; a webhook naming only it) and its pages are fewer than the products,
   * the warehouse is read: a bulk shipment of 100 orders, or a few seconds of a merchant's orders,
   * then cost a read or a few instead of two a product. A store has at most a stock row per
   * product, so the imported products bound its pages. Other stores' rows of these products are
   * not read then: their stock did not move.
   */
  async #wholeWarehouseReads(
    tenant: ActiveTenant,
    products: number,
    stores: readonly string[] | undefined,
  ): Promise<{ stock: string | null; allocated: string | null }> {
    const byProduct = { stock: null, allocated: null };
    if (products < 2) return byProduct;
    const em = forkEm(this.deps.orm);
    const settings = await readSettings(em, tenant);
    if (settings.stockBasis !== 'orderStoreWarehouse') return byProduct;
    const repos = tenantRepositories(em, tenant.tenantId);
    const { storeId } = await stockWarehouseOf(repos);
    if (storeId === null || (stores !== undefined && stores.some((s) => s !== storeId)))
      return byProduct;
    const rows = await repos.products.count({ smaregiProductId: { $ne: null } });
    // A POS list ends at its first page shorter than the page size (an exact multiple costs one
    // more); a 受注管理 list, whose largest page is unpublished, also reads past a short first
    // page until the client has seen a full one (`largestPageServed`): until then a product
    // costs two reads there, and a warehouse at least two.
    const pages = (size: number) => Math.floor(rows / size) + 1;
    const readsPerList =
      this.deps.smaregi.largestPageServed(ORDER_SHIPMENT_STOCK_LIST) >= ORDER_SHIPMENT_PAGE_SIZE
        ? 1
        : 2;
    return {
      stock: pages(MAX_PAGE_SIZE) < products ? storeId : null,
      allocated:
        Math.max(readsPerList, pages(ORDER_SHIPMENT_PAGE_SIZE)) < readsPerList * products
          ? storeId
          : null,
    };
  }

  /**
   * Recomputes the products that events marked (`markOrderStock`): up to `limit` per call, read
   * again from Smaregi, then their marks cleared unless a new event marked them meanwhile.
   * Returns how many products were marked.
   */
  async recomputeMarked(tenant: ActiveTenant, signal: AbortSignal, limit = 50): Promise<number> {
    if (stopRequested(this.deps, signal)) return 0;
    const marks = tenantRepositories(forkEm(this.deps.orm), tenant.tenantId).stockMarks;
    const due = await marks.due(limit);
    if (due.length === 0) return 0;
    // Only reads: a stop abandons them at once, and the marks stay for the next start.
    const reading =
      this.deps.stopping === undefined ? signal : AbortSignal.any([signal, this.deps.stopping]);
    try {
      await this.refreshProducts(
        tenant,
        due.map((d) => d.smaregiProductId),
        reading,
      );
    } catch (error) {
      if (stopRequested(this.deps)) return 0;
      throw error;
    }
    await marks.done(due);
    return due.length;
  }

  /**
   * Every imported product recomputed from a full read of Smaregi's stock (a change of
   * 在庫数合算設定 / 有効在庫数計算設定): the products after `afterProductId` in Smaregi product ID
   * order, `progress` called after each committed chunk so the caller can record where it is.
   */
  async recomputeAll(
    tenant: ActiveTenant,
    afterProductId: string | null,
    signal: AbortSignal,
    progress: (lastProductId: string, products: number) => Promise<void>,
  ): Promise<StockRefreshResult> {
    // As the reconciliation: a stop abandons the reads at once (the run resumes at the next start).
    const reading =
      this.deps.stopping === undefined ? signal : AbortSignal.any([signal, this.deps.stopping]);
    const rows = await this.readPosStock(tenant, {}, reading);
    const allocated = await this.readAllocated(tenant, {}, reading);
    const products = await tenantRepositories(forkEm(this.deps.orm), tenant.tenantId).products.find(
      {
        smaregiProductId:
          afterProductId === null ? { $ne: null } : { $ne: null, $gt: afterProductId },
      },
      { orderBy: { smaregiProductId: 'asc' } },
    );
    const ids = products.map((p) => p.smaregiProductId ?? '');
    return this.apply(tenant, ids, rows, allocated, 'reconciliation', progress);
  }

  /** Reads every stock row of the contract and brings every imported product in step. */
  async reconcile(tenant: ActiveTenant, signal: AbortSignal): Promise<StockRefreshResult> {
    // The pass only reads until it writes: a stop (SIGTERM) abandons the reads at once rather
    // than waiting for every page, and the next start simply reconciles again.
    const reading =
      this.deps.stopping === undefined ? signal : AbortSignal.any([signal, this.deps.stopping]);
    let rows: PosStockRow[];
    let allocated: Map<string, string> | null;
    try {
      rows = await this.readPosStock(tenant, {}, reading);
      allocated = await this.readAllocated(tenant, {}, reading);
    } catch (error) {
      if (!stopRequested(this.deps)) throw error;
      return { products: 0, drifts: 0, allocationSource: 'renkeiOrders', warehouseMissing: false };
    }
    const em = forkEm(this.deps.orm);
    const products = await tenantRepositories(em, tenant.tenantId).products.find({
      smaregiProductId: { $ne: null },
    });
    const ids = products.map((p) => p.smaregiProductId ?? '');
    const result = await this.apply(tenant, ids, rows, allocated, 'reconciliation');
    if (result.warehouseMissing) return result;
    // One line in the sync log per finished pass: the dashboard shows when stock was last
    // checked against Smaregi, whether it had drifted (the drifts themselves are StockDrift rows)
    // and where the allocated amounts came from.
    const log = forkEm(this.deps.orm);
    tenantRepositories(log, tenant.tenantId).syncEvents.record({
      subjectType: 'stock',
      kind: STOCK_RECONCILED_KIND,
      outcome: result.drifts > 0 ? 'warning' : 'success',
      message: {
        code: 'stockReconciled',
        params: {
          products: result.products,
          drifts: result.drifts,
          allocationSource: result.allocationSource,
        },
      },
      detail: {
        products: result.products,
        drifts: result.drifts,
        allocationSource: result.allocationSource,
      },
    });
    await log.flush();
    return result;
  }

  /** POS `GET /pos/stock` (confirmed, docs/smaregi-wire.md §4.2). */
  async readPosStock(
    tenant: ActiveTenant,
    filter: Omit<StockListInput, 'page' | 'limit'>,
    signal: AbortSignal,
  ): Promise<PosStockRow[]> {
    const stock = this.deps.smaregi.forContract(tenant.contractId).pos.stock;
    const rows: PosStockRow[] = [];
    for await (const row of stock.iterate(filter, {
      signal,
      priority: STOCK_PRIORITY,
      limit: MAX_PAGE_SIZE,
    }))
      rows.push({ storeId: row.storeId, productId: row.productId, stockAmount: row.stockAmount });
    return rows;
  }

  /**
   * Smaregi's allocated amount per (store, product) from 受注管理 `GET /stock`, or null when that
   * optional source is off for the contract (it answered 404, now or within the retry interval).
   */
  async readAllocated(
    tenant: ActiveTenant,
    filter: { productId?: string; storeId?: string },
    signal: AbortSignal,
  ): Promise<Map<string, string> | null> {
    const offAt = this.#optionalSourceOff.get(tenant.contractId);
    const now = this.deps.clock.now();
    if (offAt !== undefined && now - offAt < OPTIONAL_SOURCE_RETRY_MS) return null;
    const stock = this.deps.smaregi.forContract(tenant.contractId).orderShipment.stock;
    const out = new Map<string, string>();
    try {
      for await (const row of stock.iterate(filter, {
        signal,
        priority: STOCK_PRIORITY,
        limit: MAX_PAGE_SIZE,
      }))
        out.set(stockKey(row.storeId, row.productId), row.allocatedAmount);
    } catch (error) {
      if (!isSmaregiApiError(error) || error.status !== 404) throw error;
      this.#optionalSourceOff.set(tenant.contractId, now);
      this.deps.logger.warn(
        { tenantId: tenant.tenantId, contractId: tenant.contractId, operation: error.operation },
        'order-shipment stock endpoint answered 404: switched off, allocated amounts come from Renkei orders',
      );
      const em = forkEm(this.deps.orm);
      tenantRepositories(em, tenant.tenantId).syncEvents.record({
        subjectType: 'stock',
        kind: ALLOCATION_SOURCE_OFF_KIND,
        outcome: 'warning',
        message: { code: 'stockSourceUnavailable', params: {} },
        detail: { source: 'orderShipmentStock', status: 404 },
      });
      await em.flush();
      return null;
    }
    if (offAt !== undefined) this.#optionalSourceOff.delete(tenant.contractId);
    return out;
  }

  /** Stores the rows of the given products and recomputes their effective stock. */
  async apply(
    tenant: ActiveTenant,
    smaregiProductIds: readonly string[],
    rows: readonly PosStockRow[],
    allocatedFromSmaregi: ReadonlyMap<string, string> | null,
    source: StockSource,
    progress?: (lastProductId: string, products: number) => Promise<void>,
  ): Promise<StockRefreshResult> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const settings = await readSettings(em, tenant);
    const warehouse = await stockWarehouseOf(repos);
    const allocationSource: AllocationSource =
      allocatedFromSmaregi === null ? 'renkeiOrders' : 'orderShipmentStock';
    const allocated = allocatedFromSmaregi ?? (await allocatedOnOrders(repos, settings));
    if (settings.stockBasis === 'orderStoreWarehouse' && warehouse.storeId === null) {
      await this.warehouseMissing(tenant, warehouse.shop?.name ?? null, source);
      return { products: 0, drifts: 0, allocationSource, warehouseMissing: true };
    }
    let drifts = 0;
    let updated = 0;
    const wanted = new Set(smaregiProductIds);
    const rowsByProduct = posRowsByProduct(rows, wanted);
    const allocatedOf = (storeId: string, productId: string) =>
      allocated.get(stockKey(storeId, productId)) ?? '0';
    const demand =
      settings.effectiveStockMode === 'omsPurchase'
        ? await openDemand(tenantRepositories(em, tenant.tenantId), settings)
        : [];
    // Whether the figures' changes are sent as `stock.changed` (docs/webhooks.md): one read per
    // pass, nothing more when no endpoint receives them.
    const sendsChanges = await repos.webhookEndpoints.receives('stock.changed');
    const CHUNK = 500;
    const all = [...wanted];
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      const products = await repos.products.find({ smaregiProductId: { $in: chunk } });
      const levels = await repos.stockLevels.find({ product: { $in: products.map((p) => p.id) } });
      const levelBy = new Map(levels.map((l) => [`${l.product.id}:${l.smaregiStoreId}`, l]));
      const effective = computeEffectiveStock({
        stockBasis: settings.stockBasis,
        effectiveStockMode: settings.effectiveStockMode,
        warehouseStoreId: warehouse.storeId,
        stock: stockRowsOf(chunk, rowsByProduct, allocated),
        openOrderDemand: demand,
        productIds: chunk,
      });
      const now = new Date(this.deps.clock.now());
      const changes: StockChange[] = [];
      for (const product of products) {
        const pid = product.smaregiProductId ?? '';
        for (const row of rowsByProduct.get(pid) ?? []) {
          const amount = Number(row.stockAmount);
          const reserved = Number(allocatedOf(row.storeId, pid));
          const level = levelBy.get(`${product.id}:${row.storeId}`);
          if (level === undefined) {
            repos.stockLevels.create({
              product,
              smaregiStoreId: row.storeId,
              stockAmount: amount,
              allocatedAmount: reserved,
              source,
            });
            continue;
          }
          if (source === 'reconciliation' && level.stockAmount !== amount) {
            repos.stockDrifts.create({
              product,
              smaregiStoreId: row.storeId,
              renkeiAmount: level.stockAmount,
              smaregiAmount: amount,
              ...driftNoteColumns({
                code: 'stockDriftCorrected',
                params: {
                  productCode: product.productCode,
                  productName: product.name,
                  storeId: row.storeId,
                  source: level.source,
                  renkeiAmount: level.stockAmount,
                  smaregiAmount: amount,
                },
              }),
            });
            drifts++;
          }
          level.stockAmount = amount;
          level.allocatedAmount = reserved;
          level.source = source;
        }
        const entry = effective.byProductId.get(pid);
        if (entry !== undefined) {
          const allocatedAmount =
            settings.effectiveStockMode === 'smaregiAllocation' ? entry.reserved : null;
          if (
            sendsChanges &&
            (product.effectiveStock !== entry.effectiveStock ||
              product.stockAmount !== entry.stockAmount ||
              (product.allocatedAmount ?? null) !== allocatedAmount)
          )
            changes.push({
              productCode: product.productCode,
              smaregiProductId: pid,
              effectiveStock: entry.effectiveStock,
              stockAmount: entry.stockAmount,
              allocatedAmount,
              changedAt: now.toISOString(),
            });
          product.stockAmount = entry.stockAmount;
          product.allocatedAmount = allocatedAmount;
          product.effectiveStock = entry.effectiveStock;
          product.stockUpdatedAt = now;
          updated++;
        }
      }
      if (changes.length > 0) {
        // The changes to send are written in the transaction of the figures.
        await em.begin();
        try {
          await repos.outboundStockChanges.record(changes, now);
          await em.commit();
        } catch (error) {
          await em.rollback();
          throw error;
        }
        this.onStockChanges?.();
      } else await em.flush();
      em.clear();
      await progress?.(chunk[chunk.length - 1] ?? '', chunk.length);
    }
    return { products: updated, drifts, allocationSource, warehouseMissing: false };
  }

  /**
   * The warehouse stock basis needs the warehouse of the shops' 受注店舗: without it no figure
   * is computed (rather than one over the wrong store), and the sync log says why and where to
   * set it, once until it is set.
   */
  async warehouseMissing(
    tenant: ActiveTenant,
    shopName: string | null,
    source: StockSource,
  ): Promise<void> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const [last] = await repos.syncEvents.find(
      {
        subjectType: 'stock',
        kind: { $in: [STOCK_WAREHOUSE_MISSING_KIND, STOCK_RECONCILED_KIND] },
      },
      { orderBy: { at: 'desc', id: 'desc' }, limit: 1 },
    );
    this.deps.logger.warn(
      { tenantId: tenant.tenantId, shop: shopName, source },
      'stock figures not computed: the warehouse of the shop is not set',
    );
    if (last?.kind === STOCK_WAREHOUSE_MISSING_KIND) return;
    repos.syncEvents.record({
      subjectType: 'stock',
      kind: STOCK_WAREHOUSE_MISSING_KIND,
      outcome: 'warning',
      message: { code: 'warehouseNotSet', params: { shopName } },
      detail: { shopName },
    });
    await em.flush();
  }
}
