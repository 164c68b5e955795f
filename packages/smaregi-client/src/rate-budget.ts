/**
 * Per-contract rate budget with separate read and write limits (docs/reliability.md item 3).
 *
 * Smaregi (and the simulator, docs/smaregi-wire.md §5.2) counts requests in a *sliding* one-second
 * window: at most N arrivals in any [t, t+1s). The budget keeps, per contract and kind, the times
 * of the last N permits it gave (a sliding log) and gives another only when the N-th last one is
 * at least one window ago, the window being 1000 ms plus a safety margin. Any N+1 consecutive
 * permits then span more than a second plus the margin, and the margin absorbs network jitter. A
 * steady stream at the limit therefore gets no 429 at all, which matters because Smaregi warns
 * that many 429s may lead to refusal of service.
 *
 * A permit is taken when it is due, not booked ahead. An earlier version spaced permits one
 * interval apart and booked each slot before sleeping until it: a process whose event loop was
 * busy when the slot came had to drop it (sending late would squeeze it against the next ones),
 * and at 100 tenants two busy workers dropped about half their slots (`pnpm bench:scale`). With
 * the log, a permit taken late costs nothing: the window moves on from when it was taken.
 *
 * Where the log is kept is a `BudgetStore`: in memory for one process (default), or in PostgreSQL
 * (`@renkei/smaregi-client/budget-postgres`) when several workers share a contract.
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
   * A permit is recorded at the time it was taken. If the process gets round to using it more
   * than this many ms later (a stalled event loop, a slow store answer), it is dropped and
   * another taken, because sending it late would squeeze it against the permits taken after it
   * (default 20). Keep it below `safetyMarginMs`.
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

/** How many permits one budget gives in any window of `windowMs`. */
export interface PermitWindow {
  /** Permits per window (a whole number, at least 1). */
  limit: number;
  /** The window: one second plus the safety margin (longer for a limit below 1/s). */
  windowMs: number;
}

/**
 * The window of `perSecond` requests per second with `marginMs` of slack. The server counts
 * whole requests, so a limit of 2.5/s allows 2 in a second; a limit below 1/s (0.5: one every
 * 2 s) stretches the window instead.
 */
export function permitWindow(perSecond: number, marginMs: number): PermitWindow {
  return perSecond >= 1
    ? { limit: Math.floor(perSecond), windowMs: 1000 + marginMs }
    : { limit: 1, windowMs: (1000 + marginMs) / perSecond };
}

export interface BudgetTakeRequest extends PermitWindow {
  /** Identifies one budget: `<clientId>:<contractId>:<read|write>`. */
  key: string;
  /** The caller's current time (epoch ms). */
  now: number;
}

/**
 * The answer to a take: a permit recorded at `at` (>= now; the caller waits until then and sends
 * at once), or none before `retryAt`.
 */
export type BudgetTake = { granted: true; at: number } | { granted: false; retryAt: number };

/**
 * Storage of the log of permits. `take` records a permit if fewer than `limit` were recorded in
 * the window before it, atomically: two callers can never both take the last one. A recorded
 * permit counts even if the caller then gives up, so the store can only err on the polite side.
 */
export interface BudgetStore {
  take(request: BudgetTakeRequest): Promise<BudgetTake>;
}

/**
 * The least time between two permits of one budget: half the even spacing of the window
 * (`windowMs / limit / 2`). Without it a full window's permits would go at once, and the
 * requests of such a burst, queued together, reach Smaregi with more spread than one request
 * alone, eating the margin (the client bench's 1,000 writes, run beside other work, met three
 * 429s that way). Half the spacing still lets a process that was stalled catch up at twice the
 * pace until the window is full.
 */
export function permitGapMs({ limit, windowMs }: PermitWindow): number {
  return windowMs / limit / 2;
}

/**
 * Decides a take against a log of permit times (ascending, at most `limit` long): the rule both
 * stores apply. A permit at `now` needs the N-th last permit one window before it and the last
 * one at least `permitGapMs` before it; else the answer says when both will hold.
 */
export function decideTake(
  log: readonly number[],
  { limit, windowMs, now }: Omit<BudgetTakeRequest, 'key'>,
): BudgetTake {
  const last = log.at(-1);
  const nthLast = log.length >= limit ? log[log.length - limit] : undefined;
  const due = Math.max(
    last === undefined ? -Infinity : last + permitGapMs({ limit, windowMs }),
    nthLast === undefined ? -Infinity : nthLast + windowMs,
  );
  return due <= now ? { granted: true, at: now } : { granted: false, retryAt: due };
}

/** Appends a permit to a log and keeps only its newest `limit` times. */
function remember(log: number[], at: number, limit: number): void {
  log.push(at);
  if (log.length > limit) log.splice(0, log.length - limit);
}

/** In-process store: the last `limit` permit times per key. */
export class MemoryBudgetStore implements BudgetStore {
  readonly #logs = new Map<string, number[]>();

  take(request: BudgetTakeRequest): Promise<BudgetTake> {
    const log = this.#logs.get(request.key) ?? [];
    const decision = decideTake(log, request);
    if (decision.granted) {
      remember(log, decision.at, request.limit);
      this.#logs.set(request.key, log);
    }
    return Promise.resolve(decision);
  }
}

/** What the budget tells its observer (the worker counts dropped permits on /metrics). */
export interface BudgetObserver {
  /** A permit was taken but used more than `lateToleranceMs` after its time, so not used. */
  permitDropped?(kind: BudgetKind, lateMs: number): void;
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
  /**
   * The permits this process took for the lane, newest last (at most the limit). The store's log
   * holds them and maybe others', so the rule applied to them alone says the earliest time worth
   * asking: a take that would be refused anyway costs no statement.
   */
  taken: number[];
}

/**
 * Hands out permits in order of priority (higher first), then arrival. One pump per budget key
 * takes a permit from the store when one is due (sleeping until the store says so), and gives it
 * to the best waiter at that moment; a waiter that aborts leaves the queue at once and the next
 * permit goes to the next one.
 */
export class RateBudget {
  readonly #lanes = new Map<string, Lane>();
  #seq = 0;

  constructor(
    private readonly store: BudgetStore,
    private readonly clock: Clock,
    private readonly limits: RateLimits,
    private readonly observer: BudgetObserver = {},
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
   * The permit window of a kind: of the contract's own limits when given (see
   * `ContractRateLimits`), else of the default ones.
   */
  window(kind: BudgetKind, own?: ContractLimits): PermitWindow {
    const perSecond =
      kind === 'read'
        ? (own?.readsPerSecond ?? this.limits.readsPerSecond)
        : (own?.writesPerSecond ?? this.limits.writesPerSecond);
    return permitWindow(perSecond, this.limits.safetyMarginMs);
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
      lane = { waiters: [], pumping: false, taken: [] };
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
      if (!currentLane.pumping) void this.#pump(key, kind, this.window(kind, own), currentLane);
    });
  }

  async #pump(key: string, kind: BudgetKind, window: PermitWindow, lane: Lane): Promise<void> {
    lane.pumping = true;
    try {
      while (lane.waiters.length > 0) {
        const own = decideTake(lane.taken, { ...window, now: this.clock.now() });
        if (!own.granted) {
          await this.clock.sleep(own.retryAt - this.clock.now());
          continue;
        }
        const take = await this.store.take({ key, ...window, now: this.clock.now() });
        if (!take.granted) {
          // Woken late here costs nothing: the permit is taken when the pump gets round to it.
          const wait = take.retryAt - this.clock.now();
          if (wait > 0) await this.clock.sleep(wait);
          continue;
        }
        remember(lane.taken, take.at, window.limit);
        const wait = take.at - this.clock.now();
        if (wait > 0) await this.clock.sleep(wait);
        // The store's answer (or this wake-up) came too late: sending now could land within one
        // window of the permits taken after it. The permit stays in the log, unused.
        const late = this.clock.now() - take.at;
        if (late > this.limits.lateToleranceMs) {
          this.observer.permitDropped?.(kind, late);
          continue;
        }
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
