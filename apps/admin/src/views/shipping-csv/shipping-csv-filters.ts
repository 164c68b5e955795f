import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import type { trpc } from '../../api/trpc';
import { queryText } from '../list-query';

/*
 * 送り状・出荷CSV: which orders the merchant asks for. The same filters feed the preview (tRPC
 * orders.shippingCsvReport) and the download (a plain GET the browser saves, so its address
 * carries them as a query string: `statusId` repeats).
 */

export type ShippingCsvReportInput = NonNullable<
  Parameters<typeof trpc.orders.shippingCsvReport.query>[0]
>;
export type ShippingCsvReport = Awaited<ReturnType<typeof trpc.orders.shippingCsvReport.query>>;
export type HeldOrder = ShippingCsvReport['held'][number];

export interface ShippingCsvFilters {
  shopId: string;
  /** Empty: every status that is not shipped or cancelled (出荷待ちの受注すべて). */
  statusIds: string[];
  shippingDateFrom: string;
  shippingDateTo: string;
}

export const emptyShippingCsvFilters = (): ShippingCsvFilters => ({
  shopId: '',
  statusIds: [],
  shippingDateFrom: '',
  shippingDateTo: '',
});

/** A day as the filters take it (the date inputs' value); anything else is not a filter. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The filters the address asks for (`/shipping-csv?shopId=…&statusId=a&statusId=b&shippingDateFrom=…`):
 * a reload, the back button and a link shared with whoever prints the labels land on the same
 * orders. Values that cannot be filters are dropped, as the lists do (views/list-query.ts); an ID
 * the merchant no longer has is left to the preview, which names the field.
 */
export function shippingCsvFiltersFromQuery(query: LocationQuery): ShippingCsvFilters {
  const raw = query.statusId;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statusIds = [
    ...new Set(list.filter((v): v is string => typeof v === 'string').map((v) => v.trim())),
  ].filter((v) => v !== '');
  const day = (value: LocationQuery[string] | undefined) => {
    const text = queryText(value);
    return DAY.test(text) ? text : '';
  };
  return {
    shopId: queryText(query.shopId),
    statusIds,
    shippingDateFrom: day(query.shippingDateFrom),
    shippingDateTo: day(query.shippingDateTo),
  };
}

/** The address of the filters: only those in use (`statusId` repeats). */
export function shippingCsvQuery(filters: ShippingCsvFilters): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (filters.shopId.trim() !== '') query.shopId = filters.shopId.trim();
  if (filters.statusIds.length > 0) query.statusId = [...filters.statusIds];
  if (filters.shippingDateFrom !== '') query.shippingDateFrom = filters.shippingDateFrom;
  if (filters.shippingDateTo !== '') query.shippingDateTo = filters.shippingDateTo;
  return query;
}

/** The download's address: the API path that serves the file. */
export const SHIPPING_CSV_PATH = '/api/admin/shipping.csv';

/** The preview's input: only the filters in use. */
export function previewInput(
  filters: ShippingCsvFilters,
  language: 'ja' | 'en',
): ShippingCsvReportInput {
  const input: ShippingCsvReportInput = { language };
  if (filters.shopId.trim() !== '') input.shopId = filters.shopId.trim();
  if (filters.statusIds.length > 0) input.statusIds = [...filters.statusIds];
  if (filters.shippingDateFrom !== '') input.shippingDateFrom = filters.shippingDateFrom;
  if (filters.shippingDateTo !== '') input.shippingDateTo = filters.shippingDateTo;
  return input;
}

/** The download's address under the same filters (headers in the admin's language). */
export function downloadUrl(filters: ShippingCsvFilters, language: 'ja' | 'en'): string {
  const input = previewInput(filters, language);
  const query = new URLSearchParams();
  if (input.shopId !== undefined) query.append('shopId', input.shopId);
  for (const id of input.statusIds ?? []) query.append('statusId', id);
  if (input.shippingDateFrom !== undefined)
    query.append('shippingDateFrom', input.shippingDateFrom);
  if (input.shippingDateTo !== undefined) query.append('shippingDateTo', input.shippingDateTo);
  if (language === 'en') query.append('lang', 'en');
  const text = query.toString();
  return text === '' ? SHIPPING_CSV_PATH : `${SHIPPING_CSV_PATH}?${text}`;
}

/** Why a held order is held, as the screen's message key: 引当未完了 (none or some) or unknown. */
export function heldReason(allocation: HeldOrder['allocation']): 'partial' | 'none' | 'unknown' {
  if (allocation === 'partial') return 'partial';
  if (allocation === 'unallocated') return 'none';
  return 'unknown';
}

/** The statuses the merchant may choose: those whose orders can still be shipped. */
export function shippableStatuses<T extends { category: string }>(statuses: readonly T[]): T[] {
  return statuses.filter((s) => s.category === 'open');
}
