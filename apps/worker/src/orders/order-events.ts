import type { IntegrationSettings } from '@renkei/domain';
import {
  forkEm,
  lastSyncErrorColumns,
  tenantRepositories,
  type Em,
  type OperationLedger,
  type Order,
} from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import { createLedger } from '../smaregi/ledger.js';
import { markLinesStock, markOrderStock } from '../stock/stock-marks.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { firstStatusOf } from './order-view.js';

/**
 * What Smaregi says happened to registered orders (`order-shipment:orders` shipped / canceled,
 * and bulk-shipping results), applied to Renkei's orders. Each effect has its own ledger row
 * (`shipOrders` ship:<id>, `cancelOrder` cancel:<id>, the same row as the OMS cancel's), so a
 * duplicate or replayed event changes nothing the second time; in particular a cancel releases
 * the allocation exactly once, whichever side cancelled.
 */
export class OrderEvents {
  readonly #ledger: OperationLedger;

  constructor(private readonly deps: WorkerDeps) {
    this.#ledger = createLedger(deps);
  }

  /** Smaregi shows the order shipped: marked shipped once (ledger `ship:<id>`); false if done. */
  async shipped(
    em: Em,
    tenant: ActiveTenant,
    orderId: string,
    remote: Pick<SmaregiOrder, 'orderHeadId' | 'shippingDate' | 'slipNumber'>,
  ): Promise<boolean> {
    const seen = await this.#ledger.recordObserved(
      em,
      tenant.tenantId,
      'shipOrders',
      `ship:${orderId}`,
      { type: 'order', id: orderId },
      remote.orderHeadId,
    );
    if (!seen.first) return false;
    return this.applyShipped(em, tenant, orderId, seen.id, remote);
  }

  /** The order's side of a shipment (status of category 'shipped', date, slip number). */
  async applyShipped(
    em: Em,
    tenant: ActiveTenant,
    orderId: string,
    operationId: string,
    remote: Pick<SmaregiOrder, 'shippingDate' | 'slipNumber'>,
  ): Promise<boolean> {
    const applied = await this.applyShippedMany(em, tenant, [{ orderId, operationId, remote }]);
    return applied.length > 0;
  }

  /**
   * {@link applyShipped} for the orders of one bulk-shipping call, on `em` (the caller's
   * transaction): the orders, the shipped status and the products to mark are read once for all
   * of them, where one order at a time cost about ten statements an order
   * (`pnpm bench:scale`, statement profile). The orders it found, changed and not flushed.
   */
  async applyShippedMany(
    em: Em,
    tenant: ActiveTenant,
    shipments: readonly {
      orderId: string;
      operationId: string;
      remote: Pick<SmaregiOrder, 'shippingDate' | 'slipNumber'>;
    }[],
    settings?: IntegrationSettings,
  ): Promise<Order[]> {
    if (shipments.length === 0) return [];
    const repos = tenantRepositories(em, tenant.tenantId);
    const found = await repos.orders.find(
      { id: { $in: shipments.map((s) => s.orderId) } },
      { populate: ['lines'] },
    );
    if (found.length === 0) return [];
    const byId = new Map(found.map((order) => [order.id, order]));
    const shipped = await firstStatusOf(repos, 'shipped');
    const applied: Order[] = [];
    for (const { orderId, operationId, remote } of shipments) {
      const order = byId.get(orderId);
      if (order === undefined) continue;
      if (shipped !== null) order.status = shipped;
      if (remote.shippingDate != null) order.shippingDate = remote.shippingDate.slice(0, 10);
      if (remote.slipNumber != null) order.slipNumber = remote.slipNumber;
      repos.syncEvents.record({
        subjectType: 'order',
        subjectId: order.id,
        kind: 'order.shipped',
        outcome: 'success',
        message: {
          code: 'orderShipped',
          params: { orderNumber: order.orderNumber, status: shipped?.name ?? null },
        },
        operationId,
      });
      applied.push(order);
    }
    // Shipped: Smaregi's stock and allocation of these products moved.
    await markLinesStock(
      em,
      tenant.tenantId,
      applied.flatMap((order) => order.lines.getItems()),
      settings,
    );
    return applied;
  }

  /**
   * Cancels an order on Renkei's side after Smaregi cancelled it: status of category
   * 'cancelled', sync state canceled, allocation released. Once only (ledger `cancel:<id>`).
   */
  async canceled(
    em: Em,
    tenant: ActiveTenant,
    orderId: string,
    orderHeadId: string,
  ): Promise<boolean> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findById(orderId);
    if (order === null) return false;
    const seen = await this.#ledger.recordObserved(
      em,
      tenant.tenantId,
      'cancelOrder',
      `cancel:${orderId}`,
      { type: 'order', id: orderId },
      orderHeadId,
    );
    if (!seen.first) return false;
    return this.applyCanceled(em, tenant, orderId, seen.id, 'smaregi');
  }

  /**
   * The order's side of a cancel, whoever asked for it (`origin`: Smaregi, or the OMS through
   * `apps/worker/src/orders/cancel-order.ts`): every line's allocation released (so the order
   * leaves the open-order stock), sync state canceled, and a status of category 'cancelled' —
   * the merchant's own when the order is in one already. The caller holds the ledger row.
   */
  async applyCanceled(
    em: Em,
    tenant: ActiveTenant,
    orderId: string,
    operationId: string,
    origin: 'smaregi' | 'oms',
  ): Promise<boolean> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return false;
    const released = order.lines.getItems().reduce((sum, l) => sum + l.allocatedQuantity, 0);
    for (const line of order.lines.getItems()) line.allocatedQuantity = 0;
    order.allocationStatus = 'unallocated';
    order.syncState = 'canceled';
    // Released: these products' allocated amounts (or open-order quantities) moved.
    await markOrderStock(em, tenant.tenantId, orderId, { lines: order.lines.getItems() });
    Object.assign(order, lastSyncErrorColumns(null));
    if (order.status.category !== 'cancelled') {
      const cancelled = await firstStatusOf(repos, 'cancelled');
      if (cancelled !== null) order.status = cancelled;
    }
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.canceled',
      outcome: origin === 'oms' ? 'success' : 'warning',
      message: {
        code: origin === 'oms' ? 'orderCancelSent' : 'orderCanceled',
        params: { orderNumber: order.orderNumber, released },
      },
      detail: { released, origin },
      operationId,
    });
    return true;
  }

  /** Applies Smaregi's current state of an order (re-read, never trusting the event body). */
  async applyRemote(
    tenant: ActiveTenant,
    remote: SmaregiOrder,
  ): Promise<'shipped' | 'canceled' | 'unchanged' | 'unknownOrder'> {
    // One transaction: the ledger row and the order change commit together, or neither does.
    return forkEm(this.deps.orm).transactional(async (em) => {
      const repos = tenantRepositories(em, tenant.tenantId);
      const order = await repos.orders.findOne({ smaregiOrderHeadId: remote.orderHeadId });
      if (order === null) return 'unknownOrder';
      if (remote.status === 'shipped' && (await this.shipped(em, tenant, order.id, remote)))
        return 'shipped';
      if (
        remote.status === 'canceled' &&
        (await this.canceled(em, tenant, order.id, remote.orderHeadId))
      )
        return 'canceled';
      return 'unchanged';
    });
  }
}
