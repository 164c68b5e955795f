/** A fault the simulator injected into a request. */
export type InjectedFault = 'error' | 'drop' | 'fail-after-apply' | 'latency';

/** One request the simulator received (on either host; control calls are not journaled). */
export interface JournalEntry {
  seq: number;
  /** Arrival time on the simulator clock, ISO 8601 UTC. */
  time: string;
  /** Arrival time in epoch milliseconds (for rate computations). */
  timeMs: number;
  host: 'id' | 'api';
  method: string;
  /** Path without the query string. */
  path: string;
  /** The app that made the call (from the token or the Basic credentials), if known. */
  clientId: string | null;
  /** The contract in the path (API host) or the token request (ID host), if any. */
  contractId: string | null;
  /** HTTP status sent; null when the connection was dropped. */
  status: number | null;
  /** The injected fault, if any. */
  fault: InjectedFault | null;
  /** True when a write was applied (2xx, or 500 after the change was applied). */
  applied: boolean;
  durationMs: number;
}

/** Filter for reading the journal. */
export interface JournalQuery {
  host?: 'id' | 'api';
  contractId?: string;
  clientId?: string;
  method?: string;
  pathPrefix?: string;
  sinceSeq?: number;
}

/** Every request received, in arrival order, bounded to `limit` entries (oldest dropped). */
export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  constructor(private readonly limit = 200_000) {}

  nextSeq(): number {
    return ++this.seq;
  }

  record(entry: JournalEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(query: JournalQuery = {}): JournalEntry[] {
    return this.entries
      .filter(
        (e) =>
          (query.host === undefined || e.host === query.host) &&
          (query.contractId === undefined || e.contractId === query.contractId) &&
          (query.clientId === undefined || e.clientId === query.clientId) &&
          (query.method === undefined || e.method === query.method.toUpperCase()) &&
          (query.pathPrefix === undefined || e.path.startsWith(query.pathPrefix)) &&
          (query.sinceSeq === undefined || e.seq > query.sinceSeq),
      )
      .sort((a, b) => a.seq - b.seq);
  }

  clear(): void {
    this.entries = [];
  }
}
