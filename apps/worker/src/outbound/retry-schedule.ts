/*
 * When a failed webhook delivery is tried again (docs/webhooks.md, "Retries"). Exponential
 * backoff with jitter over a window of 24 hours from the first attempt (or from a manual
 * re-delivery):
 *
 *   attempt  1: at once
 *   attempt  2:  5 s after the first failure     attempt  6: 30 min later
 *   attempt  3: 30 s later                       attempt  7:  1 h later
 *   attempt  4:  2 min later                     attempt  8:  2 h later
 *   attempt  5: 10 min later                     attempt  9…: every 4 h
 *
 * each delay ±20 % at random (receivers that came back together are not hit together), and the
 * last attempt at the end of the window: about 14 attempts in all, 7 of them in the first 45
 * minutes, where most outages end. After the window the delivery is failed and the endpoint is
 * marked failing.
 */

/** The retry window: how long a delivery is tried before it is failed. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/** Delays after the 1st, 2nd, … failed attempt; the last one repeats. */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000,
];

/** The jitter: each delay is multiplied by a factor in [1 - JITTER, 1 + JITTER). */
const JITTER = 0.2;

/**
 * When the next attempt is due after `failures` failed attempts (1 or more), or null when the
 * window has ended: the delivery is then failed. `random` in [0, 1).
 */
export function nextAttemptAt(
  failures: number,
  now: number,
  retryFrom: number,
  random: () => number,
  delays: readonly number[] = RETRY_DELAYS_MS,
  windowMs: number = RETRY_WINDOW_MS,
): number | null {
  const end = retryFrom + windowMs;
  if (now >= end) return null;
  const base = delays[Math.min(failures, delays.length) - 1] ?? delays.at(-1) ?? 0;
  const delay = base * (1 - JITTER + 2 * JITTER * random());
  return Math.min(now + Math.round(delay), end);
}
