import type { StockRow } from '@renkei/domain';
import { stockKey } from './open-order-stock.js';

/** One row of POS `GET /pos/stock` (a product without a row has never had a stock change). */
export interface PosStockRow {
  storeId: string;
  productId: string;
  stockAmount: string;
}

/** The POS rows of the wanted products, by Smaregi product ID. */
export function posRowsByProduct(
  rows: readonly PosStockRow[],
  wanted: ReadonlySet<string>,
): Map<string, PosStockRow[]> {
  const byProduct = new Map<string, PosStockRow[]>();
  for (const row of rows) {
    if (!wanted.has(row.productId)) continue;
    const list = byProduct.get(row.productId) ?? [];
    list.push(row);
    byProduct.set(row.productId, list);
  }
  return byProduct;
}

/**
 * The effective-stock rules' input for some products: each POS row with the amount allocated in
 * its store, plus a row of stock 0 wherever an amount is allocated in a store POS has no row for
 * yet (it still reserves stock). `allocated` is keyed by `stockKey(storeId, productId)`.
 */
export function stockRowsOf(
  productIds: readonly string[],
  rowsByProduct: ReadonlyMap<string, readonly PosStockRow[]>,
  allocated: ReadonlyMap<string, string>,
): StockRow[] {
  return productIds.flatMap((id) => {
    const posRows = rowsByProduct.get(id) ?? [];
    const listed: StockRow[] = posRows.map((r) => ({
      storeId: r.storeId,
      productId: r.productId,
      stockAmount: r.stockAmount,
      allocatedAmount: allocated.get(stockKey(r.storeId, r.productId)) ?? '0',
    }));
    for (const [key, amount] of allocated) {
      const [storeId, productId] = key.split('\u0000') as [string, string];
      if (productId === id && !posRows.some((r) => r.storeId === storeId))
        listed.push({ storeId, productId, stockAmount: 0, allocatedAmount: amount });
    }
    return listed;
  });
}
