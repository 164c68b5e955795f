import {
  buildSmaregiOrderPayload,
  createProductIndex,
  normalizeCode,
  sellDivisionOf,
  shopHoldProblems,
  withShopHolds,
  type IntegrationSettings,
  type OmsOrder,
  type OrderPayloadContext,
  type OrderPayloadResult,
  type OrderShopFacts,
  type Problem,
  type ProblemRef,
  type ProductIndexEntry,
  type TaxMode,
} from '@renkei/domain';
import type { Shop } from '../catalog/shop.entity.js';
import type { ListedProduct } from '../products/listed-product.entity.js';
import type { TenantRepositories } from '../repositories.js';
import { toOmsOrder } from './oms-order.js';
import type { Order } from './order.entity.js';

/*
 * The stored facts the payload builder decides on (the order, its shop, the payment method
 * mappings, the imported products, the settings), read in one place: the worker builds the
 * payload it sends with them, and the API the preview the order page shows, so the preview is
 * what the worker would send now. The rules themselves are the domain's.
 */

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

/**
 * The payload Renkei sends for a stored order under the current settings and mappings, or every
 * reason it cannot: the shop's holds (inactive, 税込 / 税別 unlike its 受注店舗) first, then the
 * order's own problems. `order` must come with its lines, shop and payment method
 * (`orders.findWithLines`).
 */
export async function orderPayloadNow(
  repos: TenantRepositories,
  order: Order,
  settings: IntegrationSettings,
): Promise<OrderPayloadResult> {
  const oms = toOmsOrder(order);
  return withShopHolds(
    buildSmaregiOrderPayload(oms, await payloadContextFor(repos, order, oms, settings)),
    shopHoldProblems(orderShopFactsOf(order.shop), order.orderNumber),
  );
}

/**
 * A problem as the merchant reads it: the payment method by its name and code, not by Renkei's
 * internal ID (the payload builder knows only the ID).
 */
export function problemInMerchantWords(p: Problem, order: Order): ProblemRef {
  if (p.code !== 'paymentMethodNotMapped') return { code: p.code, params: p.params };
  const method = order.paymentMethod;
  if (typeof method.name !== 'string') return { code: p.code, params: p.params };
  return {
    code: p.code,
    params: {
      ...p.params,
      paymentMethodName: method.name,
      ...(method.code ? { paymentMethodCode: method.code } : {}),
    },
  };
}
