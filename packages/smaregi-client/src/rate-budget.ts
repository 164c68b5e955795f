/**
 * Per-contract rate budget with separate read and write limits (docs/reliability.md item 3).
 *
 * Smaregi (and the simulator, docs/smaregi-wire.md §5.2) counts requests in a *sliding* one-second
 * window: at most N arrivals in any [t, t+1s). A fixed-window limiter may send N at the end of one
 * window and N at the start of the next and be refused, so the budget *spaces* permits instead:
 * one permit every (1000 ms + safety margin) / N. Then any N+1 consecutive requests span at least
 * 1 s + margin, and the margin absorbs scheduling and network jitter. A steady stream at the limit
 * therefore gets no 429 at all, which matters because Smaregi warns that many 429s may lead to
 * refusal of service.
 *
 * Where the permits are kept is a `BudgetStore`: in memory for one process (default), or in
 * PostgreSQL (`@renkei/smaregi-client/budget-postgres`) when several workers share a contract.
 */
import { abortReason, type Clock } from './clock.js';

export type BudgetKind = 'read' | 'write';

export interface RateLimits {
  /** Reads (GET) per second per contract (default 10, the sandbox figure). */
  readsPerSecond: number;
  /** Writes (POST/PUT/PATCH/DELETE) per second per contract (default 4, the sandbox figure). */
  writesPerSecond: number;
  /** Extra milliseconds added to every one-second window, against jitter (default 75). */
  safetyMarginMs: number;
  /**
   * A permit whose booked time passed more than this many ms before the process got round to it
   * (a stalled event loop, a descheduled process, a slow store) is dropped and a new one booked,
   * because sending late would squeeze it against the permits booked after it (default 20).
   * Keep it below `safetyMarginMs`.
   */
  lateToleranceMs: number;
}

/** A contract's own reads/s and writes/s (either may be left to the default). */
export type ContractLimits = Partial<Pick<RateLimits, 'readsPerSecond' | 'writesPerSecond'>>;

/**
 * Limits of particular contracts, by contract ID, where they differ from the default: one
 * deployment may serve contracts on different terms (a sandbox contract next to production ones,
 * limits agreed with Smaregi for one merchant).
 */
export type ContractRateLimits = Readonly<Record<string, ContractLimits>>;

export const DEFAULT_RATE_LIMITS: RateLimits = {
  readsPerSecond: 10,
  writesPerSecond: 4,
  safetyMarginMs: 75,
  lateToleranceMs: 20,
};

export interface BudgetReserveRequest {
  /** Identifies one budget: `<clientId>:<contractId>:<read|write>`. */
  key: string;
  /** Minimum distance in ms between two permits of this budget. */
  intervalMs: number;
  /** The caller's current time (epoch ms). */
  now: number;
}

/**
 * Storage of permits. `reserve` books the earliest free send time for one request and returns it
 * (epoch ms, >= now); the caller waits until then. A booked time is never given to anyone else,
 * even if the caller then gives up, so the store can only err on the polite side.
 */
export interface BudgetStore {
  reserve(request: BudgetReserveRequest): Promise<number>;
}

/**
 * In-process store: the next free send time per key (the "theoretical arrival time" of the
 * generic cell rate algorithm without burst tolerance).
 */
export class MemoryBudgetStore implements BudgetStore {
  readonly #next = new Map<string, number>();

  reserve({ key, intervalMs, now }: BudgetReserveRequest): Promise<number> {
    const sendAt = Math.max(now, this.#next.get(key) ?? now);
    this.#next.set(key, sendAt + intervalMs);
    return Promise.resolve(sendAt);
  }
}

/** Spacing between permits for `perSecond` requests per second with `marginMs` of slack. */
export function permitIntervalMs(perSecond: number, marginMs: number): number {
  return (1000 + marginMs) / perSecond;
}

interface Waiter {
  priority: number;
  seq: number;
  resolve: () => void;
  reject: (reason: Error) => void;
}

interface Lane {
  waiters: Waiter[];
  pumping: boolean;
}

/**
 * Hands out permits in order of priority (higher first), then arrival. One pump per budget key
 * books a slot in the store, waits for it and gives it to the best waiter at that moment; a
 * waiter that aborts leaves the queue at once and its slot goes to the next one.
 */
export class RateBudget {
  readonly #lanes = new Map<string, Lane>();
  #seq = 0;

  constructor(
    private readonly store: BudgetStore,
    private readonly clock: Clock,
    private readonly limits: RateLimits,
  ) {
    for (const [name, value] of [
      ['readsPerSecond', limits.readsPerSecond],
      ['writesPerSecond', limits.writesPerSecond],
    ] as const) {
      if (!(value > 0) || !Number.isFinite(value)) {
        throw new RangeError(`rateLimits.${name} must be a positive number, got ${String(value)}`);
      }
    }
    if (!(limits.safetyMarginMs >= 0)) {
      throw new RangeError(`rateLimits.safetyMarginMs must be >= 0`);
    }
    if (!(limits.lateToleranceMs >= 0)) {
      throw new RangeError(`rateLimits.lateToleranceMs must be >= 0`);
    }
  }

  /**
   * Minimum spacing of permits for a kind: of the contract's own limits when given (see
   * `ContractRateLimits`), else of the default ones.
   */
  intervalMs(kind: BudgetKind, own?: ContractLimits): number {
    const perSecond =
      kind === 'read'
        ? (own?.readsPerSecond ?? this.limits.readsPerSecond)
        : (own?.writesPerSecond ?? this.limits.writesPerSecond);
    return permitIntervalMs(perSecond, this.limits.safetyMarginMs);
  }

  /**
   * Waits for one permit of `kind` for `budgetId` (client and contract). Rejects with the
   * signal's reason when aborted while waiting.
   */
  acquire(
    budgetId: string,
    kind: BudgetKind,
    signal?: AbortSignal,
    priority = 0,
    /** The contract's own limits, when it has its own (else the budget's). */
    own?: ContractLimits,
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const key = `${budgetId}:${kind}`;
    let lane = this.#lanes.get(key);
    if (!lane) {
      lane = { waiters: [], pumping: false };
      this.#lanes.set(key, lane);
    }
    const currentLane = lane;
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const index = currentLane.waiters.indexOf(waiter);
        if (index >= 0) currentLane.waiters.splice(index, 1);
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        priority,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      currentLane.waiters.push(waiter);
      if (!currentLane.pumping) void this.#pump(key, this.intervalMs(kind, own), currentLane);
    });
  }

  async #pump(key: string, intervalMs: number, lane: Lane): Promise<void> {
    lane.pumping = true;
    try {
      while (lane.waiters.length > 0) {
        const sendAt = await this.store.reserve({
          key,
          intervalMs,
          now: this.clock.now(),
        });
        const wait = sendAt - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        // Woken too late: sending now could land within one second of the next N permits.
        if (this.clock.now() - sendAt > this.limits.lateToleranceMs) continue;
        const best = takeBest(lane.waiters);
        best?.resolve();
      }
    } catch (error) {
      // The store failed (e.g. the database is down): nobody can be given a permit safely.
      const reason = error instanceof Error ? error : new Error(String(error));
      for (const waiter of lane.waiters.splice(0)) waiter.reject(reason);
    } finally {
      lane.pumping = false;
      if (lane.waiters.length === 0) this.#lanes.delete(key);
    }
  }
}

function takeBest(waiters: Waiter[]): Waiter | undefined {
  let bestIndex = -1;
  for (let i = 0; i < waiters.length; i++) {
    const candidate = waiters[i]!;
    const best = bestIndex >= 0 ? waiters[bestIndex]! : undefined;
    if (
      !best ||
      candidate.priority > best.priority ||
      (candidate.priority === best.priority && candidate.seq < best.seq)
    ) {
      bestIndex = i;
    }
  }
  return bestIndex >= 0 ? waiters.splice(bestIndex, 1)[0] : undefined;
}
