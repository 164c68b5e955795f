import { BetterSqliteDriver } from '@mikro-orm/better-sqlite';
import { QueryOrder, raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { normalizeCode } from '@renkei/domain';
import type { Em } from '../config.js';
import { StockDrift } from '../stock/stock-drift.entity.js';
import { prefixRange, type Page } from '../tenant-scoped.repository.js';
import { ListedProduct, type ProductSyncState } from './listed-product.entity.js';

/*
 * 出品商品一覧: one page of the tenant's products, searched, filtered and sorted by the database,
 * so that a merchant with 100,000 products gets a page as fast as one with ten
 * (apps/api/bench/products-list.bench.ts). Every sort has an index after the tenant, ending with
 * the ID where the key is not unique, so that a page is read in index order and paging is stable
 * (Migration20261202020000).
 */

/** The columns the list sorts by: 商品ID, 商品名, スマレジ商品ID, 有効在庫数, 更新日時. */
export const PRODUCT_LIST_SORTS = [
  'code',
  'name',
  'smaregiId',
  'effectiveStock',
  'updatedAt',
] as const;
export type ProductListSort = (typeof PRODUCT_LIST_SORTS)[number];

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** 在庫なし (有効在庫数 0 or below: oversold too) / 在庫あり (above 0). */
export const PRODUCT_STOCK_FILTERS = ['out', 'in'] as const;
export type ProductStockFilter = (typeof PRODUCT_STOCK_FILTERS)[number];

export interface ProductListQuery {
  /**
   * The beginning of the 商品ID (as typed, or normalised like the matching key) or of the
   * 商品管理番号, the whole スマレジ商品ID, or any part of the 商品名 (case-sensitive).
   */
  search?: string | undefined;
  syncState?: ProductSyncState | undefined;
  /** true: only products with a drift reconciliation found and nobody resolved; false: none. */
  drift?: boolean | undefined;
  stock?: ProductStockFilter | undefined;
  sort?: ProductListSort | undefined;
  order?: SortOrder | undefined;
}

/** Up to this many products with an open drift are given to the page query as a list. */
const OPEN_DRIFT_LIST = 2000;

/** A page of products with which of them have an open drift. */
export interface ProductListPage extends Page<ListedProduct> {
  /** IDs of the page's products that have a drift not resolved yet. */
  withOpenDrift: ReadonlySet<string>;
}

/**
 * `column` holds `text` somewhere: a literal, case-sensitive test (no pattern characters to escape),
 * the same on both dialects.
 */
function contains(em: Em, column: string, text: string): FilterQuery<ListedProduct> {
  const fn = onSqlite(em) ? 'instr' : 'strpos';
  return { [raw((alias) => `${fn}(${alias}.${column}, ?) > 0`, [text])]: [] };
}

const onSqlite = (em: Em) => em.getDriver() instanceof BetterSqliteDriver;

/**
 * The search: the beginning of the 商品ID normalised as the matching key is (full-width letters,
 * other dashes: what a merchant pastes), the beginning of the 商品管理番号, the whole スマレジ商品ID
 * — each read from an index as a range of values (PostgreSQL compares both columns by code point
 * for it, Migration20261202020000) — or any part of the 商品名, which reads every product of the
 * tenant once (a literal test, the cheapest the dialects have: about 20 ms for 100,000).
 */
function searchCondition(em: Em, search: string): FilterQuery<ListedProduct> {
  const key = normalizeCode(search);
  const or: FilterQuery<ListedProduct>[] = [
    { smaregiProductId: search },
    { managementNumber: prefixRange(search) },
    contains(em, 'name', search),
  ];
  if (key !== '') or.push({ productCodeKey: prefixRange(key) });
  return { $or: or };
}

/**
 * The order of a sort. 有効在庫数 not computed yet (null) counts as the lowest figure on both
 * dialects (SQLite's own order; PostgreSQL is told), so the order is the same everywhere. The ID
 * breaks ties of keys that are not unique.
 */
function orderOf(sort: ProductListSort, order: SortOrder): QueryOrderMap<ListedProduct>[] {
  const dir = order === 'asc' ? QueryOrder.ASC : QueryOrder.DESC;
  switch (sort) {
    case 'code':
      return [{ productCodeKey: dir }];
    case 'name':
      return [{ name: dir }, { id: dir }];
    case 'smaregiId':
      return [{ smaregiProductId: dir }, { id: dir }];
    case 'effectiveStock':
      return [
        {
          effectiveStock: order === 'asc' ? QueryOrder.ASC_NULLS_FIRST : QueryOrder.DESC_NULLS_LAST,
        },
        { id: dir },
      ];
    case 'updatedAt':
      return [{ updatedAt: dir }, { id: dir }];
  }
}

/** The tenant's products matching the query, one page, with the total count. */
export async function productPage(
  em: Em,
  tenantId: string,
  query: ProductListQuery,
  page: number,
  pageSize: number,
): Promise<ProductListPage> {
  const and: FilterQuery<ListedProduct>[] = [{ tenant: tenantId }];
  const search = query.search?.trim() ?? '';
  if (search !== '') and.push(searchCondition(em, search));
  if (query.syncState !== undefined) and.push({ syncState: query.syncState });
  if (query.stock === 'out') and.push({ effectiveStock: { $lte: 0 } });
  if (query.stock === 'in') and.push({ effectiveStock: { $gt: 0 } });
  if (query.drift !== undefined) {
    // The products with an open drift are few (a drift is a surprise): read first from
    // (tenant, resolved_at, product) and given as a list, which both planners serve by the
    // primary key. Past OPEN_DRIFT_LIST products, a sub-query instead of a long list.
    const open = await em
      .createQueryBuilder(StockDrift, 'd')
      .select('d.product')
      .distinct()
      .where({ tenant: tenantId, resolvedAt: null })
      .limit(OPEN_DRIFT_LIST + 1)
      .execute<{ product: string }[]>('all', true);
    const ids: string[] =
      open.length <= OPEN_DRIFT_LIST
        ? open.map((r) => r.product)
        : // MikroORM takes a sub-query here; its types do not say so.
          (em
            .createQueryBuilder(StockDrift, 'd')
            .select('d.product')
            .where({ tenant: tenantId, resolvedAt: null })
            .getKnexQuery() as unknown as string[]);
    and.push({ id: query.drift ? { $in: ids } : { $nin: ids } });
  }
  const where: FilterQuery<ListedProduct> = { $and: and };
  const [items, total] = await em.findAndCount(ListedProduct, where, {
    orderBy: orderOf(query.sort ?? 'code', query.order ?? 'asc'),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return {
    items,
    total,
    page,
    pageSize,
    withOpenDrift: await withOpenDrift(
      em,
      tenantId,
      items.map((p) => p.id),
    ),
  };
}

/** Which of these products have a drift not resolved yet. */
export async function withOpenDrift(
  em: Em,
  tenantId: string,
  productIds: readonly string[],
): Promise<Set<string>> {
  if (productIds.length === 0) return new Set();
  const rows = await em
    .createQueryBuilder(StockDrift, 'd')
    .select('d.product')
    .distinct()
    .where({ tenant: tenantId, resolvedAt: null, product: { $in: [...productIds] } })
    .execute<{ product: string }[]>('all', true);
  return new Set(rows.map((r) => r.product));
}
