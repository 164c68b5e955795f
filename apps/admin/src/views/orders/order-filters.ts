import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { trpc } from '../../api/trpc';
import { pageFromQuery, queryOfFields, queryText } from '../list-query';

/*
 * The 受注 list's state lives in the address (`/orders?syncState=held&page=2`), so a reload, the
 * browser's back button from an order and the dashboard's links all land on the same list. This
 * module turns the address into the filters and the filters into the API's input, dropping
 * anything it does not know (an old bookmark never breaks the list); the address itself is read
 * and written by ../list-query.ts, as for the product list.
 */

export type OrderListInput = NonNullable<Parameters<typeof trpc.orders.list.query>[0]>;
export type OrderListPage = Awaited<ReturnType<typeof trpc.orders.list.query>>;
export type OrderRow = OrderListPage['items'][number];

/** The sync states the merchant filters by, in the order the list offers them. */
export const SYNC_STATE_FILTERS = [
  'notSynced',
  'pending',
  'registered',
  'held',
  'failed',
  'needsCheck',
  'canceled',
] as const satisfies readonly NonNullable<OrderListInput['syncState']>[];
/** Every value the API takes (`waiting` = 未連携 and 保留 together). */
const SYNC_STATES: readonly string[] = [...SYNC_STATE_FILTERS, 'waiting'];

export const ALLOCATION_FILTERS = [
  'none',
  'partial',
  'full',
] as const satisfies readonly NonNullable<OrderListInput['allocation']>[];

export interface OrderFilters {
  shopId: string;
  statusId: string;
  syncState: string;
  allocation: string;
  shippingDateFrom: string;
  shippingDateTo: string;
  orderedFrom: string;
  orderedTo: string;
  search: string;
}

const FILTER_KEYS = [
  'shopId',
  'statusId',
  'syncState',
  'allocation',
  'shippingDateFrom',
  'shippingDateTo',
  'orderedFrom',
  'orderedTo',
  'search',
] as const satisfies readonly (keyof OrderFilters)[];

export const emptyFilters = (): OrderFilters => ({
  shopId: '',
  statusId: '',
  syncState: '',
  allocation: '',
  shippingDateFrom: '',
  shippingDateTo: '',
  orderedFrom: '',
  orderedTo: '',
  search: '',
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filters and page the address asks for; values the list does not know are left out. */
export function filtersFromQuery(query: LocationQuery): { filters: OrderFilters; page: number } {
  const filters = emptyFilters();
  for (const key of FILTER_KEYS) filters[key] = queryText(query[key]);
  if (!SYNC_STATES.includes(filters.syncState)) filters.syncState = '';
  if (!(ALLOCATION_FILTERS as readonly string[]).includes(filters.allocation))
    filters.allocation = '';
  for (const key of ['shippingDateFrom', 'shippingDateTo', 'orderedFrom', 'orderedTo'] as const)
    if (!DATE.test(filters[key])) filters[key] = '';
  filters.search = filters.search.slice(0, 100);
  return { filters, page: pageFromQuery(query) };
}

/** The address of the filters and page (empty filters and page 1 left out). */
export function queryOf(filters: OrderFilters, page = 1): LocationQueryRaw {
  return queryOfFields({ ...filters }, page);
}

/** The API's input for one page of the list under these filters. */
export function listInput(filters: OrderFilters, page: number, pageSize: number): OrderListInput {
  const input: OrderListInput = { page, pageSize };
  const set = <K extends keyof OrderFilters>(key: K) => {
    const value = filters[key].trim();
    if (value !== '') (input as Record<string, unknown>)[key] = value;
  };
  for (const key of FILTER_KEYS) set(key);
  return input;
}

/** How many filters are in use (the list says when nothing matches because of them). */
export function activeFilterCount(filters: OrderFilters): number {
  return FILTER_KEYS.filter((key) => filters[key].trim() !== '').length;
}

/**
 * The sync state as the merchant reads it: a waiting order is 保留 when something holds it
 * (its reason says what), else 未連携.
 */
export function displaySyncState(
  order: Pick<OrderRow, 'syncState' | 'syncReason'>,
): (typeof SYNC_STATE_FILTERS)[number] {
  if (order.syncState === 'waiting') return order.syncReason === null ? 'notSynced' : 'held';
  return order.syncState;
}

/** The allocation as the merchant reads it; null when Smaregi has not answered (not sent yet). */
export function displayAllocation(
  allocationStatus: string | null,
): (typeof ALLOCATION_FILTERS)[number] | null {
  if (allocationStatus === 'allocated') return 'full';
  if (allocationStatus === 'partial') return 'partial';
  if (allocationStatus === 'unallocated') return 'none';
  return null;
}

/** Element Plus tag colour of a sync state. */
export function syncStateTagType(
  state: (typeof SYNC_STATE_FILTERS)[number],
): 'success' | 'info' | 'warning' | 'danger' | 'primary' {
  switch (state) {
    case 'registered':
      return 'success';
    case 'held':
    case 'needsCheck':
      return 'warning';
    case 'failed':
      return 'danger';
    case 'pending':
      return 'primary';
    default:
      return 'info';
  }
}
