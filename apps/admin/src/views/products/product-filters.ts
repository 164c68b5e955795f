import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { trpc } from '../../api/trpc';
import { knownOrEmpty, pageFromQuery, queryOfFields, queryText } from '../list-query';

/*
 * 出品商品一覧's state lives in the address (`/products?sync=failed&sort=name&order=desc&page=2`):
 * a reload, a shared link and the import summary's link to the products it could not take
 * (`/products?sync=failed`) all open the same list. This module turns the address into the
 * filters and sort, and those into the API's input; the address itself is read and written by
 * ../list-query.ts, as for the order list.
 */

export type ProductListInput = NonNullable<Parameters<typeof trpc.products.list.query>[0]>;
export type ProductListPage = Awaited<ReturnType<typeof trpc.products.list.query>>;
export type ProductRow = ProductListPage['items'][number];
export type ProductSortKey = NonNullable<ProductListInput['sort']>;
export type SortOrder = NonNullable<ProductListInput['order']>;

/** 連携状態 as the list offers it: 連携済み / エラー / 未取込. */
export const SYNC_FILTERS = [
  'synced',
  'failed',
  'notImported',
] as const satisfies readonly NonNullable<ProductListInput['syncState']>[];
/** 在庫なし (0 or below) / 在庫あり. */
export const STOCK_FILTERS = ['out', 'in'] as const satisfies readonly NonNullable<
  ProductListInput['stock']
>[];
/** The columns the list sorts by, in the order of the table. */
export const SORT_KEYS = [
  'code',
  'name',
  'smaregiId',
  'effectiveStock',
  'updatedAt',
] as const satisfies readonly ProductSortKey[];
const ORDERS = ['asc', 'desc'] as const satisfies readonly SortOrder[];

export interface ProductFilters {
  search: string;
  sync: (typeof SYNC_FILTERS)[number] | '';
  /** 'open': only products with a drift reconciliation found and nobody resolved. */
  drift: 'open' | '';
  stock: (typeof STOCK_FILTERS)[number] | '';
}

export interface ProductSort {
  sort: ProductSortKey;
  order: SortOrder;
}

export const emptyFilters = (): ProductFilters => ({ search: '', sync: '', drift: '', stock: '' });
/** 商品ID ascending: the list's order when the address says none. */
export const DEFAULT_SORT: ProductSort = { sort: 'code', order: 'asc' };

export interface ProductListState {
  filters: ProductFilters;
  sort: ProductSort;
  page: number;
}

/** The filters, sort and page the address asks for; what the list does not know is left out. */
export function stateFromQuery(query: LocationQuery): ProductListState {
  const sort = knownOrEmpty(queryText(query.sort), SORT_KEYS);
  const order = knownOrEmpty(queryText(query.order), ORDERS);
  return {
    filters: {
      search: queryText(query.search).slice(0, 100),
      sync: knownOrEmpty(queryText(query.sync), SYNC_FILTERS),
      drift: knownOrEmpty(queryText(query.drift), ['open'] as const),
      stock: knownOrEmpty(queryText(query.stock), STOCK_FILTERS),
    },
    sort: {
      sort: sort === '' ? DEFAULT_SORT.sort : sort,
      order: order === '' ? DEFAULT_SORT.order : order,
    },
    page: pageFromQuery(query),
  };
}

/** The address of a state (empty filters, the default sort and page 1 left out). */
export function queryOf(state: ProductListState): LocationQueryRaw {
  const { sort, order } = state.sort;
  return queryOfFields(
    {
      ...state.filters,
      sort: sort === DEFAULT_SORT.sort && order === DEFAULT_SORT.order ? '' : sort,
      order: order === DEFAULT_SORT.order ? '' : order,
    },
    state.page,
  );
}

/** The API's input for one page of the list in this state. */
export function listInput(state: ProductListState, pageSize: number): ProductListInput {
  const { search, sync, drift, stock } = state.filters;
  return {
    page: state.page,
    pageSize,
    sort: state.sort.sort,
    order: state.sort.order,
    ...(search.trim() === '' ? {} : { search: search.trim() }),
    ...(sync === '' ? {} : { syncState: sync }),
    ...(drift === 'open' ? { drift: true } : {}),
    ...(stock === '' ? {} : { stock }),
  };
}

/** How many filters are in use (the list says when nothing matches because of them). */
export function activeFilterCount(filters: ProductFilters): number {
  const values: string[] = [filters.search.trim(), filters.sync, filters.drift, filters.stock];
  return values.filter((v) => v !== '').length;
}

/**
 * The sort after the merchant chose a column: the same column turns around; another starts
 * ascending, except 更新日時, which starts with the latest (what a merchant looks for first).
 */
export function nextSort(current: ProductSort, key: ProductSortKey): ProductSort {
  if (current.sort === key) return { sort: key, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { sort: key, order: key === 'updatedAt' ? 'desc' : 'asc' };
}

/** `aria-sort` of a column header. */
export function ariaSort(
  current: ProductSort,
  key: ProductSortKey,
): 'ascending' | 'descending' | 'none' {
  if (current.sort !== key) return 'none';
  return current.order === 'asc' ? 'ascending' : 'descending';
}
