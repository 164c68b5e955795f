import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  decideRetry,
  parseRetryAfter,
  type HttpMethod,
  type RetryInput,
} from './retry-policy.js';
import type { SmaregiErrorKind } from './errors.js';

const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000, maxAttempts: 4 };

function input(overrides: Partial<RetryInput>): RetryInput {
  return {
    method: 'GET',
    kind: 'server',
    attempt: 1,
    rateLimitRetries: 0,
    policy,
    random: () => 0.5,
    ...overrides,
  };
}

describe('decideRetry', () => {
  const finalKinds: SmaregiErrorKind[] = [
    'unauthorized',
    'forbidden_scope',
    'not_found',
    'invalid_request',
    'conflict',
    'bad_response',
  ];
  it.each(finalKinds)('never retries %s, even for reads', (kind) => {
    expect(decideRetry(input({ kind }))).toEqual({ retry: false });
  });

  const writes: HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
  it.each(writes.flatMap((m) => (['server', 'network', 'timeout'] as const).map((k) => [m, k])))(
    'never retries a %s after %s (the write may have happened)',
    (method, kind) => {
      expect(
        decideRetry(input({ method: method as HttpMethod, kind: kind as SmaregiErrorKind })),
      ).toEqual({
        retry: false,
      });
    },
  );

  it.each(['server', 'network', 'timeout'] as const)('backs off a read after %s', (kind) => {
    expect(decideRetry(input({ kind, attempt: 1 }))).toEqual({
      retry: true,
      delayMs: 50, // 0.5 × min(1000, 100 × 2^0)
      countsAsAttempt: true,
      reason: 'backoff',
    });
  });

  it('grows the ceiling exponentially and caps it (full jitter)', () => {
    const ceilings = [1, 2, 3].map((attempt) => {
      const d = decideRetry(input({ attempt, random: () => 0.999999 }));
      return d.retry ? d.delayMs : -1;
    });
    expect(ceilings).toEqual([99, 199, 399]);
    const capped = decideRetry(
      input({ attempt: 3, policy: { ...policy, maxDelayMs: 250 }, random: () => 0.999999 }),
    );
    expect(capped).toMatchObject({ retry: true, delayMs: 249 });
    const zero = decideRetry(input({ attempt: 2, random: () => 0 }));
    expect(zero).toMatchObject({ retry: true, delayMs: 0 });
  });

  it('stops after maxAttempts attempts', () => {
    expect(decideRetry(input({ attempt: 3 })).retry).toBe(true);
    expect(decideRetry(input({ attempt: 4 }))).toEqual({ retry: false });
  });

  it('retries an idempotent POST (token request) like a read, and not a GET marked unsafe', () => {
    expect(decideRetry(input({ method: 'POST', idempotent: true })).retry).toBe(true);
    expect(decideRetry(input({ method: 'GET', idempotent: false })).retry).toBe(false);
  });

  it.each(['GET', 'POST', 'PATCH', 'DELETE'] as const)(
    'waits Retry-After on 429 for %s without spending an attempt',
    (method) => {
      expect(
        decideRetry(input({ method, kind: 'rate_limited', retryAfterMs: 3_000, attempt: 99 })),
      ).toEqual({ retry: true, delayMs: 3_000, countsAsAttempt: false, reason: 'rate_limited' });
    },
  );

  it('uses the default wait for a 429 without Retry-After', () => {
    expect(decideRetry(input({ kind: 'rate_limited' }))).toMatchObject({
      retry: true,
      delayMs: policy.defaultRetryAfterMs,
    });
  });

  it('gives up on 429 after maxRateLimitRetries or when Retry-After is too long', () => {
    expect(
      decideRetry(input({ kind: 'rate_limited', rateLimitRetries: policy.maxRateLimitRetries })),
    ).toEqual({ retry: false });
    expect(
      decideRetry(input({ kind: 'rate_limited', retryAfterMs: policy.maxRetryAfterMs + 1 })),
    ).toEqual({ retry: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0);
  it.each([
    ['2', 2_000],
    [' 10 ', 10_000],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('%j → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
  it.each([null, undefined, '', 'soon', '-1', '1.5'])('%j → undefined', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
