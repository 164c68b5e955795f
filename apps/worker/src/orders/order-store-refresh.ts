import { CallPriority, sellDivisionOf } from '@renkei/domain';
import { forkEm, tenantRepositories, WorkerQueries, type Em } from '@renkei/persistence';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';

/*
 * The 受注店舗's 販売区分 (内税販売 / 外税販売) is Smaregi's setting; the shop's 税込 / 税別 is
 * Renkei's. The orders of a shop whose two do not match are held (domain `shopHoldProblems`) by
 * what the shop row says of its 受注店舗, so that row must follow Smaregi: the worker reads the
 * tenant's 受注店舗 once per recheck interval (one paged list call per tenant, not one per order)
 * and records name and 販売区分 on the mapped shops. A merchant who fixes the 販売区分 in Smaregi
 * sees the held orders go through by the next recheck; one who breaks it holds new orders within
 * the same interval (and the read's time). The admin records them too whenever it reads the
 * 受注店舗 live.
 *
 * When the last read was, and whether one is under way, is kept on the tenant's connection row
 * (`WorkerQueries.claimOrderStoresRead`), not in the process: the order loop's tick moves between
 * worker processes, and with the time in memory each process read every tenant's 受注店舗 again
 * after taking the tick over (a profiled 100-tenant `pnpm bench:scale` run read them two to six
 * times before a tenant's first order, and every 7–10 s after instead of every 15 s).
 */

/** Reads each tenant's 受注店舗 at most once per `intervalMs`, across every worker process. */
export class OrderStoreRefresh {
  /** Reads this process started, per tenant, until they end. */
  readonly #running = new Map<string, Promise<void>>();
  /** When reads this process ran ended: newer than a tenant listing read before they ended. */
  readonly #endedAt = new Map<string, number>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly intervalMs: number,
  ) {}

  /**
   * True when the tenant's orders may go: its 受注店舗 were read at least once (by any process).
   * When a read is due, it is started here (unless a process runs one) without waiting for it:
   * the orders go meanwhile with what is stored, and a tenant never read waits for its first
   * read, its own and nobody else's, so a tenant whose Smaregi answers slowly delays nobody.
   */
  current(tenant: ActiveTenant, signal?: AbortSignal): boolean {
    const readAt = this.#readAt(tenant);
    if (readAt !== null && this.deps.clock.now() - readAt < this.intervalMs) return true;
    if (!this.#running.has(tenant.tenantId)) {
      const read = this.refresh(forkEm(this.deps.orm), tenant, signal)
        .catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error, tenantId: tenant.tenantId },
            'could not refresh the order stores; orders go with what is stored',
          ),
        )
        .finally(() => this.#running.delete(tenant.tenantId));
      this.#running.set(tenant.tenantId, read);
    }
    return readAt !== null;
  }

  /**
   * Reads and records the tenant's 受注店舗 when due and no process has started a read within
   * the interval; a failed read is logged and counts as a read (tried again next interval).
   */
  async refresh(em: Em, tenant: ActiveTenant, signal?: AbortSignal): Promise<void> {
    const readAt = this.#readAt(tenant);
    const now = this.deps.clock.now();
    if (readAt !== null && now - readAt < this.intervalMs) return;
    const queries = new WorkerQueries(em);
    if (!(await queries.claimOrderStoresRead(tenant.tenantId, new Date(now), this.intervalMs)))
      return;
    try {
      await this.#read(em, tenant, signal);
    } finally {
      if (signal?.aborted) {
        // Stopped mid-read: nothing was learnt, so the claim is given back for the next process.
        await queries.orderStoresReadEnded(tenant.tenantId, null);
      } else {
        const endedAt = this.deps.clock.now();
        this.#endedAt.set(tenant.tenantId, endedAt);
        await queries.orderStoresReadEnded(tenant.tenantId, new Date(endedAt));
      }
    }
  }

  /** The latest end of a read that this process knows of, from the listing or its own reads. */
  #readAt(tenant: ActiveTenant): number | null {
    const listed = tenant.orderStoresReadAt?.getTime() ?? null;
    const own = this.#endedAt.get(tenant.tenantId) ?? null;
    if (listed === null) return own;
    return own === null ? listed : Math.max(listed, own);
  }

  async #read(em: Em, tenant: ActiveTenant, signal?: AbortSignal): Promise<void> {
    const repos = tenantRepositories(em, tenant.tenantId);
    if ((await repos.shops.count({ orderStoreId: { $ne: null } })) === 0) return;
    try {
      const stores = this.deps.smaregi.forContract(tenant.contractId).orderShipment.stores;
      const read: {
        storeId: string;
        storeName: string;
        sellDivision: 'included' | 'excluded' | null;
      }[] = [];
      for await (const store of stores.iterate(
        {},
        { ...(signal === undefined ? {} : { signal }), priority: CallPriority.registerOrder },
      )) {
        read.push({
          storeId: store.storeId,
          storeName: store.storeName,
          sellDivision: sellDivisionOf(store.sellDivision),
        });
      }
      const changed = await repos.shops.recordOrderStores(read);
      if (changed > 0)
        this.deps.logger.info(
          { tenantId: tenant.tenantId, shops: changed },
          'order stores changed in Smaregi; shops updated',
        );
    } catch (error) {
      if (signal?.aborted) return;
      this.deps.logger.warn(
        { err: error, tenantId: tenant.tenantId },
        'could not read the order stores; held orders are rechecked with what is stored',
      );
    }
  }
}
