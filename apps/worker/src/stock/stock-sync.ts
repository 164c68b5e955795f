import {
  collectOpenOrderDemand,
  computeEffectiveStock,
  createProductIndex,
  type IntegrationSettings,
  type OmsOrder,
  type OrderStatusCategory,
  type ProductIndexEntry,
  type StockRow,
} from '@renkei/domain';
import { forkEm, tenantRepositories, type Em, type StockSource } from '@renkei/persistence';
import type { OrderShipmentStockRow } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import { readSettings, toIndexEntry, toOmsOrder } from '../orders/order-view.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';

/** Sync-event kind of a finished reconciliation pass (read by the API's dashboard summary). */
export const STOCK_RECONCILED_KIND = 'stock.reconciled';

/** Stock reads go after orders and allocation in the contract's budget. */
export const STOCK_PRIORITY = 10;
const WAREHOUSE_CACHE_MS = 300_000;

export interface StockRefreshResult {
  products: number;
  drifts: number;
}

/**
 * Keeps each listed product's stock figures and 有効在庫数 current (docs/flows.md §6): from
 * `pos:stock` webhooks (the products named) and from a periodic reconciliation over every stock
 * row. Smaregi's rows are read through 受注管理 GET /stock (with the allocated amount); the
 * effective stock itself is the domain's `computeEffectiveStock`. A difference that the
 * reconciliation finds (a webhook that never arrived, a change made elsewhere) is recorded as a
 * drift the merchant sees, never silently overwritten.
 */
export class StockSync {
  readonly #warehouses = new Map<string, { id: string | null; at: number }>();

  constructor(private readonly deps: WorkerDeps) {}

  /** Refreshes the named Smaregi products (webhook). */
  async refreshProducts(
    tenant: ActiveTenant,
    smaregiProductIds: readonly string[],
    signal: AbortSignal,
  ): Promise<StockRefreshResult> {
    const ids = [...new Set(smaregiProductIds)];
    const stock = this.deps.smaregi.forContract(tenant.contractId).orderShipment.stock;
    const rows: OrderShipmentStockRow[] = [];
    for (const productId of ids) {
      for await (const row of stock.iterate({ productId }, { signal, priority: STOCK_PRIORITY }))
        rows.push(row);
    }
    return this.apply(tenant, ids, rows, 'webhook', signal);
  }

  /** Reads every stock row of the contract and brings every imported product in step. */
  async reconcile(tenant: ActiveTenant, signal: AbortSignal): Promise<StockRefreshResult> {
    const stock = this.deps.smaregi.forContract(tenant.contractId).orderShipment.stock;
    const rows: OrderShipmentStockRow[] = [];
    for await (const row of stock.iterate({}, { signal, priority: STOCK_PRIORITY, limit: 1000 }))
      rows.push(row);
    const em = forkEm(this.deps.orm);
    const products = await tenantRepositories(em, tenant.tenantId).products.find({
      smaregiProductId: { $ne: null },
    });
    const ids = products.map((p) => p.smaregiProductId ?? '');
    const result = await this.apply(tenant, ids, rows, 'reconciliation', signal);
    // One line in the sync log per finished pass: the dashboard shows when stock was last
    // checked against Smaregi and whether it had drifted (the drifts themselves are StockDrift rows).
    const log = forkEm(this.deps.orm);
    tenantRepositories(log, tenant.tenantId).syncEvents.record({
      subjectType: 'stock',
      kind: STOCK_RECONCILED_KIND,
      outcome: result.drifts > 0 ? 'warning' : 'success',
      message: `在庫照合を完了しました(商品 ${result.products} 件、差異 ${result.drifts} 件) / Stock reconciliation finished (${result.products} product(s), ${result.drifts} drift(s))`,
      detail: { products: result.products, drifts: result.drifts },
    });
    await log.flush();
    return result;
  }

  /** Stores the rows of the given products and recomputes their effective stock. */
  async apply(
    tenant: ActiveTenant,
    smaregiProductIds: readonly string[],
    rows: readonly OrderShipmentStockRow[],
    source: StockSource,
    signal: AbortSignal,
  ): Promise<StockRefreshResult> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const settings = await readSettings(em, tenant.tenantId);
    const warehouseStoreId = await this.warehouseOf(tenant, em, signal);
    let drifts = 0;
    let updated = 0;
    const wanted = new Set(smaregiProductIds);
    const rowsByProduct = new Map<string, OrderShipmentStockRow[]>();
    for (const row of rows) {
      if (!wanted.has(row.productId)) continue;
      const list = rowsByProduct.get(row.productId) ?? [];
      list.push(row);
      rowsByProduct.set(row.productId, list);
    }
    const demand =
      settings.effectiveStockMode === 'omsPurchase'
        ? await this.openDemand(em, tenant, settings)
        : [];
    const CHUNK = 500;
    const all = [...wanted];
    for (let i = 0; i < all.length; i += CHUNK) {
      const chunk = all.slice(i, i + CHUNK);
      const products = await repos.products.find({ smaregiProductId: { $in: chunk } });
      const levels = await repos.stockLevels.find({ product: { $in: products.map((p) => p.id) } });
      const levelBy = new Map(levels.map((l) => [`${l.product.id}:${l.smaregiStoreId}`, l]));
      const stockRows: StockRow[] = chunk.flatMap((id) =>
        (rowsByProduct.get(id) ?? []).map((r) => ({
          storeId: r.storeId,
          productId: r.productId,
          stockAmount: r.stockAmount,
          allocatedAmount: r.allocatedAmount,
        })),
      );
      const effective = computeEffectiveStock({
        stockBasis: settings.stockBasis,
        effectiveStockMode: settings.effectiveStockMode,
        warehouseStoreId,
        stock: stockRows,
        openOrderDemand: demand,
        productIds: chunk,
      });
      const now = new Date(this.deps.clock.now());
      for (const product of products) {
        const pid = product.smaregiProductId ?? '';
        for (const row of rowsByProduct.get(pid) ?? []) {
          const amount = Number(row.stockAmount);
          const allocated = Number(row.allocatedAmount);
          const level = levelBy.get(`${product.id}:${row.storeId}`);
          if (level === undefined) {
            repos.stockLevels.create({
              product,
              smaregiStoreId: row.storeId,
              stockAmount: amount,
              allocatedAmount: allocated,
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
              note: `照合でスマレジとの差異を検出し、スマレジの在庫数に合わせました(${level.source}由来の ${level.stockAmount} → ${amount}) / Reconciliation found a difference and took Smaregi's figure`,
            });
            drifts++;
          }
          level.stockAmount = amount;
          level.allocatedAmount = allocated;
          level.source = source;
        }
        const entry = effective.byProductId.get(pid);
        if (entry !== undefined) {
          product.stockAmount = entry.stockAmount;
          product.allocatedAmount =
            settings.effectiveStockMode === 'smaregiAllocation' ? entry.reserved : null;
          product.effectiveStock = entry.effectiveStock;
          product.stockUpdatedAt = now;
          updated++;
        }
      }
      await em.flush();
      em.clear();
    }
    return { products: updated, drifts };
  }

  /** Open-order demand per Smaregi product for the omsPurchase mode (domain rule). */
  async openDemand(em: Em, tenant: ActiveTenant, settings: IntegrationSettings) {
    const repos = tenantRepositories(em, tenant.tenantId);
    const orders = await repos.orders.find(
      { status: { category: 'open' }, syncState: { $ne: 'canceled' } },
      { populate: ['lines', 'shop', 'paymentMethod', 'status'] },
    );
    const oms: OmsOrder[] = orders.map(toOmsOrder);
    const statuses = await repos.orderStatuses.list();
    const products = await repos.products.find({ smaregiProductId: { $ne: null } });
    const index = createProductIndex(
      products.map(toIndexEntry).filter((e): e is ProductIndexEntry => e !== null),
    ).index;
    return collectOpenOrderDemand(oms, {
      products: index,
      syncEnclosures: settings.syncEnclosures,
      statusCategories: new Map(statuses.map((s) => [s.id, s.category as OrderStatusCategory])),
    }).demand;
  }

  /** The warehouse linked to the tenant's (first mapped) order store, cached; null if none. */
  async warehouseOf(tenant: ActiveTenant, em: Em, signal: AbortSignal): Promise<string | null> {
    const cached = this.#warehouses.get(tenant.tenantId);
    const now = this.deps.clock.now();
    if (cached !== undefined && now - cached.at < WAREHOUSE_CACHE_MS) return cached.id;
    const shops = await tenantRepositories(em, tenant.tenantId).shops.find(
      { orderStoreId: { $ne: null }, active: true },
      { orderBy: { name: 'asc' } },
    );
    const storeId = shops[0]?.orderStoreId;
    let id: string | null = null;
    if (storeId != null) {
      const store = await this.deps.smaregi
        .forContract(tenant.contractId)
        .orderShipment.stores.get(storeId, { signal, priority: STOCK_PRIORITY });
      id = store.stockStoreId ?? null;
    }
    this.#warehouses.set(tenant.tenantId, { id, at: now });
    return id;
  }
}
