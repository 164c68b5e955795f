import type { trpc } from '../../api/trpc';

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
