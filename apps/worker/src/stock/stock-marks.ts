import { resolveLineProduct } from '@renkei/domain';
import {
  IntegrationSettings,
  parseSettings,
  tenantRepositories,
  type Em,
} from '@renkei/persistence';
import { productIndexFor } from '../orders/order-view.js';

/**
 * Marks the products of an order for a recompute of their 有効在庫数, in the transaction of the
 * event that changed them (registered, allocated, shipped, cancelled): Smaregi's allocated and
 * stock amounts, or the open-order quantities, moved for exactly these products. The stock loop
 * recomputes the marked products in batches (`StockSync.recomputeMarked`), so the figures follow
 * Smaregi without waiting for a `pos:stock` webhook (Smaregi sends none for an allocation) or the
 * periodic reconciliation (docs/flows.md §6). Every line counts, enclosures included: what was
 * not sent to Smaregi still leaves the open-order quantities when the order closes.
 */
export async function markOrderStock(em: Em, tenantId: string, orderId: string): Promise<void> {
  const repos = tenantRepositories(em, tenantId);
  const lines = await repos.orderLines.find({ order: orderId });
  if (lines.length === 0) return;
  // Read on `em` itself (it may hold a transaction: on SQLite a second connection would wait for
  // it), without tracking the row, so the settings never ride along in the caller's flush.
  const settings = parseSettings(
    await em.findOne(IntegrationSettings, { tenant: tenantId }, { disableIdentityMap: true }),
  );
  const index = await productIndexFor(repos, lines, settings);
  const ids = lines.flatMap((line) => {
    let resolved = resolveLineProduct(index, line);
    // A line with neither code is sent as the ダミー商品番号's product.
    if (resolved.status === 'noCodes' && settings.dummyProductCode !== null)
      resolved = resolveLineProduct(index, { productCode: settings.dummyProductCode });
    return resolved.status === 'found' ? [resolved.ref.productId] : [];
  });
  await repos.stockMarks.request(ids);
}
