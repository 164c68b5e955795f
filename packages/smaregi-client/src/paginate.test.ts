import { describe, expect, it } from 'vitest';
import { paginateItems, paginatePages, ServedPageSize, type PageRequest } from './paginate.js';

/** A list of `total` items served by a server that cuts every page at `cap` items. */
function source(total: number, cap = Infinity) {
  const requests: PageRequest[] = [];
  const fetchPage = (request: PageRequest): Promise<number[]> => {
    requests.push(request);
    const size = Math.min(request.limit, cap);
    const start = (request.page - 1) * size;
    const items = Array.from(
      { length: Math.max(0, Math.min(size, total - start)) },
      (_, i) => start + i,
    );
    return Promise.resolve(items);
  };
  return { fetchPage, requests };
}

describe('paginate', () => {
  it.each([
    [0, 1],
    [1, 1],
    [999, 1],
    [1000, 2],
    [2500, 3],
  ])('reads %i items in %i requests of 1000', async (total, expectedRequests) => {
    const { fetchPage, requests } = source(total);
    const items: number[] = [];
    for await (const item of paginateItems(fetchPage)) items.push(item);
    expect(items).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(requests).toHaveLength(expectedRequests);
    expect(requests.every((r) => r.limit === 1000)).toBe(true);
  });

  it('prefetches the next full page while the current one is consumed', async () => {
    const { fetchPage, requests } = source(250);
    const pages = paginatePages(fetchPage, { limit: 100, prefetch: true });
    const first = await pages.next();
    expect(first.value).toHaveLength(100);
    expect(requests.map((r) => r.page)).toEqual([1, 2]);
    const rest: number[][] = [];
    for await (const page of pages) rest.push(page);
    expect(rest.map((p) => p.length)).toEqual([100, 50]);
    expect(requests.map((r) => r.page)).toEqual([1, 2, 3]);
  });

  it('stops requesting when the consumer stops', async () => {
    const { fetchPage, requests } = source(10_000);
    for await (const item of paginateItems(fetchPage, { limit: 10 })) {
      if (item === 15) break;
    }
    expect(requests.map((r) => r.page)).toEqual([1, 2]);
  });

  it.each([
    [75, 30, 3],
    [60, 30, 3],
    [20, 30, 2],
    [0, 30, 1],
    [250, 100, 3],
  ])(
    'with an unpublished maximum, reads all %i items of a server capping pages at %i (%i requests)',
    async (total, cap, expectedRequests) => {
      const { fetchPage, requests } = source(total, cap);
      const items: number[] = [];
      for await (const item of paginateItems(fetchPage, { limit: 100, maxLimitUnknown: true }))
        items.push(item);
      expect(items).toEqual(Array.from({ length: total }, (_, i) => i));
      expect(requests).toHaveLength(expectedRequests);
    },
  );

  it('learns the maximum from the pages served: past a full page, a short first page ends the list', async () => {
    const served = new ServedPageSize();
    const read = async (total: number, cap = Infinity) => {
      const { fetchPage, requests } = source(total, cap);
      const items: number[] = [];
      for await (const item of paginateItems(fetchPage, {
        limit: 100,
        maxLimitUnknown: true,
        served,
      }))
        items.push(item);
      return [items.length, requests.length];
    };
    // Only short pages so far: the server may cap below 100, each short page is read past.
    expect(await read(20)).toEqual([20, 2]);
    expect(served.largest).toBe(20);
    expect(await read(75, 30)).toEqual([75, 3]);
    expect(served.largest).toBe(30);
    // A full page of 100 served: its maximum is at least 100.
    expect(await read(150)).toEqual([150, 2]);
    expect(served.largest).toBe(100);
    expect(await read(20)).toEqual([20, 1]);
    expect(await read(0)).toEqual([0, 1]);
  });

  it('takes a short page for the end when the maximum is known (a capping server loses items)', async () => {
    const { fetchPage } = source(75, 30);
    const items: number[] = [];
    for await (const item of paginateItems(fetchPage, { limit: 100 })) items.push(item);
    expect(items).toHaveLength(30);
  });
});
