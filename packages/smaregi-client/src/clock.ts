/**
 * Time as a dependency: every wait of the client (rate budget, Retry-After, backoff) goes through
 * a `Clock`, so tests inject a fake one and never sleep (docs/conventions.md item 7).
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Rejects with the signal's reason (an `AbortError` DOMException unless the caller chose one). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}

export function abortReason(signal: AbortSignal): Error {
  const reason = signal.reason as unknown;
  if (reason instanceof Error) return reason;
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** The real clock: `Date.now()` and Node's abortable `timers/promises` setTimeout. */
export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    if (ms <= 0) return;
    try {
      await delay(ms, undefined, signal ? { signal } : {});
    } catch (error) {
      // Node rejects with its own AbortError; callers expect the signal's reason (e.g. the
      // worker's stop signal) as with every other abortable call of the client.
      if (signal?.aborted) throw abortReason(signal);
      throw error;
    }
  },
};
