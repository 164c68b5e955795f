import { isIsoDate } from './datetime.js';
import { listOf } from './list.js';
import type { OrderStatusCategory } from './master-data.js';
import type { LocalizedMessage } from './messages.js';
import type { IntegrationSettings } from './settings.js';

/*
 * Status decisions: given the settings, what just happened to an order and what Smaregi knows of
 * it, which of the three automatic actions to take. For every action not taken the decision says
 * why, so the merchant never wonders why an order "did nothing".
 *
 * 1. requestAllocation (在庫引当自動照会): the order has just entered one of
 *    `allocationTriggerStatuses` (or was just registered while in one), it is registered in
 *    Smaregi, its order store does NOT allocate automatically, and it is not fully allocated yet.
 * 2. moveToStatus `allocatedStatus`: every line is allocated and the order is waiting for
 *    allocation: it is in a trigger status, or its order store allocates automatically and the
 *    allocation was just reported. Orders already past that point (in the bulk-shipping status,
 *    shipped, cancelled) are never moved back.
 * 3. queueBulkShipping (受注一括出荷連携): the order is (or is being moved to) the
 *    `bulkShippingTriggerStatus`, is registered in Smaregi, is fully allocated (Smaregi refuses to
 *    ship anything else), carries a shipping date, and is neither shipped nor cancelled in Smaregi.
 * Nothing happens while the integration is stopped.
 */

/** Allocation state of the order in Smaregi (docs/smaregi-wire.md §11 `allocationStatus`). */
export type SmaregiAllocationStatus = 'unallocated' | 'partial' | 'allocated';
/** Smaregi order status (docs/smaregi-wire.md §11). */
export type SmaregiOrderStatus = 'received' | 'allocated' | 'shipped' | 'canceled';

/** What just happened to the order. */
export type OrderEvent =
  | { kind: 'statusChanged'; fromStatusId: string | null }
  | { kind: 'registered' }
  | { kind: 'allocationReported' }
  | { kind: 'shippingDateSet' };

export interface StatusDecisionInput {
  settings: Pick<
    IntegrationSettings,
    | 'integrationEnabled'
    | 'allocationTriggerStatuses'
    | 'allocatedStatus'
    | 'bulkShippingTriggerStatus'
  >;
  order: {
    orderNumber: string;
    statusId: string;
    statusCategory: OrderStatusCategory;
    shippingDate: string | null;
    /** Smaregi `orderHeadId`; null while not registered. */
    smaregiOrderHeadId: string | null;
    smaregiStatus: SmaregiOrderStatus | null;
    /** Allocation in Smaregi as last read; null when unknown. */
    allocation: SmaregiAllocationStatus | null;
    /** 0-based indexes of lines without stock, when known (for the message). */
    shortLineIndexes?: readonly number[];
  };
  /** The order store's automatic allocation (自動処理 引当); null when unknown. */
  orderStore: { autoAllocation: boolean } | null;
  event: OrderEvent;
}

export type OrderAction =
  | { kind: 'requestAllocation'; orderHeadId: string }
  | { kind: 'moveToStatus'; statusId: string }
  | { kind: 'queueBulkShipping'; orderHeadId: string; shippingDate: string };

export type OrderActionKind = OrderAction['kind'];

/** Why an action was not taken (closed list). */
export const decisionReasons = [
  'integrationDisabled',
  'notRegistered',
  'orderClosed',
  'noTriggerStatuses',
  'notInTriggerStatus',
  'statusNotJustEntered',
  'orderStoreUnknown',
  'smaregiAllocatesAutomatically',
  'alreadyAllocated',
  'allocatedStatusNotSet',
  'allocationUnknown',
  'notFullyAllocated',
  'alreadyInAllocatedStatus',
  'notWaitingForAllocation',
  'bulkShippingStatusNotSet',
  'notInBulkShippingStatus',
  'noShippingDate',
  'closedInSmaregi',
] as const;
export type DecisionReason = (typeof decisionReasons)[number];

export interface SkippedAction {
  kind: OrderActionKind;
  reason: DecisionReason;
  message: LocalizedMessage;
}

export interface OrderDecision {
  /** In the order to apply them (a move to the allocated status comes before shipping). */
  actions: OrderAction[];
  skipped: SkippedAction[];
}

const reasonText: Record<DecisionReason, (p: { short: number }) => LocalizedMessage> = {
  integrationDisabled: () => ({ ja: '連携が停止中です。', en: 'The integration is stopped.' }),
  notRegistered: () => ({
    ja: 'スマレジにまだ登録されていない受注です。',
    en: 'The order is not registered in Smaregi yet.',
  }),
  orderClosed: () => ({
    ja: '出荷済みまたはキャンセルの受注です。',
    en: 'The order is shipped or cancelled.',
  }),
  noTriggerStatuses: () => ({
    ja: '在庫引当を照会するステータスが設定されていません。',
    en: 'No allocation trigger status is set.',
  }),
  notInTriggerStatus: () => ({
    ja: '在庫引当を照会するステータスではありません。',
    en: 'The order is not in an allocation trigger status.',
  }),
  statusNotJustEntered: () => ({
    ja: '照会ステータスに入った時点ではないため、照会しません(照会は入った時に1回行います)。',
    en: 'The order did not just enter the trigger status (the inquiry is made once, on entry).',
  }),
  orderStoreUnknown: () => ({
    ja: '受注店舗の自動引当設定が分かりません。',
    en: "The order store's automatic allocation setting is unknown.",
  }),
  smaregiAllocatesAutomatically: () => ({
    ja: '受注店舗の自動引当がONのため、スマレジが登録時に引き当てます。',
    en: 'The order store allocates automatically at registration.',
  }),
  alreadyAllocated: () => ({
    ja: 'すでに全明細が引当済みです。',
    en: 'Every line is already allocated.',
  }),
  allocatedStatusNotSet: () => ({
    ja: '引当済みにするステータスが設定されていません。',
    en: 'No allocated status is set.',
  }),
  allocationUnknown: () => ({
    ja: 'スマレジの引当状況がまだ分かりません。',
    en: 'The allocation in Smaregi is not known yet.',
  }),
  notFullyAllocated: (p) => ({
    ja:
      p.short > 0
        ? `在庫が不足している明細が${p.short}行あります。`
        : '引当されていない明細があります。',
    en: p.short > 0 ? `${p.short} line(s) lack stock.` : 'Some lines are not allocated.',
  }),
  alreadyInAllocatedStatus: () => ({
    ja: 'すでに引当済みのステータスです。',
    en: 'The order is already in the allocated status.',
  }),
  notWaitingForAllocation: () => ({
    ja: '引当待ちのステータスではないため、ステータスを変更しません。',
    en: 'The order is not waiting for allocation, so its status is left as it is.',
  }),
  bulkShippingStatusNotSet: () => ({
    ja: '一括出荷するステータスが設定されていません。',
    en: 'No bulk shipping status is set.',
  }),
  notInBulkShippingStatus: () => ({
    ja: '一括出荷するステータスではありません。',
    en: 'The order is not in the bulk shipping status.',
  }),
  noShippingDate: () => ({
    ja: '出荷日が入力されていません。',
    en: 'The order has no shipping date.',
  }),
  closedInSmaregi: () => ({
    ja: 'スマレジで出荷済みまたはキャンセル済みです。',
    en: 'The order is already shipped or cancelled in Smaregi.',
  }),
};

/** Why an action was not taken, in the merchant's words (`short`: lines without stock). */
export function decisionReasonMessage(
  reason: DecisionReason,
  p: { short: number } = { short: 0 },
): LocalizedMessage {
  return reasonText[reason](p);
}

/**
 * Decides the automatic actions for one order after an event. Pure and total: unknown facts
 * (null) lead to "not done" with a reason, never to an action.
 */
export function decideOrderActions(input: StatusDecisionInput): OrderDecision {
  const { settings, order, orderStore, event } = input;
  const actions: OrderAction[] = [];
  const skipped: SkippedAction[] = [];
  const short = order.shortLineIndexes?.length ?? 0;
  const skip = (kind: OrderActionKind, reason: DecisionReason) =>
    skipped.push({ kind, reason, message: reasonText[reason]({ short }) });

  if (!settings.integrationEnabled) {
    for (const kind of ['requestAllocation', 'moveToStatus', 'queueBulkShipping'] as const)
      skip(kind, 'integrationDisabled');
    return { actions, skipped };
  }
  const headId = order.smaregiOrderHeadId;
  const registered = typeof headId === 'string' && headId !== '';
  const open = order.statusCategory === 'open';
  const triggers = listOf(settings.allocationTriggerStatuses);
  const inTrigger = triggers.includes(order.statusId);
  const fullyAllocated = order.allocation === 'allocated';

  // 1. Allocation inquiry.
  const justEntered =
    (event.kind === 'statusChanged' && event.fromStatusId !== order.statusId) ||
    event.kind === 'registered';
  if (!registered) skip('requestAllocation', 'notRegistered');
  else if (!open) skip('requestAllocation', 'orderClosed');
  else if (triggers.length === 0) skip('requestAllocation', 'noTriggerStatuses');
  else if (!inTrigger) skip('requestAllocation', 'notInTriggerStatus');
  else if (!justEntered) skip('requestAllocation', 'statusNotJustEntered');
  else if (orderStore === null) skip('requestAllocation', 'orderStoreUnknown');
  else if (orderStore.autoAllocation) skip('requestAllocation', 'smaregiAllocatesAutomatically');
  else if (fullyAllocated) skip('requestAllocation', 'alreadyAllocated');
  else actions.push({ kind: 'requestAllocation', orderHeadId: headId });

  // 2. Move to the allocated status.
  let statusAfter = order.statusId;
  const allocatedStatus = settings.allocatedStatus;
  const waiting =
    inTrigger ||
    (orderStore?.autoAllocation === true &&
      (event.kind === 'allocationReported' || event.kind === 'registered') &&
      order.statusId !== settings.bulkShippingTriggerStatus);
  if (allocatedStatus === null) skip('moveToStatus', 'allocatedStatusNotSet');
  else if (!registered) skip('moveToStatus', 'notRegistered');
  else if (!open) skip('moveToStatus', 'orderClosed');
  else if (order.statusId === allocatedStatus) skip('moveToStatus', 'alreadyInAllocatedStatus');
  else if (order.allocation === null) skip('moveToStatus', 'allocationUnknown');
  else if (!fullyAllocated) skip('moveToStatus', 'notFullyAllocated');
  else if (!waiting) skip('moveToStatus', 'notWaitingForAllocation');
  else {
    actions.push({ kind: 'moveToStatus', statusId: allocatedStatus });
    statusAfter = allocatedStatus;
  }

  // 3. Bulk shipping, judged on the status the order will have after step 2.
  const shipStatus = settings.bulkShippingTriggerStatus;
  if (shipStatus === null) skip('queueBulkShipping', 'bulkShippingStatusNotSet');
  else if (statusAfter !== shipStatus) skip('queueBulkShipping', 'notInBulkShippingStatus');
  else if (!registered) skip('queueBulkShipping', 'notRegistered');
  else if (order.statusCategory === 'cancelled') skip('queueBulkShipping', 'orderClosed');
  else if (order.smaregiStatus === 'shipped' || order.smaregiStatus === 'canceled')
    skip('queueBulkShipping', 'closedInSmaregi');
  else if (order.shippingDate === null || !isIsoDate(order.shippingDate))
    skip('queueBulkShipping', 'noShippingDate');
  else if (order.allocation === null) skip('queueBulkShipping', 'allocationUnknown');
  else if (!fullyAllocated) skip('queueBulkShipping', 'notFullyAllocated');
  else
    actions.push({
      kind: 'queueBulkShipping',
      orderHeadId: headId,
      shippingDate: order.shippingDate,
    });

  return { actions, skipped };
}

/*
 * Cancellation (キャンセル連携, OMS → Smaregi). The status master says which OMS statuses mean
 * cancelled (category `cancelled`). An order moved into one of them:
 * - registered in Smaregi → its 受注 is cancelled there once (`cancelInSmaregi`), which releases
 *   the allocation; only while the integration runs (a cancel made while it is stopped is sent
 *   when it starts again);
 * - not in Smaregi yet → it is withdrawn (`withdraw`): never sent, whether it was waiting, queued
 *   or refused. Withdrawing touches Renkei only, so it does not wait for the integration. While an
 *   earlier registration's outcome is still unknown the order may be in Smaregi: nothing is
 *   decided until that is resolved (then it is registered and cancelled, or withdrawn).
 * A withdrawn order moved back to an open status goes out again (`reinstate`); an order cancelled
 * in Smaregi cannot be brought back (Smaregi has no such operation).
 */

/** The facts the cancellation rule needs. */
export interface CancelDecisionInput {
  integrationEnabled: boolean;
  order: Pick<
    StatusDecisionInput['order'],
    'statusCategory' | 'smaregiOrderHeadId' | 'smaregiStatus'
  >;
  /** An earlier registration attempt's outcome is not known yet (in flight, or to be read). */
  registrationUnresolved: boolean;
}

/** Why nothing is done about cancellation (closed list). */
export const cancelSkipReasons = [
  /** The order is not in a status of category `cancelled` (and is not a withdrawn order). */
  'notCancelled',
  /** Already cancelled in Smaregi, or already withdrawn. */
  'alreadyCanceled',
  'integrationDisabled',
  'registrationUnresolved',
] as const;
export type CancelSkipReason = (typeof cancelSkipReasons)[number];

export type CancelDecision =
  | { kind: 'cancelInSmaregi'; orderHeadId: string }
  | { kind: 'withdraw' }
  | { kind: 'reinstate' }
  | { kind: 'none'; reason: CancelSkipReason };

/** Decides what an order's (OMS) status means for its 受注 in Smaregi. Pure and total. */
export function decideCancellation(input: CancelDecisionInput): CancelDecision {
  const { order } = input;
  const headId = order.smaregiOrderHeadId;
  const registered = typeof headId === 'string' && headId !== '';
  const closed = order.smaregiStatus === 'canceled';
  if (order.statusCategory !== 'cancelled') {
    // Only a withdrawn order (closed without ever reaching Smaregi) can come back.
    return closed && !registered && order.statusCategory === 'open'
      ? { kind: 'reinstate' }
      : { kind: 'none', reason: 'notCancelled' };
  }
  if (closed) return { kind: 'none', reason: 'alreadyCanceled' };
  if (!registered) {
    return input.registrationUnresolved
      ? { kind: 'none', reason: 'registrationUnresolved' }
      : { kind: 'withdraw' };
  }
  if (!input.integrationEnabled) return { kind: 'none', reason: 'integrationDisabled' };
  return { kind: 'cancelInSmaregi', orderHeadId: headId };
}
