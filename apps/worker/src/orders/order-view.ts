import { AsyncLocalStorage } from 'node:async_hooks';
import { type IntegrationSettings, type OrderStatusCategory } from '@renkei/domain';
import {
  IntegrationSettings as IntegrationSettingsRow,
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

/** Settings read within the current unit of work (see {@link oneSettingsRead}). */
const settingsRead = new AsyncLocalStorage<Map<string, Promise<IntegrationSettings>>>();

/**
 * Runs one unit of work (one order's registration and what follows it, one shipping pass) in
 * which each tenant's settings are read once: the steps of a registration each asked for them,
 * about seven reads of the same row per order (`pnpm bench:scale`). A change the merchant saves
 * meanwhile applies from the next unit of work, a moment later.
 */
export function oneSettingsRead<T>(fn: () => Promise<T>): Promise<T> {
  return settingsRead.run(new Map(), fn);
}

/**
 * The tenant's settings, read on a separate entity manager so that the (optimistically locked)
 * settings row never rides along in the caller's flush; once per unit of work inside
 * {@link oneSettingsRead}.
 */
export function readSettings(em: Em, tenantId: string): Promise<IntegrationSettings> {
  const memo = settingsRead.getStore();
  const known = memo?.get(tenantId);
  if (known !== undefined) return known;
  const read = tenantRepositories(em.fork(), tenantId)
    .settings.get()
    .then((row) => parseSettings(row));
  if (memo !== undefined) {
    memo.set(tenantId, read);
    // A failed read is not kept: the next step reads again.
    read.catch(() => memo.delete(tenantId));
  }
  return read;
}

/** The settings of several tenants in one read (loops over every active tenant). */
export async function readSettingsOf(
  em: Em,
  tenantIds: readonly string[],
): Promise<Map<string, IntegrationSettings>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await em.fork().find(IntegrationSettingsRow, { tenant: { $in: [...tenantIds] } });
  return new Map(rows.map((row) => [row.tenant.id, parseSettings(row)]));
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
