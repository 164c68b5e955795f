import { listOf } from './list.js';
import type { OrderStatusCategory } from './master-data.js';
import { problem, type Problem } from './messages.js';
import type { OmsOrder } from './order.js';
import { resolveLineProduct, type ProductIndex } from './product-index.js';
import type { EffectiveStockMode, StockBasis } from './settings.js';

/*
 * 有効在庫数 (effective stock): what can still be promised to new orders, per product.
 *
 *                      | stockBasis 'orderStoreWarehouse'           | stockBasis 'allStores'
 * ---------------------+--------------------------------------------+-------------------------------
 * 'smaregiAllocation'  | warehouse stock − warehouse allocated       | Σ stock − Σ allocated (all stores)
 * 'omsPurchase'        | warehouse stock − open OMS order quantities | Σ stock − open OMS order quantities
 *
 * 'smaregiAllocation' (recommended) trusts Smaregi's own allocation figures (受注管理 GET /stock
 * `allocatedAmount`); 'omsPurchase' subtracts what Renkei's open orders still need, for merchants
 * whose orders are not all allocated in Smaregi. Which open orders count is the caller's choice
 * (normally those whose shops feed the same warehouse); {@link collectOpenOrderDemand} computes
 * their quantities.
 *
 * `effectiveStock` may be negative (oversold); `promisable` is never below 0.
 */

/** One Smaregi stock row (POS `GET /stock`, or 受注管理 `GET /stock` with `allocatedAmount`). */
export interface StockRow {
  storeId: string;
  productId: string;
  /** Integer; Smaregi sends strings, which are accepted when they are plain integers. */
  stockAmount: number | string;
  /** What Smaregi has allocated to orders from this row (受注管理 stock only). */
  allocatedAmount?: number | string | null;
}

/** Quantity an open OMS order still needs of a product. */
export interface OpenOrderDemand {
  productId: string;
  quantity: number;
}

export interface EffectiveStockInput {
  stockBasis: StockBasis;
  effectiveStockMode: EffectiveStockMode;
  /** The warehouse (倉庫) linked to the order store; required for 'orderStoreWarehouse'. */
  warehouseStoreId: string | null;
  stock: readonly StockRow[];
  /** Used by 'omsPurchase' only. */
  openOrderDemand?: readonly OpenOrderDemand[];
  /** Products to report even without any stock row (they get 0). */
  productIds?: readonly string[];
  /** The order store the figures are for; only named in problem messages. */
  orderStoreId?: string;
}

export interface EffectiveStockEntry {
  productId: string;
  /** Stock over the basis (the warehouse, or every store). */
  stockAmount: number;
  /** What is subtracted: Smaregi's allocated amount, or open OMS order quantities. */
  reserved: number;
  /** stockAmount − reserved; negative when oversold. */
  effectiveStock: number;
  /** max(0, effectiveStock): what can be promised. */
  promisable: number;
}

export interface EffectiveStockResult {
  /** Sorted by product ID (code-unit order), so equal inputs give equal outputs. */
  entries: EffectiveStockEntry[];
  byProductId: ReadonlyMap<string, EffectiveStockEntry>;
  /** Rows that could not be used; their products are left out of `entries`. */
  problems: Problem[];
}

const INTEGER = /^-?\d{1,15}$/;

function toInt(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'string' && INTEGER.test(v.trim())) return Number(v.trim());
  return null;
}

/** Computes effective stock per product for one stock basis and mode. Never throws. */
export function computeEffectiveStock(input: EffectiveStockInput): EffectiveStockResult {
  const problems: Problem[] = [];
  const empty = { entries: [], byProductId: new Map<string, EffectiveStockEntry>(), problems };
  if (typeof input !== 'object' || input === null) return empty;
  const stockBy = new Map<string, number>();
  const reservedBy = new Map<string, number>();
  const broken = new Set<string>();
  const byWarehouse = input.stockBasis === 'orderStoreWarehouse';

  if (byWarehouse && (input.warehouseStoreId === null || input.warehouseStoreId === '')) {
    problems.push(
      problem(
        'warehouseNotLinked',
        { orderNumber: '', field: 'warehouseStoreId' },
        input.orderStoreId === undefined ? {} : { storeId: input.orderStoreId },
      ),
    );
    return empty;
  }
  const add = (map: Map<string, number>, key: string, n: number) =>
    map.set(key, (map.get(key) ?? 0) + n);

  for (const row of listOf(input.stock)) {
    if (typeof row !== 'object' || row === null || typeof row.productId !== 'string') continue;
    if (byWarehouse && row.storeId !== input.warehouseStoreId) continue;
    const stock = toInt(row.stockAmount);
    const allocated =
      row.allocatedAmount === undefined || row.allocatedAmount === null
        ? 0
        : toInt(row.allocatedAmount);
    if (stock === null || allocated === null) {
      broken.add(row.productId);
      problems.push(
        problem(
          'stockAmountInvalid',
          { orderNumber: '', field: 'stock' },
          {
            productId: row.productId,
            value: String(stock === null ? row.stockAmount : row.allocatedAmount),
          },
        ),
      );
      continue;
    }
    add(stockBy, row.productId, stock);
    if (input.effectiveStockMode === 'smaregiAllocation') add(reservedBy, row.productId, allocated);
  }
  if (input.effectiveStockMode === 'omsPurchase') {
    for (const d of listOf(input.openOrderDemand)) {
      if (typeof d?.productId !== 'string') continue;
      const q = toInt(d.quantity);
      if (q === null || q < 0) {
        broken.add(d.productId);
        problems.push(
          problem(
            'openOrderQuantityInvalid',
            { orderNumber: '', field: 'openOrderDemand' },
            { productId: d.productId, value: String(d.quantity) },
          ),
        );
        continue;
      }
      add(reservedBy, d.productId, q);
    }
  }
  const ids = new Set<string>([
    ...stockBy.keys(),
    ...reservedBy.keys(),
    ...listOf(input.productIds),
  ]);
  const entries: EffectiveStockEntry[] = [];
  const byProductId = new Map<string, EffectiveStockEntry>();
  for (const productId of [...ids].sort(compareCodeUnits)) {
    if (broken.has(productId)) continue;
    const stockAmount = stockBy.get(productId) ?? 0;
    const reserved = reservedBy.get(productId) ?? 0;
    const effectiveStock = stockAmount - reserved;
    const entry = {
      productId,
      stockAmount,
      reserved,
      effectiveStock,
      promisable: Math.max(0, effectiveStock),
    };
    entries.push(entry);
    byProductId.set(productId, entry);
  }
  return { entries, byProductId, problems };
}

/** Plain code-unit comparison: locale-independent, so results never depend on the machine. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface OpenOrderDemandOptions {
  products: ProductIndex;
  /** Enclosure lines count only when they are sent to Smaregi (same rule as the payload). */
  syncEnclosures: boolean;
  /** Status ID -> category. An order whose status is unknown counts as open (promise less, never more). */
  statusCategories: ReadonlyMap<string, OrderStatusCategory>;
}

/**
 * Quantities that open OMS orders (status category 'open': not shipped, not cancelled) still need,
 * per Smaregi product, for the 'omsPurchase' mode. Lines whose product cannot be resolved are
 * returned in `unresolved` (they cannot reserve stock of any product).
 */
export function collectOpenOrderDemand(
  orders: readonly OmsOrder[],
  options: OpenOrderDemandOptions,
): { demand: OpenOrderDemand[]; unresolved: { orderNumber: string; lineIndex: number }[] } {
  const byProduct = new Map<string, number>();
  const unresolved: { orderNumber: string; lineIndex: number }[] = [];
  for (const order of listOf(orders)) {
    if (typeof order !== 'object' || order === null || !Array.isArray(order.lines)) continue;
    const category = options.statusCategories.get(order.statusId) ?? 'open';
    if (category !== 'open') continue;
    order.lines.forEach((line, lineIndex) => {
      if (line.isEnclosure && !options.syncEnclosures) return;
      const q = toInt(line.quantity);
      if (q === null || q <= 0) return;
      const r = resolveLineProduct(options.products, line);
      if (r.status !== 'found') {
        unresolved.push({ orderNumber: order.orderNumber, lineIndex });
        return;
      }
      byProduct.set(r.ref.productId, (byProduct.get(r.ref.productId) ?? 0) + q);
    });
  }
  const demand = [...byProduct.entries()]
    .sort(([a], [b]) => compareCodeUnits(a, b))
    .map(([productId, quantity]) => ({ productId, quantity }));
  return { demand, unresolved };
}
