import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  ariaSort,
  DEFAULT_SORT,
  emptyFilters,
  listInput,
  nextSort,
  queryOf,
  stateFromQuery,
} from './product-filters';

describe('the product list state in the address', () => {
  it('opens the import summary link filtered to the products that failed', () => {
    const state = stateFromQuery({ sync: 'failed' });
    expect(state).toEqual({
      filters: { ...emptyFilters(), sync: 'failed' },
      sort: DEFAULT_SORT,
      page: 1,
    });
    expect(listInput(state, 50)).toEqual({
      page: 1,
      pageSize: 50,
      sort: 'code',
      order: 'asc',
      syncState: 'failed',
    });
    expect(queryOf(state)).toEqual({ sync: 'failed' });
  });

  it('reads every filter, the sort and the page, and writes them back the same', () => {
    const query = {
      search: ' TS-0 ',
      sync: 'synced',
      drift: 'open',
      stock: 'out',
      sort: 'effectiveStock',
      order: 'desc',
      page: '4',
    };
    const state = stateFromQuery(query);
    expect(state.filters).toEqual({ search: 'TS-0', sync: 'synced', drift: 'open', stock: 'out' });
    expect(state.sort).toEqual({ sort: 'effectiveStock', order: 'desc' });
    expect(state.page).toBe(4);
    expect(queryOf(state)).toEqual({ ...query, search: 'TS-0' });
    expect(activeFilterCount(state.filters)).toBe(4);
    expect(listInput(state, 50)).toEqual({
      page: 4,
      pageSize: 50,
      search: 'TS-0',
      syncState: 'synced',
      drift: true,
      stock: 'out',
      sort: 'effectiveStock',
      order: 'desc',
    });
  });

  it('drops what the list does not know, so an old or mistyped link still opens the list', () => {
    const state = stateFromQuery({
      sync: 'lost',
      drift: 'yes',
      stock: 'some',
      sort: 'price',
      order: 'up',
      page: '-2',
      search: ['first', 'second'],
    });
    expect(state).toEqual({
      filters: { ...emptyFilters(), search: 'first' },
      sort: DEFAULT_SORT,
      page: 1,
    });
    expect(queryOf(state)).toEqual({ search: 'first' });
  });

  it('leaves the default sort out of the address but keeps a descending 商品ID', () => {
    expect(queryOf({ filters: emptyFilters(), sort: DEFAULT_SORT, page: 1 })).toEqual({});
    expect(
      queryOf({ filters: emptyFilters(), sort: { sort: 'code', order: 'desc' }, page: 2 }),
    ).toEqual({ sort: 'code', order: 'desc', page: '2' });
    expect(stateFromQuery({ order: 'desc' }).sort).toEqual({ sort: 'code', order: 'desc' });
  });

  it('turns a column around when chosen again, and starts 更新日時 with the latest', () => {
    expect(nextSort(DEFAULT_SORT, 'code')).toEqual({ sort: 'code', order: 'desc' });
    expect(nextSort({ sort: 'code', order: 'desc' }, 'code')).toEqual({
      sort: 'code',
      order: 'asc',
    });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ sort: 'name', order: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'updatedAt')).toEqual({ sort: 'updatedAt', order: 'desc' });
    expect(ariaSort({ sort: 'name', order: 'desc' }, 'name')).toBe('descending');
    expect(ariaSort({ sort: 'name', order: 'asc' }, 'name')).toBe('ascending');
    expect(ariaSort({ sort: 'name', order: 'asc' }, 'code')).toBe('none');
  });
});
