import { BetterSqlitePlatform } from '@mikro-orm/better-sqlite';
import { QueryOrder, raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { normalizeCode } from '@renkei/domain';
import { COUNT_LIMIT, countUpToLimit, type CappedPage } from '../capped-count.js';
import type { Em } from '../config.js';
import { StockDrift } from '../stock/stock-drift.entity.js';
import { prefixRange } from '../tenant-scoped.repository.js';
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

/**
 * A page of products with which of them have an open drift. The total of a search stops at
 * {@link COUNT_LIMIT} (`totalCapped`); a filter's total is exact.
 */
export interface ProductListPage extends CappedPage<ListedProduct> {
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

const onSqlite = (em: Em) => em.getPlatform() instanceof BetterSqlitePlatform;

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

/** A key of a sort: a column of the product, or the length of its text. */
interface SortKey {
  property: keyof ListedProduct & string;
  length?: true;
  /** null counts as the lowest value on both dialects (SQLite's own order; PostgreSQL is told). */
  nullsLowest?: true;
}

/**
 * The keys of each sort, the ID breaking ties of keys that are not unique. 有効在庫数 not computed
 * yet and a product without a スマレジ商品ID count as the lowest, so the order is the same on both
 * dialects. A スマレジ商品ID is a number written without leading zeros: by length, then by text,
 * is by number ('9' before '10'), with an index that serves it (Migration20261202080000).
 */
const SORT_KEYS: Record<ProductListSort, readonly SortKey[]> = {
  code: [{ property: 'productCodeKey' }],
  name: [{ property: 'name' }, { property: 'id' }],
  smaregiId: [
    { property: 'smaregiProductId', length: true, nullsLowest: true },
    { property: 'smaregiProductId', nullsLowest: true },
    { property: 'id' },
  ],
  effectiveStock: [{ property: 'effectiveStock', nullsLowest: true }, { property: 'id' }],
  updatedAt: [{ property: 'updatedAt' }, { property: 'id' }],
};

/** Each key of a sort as SQL: its column (or the length of it), its name and its direction. */
function sortKeys(
  em: Em,
  sort: ProductListSort,
  order: SortOrder,
): { sql: (alias: string) => string; name: string; direction: QueryOrder }[] {
  const meta = em.getMetadata().find(ListedProduct)!;
  const asc = order === 'asc';
  return SORT_KEYS[sort].map(({ property, length, nullsLowest }) => {
    const column = meta.properties[property].fieldNames[0]!;
    return {
      sql: length ? (alias) => `length(${alias}.${column})` : (alias) => `${alias}.${column}`,
      name: length ? `${column}_length` : column,
      direction: nullsLowest
        ? asc
          ? QueryOrder.ASC_NULLS_FIRST
          : QueryOrder.DESC_NULLS_LAST
        : asc
          ? QueryOrder.ASC
          : QueryOrder.DESC,
    };
  });
}

/** The order of a sort, for the entity manager. */
function orderOf(em: Em, sort: ProductListSort, order: SortOrder): QueryOrderMap<ListedProduct>[] {
  return sortKeys(em, sort, order).map(({ sql, direction }) => ({ [raw(sql)]: direction }));
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
  const sort = query.sort ?? 'code';
  const order = query.order ?? 'asc';
  const found =
    search === ''
      ? await filteredPage(em, { $and: and }, sort, order, page, pageSize)
      : // A new condition for each query: MikroORM's raw fragment of the search is used once.
        await searchedPage(
          em,
          () => ({ $and: [...and, searchCondition(em, search)] }),
          sort,
          order,
          page,
          pageSize,
        );
  return {
    ...found,
    page,
    pageSize,
    withOpenDrift: await withOpenDrift(
      em,
      tenantId,
      found.items.map((p) => p.id),
    ),
  };
}

type Found = Pick<ProductListPage, 'items' | 'total' | 'totalCapped'>;

/**
 * Without a search, every condition leads an index after the tenant: the page is read in index
 * order and the count from the index, both exact.
 */
async function filteredPage(
  em: Em,
  where: { $and: FilterQuery<ListedProduct>[] },
  sort: ProductListSort,
  order: SortOrder,
  page: number,
  pageSize: number,
): Promise<Found> {
  const [items, total] = await em.findAndCount(ListedProduct, where, {
    orderBy: orderOf(em, sort, order),
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return { items, total, totalCapped: false };
}

/**
 * A search reads every product of the tenant (any part of the 商品名), so the page and its count
 * come from one pass: the matches, up to COUNT_LIMIT + 1 of them in the order they are read (ID
 * and sort keys only), counted by a window and sorted for the page, whose products are then read
 * by ID. Reading in a sort's index order instead would fetch every product at random for a
 * search that finds few. Past COUNT_LIMIT matches (a search finding a tenth of a large catalogue
 * or more) the page is read in index order, where matches are dense enough to stop early, and
 * the total says "more than COUNT_LIMIT".
 */
async function searchedPage(
  em: Em,
  where: () => { $and: FilterQuery<ListedProduct>[] },
  sort: ProductListSort,
  order: SortOrder,
  page: number,
  pageSize: number,
): Promise<Found> {
  const offset = (page - 1) * pageSize;
  const keys = sortKeys(em, sort, order);
  const columns = new Map([['id', 'p.id'], ...keys.map((k) => [k.name, k.sql('p')] as const)]);
  const matching = em
    .createQueryBuilder(ListedProduct, 'p')
    .select([...columns].map(([name, sql]) => raw(`${sql} as ${name}`)))
    .where(where())
    .limit(COUNT_LIMIT + 1);
  // SQLite reads the tenant's rows in table order from the tenant index: any other index after
  // the tenant would do for the condition, and without statistics its planner may take one that
  // reads the rows in a sort's order, each from another page of the table.
  if (onSqlite(em)) matching.indexHint('indexed by listed_products_tenant_id_index');
  const matches = matching.getKnexQuery();
  const knex = em.getKnex();
  const rows = await em.execute<{ id: string; total: number | string }[]>(
    knex
      .select('m.id', knex.raw('count(*) over () as total'))
      .from(matches.as('m'))
      .orderByRaw(keys.map((k) => `m.${k.name} ${k.direction}`).join(', '))
      .limit(pageSize)
      .offset(offset),
  );
  const first = rows[0];
  if (first === undefined) {
    // No match, or a page past the matches read: past the last page (nothing), or past
    // COUNT_LIMIT matches (read below).
    if (offset === 0) return { items: [], total: 0, totalCapped: false };
    const counted = await countUpToLimit(
      em,
      em.createQueryBuilder(ListedProduct, 'p').where(where()),
    );
    if (!counted.totalCapped) return { items: [], ...counted };
  } else if (Number(first.total) <= COUNT_LIMIT) {
    const byId = new Map(
      (await em.find(ListedProduct, { ...where(), id: { $in: rows.map((r) => r.id) } })).map(
        (p) => [p.id, p],
      ),
    );
    return {
      items: rows.map((r) => byId.get(r.id)!),
      total: Number(first.total),
      totalCapped: false,
    };
  }
  // More than COUNT_LIMIT matches: the page in index order.
  const items = await em.find(ListedProduct, where(), {
    orderBy: orderOf(em, sort, order),
    limit: pageSize,
    offset,
  });
  return { items, total: COUNT_LIMIT, totalCapped: true };
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
