import {
  collectOpenOrderDemand,
  createProductIndex,
  type IntegrationSettings,
  type OmsOrder,
  type ProductIndexEntry,
} from '@renkei/domain';
import { openOrderDemand, toOmsOrder, type TenantRepositories } from '@renkei/persistence';
import { sentLines, toIndexEntry } from '../orders/order-view.js';
import { warehousesByShop } from './order-store-facts.js';

/*
 * What Renkei's own open orders hold against stock: the OMS purchase quantities (有効在庫数計算設定
 * [OMS購入数]) and, when 受注管理's stock endpoint is off, the quantities Smaregi reported as
 * allocated on them. StockSync combines them with POS stock into the effective stock.
 */

/** The key of a (store, product) stock figure. */
export const stockKey = (storeId: string, productId: string) => `${storeId}\u0000${productId}`;

/**
 * Smaregi's allocation as Renkei knows it, when 受注管理's stock endpoint is off: the allocated
 * quantities Smaregi reported on Renkei's open orders (registered, not cancelled), per product,
 * in the warehouse of each order's shop. Orders registered in Smaregi by other means are not
 * counted (docs/smaregi-wire.md §11).
 */
export async function allocatedOnOrders(
  repos: TenantRepositories,
  settings: IntegrationSettings,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (settings.effectiveStockMode !== 'smaregiAllocation') return out;
  const warehouses = await warehousesByShop(repos);
  if (warehouses.size === 0) return out;
  const orders = await repos.orders.find(
    {
      status: { category: 'open' },
      syncState: { $ne: 'canceled' },
      smaregiOrderHeadId: { $ne: null },
      shop: { $in: [...warehouses.keys()] },
    },
    { populate: ['lines', 'shop', 'paymentMethod', 'status'] },
  );
  const index = await productIndex(repos);
  const byWarehouse = new Map<string, OmsOrder[]>();
  for (const order of orders) {
    const warehouse = warehouses.get(order.shop.id);
    if (warehouse === undefined) continue;
    // The domain's demand rule over the allocated quantities instead of the ordered ones.
    const sent = new Set(sentLines(order, settings.syncEnclosures));
    const oms = toOmsOrder(order);
    const lines = [...order.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
    oms.lines = oms.lines.map((line, i) => ({
      ...line,
      quantity: sent.has(lines[i]!) ? lines[i]!.allocatedQuantity : 0,
    }));
    const list = byWarehouse.get(warehouse) ?? [];
    list.push(oms);
    byWarehouse.set(warehouse, list);
  }
  for (const [warehouse, list] of byWarehouse) {
    const { demand } = collectOpenOrderDemand(list, {
      products: index,
      syncEnclosures: settings.syncEnclosures,
      statusCategories: new Map(),
    });
    for (const d of demand) out.set(stockKey(warehouse, d.productId), String(d.quantity));
  }
  return out;
}

/**
 * Open-order demand per Smaregi product for the omsPurchase mode (domain rule), over the same
 * stored facts as the API's figures on demand.
 */
export const openDemand = openOrderDemand;

/** The imported products by code and Smaregi ID (the domain's product index). */
export async function productIndex(repos: TenantRepositories) {
  const products = await repos.products.find({ smaregiProductId: { $ne: null } });
  return createProductIndex(
    products.map(toIndexEntry).filter((e): e is ProductIndexEntry => e !== null),
  ).index;
}
