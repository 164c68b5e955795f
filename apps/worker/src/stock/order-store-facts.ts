import type { IntegrationSettings } from '@renkei/domain';
import {
  warehouseStoreIdOf,
  type Order,
  type Shop,
  type TenantRepositories,
} from '@renkei/persistence';

/*
 * The 受注店舗 facts the worker acts on: which POS store's stock serves it (倉庫) and whether it
 * allocates orders itself at registration (自動引当). No public Smaregi source shows either on the
 * 受注店舗 object (docs/smaregi-wire.md §4.4), so they are Renkei's own settings, kept on each
 * shop: prefilled from Smaregi when Smaregi sends them, otherwise set by the merchant on the shop
 * screen. The worker never reads them from Smaregi's store object, where a missing field would
 * silently read as "no warehouse" or "OFF".
 */

/** Sync-event kind written on an order whose shop has no auto-allocation setting yet. */
export const ALLOCATION_SETTING_MISSING_KIND = 'order.allocationSettingMissing';

export interface OrderStoreFacts {
  orderStoreId: string | null;
  /** null = not set (unknown). */
  warehouseStoreId: string | null;
  /** null = not set (unknown): neither ON nor OFF. */
  autoAllocation: boolean | null;
}

export function orderStoreFactsOf(shop: Shop): OrderStoreFacts {
  return {
    orderStoreId: shop.orderStoreId ?? null,
    warehouseStoreId: warehouseStoreIdOf(shop),
    autoAllocation: typeof shop.autoAllocation === 'boolean' ? shop.autoAllocation : null,
  };
}

/**
 * The auto-allocation the status decisions need for an order (its shop must be loaded), or null
 * when it is not set: the decisions then hold the allocation inquiry (`orderStoreUnknown`), and
 * the order's history says once why and where to fix it.
 */
export async function allocationSettingFor(
  repos: TenantRepositories,
  order: Order,
  settings: Pick<IntegrationSettings, 'effectiveStockMode'>,
): Promise<{ autoAllocation: boolean } | null> {
  const facts = orderStoreFactsOf(order.shop);
  if (facts.orderStoreId === null) return null;
  if (facts.autoAllocation !== null) return { autoAllocation: facts.autoAllocation };
  // Renkei's own planner allocates in that mode: Smaregi's switch does not matter there.
  if (settings.effectiveStockMode === 'omsPurchase') return null;
  const told = await repos.syncEvents.count({
    subjectType: 'order',
    subjectId: order.id,
    kind: ALLOCATION_SETTING_MISSING_KIND,
  });
  if (told === 0) {
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: ALLOCATION_SETTING_MISSING_KIND,
      outcome: 'warning',
      message: { code: 'autoAllocationNotSet', params: { shopName: order.shop.name } },
      detail: { shopId: order.shop.id, orderStoreId: facts.orderStoreId },
    });
  }
  return null;
}

/**
 * The warehouse the tenant's stock figures are computed from (在庫数合算: 受注店舗の倉庫), read where
 * the API's figures on demand read it too.
 */
export { stockWarehouseOf } from '@renkei/persistence';

/** Every active mapped shop with its warehouse (the allocated amounts Renkei knows go there). */
export async function warehousesByShop(repos: TenantRepositories): Promise<Map<string, string>> {
  const shops = await repos.shops.find({ orderStoreId: { $ne: null }, active: true });
  const out = new Map<string, string>();
  for (const shop of shops) {
    const warehouse = orderStoreFactsOf(shop).warehouseStoreId;
    if (warehouse !== null) out.set(shop.id, warehouse);
  }
  return out;
}
