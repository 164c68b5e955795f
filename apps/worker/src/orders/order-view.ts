import { type IntegrationSettings, type OrderStatusCategory } from '@renkei/domain';
import {
  parseSettings,
  tenantRepositories,
  type Em,
  type Order,
  type OrderStatus,
  type TenantRepositories,
} from '@renkei/persistence';

// The payload's context is read by persistence (order-payload-context.ts), shared with the API's
// preview of the payload; re-exported here for the worker's existing callers.
export {
  orderShopFactsOf,
  payloadContextFor,
  productIndexFor,
  toIndexEntry,
} from '@renkei/persistence';

/**
 * Adapters from stored rows to the domain's inputs. The worker decides nothing itself: it hands
 * the domain the facts (order, shop, mappings, imported products, settings) and acts on the answer.
 * The order itself is read with persistence's `toOmsOrder`, the one mapping of its columns.
 */

/**
 * The tenant's settings, read on a separate entity manager so that the (optimistically locked)
 * settings row never rides along in the caller's flush.
 */
export async function readSettings(em: Em, tenantId: string): Promise<IntegrationSettings> {
  const row = await tenantRepositories(em.fork(), tenantId).settings.get();
  return parseSettings(row);
}

/** The lines that were sent to Smaregi, in line order (enclosures only when synced). */
export function sentLines(order: Order, syncEnclosures: boolean) {
  return [...order.lines.getItems()]
    .sort((a, b) => a.lineNo - b.lineNo)
    .filter((l) => syncEnclosures || !l.isEnclosure);
}

/** The first active status of a category (for shipped / cancelled moves), by sort order. */
export async function firstStatusOf(
  repos: TenantRepositories,
  category: OrderStatusCategory,
): Promise<OrderStatus | null> {
  const list = await repos.orderStatuses.find(
    { category, active: true },
    { orderBy: { sortOrder: 'asc', name: 'asc' }, limit: 1 },
  );
  return list[0] ?? null;
}
