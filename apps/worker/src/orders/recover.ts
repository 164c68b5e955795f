import { Operation, type Em } from '@renkei/persistence';

/**
 * At the start of the only worker of a database (SQLite), every `in_flight` mark was left by a
 * run that is gone: its call's outcome is unknown, so it becomes `unknown` at once (resolved by a
 * read before any resend) instead of waiting for its lease. With several workers (PostgreSQL) the
 * lease decides instead.
 */
export async function releaseDeadInFlight(em: Em, now: Date): Promise<number> {
  return em.nativeUpdate(
    Operation,
    { state: 'in_flight' },
    { state: 'unknown', leaseUntil: null, nextAttemptAt: now, updatedAt: now },
  );
}
