import { tenantRepositories, type Em } from '@renkei/persistence';
import type { WorkerDeps } from '../deps.js';
import { activeTenants, type ActiveTenant } from '../tenants/active-tenants.js';
import { runPool } from '../util/pool.js';
import { OrderRegistrar, type RegisterResult } from './register-order.js';

/**
 * The order registration loop's tick: for every active tenant, the orders that are due (pending,
 * new, or waiting for a fix and not checked for a while) go through the {@link OrderRegistrar}.
 * Order rows are the truth; `order.register` jobs only wake the loop early.
 */
export class OrderSync {
  readonly registrar: OrderRegistrar;
  /** When each waiting order was last evaluated by this process. */
  readonly #waitingCheckedAt = new Map<string, number>();
  /** Counts of results since start (tests, bench). */
  readonly results = new Map<RegisterResult, number>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly onRegistered?: (
      tenant: ActiveTenant,
      orderId: string,
      signal: AbortSignal,
    ) => Promise<void>,
    private readonly batchSize = 200,
  ) {
    this.registrar = new OrderRegistrar(deps);
  }

  /** One pass; true when a full batch was found (more may be waiting). */
  async tick({ signal, em }: { signal: AbortSignal; em: Em }): Promise<boolean> {
    let more = false;
    for (const tenant of await activeTenants(em)) {
      if (signal.aborted) break;
      const ids = await this.dueOrderIds(em, tenant);
      if (ids.length >= this.batchSize) more = true;
      await runPool(ids, this.deps.settings.orderConcurrency, signal, (orderId) =>
        this.registerOne(tenant, orderId, signal).then(() => undefined),
      );
    }
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

  /** Distributed mode: the due orders of every active tenant, to be queued for any process. */
  async dueTasks(em: Em): Promise<{ tenantId: string; orderId: string }[]> {
    const tasks: { tenantId: string; orderId: string }[] = [];
    for (const tenant of await activeTenants(em)) {
      for (const orderId of await this.dueOrderIds(em, tenant))
        tasks.push({ tenantId: tenant.tenantId, orderId });
    }
    return tasks;
  }

  /** Pending orders first, then new or re-checkable waiting ones, oldest first. */
  async dueOrderIds(em: Em, tenant: ActiveTenant): Promise<string[]> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const pending = await repos.orders.find(
      { syncState: 'pending' },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: this.batchSize },
    );
    const ids = pending.map((o) => o.id);
    if (ids.length < this.batchSize) {
      const now = this.deps.clock.now();
      const recheck = this.deps.settings.waitingRecheckMs;
      const waiting = await repos.orders.find(
        { syncState: 'waiting' },
        { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 5_000 },
      );
      for (const o of waiting) {
        if (ids.length >= this.batchSize) break;
        const last = this.#waitingCheckedAt.get(o.id);
        const fresh = o.syncReason === null || o.syncReason === undefined;
        if (fresh || last === undefined || now - last >= recheck) {
          this.#waitingCheckedAt.set(o.id, now);
          ids.push(o.id);
        }
      }
    }
    em.clear();
    return ids;
  }
}
