import { STOCK_CHANGES_PER_EVENT } from '@renkei/domain';
import { tenantRepositories, type Em } from '@renkei/persistence';

/**
 * The `webhook.stockChanged` job (docs/webhooks.md, "stock.changed"): the tenant's pending stock
 * changes — one per product, its latest figures — become one `stock.changed` event (up to
 * STOCK_CHANGES_PER_EVENT products; more make further events) with a delivery per receiving
 * endpoint, and are cleared, in one transaction. A change recorded meanwhile keeps its row and
 * re-queues the job (outbound-stock-changes.ts in persistence). True when more are pending.
 */
export async function sendStockChanges(em: Em, tenantId: string, now: Date): Promise<boolean> {
  return em.transactional(async (tx) => {
    const repos = tenantRepositories(tx, tenantId);
    const due = await repos.outboundStockChanges.due(STOCK_CHANGES_PER_EVENT);
    if (due.length === 0) return false;
    // Endpoints registered or paused since the changes were recorded are read as they are now.
    const receivers = await repos.webhookEndpoints.receiving('stock.changed');
    repos.outboundEvents.emit(
      'stock.changed',
      { products: due.map((change) => change.figures) },
      receivers,
      now,
    );
    await tx.flush();
    await repos.outboundStockChanges.sent(due);
    return due.length === STOCK_CHANGES_PER_EVENT;
  });
}
