import { CallPriority, type LocalizedMessage } from '@renkei/domain';
import { JOB_NAMES, type Order } from '@renkei/persistence';
import { AppError, invalid } from '../../errors.js';
import { audit, type TenantScope } from '../scope.js';
import { statusNotFound } from './intake.js';
import { getOrder } from './views.js';

/**
 * Asks the worker to run the status decisions of an order that entered a status (allocation,
 * cancellation, bulk shipping react to statuses), in the caller's unit of work. One job per order
 * while it waits: the worker reads the order's status when it runs, so moves made before that
 * (e.g. in and out and in again while the integration is stopped, when the job waits for the
 * start) are decided once, on where the order is then, and never ask Smaregi twice.
 */
export async function queueStatusDecisions(scope: TenantScope, order: Order): Promise<void> {
  await scope.repos.jobs.enqueue(
    JOB_NAMES.orderStatusChanged,
    { orderId: order.id, statusId: order.status.id },
    { priority: CallPriority.allocation, dedupKey: order.id },
  );
}

/**
 * Moves an order to another status of this tenant (the admin's status change). The status
 * column is the order's only record of it, so the integrator's next post of the order is compared
 * with the new status (a post with another status is an update).
 */
export async function changeOrderStatus(
  scope: TenantScope,
  orderId: string,
  statusId: string,
): Promise<Order> {
  const order = await getOrder(scope, orderId);
  const status = await scope.repos.orderStatuses.findById(statusId);
  if (status === null) throw invalid([statusNotFound(statusId)]);
  if (order.status.id === status.id) return order;
  const before = { statusId: order.status.id };
  order.status = status;
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: 'order.statusChanged',
    outcome: 'info',
    message: {
      code: 'orderStatusChanged',
      params: { orderNumber: order.orderNumber, status: status.name },
    },
  });
  audit(scope, 'order.statusChange', 'order', order.id, before, { statusId: status.id });
  await queueStatusDecisions(scope, order);
  await scope.em.flush();
  return order;
}

/** What a status change did to one order of a selection. */
export type StatusChangeOutcome =
  | { id: string; outcome: 'changed' | 'unchanged'; order: Order }
  | { id: string; outcome: 'failed'; error: LocalizedMessage };

/**
 * Moves each selected order to `statusId` (the order list's bulk change), one order at a time:
 * an order that cannot move (gone, another tenant's) gets its own failure and the others still
 * move. An unknown status refuses the whole request at `statusId`.
 */
export async function changeOrderStatuses(
  scope: TenantScope,
  orderIds: readonly string[],
  statusId: string,
): Promise<StatusChangeOutcome[]> {
  const status = await scope.repos.orderStatuses.findById(statusId);
  if (status === null) throw invalid([statusNotFound(statusId)]);
  const results: StatusChangeOutcome[] = [];
  for (const id of orderIds) {
    try {
      const found = await scope.repos.orders.findById(id);
      const unchanged = found !== null && found.status.id === status.id;
      const order = await changeOrderStatus(scope, id, status.id);
      results.push({ id, outcome: unchanged ? 'unchanged' : 'changed', order });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, outcome: 'failed', error: error.localized });
    }
  }
  return results;
}
