/**
 * The client's whole retry policy, as one pure function (docs/conventions.md item 7).
 *
 * - 429: wait what Retry-After says, for every method (a 429'd request had no effect), without
 *   spending an attempt, up to `maxRateLimitRetries` times and at most `maxRetryAfterMs` per wait.
 * - 5xx, network errors, timeouts: exponential backoff with full jitter, for reads only.
 * - Writes are never retried otherwise: a write that may have reached Smaregi is resolved by the
 *   job layer, which reads before it writes again (docs/reliability.md items 1-2).
 * - Anything else (4xx, bad response) is final.
 */
import type { SmaregiErrorKind } from './errors.js';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RetryPolicyOptions {
  /** Attempts in total for a read that fails with 5xx / network / timeout (default 4). */
  maxAttempts: number;
  /** First backoff ceiling in ms; doubles per attempt (default 300). */
  baseDelayMs: number;
  /** Largest backoff ceiling in ms (default 10,000). */
  maxDelayMs: number;
  /** How many 429s one call may wait out (default 5). */
  maxRateLimitRetries: number;
  /** A Retry-After longer than this is not waited for: the error goes to the caller (default 60 s). */
  maxRetryAfterMs: number;
  /** Wait used when a 429 carries no usable Retry-After (default 1,000 ms). */
  defaultRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyOptions = {
  maxAttempts: 4,
  baseDelayMs: 300,
  maxDelayMs: 10_000,
  maxRateLimitRetries: 5,
  maxRetryAfterMs: 60_000,
  defaultRetryAfterMs: 1_000,
};

export interface RetryInput {
  method: HttpMethod;
  /**
   * Overrides the method rule: true for a POST that is safe to repeat (e.g. asking the ID host
   * for a client-credentials token), false for a GET with side effects. Default: reads only.
   */
  idempotent?: boolean | undefined;
  kind: SmaregiErrorKind;
  /** Attempts already made that counted (1 after the first failure). 429s do not count. */
  attempt: number;
  /** 429s already waited out during this call. */
  rateLimitRetries: number;
  /** Parsed Retry-After of the failed response, in ms (see `parseRetryAfter`). */
  retryAfterMs?: number | undefined;
  policy: RetryPolicyOptions;
  /** Random source in [0, 1) for the jitter; injectable for tests. */
  random: () => number;
}

export type RetryDecision =
  | { retry: true; delayMs: number; countsAsAttempt: boolean; reason: 'rate_limited' | 'backoff' }
  | { retry: false };

/** Reads are the only calls that are safe to send twice. */
export function isReadMethod(method: HttpMethod): boolean {
  return method === 'GET' || method === 'HEAD';
}

/** Decides whether and when to send a failed call again. Pure: same input, same answer. */
export function decideRetry(input: RetryInput): RetryDecision {
  const { policy } = input;
  if (input.kind === 'rate_limited') {
    const wait = input.retryAfterMs ?? policy.defaultRetryAfterMs;
    if (input.rateLimitRetries >= policy.maxRateLimitRetries || wait > policy.maxRetryAfterMs) {
      return { retry: false };
    }
    return {
      retry: true,
      delayMs: Math.max(0, wait),
      countsAsAttempt: false,
      reason: 'rate_limited',
    };
  }
  const transient = input.kind === 'server' || input.kind === 'network' || input.kind === 'timeout';
  const repeatable = input.idempotent ?? isReadMethod(input.method);
  if (!transient || !repeatable || input.attempt >= policy.maxAttempts) {
    return { retry: false };
  }
  return {
    retry: true,
    delayMs: backoffDelayMs(input.attempt, policy.baseDelayMs, policy.maxDelayMs, input.random),
    countsAsAttempt: true,
    reason: 'backoff',
  };
}

/**
 * Exponential backoff with full jitter (AWS architecture blog "Exponential Backoff and Jitter"):
 * uniform in [0, min(max, base * 2^(attempt-1))), which spreads retries of many clients apart.
 * The one backoff of Renkei: the client's retries of reads, and the worker's ledger and jobs
 * (an unknown outcome, a 429 that outlasted the client's waits, a failed re-read).
 */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Parses a Retry-After header (delta-seconds or HTTP-date, RFC 9110 §10.2.3) into ms from `now`.
 * Returns undefined when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date formats all start with a day name ("Thu, 01 Jan 2026 ..."); anything else (e.g.
  // "-1", "1.5") is rejected rather than left to Date.parse's lenient guessing.
  if (!/^[A-Z][a-z]{2}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
