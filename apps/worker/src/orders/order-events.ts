import { forkEm, tenantRepositories, type Em } from '@renkei/persistence';
import type { Order as SmaregiOrder } from '@renkei/smaregi-client';
import type { WorkerDeps } from '../deps.js';
import type { ActiveTenant } from '../tenants/active-tenants.js';
import { firstStatusOf } from './order-actions.js';

/**
 * What Smaregi says happened to registered orders (`order-shipment:orders` shipped / canceled,
 * and bulk-shipping results), applied to Renkei's orders. Each effect has its own ledger row
 * (`shipOrders` ship:<id>, `cancelOrder` cancel:<id>), so a duplicate or replayed event changes
 * nothing the second time; in particular a cancel releases the allocation exactly once.
 */
export class OrderEvents {
  constructor(private readonly deps: WorkerDeps) {}

  /** Marks an order shipped (status of category 'shipped'); false when already done. */
  async shipped(
    em: Em,
    tenant: ActiveTenant,
    orderId: string,
    remote: Pick<SmaregiOrder, 'shippingDate' | 'slipNumber'> | null,
  ): Promise<boolean> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const op = await repos.operations.ensure('shipOrders', `ship:${orderId}`, {
      type: 'order',
      id: orderId,
    });
    if (op.state === 'succeeded') return false;
    const order = await repos.orders.findById(orderId);
    if (order === null) return false;
    op.state = 'succeeded';
    op.leaseUntil = null;
    op.lastError = null;
    op.remoteId = order.smaregiOrderHeadId ?? null;
    const shipped = await firstStatusOf(repos, 'shipped');
    if (shipped !== null) order.status = shipped;
    if (remote?.shippingDate != null) order.shippingDate = remote.shippingDate.slice(0, 10);
    if (remote?.slipNumber != null) order.slipNumber = remote.slipNumber;
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.shipped',
      outcome: 'success',
      message: `スマレジで出荷済みになりました${shipped ? `(ステータス「${shipped.name}」)` : ''} / Shipped in Smaregi`,
      operationId: op.id,
    });
    return true;
  }

  /**
   * Cancels an order on Renkei's side after Smaregi cancelled it: status of category
   * 'cancelled', sync state canceled, allocation released. Once only (ledger `cancel:<id>`).
   */
  async canceled(em: Em, tenant: ActiveTenant, orderId: string): Promise<boolean> {
    const repos = tenantRepositories(em, tenant.tenantId);
    const op = await repos.operations.ensure('cancelOrder', `cancel:${orderId}`, {
      type: 'order',
      id: orderId,
    });
    if (op.state === 'succeeded') return false;
    const order = await repos.orders.findWithLines(orderId);
    if (order === null) return false;
    op.state = 'succeeded';
    op.remoteId = order.smaregiOrderHeadId ?? null;
    const released = order.lines.getItems().reduce((sum, l) => sum + l.allocatedQuantity, 0);
    for (const line of order.lines.getItems()) line.allocatedQuantity = 0;
    order.allocationStatus = 'unallocated';
    order.syncState = 'canceled';
    const cancelled = await firstStatusOf(repos, 'cancelled');
    if (cancelled !== null) order.status = cancelled;
    repos.syncEvents.record({
      subjectType: 'order',
      subjectId: order.id,
      kind: 'order.canceled',
      outcome: 'warning',
      message: `スマレジでキャンセルされました。引当 ${released} 点を解除しました / Cancelled in Smaregi; ${released} allocated unit(s) released`,
      detail: { released },
      operationId: op.id,
    });
    return true;
  }

  /** Applies Smaregi's current state of an order (re-read, never trusting the event body). */
  async applyRemote(
    tenant: ActiveTenant,
    remote: SmaregiOrder,
  ): Promise<'shipped' | 'canceled' | 'unchanged' | 'unknownOrder'> {
    const em = forkEm(this.deps.orm);
    const repos = tenantRepositories(em, tenant.tenantId);
    const order = await repos.orders.findOne({ smaregiOrderHeadId: remote.orderHeadId });
    if (order === null) return 'unknownOrder';
    let result: 'shipped' | 'canceled' | 'unchanged' = 'unchanged';
    if (remote.status === 'shipped' && (await this.shipped(em, tenant, order.id, remote)))
      result = 'shipped';
    if (remote.status === 'canceled' && (await this.canceled(em, tenant, order.id)))
      result = 'canceled';
    await em.flush();
    return result;
  }
}
