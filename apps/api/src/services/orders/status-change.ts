import { CallPriority } from '@renkei/domain';
import { JOB_NAMES, type Order } from '@renkei/persistence';
import { invalid } from '../../errors.js';
import { audit, type TenantScope } from '../scope.js';
import { statusNotFound } from './intake.js';
import { getOrder } from './views.js';

/**
 * Asks the worker to run the status decisions of an order that entered a status (allocation,
 * cancellation, bulk shipping react to statuses), in the caller's unit of work.
 */
export async function queueStatusDecisions(scope: TenantScope, order: Order): Promise<void> {
  await scope.repos.jobs.enqueue(
    JOB_NAMES.orderStatusChanged,
    { orderId: order.id, statusId: order.status.id },
    { priority: CallPriority.allocation },
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
    message: { code: 'orderStatusChanged', params: { status: status.name } },
  });
  audit(scope, 'order.statusChange', 'order', order.id, before, { statusId: status.id });
  await queueStatusDecisions(scope, order);
  await scope.em.flush();
  return order;
}
