import type { DecisionReason, MessageRef, OrderDecision } from '@renkei/domain';
import {
  lastSyncErrorColumns,
  lastSyncErrorOf,
  sameMessage,
  syncReasonColumns,
  syncReasonOf,
  type Order,
  type TenantRepositories,
} from '@renkei/persistence';

/*
 * Why an automatic action did not happen to a registered order, kept on the order (its reason)
 * and in the sync log, in the merchant's words, until the cause goes. The status rules
 * (`decideOrderActions`) say why each action was skipped; this picks the one the merchant can
 * act on or should know, and replaces or clears only the reasons it wrote itself: a held order's
 * problems, 要確認 or a code collision stay until their own flow clears them.
 */

/** The reasons the status rules leave on an order: only they replace or clear them. */
const ACTION_REASON_CODES: ReadonlySet<string> = new Set([
  'orderActionSkipped',
  'orderAllocationShort',
]);

/** Why bulk shipping of an order in the bulk-shipping status did not happen, worth showing. */
const SHIPPING_SKIPS: readonly DecisionReason[] = [
  'noShippingDate',
  'notRegistered',
  'notFullyAllocated',
  'allocationUnknown',
];

/**
 * The reason to show for a decision: a bulk shipment that cannot happen (no 出荷日, not
 * registered, not fully allocated) first, then lines short of stock after an allocation was
 * attempted, then an allocation inquiry the 受注店舗 makes unnecessary (it allocates by itself).
 * `shortLines`: 1-based numbers of the lines without stock, when the lines were read.
 */
export function actionReasonOf(
  order: Pick<Order, 'orderNumber'>,
  decision: OrderDecision,
  shortLines: number[] | null,
  allocationAttempted: boolean,
): MessageRef | null {
  const { orderNumber } = order;
  const lines = shortLines !== null && shortLines.length > 0 ? { lines: shortLines } : {};
  const ship = decision.skipped.find(
    (s) => s.kind === 'queueBulkShipping' && SHIPPING_SKIPS.includes(s.reason),
  );
  if (ship !== undefined)
    return {
      code: 'orderActionSkipped',
      params: {
        orderNumber,
        action: 'queueBulkShipping',
        reason: ship.reason,
        ...(ship.reason === 'notFullyAllocated' ? lines : {}),
      },
    };
  const short = decision.skipped.some(
    (s) => s.kind === 'moveToStatus' && s.reason === 'notFullyAllocated',
  );
  if (allocationAttempted && short && shortLines !== null && shortLines.length > 0)
    return { code: 'orderAllocationShort', params: { orderNumber, lines: shortLines } };
  const inquiry = decision.skipped.find(
    (s) => s.kind === 'requestAllocation' && s.reason === 'smaregiAllocatesAutomatically',
  );
  if (inquiry !== undefined)
    return {
      code: 'orderActionSkipped',
      params: { orderNumber, action: 'requestAllocation', reason: inquiry.reason },
    };
  return null;
}

/**
 * Puts `next` on the order as its reason (a sync event when it changed), or clears a reason the
 * status rules wrote when its cause has gone. Lines short of stock stay on the order until it is
 * allocated (a later event that did not look at the stock does not clear them). Orders still on
 * their way to Smaregi (waiting, pending) keep their own reasons.
 */
export function applyActionReason(
  repos: TenantRepositories,
  order: Order,
  next: MessageRef | null,
): void {
  if (order.syncState === 'waiting' || order.syncState === 'pending') return;
  const current = syncReasonOf(order);
  if (current !== null && !ACTION_REASON_CODES.has(current.code)) return;
  if (
    next === null &&
    current?.code === 'orderAllocationShort' &&
    order.allocationStatus !== 'allocated' &&
    order.syncState === 'registered'
  )
    return;
  if (sameMessage(current, next)) return;
  Object.assign(order, syncReasonColumns(next));
  if (next === null) return;
  repos.syncEvents.record({
    subjectType: 'order',
    subjectId: order.id,
    kind: next.code === 'orderAllocationShort' ? 'order.allocationShort' : 'order.actionSkipped',
    outcome: 'warning',
    message: next,
    detail: { ...(next.params as Record<string, unknown>) },
  });
}

/**
 * A shipment Smaregi refused stays on the order (its last refusal) until the order ships or the
 * merchant moves it into the bulk-shipping status again; only that refusal is cleared here.
 */
export function clearShippingRefusal(order: Order): void {
  if (lastSyncErrorOf(order)?.code === 'orderShippingRefused')
    Object.assign(order, lastSyncErrorColumns(null));
}
