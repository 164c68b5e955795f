import type { Prng } from '../lib/prng.js';

/** Statuses an injected error can have. */
export type FaultStatus = 429 | 500 | 502 | 503 | 504;

/**
 * Fault switches (control API). Probabilities are per request, drawn from the seeded generator,
 * so one seed gives the same sequence of faults for the same sequence of requests.
 */
export interface FaultSettings {
  /** Probability per status, e.g. `{429: 0.1, 500: 0.1, 503: 0.1}` = 30% of calls fail. */
  errorRates?: Partial<Record<FaultStatus, number>>;
  /** `Retry-After` of injected 429s (integer seconds >= 1; default 1). */
  retryAfterSeconds?: number;
  /** Added latency before the request is handled (real milliseconds). */
  latencyMs?: number;
  /** Probability that the connection is destroyed without an answer. */
  dropRate?: number;
  /** Probability (writes only) that the change is applied and the answer is a 500 anyway. */
  failAfterApplyRate?: number;
  /** Hosts the faults apply to (default: the API host only). */
  hosts?: ('api' | 'id')[];
  /** Only requests with these methods (default all). */
  methods?: string[];
  /** Only requests whose path contains this text (default all). */
  pathIncludes?: string;
}

/** What to do with one request. */
export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'error'; status: FaultStatus; latencyMs: number; retryAfterSeconds: number }
  | { kind: 'drop'; latencyMs: number }
  | { kind: 'fail-after-apply'; latencyMs: number };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Decides per request whether to inject a fault. Settings are either the default (every
 * contract) or one contract's own, which replace the default for that contract's requests —
 * one merchant's Smaregi answering slowly while the others answer normally.
 */
export class FaultInjector {
  private settings: FaultSettings = {};
  private readonly perContract = new Map<string, FaultSettings>();

  constructor(private readonly rng: Prng) {}

  /** Sets the default settings, or one contract's own when `contractId` is given. */
  set(settings: FaultSettings, contractId?: string): void {
    for (const [status, rate] of Object.entries(settings.errorRates ?? {})) {
      if (!(rate >= 0 && rate <= 1))
        throw new RangeError(`errorRates.${status} must be within 0..1`);
    }
    for (const name of ['dropRate', 'failAfterApplyRate'] as const) {
      const v = settings[name];
      if (v !== undefined && !(v >= 0 && v <= 1))
        throw new RangeError(`${name} must be within 0..1`);
    }
    if (contractId === undefined) this.settings = { ...settings };
    else this.perContract.set(contractId, { ...settings });
  }

  /** The settings that apply to a contract (its own, else the default), or the default. */
  get(contractId?: string): FaultSettings {
    return { ...((contractId && this.perContract.get(contractId)) || this.settings) };
  }

  /** Clears one contract's own settings, or (no argument) every setting. */
  clear(contractId?: string): void {
    if (contractId !== undefined) {
      this.perContract.delete(contractId);
      return;
    }
    this.settings = {};
    this.perContract.clear();
  }

  decide(
    host: 'api' | 'id',
    method: string,
    path: string,
    contractId?: string | null,
  ): FaultDecision {
    const s = (contractId ? this.perContract.get(contractId) : undefined) ?? this.settings;
    const latencyMs = s.latencyMs ?? 0;
    const hosts = s.hosts ?? ['api'];
    if (!hosts.includes(host)) return { kind: 'none', latencyMs: 0 };
    if (s.methods && !s.methods.map((m) => m.toUpperCase()).includes(method))
      return { kind: 'none', latencyMs: 0 };
    if (s.pathIncludes !== undefined && !path.includes(s.pathIncludes))
      return { kind: 'none', latencyMs: 0 };
    const hasRates =
      (s.dropRate ?? 0) > 0 ||
      (s.failAfterApplyRate ?? 0) > 0 ||
      Object.values(s.errorRates ?? {}).some((r) => r > 0);
    if (!hasRates) return { kind: 'none', latencyMs };
    // One draw per request keeps the sequence of decisions reproducible for a seed.
    const r = this.rng.next();
    let edge = s.dropRate ?? 0;
    if (r < edge) return { kind: 'drop', latencyMs };
    for (const [status, rate] of Object.entries(s.errorRates ?? {})) {
      edge += rate;
      if (r < edge) {
        return {
          kind: 'error',
          status: Number(status) as FaultStatus,
          latencyMs,
          retryAfterSeconds: Math.max(1, Math.ceil(s.retryAfterSeconds ?? 1)),
        };
      }
    }
    if (WRITE_METHODS.has(method)) {
      edge += s.failAfterApplyRate ?? 0;
      if (r < edge) return { kind: 'fail-after-apply', latencyMs };
    }
    return { kind: 'none', latencyMs };
  }
}
