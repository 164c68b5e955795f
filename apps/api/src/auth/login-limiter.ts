/**
 * Limits password guessing: after `maxFailures` failed logins for one email (or from one client
 * address) within the lock window, further attempts are refused until the window has passed, even
 * with the right password. Kept in memory: the API is one process per deployment; a restart
 * forgets the counters, which only helps a guesser once per restart.
 */
export class LoginLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until another attempt is allowed for any of the keys, or 0. */
  retryAfterSeconds(keys: string[]): number {
    let wait = 0;
    const now = this.now();
    for (const key of keys) {
      const entry = this.#failures.get(key);
      if (entry === undefined) continue;
      if (now - entry.since >= this.lockMs) {
        this.#failures.delete(key);
        continue;
      }
      if (entry.count >= this.maxFailures)
        wait = Math.max(wait, Math.ceil((entry.since + this.lockMs - now) / 1000));
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.now();
    for (const key of keys) {
      const entry = this.#failures.get(key);
      if (entry === undefined || now - entry.since >= this.lockMs)
        this.#failures.set(key, { count: 1, since: now });
      else entry.count += 1;
    }
    // Bound memory under a flood of distinct keys: drop the oldest entries.
    if (this.#failures.size > 100_000) {
      const oldest = [...this.#failures.entries()]
        .sort((a, b) => a[1].since - b[1].since)
        .slice(0, 50_000);
      for (const [key] of oldest) this.#failures.delete(key);
    }
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }
}
