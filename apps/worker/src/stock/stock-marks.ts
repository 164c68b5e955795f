import { resolveLineProduct, type IntegrationSettings } from '@renkei/domain';
import {
  IntegrationSettings as IntegrationSettingsRow,
  parseSettings,
  tenantRepositories,
  type Em,
  type OrderLine,
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
export async function markOrderStock(
  em: Em,
  tenantId: string,
  orderId: string,
  known: {
    /** The order's lines, when the caller has them loaded (all of them, enclosures included). */
    lines?: readonly OrderLine[];
    /** The tenant's settings, when the caller has read them. */
    settings?: IntegrationSettings;
  } = {},
): Promise<void> {
  // Each registration, allocation and shipment marks its order's products: reading the lines and
  // the settings again here were two of the largest counts in the statement profile
  // (`pnpm bench:scale`), for rows the caller had just read.
  const lines =
    known.lines ?? (await tenantRepositories(em, tenantId).orderLines.find({ order: orderId }));
  await markLinesStock(em, tenantId, lines, known.settings);
}

/** {@link markOrderStock} for these lines (of one order or of several). */
export async function markLinesStock(
  em: Em,
  tenantId: string,
  lines: readonly OrderLine[],
  known?: IntegrationSettings,
): Promise<void> {
  if (lines.length === 0) return;
  const repos = tenantRepositories(em, tenantId);
  // Read on `em` itself (it may hold a transaction: on SQLite a second connection would wait for
  // it), without tracking the row, so the settings never ride along in the caller's flush.
  const settings =
    known ??
    parseSettings(
      await em.findOne(IntegrationSettingsRow, { tenant: tenantId }, { disableIdentityMap: true }),
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
