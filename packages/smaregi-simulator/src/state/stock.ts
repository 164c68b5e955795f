import type { StockRow } from './types.js';

/**
 * Smaregi's stock bounds: 更新後の在庫数 must stay within ±999,999,999 (docs/smaregi-wire.md §4.2 [OFF]).
 */
export const MAX_STOCK = 999_999_999;

/** The outcome of one stock change; `historyId` is the 在庫変動履歴 ID sent in `pos:stock`. */
export interface StockChange {
  historyId: string;
  productId: string;
  storeId: string;
  stockAmount: number;
  memo: string | null;
  updMs: number;
}

function key(storeId: string, productId: string): string {
  return `${storeId}:${productId}`;
}

/**
 * Stock rows of one contract plus the quantities allocated to 受注 per (store, product).
 * Rows appear on the first change, as in Smaregi.
 */
export class StockTable {
  private readonly rows = new Map<string, StockRow>();
  private readonly allocated = new Map<string, number>();
  private nextHistoryId = 1;

  get(storeId: string, productId: string): StockRow | undefined {
    return this.rows.get(key(storeId, productId));
  }

  amount(storeId: string, productId: string): number {
    return this.get(storeId, productId)?.stockAmount ?? 0;
  }

  allocatedAmount(storeId: string, productId: string): number {
    return this.allocated.get(key(storeId, productId)) ?? 0;
  }

  /** Stock that can still be promised: stock minus what orders have allocated. */
  available(storeId: string, productId: string): number {
    return this.amount(storeId, productId) - this.allocatedAmount(storeId, productId);
  }

  /** Sets the absolute amount and records a history entry. */
  set(
    storeId: string,
    productId: string,
    stockAmount: number,
    memo: string | null,
    updMs: number,
  ): StockChange {
    const k = key(storeId, productId);
    const row = this.rows.get(k);
    if (row) {
      row.stockAmount = stockAmount;
      row.updMs = updMs;
    } else {
      this.rows.set(k, { storeId, productId, stockAmount, layawayStockAmount: 0, updMs });
    }
    const historyId = String(this.nextHistoryId++);
    return { historyId, productId, storeId, stockAmount, memo, updMs };
  }

  /** Adds a (possibly negative) amount and records a history entry. */
  add(
    storeId: string,
    productId: string,
    delta: number,
    memo: string | null,
    updMs: number,
  ): StockChange {
    return this.set(storeId, productId, this.amount(storeId, productId) + delta, memo, updMs);
  }

  /** Changes the allocated quantity (positive reserves, negative releases). */
  allocate(storeId: string, productId: string, delta: number): void {
    const k = key(storeId, productId);
    const next = (this.allocated.get(k) ?? 0) + delta;
    if (next === 0) this.allocated.delete(k);
    else this.allocated.set(k, next);
  }

  rowsList(): StockRow[] {
    return [...this.rows.values()];
  }

  /** The rows of a store and / or a product (undefined = any), as the stock lists filter them. */
  rowsOf(filter: { storeId?: string | undefined; productId?: string | undefined }): StockRow[] {
    return this.rowsList().filter(
      (r) =>
        (filter.storeId === undefined || r.storeId === filter.storeId) &&
        (filter.productId === undefined || r.productId === filter.productId),
    );
  }
}
