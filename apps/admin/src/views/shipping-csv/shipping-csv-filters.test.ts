import { describe, expect, it } from 'vitest';
import {
  downloadUrl,
  emptyShippingCsvFilters,
  heldReason,
  previewInput,
  shippableStatuses,
  shippingCsvFiltersFromQuery,
  shippingCsvQuery,
} from './shipping-csv-filters';

describe('the shipping CSV filters', () => {
  it('ask for every order still to ship when nothing is chosen', () => {
    expect(previewInput(emptyShippingCsvFilters(), 'ja')).toEqual({ language: 'ja' });
    expect(downloadUrl(emptyShippingCsvFilters(), 'ja')).toBe('/api/admin/shipping.csv');
  });

  it('give the preview and the download the same filters (statusId repeats in the address)', () => {
    const filters = {
      shopId: ' shop-1 ',
      statusIds: ['st-a', 'st b'],
      shippingDateFrom: '2026-12-01',
      shippingDateTo: '2026-12-02',
    };
    expect(previewInput(filters, 'en')).toEqual({
      language: 'en',
      shopId: 'shop-1',
      statusIds: ['st-a', 'st b'],
      shippingDateFrom: '2026-12-01',
      shippingDateTo: '2026-12-02',
    });
    const url = new URL(downloadUrl(filters, 'en'), 'http://admin.test');
    expect(url.pathname).toBe('/api/admin/shipping.csv');
    expect(url.searchParams.get('shopId')).toBe('shop-1');
    expect(url.searchParams.getAll('statusId')).toEqual(['st-a', 'st b']);
    expect(url.searchParams.get('shippingDateFrom')).toBe('2026-12-01');
    expect(url.searchParams.get('shippingDateTo')).toBe('2026-12-02');
    expect(url.searchParams.get('lang')).toBe('en');
  });

  it('tell 引当未完了 (none or some lines) from an allocation not known yet', () => {
    expect(heldReason('unallocated')).toBe('none');
    expect(heldReason('partial')).toBe('partial');
    expect(heldReason(null)).toBe('unknown');
  });

  it('offer only the statuses whose orders can still ship', () => {
    const statuses = [
      { id: 'a', category: 'open' },
      { id: 'b', category: 'shipped' },
      { id: 'c', category: 'cancelled' },
      { id: 'd', category: 'open' },
    ];
    expect(shippableStatuses(statuses).map((s) => s.id)).toEqual(['a', 'd']);
  });
});

describe('the shipping CSV filters in the address', () => {
  it('come back from the address as they were applied (statusId repeats)', () => {
    const filters = {
      shopId: 'shop-1',
      statusIds: ['st-a', 'st-b'],
      shippingDateFrom: '2026-12-01',
      shippingDateTo: '2026-12-02',
    };
    const query = shippingCsvQuery(filters);
    expect(query).toEqual({
      shopId: 'shop-1',
      statusId: ['st-a', 'st-b'],
      shippingDateFrom: '2026-12-01',
      shippingDateTo: '2026-12-02',
    });
    expect(shippingCsvFiltersFromQuery(query as never)).toEqual(filters);
    expect(shippingCsvQuery(emptyShippingCsvFilters())).toEqual({});
  });

  it('take one status as well as several, once each, and drop what cannot be a filter', () => {
    expect(shippingCsvFiltersFromQuery({ statusId: 'st-a' }).statusIds).toEqual(['st-a']);
    expect(
      shippingCsvFiltersFromQuery({ statusId: ['st-a', 'st-a', ' ', null] }).statusIds,
    ).toEqual(['st-a']);
    expect(
      shippingCsvFiltersFromQuery({ shippingDateFrom: '12/01', shippingDateTo: '2026-1-2' }),
    ).toEqual(emptyShippingCsvFilters());
  });
});
