import type { FilterQuery } from '@mikro-orm/core';
import type { MessageRef } from '@renkei/domain';
import { COUNT_LIMIT, countUpToLimit, type CappedPage } from '../capped-count.js';
import type { Em } from '../config.js';
import { TenantScopedRepository } from '../tenant-scoped.repository.js';
import { Job, type JobName } from './job.entity.js';
import { Operation, type OperationKind } from './operation.entity.js';
import {
  SyncEvent,
  type SyncEventKind,
  type SyncOutcome,
  type SyncSubjectType,
} from './sync-event.entity.js';
import { WebhookEvent } from './webhook-event.entity.js';

/*
 * The tenant's view of the sync tables: the operation ledger's rows, queued jobs, the webhook
 * inbox and the sync log (what happened to each order and product, and why).
 */

export class OperationRepository extends TenantScopedRepository<Operation> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, Operation);
  }
  findByKey(kind: OperationKind, businessKey: string): Promise<Operation | null> {
    return this.findOne({ kind, businessKey });
  }
  /**
   * The ledger row for (kind, businessKey), created as `pending` when missing. Call inside the
   * transaction of the change that caused it; the unique key makes a concurrent second insert fail.
   */
  async ensure(
    kind: OperationKind,
    businessKey: string,
    subject?: { type: string; id: string },
  ): Promise<Operation> {
    const existing = await this.findByKey(kind, businessKey);
    if (existing !== null) return existing;
    return this.create({
      kind,
      businessKey,
      subjectType: subject?.type ?? null,
      subjectId: subject?.id ?? null,
    });
  }
  forSubject(subjectType: string, subjectId: string): Promise<Operation[]> {
    return this.find({ subjectType, subjectId }, { orderBy: { createdAt: 'asc' } });
  }
}

export interface EnqueueOptions {
  /** Keeps one queued job per key (a second enqueue while one is queued is a no-op). */
  dedupKey?: string;
  priority?: number;
  runAt?: Date;
}

export class JobRepository extends TenantScopedRepository<Job> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, Job);
  }
  /**
   * Adds a job to the outbox in the current unit of work (no flush: it is written with the change
   * that caused it). With a `dedupKey`, a queued job of the same name and key is returned instead
   * of a second one, and a finished one is queued again.
   */
  async enqueue(
    name: JobName,
    payload: Record<string, unknown>,
    options: EnqueueOptions = {},
  ): Promise<Job> {
    if (options.dedupKey !== undefined) {
      const existing = await this.findOne({ name, dedupKey: options.dedupKey });
      if (existing !== null) {
        if (existing.state === 'queued') return existing;
        // A finished (or failed) job of the same key is queued again rather than duplicated, so
        // the change stays within the caller's single flush.
        Object.assign(existing, {
          state: 'queued',
          payload,
          attempts: 0,
          runAt: options.runAt ?? new Date(),
          priority: options.priority ?? existing.priority,
          lockedUntil: null,
          lockedBy: null,
          lastError: null,
          finishedAt: null,
        });
        return existing;
      }
    }
    return this.create({
      name,
      payload,
      dedupKey: options.dedupKey ?? null,
      priority: options.priority ?? 0,
      runAt: options.runAt ?? new Date(),
    });
  }
}

export class WebhookEventRepository extends TenantScopedRepository<WebhookEvent> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, WebhookEvent);
  }
  findByEventId(eventId: string): Promise<WebhookEvent | null> {
    return this.findOne({ eventId });
  }
}

export interface SyncEventInput {
  subjectType: SyncSubjectType;
  subjectId?: string | null;
  kind: SyncEventKind;
  outcome: SyncOutcome;
  /** A message of the domain's catalog: a misspelt code or parameter does not compile. */
  message: MessageRef;
  detail?: Record<string, unknown> | null;
  operationId?: string | null;
}

function syncEventData({ message, ...input }: SyncEventInput) {
  return {
    ...input,
    subjectId: input.subjectId ?? null,
    messageCode: message.code,
    messageParams: message.params as unknown as Record<string, unknown>,
  };
}

/** The 連携ログ's filters; every one given must hold. */
export interface SyncEventFilter {
  subjectType?: SyncSubjectType | undefined;
  /** Events of these subjects (with `subjectType`): an order, or the orders of one order number. */
  subjectIds?: readonly string[] | undefined;
  /** One of {@link SYNC_EVENT_KINDS}. */
  kind?: string | undefined;
  outcome?: SyncOutcome | undefined;
  /** From this instant (included) / before this one (excluded). */
  from?: Date | undefined;
  before?: Date | undefined;
}

/** The 連携ログ counts its matches up to this many (200 pages of 50). */
export const SYNC_LOG_COUNT_LIMIT = COUNT_LIMIT;

/** A page of the 連携ログ; `totalCapped`: more than `total` events match. */
export type SyncEventPage = CappedPage<SyncEvent>;

export class SyncEventRepository extends TenantScopedRepository<SyncEvent> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, SyncEvent);
  }
  record(input: SyncEventInput): SyncEvent {
    return this.create(syncEventData(input));
  }
  /** An event to insert with {@link insertAll} (see `draft`). */
  draftEvent(input: SyncEventInput): SyncEvent {
    return this.draft(syncEventData(input));
  }
  history(subjectType: SyncSubjectType, subjectId: string): Promise<SyncEvent[]> {
    return this.find({ subjectType, subjectId }, { orderBy: { at: 'asc', id: 'asc' } });
  }
  /**
   * One page of the 連携ログ, newest first. Each filter is a condition on a column that leads an
   * index after the tenant and ends with `at` (Migration20261202030000), so with a million events
   * a page is read in index order. The count stops at {@link SYNC_LOG_COUNT_LIMIT}: counting
   * every one of a million events costs more than the page itself (60–110 ms on either dialect),
   * and a merchant narrows such a log by date or filter rather than paging to its end.
   */
  async page(filter: SyncEventFilter, page: number, pageSize: number): Promise<SyncEventPage> {
    if (filter.subjectIds !== undefined && filter.subjectIds.length === 0)
      return { items: [], total: 0, totalCapped: false, page, pageSize };
    const and: FilterQuery<SyncEvent>[] = [];
    if (filter.subjectType !== undefined) and.push({ subjectType: filter.subjectType });
    if (filter.subjectIds !== undefined) and.push({ subjectId: { $in: [...filter.subjectIds] } });
    if (filter.kind !== undefined) and.push({ kind: filter.kind });
    if (filter.outcome !== undefined) and.push({ outcome: filter.outcome });
    if (filter.from !== undefined) and.push({ at: { $gte: filter.from } });
    if (filter.before !== undefined) and.push({ at: { $lt: filter.before } });
    const where: FilterQuery<SyncEvent> = and.length === 0 ? {} : { $and: and };
    const counted = await countUpToLimit(
      this.em,
      this.em.createQueryBuilder(SyncEvent, 'e').where(this.scoped(where)),
    );
    const items = await this.find(where, {
      orderBy: { at: 'desc', id: 'desc' },
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return {
      items,
      ...counted,
      page,
      pageSize,
    };
  }
}
