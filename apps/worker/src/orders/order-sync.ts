import { WorkerQueries, type Em } from '@renkei/persistence';
import { DEFAULT_TENANT_ORDER_CAP, type WorkerDeps } from '../deps.js';
import {
  activeTenants,
  type ActiveTenant,
  type RecentActiveTenants,
} from '../tenants/active-tenants.js';
import { interleave, runFairPool } from '../util/pool.js';
import { OrderStoreRefresh } from './order-store-refresh.js';
import { oneSettingsRead } from './order-view.js';
import { OrderRegistrar, type RegisterResult } from './register-order.js';

/**
 * The least a tenant with work may have queued or running (distributed mode): with fewer, a
 * tenant's next orders are only offered at the next tick, after its running ones ended, and it
 * falls below its contract's limit between ticks.
 */
export const MIN_TENANT_SHARE = 4;

/**
 * The order registration loop's tick: for every active tenant, the orders that are due (pending,
 * new, or waiting for a fix and not checked for a while) go through the {@link OrderRegistrar}.
 * Order rows are the truth: the API writes no job for a new order (an `order.register` job
 * left by an earlier release only wakes the loop early).
 */
export class OrderSync {
  readonly registrar: OrderRegistrar;
  /** Keeps the shops' 受注店舗 facts (販売区分) current: orders are held by them. */
  readonly storeRefresh: OrderStoreRefresh;
  /** Per tenant: where the current pass over waiting orders is, and when the last one ended. */
  readonly #recheck = new Map<string, { after: string | null; lastPassAt: number }>();
  /** Counts of results since start (tests, bench). */
  readonly results = new Map<RegisterResult, number>();
  /**
   * The active tenants this process listed lately (each tick lists them): what a queued order
   * task checks its tenant against (`Worker`, distributed mode). Set by the worker.
   */
  recentTenants?: RecentActiveTenants;

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
    const withWork: ActiveTenant[] = [];
    for (const tenant of await this.#tenantsWithWork(em)) {
      if (noMore.aborted) break;
      await this.storeRefresh.refresh(em, tenant, noMore);
      withWork.push(tenant);
    }
    const dueIds = await this.dueOrderIdsOf(
      em,
      withWork.map((tenant) => ({ tenant, limit: this.batchSize })),
    );
    for (const tenant of withWork) {
      const ids = dueIds.get(tenant.tenantId) ?? [];
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
    return oneSettingsRead(async () => {
      const result = await this.registrar.register(tenant, orderId, signal);
      this.results.set(result, (this.results.get(result) ?? 0) + 1);
      if (result === 'registered' && this.onRegistered)
        await this.onRegistered(tenant, orderId, signal);
      return result;
    });
  }

  /**
   * Distributed mode: the due orders of every active tenant, to be queued for any process,
   * interleaved across tenants. The queue is offered the due list again every tick, so a
   * tenant with 100,000 pending orders has a handful queued at any time, next to every other
   * tenant's, instead of filling the queue ahead of them.
   *
   * How many of a tenant's orders may be queued or running at once (in any process) is its
   * share of the slots: `orderConcurrency` times the processes working the queue, divided among
   * the tenants with work, at least {@link MIN_TENANT_SHARE} and at most `tenantOrderCap` per
   * process, times its contract's write limit over the lowest one among them. A tenant alone
   * may use every slot; with many, a tenant whose Smaregi answers slowly, or whose calls wait
   * for its own contract's budget, holds its share and no more, and the others' orders never
   * wait behind it (measured by `pnpm bench:scale`).
   *
   * A tenant's 受注店舗 facts are read once per recheck interval by whichever process ticks
   * ({@link OrderStoreRefresh}), beside the tick: a tenant never read waits for its own first
   * read, nobody else's, the others go with what is stored meanwhile, and a tick never waits
   * for Smaregi.
   */
  async dueTasks(em: Em, processes = 1): Promise<{ tenantId: string; orderId: string }[]> {
    const tenants = await this.#tenantsWithWork(em);
    const slots = this.deps.settings.orderConcurrency * processes;
    const share = Math.max(
      MIN_TENANT_SHARE,
      Math.min(this.#tenantCap * processes, Math.floor(slots / Math.max(1, tenants.length))),
    );
    // A contract with limits of its own above the others' (SMAREGI_CONTRACT_RATE_LIMITS) needs
    // as many more calls in flight to reach them: its share grows with its write limit.
    const limits = tenants.map((t) => this.deps.smaregi.limitsOf(t.contractId).writesPerSecond);
    const usual = Math.min(...limits);
    const wants = tenants.flatMap((tenant, i) =>
      this.storeRefresh.current(tenant, this.deps.stopping)
        ? [{ tenant, limit: Math.round((share * limits[i]!) / usual) }]
        : [],
    );
    const due = await this.dueOrderIdsOf(em, wants, { lessInFlight: true });
    const perTenant = wants.map(({ tenant }) =>
      (due.get(tenant.tenantId) ?? []).map((orderId) => ({ tenantId: tenant.tenantId, orderId })),
    );
    return interleave(perTenant, Math.max(0, ...perTenant.map((ids) => ids.length)));
  }

  /**
   * The active tenants this tick must look at: those with orders to register (one query for all
   * of them), and those whose pass over waiting orders is due or under way. The others cost
   * nothing, whatever their number.
   */
  async #tenantsWithWork(em: Em): Promise<ActiveTenant[]> {
    const active = await activeTenants(em);
    this.recentTenants?.seen(active);
    const due = await new WorkerQueries(em).tenantsWithOrdersToRegister(
      active.map((t) => t.tenantId),
    );
    const now = this.deps.clock.now();
    return active.filter((t) => {
      if (due.has(t.tenantId)) return true;
      const recheck = this.#recheck.get(t.tenantId);
      return (
        recheck === undefined ||
        recheck.after !== null ||
        now - recheck.lastPassAt >= this.deps.settings.waitingRecheckMs
      );
    });
  }

  /**
   * Per tenant, at most `limit` orders: pending orders first (oldest first), then waiting orders
   * never evaluated, then — once per `waitingRecheckMs` per tenant — the waiting orders again, a
   * batch per tick in ID order, so that a fix made elsewhere (mapping, product import) lets them
   * through without rereading thousands of rows every tick. A few statements for all the
   * tenants together ({@link WorkerQueries.ordersDue}), however many they are.
   */
  async dueOrderIdsOf(
    em: Em,
    wants: readonly { tenant: ActiveTenant; limit: number }[],
    options: { lessInFlight?: boolean } = {},
  ): Promise<Map<string, string[]>> {
    const queries = new WorkerQueries(em);
    const now = this.deps.clock.now();
    // Orders backing off after an unknown outcome or a 429 wait their turn without blocking
    // newer ones (otherwise a few hundred deferred orders would starve the rest). Orders in
    // flight under a live lease are being worked on (perhaps by a process that died): they are
    // due again when the lease ends, and are then resolved by a read before anything is resent.
    const notDue = await this.registrar.ledger.notDueOf(
      wants.map((w) => w.tenant.tenantId),
      'registerOrder',
    );
    const ids = new Map<string, string[]>();
    const left = new Map<string, number>();
    for (const { tenant, limit } of wants) {
      const { inFlight } = notDue.get(tenant.tenantId) ?? { inFlight: 0 };
      ids.set(tenant.tenantId, []);
      left.set(tenant.tenantId, options.lessInFlight ? limit - inFlight : limit);
    }
    const take = (found: Map<string, string[]>) => {
      for (const [tenantId, got] of found) {
        ids.get(tenantId)?.push(...got);
        left.set(tenantId, (left.get(tenantId) ?? 0) - got.length);
      }
    };
    const short = () => wants.map((w) => w.tenant.tenantId).filter((id) => (left.get(id) ?? 0) > 0);
    take(
      await queries.ordersDue(
        'pending',
        short().map((tenantId) => ({
          tenantId,
          limit: left.get(tenantId)!,
          excluding: notDue.get(tenantId)?.subjects ?? [],
        })),
      ),
    );
    take(
      await queries.ordersDue(
        'fresh',
        short().map((tenantId) => ({ tenantId, limit: left.get(tenantId)! })),
      ),
    );
    const rechecking = short().flatMap((tenantId) => {
      const recheck = this.#recheck.get(tenantId) ?? { after: null, lastPassAt: -Infinity };
      return recheck.after !== null ||
        now - recheck.lastPassAt >= this.deps.settings.waitingRecheckMs
        ? [{ tenantId, limit: left.get(tenantId)!, after: recheck.after, recheck }]
        : [];
    });
    const held = await queries.ordersDue('held', rechecking);
    for (const { tenantId, limit, recheck } of rechecking) {
      const page = held.get(tenantId) ?? [];
      ids.get(tenantId)?.push(...page);
      // A full page means more may follow: continue after it next tick; otherwise the pass is over.
      this.#recheck.set(
        tenantId,
        page.length === limit
          ? { after: page.at(-1) ?? null, lastPassAt: recheck.lastPassAt }
          : { after: null, lastPassAt: now },
      );
    }
    em.clear();
    return ids;
  }
}
