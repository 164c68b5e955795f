import { renderMessageBoth, type Locale, type MessageRef } from '@renkei/domain';
import {
  lastSyncErrorOf,
  syncReasonOf,
  toOmsOrderLine,
  toOmsOrderWithoutLines,
  type Order,
} from '@renkei/persistence';
import { notFound } from '../../errors.js';
import type { TenantScope } from '../scope.js';

/** The order of this tenant with lines, or NOT_FOUND. */
export async function getOrder(scope: TenantScope, id: string): Promise<Order> {
  return (await scope.repos.orders.findWithLines(id)) ?? Promise.reject(notFound('受注', 'Order'));
}

/** What the view of an order needs to know beyond the order itself. */
export interface OrderViewFacts {
  /**
   * The tenant's integration is stopped: an order not yet sent says it waits for the start. This
   * reason is not stored (it is the tenant's state, not the order's), so it goes the moment the
   * integration starts.
   */
  integrationStopped?: boolean;
}

function waitingWhileStopped(order: Order): MessageRef {
  return { code: 'orderWaitingIntegrationStopped', params: { orderNumber: order.orderNumber } };
}

/** The facts {@link orderView} needs, read once per request. */
export async function orderViewFacts(scope: Pick<TenantScope, 'repos'>): Promise<OrderViewFacts> {
  const settings = await scope.repos.settings.get();
  return { integrationStopped: settings?.integrationEnabled !== true };
}

const both = (ref: MessageRef | null) => (ref === null ? null : renderMessageBoth(ref));

/**
 * What API clients see of an order: its OMS fields (`toOmsOrder`, the one mapping of the
 * columns, shared with the worker and the shipping CSV) with every optional field present
 * (null when unset), plus where it stands towards Smaregi. Its reason and last refusal come in
 * both languages with their message code (the admin picks its language); the REST intake
 * answers in the language asked for ({@link orderViewIn}).
 */
export function orderView(order: Order, facts: OrderViewFacts = {}) {
  const reason =
    syncReasonOf(order) ??
    (facts.integrationStopped === true && order.syncState === 'pending'
      ? waitingWhileStopped(order)
      : null);
  const error = lastSyncErrorOf(order);
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
    syncReason: both(reason),
    syncReasonCode: reason?.code ?? null,
    smaregiOrderHeadId: order.smaregiOrderHeadId ?? null,
    allocationStatus: order.allocationStatus ?? null,
    lastSyncError: both(error),
    lastSyncErrorCode: error?.code ?? null,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** The order for a REST client: its reason and last refusal in the reader's language. */
export function orderViewIn(order: Order, locale: Locale, facts: OrderViewFacts = {}) {
  const view = orderView(order, facts);
  return {
    ...view,
    syncReason: view.syncReason?.[locale] ?? null,
    lastSyncError: view.lastSyncError?.[locale] ?? null,
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
