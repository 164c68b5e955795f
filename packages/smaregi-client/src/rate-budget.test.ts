import { describe, expect, it } from 'vitest';
import { MemoryBudgetStore, RateBudget, type RateLimits } from './rate-budget.js';
import { createFakeClock } from './testing.js';

const limits: RateLimits = {
  readsPerSecond: 10,
  writesPerSecond: 4,
  safetyMarginMs: 50,
  lateToleranceMs: 20,
};

/** Largest number of times that fall in one half-open window [t, t + 1000). */
function maxInAnyWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Starts `count` acquisitions at once and records the fake time at which each was granted. */
async function grantTimes(
  budget: RateBudget,
  clock: ReturnType<typeof createFakeClock>,
  count: number,
  kind: 'read' | 'write',
  id = 'client:contract',
): Promise<number[]> {
  const times: number[] = [];
  const all = Array.from({ length: count }, () =>
    budget.acquire(id, kind).then(() => times.push(clock.now())),
  );
  // Let the first permit go at the current time, then drive time forward in small steps (the
  // fake clock stops at every due timer on the way) until every permit was handed out.
  await clock.advance(0);
  while (times.length < count) await clock.advance(5);
  await Promise.all(all);
  return times;
}

describe('RateBudget', () => {
  it('spaces reads so that no 1 s window ever holds more than the limit', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const times = await grantTimes(budget, clock, 50, 'read');
    expect(maxInAnyWindow(times)).toBe(10);
    // 50 permits at one per 105 ms: the last one at 49 × 105 ms (within the 5 ms driving step).
    expect(times.at(-1)).toBeGreaterThanOrEqual(49 * 105);
    expect(times.at(-1)).toBeLessThan(49 * 105 + 5);
    // Consecutive permits are never closer than (1000 + margin) / limit.
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(105);
  });

  it('keeps N+1 consecutive permits more than 1 s + margin apart (the sliding-window guarantee)', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const times = await grantTimes(budget, clock, 20, 'write');
    for (let i = 4; i < times.length; i++) {
      expect(times[i]! - times[i - 4]!).toBeGreaterThanOrEqual(1050);
    }
    expect(maxInAnyWindow(times)).toBe(4);
  });

  it('keeps reads and writes, and contracts, in separate budgets', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const granted: string[] = [];
    const wait = [
      budget.acquire('c:A', 'read').then(() => granted.push('A read')),
      budget.acquire('c:A', 'write').then(() => granted.push('A write')),
      budget.acquire('c:B', 'read').then(() => granted.push('B read')),
    ];
    await clock.advance(0);
    await Promise.all(wait);
    expect(granted.sort()).toEqual(['A read', 'A write', 'B read']);
    expect(clock.now()).toBe(0);
  });

  it('spaces a contract with limits of its own by its own figures, the others by the default', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const own = { writesPerSecond: 8 };
    const times: Record<string, number[]> = { own: [], default: [] };
    const all = [
      ...Array.from({ length: 24 }, () =>
        budget
          .acquire('c:own', 'write', undefined, 0, own)
          .then(() => times.own!.push(clock.now())),
      ),
      ...Array.from({ length: 12 }, () =>
        budget.acquire('c:other', 'write').then(() => times.default!.push(clock.now())),
      ),
    ];
    await clock.advance(0);
    while (times.own!.length < 24 || times.default!.length < 12) await clock.advance(5);
    await Promise.all(all);
    expect(maxInAnyWindow(times.own!)).toBe(8);
    expect(maxInAnyWindow(times.default!)).toBe(4);
    // (1000 + 50) / 8 = 131.25 ms apart: 24 permits within 23 × 131.25 ms (+ a driving step).
    expect(times.own!.at(-1)).toBeLessThan(23 * 131.25 + 10);
  });

  it('a first call after a quiet period goes at once', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    await grantTimes(budget, clock, 3, 'read');
    await clock.advance(10_000);
    const before = clock.now();
    await budget.acquire('client:contract', 'read');
    expect(clock.now()).toBe(before);
  });

  it('gives the next permit to the highest priority waiter, then in arrival order', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const order: string[] = [];
    const id = 'client:contract';
    const first = budget.acquire(id, 'write', undefined, 0).then(() => order.push('first'));
    await clock.advance(0); // the lane is empty: the first caller goes at once
    const products = budget.acquire(id, 'write', undefined, 1).then(() => order.push('products'));
    const stock = budget.acquire(id, 'write', undefined, 2).then(() => order.push('stock'));
    const orders = budget.acquire(id, 'write', undefined, 3).then(() => order.push('orders'));
    const orders2 = budget.acquire(id, 'write', undefined, 3).then(() => order.push('orders2'));
    while (order.length < 5) await clock.advance(50);
    await Promise.all([first, products, stock, orders, orders2]);
    expect(order).toEqual(['first', 'orders', 'orders2', 'stock', 'products']);
  });

  it('an aborted waiter leaves the queue and its turn goes to the next', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const id = 'client:contract';
    await budget.acquire(id, 'write'); // takes t=0
    const controller = new AbortController();
    const aborted = budget.acquire(id, 'write', controller.signal);
    const granted: number[] = [];
    const next = budget.acquire(id, 'write').then(() => granted.push(clock.now()));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    while (granted.length === 0) await clock.advance(10);
    await next;
    expect(granted[0]).toBeGreaterThanOrEqual(262);
    expect(granted[0]).toBeLessThan(272);
  });

  it('drops a permit the process woke up too late for, and books the next one', async () => {
    const base = createFakeClock({ start: 0, autoAdvance: true });
    let stall = 0;
    // A clock whose second sleep wakes 60 ms late (an event loop stalled by other work).
    const clock = {
      now: () => base.now(),
      sleep: async (ms: number) => {
        await base.sleep(ms + (++stall === 1 ? 60 : 0));
      },
    };
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const granted: number[] = [];
    await Promise.all(
      [0, 1, 2].map(() => budget.acquire('c:x', 'read').then(() => granted.push(clock.now()))),
    );
    // Booked 0, 105 (woken at 165: dropped), 210, 315.
    expect(granted).toEqual([0, 210, 315]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const budget = new RateBudget(new MemoryBudgetStore(), createFakeClock(), limits);
    const controller = new AbortController();
    controller.abort();
    await expect(budget.acquire('x', 'read', controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('fails every waiter with the store error when the store fails', async () => {
    const clock = createFakeClock({ start: 0 });
    const failure = new Error('database unavailable');
    const budget = new RateBudget({ reserve: () => Promise.reject(failure) }, clock, limits);
    await expect(budget.acquire('x', 'read')).rejects.toBe(failure);
  });

  it('rejects nonsense limits with the option name', () => {
    expect(
      () =>
        new RateBudget(new MemoryBudgetStore(), createFakeClock(), {
          ...limits,
          writesPerSecond: 0,
        }),
    ).toThrow(/writesPerSecond/);
  });
});
