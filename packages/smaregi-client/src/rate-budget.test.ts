import { describe, expect, it } from 'vitest';
import {
  decideTake,
  MemoryBudgetStore,
  permitWindow,
  RateBudget,
  type BudgetStore,
  type RateLimits,
} from './rate-budget.js';
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

/**
 * A clock whose time jumps when a sleep ends, `lateMs(ms)` later than asked (a stalled event
 * loop). The jump happens after a turn of the event loop, as a real timer fires: what the caller
 * scheduled before sleeping (the send of the permit just given) runs at the old time.
 */
function jumpingClock(lateMs: (ms: number) => number = () => 0) {
  const base = createFakeClock({ start: 0, autoAdvance: true });
  return {
    now: () => base.now(),
    sleep: async (ms: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      await base.sleep(Math.max(0, ms) + lateMs(ms));
    },
  };
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
  it('gives at most the limit in any 1 s window, and no two permits closer than the gap', async () => {
    const clock = createFakeClock({ start: 0 });
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const times = await grantTimes(budget, clock, 50, 'read');
    expect(maxInAnyWindow(times)).toBe(10);
    // Ten a window of 1000 + 50 ms, at least half the even spacing (52.5 ms) apart: the last
    // one at 4 × 1050 + 9 × 52.5 ms (timers fire on whole ms, a little later).
    expect(times[0]).toBe(0);
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(52.5);
    expect(times.at(-1)).toBeGreaterThanOrEqual(4 * 1050 + 9 * 52.5);
    expect(times.at(-1)).toBeLessThan(4 * 1050 + 9 * 52.5 + 30);
    // Over time that is the limit less the margin, as evenly spaced permits were.
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

  it('asks the store once a permit: what its own permits already rule out is not asked', async () => {
    const clock = createFakeClock({ start: 0 });
    const memory = new MemoryBudgetStore();
    const answers: boolean[] = [];
    const store: BudgetStore = {
      take: async (request) => {
        const answer = await memory.take(request);
        answers.push(answer.granted);
        return answer;
      },
    };
    const budget = new RateBudget(store, clock, limits);
    await grantTimes(budget, clock, 20, 'write');
    // Each statement of a shared store is a database round trip: none of them is refused.
    expect(answers).toEqual(Array<boolean>(20).fill(true));
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
    // Eight a window of 1050 ms, 65.6 ms apart: 24 permits within the third window.
    expect(times.own!.at(-1)).toBeLessThan(2 * 1050 + 7 * 65.625 + 20);
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
    // The window's four writes, from t=0.
    await grantTimes(budget, clock, 4, 'write', id);
    const controller = new AbortController();
    const aborted = budget.acquire(id, 'write', controller.signal);
    const granted: number[] = [];
    const next = budget.acquire(id, 'write').then(() => granted.push(clock.now()));
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    while (granted.length === 0) await clock.advance(10);
    await next;
    expect(granted[0]).toBeGreaterThanOrEqual(1050);
    expect(granted[0]).toBeLessThan(1060);
  });

  it('a pump woken late takes its permit then: nothing is dropped', async () => {
    // Every sleep wakes 60 ms late (an event loop stalled by other work).
    const clock = jumpingClock(() => 60);
    const dropped: number[] = [];
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits, {
      permitDropped: (_kind, lateMs) => dropped.push(lateMs),
    });
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, () =>
        budget.acquire('c:x', 'read').then(() => granted.push(clock.now())),
      ),
    );
    // Each permit is due 52.5 ms after the last and taken 60 ms after that, when the pump wakes.
    expect(granted).toEqual(Array.from({ length: 12 }, (_, i) => i * 112.5));
    expect(dropped).toEqual([]);
  });

  it('after a stall, catches up at twice the even pace until the window is full', async () => {
    let sleeps = 0;
    // The first sleep wakes 500 ms late.
    const clock = jumpingClock(() => (++sleeps === 1 ? 500 : 0));
    const budget = new RateBudget(new MemoryBudgetStore(), clock, limits);
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        budget.acquire('c:x', 'write').then(() => granted.push(clock.now())),
      ),
    );
    // Writes: 4 a window of 1050 ms, at least 131.25 ms apart. The second was due at 131.25
    // and taken at 631.25; then one each 131.25 ms until the window from 0 is full at 1050.
    expect(granted).toEqual([0, 631.25, 762.5, 893.75, 1050, 1681.25]);
    expect(maxInAnyWindow(granted)).toBe(4);
  });

  it('drops a permit whose store answer came too late, tells the observer, and takes another', async () => {
    const clock = jumpingClock();
    const memory = new MemoryBudgetStore();
    let takes = 0;
    // The first answer comes 60 ms after the permit's time (a stalled process, a slow database).
    const store: BudgetStore = {
      take: async (request) => {
        const answer = await memory.take(request);
        if (++takes === 1) await clock.sleep(60);
        return answer;
      },
    };
    const dropped: Array<[string, number]> = [];
    const budget = new RateBudget(store, clock, limits, {
      permitDropped: (kind, lateMs) => dropped.push([kind, lateMs]),
    });
    const granted: number[] = [];
    await Promise.all(
      [0, 1].map(() => budget.acquire('c:x', 'write').then(() => granted.push(clock.now()))),
    );
    expect(dropped).toEqual([['write', 60]]);
    // The next ones go at the least gap (131.25 ms) after the dropped one, which still counts.
    expect(granted).toEqual([131.25, 262.5]);
    await budget.acquire('c:x', 'write');
    expect(clock.now()).toBe(393.75);
    // With the dropped permit at 0 and three used ones, the window from 0 is full.
    await budget.acquire('c:x', 'write');
    expect(clock.now()).toBe(1050);
  });

  it('keeps every window within the limit however late wake-ups and store answers come', async () => {
    // A seeded stream of stalls of 0 to 300 ms on wake-ups and store answers.
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const clock = jumpingClock(() => (random() < 0.3 ? random() * 300 : 0));
    const memory = new MemoryBudgetStore();
    const store: BudgetStore = {
      take: async (request) => {
        const answer = await memory.take(request);
        await clock.sleep(0); // the answer comes back after a stall, or at once
        return answer;
      },
    };
    let dropped = 0;
    const budget = new RateBudget(store, clock, limits, { permitDropped: () => dropped++ });
    const used: number[] = [];
    for (let round = 0; round < 20; round++) {
      await Promise.all(
        Array.from({ length: 10 }, () =>
          budget.acquire('c:x', 'write').then(() => used.push(clock.now())),
        ),
      );
    }
    expect(used).toHaveLength(200);
    expect(maxInAnyWindow(used)).toBeLessThanOrEqual(4);
    // Any 5 used permits span the window less the tolerance: 1050 - 20 ms.
    for (let i = 4; i < used.length; i++) expect(used[i]! - used[i - 4]!).toBeGreaterThan(1000);
    expect(dropped).toBeGreaterThan(0);
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
    const budget = new RateBudget({ take: () => Promise.reject(failure) }, clock, limits);
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

describe('decideTake (the rule of both stores)', () => {
  // Four a second, at least 125 ms apart.
  const window = { limit: 4, windowMs: 1000 };
  it.each([
    { log: [], now: 500, expected: { granted: true, at: 500 } },
    { log: [100], now: 200, expected: { granted: false, retryAt: 225 } },
    { log: [100], now: 225, expected: { granted: true, at: 225 } },
    { log: [0, 200, 400, 600], now: 800, expected: { granted: false, retryAt: 1000 } },
    { log: [0, 200, 400, 600], now: 1000, expected: { granted: true, at: 1000 } },
    // Both rules: the window has room at 1000, the gap after 950 at 1075.
    { log: [0, 200, 400, 950], now: 1000, expected: { granted: false, retryAt: 1075 } },
  ])('log $log at $now → $expected', ({ log, now, expected }) => {
    expect(decideTake(log, { ...window, now })).toEqual(expected);
  });
});

describe('permitWindow', () => {
  it.each([
    { perSecond: 4, expected: { limit: 4, windowMs: 1075 } },
    { perSecond: 2.5, expected: { limit: 2, windowMs: 1075 } },
    { perSecond: 0.5, expected: { limit: 1, windowMs: 2150 } },
  ])('$perSecond/s → $expected', ({ perSecond, expected }) => {
    expect(permitWindow(perSecond, 75)).toEqual(expected);
  });
});
