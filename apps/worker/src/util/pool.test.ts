import { describe, expect, it } from 'vitest';
import { runPool } from './pool.js';

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
