import {
  collectOpenOrderDemand,
  computeEffectiveStock,
  type EffectiveStockMode,
  type IntegrationSettings,
  type OpenOrderDemand,
  type OrderStatusCategory,
  type StockBasis,
} from '@renkei/domain';
import type { Shop } from '../catalog/shop.entity.js';
import { toOmsOrder } from '../orders/oms-order.js';
import { productIndexFor } from '../orders/order-payload-context.js';
import type { ListedProduct } from '../products/listed-product.entity.js';
import type { TenantRepositories } from '../repositories.js';
import type { StockLevel, StockSource } from './stock-level.entity.js';

/*
 * The stored facts a product's 有効在庫数 is computed from, read in one place: the worker computes
 * the figure the list shows with them (apps/worker's stock sync), and the API shows a product's
 * figures on demand ([内訳]) by running the same domain rule, `computeEffectiveStock`, over the
 * same facts. The rule itself is the domain's.
 */

/** The warehouse (倉庫) a shop's 受注店舗 takes stock from, as set on the shop; null when not set. */
export function warehouseStoreIdOf(shop: Pick<Shop, 'warehouseStoreId'>): string | null {
  const warehouse = shop.warehouseStoreId?.trim() ?? '';
  return warehouse === '' ? null : warehouse;
}

/**
 * The warehouse the tenant's stock figures are computed from (在庫数合算: 受注店舗の倉庫): that of
 * the first active mapped shop by name. null when that shop has none set (the figures then wait,
 * with a reason, until it is set).
 */
export async function stockWarehouseOf(
  repos: TenantRepositories,
): Promise<{ storeId: string | null; shop: Shop | null }> {
  const shops = await repos.shops.find(
    { orderStoreId: { $ne: null }, active: true },
    { orderBy: { name: 'asc', id: 'asc' } },
  );
  const shop = shops[0] ?? null;
  return { storeId: shop === null ? null : warehouseStoreIdOf(shop), shop };
}

/**
 * What Renkei's open orders (status category 'open', not cancelled) still need, per Smaregi
 * product: the OMS purchase quantities of 有効在庫数計算設定 [OMS購入数] (domain rule
 * `collectOpenOrderDemand`). Lines are matched to products as the payload builder matches them
 * (`productIndexFor`: only the products the lines can name), so an order's demand falls on the
 * product Renkei sends it with.
 */
export async function openOrderDemand(
  repos: TenantRepositories,
  settings: IntegrationSettings,
): Promise<OpenOrderDemand[]> {
  const orders = await repos.orders.find(
    { status: { category: 'open' }, syncState: { $ne: 'canceled' } },
    { populate: ['lines', 'shop', 'paymentMethod', 'status'] },
  );
  const oms = orders.map(toOmsOrder);
  const statuses = await repos.orderStatuses.list();
  return collectOpenOrderDemand(oms, {
    products: await productIndexFor(
      repos,
      oms.flatMap((o) => o.lines),
      settings,
    ),
    syncEnclosures: settings.syncEnclosures,
    statusCategories: new Map(statuses.map((s) => [s.id, s.category as OrderStatusCategory])),
  }).demand;
}

/**
 * The stored stock rows of products (Smaregi's stock per store as Renkei last read it), by
 * product ID, each product's in store order; one query for all of them (the stock feed's page).
 */
export async function stockLevelsByProduct(
  repos: TenantRepositories,
  productIds: readonly string[],
): Promise<Map<string, StockLevel[]>> {
  const byProduct = new Map<string, StockLevel[]>();
  if (productIds.length === 0) return byProduct;
  const levels = await repos.stockLevels.find(
    { product: { $in: [...productIds] } },
    { orderBy: { product: 'asc', smaregiStoreId: 'asc' } },
  );
  for (const level of levels) {
    const list = byProduct.get(level.product.id);
    if (list === undefined) byProduct.set(level.product.id, [level]);
    else list.push(level);
  }
  return byProduct;
}

/** One stored stock row of the product: Smaregi's stock in one store as Renkei last read it. */
export interface StockFiguresRow {
  smaregiStoreId: string;
  stockAmount: number;
  /** Smaregi's allocated amount in that store (counted in the smaregiAllocation mode only). */
  allocatedAmount: number;
  /** Whether the row counts under 在庫数合算設定 (the warehouse only, or every store). */
  counted: boolean;
  source: StockSource;
  readAt: Date;
}

/** Why no figure can be computed now. */
export type StockFiguresProblem = 'notImported' | 'warehouseNotSet';

/** Everything a product's 有効在庫数 comes from, and the figure the rule gives for it now. */
export interface ProductStockFigures {
  stockBasis: StockBasis;
  effectiveStockMode: EffectiveStockMode;
  /** The warehouse counted under 受注店舗の倉庫 (and the shop it was taken from). */
  warehouse: { storeId: string | null; shopName: string | null } | null;
  rows: StockFiguresRow[];
  /** OMS purchase quantity of the open orders (omsPurchase mode; null in the other mode). */
  openOrderQuantity: number | null;
  /** The rule over these facts; null with a problem when it cannot be computed. */
  computed: { stockAmount: number; reserved: number; effectiveStock: number } | null;
  problem: StockFiguresProblem | null;
  /** The figure the list shows, as the worker last stored it, and whether a recompute is due. */
  listed: { effectiveStock: number | null; stockUpdatedAt: Date | null; recomputeDue: boolean };
}

/**
 * A product's stock figures under the current settings: its stored stock rows, the warehouse,
 * the open orders' quantities, and `computeEffectiveStock` over them, as the worker runs it.
 */
export async function productStockFigures(
  repos: TenantRepositories,
  product: ListedProduct,
  settings: IntegrationSettings,
): Promise<ProductStockFigures> {
  const { stockBasis, effectiveStockMode } = settings;
  const byWarehouse = stockBasis === 'orderStoreWarehouse';
  const warehouse = byWarehouse ? await stockWarehouseOf(repos) : null;
  const levels = (await stockLevelsByProduct(repos, [product.id])).get(product.id) ?? [];
  const rows: StockFiguresRow[] = levels.map((l) => ({
    smaregiStoreId: l.smaregiStoreId,
    stockAmount: l.stockAmount,
    allocatedAmount: l.allocatedAmount,
    counted: !byWarehouse || l.smaregiStoreId === warehouse?.storeId,
    source: l.source,
    readAt: l.updatedAt,
  }));
  const listed = {
    effectiveStock: product.effectiveStock ?? null,
    stockUpdatedAt: product.stockUpdatedAt ?? null,
    recomputeDue: product.stockRecomputeRequests > 0,
  };
  const base = {
    stockBasis,
    effectiveStockMode,
    warehouse:
      warehouse === null
        ? null
        : { storeId: warehouse.storeId, shopName: warehouse.shop?.name ?? null },
    rows,
    listed,
  };
  const productId = product.smaregiProductId ?? null;
  if (productId === null)
    return { ...base, openOrderQuantity: null, computed: null, problem: 'notImported' };
  const demand =
    effectiveStockMode === 'omsPurchase'
      ? (await openOrderDemand(repos, settings)).filter((d) => d.productId === productId)
      : [];
  const openOrderQuantity =
    effectiveStockMode === 'omsPurchase' ? demand.reduce((sum, d) => sum + d.quantity, 0) : null;
  if (byWarehouse && warehouse?.storeId == null)
    return { ...base, openOrderQuantity, computed: null, problem: 'warehouseNotSet' };
  const result = computeEffectiveStock({
    stockBasis,
    effectiveStockMode,
    warehouseStoreId: warehouse?.storeId ?? null,
    stock: levels.map((l) => ({
      storeId: l.smaregiStoreId,
      productId,
      stockAmount: l.stockAmount,
      allocatedAmount: l.allocatedAmount,
    })),
    openOrderDemand: demand,
    productIds: [productId],
  });
  const entry = result.byProductId.get(productId);
  return {
    ...base,
    openOrderQuantity,
    computed:
      entry === undefined
        ? null
        : {
            stockAmount: entry.stockAmount,
            reserved: entry.reserved,
            effectiveStock: entry.effectiveStock,
          },
    problem: null,
  };
}
