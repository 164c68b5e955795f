import { Job, type Em } from '@renkei/persistence';
import type { Clock } from '@renkei/smaregi-client';

/** A claimed job: what a handler receives. Payloads carry IDs only. */
export interface ClaimedJob {
  id: string;
  tenantId: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * The `jobs` table (persistence's transactional outbox) used as the in-process queue. A claim is
 * a compare-and-set from `queued` to `running` with a lock deadline, so even two processes on one
 * database never run a job twice at once; a job whose worker died is taken again once its lock
 * has expired. Lower priority numbers first (orders 0, stock 10, products 20).
 */
export class TableJobQueue {
  constructor(
    private readonly clock: Clock,
    private readonly workerId: string,
    private readonly lockMs: number,
  ) {}

  /** Claims up to `limit` due jobs (any tenant), oldest first within a priority. */
  async claim(em: Em, limit: number, names?: readonly string[]): Promise<ClaimedJob[]> {
    const now = new Date(this.clock.now());
    const candidates = await em.find(
      Job,
      {
        $or: [
          { state: 'queued', runAt: { $lte: now } },
          { state: 'running', lockedUntil: { $lt: now } },
        ],
        ...(names === undefined ? {} : { name: { $in: [...names] } }),
      },
      { orderBy: { priority: 'asc', runAt: 'asc', id: 'asc' }, limit },
    );
    const claimed: ClaimedJob[] = [];
    for (const job of candidates) {
      const updated = await em.nativeUpdate(
        Job,
        { id: job.id, state: job.state, attempts: job.attempts },
        {
          state: 'running',
          attempts: job.attempts + 1,
          lockedBy: this.workerId,
          lockedUntil: new Date(now.getTime() + this.lockMs),
          updatedAt: now,
        },
      );
      if (updated === 1) {
        claimed.push({
          id: job.id,
          tenantId: job.tenant.id,
          name: job.name,
          payload: job.payload,
          attempts: job.attempts + 1,
        });
      }
    }
    em.clear();
    return claimed;
  }

  async complete(em: Em, job: ClaimedJob): Promise<void> {
    const now = new Date(this.clock.now());
    await em.nativeUpdate(
      Job,
      { id: job.id, lockedBy: this.workerId },
      { state: 'done', finishedAt: now, lockedUntil: null, lastError: null, updatedAt: now },
    );
  }

  /** Puts the job back for a later attempt, or marks it failed (shown, never silently dropped). */
  async retryOrFail(
    em: Em,
    job: ClaimedJob,
    error: string,
    retryInMs: number | null,
  ): Promise<void> {
    const now = new Date(this.clock.now());
    await em.nativeUpdate(
      Job,
      { id: job.id, lockedBy: this.workerId },
      retryInMs === null
        ? { state: 'failed', finishedAt: now, lockedUntil: null, lastError: error, updatedAt: now }
        : {
            state: 'queued',
            runAt: new Date(now.getTime() + retryInMs),
            lockedUntil: null,
            lastError: error,
            updatedAt: now,
          },
    );
  }
}
