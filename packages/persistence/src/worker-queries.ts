import type { Em } from './config.js';
import { SmaregiConnection } from './connection/smaregi-connection.entity.js';
import { ProductImportRun } from './products/product-import-run.entity.js';
import { StockRecomputeRun } from './stock/stock-recompute-run.entity.js';
import { Job, type JobState } from './sync/job.entity.js';
import { Operation } from './sync/operation.entity.js';
import { WebhookEvent } from './sync/webhook-event.entity.js';

/** The rows of a knex query, which knex types as `any`. */
async function rowsOf<T>(query: PromiseLike<unknown>): Promise<T[]> {
  return (await query) as T[];
}

/** One tenant's part of {@link WorkerQueries.ordersDue}. */
export interface DueOrdersRequest {
  tenantId: string;
  /** At most this many of the tenant's orders (none when 0 or less). */
  limit: number;
  /** `pending`: orders not due now (backing off, in flight under a live lease). */
  excluding?: readonly string[];
  /** `held`: continue the recheck pass after this order ID. */
  after?: string | null;
}

/** Epoch ms of a timestamp as a driver returns it (a Date, an ISO text or a number). */
function timeOf(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return new Date(String(value)).getTime();
}

/** Items in consecutive chunks whose summed `weight` stays within `max` (one item at least). */
function chunksOf<T>(items: readonly T[], weight: (item: T) => number, max: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const w = weight(item);
    if (current.length > 0 && total + w > max) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += w;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** A tenant the worker may call Smaregi for. */
export interface ActiveTenant {
  tenantId: string;
  contractId: string;
  /**
   * The version of the tenant's settings row when this was read (the optimistic lock's counter,
   * raised by every save): a copy of the settings read at this version is still what is stored.
   * Only the active-tenant queries give it.
   */
  settingsVersion?: number;
  /**
   * When a worker last finished reading the contract's 受注店舗 (null: never). Only the
   * active-tenant queries give it.
   */
  orderStoresReadAt?: Date | null;
}

/** A claimed job: what a handler receives. Payloads carry IDs only. */
export interface ClaimedJob {
  id: string;
  tenantId: string;
  name: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** A job that may run now, not claimed yet. */
export interface DueJob {
  id: string;
  tenantId: string;
  name: string;
  /** On the `CallPriority` scale of @renkei/domain (higher first). */
  priority: number;
  state: JobState;
  attempts: number;
  payload: Record<string, unknown>;
}

function dueJob(job: Job): DueJob {
  return {
    id: job.id,
    tenantId: job.tenant.id,
    name: job.name,
    priority: job.priority,
    state: job.state,
    attempts: job.attempts,
    payload: job.payload,
  };
}

/** The claimed form of a due job (its attempt counted). */
function claimedJob(job: DueJob): ClaimedJob {
  return {
    id: job.id,
    tenantId: job.tenantId,
    name: job.name,
    payload: job.payload,
    attempts: job.attempts + 1,
  };
}

/** A webhook delivery waiting in the inbox. */
export interface InboxEvent {
  id: string;
  tenantId: string;
  eventId: string;
  event: string;
  contractId: string;
  body: Record<string, unknown>;
}

/**
 * The worker's cross-tenant queries, in one place: which tenants may run, which jobs, webhook
 * deliveries and import runs are waiting. Everything the worker does for one tenant after these
 * goes through tenant-scoped repositories (`tenantRepositories`) and the `OperationLedger`.
 */
export class WorkerQueries {
  constructor(private readonly em: Em) {}

  /**
   * Tenants whose integration is switched on AND whose Smaregi connection is 有効化済み with a
   * contract (docs/flows.md "Settings"): nothing runs for anyone else, in particular not for a
   * connection that needs re-authorisation. Sorted by tenant ID.
   */
  async activeTenants(): Promise<ActiveTenant[]> {
    return this.#active();
  }

  /**
   * One tenant when it is active (as {@link activeTenants} says), else null: a queued order task
   * names its tenant, and reading every active tenant for each task cost a row per tenant per
   * order, and two statements before this one (measured by `pnpm bench:scale`).
   */
  async activeTenant(tenantId: string): Promise<ActiveTenant | null> {
    return (await this.#active(tenantId))[0] ?? null;
  }

  async #active(tenantId?: string): Promise<ActiveTenant[]> {
    // One statement (the switch and the connection joined): every loop of the worker asks this
    // every tick, and every order task for its tenant, so it is a good part of the database
    // traffic.
    const query = this.em
      .getKnex()
      .select('c.tenant_id', 'c.contract_id', 'c.order_stores_read_at', {
        settings_version: 's.version',
      })
      .from({ c: 'smaregi_connections' })
      .join({ s: 'integration_settings' }, 's.tenant_id', 'c.tenant_id')
      .where('s.integration_enabled', true)
      .andWhere('c.status', 'active')
      .whereNotNull('c.contract_id')
      .orderBy('c.tenant_id');
    if (tenantId !== undefined) query.andWhere('c.tenant_id', tenantId);
    const rows = await rowsOf<{
      tenant_id: string;
      contract_id: string;
      settings_version: number;
      order_stores_read_at: unknown;
    }>(query);
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      contractId: r.contract_id,
      settingsVersion: Number(r.settings_version),
      orderStoresReadAt:
        r.order_stores_read_at == null ? null : new Date(timeOf(r.order_stores_read_at)),
    }));
  }

  /**
   * Claims the tenant's next 受注店舗 read for the caller: true when no worker process started one
   * within the last `intervalMs` (one conditional update, so of two processes asking at once
   * only one reads). A claim left by a process that died lapses after the same interval.
   */
  async claimOrderStoresRead(tenantId: string, now: Date, intervalMs: number): Promise<boolean> {
    const changed = await this.em.nativeUpdate(
      SmaregiConnection,
      {
        tenant: tenantId,
        $or: [
          { orderStoresReadStartedAt: null },
          { orderStoresReadStartedAt: { $lte: new Date(now.getTime() - intervalMs) } },
        ],
      },
      { orderStoresReadStartedAt: now },
    );
    return changed > 0;
  }

  /**
   * Records that the tenant's 受注店舗 read claimed by the caller has ended at `at` (read, or
   * failed: tried again after the interval), or, when null, that it was given up unfinished (the
   * claim is released, and the last read stays as it was).
   */
  async orderStoresReadEnded(tenantId: string, at: Date | null): Promise<void> {
    await this.em.nativeUpdate(
      SmaregiConnection,
      { tenant: tenantId },
      at === null ? { orderStoresReadStartedAt: null } : { orderStoresReadAt: at },
    );
  }

  /**
   * Of the given tenants, those with orders to register: pending, or waiting and never evaluated
   * (the order loop's first two due queries, `OrderSync.dueOrderIdsOf`). One statement for every
   * tenant, so that an idle tick costs the same with 1 tenant or 500, instead of three queries
   * per tenant.
   */
  async tenantsWithOrdersToRegister(tenantIds: readonly string[]): Promise<Set<string>> {
    if (tenantIds.length === 0) return new Set();
    const rows = await rowsOf<{ tenant_id: string }>(
      this.em
        .getKnex()
        .distinct('tenant_id')
        .from('orders')
        .whereIn('tenant_id', [...tenantIds])
        .andWhere((q) =>
          q
            .where('sync_state', 'pending')
            .orWhere((w) => w.where('sync_state', 'waiting').whereNull('sync_reason_code')),
        ),
    );
    return new Set(rows.map((r) => r.tenant_id));
  }

  /**
   * Of the given tenants, those with products marked for a stock recompute (`stockMarks`): the
   * stock loop's one statement per tick, instead of a marks query per active tenant (an idle
   * tick's cost grew with the tenants). Uses the `(tenant_id, stock_recompute_requests)` index.
   */
  async tenantsWithStockMarks(tenantIds: readonly string[]): Promise<Set<string>> {
    if (tenantIds.length === 0) return new Set();
    const rows = await rowsOf<{ tenant_id: string }>(
      this.em
        .getKnex()
        .distinct('tenant_id')
        .from('listed_products')
        .whereIn('tenant_id', [...tenantIds])
        .andWhere('stock_recompute_requests', '>', 0),
    );
    return new Set(rows.map((r) => r.tenant_id));
  }

  /**
   * Per tenant, the IDs of its oldest orders of one kind due for registration, at most `limit`
   * each (`OrderSync.dueOrderIdsOf`): `pending` (oldest first, without `excluding`), `fresh`
   * (waiting, never evaluated; oldest first) or `held` (waiting with a reason, in ID order after
   * `after`: the recheck pass). One statement for every tenant (a UNION ALL of one index range
   * per tenant, each with its own limit), instead of one per tenant: the order loop's leader asks
   * this every tick, and with a hundred tenants its per-tenant queries queued behind the running
   * registrations for the pool's connections, so the tenants' next orders were offered seconds
   * late (measured by `pnpm bench:scale`).
   */
  async ordersDue(
    kind: 'pending' | 'fresh' | 'held',
    requests: readonly DueOrdersRequest[],
  ): Promise<Map<string, string[]>> {
    const found = new Map<string, { id: string; created: number }[]>();
    const wanted = requests.filter((r) => r.limit > 0);
    // Bound the parameters of one statement (SQLite allows 32,766) whatever the exclusions.
    const knex = this.em.getKnex();
    for (const chunk of chunksOf(wanted, (r) => 4 + (r.excluding?.length ?? 0), 20_000)) {
      const part = (r: DueOrdersRequest, i: number) => {
        const range = knex('orders')
          .select('id', 'tenant_id', 'created_at')
          .where('tenant_id', r.tenantId);
        if (kind === 'pending') {
          range.where('sync_state', 'pending');
          if (r.excluding !== undefined && r.excluding.length > 0)
            range.whereNotIn('id', [...r.excluding]);
          range.orderBy([{ column: 'created_at' }, { column: 'id' }]);
        } else if (kind === 'fresh') {
          range.where('sync_state', 'waiting').whereNull('sync_reason_code');
          range.orderBy([{ column: 'created_at' }, { column: 'id' }]);
        } else {
          range.where('sync_state', 'waiting').whereNotNull('sync_reason_code');
          if (r.after !== undefined && r.after !== null) range.where('id', '>', r.after);
          range.orderBy('id');
        }
        // Each range in a subquery of its own: SQLite takes no ORDER BY / LIMIT on the members
        // of a compound SELECT.
        return knex.select('id', 'tenant_id', 'created_at').from(range.limit(r.limit).as(`d${i}`));
      };
      const [first, ...rest] = chunk.map(part);
      if (first === undefined) continue;
      const rows = await rowsOf<{ id: string; tenant_id: string; created_at: unknown }>(
        rest.length === 0 ? first : first.unionAll(rest),
      );
      for (const row of rows) {
        const list = found.get(row.tenant_id) ?? [];
        list.push({ id: row.id, created: timeOf(row.created_at) });
        found.set(row.tenant_id, list);
      }
    }
    // A UNION ALL promises no order: each tenant's rows are put back in the order asked for.
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    const ordered = new Map<string, string[]>();
    for (const [tenantId, list] of found) {
      list.sort(kind === 'held' ? byId : (a, b) => a.created - b.created || byId(a, b));
      ordered.set(
        tenantId,
        list.map((o) => o.id),
      );
    }
    return ordered;
  }

  /**
   * Of the given tenants, which have work for the shipping loop: orders registered in Smaregi
   * and standing in their tenant's bulk-shipping status (`bulkShippingStatusIds`, one per
   * tenant: status IDs are unique across tenants), allocation rounds left unfinished, and
   * cancels still to send (the criteria of `OrderCancellation.resume`). Three statements for
   * every tenant together; the loop then only looks at the tenants named here.
   *
   * `ship` maps each tenant with such orders to a fingerprint of them (status, how many, when
   * the last of them changed): the same fingerprint on the next tick means no order came, left
   * or changed, so the loop need not read the orders again to know nothing new may ship.
   */
  async shippingWork(
    tenantIds: readonly string[],
    bulkShippingStatusIds: readonly string[],
  ): Promise<{ ship: Map<string, string>; allocations: Set<string>; cancels: Set<string> }> {
    const none = {
      ship: new Map<string, string>(),
      allocations: new Set<string>(),
      cancels: new Set<string>(),
    };
    if (tenantIds.length === 0) return none;
    const knex = this.em.getKnex();
    const tenants = [...tenantIds];
    const ids = async (query: PromiseLike<unknown>) =>
      new Set((await rowsOf<{ tenant_id: string }>(query)).map((r) => r.tenant_id));
    const ship = new Map<string, string>();
    if (bulkShippingStatusIds.length > 0) {
      const rows = await rowsOf<{
        tenant_id: string;
        status_id: string;
        orders: number | string;
        changed: unknown;
      }>(
        knex
          .select('tenant_id', 'status_id')
          .count({ orders: '*' })
          .max({ changed: 'updated_at' })
          .from('orders')
          .whereIn('tenant_id', tenants)
          .where('sync_state', 'registered')
          .whereIn('status_id', [...bulkShippingStatusIds])
          .groupBy('tenant_id', 'status_id'),
      );
      for (const row of rows) {
        const part = `${row.status_id}:${Number(row.orders)}:${timeOf(row.changed)}`;
        const before = ship.get(row.tenant_id);
        ship.set(row.tenant_id, before === undefined ? part : `${before},${part}`);
      }
    }
    const allocations = await ids(
      knex
        .distinct('tenant_id')
        .from('operations')
        .whereIn('tenant_id', tenants)
        .where('kind', 'allocateOrder')
        .whereIn('state', ['pending', 'unknown', 'in_flight']),
    );
    const cancels = await ids(
      knex
        .distinct('o.tenant_id')
        .from({ o: 'orders' })
        .join({ st: 'order_statuses' }, 'st.id', 'o.status_id')
        .whereIn('o.tenant_id', tenants)
        .where('st.category', 'cancelled')
        .andWhere((q) =>
          q
            .where((w) =>
              w.where('o.sync_state', 'registered').whereNotNull('o.smaregi_order_head_id'),
            )
            .orWhere((w) => w.where('o.sync_state', 'failed').whereNull('o.smaregi_order_head_id')),
        ),
    );
    return { ship, allocations, cancels };
  }

  /** Tenants connected to Smaregi (whatever the switch): token upkeep, imports, notices. */
  connectedTenants(): Promise<ActiveTenant[]> {
    return this.#connected({});
  }

  async #connected(where: { tenant?: { $in: string[] } }): Promise<ActiveTenant[]> {
    const connections = await this.em.find(SmaregiConnection, {
      ...where,
      status: 'active',
      contractId: { $ne: null },
    });
    return connections
      .map((c) => ({ tenantId: c.tenant.id, contractId: c.contractId ?? '' }))
      .sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1));
  }

  /**
   * The oldest inbox deliveries that may run now: of the given tenants, plus subscription notices
   * of anyone (so a switched-off tenant's backlog never starves the others), without those backing
   * off after a transient failure (their `applyWebhook` ledger row says until when).
   */
  async webhookInbox(
    tenantIds: readonly string[],
    now: Date,
    limit: number,
  ): Promise<InboxEvent[]> {
    const deferred = (
      await this.em.find(
        Operation,
        {
          kind: 'applyWebhook',
          state: { $in: ['pending', 'unknown'] },
          nextAttemptAt: { $gt: now },
        },
        { fields: ['subjectId'], limit: 10_000 },
      )
    ).flatMap((o) => (o.subjectId == null ? [] : [o.subjectId]));
    const rows = await this.em.find(
      WebhookEvent,
      {
        state: 'received',
        $or: [{ tenant: { $in: [...tenantIds] } }, { event: 'AppSubscription' }],
        ...(deferred.length > 0 ? { id: { $nin: deferred } } : {}),
      },
      { orderBy: { receivedAt: 'asc', id: 'asc' }, limit },
    );
    this.em.clear();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant.id,
      eventId: r.eventId,
      event: r.event,
      contractId: r.contractId,
      body: r.body,
    }));
  }

  /** Closes a delivery (`received` keeps it waiting, with the error of its last attempt). */
  async finishWebhook(
    id: string,
    state: 'processed' | 'ignored' | 'failed' | 'received',
    error: string | null,
    now: Date,
  ): Promise<void> {
    await this.em.nativeUpdate(
      WebhookEvent,
      { id },
      state === 'received' ? { lastError: error } : { state, processedAt: now, lastError: error },
    );
  }

  /** Stock recompute runs to work on (queued or running) of the given tenants, oldest first. */
  async stockRecomputeRunsDue(
    tenantIds: readonly string[],
    limit: number,
  ): Promise<{ id: string; tenantId: string }[]> {
    if (tenantIds.length === 0) return [];
    const runs = await this.em.find(
      StockRecomputeRun,
      { state: { $in: ['queued', 'running'] }, tenant: { $in: [...tenantIds] } },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit },
    );
    this.em.clear();
    return runs.map((r) => ({ id: r.id, tenantId: r.tenant.id }));
  }

  /** Product import runs to work on (queued or running) of the given tenants, oldest first. */
  async importRunsDue(
    tenantIds: readonly string[],
    limit: number,
  ): Promise<{ id: string; tenantId: string }[]> {
    const runs = await this.em.find(
      ProductImportRun,
      { state: { $in: ['queued', 'running'] }, tenant: { $in: [...tenantIds] } },
      { orderBy: { createdAt: 'asc' }, limit },
    );
    this.em.clear();
    return runs.map((r) => ({ id: r.id, tenantId: r.tenant.id }));
  }

  /**
   * Up to `limit` jobs of any tenant that may run now: `queued` and due, or `running` under a lock
   * that has expired (its process died). Higher priority first (the `CallPriority` scale of
   * @renkei/domain), then oldest. Nothing is claimed: on PostgreSQL these are offered to pg-boss.
   * With `tenantIds`, only jobs of those tenants (jobs that wait while a tenant is stopped).
   */
  async dueJobs(
    now: Date,
    limit: number,
    names?: readonly string[],
    tenantIds?: readonly string[],
  ): Promise<DueJob[]> {
    if (tenantIds?.length === 0 || names?.length === 0) return [];
    const rows = await this.em.find(
      Job,
      {
        $or: [
          { state: 'queued', runAt: { $lte: now } },
          { state: 'running', lockedUntil: { $lt: now } },
        ],
        ...(names === undefined ? {} : { name: { $in: [...names] } }),
        ...(tenantIds === undefined ? {} : { tenant: { $in: [...tenantIds] } }),
      },
      { orderBy: { priority: 'desc', runAt: 'asc', id: 'asc' }, limit },
    );
    this.em.clear();
    return rows.map(dueJob);
  }

  /**
   * Claims up to `limit` due jobs of any tenant: a compare-and-set from `queued` (or `running`
   * with an expired lock) to `running` with a lock deadline, so two processes never run a job at
   * once. Higher priority first, then oldest ({@link dueJobs}).
   */
  async claimJobs(
    holder: string,
    now: Date,
    lockMs: number,
    limit: number,
    names?: readonly string[],
    tenantIds?: readonly string[],
  ): Promise<ClaimedJob[]> {
    const claimed: ClaimedJob[] = [];
    for (const job of await this.dueJobs(now, limit, names, tenantIds)) {
      if (await this.#claim(holder, job, now, lockMs)) claimed.push(claimedJob(job));
    }
    return claimed;
  }

  /**
   * Whether any job of these names is queued and due: one cheap statement (an index probe per
   * name) that lets an idle lane skip its claims, which cost a statement per name.
   */
  async hasDueJobs(names: readonly string[], now: Date): Promise<boolean> {
    if (names.length === 0) return false;
    const found = await this.em.find(
      Job,
      { name: { $in: [...names] }, state: 'queued', runAt: { $lte: now } },
      { fields: ['id'], limit: 1 },
    );
    this.em.clear();
    return found.length > 0;
  }

  /**
   * Claims up to `limit` due jobs of one name, oldest first, without regard to priority: a
   * queue of its own inside the `jobs` table (the outbound webhook lane, with thousands of
   * deliveries due at once). Read in the order of the (name, state, run_at, id) index
   * (Migration20261203020000), so a claim costs the rows it takes, not a sort of every due row.
   */
  async claimJobsNamed(
    holder: string,
    now: Date,
    lockMs: number,
    limit: number,
    name: string,
    /** Also jobs of a process that died (running, lock ended): taken before new ones. */
    expired = true,
  ): Promise<ClaimedJob[]> {
    const dead = !expired
      ? []
      : await this.em.find(
          Job,
          { name, state: 'running', lockedUntil: { $lt: now } },
          { orderBy: { runAt: 'asc', id: 'asc' }, limit },
        );
    const queued =
      dead.length >= limit
        ? []
        : await this.em.find(
            Job,
            { name, state: 'queued', runAt: { $lte: now } },
            { orderBy: { runAt: 'asc', id: 'asc' }, limit: limit - dead.length },
          );
    const due = [...dead, ...queued].map(dueJob);
    this.em.clear();
    if (due.length === 0) return [];
    // One compare-and-set for the batch (each row still only if it is as read: same state and
    // attempts), then one read of which rows this claim got.
    const lockedUntil = new Date(now.getTime() + lockMs);
    for (const group of groupBy(due, (j) => `${j.state}:${j.attempts}`))
      await this.em.nativeUpdate(
        Job,
        {
          id: { $in: group.map((j) => j.id) },
          state: group[0]!.state,
          attempts: group[0]!.attempts,
        },
        {
          state: 'running',
          attempts: group[0]!.attempts + 1,
          lockedBy: holder,
          lockedUntil,
          updatedAt: now,
        },
      );
    const mine = await this.em.find(
      Job,
      { id: { $in: due.map((j) => j.id) }, state: 'running', lockedBy: holder, lockedUntil },
      { fields: ['id'] },
    );
    this.em.clear();
    const got = new Set(mine.map((j) => j.id));
    return due.filter((j) => got.has(j.id)).map(claimedJob);
  }

  /**
   * Claims one job by its ID if it may run now (the same compare-and-set): undefined when it is
   * not due, finished, or already running under a live lock (another process has it).
   */
  async claimJob(
    holder: string,
    id: string,
    now: Date,
    lockMs: number,
  ): Promise<ClaimedJob | undefined> {
    const job = await this.em.findOne(Job, {
      id,
      $or: [
        { state: 'queued', runAt: { $lte: now } },
        { state: 'running', lockedUntil: { $lt: now } },
      ],
    });
    this.em.clear();
    if (job === null) return undefined;
    const candidate = dueJob(job);
    return (await this.#claim(holder, candidate, now, lockMs)) ? claimedJob(candidate) : undefined;
  }

  async #claim(holder: string, job: DueJob, now: Date, lockMs: number): Promise<boolean> {
    const updated = await this.em.nativeUpdate(
      Job,
      { id: job.id, state: job.state, attempts: job.attempts },
      {
        state: 'running',
        attempts: job.attempts + 1,
        lockedBy: holder,
        lockedUntil: new Date(now.getTime() + lockMs),
        updatedAt: now,
      },
    );
    return updated === 1;
  }

  /**
   * Extends the lock of a job `holder` is running, from `now` by `lockMs`: a job that runs longer
   * than one lock (a product import's page loop, a large bulk shipping) is then not taken for a
   * dead process's job and claimed by another. The claim is identified by its `attempts`. False
   * when the job is no longer this claim's (its lock had ended and another process claimed it, or
   * it was finished meanwhile).
   */
  async extendJobLock(
    holder: string,
    job: { id: string; attempts: number },
    now: Date,
    lockMs: number,
  ): Promise<boolean> {
    const updated = await this.em.nativeUpdate(
      Job,
      { id: job.id, state: 'running', lockedBy: holder, attempts: job.attempts },
      { lockedUntil: new Date(now.getTime() + lockMs), updatedAt: now },
    );
    return updated === 1;
  }

  /**
   * At the start of the only worker of a database (SQLite), every running job was left by a run
   * that is gone (killed, or its machine restarted): its lock ends now, so the job is claimed
   * again at once, as a dead process's job, instead of after its lock (a minute). Returns how many.
   */
  async expireJobLocks(now: Date): Promise<number> {
    return this.em.nativeUpdate(
      Job,
      { state: 'running', lockedUntil: { $gte: now } },
      { lockedUntil: new Date(now.getTime() - 1), updatedAt: now },
    );
  }

  async completeJob(holder: string, id: string, now: Date): Promise<void> {
    await this.em.nativeUpdate(
      Job,
      { id, lockedBy: holder },
      { state: 'done', finishedAt: now, lockedUntil: null, lastError: null, updatedAt: now },
    );
  }

  /** Back to the queue after `retryInMs`, or failed when null (shown, never silently dropped). */
  async retryOrFailJob(
    holder: string,
    id: string,
    error: string,
    retryInMs: number | null,
    now: Date,
  ): Promise<void> {
    await this.em.nativeUpdate(
      Job,
      { id, lockedBy: holder },
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

/** Items grouped by key, in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}
