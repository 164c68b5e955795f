import type { OrderStatusInput } from '@renkei/domain';
import { Order, type OrderStatus } from '@renkei/persistence';
import { AppError, notFound } from '../errors.js';
import { audit, pick, type TenantScope } from './scope.js';

/*
 * The OMS's order statuses (受注ステータス), which the integration settings name as triggers.
 * Every change is audited with before and after.
 */

const STATUS_FIELDS = ['name', 'category', 'sortOrder'] as const;
export function orderStatusView(status: OrderStatus) {
  return {
    id: status.id,
    name: status.name,
    category: status.category,
    sortOrder: status.sortOrder,
  };
}

export async function getOrderStatus(scope: TenantScope, id: string): Promise<OrderStatus> {
  return (
    (await scope.repos.orderStatuses.findById(id)) ??
    Promise.reject(notFound('受注ステータス', 'Order status'))
  );
}

export async function createOrderStatus(
  scope: TenantScope,
  input: OrderStatusInput,
): Promise<OrderStatus> {
  const status = scope.repos.orderStatuses.create(input);
  audit(scope, 'orderStatus.create', 'orderStatus', status.id, null, pick(status, STATUS_FIELDS));
  await scope.em.flush();
  return status;
}

export async function updateOrderStatus(
  scope: TenantScope,
  id: string,
  input: OrderStatusInput,
): Promise<OrderStatus> {
  const status = await getOrderStatus(scope, id);
  const before = pick(status, STATUS_FIELDS);
  Object.assign(status, input);
  audit(scope, 'orderStatus.update', 'orderStatus', status.id, before, pick(status, STATUS_FIELDS));
  await scope.em.flush();
  return status;
}

/** Refused while orders are in the status or a setting names it (the worker would act on a ghost). */
export async function deleteOrderStatus(
  scope: TenantScope,
  id: string,
  settingsStatusIds: string[],
): Promise<void> {
  const status = await getOrderStatus(scope, id);
  const inUse = (await scope.em.count(Order, { tenant: scope.tenantId, status: status.id })) > 0;
  if (inUse || settingsStatusIds.includes(status.id)) {
    throw new AppError('CONFLICT', {
      ja: inUse
        ? 'このステータスの受注があるため削除できません'
        : 'このステータスは連携設定で使われているため削除できません',
      en: inUse
        ? 'Orders are in this status; it cannot be deleted'
        : 'The integration settings use this status; it cannot be deleted',
    });
  }
  audit(scope, 'orderStatus.delete', 'orderStatus', status.id, pick(status, STATUS_FIELDS), null);
  scope.repos.orderStatuses.remove(status);
  await scope.em.flush();
}
