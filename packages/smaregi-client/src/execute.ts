/**
 * The retry layer: runs one attempt function again as `decideRetry` says, waiting on the
 * injected clock. Used for API calls and for app-token requests alike.
 */
import type { Clock } from './clock.js';
import { isSmaregiApiError } from './errors.js';
import type { SmaregiLogger } from './http.js';
import { decideRetry, type HttpMethod, type RetryPolicyOptions } from './retry-policy.js';

export interface RetryContext {
  clock: Clock;
  logger: SmaregiLogger;
  retry: RetryPolicyOptions;
  random: () => number;
}

export interface RetryTarget {
  operation: string;
  method: HttpMethod;
  idempotent?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

/** Calls `attempt` until it succeeds, or the policy says the failure is final (then rethrows). */
export async function runWithRetry<T>(
  ctx: RetryContext,
  target: RetryTarget,
  attempt: () => Promise<T>,
): Promise<T> {
  let attempts = 0;
  let rateLimitRetries = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSmaregiApiError(error)) throw error;
      if (error.kind !== 'rate_limited') attempts++;
      const decision = decideRetry({
        method: target.method,
        idempotent: target.idempotent,
        kind: error.kind,
        attempt: attempts,
        rateLimitRetries,
        retryAfterMs: error.retryAfterMs,
        policy: ctx.retry,
        random: ctx.random,
      });
      if (!decision.retry) throw error;
      if (!decision.countsAsAttempt) rateLimitRetries++;
      ctx.logger.warn(
        {
          operation: target.operation,
          kind: error.kind,
          status: error.status,
          delayMs: decision.delayMs,
          reason: decision.reason,
          attempt: attempts,
          rateLimitRetries,
        },
        'smaregi retry',
      );
      await ctx.clock.sleep(decision.delayMs, target.signal);
    }
  }
}
