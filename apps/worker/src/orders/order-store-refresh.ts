import { CallPriority, sellDivisionOf } from '@renkei/domain';
import { tenantRepositories, type Em } from '@renkei/persistence';
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

  constructor(
    private readonly deps: WorkerDeps,
    private readonly intervalMs: number,
  ) {}

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
