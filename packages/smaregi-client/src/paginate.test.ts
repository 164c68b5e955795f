import { describe, expect, it } from 'vitest';
import { paginateItems, paginatePages, type PageRequest } from './paginate.js';

function source(total: number) {
  const requests: PageRequest[] = [];
  const fetchPage = (request: PageRequest): Promise<number[]> => {
    requests.push(request);
    const start = (request.page - 1) * request.limit;
    const items = Array.from(
      { length: Math.max(0, Math.min(request.limit, total - start)) },
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
});
