import { AsyncLocalStorage } from 'node:async_hooks';
import { type IntegrationSettings, type OrderStatusCategory } from '@renkei/domain';
import {
  IntegrationSettings as IntegrationSettingsRow,
  parseSettings,
  tenantRepositories,
  type Em,
  type Order,
  type OrderStatus,
  type ActiveTenant,
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
 * Settings this process read, per tenant, with the version of the row they were read at. Used
 * only when the caller's {@link ActiveTenant} comes from an active-tenant query that saw the same
 * version (that statement runs anyway, before each order task and each loop tick): a save raises
 * the version, so a change is seen as soon as a read would have seen it. Each order task read
 * the same row three to four times (`pnpm bench:scale`, statement profile). Frozen: shared.
 */
const settingsAtVersion = new Map<string, { version: number; settings: IntegrationSettings }>();

/**
 * The tenant's settings, read on a separate entity manager so that the (optimistically locked)
 * settings row never rides along in the caller's flush; once per unit of work inside
 * {@link oneSettingsRead}, and not at all while the tenant's row is at the version this process
 * last read it at (see `settingsAtVersion`). Given a tenant ID alone, always read: a caller that
 * must see a switch flipped since its tenant was listed (`JobRunner`) asks that way.
 */
export function readSettings(
  em: Em,
  tenant: Pick<ActiveTenant, 'tenantId' | 'settingsVersion'> | string,
): Promise<IntegrationSettings> {
  const tenantId = typeof tenant === 'string' ? tenant : tenant.tenantId;
  const version = typeof tenant === 'string' ? undefined : tenant.settingsVersion;
  const kept = version === undefined ? undefined : settingsAtVersion.get(tenantId);
  // The active-tenant query lists only tenants whose switch is on: a copy that says off is from
  // before a switch flipped without a save (the bench does that), never used for them.
  if (kept !== undefined && kept.version === version && kept.settings.integrationEnabled)
    return Promise.resolve(kept.settings);
  const memo = settingsRead.getStore();
  const known = memo?.get(tenantId);
  if (known !== undefined) return known;
  const read = tenantRepositories(em.fork(), tenantId)
    .settings.get()
    .then((row) => {
      const settings = deepFreeze(parseSettings(row));
      if (row !== null) settingsAtVersion.set(tenantId, { version: row.version, settings });
      return settings;
    });
  if (memo !== undefined) {
    memo.set(tenantId, read);
    // A failed read is not kept: the next step reads again.
    read.catch(() => memo.delete(tenantId));
  }
  return read;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
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
