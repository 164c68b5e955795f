import type { JournalEntry } from '@renkei/smaregi-simulator';

/*
 * What the simulator's journal says about one contract: its calls by kind, and how close its
 * writes came to its limit.
 */

export type CallKind =
  'registration' | 'allocation' | 'shipping' | 'cancel' | 'otherWrite' | 'token' | 'read';

/** The kind of one journal entry (API paths are `/{contract}/...`). */
export function callKind(e: JournalEntry): CallKind {
  if (e.host === 'id') return 'token';
  if (e.method === 'GET' || e.method === 'HEAD') return 'read';
  const path = e.path.replace(/^\/[^/]+/, '');
  if (path === '/order-shipment/orders') return 'registration';
  if (/^\/order-shipment\/orders\/[^/]+\/allocation$/.test(path)) return 'allocation';
  if (path === '/order-shipment/orders/shipping/bulk') return 'shipping';
  if (/\/cancel$/.test(path)) return 'cancel';
  return 'otherWrite';
}

/** A read's operation, IDs replaced (`GET /order-shipment/orders/{id}`). */
export function readName(e: JournalEntry): string {
  return `${e.method} ${e.path.replace(/^\/[^/]+/, '').replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

/** Counted by the rate window: not refused as 401 (no client known) nor 429. */
export const counted = (e: JournalEntry): boolean => e.status !== 401 && e.status !== 429;

/** The most accepted requests in any half-open one-second window [t, t+1s). */
export function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

export interface ContractFigures {
  calls: Record<CallKind, number>;
  reads: Map<string, number>;
  status429: number;
  maxWritesPerSecond: number;
  maxReadsPerSecond: number;
  /** First and last registration or allocation write (the span while it had that work). */
  firstWorkMs: number | null;
  lastWorkMs: number | null;
  /** Writes counted by the limit (token requests included) between those two moments. */
  writesInSpan: number;
}

export function contractFigures(entries: readonly JournalEntry[]): ContractFigures {
  const calls: Record<CallKind, number> = {
    registration: 0,
    allocation: 0,
    shipping: 0,
    cancel: 0,
    otherWrite: 0,
    token: 0,
    read: 0,
  };
  const reads = new Map<string, number>();
  const writeTimes: number[] = [];
  const readTimes: number[] = [];
  const work: number[] = [];
  let status429 = 0;
  for (const e of entries) {
    if (e.status === 429) status429++;
    const kind = callKind(e);
    if (!counted(e)) continue;
    calls[kind]++;
    if (kind === 'read') {
      readTimes.push(e.timeMs);
      reads.set(readName(e), (reads.get(readName(e)) ?? 0) + 1);
    } else writeTimes.push(e.timeMs);
    if (kind === 'registration' || kind === 'allocation') work.push(e.timeMs);
  }
  const firstWorkMs = work.length > 0 ? Math.min(...work) : null;
  const lastWorkMs = work.length > 0 ? Math.max(...work) : null;
  return {
    calls,
    reads,
    status429,
    maxWritesPerSecond: maxPerSecond(writeTimes),
    maxReadsPerSecond: maxPerSecond(readTimes),
    firstWorkMs,
    lastWorkMs,
    writesInSpan:
      firstWorkMs === null
        ? 0
        : writeTimes.filter((t) => t >= firstWorkMs && t <= (lastWorkMs ?? 0)).length,
  };
}
