/**
 * Test helpers for code that uses the client (`@renkei/smaregi-client/testing`).
 *
 * `createFakeClock()` gives a clock whose time moves only when told to, so rate budgets,
 * Retry-After waits and backoff can be tested in milliseconds of real time.
 */
import { abortReason, type Clock } from './clock.js';

export interface FakeClock extends Clock {
  /** Every `sleep` duration requested so far, in call order. */
  readonly sleeps: number[];
  /** Moves time forward, resolving every sleep that falls due (in due order). */
  advance(ms: number): Promise<void>;
  /** Sets the time (never backwards) and resolves what falls due. */
  setNow(ms: number): Promise<void>;
  /** Number of sleeps still waiting. */
  pendingSleeps(): number;
  /** When the earliest waiting sleep falls due (epoch ms), if any. */
  nextDueAt(): number | undefined;
}

export interface FakeClockOptions {
  /** Start time in epoch ms (default 2026-01-01T00:00:00Z). */
  start?: number;
  /**
   * When true, `sleep(ms)` moves time forward by `ms` itself and resolves at once: handy when a
   * test only wants to know how long the client would have waited.
   */
  autoAdvance?: boolean;
}

interface Timer {
  due: number;
  seq: number;
  resolve: () => void;
}

/** Creates a fake clock (see `FakeClock`). */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? Date.UTC(2026, 0, 1);
  let seq = 0;
  const timers: Timer[] = [];
  const sleeps: number[] = [];

  const fireDue = async (): Promise<void> => {
    for (;;) {
      timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = timers[0];
      if (!next || next.due > now) return;
      timers.shift();
      next.resolve();
      // Let the woken code run (and maybe schedule new timers) before firing the next one.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  return {
    sleeps,
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (options.autoAdvance) {
        now += Math.max(0, ms);
        return Promise.resolve();
      }
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer: Timer = { due: now + ms, seq: seq++, resolve: () => resolve() };
        const onAbort = (): void => {
          const index = timers.indexOf(timer);
          if (index >= 0) timers.splice(index, 1);
          reject(abortReason(signal!));
        };
        timer.resolve = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        timers.push(timer);
      });
    },
    async advance(ms: number): Promise<void> {
      // Step through due times one by one so timers scheduled by woken code also fire in order.
      const target = now + ms;
      for (;;) {
        timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.due > target) break;
        now = Math.max(now, next.due);
        await fireDue();
      }
      now = target;
      await fireDue();
    },
    async setNow(ms: number): Promise<void> {
      if (ms > now) await this.advance(ms - now);
    },
    pendingSleeps: () => timers.length,
    nextDueAt: () => (timers.length > 0 ? Math.min(...timers.map((t) => t.due)) : undefined),
  };
}
