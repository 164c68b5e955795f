import type { Em, Orm } from '../config.js';
import { forkEm } from '../config.js';
import { LockMode, raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import { PostgreSqlPlatform } from '@mikro-orm/postgresql';
import { newId } from '../ids.js';
import { Operation, type OperationKind, type OperationState } from './operation.entity.js';

/**
 * The write protocol for every remote effect (docs/reliability.md item 1), in one place:
 *
 *   open → claim (compare-and-set on state and attempts, in flight with a lease, committed
 *   BEFORE the call) → the call → succeed | fail (in the caller's transaction, with the local
 *   change) | release (unknown: read the remote side first next time; pending: nothing happened)
 *   with a backoff.
 *
 * A row found in flight with an expired lease, or unknown, must be resolved by reading the remote
 * side before anything is sent again (`mustResolve`). Two processes never hold the same row: the
 * claim only succeeds for the one whose (state, attempts) still matches.
 */

export interface LedgerSettings {
  clock: { now(): number };
  /** In-flight lease; must exceed the longest call. */
  leaseMs: number;
  /** The wait before the next attempt after `attempts` attempts (jittered backoff). */
  backoffMs: (attempts: number) => number;
  /** Who claims (process), recorded on the row for diagnostics. */
  holder: string;
  /** Told about each transition (metrics). */
  onTransition?: (kind: OperationKind, result: LedgerTransition) => void;
}

export type LedgerTransition =
  'claimed' | 'succeeded' | 'failed' | 'unknown' | 'released' | 'handedBack';

/**
 * What may be done with a row now: `claimable` (maybe after resolving), `succeeded` (done, never
 * again), `failed` (stays failed until reopened), `busy` (another holder's lease is live),
 * `deferred` (backing off until `nextAttemptAt`).
 */
export type LedgerVerdict = 'claimable' | 'succeeded' | 'failed' | 'busy' | 'deferred';

export interface LedgerEntry {
  id: string;
  tenantId: string;
  kind: OperationKind;
  businessKey: string;
  subjectId: string | null;
  state: OperationState;
  attempts: number;
  remoteId: string | null;
  payload: Record<string, unknown> | null;
  lastError: string | null;
  verdict: LedgerVerdict;
  /** An earlier call's outcome is unknown: read the remote side before sending. */
  mustResolve: boolean;
}

/** A row this process holds in flight. */
export interface LedgerClaim {
  id: string;
  tenantId: string;
  kind: OperationKind;
  businessKey: string;
  /** Attempts including this one; the compare-and-set token of every later update. */
  attempts: number;
  mustResolve: boolean;
  payload: Record<string, unknown> | null;
}

export interface LedgerSubject {
  type: string;
  id: string;
}

/** Decides what a row allows at `now` (the only place that reads states, leases and backoffs). */
export function verdictOf(
  row: Pick<Operation, 'state' | 'leaseUntil' | 'nextAttemptAt'>,
  now: number,
): { verdict: LedgerVerdict; mustResolve: boolean } {
  const waiting = row.nextAttemptAt != null && row.nextAttemptAt.getTime() > now;
  switch (row.state) {
    case 'succeeded':
      return { verdict: 'succeeded', mustResolve: false };
    case 'failed':
      return { verdict: 'failed', mustResolve: false };
    case 'in_flight':
      return row.leaseUntil != null && row.leaseUntil.getTime() > now
        ? { verdict: 'busy', mustResolve: true }
        : { verdict: 'claimable', mustResolve: true };
    case 'unknown':
      return { verdict: waiting ? 'deferred' : 'claimable', mustResolve: true };
    case 'pending':
      return { verdict: waiting ? 'deferred' : 'claimable', mustResolve: false };
  }
}

/** Keys per statement in {@link OperationLedger.openMany}. */
const OPEN_MANY_CHUNK = 500;
/** Claims per statement pair in {@link OperationLedger.succeedMany} (two parameters a claim). */
const SUCCEED_MANY_CHUNK = 200;

export class OperationLedger {
  constructor(
    private readonly orm: Orm,
    private readonly settings: LedgerSettings,
  ) {}

  /** The row of (kind, key), created `pending` when missing, with what it allows now. */
  async open(
    tenantId: string,
    kind: OperationKind,
    businessKey: string,
    subject?: LedgerSubject,
  ): Promise<LedgerEntry> {
    const em = forkEm(this.orm);
    let row = await em.findOne(Operation, { tenant: tenantId, kind, businessKey });
    if (row === null) {
      try {
        // One statement: a flush wrapped this one insert in BEGIN and COMMIT, two of the four
        // round trips of every new row (`pnpm bench:scale`, transaction profile).
        const fresh = pendingRow(em, tenantId, kind, businessKey, subject);
        await em.insert(fresh);
        row = fresh;
      } catch (error) {
        // Another process created it at the same moment: read theirs.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
        row = await forkEm(this.orm).findOneOrFail(Operation, {
          tenant: tenantId,
          kind,
          businessKey,
        });
      }
    }
    return toEntry(tenantId, row, this.settings.clock.now());
  }

  /**
   * {@link open} for many keys of one tenant and kind: one read for the rows that exist and one
   * insert for the missing ones, instead of a read (and maybe an insert) a key. The shipping loop
   * opens every order that may ship on each read of a tenant; one statement an order made that
   * read cost more than the orders' registrations (`pnpm bench:scale`, statement profile).
   */
  async openMany(
    tenantId: string,
    kind: OperationKind,
    items: readonly { businessKey: string; subject?: LedgerSubject }[],
  ): Promise<Map<string, LedgerEntry>> {
    const result = new Map<string, LedgerEntry>();
    if (items.length === 0) return result;
    const em = forkEm(this.orm);
    const keys = [...new Set(items.map((i) => i.businessKey))];
    const found: Operation[] = [];
    // Chunks keep each statement well inside SQLite's parameter limit.
    for (let i = 0; i < keys.length; i += OPEN_MANY_CHUNK)
      found.push(
        ...(await em.find(Operation, {
          tenant: tenantId,
          kind,
          businessKey: { $in: keys.slice(i, i + OPEN_MANY_CHUNK) },
        })),
      );
    const now = this.settings.clock.now();
    for (const row of found) result.set(row.businessKey, toEntry(tenantId, row, now));
    const missing = new Map<string, LedgerSubject | undefined>();
    for (const item of items)
      if (!result.has(item.businessKey)) missing.set(item.businessKey, item.subject);
    if (missing.size === 0) return result;
    try {
      const created = [...missing].map(([businessKey, subject]) =>
        pendingRow(em, tenantId, kind, businessKey, subject),
      );
      await em.flush();
      for (const row of created) result.set(row.businessKey, toEntry(tenantId, row, now));
    } catch (error) {
      // Another process created some of them at the same moment: each is opened on its own.
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      for (const [businessKey, subject] of missing)
        result.set(businessKey, await this.open(tenantId, kind, businessKey, subject));
    }
    return result;
  }

  /**
   * Marks the row in flight with a lease if it is still as `entry` saw it (compare-and-set on
   * state and attempts); null when another process changed it first. `payload` (what is about to
   * be sent) replaces the stored one when given.
   */
  async claim(
    entry: LedgerEntry,
    payload?: Record<string, unknown> | null,
  ): Promise<LedgerClaim | null> {
    const now = this.settings.clock.now();
    const stored = payload === undefined ? entry.payload : payload;
    const updated = await forkEm(this.orm).nativeUpdate(
      Operation,
      { id: entry.id, tenant: entry.tenantId, state: entry.state, attempts: entry.attempts },
      {
        state: 'in_flight',
        attempts: entry.attempts + 1,
        leaseUntil: new Date(now + this.settings.leaseMs),
        leasedBy: this.settings.holder,
        nextAttemptAt: null,
        ...(payload === undefined ? {} : { payload }),
        updatedAt: new Date(now),
      },
    );
    if (updated !== 1) return null;
    this.#told(entry.kind, 'claimed');
    return {
      id: entry.id,
      tenantId: entry.tenantId,
      kind: entry.kind,
      businessKey: entry.businessKey,
      attempts: entry.attempts + 1,
      mustResolve: entry.mustResolve,
      payload: stored,
    };
  }

  /**
   * Claims the row of (kind, key) when there is none yet: created in flight with a lease in one
   * statement, where {@link open} and {@link claim} take three (a read, an insert, an update).
   * Null when the row exists (nothing written): the caller opens and claims it as usual. An
   * allocation round of a newly registered order always starts so (`pnpm bench:scale`).
   */
  async claimNew(
    tenantId: string,
    kind: OperationKind,
    businessKey: string,
    subject: LedgerSubject | undefined,
    payload: Record<string, unknown>,
  ): Promise<LedgerClaim | null> {
    const now = this.settings.clock.now();
    const id = newId();
    // ON CONFLICT DO NOTHING: an existing row is the usual path's, and no error is logged for it.
    const result = await forkEm(this.orm)
      .createQueryBuilder(Operation)
      .insert({
        id,
        tenant: tenantId,
        kind,
        businessKey,
        state: 'in_flight',
        attempts: 1,
        leaseUntil: new Date(now + this.settings.leaseMs),
        leasedBy: this.settings.holder,
        subjectType: subject?.type ?? null,
        subjectId: subject?.id ?? null,
        payload,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      .onConflict(['tenant', 'kind', 'businessKey'])
      .ignore()
      .execute<{ affectedRows: number }>('run');
    if (result.affectedRows !== 1) return null;
    this.#told(kind, 'claimed');
    return { id, tenantId, kind, businessKey, attempts: 1, mustResolve: false, payload };
  }

  /** Records what is sent now (it may differ from an earlier attempt's), still in flight. */
  async remember(claim: LedgerClaim, payload: Record<string, unknown>): Promise<void> {
    claim.payload = payload;
    await forkEm(this.orm).nativeUpdate(
      Operation,
      { id: claim.id, tenant: claim.tenantId, attempts: claim.attempts },
      { payload },
    );
  }

  /**
   * Gives the claim back for a later attempt: `unknown` (the call may have had an effect: resolve
   * by reading first) or `pending` (certainly no effect), after `delayMs` or the backoff. A no-op
   * when another process has claimed the row since (its attempts differ).
   */
  async release(
    claim: LedgerClaim,
    state: 'unknown' | 'pending',
    error: string | null,
    delayMs?: number,
  ): Promise<void> {
    await this.#release(claim, state, error, delayMs, state === 'unknown' ? 'unknown' : 'released');
  }

  /**
   * Nothing was sent (the worker is stopping): hand the claim back at once, as it was — `unknown`
   * when an earlier attempt must still be looked up, else `pending`.
   */
  async handBack(claim: LedgerClaim, reason: string): Promise<void> {
    await this.#release(claim, claim.mustResolve ? 'unknown' : 'pending', reason, 0, 'handedBack');
  }

  async #release(
    claim: LedgerClaim,
    state: 'unknown' | 'pending',
    error: string | null,
    delayMs: number | undefined,
    transition: LedgerTransition,
  ): Promise<void> {
    const now = this.settings.clock.now();
    const wait = delayMs ?? this.settings.backoffMs(claim.attempts);
    await forkEm(this.orm).nativeUpdate(
      Operation,
      { id: claim.id, tenant: claim.tenantId, attempts: claim.attempts },
      {
        state,
        leaseUntil: null,
        leasedBy: null,
        nextAttemptAt: new Date(now + wait),
        lastError: error,
        updatedAt: new Date(now),
      },
    );
    this.#told(claim.kind, transition);
  }

  /**
   * The effect happened (remote ID when there is one); in the caller's transaction. False when
   * the row had already succeeded (the effect was recorded another way, e.g. by a webhook): the
   * caller then applies nothing a second time.
   */
  async succeed(tx: Em, claim: LedgerClaim, remoteId: string | null): Promise<boolean> {
    const now = new Date(this.settings.clock.now());
    const n = await tx.nativeUpdate(
      Operation,
      { id: claim.id, tenant: claim.tenantId, state: { $ne: 'succeeded' } },
      succeededColumns(remoteId, now),
    );
    if (n === 1) this.#told(claim.kind, 'succeeded');
    return n === 1;
  }

  /**
   * {@link succeed} for the claims of one call that took effect together (a bulk shipping's
   * orders), in two statements instead of one a claim: the rows that have not succeeded yet are
   * read (PostgreSQL locks them, so a webhook recording the same effect waits and then finds them
   * succeeded; SQLite's transaction holds the write lock from its start), then all of them are
   * updated at once. Returns the IDs of the claims that succeeded now; the others had succeeded
   * another way, and the caller applies nothing a second time for them.
   */
  async succeedMany(
    tx: Em,
    items: readonly { claim: LedgerClaim; remoteId: string | null }[],
  ): Promise<Set<string>> {
    const now = new Date(this.settings.clock.now());
    const first = new Set<string>();
    const byTenant = new Map<string, { claim: LedgerClaim; remoteId: string | null }[]>();
    for (const item of items)
      byTenant.set(item.claim.tenantId, [...(byTenant.get(item.claim.tenantId) ?? []), item]);
    for (const [tenantId, all] of byTenant)
      for (let i = 0; i < all.length; i += SUCCEED_MANY_CHUNK) {
        const chunk = all.slice(i, i + SUCCEED_MANY_CHUNK);
        const query = tx
          .createQueryBuilder(Operation)
          .select(['id'])
          .where({
            id: { $in: chunk.map((item) => item.claim.id) },
            tenant: tenantId,
            state: { $ne: 'succeeded' },
          });
        if (tx.isInTransaction() && tx.getPlatform() instanceof PostgreSqlPlatform)
          query.setLockMode(LockMode.PESSIMISTIC_WRITE);
        const open = new Set((await query.execute<{ id: string }[]>('all')).map((row) => row.id));
        const succeeding = chunk.filter((item) => open.has(item.claim.id));
        if (succeeding.length === 0) continue;
        // Each row its own remote ID, in the one statement.
        const remoteId = raw<Operation, string>(
          `case id ${succeeding.map(() => 'when ? then ?').join(' ')} end`,
          succeeding.flatMap((item) => [item.claim.id, item.remoteId]),
        );
        await tx
          .createQueryBuilder(Operation)
          .update(succeededColumns(remoteId, now))
          .where({ id: { $in: succeeding.map((item) => item.claim.id) }, tenant: tenantId })
          .execute();
        for (const item of succeeding) {
          first.add(item.claim.id);
          this.#told(item.claim.kind, 'succeeded');
        }
      }
    return first;
  }

  /** A deterministic refusal: failed, never sent again by itself; in the caller's transaction. */
  async fail(tx: Em, claim: LedgerClaim, error: string): Promise<void> {
    const now = new Date(this.settings.clock.now());
    await tx.nativeUpdate(
      Operation,
      { id: claim.id, tenant: claim.tenantId },
      { state: 'failed', leaseUntil: null, leasedBy: null, lastError: error, updatedAt: now },
    );
    this.#told(claim.kind, 'failed');
  }

  /** The merchant asks again after a refusal: a failed row becomes pending (else unchanged). */
  async reopen(tenantId: string, kind: OperationKind, businessKey: string): Promise<boolean> {
    const now = new Date(this.settings.clock.now());
    const n = await forkEm(this.orm).nativeUpdate(
      Operation,
      { tenant: tenantId, kind, businessKey, state: 'failed' },
      { state: 'pending', nextAttemptAt: null, updatedAt: now },
    );
    return n === 1;
  }

  /**
   * The effect was observed on the remote side (a webhook says shipped or cancelled): the row
   * becomes succeeded in the caller's transaction. False when it already was (apply once).
   */
  async recordObserved(
    tx: Em,
    tenantId: string,
    kind: OperationKind,
    businessKey: string,
    subject: LedgerSubject,
    remoteId: string | null,
  ): Promise<{ first: boolean; id: string }> {
    const now = new Date(this.settings.clock.now());
    const row = await tx.findOne(Operation, { tenant: tenantId, kind, businessKey });
    if (row === null) {
      const created = tx.create(Operation, {
        tenant: tenantId,
        kind,
        businessKey,
        subjectType: subject.type,
        subjectId: subject.id,
        state: 'succeeded',
        remoteId,
      });
      await tx.flush();
      this.#told(kind, 'succeeded');
      return { first: true, id: created.id };
    }
    const n = await tx.nativeUpdate(
      Operation,
      { id: row.id, tenant: tenantId, state: { $ne: 'succeeded' } },
      {
        state: 'succeeded',
        leaseUntil: null,
        leasedBy: null,
        lastError: null,
        remoteId,
        updatedAt: now,
      },
    );
    if (n === 1) this.#told(kind, 'succeeded');
    return { first: n === 1, id: row.id };
  }

  /**
   * Subjects of `kind` that are not due now: backing off, or in flight under a live lease (they
   * are due again when the lease ends, and are then resolved by a read).
   */
  async notDueSubjects(tenantId: string, kind: OperationKind, limit = 10_000): Promise<string[]> {
    return (await this.notDue(tenantId, kind, limit)).subjects;
  }

  /**
   * {@link notDueSubjects}, and how many of them are in flight under a live lease: the order loop
   * queues at most `tenantOrderCap` of a tenant's registrations less those still running.
   */
  async notDue(
    tenantId: string,
    kind: OperationKind,
    limit = 10_000,
  ): Promise<{ subjects: string[]; inFlight: number }> {
    return (
      (await this.notDueOf([tenantId], kind, limit)).get(tenantId) ?? { subjects: [], inFlight: 0 }
    );
  }

  /**
   * {@link notDue} of several tenants in one statement (the order loop's leader asks it for
   * every tenant with work each tick); at most `limit` rows a tenant. Every tenant asked for is
   * in the answer.
   */
  async notDueOf(
    tenantIds: readonly string[],
    kind: OperationKind,
    limit = 10_000,
  ): Promise<Map<string, { subjects: string[]; inFlight: number }>> {
    const result = new Map<string, { subjects: string[]; inFlight: number }>(
      tenantIds.map((id) => [id, { subjects: [], inFlight: 0 }]),
    );
    if (tenantIds.length === 0) return result;
    const now = new Date(this.settings.clock.now());
    const rows = await forkEm(this.orm).find(
      Operation,
      {
        tenant: { $in: [...tenantIds] },
        kind,
        $or: [
          { state: { $in: ['pending', 'unknown'] }, nextAttemptAt: { $gt: now } },
          { state: 'in_flight', leaseUntil: { $gt: now } },
        ],
      },
      { fields: ['subjectId', 'state', 'tenant'], limit: limit * tenantIds.length },
    );
    for (const op of rows) {
      const entry = result.get(op.tenant.id);
      // At most `limit` a tenant, as one tenant's read would give: the subjects go into an
      // exclusion list of one statement (SQLite takes 32,766 parameters).
      if (entry === undefined || entry.subjects.length >= limit) continue;
      if (op.subjectId != null) entry.subjects.push(op.subjectId);
      if (op.state === 'in_flight') entry.inFlight++;
    }
    return result;
  }

  /**
   * Rows of `kind` left unfinished and due now — pending or unknown past their backoff, or in
   * flight past their lease: work that was started and must be resolved or done again.
   */
  async dueUnfinished(
    tenantId: string,
    kind: OperationKind,
    limit: number,
  ): Promise<LedgerEntry[]> {
    const now = this.settings.clock.now();
    const at = new Date(now);
    const rows = await forkEm(this.orm).find(
      Operation,
      {
        tenant: tenantId,
        kind,
        $or: [
          { state: { $in: ['pending', 'unknown'] }, nextAttemptAt: { $lte: at } },
          { state: { $in: ['pending', 'unknown'] }, nextAttemptAt: null },
          { state: 'in_flight', leaseUntil: { $lte: at } },
        ],
      },
      { orderBy: { updatedAt: 'asc', id: 'asc' }, limit },
    );
    return rows.map((row) => toEntry(tenantId, row, now));
  }

  /**
   * At the start of the only worker of a database (SQLite), every in-flight mark was left by a
   * run that is gone: its outcome is unknown, so it becomes `unknown` at once (resolved by a read
   * before any resend) instead of waiting for its lease.
   */
  async releaseDeadInFlight(): Promise<number> {
    const now = new Date(this.settings.clock.now());
    return forkEm(this.orm).nativeUpdate(
      Operation,
      { state: 'in_flight' },
      { state: 'unknown', leaseUntil: null, leasedBy: null, nextAttemptAt: now, updatedAt: now },
    );
  }

  #told(kind: OperationKind, result: LedgerTransition): void {
    this.settings.onTransition?.(kind, result);
  }
}

/** A row that succeeded: no lease, no retry, the remote ID (a value, or one a row in SQL). */
function succeededColumns(remoteId: string | null, now: Date) {
  return {
    state: 'succeeded',
    leaseUntil: null,
    leasedBy: null,
    nextAttemptAt: null,
    lastError: null,
    remoteId,
    updatedAt: now,
  } as const;
}

/** A new pending row of (kind, key) on `em`: flushed by `openMany`, inserted alone by `open`. */
function pendingRow(
  em: Em,
  tenantId: string,
  kind: OperationKind,
  businessKey: string,
  subject: LedgerSubject | undefined,
): Operation {
  return em.create(Operation, {
    // Set here, not by the column's onCreate: `em.insert` (see `open`) runs no onCreate.
    id: newId(),
    tenant: tenantId,
    kind,
    businessKey,
    subjectType: subject?.type ?? null,
    subjectId: subject?.id ?? null,
  });
}

function toEntry(tenantId: string, row: Operation, now: number): LedgerEntry {
  return {
    id: row.id,
    tenantId,
    kind: row.kind,
    businessKey: row.businessKey,
    subjectId: row.subjectId ?? null,
    state: row.state,
    attempts: row.attempts,
    remoteId: row.remoteId ?? null,
    payload: row.payload ?? null,
    lastError: row.lastError ?? null,
    ...verdictOf(row, now),
  };
}
