import { raw } from '@mikro-orm/core';
import type { Em } from '../config.js';
import { ListedProduct } from '../products/listed-product.entity.js';
import { TenantScopedRepository } from '../tenant-scoped.repository.js';
import { StockRecomputeRun, type StockSettingChange } from './stock-recompute-run.entity.js';

/** A product whose stock figures were asked to be recomputed, with the count seen. */
export interface StockRecomputeRequest {
  smaregiProductId: string;
  requests: number;
}

/**
 * The one path by which an event marks products whose 有効在庫数 must be recomputed (an
 * allocation, registration, shipment or cancel): `request` in the event's own transaction, and the
 * worker's stock loop takes the marked products in batches (`due`) and clears what it recomputed
 * (`done`). Marks coalesce: ten events on one product before the loop runs cost one recompute.
 */
export class StockRecomputeMarks {
  constructor(
    private readonly em: Em,
    readonly tenantId: string,
  ) {}

  /** Marks the products with these Smaregi product IDs (unknown IDs are ignored). */
  async request(smaregiProductIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(smaregiProductIds)].filter((id) => id !== '');
    if (ids.length === 0) return;
    await this.em
      .createQueryBuilder(ListedProduct)
      .update({ stockRecomputeRequests: raw('stock_recompute_requests + 1') })
      .where({ tenant: this.tenantId, smaregiProductId: { $in: ids } })
      .execute();
  }

  /** Up to `limit` marked products, in Smaregi product ID order. */
  async due(limit: number): Promise<StockRecomputeRequest[]> {
    const rows = await this.em.find(
      ListedProduct,
      {
        tenant: this.tenantId,
        stockRecomputeRequests: { $gt: 0 },
        smaregiProductId: { $ne: null },
      },
      {
        fields: ['smaregiProductId', 'stockRecomputeRequests'],
        orderBy: { smaregiProductId: 'asc' },
        limit,
      },
    );
    return rows.map((p) => ({
      smaregiProductId: p.smaregiProductId ?? '',
      requests: p.stockRecomputeRequests,
    }));
  }

  /**
   * Clears the marks that were recomputed: only where the count is still the one seen, so a
   * request made meanwhile keeps its product marked for the next batch.
   */
  async done(seen: readonly StockRecomputeRequest[]): Promise<void> {
    const byCount = new Map<number, string[]>();
    for (const s of seen)
      byCount.set(s.requests, [...(byCount.get(s.requests) ?? []), s.smaregiProductId]);
    for (const [requests, ids] of byCount)
      await this.em.nativeUpdate(
        ListedProduct,
        { tenant: this.tenantId, smaregiProductId: { $in: ids }, stockRecomputeRequests: requests },
        { stockRecomputeRequests: 0 },
      );
  }

  /** How many products are marked (the sync log's and the tests' view of what is pending). */
  pending(): Promise<number> {
    return this.em.count(ListedProduct, {
      tenant: this.tenantId,
      stockRecomputeRequests: { $gt: 0 },
    });
  }
}

export class StockRecomputeRunRepository extends TenantScopedRepository<StockRecomputeRun> {
  constructor(em: Em, tenantId: string) {
    super(em, tenantId, StockRecomputeRun);
  }

  /** The queued or running recompute, if any (one at a time per tenant). */
  findActive(): Promise<StockRecomputeRun | null> {
    return this.findOne({ state: { $in: ['queued', 'running'] } });
  }

  latest(limit = 10): Promise<StockRecomputeRun[]> {
    return this.find({}, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  }

  /**
   * Queues a recompute of every product for a settings change (flushed by the caller, with the
   * settings). A run not finished yet is superseded (`canceled`): the new one covers it, and
   * re-reads the orders if either had to.
   */
  async request(
    changes: Record<string, StockSettingChange>,
    rereadOrders: boolean,
    requestedBy: string | null,
    now: Date,
  ): Promise<StockRecomputeRun> {
    let reread = rereadOrders;
    for (const run of await this.find({ state: { $in: ['queued', 'running'] } })) {
      reread ||= run.rereadOrders;
      run.state = 'canceled';
      run.finishedAt = now;
    }
    return this.create({
      changes,
      rereadOrders: reread,
      requestedBy,
    });
  }
}
