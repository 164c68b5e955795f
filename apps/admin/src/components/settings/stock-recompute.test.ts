import { describe, expect, it } from 'vitest';
import { isRecomputeActive, recomputeLine, type StockRecomputeView } from './stock-recompute';

const run = (over: Partial<StockRecomputeView>) => ({
  state: 'running' as StockRecomputeView['state'],
  phase: null,
  ordersDone: 3,
  ordersTotal: 10,
  productsDone: 40,
  productsTotal: 120,
  lastError: null,
  ...over,
});

describe('the stock recompute progress line', () => {
  it.each<[string, Partial<StockRecomputeView>, string, number, number, boolean]>([
    ['queued', { state: 'queued' }, 'queued', 40, 120, true],
    ['re-reading the orders', { phase: 'orders' }, 'orders', 3, 10, true],
    ['recomputing the products', { phase: 'stock' }, 'stock', 40, 120, true],
    ['started, no phase yet', { phase: null }, 'stock', 40, 120, true],
    ['planning', { phase: 'plan' }, 'plan', 40, 120, true],
    ['done', { state: 'succeeded', productsDone: 120 }, 'succeeded', 120, 120, false],
    ['superseded by a newer change', { state: 'canceled' }, 'canceled', 40, 120, false],
  ])('%s', (_label, over, key, done, total, active) => {
    const r = run(over);
    expect(recomputeLine(r)).toEqual({ key, params: { done, total, error: '' } });
    expect(isRecomputeActive(r.state)).toBe(active);
  });

  it('a failed run says why', () => {
    const line = recomputeLine(run({ state: 'failed', lastError: 'Smaregi unavailable' }));
    expect(line.key).toBe('failed');
    expect(line.params.error).toBe('Smaregi unavailable');
  });
});
