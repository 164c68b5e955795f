import type { Order } from '@renkei/persistence';
import { AppError } from '../../errors.js';
import type { TenantScope } from '../scope.js';
import { getOrder } from './views.js';

/** Asks the worker to try the order again (after the merchant fixed the cause). */
export async function retryOrder(scope: TenantScope, orderId: string): Promise<Order> {
  const order = await getOrder(scope, orderId);
  if (order.syncState === 'registered' || order.syncState === 'canceled') {
    throw new AppError('CONFLICT', {
      ja: 'この受注はスマレジに登録済み(またはキャンセル済み)のため再送できません',
      en: 'This order is already registered in Smaregi (or canceled); nothing to retry',
    });
  }
  order.syncState = 'pending';
  scope.repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: 'order.retryRequested',
    outcome: 'info',
    message: {
      code: 'orderRetryRequested',
      params: { orderNumber: order.orderNumber, actor: scope.actor.label },
    },
  });
  // Pending again: the worker's order loop takes it on its next tick.
  await scope.em.flush();
  return order;
}
