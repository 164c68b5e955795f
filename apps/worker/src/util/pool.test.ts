import { describe, expect, it } from 'vitest';
import { interleave, runFairPool, runPool } from './pool.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('runPool', () => {
  it('never runs more than the concurrency at once, and runs every item', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, new AbortController().signal, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
      done.push(n);
    });
    expect(peak).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('after an abort takes no new item but lets the started ones finish', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const finished: number[] = [];
    await runPool([1, 2, 3, 4, 5], 2, controller.signal, async (n) => {
      started.push(n);
      if (n === 2) controller.abort();
      await tick();
      finished.push(n);
    });
    expect(started).toEqual([1, 2]);
    expect(finished.sort()).toEqual([1, 2]);
  });

  it('rethrows the first error only after every started item settled', async () => {
    const finished: number[] = [];
    await expect(
      runPool([1, 2, 3], 3, new AbortController().signal, async (n) => {
        if (n === 1) throw new Error('order 1 failed');
        await tick();
        finished.push(n);
      }),
    ).rejects.toThrow('order 1 failed');
    expect(finished.sort()).toEqual([2, 3]);
  });
});

describe('runFairPool', () => {
  it('serves every tenant from the start; a hot tenant holds no more than its cap while others wait', async () => {
    const groups = new Map<string, number[]>([
      ['hot', Array.from({ length: 100 }, (_, i) => i)],
      ['a', [1, 2, 3]],
      ['b', [1, 2]],
      ['c', [1]],
    ]);
    const running = new Map<string, number>();
    let othersToStart = 6;
    let hotPeakWhileOthersWait = 0;
    let hotPeakAlone = 0;
    const order: string[] = [];
    await runFairPool(groups, 4, 2, new AbortController().signal, async (g) => {
      order.push(g);
      if (g !== 'hot') othersToStart--;
      running.set(g, (running.get(g) ?? 0) + 1);
      if (g === 'hot' && othersToStart > 0)
        hotPeakWhileOthersWait = Math.max(hotPeakWhileOthersWait, running.get(g)!);
      if (g === 'hot' && othersToStart === 0)
        hotPeakAlone = Math.max(hotPeakAlone, running.get(g)!);
      await tick();
      running.set(g, running.get(g)! - 1);
    });
    expect(hotPeakWhileOthersWait).toBe(2);
    // Alone with its backlog, the hot tenant gets every slot (the cap never idles a slot).
    expect(hotPeakAlone).toBe(4);
    // The first four starts reach four different tenants, not four of the hot one's orders.
    expect(new Set(order.slice(0, 4))).toEqual(new Set(['hot', 'a', 'b', 'c']));
    expect(order.filter((g) => g === 'hot')).toHaveLength(100);
    expect(order).toHaveLength(106);
  });

  it('stops taking items once the signal aborts, and rethrows the first error after the rest', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    await runFairPool(new Map([['t', [1, 2, 3, 4]]]), 1, 1, abort.signal, async (_g, n) => {
      seen.push(n);
      if (n === 2) abort.abort();
      await tick();
    });
    expect(seen).toEqual([1, 2]);
    await expect(
      runFairPool(
        new Map([
          ['t', [1, 2]],
          ['u', [3]],
        ]),
        2,
        1,
        new AbortController().signal,
        async (_g, n) => {
          await tick();
          if (n === 1) throw new Error('first');
        },
      ),
    ).rejects.toThrow('first');
  });
});

describe('interleave', () => {
  it('takes the tenants in turn, at most perGroup of each', () => {
    expect(interleave([[1, 2, 3, 4], [10], [20, 21]], 3)).toEqual([1, 10, 20, 2, 21, 3]);
  });
});
