import {
  createProductIndex,
  normalizeCode,
  sellDivisionOf,
  type IntegrationSettings,
  type OmsOrder,
  type OrderPayloadContext,
  type OrderShopFacts,
  type OrderStatusCategory,
  type ProductIndexEntry,
  type TaxMode,
} from '@renkei/domain';
import {
  type ListedProduct,
  parseSettings,
  tenantRepositories,
  type Em,
  type Order,
  type Shop,
  type OrderStatus,
  type TenantRepositories,
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

/** The index entry of an imported product (only products that carry a Smaregi product ID). */
export function toIndexEntry(p: ListedProduct): ProductIndexEntry | null {
  if (p.smaregiProductId === null || p.smaregiProductId === undefined) return null;
  return {
    productId: p.smaregiProductId,
    // Imported products keep Smaregi's own code; its normalised form is what Smaregi knows.
    productCode: p.productCodeKey,
    omsProductCode: p.productCode,
    managementNumber: p.managementNumber ?? null,
  };
}

/**
 * Loads just the products some order lines (and the adjustment / dummy settings) can refer to, so
 * that a tenant with 100,000 products costs one indexed query, not a full scan.
 */
export async function productIndexFor(
  repos: TenantRepositories,
  lines: readonly { productCode?: string | null; managementNumber?: string | null }[],
  settings: Pick<IntegrationSettings, 'adjustmentProductCode' | 'dummyProductCode'>,
) {
  const codeKeys = new Set<string>();
  const mgmt = new Set<string>();
  for (const line of lines) {
    const code = normalizeCode(line.productCode);
    if (code !== '') codeKeys.add(code);
    if (line.managementNumber != null && line.managementNumber.trim() !== '') {
      mgmt.add(line.managementNumber);
      mgmt.add(normalizeCode(line.managementNumber));
    }
  }
  for (const setting of [settings.adjustmentProductCode, settings.dummyProductCode]) {
    if (setting !== null) codeKeys.add(normalizeCode(setting));
  }
  const or: object[] = [];
  if (codeKeys.size > 0) or.push({ productCodeKey: { $in: [...codeKeys] } });
  if (mgmt.size > 0) or.push({ managementNumber: { $in: [...mgmt] } });
  const products = or.length === 0 ? [] : await repos.products.find({ $or: or });
  const entries = products.map(toIndexEntry).filter((e): e is ProductIndexEntry => e !== null);
  return createProductIndex(entries).index;
}

/** The shop of an order as the domain's shop rules read it (`shopHoldProblems`). */
export function orderShopFactsOf(shop: Shop): OrderShopFacts {
  return {
    id: shop.id,
    name: shop.name,
    active: shop.active,
    taxMode: shop.taxMode as TaxMode,
    orderStoreId: shop.orderStoreId ?? null,
    orderStoreName: shop.orderStoreName ?? null,
    orderStoreSellDivision: sellDivisionOf(shop.orderStoreSellDivision),
  };
}

/** Everything besides the order that the payload builder needs. */
export async function payloadContextFor(
  repos: TenantRepositories,
  order: Order,
  oms: OmsOrder,
  settings: IntegrationSettings,
): Promise<OrderPayloadContext> {
  const methods = await repos.paymentMethods.list();
  return {
    settings,
    shop: {
      id: order.shop.id,
      name: order.shop.name,
      taxMode: order.shop.taxMode as TaxMode,
      orderStoreId: order.shop.orderStoreId ?? null,
      orderCodePrefix: order.shop.orderCodePrefix ?? null,
    },
    paymentMethods: new Map(methods.map((m) => [m.id, m.smaregiPaymentMethodId ?? null])),
    products: await productIndexFor(repos, oms.lines, settings),
  };
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
