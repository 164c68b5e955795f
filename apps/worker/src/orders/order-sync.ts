import { tenantRepositories, type Em } from '@renkei/persistence';
import { DEFAULT_TENANT_ORDER_CAP, type WorkerDeps } from '../deps.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import { interleave, runFairPool } from '../util/pool.js';
import { OrderStoreRefresh } from './order-store-refresh.js';
import { OrderRegistrar, type RegisterResult } from './register-order.js';

/**
 * The order registration loop's tick: for every active tenant, the orders that are due (pending,
 * new, or waiting for a fix and not checked for a while) go through the {@link OrderRegistrar}.
 * Order rows are the truth; `order.register` jobs only wake the loop early.
 */
export class OrderSync {
  readonly registrar: OrderRegistrar;
  /** Keeps the shops' 受注店舗 facts (販売区分) current: orders are held by them. */
  readonly storeRefresh: OrderStoreRefresh;
  /** Per tenant: where the current pass over waiting orders is, and when the last one ended. */
  readonly #recheck = new Map<string, { after: string | null; lastPassAt: number }>();
  /** Counts of results since start (tests, bench). */
  readonly results = new Map<RegisterResult, number>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly onRegistered?: (
      tenant: ActiveTenant,
      orderId: string,
      signal: AbortSignal,
    ) => Promise<void>,
    /** After each pass (e.g. one allocation plan for all orders registered in it). */
    private readonly afterPass?: (signal: AbortSignal) => Promise<void>,
    private readonly batchSize = 200,
  ) {
    this.registrar = new OrderRegistrar(deps);
    this.storeRefresh = new OrderStoreRefresh(deps, deps.settings.waitingRecheckMs);
  }

  get #tenantCap(): number {
    return this.deps.settings.tenantOrderCap ?? DEFAULT_TENANT_ORDER_CAP;
  }

  /**
   * One pass; true when a full batch was found (more may be waiting). The due orders of every
   * active tenant go through one pool, taken round-robin across tenants with at most
   * `tenantOrderCap` of one tenant at a time: a tenant whose backlog waits for its own
   * contract's rate budget neither holds every slot nor makes the others wait behind it
   * (docs/reliability.md, rate compliance; measured by `pnpm bench:scale`).
   */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let more = false;
    let due = 0;
    // The pool stops taking orders at the stop request; `signal` (the deadline) only aborts the
    // calls already in flight.
    const noMore = this.deps.stopping ? AbortSignal.any([signal, this.deps.stopping]) : signal;
    const tenants = new Map<string, ActiveTenant>();
    const work = new Map<string, string[]>();
    for (const tenant of await activeTenants(em)) {
      if (noMore.aborted) break;
      await this.storeRefresh.refresh(em, tenant, noMore);
      const ids = await this.dueOrderIds(em, tenant);
      if (ids.length >= this.batchSize) more = true;
      due += ids.length;
      if (ids.length === 0) continue;
      tenants.set(tenant.tenantId, tenant);
      work.set(tenant.tenantId, ids);
    }
    this.deps.metrics.ordersDue.set(due);
    await runFairPool(
      work,
      this.deps.settings.orderConcurrency,
      this.#tenantCap,
      noMore,
      (tenantId, orderId) =>
        this.registerOne(tenants.get(tenantId)!, orderId, signal).then(() => undefined),
    );
    await this.afterPass?.(signal);
    return more;
  }

  /** Registers one order, then lets the status rules act on it. */
  async registerOne(
    tenant: ActiveTenant,
    orderId: string,
    signal: AbortSignal,
  ): Promise<RegisterResult> {
    const result = await this.registrar.register(tenant, orderId, signal);
    this.results.set(result, (this.results.get(result) ?? 0) + 1);
    if (result === 'registered' && this.onRegistered)
      await this.onRegistered(tenant, orderId, signal);
    return result;
  }

  /**
   * Distributed mode: the due orders of every active tenant, to be queued for any process — at
   * most `tenantOrderCap` per tenant per tick, interleaved across tenants. The queue is offered
   * the due list again every tick, so a tenant with 100,000 pending orders has a handful queued
   * at any time, next to every other tenant's, instead of filling the queue (and every process's
   * slots, each waiting for that one contract's rate budget) ahead of them.
   */
  async dueTasks(em: Em): Promise<{ tenantId: string; orderId: string }[]> {
    const perTenant: { tenantId: string; orderId: string }[][] = [];
    for (const tenant of await activeTenants(em)) {
      await this.storeRefresh.refresh(em, tenant);
      const ids = await this.dueOrderIds(em, tenant, this.#tenantCap);
      perTenant.push(ids.map((orderId) => ({ tenantId: tenant.tenantId, orderId })));
    }
    return interleave(perTenant, this.#tenantCap);
  }

  /**
   * Pending orders first (oldest first), then waiting orders never evaluated, then — once per
   * `waitingRecheckMs` per tenant — the waiting orders again, a batch per tick in ID order, so
   * that a fix made elsewhere (mapping, product import) lets them through without rereading
   * thousands of rows every tick.
   */
  async dueOrderIds(em: Em, tenant: ActiveTenant, limit = this.batchSize): Promise<string[]> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const now = this.deps.clock.now();
    // Orders backing off after an unknown outcome or a 429 wait their turn without blocking
    // newer ones (otherwise a few hundred deferred orders would starve the rest). Orders in
    // flight under a live lease are being worked on (perhaps by a process that died): they are
    // due again when the lease ends, and are then resolved by a read before anything is resent.
    const deferred = await this.registrar.ledger.notDueSubjects(tenant.tenantId, 'registerOrder');
    const ids = (
      await repos.orders.find(
        { syncState: 'pending', ...(deferred.length > 0 ? { id: { $nin: deferred } } : {}) },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit },
      )
    ).map((o) => o.id);
    if (ids.length < limit) {
      const fresh = await repos.orders.find(
        { syncState: 'waiting', syncReasonCode: null },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit - ids.length },
      );
      ids.push(...fresh.map((o) => o.id));
    }
    const recheck = this.#recheck.get(tenant.tenantId) ?? { after: null, lastPassAt: -Infinity };
    if (
      ids.length < limit &&
      (recheck.after !== null || now - recheck.lastPassAt >= this.deps.settings.waitingRecheckMs)
    ) {
      const requested = limit - ids.length;
      const page = await repos.orders.find(
        {
          syncState: 'waiting',
          syncReasonCode: { $ne: null },
          ...(recheck.after === null ? {} : { id: { $gt: recheck.after } }),
        },
        { orderBy: { id: 'asc' }, limit: requested },
      );
      ids.push(...page.map((o) => o.id));
      // A full page means more may follow: continue after it next tick; otherwise the pass is over.
      const full = page.length === requested;
      this.#recheck.set(
        tenant.tenantId,
        full
          ? { after: page.at(-1)?.id ?? null, lastPassAt: recheck.lastPassAt }
          : { after: null, lastPassAt: now },
      );
    }
    em.clear();
    return ids;
  }
}
