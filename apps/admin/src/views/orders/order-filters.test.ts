import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  displayAllocation,
  displaySyncState,
  emptyFilters,
  filtersFromQuery,
  listInput,
  queryOf,
} from './order-filters';

describe('the order list state in the address', () => {
  it('reads the filters and page the address holds, and writes them back the same', () => {
    const query = {
      shopId: 's1',
      syncState: 'held',
      allocation: 'partial',
      shippingDateFrom: '2026-12-01',
      orderedTo: '2026-12-31',
      search: ' RT-1 ',
      page: '3',
    };
    const { filters, page } = filtersFromQuery(query);
    expect(page).toBe(3);
    expect(filters).toEqual({
      ...emptyFilters(),
      shopId: 's1',
      syncState: 'held',
      allocation: 'partial',
      shippingDateFrom: '2026-12-01',
      orderedTo: '2026-12-31',
      search: 'RT-1',
    });
    expect(queryOf(filters, page)).toEqual({ ...query, search: 'RT-1' });
    expect(activeFilterCount(filters)).toBe(6);
  });

  it('drops what the list does not know, so an old link still opens the list', () => {
    const { filters, page } = filtersFromQuery({
      syncState: 'lost',
      allocation: 'most',
      shippingDateFrom: '12/01/2026',
      page: '-2',
      unknown: 'x',
    });
    expect(filters).toEqual(emptyFilters());
    expect(page).toBe(1);
    expect(queryOf(filters, page)).toEqual({});
  });

  it('asks the API for exactly the filters in use', () => {
    const filters = { ...emptyFilters(), statusId: 'st1', syncState: 'notSynced', search: '  ' };
    expect(listInput(filters, 2, 50)).toEqual({
      page: 2,
      pageSize: 50,
      statusId: 'st1',
      syncState: 'notSynced',
    });
  });

  it('words the sync state and allocation as the merchant reads them', () => {
    expect(displaySyncState({ syncState: 'waiting', syncReason: null })).toBe('notSynced');
    expect(displaySyncState({ syncState: 'waiting', syncReason: { ja: '理由', en: 'why' } })).toBe(
      'held',
    );
    expect(displaySyncState({ syncState: 'needsCheck', syncReason: null })).toBe('needsCheck');
    expect(
      ['allocated', 'partial', 'unallocated', null, 'odd'].map((a) => displayAllocation(a)),
    ).toEqual(['full', 'partial', 'none', null, null]);
  });
});
