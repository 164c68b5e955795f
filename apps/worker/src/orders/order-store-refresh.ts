import { CallPriority, sellDivisionOf } from '@renkei/domain';
import { forkEm, tenantRepositories, type Em } from '@renkei/persistence';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';

/*
 * The 受注店舗's 販売区分 (内税販売 / 外税販売) is Smaregi's setting; the shop's 税込 / 税別 is
 * Renkei's. The orders of a shop whose two do not match are held (domain `shopHoldProblems`) by
 * what the shop row says of its 受注店舗, so that row must follow Smaregi: the worker reads the
 * tenant's 受注店舗 once per recheck interval (one paged list call per tenant, not one per order)
 * and records name and 販売区分 on the mapped shops. A merchant who fixes the 販売区分 in Smaregi
 * sees the held orders go through by the next recheck; one who breaks it holds new orders within
 * the same interval. The admin records them too whenever it reads the 受注店舗 live.
 */

/** Reads each tenant's 受注店舗 at most once per `intervalMs` and records them on its shops. */
export class OrderStoreRefresh {
  readonly #lastReadAt = new Map<string, number>();
  /** Reads started by {@link current}, per tenant, until they end. */
  readonly #running = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly intervalMs: number,
  ) {}

  /**
   * True when the tenant's 受注店舗 facts are current, so its orders may go. Otherwise a read is
   * started (unless one is running) and false is returned: the caller offers the tenant's orders
   * once the read has ended, without waiting for it, so a tenant whose Smaregi answers slowly
   * delays nobody else.
   */
  current(tenant: ActiveTenant, signal?: AbortSignal): boolean {
    if (this.#running.has(tenant.tenantId)) return false;
    const last = this.#lastReadAt.get(tenant.tenantId);
    if (last !== undefined && this.deps.clock.now() - last < this.intervalMs) return true;
    const read = this.refresh(forkEm(this.deps.orm), tenant, signal)
      .catch((error: unknown) =>
        this.deps.logger.warn(
          { err: error, tenantId: tenant.tenantId },
          'could not refresh the order stores; orders go with what is stored',
        ),
      )
      .finally(() => this.#running.delete(tenant.tenantId));
    this.#running.set(tenant.tenantId, read);
    return false;
  }

  /** Reads and records the tenant's 受注店舗 when due; a failed read is logged and tried next time. */
  async refresh(em: Em, tenant: ActiveTenant, signal?: AbortSignal): Promise<void> {
    const now = this.deps.clock.now();
    const last = this.#lastReadAt.get(tenant.tenantId);
    if (last !== undefined && now - last < this.intervalMs) return;
    this.#lastReadAt.set(tenant.tenantId, now);
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
