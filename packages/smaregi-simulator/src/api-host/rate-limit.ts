/**
 * Rate limits per (client_id, contract), separate budgets for reads (GET/HEAD) and writes
 * (POST/PUT/PATCH/DELETE). Numbers are modeled on the sandbox report (10 reads/s, 4 writes/s,
 * docs/smaregi-wire.md §5.2 [SEC]); the window rule is Renkei's (same section): at most N accepted
 * requests whose arrival lies in any half-open 1-second window [t, t+1s). A refused request does
 * not count.
 */
export interface RateLimits {
  readsPerSecond: number;
  writesPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { readsPerSecond: 10, writesPerSecond: 4 };

const WINDOW_MS = 1000;

export type RateDecision =
  { allowed: true; release: () => void } | { allowed: false; retryAfterSeconds: number };

function validate(limits: RateLimits | false): void {
  if (!limits) return;
  for (const name of ['readsPerSecond', 'writesPerSecond'] as const) {
    const n = limits[name];
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer`);
  }
}

export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  /**
   * Contracts with limits of their own (a plan, a bench tenant): they win over the default,
   * which applies to every other contract.
   */
  private readonly perContract = new Map<string, RateLimits | false>();

  constructor(private limits: RateLimits | false) {}

  /** The default limits, for every contract without its own. */
  setLimits(limits: RateLimits | false): void {
    validate(limits);
    this.limits = limits;
    this.windows.clear();
  }

  getLimits(): RateLimits | false {
    return this.limits;
  }

  /** One contract's own limits (every app on it); `null` returns it to the default. */
  setContractLimits(contractId: string, limits: RateLimits | false | null): void {
    if (limits === null) this.perContract.delete(contractId);
    else {
      validate(limits);
      this.perContract.set(contractId, limits && { ...limits });
    }
    for (const key of this.windows.keys())
      if (key.split('\u0000')[1] === contractId) this.windows.delete(key);
  }

  /** The limits that apply to a contract: its own, else the default. */
  limitsFor(contractId: string): RateLimits | false {
    const own = this.perContract.get(contractId);
    return own === undefined ? this.limits : own;
  }

  /** Admits or refuses a request arriving at `nowMs`. */
  check(clientId: string, contractId: string, method: string, nowMs: number): RateDecision {
    const limits = this.limitsFor(contractId);
    if (!limits) return { allowed: true, release: () => undefined };
    const write = method !== 'GET' && method !== 'HEAD';
    const limit = write ? limits.writesPerSecond : limits.readsPerSecond;
    const key = `${clientId}\u0000${contractId}\u0000${write ? 'w' : 'r'}`;
    let times = this.windows.get(key);
    if (!times) {
      times = [];
      this.windows.set(key, times);
    }
    // Accepted arrivals s with s > now - 1s share a 1-second window with this request.
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= nowMs - WINDOW_MS) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= limit) {
      const oldest = times[0] as number;
      const waitMs = oldest + WINDOW_MS - nowMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    times.push(nowMs);
    const list = times;
    return {
      allowed: true,
      release: () => {
        const i = list.lastIndexOf(nowMs);
        if (i >= 0) list.splice(i, 1);
      },
    };
  }
}
