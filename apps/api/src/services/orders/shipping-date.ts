import type { Order } from '@renkei/persistence';
import { getSettings } from '../settings.js';
import { audit, type TenantScope } from '../scope.js';
import { queueStatusDecisions } from './status-change.js';
import { getOrder } from './views.js';

/**
 * Sets (or clears, with null) an order's 出荷日 from the admin, as the OMS would by posting the
 * order again. 受注一括出荷 needs it: an order already in the bulk-shipping status is judged again
 * at once, so entering the date is what lets it ship (the worker reopens its shipment).
 */
export async function setShippingDate(
  scope: TenantScope,
  orderId: string,
  shippingDate: string | null,
): Promise<Order> {
  const order = await getOrder(scope, orderId);
  const before = order.shippingDate ?? null;
  if (before === shippingDate) return order;
  order.shippingDate = shippingDate;
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: 'order.updated',
    outcome: 'info',
    message: {
      code: 'orderUpdated',
      params: { orderNumber: order.orderNumber, fields: 'shippingDate' },
    },
  });
  audit(scope, 'order.shippingDate', 'order', order.id, { shippingDate: before }, { shippingDate });
  const settings = await getSettings(scope);
  if (shippingDate !== null && settings.bulkShippingTriggerStatus === order.status.id)
    await queueStatusDecisions(scope, order);
  await scope.em.flush();
  return order;
}
