import { describe, expect, it } from 'vitest';
import { planAllocation, type AllocationOrderInput } from './allocation-plan.js';

const order = (
  orderKey: string,
  orderedAt: string,
  lines: [string, number][],
  orderNumber = orderKey,
): AllocationOrderInput => ({
  orderKey,
  orderNumber,
  orderedAt,
  lines: lines.map(([productId, quantity]) => ({ productId, quantity })),
});

const summary = (plan: ReturnType<typeof planAllocation>) =>
  plan.orders.map((o) => `${o.orderKey}:${o.status}:${o.lines.map((l) => l.status[0]).join('')}`);

describe('planAllocation: first come first served under contention', () => {
  const stock = new Map([
    ['A', 5],
    ['B', 2],
  ]);
  // Input order is shuffled on purpose: service order comes from orderedAt, not from the list.
  const orders = [
    order('late', '2025-01-01T12:00:00+09:00', [['A', 2]]),
    order('first', '2025-01-01T09:00:00+09:00', [
      ['A', 3],
      ['B', 1],
    ]),
    order('second', '2025-01-01T10:00:00+09:00', [
      ['A', 1],
      ['B', 2],
    ]),
    order('utc', '2025-01-01T01:30:00Z', [['A', 1]]), // 10:30 JST
  ];

  it.each([
    [
      'lineByLine',
      ['first:allocated:aa', 'second:partial:as', 'utc:allocated:a', 'late:unallocated:s'],
      { A: 0, B: 1 },
    ],
    [
      'wholeOrder',
      ['first:allocated:aa', 'second:unallocated:rs', 'utc:allocated:a', 'late:unallocated:s'],
      { A: 1, B: 1 },
    ],
  ] as const)('policy %s', (policy, expected, remaining) => {
    const plan = planAllocation(orders, stock, { policy });
    expect(summary(plan)).toEqual(expected);
    expect(Object.fromEntries(plan.remainingStock)).toEqual(remaining);
    expect(plan.orders.map((o) => o.rank)).toEqual([1, 2, 3, 4]);
    expect(plan.problems).toEqual([]);
  });

  it('does not change the stock map it was given', () => {
    planAllocation(orders, stock);
    expect(Object.fromEntries(stock)).toEqual({ A: 5, B: 2 });
  });

  it('whole lines only: a line larger than what is left gets nothing, a later smaller one fits', () => {
    const plan = planAllocation(
      [
        order('o1', '2025-01-01T09:00:00+09:00', [['A', 4]]),
        order('o2', '2025-01-01T09:01:00+09:00', [['A', 6]]),
        order('o3', '2025-01-01T09:02:00+09:00', [['A', 1]]),
      ],
      new Map([['A', 5]]),
    );
    expect(summary(plan)).toEqual(['o1:allocated:a', 'o2:unallocated:s', 'o3:allocated:a']);
    expect(plan.byOrderKey.get('o2')?.lines[0]).toMatchObject({
      allocatedQuantity: 0,
      availableBefore: 1,
    });
  });

  it('same instant: order number breaks the tie, then the order key', () => {
    const at = '2025-01-01T09:00:00+09:00';
    const plan = planAllocation(
      [
        order('k2', at, [['A', 1]], 'N-2'),
        order('k1b', at, [['A', 1]], 'N-1'),
        order('k1a', at, [['A', 1]], 'N-1'),
      ],
      new Map([['A', 2]]),
    );
    expect(summary(plan)).toEqual(['k1a:allocated:a', 'k1b:allocated:a', 'k2:unallocated:s']);
  });

  it('missing and negative stock count as 0', () => {
    const plan = planAllocation(
      [
        order('o', '2025-01-01T09:00:00+09:00', [
          ['X', 1],
          ['N', 1],
        ]),
      ],
      new Map([['N', -3]]),
    );
    expect(summary(plan)).toEqual(['o:unallocated:ss']);
    expect(plan.remainingStock.get('N')).toBe(0);
  });
});

describe('planAllocation: bad data', () => {
  it.each([
    [
      'fractional quantity',
      order('o', '2025-01-01T09:00:00+09:00', [['A', 1.5]]),
      'quantityInvalid',
    ],
    ['zero quantity', order('o', '2025-01-01T09:00:00+09:00', [['A', 0]]), 'quantityInvalid'],
    ['negative quantity', order('o', '2025-01-01T09:00:00+09:00', [['A', -2]]), 'quantityInvalid'],
    ['no product ID', order('o', '2025-01-01T09:00:00+09:00', [['', 1]]), 'lineMalformed'],
    ['ordered-at without offset', order('o', '2025-01-01 09:00', [['A', 1]]), 'orderedAtInvalid'],
    ['no lines', order('o', '2025-01-01T09:00:00+09:00', []), 'noLines'],
  ])('%s: the order is invalid, gets nothing and is reported', (_label, bad, code) => {
    const good = order('g', '2025-01-02T09:00:00+09:00', [['A', 1]]);
    const plan = planAllocation([bad, good], new Map([['A', 1]]));
    expect(summary(plan)[0]).toBe('g:allocated:a');
    expect(plan.byOrderKey.get('o')?.status).toBe('invalid');
    expect(plan.problems.map((p) => p.code)).toEqual([code]);
  });

  it('a duplicate order key is used once', () => {
    const o = order('o', '2025-01-01T09:00:00+09:00', [['A', 1]]);
    const plan = planAllocation([o, o], new Map([['A', 5]]));
    expect(plan.orders).toHaveLength(1);
    expect(plan.remainingStock.get('A')).toBe(4);
    expect(plan.problems.map((p) => p.code)).toEqual(['duplicateOrder']);
  });

  it('garbage never throws', () => {
    expect(() => planAllocation(null as never, new Map())).not.toThrow();
    expect(() =>
      planAllocation([null, { orderKey: 1, lines: 'x' }] as never, new Map([['A', Number.NaN]])),
    ).not.toThrow();
  });
});
