/**
 * Test helpers for code that uses the client (`@renkei/smaregi-client/testing`).
 *
 * `createFakeClock()` gives a clock whose time moves only when told to, so rate budgets,
 * Retry-After waits and backoff can be tested in milliseconds of real time. The timers are those
 * of @sinonjs/fake-timers, on a clock of their own: the process's real timers are not replaced,
 * so the simulator, the database driver and the test runner keep running on real time.
 */
import { createClock } from '@sinonjs/fake-timers';
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

/** The longest delay one timer takes; fake-timers, like Node, turns a longer one into 1 ms. */
const MAX_TIMER_DELAY = 2 ** 31 - 1;
/**
 * Timers one `advance` may fire before fake-timers calls it an infinite loop (its default is
 * 1,000, fewer than a long fault storm schedules).
 */
const LOOP_LIMIT = 1_000_000;

/** Creates a fake clock (see `FakeClock`). */
export function createFakeClock(options: FakeClockOptions = {}): FakeClock {
  const clock = createClock(options.start ?? Date.UTC(2026, 0, 1), LOOP_LIMIT);
  const sleeps: number[] = [];
  /** The due time of every sleep still waiting. */
  const waiting = new Set<{ due: number }>();

  return {
    sleeps,
    now: () => clock.now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (options.autoAdvance) {
        clock.setSystemTime(clock.now + Math.max(0, ms));
        return Promise.resolve();
      }
      if (ms <= 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        // A timer fires on whole milliseconds: round up, as a sleep never ends early.
        const entry = { due: clock.now + Math.ceil(ms) };
        let timer = wait();
        function wait(): ReturnType<typeof clock.setTimeout> {
          return clock.setTimeout(fired, Math.min(entry.due - clock.now, MAX_TIMER_DELAY));
        }
        function fired(): void {
          if (clock.now < entry.due) {
            timer = wait();
            return;
          }
          waiting.delete(entry);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
        function onAbort(): void {
          clock.clearTimeout(timer);
          waiting.delete(entry);
          reject(abortReason(signal!));
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.add(entry);
      });
    },
    async advance(ms: number): Promise<void> {
      // tickAsync fires the due timers one by one, in due order, and lets the woken code run
      // (and schedule new timers, which fire too when they fall within the range) in between.
      await clock.tickAsync(ms);
    },
    async setNow(ms: number): Promise<void> {
      if (ms > clock.now) await clock.tickAsync(ms - clock.now);
    },
    pendingSleeps: () => waiting.size,
    nextDueAt: () =>
      waiting.size > 0 ? Math.min(...[...waiting].map((entry) => entry.due)) : undefined,
  };
}
