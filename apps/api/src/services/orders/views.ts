import { toOmsOrderLine, toOmsOrderWithoutLines, type Order } from '@renkei/persistence';
import { notFound } from '../../errors.js';
import type { TenantScope } from '../scope.js';

/** The order of this tenant with lines, or NOT_FOUND. */
export async function getOrder(scope: TenantScope, id: string): Promise<Order> {
  return (await scope.repos.orders.findWithLines(id)) ?? Promise.reject(notFound('受注', 'Order'));
}

/**
 * What API clients see of an order: its OMS fields (`toOmsOrder`, the one mapping of the
 * columns, shared with the worker and the shipping CSV) with every optional field present
 * (null when unset), plus where it stands towards Smaregi.
 */
export function orderView(order: Order) {
  const { shipTo, total, ...content } = toOmsOrderWithoutLines(order);
  return {
    id: order.id,
    ...content,
    orderCode: order.orderCode,
    total: total ?? null,
    shipTo: {
      name: shipTo?.name ?? null,
      postalCode: shipTo?.postalCode ?? null,
      address: shipTo?.address ?? null,
      phone: shipTo?.phone ?? null,
    },
    syncState: order.syncState,
    syncReason: order.syncReason ?? null,
    smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
    allocationStatus: order.allocationStatus ?? null,
    lastSyncError: order.lastSyncError ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** The lines of an order as API clients see them (with what is allocated in Smaregi). */
export function orderLinesView(order: Order) {
  return order.lines.getItems().map((l) => ({
    lineNo: l.lineNo,
    ...toOmsOrderLine(l),
    allocatedQuantity: l.allocatedQuantity,
  }));
}
