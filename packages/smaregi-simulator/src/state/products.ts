import type { PosProduct } from './types.js';

/** Filters of `GET /products` (already validated). */
export interface ProductFilter {
  productCode?: string;
  groupCode?: string;
  categoryId?: string;
  displayFlag?: string;
  division?: string;
  salesDivision?: string;
  stockControlDivision?: string;
  updFrom?: number | null;
  updTo?: number | null;
}

interface ProductRecord {
  wire: PosProduct;
  updMs: number;
}

/**
 * Products of one contract, kept in productId order (IDs are assigned increasingly and never
 * reused), with indexes by ID and by code. A page in the primary-key order is served by walking
 * the array, never by sorting the whole set: 100,000 products, 1,000 per page, well under 50 ms.
 */
export class ProductTable {
  private readonly rows: ProductRecord[] = [];
  private readonly byId = new Map<string, ProductRecord>();
  private readonly byCode = new Map<string, ProductRecord>();

  get size(): number {
    return this.rows.length;
  }

  /** Appends a product whose productId is greater than every existing one. */
  insert(product: PosProduct, updMs: number): void {
    const record = { wire: product, updMs };
    this.rows.push(record);
    this.byId.set(product.productId, record);
    this.byCode.set(product.productCode, record);
  }

  get(productId: string): PosProduct | undefined {
    return this.byId.get(productId)?.wire;
  }

  getByCode(productCode: string): PosProduct | undefined {
    return this.byCode.get(productCode)?.wire;
  }

  /** Replaces a product's fields (keeps its position). */
  update(productId: string, changes: Partial<PosProduct>, updMs: number): PosProduct {
    const record = this.byId.get(productId);
    if (!record) throw new Error(`no product ${productId}`);
    if (changes.productCode !== undefined && changes.productCode !== record.wire.productCode) {
      this.byCode.delete(record.wire.productCode);
    }
    record.wire = { ...record.wire, ...changes };
    record.updMs = updMs;
    this.byCode.set(record.wire.productCode, record);
    return record.wire;
  }

  /** Removes a product (its ID is not reused). False when there was none. */
  delete(productId: string): boolean {
    const record = this.byId.get(productId);
    if (!record) return false;
    this.byId.delete(productId);
    this.byCode.delete(record.wire.productCode);
    this.rows.splice(this.rows.indexOf(record), 1);
    return true;
  }

  all(): readonly PosProduct[] {
    return this.rows.map((r) => r.wire);
  }

  private matches(r: ProductRecord, f: ProductFilter): boolean {
    const p = r.wire;
    return (
      (f.groupCode === undefined || p.groupCode === f.groupCode) &&
      (f.categoryId === undefined || p.categoryId === f.categoryId) &&
      (f.displayFlag === undefined || p.displayFlag === f.displayFlag) &&
      (f.division === undefined || p.division === f.division) &&
      (f.salesDivision === undefined || p.salesDivision === f.salesDivision) &&
      (f.stockControlDivision === undefined || p.stockControlDivision === f.stockControlDivision) &&
      (f.updFrom == null || r.updMs >= f.updFrom) &&
      (f.updTo == null || r.updMs <= f.updTo)
    );
  }

  /**
   * The products matching `filter`. In productId order (ascending or descending) only the
   * requested page is collected; for other orders the caller sorts what is returned.
   */
  select(
    filter: ProductFilter,
    window: { offset: number; limit: number; descending: boolean } | null,
  ): PosProduct[] {
    if (filter.productCode !== undefined) {
      const r = this.byCode.get(filter.productCode);
      const hit = r && this.matches(r, filter) ? [r.wire] : [];
      return window ? hit.slice(window.offset, window.offset + window.limit) : hit;
    }
    const out: PosProduct[] = [];
    let skip = window ? window.offset : 0;
    const n = this.rows.length;
    for (let k = 0; k < n; k++) {
      const r = this.rows[window?.descending ? n - 1 - k : k] as ProductRecord;
      if (!this.matches(r, filter)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push(r.wire);
      if (window && out.length >= window.limit) break;
    }
    return out;
  }
}
