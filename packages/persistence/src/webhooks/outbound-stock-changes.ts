import { raw } from '@mikro-orm/core';
import { STOCK_CHANGE_COALESCE_MS, type StockChange } from '@renkei/domain';
import type { Em } from '../config.js';
import { newId } from '../ids.js';
import { JOB_NAMES } from '../sync/job.entity.js';
import { JobRepository } from '../sync/sync-repositories.js';
import { OutboundStockChange } from './outbound-stock-change.entity.js';

/** The key of the tenant's one queued `stock.changed` job. */
export const STOCK_CHANGES_JOB_KEY = 'stock.changed';

/** A pending change as read by the flush, with the version seen. */
export interface PendingStockChange {
  id: string;
  productCode: string;
  figures: StockChange;
  version: number;
}

/**
 * The products whose 有効在庫数 changed since the last `stock.changed` event (docs/webhooks.md):
 * `record` in the transaction that changed the figures, the `webhook.stockChanged` job gathers
 * them (`due`) into events and clears what it sent (`sent`).
 */
export class OutboundStockChangeRepository {
  constructor(
    private readonly em: Em,
    readonly tenantId: string,
  ) {}

  /**
   * Records the latest figures of these products (one row per product: a later change overwrites
   * an earlier one not yet sent) and queues the tenant's `stock.changed` job unless one is queued.
   * The job runs at once when no event was sent within the last coalescing second, otherwise one
   * second after the last: at most one event per tenant and second, each product in it once with
   * its latest figures, and a lone change is not held back. Call it inside the transaction of the
   * figures (`em.begin()` … `em.commit()`): the rows are written at once (one statement per
   * product), the job with the flush.
   */
  async record(changes: readonly StockChange[], now: Date): Promise<void> {
    if (changes.length === 0) return;
    const latest = new Map(changes.map((c) => [c.productCode, c]));
    for (const change of latest.values()) {
      await this.em
        .createQueryBuilder(OutboundStockChange)
        .insert({
          id: newId(),
          tenant: this.tenantId,
          productCode: change.productCode,
          figures: change,
          version: 1,
          changedAt: now,
        })
        .onConflict(['tenant', 'productCode'])
        .merge({
          figures: change,
          version: raw('outbound_stock_changes.version + 1'),
          changedAt: now,
        })
        .execute();
    }
    const jobs = new JobRepository(this.em, this.tenantId);
    const job = await jobs.findOne({
      name: JOB_NAMES.sendStockChanges,
      dedupKey: STOCK_CHANGES_JOB_KEY,
    });
    if (job?.state === 'queued') return;
    // A running job may have read the pending rows before this change: it is queued again (its
    // completion then finds the row no longer its own and leaves it queued).
    const last = job === null ? null : job.state === 'running' ? now : (job.finishedAt ?? null);
    const runAt =
      last === null
        ? now
        : new Date(Math.max(now.getTime(), last.getTime() + STOCK_CHANGE_COALESCE_MS));
    await jobs.enqueue(JOB_NAMES.sendStockChanges, {}, { dedupKey: STOCK_CHANGES_JOB_KEY, runAt });
  }

  /** Up to `limit` pending changes, oldest first. */
  async due(limit: number): Promise<PendingStockChange[]> {
    const rows = await this.em.find(
      OutboundStockChange,
      { tenant: this.tenantId },
      { orderBy: { changedAt: 'asc', id: 'asc' }, limit },
    );
    return rows.map((r) => ({
      id: r.id,
      productCode: r.productCode,
      figures: r.figures,
      version: r.version,
    }));
  }

  /**
   * Removes the changes that were sent: only where the version is still the one read, so a change
   * made meanwhile stays for the next event.
   */
  async sent(seen: readonly PendingStockChange[]): Promise<void> {
    for (const change of seen)
      await this.em.nativeDelete(OutboundStockChange, {
        tenant: this.tenantId,
        id: change.id,
        version: change.version,
      });
  }

  /** How many products wait for an event. */
  pending(): Promise<number> {
    return this.em.count(OutboundStockChange, { tenant: this.tenantId });
  }
}
